import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { get, post } from './api';
import type { Me } from './identity';
import { session } from './session.svelte';
import { jsonResponse } from '$lib/testing/responses';

const me: Me = {
	user: {
		id: 'u1',
		email: 'ada@example.com',
		name: 'Ada',
		role: 'auditor',
		department: '',
		active: true,
		last_login_at: null,
		created_at: '2026-01-01T00:00:00Z',
		updated_at: '2026-01-01T00:00:00Z',
		version: 1
	},
	csrf_token: 'csrf-1',
	permissions: ['profile.own', 'audit.read']
};

let answer: () => Response;
let headers: Headers[];

beforeEach(() => {
	headers = [];
	vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
		headers.push(new Headers(init.headers));
		return answer();
	});
});

afterEach(() => {
	vi.unstubAllGlobals();
});

describe('session', () => {
	it('loads the signed-in user, their permissions and the CSRF token', async () => {
		answer = () => jsonResponse(me);
		await session.load(true);
		expect(session.status).toBe('signed_in');
		expect(session.user?.email).toBe('ada@example.com');
		expect(session.can('audit.read')).toBe(true);
		expect(session.can('users.manage')).toBe(false);
		answer = () => jsonResponse({});
		await post('/x', {});
		expect(headers.at(-1)?.get('X-CSRF-Token')).toBe('csrf-1');
	});

	it('takes a rotated token from a new Me', async () => {
		session.set({ ...me, csrf_token: 'csrf-2' });
		answer = () => jsonResponse({});
		await post('/x', {});
		expect(headers.at(-1)?.get('X-CSRF-Token')).toBe('csrf-2');
	});

	it('expires on any 401 and stops sending the token', async () => {
		session.set(me);
		answer = () => jsonResponse({ title: 'Unauthorized', status: 401 }, 401);
		await get('/vendors').catch(() => undefined);
		expect(session.status).toBe('expired');
		expect(session.user).toBeNull();
		expect(session.can('audit.read')).toBe(false);
		answer = () => jsonResponse({});
		await post('/x', {});
		expect(headers.at(-1)?.has('X-CSRF-Token')).toBe(false);
	});

	it('reports a server it cannot reach as an error, not as signed out', async () => {
		answer = () => jsonResponse({ title: 'Service Unavailable', status: 503 }, 503);
		await session.load(true);
		expect(session.status).toBe('error');
		expect(session.error).toBeTruthy();
	});

	it('signs out, also when the session had already ended', async () => {
		session.set(me);
		answer = () => new Response(null, { status: 204 });
		await session.signOut();
		expect(session.status).toBe('signed_out');

		session.set(me);
		answer = () => jsonResponse({ title: 'Unauthorized', status: 401 }, 401);
		await session.signOut(true);
		expect(session.status).toBe('signed_out');
		expect(session.user).toBeNull();
	});

	it('keeps the session when signing out fails', async () => {
		session.set(me);
		answer = () => jsonResponse({ title: 'Internal Server Error', status: 500 }, 500);
		await expect(session.signOut()).rejects.toThrow();
		expect(session.status).toBe('signed_in');
	});
});
