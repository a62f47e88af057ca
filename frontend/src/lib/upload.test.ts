import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, onUnauthorized, setCsrfToken, upload } from './api';

/** A stand-in for XMLHttpRequest that the test drives by hand. */
class FakeXhr {
	static last: FakeXhr;
	method = '';
	url = '';
	headers: Record<string, string> = {};
	body: unknown;
	withCredentials = false;
	status = 0;
	statusText = '';
	responseText = '';
	responseHeaders: Record<string, string> = {};
	upload: { onprogress?: (e: ProgressEvent) => void; onload?: () => void } = {};
	onload?: () => void;
	onerror?: () => void;
	onabort?: () => void;
	ontimeout?: () => void;
	constructor() {
		FakeXhr.last = this;
	}
	open(method: string, url: string) {
		this.method = method;
		this.url = url;
	}
	setRequestHeader(name: string, value: string) {
		this.headers[name] = value;
	}
	getResponseHeader(name: string): string | null {
		return this.responseHeaders[name.toLowerCase()] ?? null;
	}
	send(body: unknown) {
		this.body = body;
	}
	abort() {
		this.onabort?.();
	}
	/** Sends progress, then the answer. */
	respond(status: number, body: unknown, contentType = 'application/json', extra: Record<string, string> = {}) {
		this.upload.onprogress?.({ loaded: 50, total: 100, lengthComputable: true } as ProgressEvent);
		this.upload.onprogress?.({ loaded: 100, total: 100, lengthComputable: true } as ProgressEvent);
		this.upload.onload?.();
		this.status = status;
		this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
		this.responseHeaders = { 'content-type': contentType, ...extra };
		this.onload?.();
	}
}

beforeEach(() => {
	vi.stubGlobal('XMLHttpRequest', FakeXhr);
});

afterEach(() => {
	vi.unstubAllGlobals();
	setCsrfToken(null);
});

function form(): FormData {
	const f = new FormData();
	f.append('file', new File(['name\nAcme'], 'v.csv'));
	return f;
}

describe('upload', () => {
	it('POSTs the form with the CSRF token and reports progress, then the end of sending', async () => {
		setCsrfToken('tok');
		const progress: number[] = [];
		const sent = vi.fn();
		const done = upload<{ rows: number }>('/vendors/import', form(), {
			query: { dry_run: 'true' },
			onprogress: (loaded, total) => progress.push(loaded / total),
			onsent: sent
		});
		const xhr = FakeXhr.last;
		expect(xhr.method).toBe('POST');
		expect(xhr.url).toBe('/api/v1/vendors/import?dry_run=true');
		expect(xhr.headers['X-CSRF-Token']).toBe('tok');
		expect(xhr.headers['Content-Type']).toBeUndefined(); // the browser sets the multipart boundary
		expect(xhr.body).toBeInstanceOf(FormData);
		xhr.respond(200, { rows: 3 });
		await expect(done).resolves.toEqual({ rows: 3 });
		expect(progress).toEqual([0.5, 1]);
		expect(sent).toHaveBeenCalledOnce();
	});

	it('turns problem answers into ApiErrors with their extension members', async () => {
		const done = upload('/vendors/import', form());
		FakeXhr.last.respond(
			422,
			{ type: 'urn:rampart:problem:validation', title: 'Unprocessable Entity', status: 422, detail: '1 row has errors', import: { rows: 1 } },
			'application/problem+json'
		);
		const err = await done.catch((e: unknown) => e);
		expect(err).toBeInstanceOf(ApiError);
		expect((err as ApiError).status).toBe(422);
		expect((err as ApiError).extension('import')).toEqual({ rows: 1 });
	});

	it('calls the 401 hooks and reads Retry-After', async () => {
		const hook = vi.fn();
		const off = onUnauthorized(hook);
		const done = upload('/vendors/import', form());
		FakeXhr.last.respond(401, { type: 'about:blank', title: 'Unauthorized', status: 401 }, 'application/problem+json', {
			'retry-after': '7'
		});
		const err = (await done.catch((e: unknown) => e)) as ApiError;
		expect(err.status).toBe(401);
		expect(err.retryAfter).toBe(7);
		expect(hook).toHaveBeenCalledOnce();
		off();
	});

	it('reports a network failure and an abort like fetch does', async () => {
		const failed = upload('/vendors/import', form());
		FakeXhr.last.onerror?.();
		const err = (await failed.catch((e: unknown) => e)) as ApiError;
		expect(err.isNetworkError).toBe(true);

		const ctrl = new AbortController();
		const aborted = upload('/vendors/import', form(), { signal: ctrl.signal });
		ctrl.abort();
		await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });

		await expect(upload('/x', form(), { signal: ctrl.signal })).rejects.toMatchObject({ name: 'AbortError' });
	});
});
