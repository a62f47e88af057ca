// Typed calls for accounts, sessions, users, API tokens and the audit trail. Pages call these,
// never raw paths, so the contract with the API lives in one place.
import { apiUrl, del, get, patch, post, put, type ListPage, type QueryValue, type RequestOptions } from './api';

export type Role = 'admin' | 'risk_manager' | 'legal' | 'requester' | 'auditor';

export interface User {
	id: string;
	email: string;
	name: string;
	role: Role;
	department: string;
	active: boolean;
	last_login_at: string | null;
	created_at: string;
	updated_at: string;
	version: number;
	/** Administrators only: failed sign-ins counted on the account now, from every address. */
	sign_in_failures?: number;
	mfa_enabled?: boolean;
	/** A temporary password waits to be replaced. */
	must_change_password?: boolean;
	/** The business units the person is scoped to; empty: unscoped. */
	business_unit_ids?: string[];
	/** One user's view: the identity provider that manages the account over SCIM. */
	provisioned_by?: string;
}

/** The signed-in user, the CSRF token for unsafe requests and what they may do. */
export interface Me {
	user: User;
	csrf_token: string;
	permissions: string[];
	/** on: email leaves; demo: held in the demo outbox; off: no email is written. */
	mail_mode?: 'off' | 'on' | 'demo';
	/** What this session must finish before anything else; every other route answers 403. */
	pending?: '' | 'password_change' | 'mfa_enrolment';
}

/** The password step's answer when the account uses MFA: no session yet. */
export interface MfaRequired {
	mfa_required: true;
	expires_at: string;
	/** The second factors the account has: an authenticator app's code, a passkey. */
	methods?: ('totp' | 'passkey')[];
}

// --- the caller's own session and account ---

/** Signs in; with MFA on, the answer is `mfa_required` and `loginMfa` finishes. */
export function login(email: string, password: string): Promise<Me | MfaRequired> {
	return post<Me | MfaRequired>('/auth/login', { email, password });
}

export function isMfaRequired(v: Me | MfaRequired): v is MfaRequired {
	return (v as MfaRequired).mfa_required === true;
}

/** The second step: an authenticator code or a recovery code. */
export function loginMfa(code: string): Promise<Me> {
	return post<Me>('/auth/login/mfa', { code });
}

export interface MfaStatus {
	/** An authenticator app (TOTP) is on. */
	enabled: boolean;
	/** How many passkeys the user has; each is a second factor too. */
	passkeys: number;
	/** The server can register passkeys. */
	passkeys_available: boolean;
	enabled_at: string | null;
	recovery_codes_left: number;
	required_by_policy: boolean;
}

export interface TotpSetup {
	secret: string;
	otpauth_url: string;
	/** data: URL of a PNG. */
	qr_code: string;
}

export function getMfa(): Promise<MfaStatus> {
	return get<MfaStatus>('/auth/mfa');
}

export function setupTotp(): Promise<TotpSetup> {
	return post<TotpSetup>('/auth/mfa/totp/setup');
}

export function confirmTotp(code: string): Promise<{ recovery_codes: string[] }> {
	return post<{ recovery_codes: string[] }>('/auth/mfa/totp/confirm', { code });
}

export function disableTotp(password: string): Promise<void> {
	return post<void>('/auth/mfa/totp/disable', { password });
}

export function regenerateRecoveryCodes(password: string): Promise<{ recovery_codes: string[] }> {
	return post<{ recovery_codes: string[] }>('/auth/mfa/recovery-codes', { password });
}

export interface SessionInfo {
	id: string;
	device: string;
	user_agent: string;
	client_ip: string;
	created_at: string;
	last_seen_at: string;
	expires_at: string;
	current: boolean;
}

export function listSessions(): Promise<{ items: SessionInfo[] }> {
	return get<{ items: SessionInfo[] }>('/auth/sessions');
}

export function revokeSession(id: string): Promise<void> {
	return del(`/auth/sessions/${encodeURIComponent(id)}`);
}

export function revokeOtherSessions(): Promise<void> {
	return post<void>('/auth/sessions/revoke-others');
}

export function requestPasswordReset(email: string): Promise<{ message: string }> {
	return post<{ message: string }>('/auth/password-reset', { email });
}

export function confirmPasswordReset(token: string, newPassword: string): Promise<void> {
	return post<void>('/auth/password-reset/confirm', { token, new_password: newPassword });
}

export interface SecurityPolicy {
	mfa_required_roles: Role[];
	sso_required: boolean;
	break_glass_user_id: string | null;
	version: number;
}

export function getSecurityPolicy(): Promise<SecurityPolicy> {
	return get<SecurityPolicy>('/settings/security');
}

