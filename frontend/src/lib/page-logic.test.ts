import { describe, expect, it } from 'vitest';
import { actionLabel, objectName, objectTypeLabel, outcomeBadge, prettyJson } from './audit';
import { endOfLocalDay, startOfLocalDay, todayInput } from './format';
import { capitalise, emailProblem, generatePassword, passwordProblem, splitSubmitError } from './forms';
import { ApiError } from './api';
import { CursorPager, PagedList } from './pager.svelte';
import { formatSort, parseSort, pick, withQuery } from './query';

describe('sort in the URL', () => {
	const allowed = ['name', 'email', 'created_at'];
	const fallback = { key: 'name', direction: 'asc' } as const;

	it('reads ascending and descending keys', () => {
		expect(parseSort('email', allowed, fallback)).toEqual({ key: 'email', direction: 'asc' });
		expect(parseSort('-created_at', allowed, fallback)).toEqual({ key: 'created_at', direction: 'desc' });
	});

	it('falls back on missing or unknown keys', () => {
		expect(parseSort(null, allowed, fallback)).toEqual(fallback);
		expect(parseSort('-password', allowed, fallback)).toEqual(fallback);
	});

	it('round-trips', () => {
		expect(formatSort({ key: 'name', direction: 'desc' })).toBe('-name');
		expect(formatSort({ key: 'name', direction: 'asc' })).toBe('name');
	});
});

describe('withQuery', () => {
	it('sets, replaces and removes parameters, keeping the rest', () => {
		const url = new URL('http://x/settings/users?role=admin&q=ada#list');
		expect(withQuery(url, { q: 'grace', active: 'true' })).toBe(
			'/settings/users?active=true&q=grace&role=admin#list'
		);
		expect(withQuery(url, { role: null, q: '' })).toBe('/settings/users#list');
	});
});

describe('pick', () => {
	it('accepts only allowed values', () => {
		expect(pick('admin', ['admin', 'legal'])).toBe('admin');
		expect(pick('root', ['admin'])).toBe('');
		expect(pick(null, ['admin'])).toBe('');
	});
});

describe('CursorPager', () => {
	it('steps forward and back through cursors', () => {
		const p = new CursorPager();
		expect([p.cursor, p.index, p.hasPrevious]).toEqual([null, 0, false]);
		p.next('c2');
		p.next('c3');
		expect([p.cursor, p.index, p.hasPrevious]).toEqual(['c3', 2, true]);
		p.previous();
		expect([p.cursor, p.index]).toEqual(['c2', 1]);
		p.previous();
		expect([p.cursor, p.index, p.hasPrevious]).toEqual([null, 0, false]);
		p.next('c2');
		p.reset();
		expect([p.cursor, p.index]).toEqual([null, 0]);
	});
});

describe('PagedList', () => {
	const page = (id: string, next: string | null = null) => ({ items: [id], total: 9, next_cursor: next });

	it('starts a new query at the first page, and a newer load wins over one in flight', async () => {
		const calls: { cursor: string | null; signal: AbortSignal; resolve: (v: ReturnType<typeof page>) => void }[] = [];
		const list = new PagedList<string>(
			(cursor, signal) => new Promise((resolve) => calls.push({ cursor, signal, resolve }))
		);
		list.follow({ q: 'a' });
		list.pager.next('c2');
		list.follow({ q: 'a' });
		expect(calls.map((c) => c.cursor)).toEqual([null, 'c2']);
		expect(calls[0]?.signal.aborted).toBe(true);
		calls[1]?.resolve(page('second'));
		await Promise.resolve();
		await Promise.resolve();
		expect([list.result?.items, list.loading]).toEqual([['second'], false]);

		list.follow({ q: 'b' });
		expect([list.pager.cursor, calls.length]).toEqual([null, 2]);
		list.follow({ q: 'b' });
		expect(calls.map((c) => c.cursor)).toEqual([null, 'c2', null]);
	});

	it('keeps the error for a retry, which loads the same page again', async () => {
		let fail = true;
		const list = new PagedList<string>(async (cursor) => {
			if (fail) throw new Error('down');
			return page(String(cursor));
		});
		list.pager.next('c5');
		await list.load();
		expect([list.error, list.result, list.loading]).toEqual([new Error('down'), null, false]);
		fail = false;
		await list.load();
		expect([list.error, list.result?.items]).toEqual([null, ['c5']]);
	});
});

