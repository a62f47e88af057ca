// The signed-in user, shared by the shell and every page. `GET /auth/me` decides on load;
// sign-in, profile and password changes replace it; a 401 anywhere ends it.
import { ApiError, onUnauthorized, setCsrfToken } from './api';
import { getMe, logout, logoutEverywhere, type Me } from './identity';

/**
 * - `unknown`: not asked yet, or asking
 * - `signed_in`: `me` is set
 * - `expired`: the server answered 401 (never signed in, or the session ended): go to sign-in
 * - `signed_out`: the user signed out on purpose
 * - `error`: the server could not be asked (network, 5xx); `error` says why
 */
export type SessionStatus = 'unknown' | 'signed_in' | 'expired' | 'signed_out' | 'error';

class SessionState {
	me = $state<Me | null>(null);
	status = $state<SessionStatus>('unknown');
	error = $state<unknown>(null);
	#permissions = $derived(new Set(this.me?.permissions ?? []));
	#pending: Promise<void> | null = null;

	constructor() {
		// Any 401 means the session is gone (expired, revoked elsewhere, signed out in another tab).
		onUnauthorized(() => {
			if (this.status !== 'signed_out') this.#end('expired');
		});
	}

	get user() {
		return this.me?.user ?? null;
	}

	get permissions(): ReadonlySet<string> {
		return this.#permissions;
	}

	can(permission: string): boolean {
		return this.#permissions.has(permission);
	}

	/** Asks the server who is signed in, once (or again with `force`). */
	load(force = false): Promise<void> {
		if (this.#pending) return this.#pending;
		if (this.status === 'signed_in' && !force) return Promise.resolve();
		this.error = null;
		this.#pending = getMe()
			.then((me) => this.set(me))
			.catch((err: unknown) => {
				if (err instanceof ApiError && err.status === 401) {
					this.#end('expired');
				} else {
					this.error = err;
					this.status = 'error';
				}
			})
			.finally(() => {
				this.#pending = null;
			});
		return this.#pending;
	}

	/** Takes a fresh `Me` (sign-in, profile update, password change: each may rotate the token). */
	set(me: Me): void {
		this.me = me;
		setCsrfToken(me.csrf_token);
		this.status = 'signed_in';
		this.error = null;
	}

	/** Ends this session on the server, then here. */
	async signOut(everywhere = false, revokeTokens = false): Promise<void> {
		try {
			await (everywhere ? logoutEverywhere(revokeTokens) : logout());
		} catch (err) {
			// Already gone on the server: the outcome the user asked for.
			if (!(err instanceof ApiError && err.status === 401)) throw err;
		}
		this.#end('signed_out');
	}

	#end(status: 'expired' | 'signed_out'): void {
		this.me = null;
		setCsrfToken(null);
		this.status = status;
	}
}

export const session = new SessionState();
