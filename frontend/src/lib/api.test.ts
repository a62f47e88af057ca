import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	ApiError,
	apiUrl,
	del,
	get,
	getMeta,
	onUnauthorized,
	parseRetryAfter,
	patch,
	post,
	setCsrfToken
} from './api';
import { jsonResponse } from '$lib/testing/responses';

interface Call {
	url: string;
	init: RequestInit;
}

let calls: Call[];
let nextResponse: () => Response | Promise<Response>;

function problem(body: unknown, status: number): Response {
	return jsonResponse(body, status, 'application/problem+json');
}

function header(call: Call | undefined, name: string): string | undefined {
	const headers = (call?.init.headers ?? {}) as Record<string, string>;
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
	return key === undefined ? undefined : headers[key];
}

beforeEach(() => {
	calls = [];
	nextResponse = () => jsonResponse({});
	vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
		calls.push({ url, init });
		return nextResponse();
	});
});

afterEach(() => {
	vi.unstubAllGlobals();
	setCsrfToken(null);
});

describe('requests', () => {
	it('prefixes /api/v1 and encodes the query, leaving out empty values', () => {
		expect(apiUrl('/vendors', { q: 'acme & co', limit: 50, cursor: null, status: undefined })).toBe(
			'/api/v1/vendors?q=acme+%26+co&limit=50'
		);
		expect(apiUrl('meta')).toBe('/api/v1/meta');
	});

	it('GETs JSON with same-origin credentials', async () => {
		nextResponse = () => jsonResponse({ name: 'Rampart', version: '0.1.0', demo: true });
		const meta = await getMeta();
		expect(meta).toEqual({ name: 'Rampart', version: '0.1.0', demo: true });
		expect(calls).toHaveLength(1);
		expect(calls[0]!.url).toBe('/api/v1/meta');
		expect(calls[0]!.init.method).toBe('GET');
		expect(calls[0]!.init.credentials).toBe('same-origin');
		expect(header(calls[0], 'Accept')).toBe('application/json');
		expect(calls[0]!.init.body).toBeUndefined();
		expect(header(calls[0], 'Content-Type')).toBeUndefined();
	});

	it('sends JSON bodies on POST and PATCH', async () => {
		await post('/vendors', { name: 'Acme' });
		await patch('/vendors/1', { name: 'Acme Inc', version: 3 });
		expect(calls.map((c) => c.init.method)).toEqual(['POST', 'PATCH']);
		expect(calls[0]!.init.body).toBe('{"name":"Acme"}');
		expect(calls[1]!.init.body).toBe('{"name":"Acme Inc","version":3}');
		expect(header(calls[0], 'Content-Type')).toBe('application/json');
	});

	it('returns undefined for 204 No Content', async () => {
		nextResponse = () => new Response(null, { status: 204 });
		await expect(del('/vendors/1')).resolves.toBeUndefined();
	});

	it('uses the fetch passed in options', async () => {
		const own = vi.fn(async () => jsonResponse({ ok: true }));
		await get('/meta', { fetch: own as unknown as typeof fetch });
		expect(own).toHaveBeenCalledOnce();
		expect(calls).toHaveLength(0);
	});
});

describe('CSRF token', () => {
	it('is not sent before one is set', async () => {
		await post('/vendors', {});
		expect(header(calls[0], 'X-CSRF-Token')).toBeUndefined();
	});

	it('is sent on unsafe methods only', async () => {
		setCsrfToken('tok-123');
		await get('/vendors');
		await post('/vendors', { name: 'Acme' });
		await patch('/vendors/1', { name: 'B' });
		await del('/vendors/1');
		expect(calls.map((c) => [c.init.method, header(c, 'X-CSRF-Token')])).toEqual([
			['GET', undefined],
			['POST', 'tok-123'],
			['PATCH', 'tok-123'],
			['DELETE', 'tok-123']
		]);
	});

	it('stops being sent once cleared', async () => {
		setCsrfToken('tok-123');
		setCsrfToken(null);
		await post('/auth/logout');
		expect(header(calls[0], 'X-CSRF-Token')).toBeUndefined();
	});
});

