// The one client the app uses to talk to the Rampart API.
//
// Paths are relative to /api/v1 (`get('/meta')` requests `/api/v1/meta`). Bodies are JSON;
// errors arrive as RFC 9457 problem documents and are thrown as `ApiError`. Requests carry
// the session cookie (same origin) and, on unsafe methods, the CSRF token handed out at
// sign-in (`setCsrfToken`). A 401 calls the hooks registered with `onUnauthorized`.

export const API_BASE = '/api/v1';

export interface FieldError {
	field: string;
	message: string;
}

/** An RFC 9457 problem document as the Rampart API writes it. */
export interface Problem {
	type: string;
	title: string;
	status: number;
	detail?: string;
	request_id?: string;
	errors?: FieldError[];
}

/** What a problem carries besides the standard members. */
export interface ProblemExtras {
	/** Members beyond the standard ones, e.g. `current` (the stored record) on a 409. */
	extensions?: Record<string, unknown>;
	/** Seconds from the `Retry-After` header (429, 503), if the server sent one. */
	retryAfter?: number | null;
}

const STANDARD_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'request_id', 'errors']);

/** A failed API call: the server's problem document, or a stand-in for network failures. */
export class ApiError extends Error {
	readonly status: number;
	readonly type: string;
	readonly title: string;
	readonly detail: string;
	readonly requestId: string | undefined;
	/** Validation messages by field name (first message wins when a field repeats). */
	readonly fieldErrors: Readonly<Record<string, string>>;
	readonly problem: Problem;
	readonly extensions: Readonly<Record<string, unknown>>;
	/** Seconds to wait before retrying, from `Retry-After`; null when absent. */
	readonly retryAfter: number | null;

	constructor(problem: Problem, extras: ProblemExtras = {}) {
		super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
		this.name = 'ApiError';
		this.problem = problem;
		this.status = problem.status;
		this.type = problem.type;
		this.title = problem.title;
		this.detail = problem.detail ?? '';
		this.requestId = problem.request_id;
		const fields: Record<string, string> = {};
		for (const e of problem.errors ?? []) {
			if (!(e.field in fields)) fields[e.field] = e.message;
		}
		this.fieldErrors = fields;
		this.extensions = extras.extensions ?? {};
		this.retryAfter = extras.retryAfter ?? null;
	}

	/** An extension member of the problem, e.g. `extension('current')` on a 409. */
	extension(name: string): unknown {
		return this.extensions[name];
	}

	/** Message for `field`, if the server rejected it. */
	fieldError(field: string): string | undefined {
		return this.fieldErrors[field];
	}

	get isValidation(): boolean {
		return this.problem.errors !== undefined && this.problem.errors.length > 0;
	}

	/** True when the request never got an HTTP answer. */
	get isNetworkError(): boolean {
		return this.status === 0;
	}
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
	/** Query parameters; null and undefined values are left out. */
	query?: Record<string, QueryValue>;
	headers?: Record<string, string>;
	signal?: AbortSignal;
	/** The fetch to use (SvelteKit's `load` fetch); defaults to the global one. */
	fetch?: typeof fetch;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type UnauthorizedHook = (error: ApiError) => void;

const SAFE_METHODS: ReadonlySet<Method> = new Set(['GET']);

let csrfToken: string | null = null;
const unauthorizedHooks = new Set<UnauthorizedHook>();

/** Sets the token sent as `X-CSRF-Token` on unsafe methods; `null` stops sending it. */
export function setCsrfToken(token: string | null): void {
	csrfToken = token || null;
}

/** Registers a hook called on every 401 answer; returns a function that removes it. */
export function onUnauthorized(hook: UnauthorizedHook): () => void {
	unauthorizedHooks.add(hook);
	return () => unauthorizedHooks.delete(hook);
}

/** Builds `/api/v1{path}?{query}`. */
export function apiUrl(path: string, query?: Record<string, QueryValue>): string {
	const clean = path.startsWith('/') ? path : `/${path}`;
	let url = `${API_BASE}${clean}`;
	if (query) {
		const params = new URLSearchParams();
		for (const [key, value] of Object.entries(query)) {
			if (value !== null && value !== undefined) params.append(key, String(value));
		}
		const qs = params.toString();
		if (qs) url += (url.includes('?') ? '&' : '?') + qs;
	}
	return url;
}

function isJson(contentType: string | null): boolean {
	if (!contentType) return false;
	const mime = contentType.split(';')[0]!.trim().toLowerCase();
	return mime === 'application/json' || mime.endsWith('+json');
}

function isProblem(value: unknown): value is Partial<Problem> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `Retry-After` as seconds: either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
	if (value === null) return null;
	const trimmed = value.trim();
	if (/^\d+$/.test(trimmed)) return Number(trimmed);
	const at = Date.parse(trimmed);
	if (Number.isNaN(at)) return null;
	return Math.max(0, Math.ceil((at - now) / 1000));
}

async function readProblem(response: Response): Promise<[Problem, Record<string, unknown>]> {
	const fallback: Problem = {
		type: 'about:blank',
		title: response.statusText || `Request failed with status ${response.status}`,
		status: response.status
	};
	if (!isJson(response.headers.get('content-type'))) return [fallback, {}];

	let body: unknown;
	try {
		body = await response.json();
	} catch {
		return [fallback, {}];
	}
	if (!isProblem(body)) return [fallback, {}];

	const errors = Array.isArray(body.errors)
		? body.errors
				.filter((e): e is FieldError => typeof e?.field === 'string' && typeof e?.message === 'string')
				.map(({ field, message }) => ({ field, message }))
		: undefined;

	const extensions: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(body)) {
		if (!STANDARD_MEMBERS.has(key)) extensions[key] = value;
	}

	const problem: Problem = {
		type: typeof body.type === 'string' ? body.type : fallback.type,
		title: typeof body.title === 'string' && body.title ? body.title : fallback.title,
		status: typeof body.status === 'number' ? body.status : response.status,
		detail: typeof body.detail === 'string' ? body.detail : undefined,
		request_id: typeof body.request_id === 'string' ? body.request_id : undefined,
		errors
	};
	return [problem, extensions];
}

