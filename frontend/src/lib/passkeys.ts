// Passkeys (WebAuthn) in the browser: the server's options (JSON, binary fields in base64url)
// become what navigator.credentials expects (ArrayBuffers), and the credential it returns
// becomes JSON again. Written against the WebAuthn spec rather than a library: the browser's
// own API is small, and the conversions below are all a library would add.
import { del, get, patch, post } from './api';

/** base64url (RFC 4648 §5, no padding) to bytes. */
export function fromBase64url(s: string): ArrayBuffer {
	const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4);
	const bin = atob(b64);
	const out = new Uint8Array(bin.length);
	for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
	return out.buffer;
}

/** bytes to base64url without padding. */
export function toBase64url(buf: ArrayBuffer | ArrayBufferView): string {
	const bytes = buf instanceof ArrayBuffer ? new Uint8Array(buf) : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
	let bin = '';
	for (const b of bytes) bin += String.fromCharCode(b);
	return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A credential descriptor as the server sends it. */
interface DescriptorJSON {
	type: 'public-key';
	id: string;
	transports?: string[];
}

type Json = Record<string, unknown>;

function descriptors(list: unknown): PublicKeyCredentialDescriptor[] | undefined {
	if (!Array.isArray(list)) return undefined;
	return (list as DescriptorJSON[]).map((d) => ({
		type: d.type,
		id: fromBase64url(d.id),
		...(d.transports ? { transports: d.transports as AuthenticatorTransport[] } : {})
	}));
}

/** The server's registration options (options.publicKey) for navigator.credentials.create(). */
export function creationOptions(pk: Json): PublicKeyCredentialCreationOptions {
	const user = pk.user as Json;
	return {
		...(pk as unknown as PublicKeyCredentialCreationOptions),
		challenge: fromBase64url(pk.challenge as string),
		user: { ...(user as unknown as PublicKeyCredentialUserEntity), id: fromBase64url(user.id as string) },
		excludeCredentials: descriptors(pk.excludeCredentials)
	};
}

/** The server's assertion options (options.publicKey) for navigator.credentials.get(). */
export function requestOptions(pk: Json): PublicKeyCredentialRequestOptions {
	return {
		...(pk as unknown as PublicKeyCredentialRequestOptions),
		challenge: fromBase64url(pk.challenge as string),
		allowCredentials: descriptors(pk.allowCredentials)
	};
}

/** A PublicKeyCredential as JSON for the server (what PublicKeyCredential.toJSON() gives). */
export function credentialJSON(cred: PublicKeyCredential): Json {
	const r = cred.response;
	const response: Json = { clientDataJSON: toBase64url(r.clientDataJSON) };
	if ('attestationObject' in r) {
		const att = r as AuthenticatorAttestationResponse;
		response.attestationObject = toBase64url(att.attestationObject);
		response.transports = typeof att.getTransports === 'function' ? att.getTransports() : [];
	} else {
		const as = r as AuthenticatorAssertionResponse;
		response.authenticatorData = toBase64url(as.authenticatorData);
		response.signature = toBase64url(as.signature);
		if (as.userHandle) response.userHandle = toBase64url(as.userHandle);
	}
	return {
		id: cred.id,
		rawId: toBase64url(cred.rawId),
		type: cred.type,
		authenticatorAttachment: cred.authenticatorAttachment ?? undefined,
		clientExtensionResults: cred.getClientExtensionResults?.() ?? {},
		response
	};
}

/** Whether this browser can use passkeys at all. */
export function passkeysSupported(): boolean {
	return typeof window !== 'undefined' && typeof window.PublicKeyCredential === 'function' && !!navigator.credentials;
}

/** Whether the browser offers passkeys in the email field's autofill. */
export async function autofillSupported(): Promise<boolean> {
	if (!passkeysSupported()) return false;
	const pkc = window.PublicKeyCredential as typeof PublicKeyCredential & {
		isConditionalMediationAvailable?: () => Promise<boolean>;
	};
	try {
		return (await pkc.isConditionalMediationAvailable?.()) === true;
	} catch {
		return false;
	}
}

// --- the API ---

export interface Passkey {
	id: string;
	name: string;
	created_at: string;
	last_used_at: string | null;
	transports: string[];
	aaguid: string;
	synced: boolean;
	version: number;
}

interface Begun {
	ceremony_id: string;
	expires_at: string;
	options: { publicKey: Json; mediation?: string };
}

export function listPasskeys(): Promise<{ items: Passkey[] }> {
	return get<{ items: Passkey[] }>('/auth/passkeys');
}

export function renamePasskey(id: string, name: string, version: number): Promise<Passkey> {
	return patch<Passkey>(`/auth/passkeys/${encodeURIComponent(id)}`, { name, version });
}

export function deletePasskey(id: string): Promise<void> {
	return del(`/auth/passkeys/${encodeURIComponent(id)}`);
}

export function listUserPasskeys(userId: string): Promise<{ items: Passkey[] }> {
	return get<{ items: Passkey[] }>(`/users/${encodeURIComponent(userId)}/passkeys`);
}

export function deleteUserPasskey(userId: string, id: string): Promise<void> {
	return del(`/users/${encodeURIComponent(userId)}/passkeys/${encodeURIComponent(id)}`);
}

/** Thrown when the person closed the browser's passkey dialog or it timed out. */
export class PasskeyCancelled extends Error {
	constructor() {
		super('The passkey dialog was closed before a passkey was chosen.');
		this.name = 'PasskeyCancelled';
	}
}

function cancelled(err: unknown): boolean {
	return err instanceof DOMException && (err.name === 'NotAllowedError' || err.name === 'AbortError');
}

/** Creates a passkey on this device (or a phone, or a security key) and registers it. */
export async function registerPasskey(name: string): Promise<Passkey> {
	const begun = await post<Begun>('/auth/passkeys/register/begin');
	let cred: Credential | null;
	try {
		cred = await navigator.credentials.create({ publicKey: creationOptions(begun.options.publicKey) });
	} catch (err) {
		if (cancelled(err)) throw new PasskeyCancelled();
		throw err;
	}
	if (!cred) throw new PasskeyCancelled();
	return post<Passkey>('/auth/passkeys/register/finish', {
		ceremony_id: begun.ceremony_id,
		name,
		credential: credentialJSON(cred as PublicKeyCredential)
	});
}

async function assert(begin: string, finish: string, signal?: AbortSignal, conditional = false): Promise<unknown> {
	const begun = await post<Begun>(begin);
	let cred: Credential | null;
	try {
		cred = await navigator.credentials.get({
			publicKey: requestOptions(begun.options.publicKey),
			...(conditional ? { mediation: 'conditional' as CredentialMediationRequirement } : {}),
			...(signal ? { signal } : {})
		});
	} catch (err) {
		if (cancelled(err)) throw new PasskeyCancelled();
		throw err;
	}
	if (!cred) throw new PasskeyCancelled();
	return post(finish, { ceremony_id: begun.ceremony_id, credential: credentialJSON(cred as PublicKeyCredential) });
}

/**
 * Signs in without a password. With `conditional`, the browser offers the passkeys in the
 * email field's autofill instead of a dialog, and waits (until `signal` aborts).
 */
export function signInWithPasskey<T>(opts: { signal?: AbortSignal; conditional?: boolean } = {}): Promise<T> {
	return assert('/auth/login/passkey/begin', '/auth/login/passkey/finish', opts.signal, opts.conditional) as Promise<T>;
}

/** The second step after the password, with a passkey. */
export function passkeyMfa<T>(): Promise<T> {
	return assert('/auth/login/mfa/passkey/begin', '/auth/login/mfa/passkey/finish') as Promise<T>;
}