export function saveSecurityPolicy(body: {
	mfa_required_roles: Role[];
	sso_required?: boolean;
	break_glass_user_id?: string;
	version: number;
}): Promise<SecurityPolicy> {
	return put<SecurityPolicy>('/settings/security', body);
}

export function resetUserMfa(id: string): Promise<User> {
	return post<User>(`/users/${encodeURIComponent(id)}/mfa/reset`);
}

export function resetUserPassword(
	id: string,
	body: { mode: 'link' | 'temporary'; temporary_password?: string }
): Promise<User> {
	return post<User>(`/users/${encodeURIComponent(id)}/password-reset`, body);
}

export function endUserSessions(id: string): Promise<void> {
	return post<void>(`/users/${encodeURIComponent(id)}/sessions/end`);
}

export function getMe(options?: RequestOptions): Promise<Me> {
	return get<Me>('/auth/me', options);
}

export function updateMe(body: { name: string; version: number }): Promise<Me> {
	return patch<Me>('/auth/me', body);
}

export function changePassword(body: {
	current_password: string;
	new_password: string;
	/** Also revoke every API token (the calendar feed is always revoked). */
	revoke_tokens?: boolean;
}): Promise<Me> {
	return post<Me>('/auth/password', body);
}

export function logout(): Promise<void> {
	return post<void>('/auth/logout');
}

/** Ends every session; with `revokeTokens` also every API token and the calendar feed URL. */
export function logoutEverywhere(revokeTokens = false): Promise<void> {
	return post<void>('/auth/logout-everywhere', { revoke_tokens: revokeTokens });
}

// --- users (admin) ---

export interface UserFilter {
	q?: string;
	role?: string;
	active?: string;
	sort?: string;
	limit?: number;
	cursor?: string;
}

export interface NewUser {
	email: string;
	name: string;
	role: Role;
	department: string;
	password: string;
}

export interface UserChanges {
	version: number;
	name?: string;
	role?: Role;
	department?: string;
	active?: boolean;
}

export function listUsers(filter: UserFilter, options?: RequestOptions): Promise<ListPage<User>> {
	return get<ListPage<User>>('/users', { ...options, query: compact(filter) });
}

export function createUser(body: NewUser): Promise<User> {
	return post<User>('/users', body);
}

export function getUser(id: string, options?: RequestOptions): Promise<User> {
	return get<User>(`/users/${encodeURIComponent(id)}`, options);
}

export function updateUser(id: string, body: UserChanges): Promise<User> {
	return patch<User>(`/users/${encodeURIComponent(id)}`, body);
}

/** Forgets the failed sign-ins counted against the user's account (administrators). */
export function unlockSignIn(id: string): Promise<User> {
	return post<User>(`/users/${encodeURIComponent(id)}/unlock-sign-in`);
}

// --- API tokens (the caller's own) ---

export interface ApiToken {
	id: string;
	name: string;
	prefix: string;
	read_only: boolean;
	expires_at: string | null;
	last_used_at: string | null;
	revoked_at: string | null;
	created_at: string;
}

/** A token as created: the only time the secret is returned. */
export interface NewApiToken extends ApiToken {
	token: string;
}

export function listApiTokens(options?: RequestOptions): Promise<ListPage<ApiToken>> {
	return get<ListPage<ApiToken>>('/api-tokens', options);
}

export function createApiToken(body: {
	name: string;
	read_only: boolean;
	expires_at: string | null;
}): Promise<NewApiToken> {
	return post<NewApiToken>('/api-tokens', body);
}

export function revokeApiToken(id: string): Promise<void> {
	return del(`/api-tokens/${encodeURIComponent(id)}`);
}

// --- audit trail ---

export type Outcome = 'success' | 'denied' | 'failure';

export interface AuditEvent {
	id: string;
	seq: number;
	occurred_at: string;
	actor_type: string;
	actor_id: string;
	actor_label: string;
	action: string;
	/** How the action reads to people (from the server's list of actions). */
	action_label: string;
	object_type: string;
	object_id: string;
	/** The object's name; empty when it is gone or has none. */
	object_label: string;
	outcome: Outcome;
	before: Record<string, unknown> | null;
	after: Record<string, unknown> | null;
	detail: string;
	request_id: string;
	client_ip: string;
}

export interface AuditFilter {
	actor_id?: string;
	action?: string;
	/** Every action of one family (see listAuditActions). */
	family?: string;
	object_type?: string;
	object_id?: string;
	/** RFC 3339 instants. */
	from?: string;
	to?: string;
	limit?: number;
	cursor?: string;
}

export interface ChainVerification {
	ok: boolean;
	checked: number;
	broken_seq?: number;
	reason?: string;
}