describe('local day ranges', () => {
	it('turns date inputs into instants at local midnight; the end is exclusive', () => {
		expect(startOfLocalDay('2026-03-05')).toBe(new Date(2026, 2, 5).toISOString());
		expect(endOfLocalDay('2026-03-05')).toBe(new Date(2026, 2, 6).toISOString());
		expect(endOfLocalDay('2026-12-31')).toBe(new Date(2027, 0, 1).toISOString());
		expect(startOfLocalDay('05/03/2026')).toBeUndefined();
		expect(startOfLocalDay('')).toBeUndefined();
	});

	it('formats today for a date input', () => {
		expect(todayInput(new Date(2026, 0, 9))).toBe('2026-01-09');
	});
});

describe('form helpers', () => {
	it('checks passwords the way the server does', () => {
		expect(passwordProblem('')).toBe('Enter a new password.');
		expect(passwordProblem('short')).toBe('Use at least 12 characters.');
		expect(passwordProblem('a'.repeat(129))).toBe('Use at most 128 characters.');
		expect(passwordProblem('correct horse battery')).toBeNull();
		// Characters, not UTF-16 units: 12 emoji are 12 characters.
		expect(passwordProblem('🔒'.repeat(12))).toBeNull();
		expect(passwordProblem('🔒'.repeat(11))).toBe('Use at least 12 characters.');
	});

	it('generates passwords the policy accepts', () => {
		const seen = new Set<string>();
		for (let i = 0; i < 50; i++) {
			const p = generatePassword();
			expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
			expect(passwordProblem(p)).toBeNull();
			seen.add(p);
		}
		expect(seen.size).toBe(50);
	});

	it('checks email addresses loosely', () => {
		expect(emailProblem('')).toBe('Enter an email address.');
		expect(emailProblem('ada')).toMatch(/like name@example.com/);
		expect(emailProblem(' ada@example.com ')).toBeNull();
	});

	it('puts field errors by their fields and the rest in the banner', () => {
		const validation = new ApiError({
			type: 'about:blank',
			title: 'Validation failed',
			status: 422,
			errors: [
				{ field: 'email', message: 'is already taken' },
				{ field: 'role', message: 'must be one of admin, legal' }
			]
		});
		expect(splitSubmitError(validation, ['email', 'role'])).toEqual({
			fields: { email: 'Is already taken', role: 'Must be one of admin, legal' },
			banner: null
		});
		const partial = splitSubmitError(validation, ['email']);
		expect(partial.fields).toEqual({ email: 'Is already taken' });
		expect(partial.banner).toBe(validation);

		const conflict = new ApiError({ type: 'about:blank', title: 'Conflict', status: 409 });
		expect(splitSubmitError(conflict, ['email'])).toEqual({ fields: {}, banner: conflict });
		expect(capitalise('is required')).toBe('Is required');
	});
});

describe('audit labels', () => {
	it('names actions, objects and outcomes', () => {
		expect(actionLabel({ action: 'auth.sign_in', action_label: 'Signed in' })).toBe('Signed in');
		expect(actionLabel({ action: 'contract.sign', action_label: '' })).toBe('contract.sign');
		expect(objectName({ object_id: '0193-abcdef12345678', object_label: 'Acme' })).toBe('Acme');
		expect(objectName({ object_id: '0193-abcdef12345678', object_label: '' })).toBe('…12345678');
		expect(objectTypeLabel('api_token')).toBe('API token');
		expect(objectTypeLabel('questionnaire_template')).toBe('questionnaire template');
		expect(objectTypeLabel('')).toBe('');
		expect(outcomeBadge('success')).toEqual({ label: 'Success', tone: 'success' });
		expect(outcomeBadge('denied').tone).toBe('warning');
		expect(outcomeBadge('failure').tone).toBe('danger');
		expect(outcomeBadge('weird')).toEqual({ label: 'weird', tone: 'neutral' });
		expect(prettyJson(null)).toBe('—');
		expect(prettyJson({ a: 1 })).toBe('{\n  "a": 1\n}');
	});
});