async function request<T>(
	method: Method,
	path: string,
	body: unknown,
	options: RequestOptions = {}
): Promise<T> {
	const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
	if (body !== undefined) headers['Content-Type'] = 'application/json';
	if (!SAFE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

	const doFetch = options.fetch ?? globalThis.fetch;
	let response: Response;
	try {
		response = await doFetch(apiUrl(path, options.query), {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
			credentials: 'same-origin',
			signal: options.signal
		});
	} catch (err) {
		// An abort is the caller's decision, not a failure to report.
		if (err instanceof DOMException && err.name === 'AbortError') throw err;
		throw networkError();
	}

	return readBody<T>(response);
}

/** The body of an answer: JSON on success, an `ApiError` (after the 401 hooks) otherwise. */
async function readBody<T>(response: Response): Promise<T> {
	if (!response.ok) {
		const [problem, extensions] = await readProblem(response);
		const error = new ApiError(problem, {
			extensions,
			retryAfter: parseRetryAfter(response.headers.get('retry-after'))
		});
		if (response.status === 401) {
			for (const hook of unauthorizedHooks) hook(error);
		}
		throw error;
	}

	if (response.status === 204 || !isJson(response.headers.get('content-type'))) {
		return undefined as T;
	}
	const text = await response.text();
	return (text ? JSON.parse(text) : undefined) as T;
}

function networkError(): ApiError {
	return new ApiError({
		type: 'about:blank',
		title: 'Network error',
		status: 0,
		detail: 'Could not reach the Rampart server. Check your connection and try again.'
	});
}

export interface UploadOptions {
	query?: Record<string, QueryValue>;
	/** Bytes of the request body sent so far, and the total (0 when unknown). */
	onprogress?: (loaded: number, total: number) => void;
	/** The whole body has been sent: from now on the server is working on it. */
	onsent?: () => void;
	signal?: AbortSignal;
}

/**
 * POSTs `form` as multipart/form-data with upload progress (fetch cannot report it), with the
 * same CSRF header, problem+json errors and 401 hooks as every other call.
 */
export function upload<T>(path: string, form: FormData, options: UploadOptions = {}): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		if (options.signal?.aborted) {
			reject(new DOMException('The upload was aborted.', 'AbortError'));
			return;
		}
		const xhr = new XMLHttpRequest();
		xhr.open('POST', apiUrl(path, options.query));
		xhr.withCredentials = true;
		xhr.setRequestHeader('Accept', 'application/json');
		if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
		xhr.upload.onprogress = (e) => options.onprogress?.(e.loaded, e.lengthComputable ? e.total : 0);
		xhr.upload.onload = () => options.onsent?.();

		const abort = () => xhr.abort();
		options.signal?.addEventListener('abort', abort, { once: true });
		const done = () => options.signal?.removeEventListener('abort', abort);

		xhr.onload = () => {
			done();
			// Hand the answer to the same reader fetch answers go through.
			const headers = new Headers();
			for (const name of ['content-type', 'retry-after']) {
				const value = xhr.getResponseHeader(name);
				if (value !== null) headers.set(name, value);
			}
			const status = xhr.status;
			const body = status === 204 || status === 205 || status === 304 ? null : xhr.responseText;
			let response: Response;
			try {
				response = new Response(body, { status, statusText: xhr.statusText, headers });
			} catch {
				reject(networkError());
				return;
			}
			readBody<T>(response).then(resolve, reject);
		};
		xhr.onerror = () => {
			done();
			reject(networkError());
		};
		xhr.ontimeout = xhr.onerror;
		xhr.onabort = () => {
			done();
			reject(new DOMException('The upload was aborted.', 'AbortError'));
		};
		xhr.send(form);
	});
}

export function get<T>(path: string, options?: RequestOptions): Promise<T> {
	return request<T>('GET', path, undefined, options);
}

export function post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
	return request<T>('POST', path, body, options);
}

export function put<T>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
	return request<T>('PUT', path, body, options);
}

export function patch<T>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
	return request<T>('PATCH', path, body, options);
}

/** DELETE; `body` carries what the server checks (a record's version). */
export function del<T = void>(path: string, options?: RequestOptions, body?: unknown): Promise<T> {
	return request<T>('DELETE', path, body, options);
}

/** A demo account listed by `/meta` in demo mode. */
export interface DemoAccount {
	email: string;
	name: string;
	role: string;
}

/** What `GET /api/v1/meta` answers. */
export interface Meta {
	name: string;
	version: string;
	demo: boolean;
	/** Demo mode only. */
	demo_accounts?: DemoAccount[];
	demo_password?: string;
	/** The sign-in page offers a reset link by email. */
	password_reset?: boolean;
	/** The server can use passkeys (its public address can be a WebAuthn relying party). */
	passkeys?: boolean;
}

/** One page of a list endpoint. */
export interface ListPage<T> {
	items: T[];
	next_cursor: string | null;
	total: number;
	/** More than total match: lists count up to 1,000, shown as "1,000+". */
	total_capped?: boolean;
}

export function getMeta(options?: RequestOptions): Promise<Meta> {
	return get<Meta>('/meta', options);
}