export function listAuditEvents(
	filter: AuditFilter,
	options?: RequestOptions
): Promise<ListPage<AuditEvent>> {
	return get<ListPage<AuditEvent>>('/audit-events', { ...options, query: compact(filter) });
}

export interface AuditFamily {
	value: string;
	label: string;
	actions: { value: string; label: string }[];
}

/** Every event family and action the server records, with labels: what the filters offer. */
export function listAuditActions(options?: RequestOptions): Promise<{ families: AuditFamily[] }> {
	return get<{ families: AuditFamily[] }>('/audit-events/actions', options);
}

export function verifyAuditChain(options?: RequestOptions): Promise<ChainVerification> {
	return get<ChainVerification>('/audit-events/verify', options);
}

/** Link that downloads the events matching `filter` as CSV (the browser sends the cookie). */
export function auditExportUrl(filter: AuditFilter): string {
	const { limit: _limit, cursor: _cursor, ...rest } = filter;
	return apiUrl('/audit-events/export.csv', compact(rest));
}

/** Drops empty filter values so they are not sent as `?q=`. */
function compact(values: object): Record<string, QueryValue> {
	const out: Record<string, QueryValue> = {};
	for (const [key, value] of Object.entries(values) as [string, QueryValue][]) {
		if (value !== '' && value !== null && value !== undefined) out[key] = value;
	}
	return out;
}

/** An identity provider people can sign in with (the sign-in page's buttons). */
export interface SignInProvider {
	slug: string;
	display_name: string;
	start_url: string;
}

export function listSignInProviders(): Promise<{ items: SignInProvider[] }> {
	return get<{ items: SignInProvider[] }>('/auth/sso/providers');
}

export interface RoleMapping {
	group: string;
	role: string;
}

/** An identity provider as administrators configure it (Settings → Single sign-on). */
export interface SSOProvider {
	id: string;
	/** oidc or saml; fixed once created. */
	protocol: 'oidc' | 'saml';
	slug: string;
	display_name: string;
	issuer: string;
	client_id: string;
	client_secret_set: boolean;
	scopes: string[];
	groups_claim: string;
	role_mappings: RoleMapping[];
	default_role: string;
	allow_create: boolean;
	trust_email: boolean;
	enabled: boolean;
	callback_url: string;
	/** Provisioning of accounts and groups by the provider over SCIM 2.0. */
	scim: SCIMStatus;
	/** A SAML provider's settings and what to register at the identity provider. */
	saml?: SAMLSettings;
	version: number;
}

export interface SAMLSettings {
	metadata_url: string;
	idp_entity_id: string;
	email_attribute: string;
	name_attribute: string;
	groups_attribute: string;
	allow_idp_initiated: boolean;
	sp_entity_id: string;
	acs_url: string;
	sp_metadata_url: string;
}

export interface SCIMStatus {
	enabled: boolean;
	token_prefix: string;
	token_created_at: string | null;
	last_used_at: string | null;
	/** The SCIM endpoint (tenant URL) to give the provider. */
	base_url: string;
	/** Accounts the provider manages. */
	users: number;
}

export type SSOProviderFields = Omit<SSOProvider, 'id' | 'client_secret_set' | 'callback_url' | 'scim' | 'saml' | 'version'> & {
	client_secret: string;
	saml_metadata_url?: string;
	/** Empty: fetch it from saml_metadata_url. */
	saml_idp_metadata?: string;
	saml_email_attribute?: string;
	saml_name_attribute?: string;
	saml_allow_idp_initiated?: boolean;
};

export function listSSOProviders(): Promise<{ items: SSOProvider[] }> {
	return get<{ items: SSOProvider[] }>('/settings/sso-providers');
}

export function createSSOProvider(body: SSOProviderFields): Promise<SSOProvider> {
	return post<SSOProvider>('/settings/sso-providers', body);
}

export function updateSSOProvider(id: string, body: SSOProviderFields & { version: number }): Promise<SSOProvider> {
	return patch<SSOProvider>(`/settings/sso-providers/${encodeURIComponent(id)}`, body);
}

export function deleteSSOProvider(id: string): Promise<void> {
	return del(`/settings/sso-providers/${encodeURIComponent(id)}`);
}

/** Turns SCIM provisioning on, or replaces the token; the token is shown only in this answer. */
export function createSCIMToken(id: string): Promise<{ token: string; prefix: string; base_url: string }> {
	return post(`/settings/sso-providers/${encodeURIComponent(id)}/scim-token`);
}

export function revokeSCIMToken(id: string): Promise<void> {
	return del(`/settings/sso-providers/${encodeURIComponent(id)}/scim-token`);
}