describe('problem+json errors', () => {
	it('throws an ApiError carrying the problem and a field -> message map', async () => {
		nextResponse = () =>
			problem(
				{
					type: 'https://rampart.dev/problems/validation',
					title: 'Validation failed',
					status: 422,
					detail: '2 fields are invalid',
					request_id: 'req-42',
					errors: [
						{ field: 'website', message: 'must be a valid URL' },
						{ field: 'name', message: 'is required' },
						{ field: 'name', message: 'second message is ignored' }
					]
				},
				422
			);
		const err = await post('/vendors', {}).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(ApiError);
		const e = err as ApiError;
		expect(e.status).toBe(422);
		expect(e.title).toBe('Validation failed');
		expect(e.detail).toBe('2 fields are invalid');
		expect(e.requestId).toBe('req-42');
		expect(e.type).toBe('https://rampart.dev/problems/validation');
		expect(e.fieldErrors).toEqual({ website: 'must be a valid URL', name: 'is required' });
		expect(e.fieldError('website')).toBe('must be a valid URL');
		expect(e.isValidation).toBe(true);
		expect(e.message).toBe('Validation failed: 2 fields are invalid');
	});

	it('copes with a problem without detail or errors', async () => {
		nextResponse = () => problem({ type: 'about:blank', title: 'Not Found', status: 404 }, 404);
		const e = (await get('/vendors/9').catch((x: unknown) => x)) as ApiError;
		expect(e.status).toBe(404);
		expect(e.detail).toBe('');
		expect(e.fieldErrors).toEqual({});
		expect(e.isValidation).toBe(false);
	});

	it('falls back to the HTTP status for a non-JSON error body', async () => {
		nextResponse = () =>
			new Response('<html>bad gateway</html>', {
				status: 502,
				statusText: 'Bad Gateway',
				headers: { 'Content-Type': 'text/html' }
			});
		const e = (await get('/meta').catch((x: unknown) => x)) as ApiError;
		expect(e).toBeInstanceOf(ApiError);
		expect(e.status).toBe(502);
		expect(e.title).toBe('Bad Gateway');
	});

	it('ignores malformed field errors', async () => {
		nextResponse = () =>
			problem(
				{ title: 'Invalid', status: 422, errors: [{ field: 'a' }, 'x', { field: 'b', message: 'bad' }] },
				422
			);
		const e = (await post('/x', {}).catch((x: unknown) => x)) as ApiError;
		expect(e.fieldErrors).toEqual({ b: 'bad' });
		expect(e.type).toBe('about:blank');
	});

	it('reports a network failure as status 0', async () => {
		nextResponse = () => {
			throw new TypeError('Failed to fetch');
		};
		const e = (await get('/meta').catch((x: unknown) => x)) as ApiError;
		expect(e).toBeInstanceOf(ApiError);
		expect(e.isNetworkError).toBe(true);
		expect(e.title).toBe('Network error');
	});

	it('rethrows aborts untouched', async () => {
		nextResponse = () => {
			throw new DOMException('The operation was aborted.', 'AbortError');
		};
		const e = await get('/meta').catch((x: unknown) => x);
		expect(e).toBeInstanceOf(DOMException);
		expect((e as DOMException).name).toBe('AbortError');
	});
});

describe('401 hook', () => {
	it('is called on 401 and the error is still thrown', async () => {
		const hook = vi.fn();
		const off = onUnauthorized(hook);
		nextResponse = () => problem({ type: 'about:blank', title: 'Unauthorized', status: 401 }, 401);
		const e = await get('/auth/me').catch((x: unknown) => x);
		expect(e).toBeInstanceOf(ApiError);
		expect(hook).toHaveBeenCalledOnce();
		expect((hook.mock.calls[0]![0] as ApiError).status).toBe(401);
		off();
	});

	it('is not called for other errors', async () => {
		const hook = vi.fn();
		const off = onUnauthorized(hook);
		nextResponse = () => problem({ title: 'Forbidden', status: 403 }, 403);
		await get('/users').catch(() => undefined);
		expect(hook).not.toHaveBeenCalled();
		off();
	});

	it('stops being called once removed', async () => {
		const hook = vi.fn();
		onUnauthorized(hook)();
		nextResponse = () => problem({ title: 'Unauthorized', status: 401 }, 401);
		await get('/auth/me').catch(() => undefined);
		expect(hook).not.toHaveBeenCalled();
	});
});

describe('problem extensions and Retry-After', () => {
	it('keeps members beyond the standard ones', async () => {
		const current = { id: 'u1', name: 'Ada', version: 4 };
		nextResponse = () =>
			problem({ type: 'about:blank', title: 'Conflict', status: 409, detail: 'stale', current }, 409);
		const e = (await patch('/users/u1', { version: 3 }).catch((x: unknown) => x)) as ApiError;
		expect(e.status).toBe(409);
		expect(e.extension('current')).toEqual(current);
		expect(e.extensions).not.toHaveProperty('title');
		expect(e.retryAfter).toBeNull();
	});

	it('reads Retry-After seconds on a 429', async () => {
		nextResponse = () =>
			new Response(JSON.stringify({ title: 'Too Many Requests', status: 429 }), {
				status: 429,
				headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '540' }
			});
		const e = (await post('/auth/login', {}).catch((x: unknown) => x)) as ApiError;
		expect(e.status).toBe(429);
		expect(e.retryAfter).toBe(540);
	});

	it('parses both forms of Retry-After', () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter('120', now)).toBe(120);
		expect(parseRetryAfter(' 0 ', now)).toBe(0);
		expect(parseRetryAfter('Thu, 01 Jan 2026 00:02:00 GMT', now)).toBe(120);
		expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
		expect(parseRetryAfter('soon', now)).toBeNull();
		expect(parseRetryAfter(null, now)).toBeNull();
	});
});
