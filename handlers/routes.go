package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"rampart/app/assessments"
	"rampart/app/authz"
	"rampart/app/contracts"
	"rampart/app/dora"
	"rampart/app/evidence"
	"rampart/app/findings"
	"rampart/app/intake"
	"rampart/app/questionnaire"
	"rampart/app/scoring"
	"rampart/app/vendors"
	"rampart/models"
)

// route is one API endpoint. What Echo serves, who may call it and what
// the OpenAPI document says about it all come from this one declaration;
// the matrix test walks the same table.
type route struct {
	method  string
	path    string // Echo pattern, e.g. /api/v1/users/:id
	perm    authz.Action
	handler echo.HandlerFunc
	op      operation
}

// operation documents a route in the OpenAPI document.
type operation struct {
	id       string
	summary  string
	tag      string
	request  any   // request DTO: JSON body and path/query parameters (tags path:"", query:""), nil if none
	response any   // success body, nil for 204
	status   int   // success status
	problems []int // statuses answered with a problem besides 401, 403 and 500
	produces string
	// bodyLimit overrides the server's JSON body limit (uploads).
	bodyLimit int64
	// portal marks the vendor portal's token routes: rate limited per address.
	portal bool
	// consumes overrides the request body's media type (uploads).
	consumes string
	// crossSite lets a browser on another site send this unsafe request:
	// only the SAML ACS, which an identity provider's page posts and whose
	// body the provider signs.
	crossSite bool
}

// maxTextBody lets a JSON body carry 5,000 characters of any script
// (plans, comments, messages), so a long text is refused by its field's
// rule (422) rather than by the server's smaller JSON limit.
const maxTextBody = 32 << 10

const (
	get   = http.MethodGet
	post  = http.MethodPost
	patch = http.MethodPatch
	del   = http.MethodDelete
	put   = http.MethodPut
)

func (s *Server) routes() []route {
	return []route{
		{get, "/healthz", authz.Public, s.healthz, operation{
			id: "healthz", tag: "health", summary: "Liveness: the process is up",
			response: statusResponse{}, status: 200,
		}},
		{get, "/readyz", authz.Public, s.readyz, operation{
			id: "readyz", tag: "health", summary: "Readiness: the database answers and every migration is applied",
			response: readyResponse{}, status: 200, problems: []int{503},
		}},
		{get, "/api/v1/meta", authz.Public, s.meta, operation{
			id: "getMeta", tag: "meta", summary: "Product name, version and, in demo mode, the demo accounts",
			response: metaResponse{}, status: 200,
		}},
		{get, "/api/v1/openapi.json", authz.Public, s.openapi, operation{
			id: "getOpenAPI", tag: "meta", summary: "This OpenAPI 3.1 document",
			response: map[string]any{}, status: 200,
		}},

		{post, "/api/v1/auth/login", authz.Public, s.login, operation{
			id: "login", tag: "auth", summary: "Sign in with email and password; sets the rampart_session cookie. When the account uses MFA the answer is instead 202 with mfa_required and a short-lived rampart_mfa cookie (no session): finish with POST /api/v1/auth/login/mfa",
			request: loginRequest{}, response: meResponse{}, status: 200, problems: []int{400, 415, 422, 429, 503},
		}},
		{post, "/api/v1/auth/login/mfa", authz.Public, s.loginMFA, operation{
			id: "loginMFA", tag: "auth", summary: "Second step of a sign-in with MFA: an authenticator code (each accepted once) or a single-use recovery code; wrong codes are throttled per account; sets the rampart_session cookie",
			request: mfaCodeRequest{}, response: meResponse{}, status: 200, problems: []int{400, 401, 415, 422, 429},
		}},
		{post, "/api/v1/auth/login/mfa/passkey/begin", authz.Public, s.beginPasskeyMFA, operation{
			id: "beginPasskeyMFA", tag: "auth", summary: "Second step of a sign-in with MFA, with a passkey: WebAuthn options for navigator.credentials.get() listing the account's passkeys (needs the rampart_mfa cookie of the password step; 503 when the server's public base URL cannot serve passkeys)",
			response: passkeyBeginResponse{}, status: 200, problems: []int{400, 422, 503}, portal: true,
		}},
		{post, "/api/v1/auth/login/mfa/passkey/finish", authz.Public, s.finishPasskeyMFA, operation{
			id: "finishPasskeyMFA", tag: "auth", summary: "Finish the second step with the passkey's answer: checks origin, challenge (one use), signature and signature counter; failures are throttled per account like wrong codes; sets the rampart_session cookie",
			request: passkeyAssertionRequest{}, response: meResponse{}, status: 200, problems: []int{400, 413, 415, 422, 429, 503}, portal: true,
		}},
		{post, "/api/v1/auth/login/passkey/begin", authz.Public, s.beginPasskeySignIn, operation{
			id: "beginPasskeySignIn", tag: "auth", summary: "Sign in with a passkey instead of a password: WebAuthn options for navigator.credentials.get() (discoverable credentials, user verification required; also for autofill with mediation conditional). The ceremony stays open 5 minutes",
			response: passkeyBeginResponse{}, status: 200, problems: []int{400, 503}, portal: true,
		}},
		{post, "/api/v1/auth/login/passkey/finish", authz.Public, s.finishPasskeySignIn, operation{
			id: "finishPasskeySignIn", tag: "auth", summary: "Finish a passwordless sign-in with the passkey's answer: checks origin, challenge (one use), user verification, signature and signature counter, then signs its owner in (the passkey stands for both factors); sets the rampart_session cookie",
			request: passkeyAssertionRequest{}, response: meResponse{}, status: 200, problems: []int{400, 413, 415, 422, 429, 503}, portal: true,
		}},
		{post, "/api/v1/auth/password-reset", authz.Public, s.requestPasswordReset, operation{
			id: "requestPasswordReset", tag: "auth", summary: "Mail a password reset link (single use, 30 minutes) to the address's account; the same 202 whether or not an account uses the address; 503 when mail is not configured",
			request: resetRequest{}, response: messageResponse{}, status: 202, problems: []int{400, 415, 422, 503},
		}},
		{post, "/api/v1/auth/password-reset/confirm", authz.Public, s.confirmPasswordReset, operation{
			id: "confirmPasswordReset", tag: "auth", summary: "Set a new password with a reset link's token; ends every session of the account (422 on token for a used, expired or unknown link)",
			request: resetConfirmRequest{}, status: 204, problems: []int{400, 415, 422, 503},
		}},
		{get, "/api/v1/auth/sso/providers", authz.Public, s.ssoButtons, operation{
			id: "listSignInProviders", tag: "auth", summary: "The identity providers people can sign in with (the sign-in page's buttons)",
			response: ssoButtonsResponse{}, status: 200,
		}},
		{get, "/api/v1/auth/sso/:slug/start", authz.Public, s.ssoStart, operation{
			id: "startSSO", tag: "auth", summary: "Start signing in with an OpenID Connect provider: redirects the browser there (authorization code flow with PKCE, state and nonce); a failure redirects to /sign-in?sso_error=",
			request: ssoStartParams{}, status: 302, portal: true,
		}},
		{get, "/api/v1/auth/sso/:slug/callback", authz.Public, s.ssoCallback, operation{
			id: "finishSSO", tag: "auth", summary: "Where the provider sends the browser back: checks state (this browser's, used once), redeems the code, verifies the ID token and nonce, signs the person in and redirects to return_to; a refusal redirects to /sign-in?sso_error= and is audited",
			request: ssoCallbackParams{}, status: 303, portal: true,
		}},
		{get, "/api/v1/auth/saml/:slug/metadata", authz.Public, s.samlMetadata, operation{
			id: "getSAMLMetadata", tag: "auth", summary: "This service provider's SAML 2.0 metadata for the provider: entity id, assertion consumer service (HTTP-POST) and signing certificate, signed; give it (or its URL) to the identity provider",
			request: samlSlugParam{}, status: 200, produces: "application/samlmetadata+xml", problems: []int{404},
		}},
		{get, "/api/v1/auth/saml/:slug/start", authz.Public, s.samlStart, operation{
			id: "startSAML", tag: "auth", summary: "Start signing in with a SAML 2.0 identity provider: redirects the browser there with a signed AuthnRequest (HTTP-Redirect binding), remembered for 10 minutes; a failure redirects to /sign-in?sso_error=",
			request: ssoStartParams{}, status: 302, portal: true,
		}},
		{post, "/api/v1/auth/saml/:slug/acs", authz.Public, s.samlACS, operation{
			id: "samlACS", tag: "auth", consumes: "application/x-www-form-urlencoded", crossSite: true, portal: true,
			summary: "Assertion consumer service: the identity provider's page posts its signed response here (HTTP-POST binding, cross-site). Signature, issuer, destination, audience, validity and InResponseTo are checked, an assertion is accepted once; the person is signed in and sent (303) to their path; a refusal redirects to /sign-in?sso_error= and is audited",
			request: samlACSForm{}, status: 303, bodyLimit: 512 << 10,
		}},
		{post, "/api/v1/auth/logout", authz.ProfileOwn, s.logout, operation{
			id: "logout", tag: "auth", summary: "Sign out this session", status: 204,
		}},
		{post, "/api/v1/auth/logout-everywhere", authz.ProfileOwn, s.logoutEverywhere, operation{
			id: "logoutEverywhere", tag: "auth", summary: "End every session of the signed-in user; with revoke_tokens also revoke their API tokens and calendar feed (the body is optional)",
			request: logoutEverywhereRequest{}, status: 204, problems: []int{400, 415, 422},
		}},
		{get, "/api/v1/auth/me", authz.ProfileOwn, s.getMe, operation{
			id: "getMe", tag: "auth", summary: "The signed-in user, the CSRF token and the user's permissions",
			response: meResponse{}, status: 200,
		}},
		{patch, "/api/v1/auth/me", authz.ProfileOwn, s.updateMe, operation{
			id: "updateMe", tag: "auth", summary: "Change one's own display name",
			request: updateMeRequest{}, response: meResponse{}, status: 200, problems: []int{400, 409, 415, 422},
		}},
		{post, "/api/v1/auth/password", authz.ProfileOwn, s.changePassword, operation{
			id: "changePassword", tag: "auth", summary: "Change one's own password; ends every other session, rotates this one, revokes the calendar feed and, with revoke_tokens, the API tokens",
			request: passwordRequest{}, response: meResponse{}, status: 200, problems: []int{400, 415, 422, 429, 503},
		}},

		{get, "/api/v1/auth/mfa", authz.ProfileOwn, s.mfaStatus, operation{
			id: "getMFA", tag: "auth", summary: "Whether one's authenticator app is on, how many passkeys and recovery codes one has and whether the policy requires MFA",
			response: mfaStatusResponse{}, status: 200,
		}},
		{post, "/api/v1/auth/mfa/totp/setup", authz.ProfileOwn, s.totpSetup, operation{
			id: "setupTOTP", tag: "auth", summary: "Start enrolling an authenticator app: a new secret with its QR code (nothing changes until confirmed; sessions only)",
			response: totpSetupResponse{}, status: 200, problems: []int{422},
		}},
		{post, "/api/v1/auth/mfa/totp/confirm", authz.ProfileOwn, s.totpConfirm, operation{
			id: "confirmTOTP", tag: "auth", summary: "Turn MFA on with the first code from the app; answers the 10 recovery codes, shown this once (audited; throttled)",
			request: mfaCodeRequest{}, response: recoveryCodesResponse{}, status: 200, problems: []int{400, 415, 422, 429},
		}},
		{post, "/api/v1/auth/mfa/totp/disable", authz.ProfileOwn, s.totpDisable, operation{
			id: "disableTOTP", tag: "auth", summary: "Turn one's authenticator app off with one's password (refused while the policy requires MFA for the role and no passkey remains; audited)",
			request: ownPasswordRequest{}, status: 204, problems: []int{400, 415, 422, 429, 503},
		}},
		{post, "/api/v1/auth/mfa/recovery-codes", authz.ProfileOwn, s.regenerateRecoveryCodes, operation{
			id: "regenerateRecoveryCodes", tag: "auth", summary: "Replace one's recovery codes with 10 new ones, shown this once (needs the password; audited)",
			request: ownPasswordRequest{}, response: recoveryCodesResponse{}, status: 200, problems: []int{400, 415, 422, 429, 503},
		}},
		{get, "/api/v1/auth/passkeys", authz.ProfileOwn, s.myPasskeys, operation{
			id: "listPasskeys", tag: "auth", summary: "One's passkeys, with when each was added and last used",
			response: passkeysResponse{}, status: 200,
		}},
		{post, "/api/v1/auth/passkeys/register/begin", authz.ProfileOwn, s.beginPasskeyRegistration, operation{
			id: "beginPasskeyRegistration", tag: "auth", summary: "Start adding a passkey: WebAuthn options for navigator.credentials.create() (a discoverable credential, so it can also sign in without a password; no attestation asked). Sessions only; 503 when the server's public base URL cannot serve passkeys, 400 when the page is at another address",
			response: passkeyBeginResponse{}, status: 200, problems: []int{400, 422, 503},
		}},
		{post, "/api/v1/auth/passkeys/register/finish", authz.ProfileOwn, s.finishPasskeyRegistration, operation{
			id: "finishPasskeyRegistration", tag: "auth", summary: "Finish adding a passkey with the browser's answer: checks origin, challenge (one use) and the attestation, then stores the public key; the passkey is a second factor and a passwordless sign-in from now on (audited)",
			request: passkeyRegisterRequest{}, response: passkeyResponse{}, status: 201, problems: []int{400, 413, 415, 422, 503},
		}},
		{patch, "/api/v1/auth/passkeys/:id", authz.ProfileOwn, s.renamePasskey, operation{
			id: "renamePasskey", tag: "auth", summary: "Rename one of one's passkeys, at its version (a stale version answers 409 with the current passkey; audited)",
			request: passkeyRenameRequest{}, response: passkeyResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{del, "/api/v1/auth/passkeys/:id", authz.ProfileOwn, s.deletePasskey, operation{
			id: "deletePasskey", tag: "auth", summary: "Remove one of one's passkeys (audited); refused when it is the last second factor and the policy requires MFA for one's role",
			request: passkeyIDParam{}, status: 204, problems: []int{404, 422},
		}},
		{get, "/api/v1/auth/sessions", authz.ProfileOwn, s.mySessions, operation{
			id: "listSessions", tag: "auth", summary: "One's signed-in sessions: device (from the User-Agent), address, sign-in and last seen times; current marks this one",
			response: sessionsResponse{}, status: 200,
		}},
		{del, "/api/v1/auth/sessions/:id", authz.ProfileOwn, s.revokeMySession, operation{
			id: "revokeSession", tag: "auth", summary: "End one of one's sessions (audited)",
			request: sessionIDParam{}, status: 204, problems: []int{404},
		}},
		{post, "/api/v1/auth/sessions/revoke-others", authz.ProfileOwn, s.revokeOtherSessions, operation{
			id: "revokeOtherSessions", tag: "auth", summary: "End every session of one's own but this one (audited)", status: 204,
		}},

		{get, "/api/v1/users", authz.UsersRead, s.listUsers, operation{
			id: "listUsers", tag: "users", summary: "List users",
			request: usersQuery{}, response: listResponse[userResponse]{}, status: 200, problems: []int{422},
		}},
		{post, "/api/v1/users", authz.UsersManage, s.createUser, operation{
			id: "createUser", tag: "users", summary: "Create a user with an initial password",
			request: createUserRequest{}, response: userResponse{}, status: 201, problems: []int{400, 415, 422, 503},
		}},
		{get, "/api/v1/users/:id", authz.UsersRead, s.getUser, operation{
			id: "getUser", tag: "users", summary: "One user; for administrators with sign_in_failures, the failed sign-ins counted on the account now",
			request: userIDParam{}, response: userResponse{}, status: 200, problems: []int{404},
		}},
		{patch, "/api/v1/users/:id", authz.UsersManage, s.updateUser, operation{
			id: "updateUser", tag: "users", summary: "Change a user's name, role, department or active flag (deactivation ends their sessions and tokens)",
			request: updateUserRequest{}, response: userResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{put, "/api/v1/users/:id/business-units", authz.UsersManage, s.setUserUnits, operation{
			id: "setUserBusinessUnits", tag: "business-units", summary: "Scope a person to business units, or with none lift the scope (audited; from their next request)",
			request: userUnitsRequest{}, response: userUnitsResponse{}, status: 200, problems: []int{400, 404, 415, 422},
		}},
		{get, "/api/v1/business-units", authz.ProfileOwn, s.listBusinessUnits, operation{
			id: "listBusinessUnits", tag: "business-units", summary: "The business units the caller may assign: every unit, or a scoped person's own",
			request: businessUnitsQuery{}, response: businessUnitsResponse{}, status: 200, problems: []int{422},
		}},
		{post, "/api/v1/business-units", authz.SettingsManage, s.createBusinessUnit, operation{
			id: "createBusinessUnit", tag: "business-units", summary: "Create a business unit (names are unique in any case; audited)",
			request: createBusinessUnitRequest{}, response: businessUnitResponse{}, status: 201, problems: []int{400, 415, 422},
		}},
		{patch, "/api/v1/business-units/:id", authz.SettingsManage, s.updateBusinessUnit, operation{
			id: "updateBusinessUnit", tag: "business-units", summary: "Rename, describe, archive or restore a business unit (audited)",
			request: updateBusinessUnitRequest{}, response: businessUnitResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{post, "/api/v1/users/:id/unlock-sign-in", authz.UsersManage, s.unlockSignIn, operation{
			id: "unlockUserSignIn", tag: "users", summary: "Forget the failed sign-ins counted against a user's account, from every address (audited)",
			request: userIDParam{}, response: userResponse{}, status: 200, problems: []int{404},
		}},

		{post, "/api/v1/users/:id/mfa/reset", authz.UsersManage, s.adminResetMFA, operation{
			id: "resetUserMFA", tag: "users", summary: "Remove a user's authenticator app, recovery codes and passkeys (a lost device) and end their sessions (audited)",
			request: userIDParam{}, response: userResponse{}, status: 200, problems: []int{404},
		}},
		{get, "/api/v1/users/:id/passkeys", authz.UsersManage, s.userPasskeys, operation{
			id: "listUserPasskeys", tag: "users", summary: "A user's passkeys",
			request: userIDParam{}, response: passkeysResponse{}, status: 200, problems: []int{404},
		}},
		{del, "/api/v1/users/:id/passkeys/:passkey", authz.UsersManage, s.deleteUserPasskey, operation{
			id: "deleteUserPasskey", tag: "users", summary: "Remove a user's passkey (a lost or retired device; audited). It ends nothing else: the user's sessions and other factors stay",
			request: userPasskeyParam{}, status: 204, problems: []int{404},
		}},
		{post, "/api/v1/users/:id/password-reset", authz.UsersManage, s.adminResetPassword, operation{
			id: "resetUserPassword", tag: "users", summary: "Mail the user a reset link (mode link) or set a temporary password they must change at next sign-in, ending their sessions (mode temporary); audited",
			request: adminResetRequest{}, response: userResponse{}, status: 200, problems: []int{400, 404, 415, 422, 503},
		}},
		{get, "/api/v1/users/:id/sessions", authz.UsersManage, s.userSessions, operation{
			id: "listUserSessions", tag: "users", summary: "A user's signed-in sessions",
			request: userIDParam{}, response: sessionsResponse{}, status: 200, problems: []int{404},
		}},
		{post, "/api/v1/users/:id/sessions/end", authz.UsersManage, s.endUserSessions, operation{
			id: "endUserSessions", tag: "users", summary: "End every session of a user (audited)",
			request: userIDParam{}, status: 204, problems: []int{404},
		}},

		{get, "/api/v1/api-tokens", authz.TokensOwn, s.listTokens, operation{
			id: "listApiTokens", tag: "api-tokens", summary: "List one's own API tokens",
			response: listResponse[tokenResponse]{}, status: 200,
		}},
		{post, "/api/v1/api-tokens", authz.TokensOwn, s.createToken, operation{
			id: "createApiToken", tag: "api-tokens", summary: "Create an API token; the secret is in the response, once. A token-authenticated call cannot create a token that expires later or may do more than the calling token",
			request: createTokenRequest{}, response: createdTokenResponse{}, status: 201, problems: []int{400, 415, 422},
		}},
		{del, "/api/v1/api-tokens/:id", authz.TokensOwn, s.revokeToken, operation{
			id: "revokeApiToken", tag: "api-tokens", summary: "Revoke one of one's own API tokens",
			request: tokenIDParam{}, status: 204, problems: []int{404},
		}},

		{get, "/api/v1/notifications", authz.NotificationsOwn, s.listNotifications, operation{
			id: "listNotifications", tag: "notifications", summary: "The caller's own notices, newest first (with unread=true only those not read)",
			request: notificationsQuery{}, response: listResponse[notificationResponse]{}, status: 200, problems: []int{422},
		}},
		{get, "/api/v1/notifications/unread-count", authz.NotificationsOwn, s.unreadNotifications, operation{
			id: "countUnreadNotifications", tag: "notifications", summary: "How many of the caller's notices are unread (the bell's count)",
			response: unreadCountResponse{}, status: 200, problems: []int{422},
		}},
		{post, "/api/v1/notifications/read", authz.NotificationsOwn, s.markNotificationsRead, operation{
			id: "markNotificationsRead", tag: "notifications", summary: "Mark the caller's notices read, by id or all; ids of others' notices change nothing",
			request: markReadRequest{}, response: markReadResponse{}, status: 200, problems: []int{400, 415, 422},
		}},
		{get, "/api/v1/notifications/:id", authz.NotificationsOwn, s.getNotification, operation{
			id: "getNotification", tag: "notifications", summary: "One of the caller's notices (404 for anyone else's)",
			request: notificationIDParam{}, response: notificationResponse{}, status: 200, problems: []int{404},
		}},
		{get, "/api/v1/notification-preferences", authz.NotificationsOwn, s.preferences, operation{
			id: "getNotificationPreferences", tag: "notifications", summary: "Every kind of staff notice with who receives it, its default and the caller's channel",
			response: preferencesResponse{}, status: 200,
		}},
		{put, "/api/v1/notification-preferences", authz.NotificationsOwn, s.setPreferences, operation{
			id: "setNotificationPreferences", tag: "notifications", summary: "Choose the channel (in_app, email, digest, off) for the kinds named; others keep theirs",
			request: preferencesRequest{}, response: preferencesResponse{}, status: 200, problems: []int{400, 415, 422},
		}},
		{get, "/api/v1/mail", authz.MailManage, s.listMail, operation{
			id: "listMail", tag: "mail", summary: "The mail delivery log (the demo outbox under --demo), newest first, by status",
			request: mailQuery{}, response: listResponse[mailSummary]{}, status: 200, problems: []int{422},
		}},
		{get, "/api/v1/mail/status", authz.MailManage, s.mailStatus, operation{
			id: "getMailStatus", tag: "mail", summary: "Mail mode (off, on, demo) and why, messages by status, and the scheduled tasks with next and last run",
			response: mailStatusResponse{}, status: 200,
		}},
		{get, "/api/v1/mail/:id", authz.MailManage, s.getMail, operation{
			id: "getMail", tag: "mail", summary: "One message with its text and HTML bodies and its delivery tries",
			request: mailIDParam{}, response: mailDetail{}, status: 200, problems: []int{404},
		}},
		{post, "/api/v1/mail/:id/resend", authz.MailManage, s.resendMail, operation{
			id: "resendMail", tag: "mail", summary: "Queue a failed or sent message again (audited); 422 for one still queued or held",
			request: mailIDParam{}, response: mailDetail{}, status: 200, problems: []int{404, 422},
		}},

		{get, "/api/v1/webhooks", authz.WebhooksManage, s.listWebhooks, operation{
			id: "listWebhooks", tag: "webhooks", summary: "Webhook endpoints, oldest first, with their deliveries by status (never the secret)",
			request: webhooksQuery{}, response: listResponse[webhookResponse]{}, status: 200, problems: []int{422},
		}},
		{post, "/api/v1/webhooks", authz.WebhooksManage, s.createWebhook, operation{
			id: "createWebhook", tag: "webhooks", summary: "Register an endpoint for chosen events; the answer carries its signing secret, shown this once (audited)",
			request: webhookCreateRequest{}, response: webhookResponse{}, status: 201, problems: []int{400, 415, 422},
		}},
		{get, "/api/v1/webhooks/event-types", authz.WebhooksManage, s.webhookEventTypes, operation{
			id: "listWebhookEventTypes", tag: "webhooks", summary: "The event types endpoints can subscribe to (their payloads are under webhooks in this document)",
			response: webhookEventTypesResponse{}, status: 200,
		}},
		{get, "/api/v1/webhooks/:id", authz.WebhooksManage, s.getWebhook, operation{
			id: "getWebhook", tag: "webhooks", summary: "One endpoint (never the secret)",
			request: webhookIDParam{}, response: webhookResponse{}, status: 200, problems: []int{404},
		}},
		{patch, "/api/v1/webhooks/:id", authz.WebhooksManage, s.updateWebhook, operation{
			id: "updateWebhook", tag: "webhooks", summary: "Change an endpoint; turning it on again sends what it missed, in order; 409 with current on a stale version (audited)",
			request: webhookUpdateRequest{}, response: webhookResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{del, "/api/v1/webhooks/:id", authz.WebhooksManage, s.deleteWebhook, operation{
			id: "deleteWebhook", tag: "webhooks", summary: "Remove an endpoint with its delivery log (audited)",
			request: webhookIDParam{}, status: 204, problems: []int{404},
		}},
		{post, "/api/v1/webhooks/:id/secret", authz.WebhooksManage, s.rotateWebhookSecret, operation{
			id: "rotateWebhookSecret", tag: "webhooks", summary: "Give the endpoint a new signing secret, in the answer this once; later deliveries are signed with it (audited)",
			request: webhookIDParam{}, response: webhookResponse{}, status: 200, problems: []int{404},
		}},
		{post, "/api/v1/webhooks/:id/ping", authz.WebhooksManage, s.pingWebhook, operation{
			id: "pingWebhook", tag: "webhooks", summary: "Queue a test event (type ping) to this endpoint alone; 422 when it is off (audited)",
			request: webhookIDParam{}, response: webhookPingResponse{}, status: 202, problems: []int{404, 422},
		}},
		{get, "/api/v1/webhooks/:id/deliveries", authz.WebhooksManage, s.listWebhookDeliveries, operation{
			id: "listWebhookDeliveries", tag: "webhooks", summary: "The endpoint's delivery log, newest first, by status",
			request: webhookDeliveriesQuery{}, response: listResponse[webhookDeliverySummary]{}, status: 200, problems: []int{404, 422},
		}},
		{get, "/api/v1/webhooks/:id/deliveries/:delivery_id", authz.WebhooksManage, s.getWebhookDelivery, operation{
			id: "getWebhookDelivery", tag: "webhooks", summary: "One delivery with the payload sent and every try (status code, error, start of the answer, time taken)",
			request: webhookDeliveryParam{}, response: webhookDeliveryDetail{}, status: 200, problems: []int{404},
		}},
		{post, "/api/v1/webhooks/:id/deliveries/:delivery_id/redeliver", authz.WebhooksManage, s.redeliverWebhook, operation{
			id: "redeliverWebhook", tag: "webhooks", summary: "Send a delivered or failed delivery again, in its event's place; 422 while it is pending (audited)",
			request: webhookDeliveryParam{}, response: webhookDeliveryDetail{}, status: 200, problems: []int{404, 422},
		}},

		{get, "/api/v1/vendors", authz.VendorsRead, s.listVendors, operation{
			id: "listVendors", tag: "vendors", summary: "List vendors with filters, search, sort and pages",
			request: vendorsQuery{}, response: listResponse[vendorSummary]{}, status: 200, problems: []int{422},
		}},
		{post, "/api/v1/vendors", authz.VendorsWrite, s.createVendor, operation{
			id: "createVendor", tag: "vendors", summary: "Add a vendor (409 with duplicates unless confirm_duplicate)",
			request: createVendorRequest{}, response: vendorResponse{}, status: 201, problems: []int{400, 409, 415, 422},
		}},
		{post, "/api/v1/vendors/import", authz.VendorsWrite, s.importVendors, operation{
			id: "importVendors", consumes: "multipart/form-data", tag: "vendors", summary: "Import vendors from CSV or XLSX: a dry run reports per row and column; a real run saves all rows or none",
			request: importQuery{}, response: vendors.ImportResult{}, status: 200, problems: []int{400, 413, 415, 422}, bodyLimit: importLimit + 64<<10,
		}},
		{get, "/api/v1/vendors/export.:format", authz.VendorsRead, s.exportVendors, operation{
			id: "exportVendors", tag: "vendors", summary: "Every vendor matching the list filters as CSV or XLSX (the columns import reads)",
			request: exportQuery{}, response: "", status: 200, problems: []int{422}, produces: "text/csv",
		}},
		{get, "/api/v1/vendors/options", authz.VendorsRead, s.vendorOptions, operation{
			id: "vendorOptions", tag: "vendors", summary: "Vocabularies and status transitions for vendor fields",
			response: vendorOptionsResponse{}, status: 200,
		}},
		{get, "/api/v1/vendors/duplicates", authz.VendorsRead, s.vendorDuplicates, operation{
			id: "vendorDuplicates", tag: "vendors", summary: "Existing vendors with the same normalised name or website domain",
			request: duplicatesQuery{}, response: map[string][]vendorRef{}, status: 200, problems: []int{422},
		}},
		{get, "/api/v1/vendors/fourth-parties", authz.VendorsRead, s.listFourthParties, operation{
			id: "listFourthParties", tag: "vendors", summary: "Fourth-party concentration: the subprocessors current vendors name (a vendor of the register, or a name), the most depended on first, with the data types and critical vendors exposed through each",
			request: fourthPartiesQuery{}, response: listResponse[fourthPartyView]{}, status: 200, problems: []int{422},
		}},
		{patch, "/api/v1/vendors/:id/dora", authz.VendorsWrite, s.updateVendorDORA, operation{
			id: "updateVendorDORA", tag: "dora", summary: "Change the vendor's DORA register fields (LEI checked against its ISO 17442 check digits, headquarters country, type of person, ultimate parent's LEI); 409 with current on a stale version; audited",
			request: vendorDORARequest{}, response: vendorResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{get, "/api/v1/vendors/:id/supply-chain", authz.VendorsRead, s.supplyChain, operation{
			id: "getSupplyChain", tag: "vendors", summary: "The vendor's supply chain: its subprocessors (rank 2) and, through those that are vendors of the register, theirs (rank 3, …), with each linked vendor's data types and hosting regions; a vendor met twice is listed once more and not followed",
			request: supplyChainQuery{}, response: supplyChainResponse{}, status: 200, problems: []int{404, 422},
		}},
		{get, "/api/v1/vendors/:id", authz.VendorsRead, s.getVendor, operation{
			id: "getVendor", tag: "vendors", summary: "One vendor with its contacts and subprocessors",
			request: vendorIDParam{}, response: vendorResponse{}, status: 200, problems: []int{404},
		}},
		{get, "/api/v1/vendors/:id/mail-bounces", authz.VendorsRead, s.vendorBounces, operation{
			id: "vendorMailBounces", tag: "vendors", summary: "The vendor's contact addresses the mail server refused for good, with the reason",
			request: vendorIDParam{}, response: listResponse[bounceResponse]{}, status: 200, problems: []int{404},
		}},
		{patch, "/api/v1/vendors/:id", authz.VendorsWrite, s.updateVendor, operation{
			id: "updateVendor", tag: "vendors", summary: "Change a vendor; lists given are replaced; 409 with current on a stale version",
			request: updateVendorRequest{}, response: vendorResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{get, "/api/v1/vendors/:id/risk", authz.VendorsRead, s.vendorRisk, operation{
			id: "vendorRisk", tag: "vendors", summary: "Inherent and residual risk with their factors, the matrix cell, the tier and the score history with causes",
			request: vendorIDParam{}, response: riskResponse{}, status: 200, problems: []int{404},
		}},
		{put, "/api/v1/vendors/:id/tier-override", authz.VendorsWrite, s.setTierOverride, operation{
			id: "setTierOverride", tag: "vendors", summary: "Set a manual tier with a reason until a date (at most a year); the history records it; 409 with current on a stale version",
			request: tierOverrideRequest{}, response: vendorResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{del, "/api/v1/vendors/:id/tier-override", authz.VendorsWrite, s.clearTierOverride, operation{
			id: "clearTierOverride", tag: "vendors", summary: "Return a vendor to its computed tier; the history records it; 409 with current on a stale version",
			request: versionRequest{}, response: vendorResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{get, "/api/v1/vendors/:id/report", authz.VendorsRead, s.vendorReportHandler, operation{
			id: "vendorReport", tag: "vendors", summary: "Everything the printable risk report shows: profile, tier and reasons, latest assessment, open findings, exceptions, contracts",
			request: vendorIDParam{}, response: vendorReport{}, status: 200, problems: []int{404},
		}},
		{get, "/api/v1/vendors/:id/activity", authz.VendorsRead, s.vendorActivity, operation{
			id: "vendorActivity", tag: "vendors", summary: "The vendor's audit events, newest first",
			request: activityQuery{}, response: listResponse[auditEventResponse]{}, status: 200, problems: []int{404, 422},
		}},
		{post, "/api/v1/vendors/:id/archive", authz.VendorsWrite, s.archiveVendor, operation{
			id: "archiveVendor", tag: "vendors", summary: "Archive a vendor (hidden from lists, kept with its history)",
			request: versionRequest{}, response: vendorResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{post, "/api/v1/vendors/:id/restore", authz.VendorsWrite, s.restoreVendor, operation{
			id: "restoreVendor", tag: "vendors", summary: "Restore an archived vendor",
			request: versionRequest{}, response: vendorResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{get, "/api/v1/vendors/:id/offboarding", authz.VendorsRead, s.getOffboarding, operation{
			id: "getVendorOffboarding", tag: "offboarding", summary: "The vendor's latest offboarding checklist with progress; items that complete themselves (contract ended, no open finding) show as done",
			request: vendorIDParam{}, response: offboardingResponse{}, status: 200, problems: []int{404},
		}},
		{post, "/api/v1/vendors/:id/offboarding", authz.VendorsWrite, s.startOffboarding, operation{
			id: "startVendorOffboarding", tag: "offboarding", summary: "Start offboarding: the vendor moves to offboarding and gets a checklist built from its integration methods and contracts; 422 when already offboarding or not approved/active; audited",
			request: startOffboardingRequest{}, response: offboardingResponse{}, status: 201, problems: []int{400, 404, 415, 422},
		}},
		{patch, "/api/v1/vendors/:id/offboarding/items/:item_id", authz.VendorsWrite, s.updateOffboardingItem, operation{
			id: "updateVendorOffboardingItem", tag: "offboarding", summary: "Mark a checklist step done, waive it with a reason, reopen it, note it or link the certificate of destruction; 409 with current on a stale version; audited",
			request: updateOffboardingItemRequest{}, response: offboardingResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{post, "/api/v1/vendors/:id/offboarding/sign-off", authz.VendorsWrite, s.signOffOffboarding, operation{
			id: "signOffVendorOffboarding", tag: "offboarding", summary: "Sign off a checklist whose steps are all done or waived: the vendor becomes terminated (422 naming the open steps otherwise; 409 on a stale version); audited",
			request: versionRequest{}, response: offboardingResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{post, "/api/v1/vendors/:id/offboarding/cancel", authz.VendorsWrite, s.cancelOffboarding, operation{
			id: "cancelVendorOffboarding", tag: "offboarding", summary: "Cancel an open offboarding: the vendor returns to its earlier status, the checklist stays as history; 409 on a stale version; audited",
			request: versionRequest{}, response: offboardingResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{get, "/api/v1/vendors/:id/evidence", authz.VendorsRead, s.listEvidence, operation{
			id: "listVendorEvidence", tag: "evidence", summary: "The vendor's evidence documents with their current versions, and the required kinds of its tier with what is missing or expired",
			request: vendorIDParam{}, response: evidenceListResponse{}, status: 200, problems: []int{404},
		}},
		{post, "/api/v1/vendors/:id/evidence", authz.EvidenceManage, s.uploadEvidence, operation{
			id: "uploadVendorEvidence", consumes: "multipart/form-data", tag: "evidence", summary: "Upload a new evidence document (at most 25 MB; type detected from the content); a SOC 1/2 report is read to prefill kind, auditor, period and expiry, with quotes; audited; rescores the vendor",
			request: evidenceUpload{}, response: evidenceResponse{}, status: 201, problems: []int{400, 404, 413, 415, 422}, bodyLimit: evidence.MaxFile + 64<<10,
		}},
		{get, "/api/v1/vendors/:id/evidence/:document_id", authz.VendorsRead, s.getEvidence, operation{
			id: "getVendorEvidence", tag: "evidence", summary: "One evidence document with every version, newest first",
			request: evidenceParam{}, response: evidenceResponse{}, status: 200, problems: []int{404},
		}},
		{patch, "/api/v1/vendors/:id/evidence/:document_id", authz.EvidenceManage, s.updateEvidence, operation{
			id: "updateVendorEvidence", tag: "evidence", summary: "Review the current version (received, in_review, accepted, rejected with a reason) or correct what it says; 409 with current on a stale version; audited; rescores the vendor",
			request: updateEvidenceRequest{}, response: evidenceResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{post, "/api/v1/vendors/:id/evidence/:document_id/versions", authz.EvidenceManage, s.uploadEvidenceVersion, operation{
			id: "uploadVendorEvidenceVersion", consumes: "multipart/form-data", tag: "evidence", summary: "Upload a new version of a document (the old ones stay downloadable; the new one starts unreviewed); 409 with current on a stale version",
			request: evidenceVersionUpload{}, response: evidenceResponse{}, status: 201, problems: []int{400, 404, 409, 413, 415, 422}, bodyLimit: evidence.MaxFile + 64<<10,
		}},
		{get, "/api/v1/vendors/:id/evidence/:document_id/versions/:number/review-checklist", authz.VendorsRead, s.getSOCReview, operation{
			id: "getSOCReviewChecklist", tag: "evidence", summary: "The review checklist of a SOC report version, built from what was read (period, opinion, each exception, CUEC and subservice organization, with quotes), with progress and the period rule; 404 when the version is no read SOC report",
			request: socReviewParam{}, response: socReviewResponse{}, status: 200, problems: []int{404},
		}},
		{put, "/api/v1/vendors/:id/evidence/:document_id/versions/:number/review-checklist/items/:item_id", authz.EvidenceManage, s.decideSOCItem, operation{
			id: "decideSOCReviewItem", tag: "evidence", summary: "Decide one checklist item: pass, link a bridge letter, accept with a reason, turn into a finding (raised with the control and wording), map a CUEC to an owner or control, mark it not applicable with a reason, link a carved-out organization to a vendor (recorded as a subprocessor) or flag it; 409 with current on a stale version; audited; rescores the vendor",
			request: decideSOCItemRequest{}, response: socReviewResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{post, "/api/v1/vendors/:id/evidence/:document_id/versions/:number/review-checklist/complete", authz.EvidenceManage, s.completeSOCReview, operation{
			id: "completeSOCReviewChecklist", tag: "evidence", summary: "Complete a checklist whose every item is decided: records the outcome (passed, accepted, findings) and accepts the version when it is the current one and unreviewed; 422 while items are undecided; 409 with current on a stale version; audited; rescores the vendor",
			request: completeSOCReviewRequest{}, response: socReviewResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{get, "/api/v1/vendors/:id/evidence/:document_id/versions/:number/file", authz.VendorsRead, s.downloadVendorEvidence, operation{
			id: "downloadVendorEvidence", tag: "evidence", summary: "Download one version's file (always as an attachment)",
			request: evidenceFileParam{}, response: "", status: 200, problems: []int{404}, produces: "application/octet-stream",
		}},
		{get, "/api/v1/vendors/:id/evidence-requests", authz.VendorsRead, s.listEvidenceRequests, operation{
			id: "listEvidenceRequests", tag: "evidence", summary: "Documents requested from the vendor, newest first, paged: requested, overdue (requested past the due date), uploaded or cancelled",
			request: evidenceRequestsQuery{}, response: listResponse[evidenceRequestResponse]{}, status: 200, problems: []int{404, 422},
		}},
		{post, "/api/v1/vendors/:id/evidence-requests", authz.EvidenceManage, s.createEvidenceRequest, operation{
			id: "createEvidenceRequest", tag: "evidence", summary: "Request a document of a kind from a vendor contact by a due date: makes its upload link (shown once) and mails it; audited",
			request: createEvidenceRequestRequest{}, response: evidenceRequestResponse{}, status: 201, problems: []int{400, 404, 415, 422},
			bodyLimit: maxTextBody,
		}},
		{post, "/api/v1/vendors/:id/evidence-requests/:request_id/cancel", authz.EvidenceManage, s.cancelEvidenceRequest, operation{
			id: "cancelEvidenceRequest", tag: "evidence", summary: "Cancel a request still waiting for the vendor; its link stops working (409 once uploaded or cancelled); audited",
			request: evidenceRequestParam{}, response: evidenceRequestResponse{}, status: 200, problems: []int{404, 409},
		}},

		{get, "/api/v1/requests", authz.RequestsRead, s.listRequests, operation{
			id: "listRequests", tag: "requests", summary: "List tool requests (a requester sees their own)",
			request: requestsQuery{}, response: listResponse[requestResponse]{}, status: 200, problems: []int{422},
		}},
		{post, "/api/v1/requests", authz.RequestsCreate, s.createRequest, operation{
			id: "createRequest", tag: "requests", summary: "File a request for a new tool",
			request: requestFields{}, response: requestDetail{}, status: 201, problems: []int{400, 415, 422},
		}},
		{get, "/api/v1/requests/counts", authz.RequestsRead, s.requestCounts, operation{
			id: "requestCounts", tag: "requests", summary: "How many requests the caller can see, per status (with the list's search and assignee filters)",
			request: requestCountsQuery{}, response: requestCountsResponse{}, status: 200, problems: []int{422},
		}},
		{get, "/api/v1/requests/:id", authz.RequestsRead, s.getRequest, operation{
			id: "getRequest", tag: "requests", summary: "One request with its timeline and the moves the caller may make",
			request: requestIDParam{}, response: requestDetail{}, status: 200, problems: []int{404},
		}},
		{patch, "/api/v1/requests/:id", authz.RequestsAct, s.updateRequest, operation{
			id: "updateRequest", tag: "requests", summary: "Correct a request (requester before review, risk team before the decision)",
			request: updateRequestRequest{}, response: requestDetail{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{post, "/api/v1/requests/:id/transition", authz.RequestsAct, s.transitionRequest, operation{
			id: "transitionRequest", tag: "requests", summary: "Move a request to another status; decisions record the decider and conditions",
			request: transitionRequest{}, response: requestDetail{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{post, "/api/v1/requests/:id/assign", authz.RequestsTriage, s.assignRequest, operation{
			id: "assignRequest", tag: "requests", summary: "Assign a request to a reviewer",
			request: assignRequest{}, response: requestDetail{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{post, "/api/v1/requests/:id/vendor", authz.RequestsTriage, s.linkRequestVendor, operation{
			id: "linkRequestVendor", tag: "requests", summary: "Link the request to a vendor, or create a proposed vendor from it",
			request: linkVendorRequest{}, response: requestDetail{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{post, "/api/v1/requests/:id/comments", authz.RequestsAct, s.commentRequest, operation{
			id: "commentRequest", tag: "requests", summary: "Add a comment to the request's thread",
			request: commentRequest{}, response: timelineEntry{}, status: 201, problems: []int{400, 404, 415, 422},
		}},

		{post, "/api/v1/requests/:id/attachments", authz.RequestsAct, s.uploadAttachment, operation{
			id: "attachToRequest", consumes: "multipart/form-data", tag: "requests", summary: "Attach a file (PDF, image, DOCX, XLSX, text; at most 20 MB; type detected from the content)",
			request: attachmentUpload{}, response: attachmentResponse{}, status: 201, problems: []int{400, 404, 413, 415, 422}, bodyLimit: intake.MaxAttachment + 64<<10,
		}},
		{get, "/api/v1/requests/:id/attachments/:attachment_id", authz.RequestsRead, s.downloadAttachment, operation{
			id: "downloadRequestAttachment", tag: "requests", summary: "Download an attached file (always as an attachment)",
			request: attachmentParam{}, response: "", status: 200, problems: []int{404}, produces: "application/octet-stream",
		}},

		{get, "/api/v1/questionnaire-templates", authz.AssessmentsRead, s.listTemplates, operation{
			id: "listQuestionnaireTemplates", tag: "questionnaires", summary: "Questionnaire templates (every revision that is not retired)",
			response: listResponse[templateSummary]{}, status: 200, problems: []int{422},
		}},
		{get, "/api/v1/questionnaire-templates/:id", authz.AssessmentsRead, s.getTemplate, operation{
			id: "getQuestionnaireTemplate", tag: "questionnaires", summary: "One template revision with its sections and questions",
			request: templateIDParam{}, response: templateDetail{}, status: 200, problems: []int{404},
		}},
		{post, "/api/v1/questionnaire-templates", authz.TemplatesManage, s.createTemplate, operation{
			id: "createQuestionnaireTemplate", tag: "questionnaires", summary: "Create a questionnaire as a draft (drafts may be incomplete; problems lists what blocks publishing)",
			request: createTemplateRequest{}, response: templateDetail{}, status: 201, problems: []int{400, 415, 422},
		}},
		{post, "/api/v1/questionnaire-templates/import", authz.TemplatesManage, s.importTemplate, operation{
			id: "importQuestionnaireTemplate", consumes: "multipart/form-data", tag: "questionnaires", summary: "Import a JSON questionnaire as a draft (invalid JSON is refused with line and column)",
			request: templateImport{}, response: templateDetail{}, status: 201, problems: []int{400, 413, 415, 422}, bodyLimit: 5<<20 + 64<<10,
		}},
		{post, "/api/v1/questionnaire-templates/import-sheet", authz.TemplatesManage, s.importTemplateSheet, operation{
			id: "importQuestionnaireSheet", consumes: "multipart/form-data", tag: "questionnaires", summary: "Report on, then import, a questionnaire as published (CAIQ, HECVAT, SIG-style or home-made XLSX/CSV, VSAQ or CAIQ JSON, Rampart's export): sheets, mapping, first rows, skipped rows and every change, by cell",
			request: sheetImportForm{}, response: questionnaire.Import{}, status: 200, problems: []int{400, 413, 415, 422}, bodyLimit: importLimit + 64<<10,
		}},
		{get, "/api/v1/questionnaire-templates/:id/source", authz.AssessmentsRead, s.downloadTemplateSource, operation{
			id: "downloadQuestionnaireSource", tag: "questionnaires", summary: "Download the file a questionnaire revision was imported from (always as an attachment)",
			request: templateIDParam{}, response: "", status: 200, problems: []int{404},
		}},
		{patch, "/api/v1/questionnaire-templates/:id", authz.TemplatesManage, s.updateTemplate, operation{
			id: "updateQuestionnaireTemplate", tag: "questionnaires", summary: "Edit a draft revision (published revisions never change)",
			request: updateTemplateRequest{}, response: templateDetail{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{post, "/api/v1/questionnaire-templates/:id/publish", authz.TemplatesManage, s.publishTemplate, operation{
			id: "publishQuestionnaireTemplate", tag: "questionnaires", summary: "Publish a draft that passes every check; earlier revisions are retired",
			request: templateVersionRequest{}, response: templateDetail{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{post, "/api/v1/questionnaire-templates/:id/revise", authz.TemplatesManage, s.reviseTemplate, operation{
			id: "reviseQuestionnaireTemplate", tag: "questionnaires", summary: "Start a new draft revision from this one",
			request: templateIDParam{}, response: templateDetail{}, status: 201, problems: []int{404, 422},
		}},
		{get, "/api/v1/questionnaire-templates/:id/export.xlsx", authz.AssessmentsRead, s.exportTemplate, operation{
			id: "exportQuestionnaireTemplate", tag: "questionnaires", summary: "The questionnaire revision as a spreadsheet, one row per question",
			request: templateIDParam{}, response: "", status: 200, problems: []int{404},
			produces: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		}},
		{get, "/api/v1/assessments", authz.AssessmentsRead, s.listAssessments, operation{
			id: "listAssessments", tag: "assessments", summary: "List assessments",
			request: assessmentsQuery{}, response: listResponse[assessmentSummary]{}, status: 200, problems: []int{422},
		}},
		{post, "/api/v1/assessments", authz.AssessmentsWrite, s.createAssessment, operation{
			id: "createAssessment", tag: "assessments", summary: "Create a draft assessment of a vendor from a published template",
			request: createAssessmentRequest{}, response: assessmentDetail{}, status: 201, problems: []int{400, 415, 422},
		}},
		{get, "/api/v1/assessments/:id", authz.AssessmentsRead, s.getAssessment, operation{
			id: "getAssessment", tag: "assessments", summary: "An assessment with its questions, answers, scores, review marks and portal links",
			request: assessmentIDParam{}, response: assessmentDetail{}, status: 200, problems: []int{404},
		}},
		{post, "/api/v1/assessments/:id/send", authz.AssessmentsWrite, s.sendAssessment, operation{
			id: "sendAssessment", tag: "assessments", summary: "Create the vendor's portal link (shown once; replaces any earlier link) and, unless mail is off, email it to the contact",
			request: sendRequest{}, response: sendResponse{}, status: 200, problems: []int{400, 403, 404, 409, 415, 422},
		}},
		{get, "/api/v1/assessments/:id/mails", authz.AssessmentsRead, s.assessmentMail, operation{
			id: "listAssessmentMails", tag: "assessments", summary: "The mails sent to the vendor about this assessment (invitation, reminders): to whom, subject, status and time; never the body",
			request: assessmentIDParam{}, response: listResponse[objectMailResponse]{}, status: 200, problems: []int{404},
		}},
		{post, "/api/v1/assessments/:id/revoke-link", authz.AssessmentsWrite, s.revokeAssessmentLink, operation{
			id: "revokeAssessmentLink", tag: "assessments", summary: "Stop every portal link of the assessment",
			request: assessmentIDParam{}, status: 204, problems: []int{403, 404},
		}},
		{put, "/api/v1/assessments/:id/answers/:key/review", authz.AssessmentsWrite, s.reviewAnswer, operation{
			id: "reviewAnswer", tag: "assessments", summary: "Mark an answer accepted, for follow-up (with a comment to the vendor) or as a finding",
			request: reviewRequest{}, response: assessmentDetail{}, status: 200, problems: []int{400, 403, 404, 415, 422},
		}},
		{put, "/api/v1/assessments/:id/answers/:key/evidence", authz.AssessmentsWrite, s.linkAnswerEvidence, operation{
			id: "linkAnswerEvidence", tag: "assessments", summary: "Stand a file question's answer on a document of the vendor's evidence library (empty document_id takes the link away): the answer then scores 100 only while the document's current version is accepted and not expired, 0 otherwise (audited; the assessment goes into review)",
			request: answerEvidenceRequest{}, response: assessmentDetail{}, status: 200, problems: []int{400, 403, 404, 415, 422},
		}},
		{post, "/api/v1/assessments/:id/files/:file_id/evidence", authz.AssessmentsWrite, s.fileToEvidence, operation{
			id: "fileAnswerToEvidence", tag: "assessments", summary: "Copy a file the vendor attached into the vendor's evidence library as a new document of the given kind (type checked, SOC reports read as on upload) and stand the answer on it; the document starts unreviewed, so the answer scores 0 until the document is accepted",
			request: fileToEvidenceRequest{}, response: fileToEvidenceResponse{}, status: 200, problems: []int{400, 403, 404, 415, 422},
		}},
		{post, "/api/v1/assessments/:id/answers/accept", authz.AssessmentsWrite, s.acceptAnswers, operation{
			id: "acceptAnswers", tag: "assessments", summary: "Accept in one step the named answers that are given and not yet marked (others are left as they are; one audit event)",
			request: acceptAnswersRequest{}, response: acceptAnswersResponse{}, status: 200, problems: []int{400, 403, 404, 415, 422},
		}},
		{post, "/api/v1/assessments/:id/transition", authz.AssessmentsWrite, s.moveAssessment, operation{
			id: "transitionAssessment", tag: "assessments", summary: "Send follow-ups to the vendor, complete the review, or cancel",
			request: assessmentActionRequest{}, response: assessmentDetail{}, status: 200, problems: []int{400, 403, 404, 409, 415, 422},
		}},
		{put, "/api/v1/assessments/:id/business-units", authz.AssessmentsWrite, s.setAssessmentUnits, operation{
			id: "setAssessmentBusinessUnits", tag: "assessments", summary: "Put the assessment in business units (a person scoped to units names only their own, at least one, and keeps the units they do not hold; audited with the units before and after; 403 once it is cancelled or completed)",
			request: assessmentUnitsRequest{}, response: assessmentDetail{}, status: 200, problems: []int{400, 403, 404, 409, 415, 422},
		}},
		{post, "/api/v1/assessments/:id/import", authz.AssessmentsWrite, s.importAnswers, operation{
			id: "importAssessmentAnswers", consumes: "multipart/form-data", tag: "assessments", summary: "Read a vendor's filled-in spreadsheet into the assessment: every visible sheet's answers and comments, matched by question ID (exactly, else ignoring case and spaces, noted); every row not taken reported by sheet, cell and reason; valid_only=true saves the valid rows, otherwise any bad row refuses the import (422 naming the rows); 409 when the vendor submitted meanwhile",
			request: answersImport{}, response: assessments.AnswerImport{}, status: 200, problems: []int{400, 403, 404, 409, 413, 415, 422}, bodyLimit: importLimit + 64<<10,
		}},
		{post, "/api/v1/assessments/:id/intake", authz.AssessmentsWrite, s.intakeAnswers, operation{
			id: "intakeAssessmentAnswers", consumes: "multipart/form-data", tag: "assessments", summary: "Read a vendor's own answered questionnaire (XLSX, CSV, Word, PDF, Markdown, text) and propose answers: each question/answer pair with the template question it matches (by ID, else by shared words, with the similarity and the words), its answer read for that question's type, and the questions left unanswered; nothing is saved",
			request: intakeForm{}, response: assessments.IntakeProposal{}, status: 200, problems: []int{400, 403, 404, 413, 415, 422}, bodyLimit: assessments.IntakeLimit + 64<<10,
		}},
		{post, "/api/v1/assessments/:id/intake/reuse", authz.AssessmentsWrite, s.reuseAnswers, operation{
			id: "reuseAssessmentAnswers", tag: "assessments", summary: "Propose the answers of an earlier submitted assessment of the same vendor (on any questionnaire), matched as a vendor's own file is; nothing is saved",
			request: intakeReuseRequest{}, response: assessments.IntakeProposal{}, status: 200, problems: []int{400, 403, 404, 415, 422},
		}},
		{post, "/api/v1/assessments/:id/intake/confirm", authz.AssessmentsWrite, s.confirmIntake, operation{
			id: "confirmAssessmentIntake", tag: "assessments", summary: "Save the answers a reviewer confirmed from a proposal as the vendor's, each with its source, all or none (audited)",
			request: intakeConfirmRequest{}, response: assessments.IntakeSaved{}, status: 200, problems: []int{400, 403, 404, 409, 415, 422},
		}},
		{get, "/api/v1/assessments/:id/export.xlsx", authz.AssessmentsRead, s.exportAssessment, operation{
			id: "exportAssessment", tag: "assessments", summary: "The assessment's questions, answers, scores and review marks as a spreadsheet",
			request: assessmentIDParam{}, response: "", status: 200, problems: []int{404},
			produces: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		}},
		{get, "/api/v1/assessments/:id/files/:file_id", authz.AssessmentsRead, s.downloadEvidence, operation{
			id: "downloadEvidence", tag: "assessments", summary: "Download an evidence file (always as an attachment)",
			request: assessmentFileParam{}, response: "", status: 200, problems: []int{404}, produces: "application/octet-stream",
		}},

		{get, "/api/v1/assessments/:id/answers/:key/messages", authz.AssessmentsRead, s.listAnswerMessages, operation{
			id: "listAnswerMessages", tag: "assessments", summary: "The conversation on one question between reviewers and the vendor, oldest first, each message with its files (plain text, shown as written)",
			request: answerThreadParam{}, response: map[string][]messageView{}, status: 200, problems: []int{400, 404},
		}},
		{post, "/api/v1/assessments/:id/answers/:key/messages", authz.AssessmentsWrite, s.postAnswerMessage, operation{
			id: "postAnswerMessage", consumes: "multipart/form-data", tag: "assessments", summary: "Write to the vendor on one question: plain text (at most 5,000 characters) and optionally a file (type detected from the content; at most 25 MB); audited, and mailed to the vendor contact once the questionnaire was sent",
			request: messageForm{}, response: messageView{}, status: 201, problems: []int{400, 403, 404, 413, 415, 422}, bodyLimit: assessments.MaxMessageFile + 64<<10,
		}},
		{post, "/api/v1/assessments/:id/answers/:key/messages/read", authz.AssessmentsRead, s.readAnswerMessages, operation{
			id: "readAnswerMessages", tag: "assessments", summary: "Mark the conversation on one question read for the caller (clears its unread count in the review)",
			request: answerThreadParam{}, status: 204, problems: []int{400, 404},
		}},
		{get, "/api/v1/assessments/:id/message-files/:file_id", authz.AssessmentsRead, s.downloadMessageFile, operation{
			id: "downloadMessageFile", tag: "assessments", summary: "Download a file sent with a message on a question (always as an attachment)",
			request: messageFileParam{}, response: "", status: 200, problems: []int{404}, produces: "application/octet-stream",
		}},

		{get, "/api/v1/assessments/:id/delegations", authz.AssessmentsRead, s.listDelegations, operation{
			id: "listAssessmentDelegations", tag: "assessments", summary: "The links the vendor's main contact shared with colleagues, newest first (at most 50 per assessment, so one page): who, which sections, last used, answers saved",
			request: assessmentIDParam{}, response: map[string][]delegationView{}, status: 200, problems: []int{404},
		}},
		{del, "/api/v1/assessments/:id/delegations/:delegation_id", authz.AssessmentsWrite, s.revokeDelegation, operation{
			id: "revokeAssessmentDelegation", tag: "assessments", summary: "Stop a link the vendor's main contact shared with a colleague (the colleague is told; audited; 403 once the assessment is cancelled)",
			request: delegationParam{}, status: 204, problems: []int{403, 404},
		}},

		{get, "/api/v1/portal/:token", authz.Public, s.portalGet, operation{
			id: "portalGet", tag: "portal", summary: "The vendor's questionnaire behind a portal link (no scores, no internal notes)",
			request: portalToken{}, response: portalResponse{}, status: 200, problems: []int{404, 429}, portal: true,
		}},
		{put, "/api/v1/portal/:token/answers/:key", authz.Public, s.portalAnswer, operation{
			id: "portalAnswer", tag: "portal", summary: "Save one answer (autosave); refused once submitted (409 when the submission overtook the save)",
			request: portalAnswerRequest{}, response: portalResponse{}, status: 200, problems: []int{400, 403, 404, 409, 415, 422, 429}, portal: true,
		}},
		{post, "/api/v1/portal/:token/files", authz.Public, s.portalUpload, operation{
			id: "portalUpload", consumes: "multipart/form-data", tag: "portal", summary: "Attach evidence to a file question (type detected from the content; at most 25 MB; 422 past the assessment's upload quota)",
			request: portalUpload{}, response: portalFile{}, status: 201, problems: []int{400, 403, 404, 409, 413, 415, 422, 429}, portal: true,
			bodyLimit: assessments.MaxEvidence + 64<<10,
		}},
		{get, "/api/v1/portal/:token/files/:file_id", authz.Public, s.portalDownload, operation{
			id: "portalDownload", tag: "portal", summary: "Download a file the vendor attached",
			request: portalFileParam{}, response: "", status: 200, problems: []int{404, 429}, produces: "application/octet-stream", portal: true,
		}},
		{del, "/api/v1/portal/:token/files/:file_id", authz.Public, s.portalRemoveFile, operation{
			id: "portalRemoveFile", tag: "portal", summary: "Take back a file the vendor attached, while its answer can still change (files the company attached cannot be removed)",
			request: portalFileParam{}, response: portalResponse{}, status: 200, problems: []int{403, 404, 409, 429}, portal: true,
		}},
		{get, "/api/v1/portal/:token/answers/:key/messages", authz.Public, s.portalListMessages, operation{
			id: "portalListMessages", tag: "portal", summary: "The conversation on one question of the link's questionnaire, oldest first (another questionnaire's question is not found)",
			request: portalThreadParam{}, response: map[string][]portalMessage{}, status: 200, problems: []int{400, 404, 429}, portal: true,
		}},
		{post, "/api/v1/portal/:token/answers/:key/messages", authz.Public, s.portalPostMessage, operation{
			id: "portalPostMessage", consumes: "multipart/form-data", tag: "portal", summary: "Write to the reviewers on one question, also after submitting: plain text (at most 5,000 characters) and optionally a file (type detected from the content; at most 25 MB; within the questionnaire's upload quota); audited with the portal as actor; the reviewer hears of it (403 once the assessment is complete)",
			request: portalMessageForm{}, response: portalMessage{}, status: 201, problems: []int{400, 403, 404, 413, 415, 422, 429}, portal: true,
			bodyLimit: assessments.MaxMessageFile + 64<<10,
		}},
		{get, "/api/v1/portal/:token/message-files/:file_id", authz.Public, s.portalDownloadMessageFile, operation{
			id: "portalDownloadMessageFile", tag: "portal", summary: "Download a file sent with a message on the link's questionnaire",
			request: portalMessageFileParam{}, response: "", status: 200, problems: []int{404, 429}, produces: "application/octet-stream", portal: true,
		}},
		{get, "/api/v1/portal/:token/logo", authz.Public, s.portalLogo, operation{
			id: "portalLogo", tag: "portal", summary: "The asking company's logo, when one is set in Settings (404 otherwise, as for a link that does not work)",
			request: portalToken{}, response: "", status: 200, problems: []int{404, 429}, produces: "application/octet-stream", portal: true,
		}},
		{get, "/api/v1/portal/:token/delegations", authz.Public, s.portalListDelegations, operation{
			id: "portalListDelegations", tag: "portal", summary: "The sections the main contact shared with colleagues: who, which sections, last used, answers saved (403 on a shared link)",
			request: portalToken{}, response: map[string][]delegationView{}, status: 200, problems: []int{403, 404, 429}, portal: true,
		}},
		{post, "/api/v1/portal/:token/delegations", authz.Public, s.portalDelegate, operation{
			id: "portalDelegate", tag: "portal", summary: "Share sections with a colleague: they get a link of their own, mailed to them, that sees and answers those sections only (403 on a shared link or once submitted)",
			request: portalDelegateRequest{}, response: delegationView{}, status: 201, problems: []int{400, 403, 404, 415, 422, 429}, portal: true,
		}},
		{patch, "/api/v1/portal/:token/delegations/:id", authz.Public, s.portalChangeDelegation, operation{
			id: "portalChangeDelegation", tag: "portal", summary: "Change the sections a colleague's link sees (409 with the current link when it changed meanwhile)",
			request: portalDelegationChange{}, response: delegationView{}, status: 200, problems: []int{400, 403, 404, 409, 415, 422, 429}, portal: true,
		}},
		{del, "/api/v1/portal/:token/delegations/:id", authz.Public, s.portalRevokeDelegation, operation{
			id: "portalRevokeDelegation", tag: "portal", summary: "Stop a colleague's link (they are told by mail)",
			request: portalDelegationParam{}, status: 204, problems: []int{403, 404, 429}, portal: true,
		}},
		{post, "/api/v1/portal/:token/submit", authz.Public, s.portalSubmit, operation{
			id: "portalSubmit", tag: "portal", summary: "Submit the answers; they are locked afterwards (422 lists unanswered required questions)",
			request: portalToken{}, response: portalResponse{}, status: 200, problems: []int{403, 404, 422, 429}, portal: true,
		}},

		{get, "/api/v1/findings", authz.FindingsRead, s.listFindings, operation{
			id: "listFindings", tag: "findings", summary: "Findings across vendors, with filters (overdue: open past the due date)",
			request: findingsQuery{}, response: listResponse[findingResponse]{}, status: 200, problems: []int{422},
		}},
		{get, "/api/v1/findings/export.:format", authz.FindingsRead, s.exportFindings, operation{
			id: "exportFindings", tag: "findings", summary: "Every finding matching the list filters, in the list's order, as CSV or XLSX, with a cf.<key> column per active custom field",
			request: findingsExportQuery{}, response: "", status: 200, problems: []int{422}, produces: "text/csv",
		}},
		{get, "/api/v1/findings/due-dates", authz.FindingsWrite, s.findingDueDates, operation{
			id: "findingDueDates", tag: "findings", summary: "The due date a finding raised now gets for each severity when none is given (the risk model's remediation deadlines)",
			response: map[string]map[string]findings.Due{}, status: 200,
		}},
		{post, "/api/v1/findings", authz.FindingsWrite, s.createFinding, operation{
			id: "createFinding", tag: "findings", summary: "Raise a finding (due date from the remediation deadline for its severity unless given)",
			request: createFindingRequest{}, response: findingResponse{}, status: 201, problems: []int{400, 415, 422},
		}},
		{get, "/api/v1/findings/:id", authz.FindingsRead, s.getFinding, operation{
			id: "getFinding", tag: "findings", summary: "One finding",
			request: findingIDParam{}, response: findingResponse{}, status: 200, problems: []int{404},
		}},
		{patch, "/api/v1/findings/:id", authz.FindingsWrite, s.updateFinding, operation{
			id: "updateFinding", tag: "findings", summary: "Change a finding; closing or reopening it rescores the vendor",
			request: updateFindingRequest{}, response: findingResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{get, "/api/v1/findings/:id/comments", authz.FindingsRead, s.listFindingComments, operation{
			id: "listFindingComments", tag: "findings", summary: "The finding's comment thread, oldest first, with the authors named",
			request: findingIDParam{}, response: map[string][]findingCommentResponse{}, status: 200, problems: []int{404},
		}},
		{post, "/api/v1/findings/:id/comments", authz.FindingsWrite, s.commentFinding, operation{
			id: "commentFinding", tag: "findings", summary: "Add a comment to the finding's thread (plain text, at most 10,000 characters)",
			request: findingCommentRequest{}, response: findingCommentResponse{}, status: 201, problems: []int{400, 404, 413, 415, 422},
			bodyLimit: 64 << 10, // a full 10,000-character comment fits whatever the JSON limit
		}},
		{get, "/api/v1/findings/:id/attachments", authz.FindingsRead, s.listFindingAttachments, operation{
			id: "listFindingAttachments", tag: "findings", summary: "The evidence files attached to the finding, oldest first",
			request: findingIDParam{}, response: map[string][]findingAttachmentResponse{}, status: 200, problems: []int{404},
		}},
		{post, "/api/v1/findings/:id/attachments", authz.FindingsWrite, s.attachToFinding, operation{
			id: "attachToFinding", consumes: "multipart/form-data", tag: "findings", summary: "Attach evidence (PDF, image, DOCX, XLSX, text; at most 20 MB; type detected from the content)",
			request: findingAttachmentUpload{}, response: findingAttachmentResponse{}, status: 201, problems: []int{400, 404, 413, 415, 422}, bodyLimit: findings.MaxAttachment + 64<<10,
		}},
		{get, "/api/v1/findings/:id/attachments/:attachment_id", authz.FindingsRead, s.downloadFindingAttachment, operation{
			id: "downloadFindingAttachment", tag: "findings", summary: "Download a finding's evidence file (always as an attachment)",
			request: findingAttachmentParam{}, response: "", status: 200, problems: []int{404}, produces: "application/octet-stream",
		}},
		{get, "/api/v1/findings/:id/remediation", authz.FindingsRead, s.getFindingRemediation, operation{
			id: "getFindingRemediation", tag: "findings", summary: "The finding's remediation with the vendor (null until shared): status, the vendor's plan and target date, the timeline both sides see with the vendor's files, the links, and the contact to prefill",
			request: findingIDParam{}, response: findingRemediationResponse{}, status: 200, problems: []int{404},
		}},
		{post, "/api/v1/findings/:id/remediation/share", authz.FindingsWrite, s.shareFinding, operation{
			id: "shareFinding", tag: "findings", summary: "Share the finding with a vendor contact: starts its remediation (or changes its contact), revokes earlier links, makes a new link (its URL shown once) and mails it; audited (409 on a resolved or accepted finding)",
			request: shareFindingRequest{}, response: findingRemediationResponse{}, status: 201, problems: []int{400, 404, 409, 415, 422},
			bodyLimit: maxTextBody,
		}},
		{post, "/api/v1/findings/:id/remediation/decision", authz.FindingsWrite, s.decideRemediation, operation{
			id: "decideRemediation", tag: "findings", summary: "The owner's decision: accept_plan (the finding takes the plan and goes in progress), request_changes (comment required; the vendor proposes again, or work marked done goes back to the accepted plan) or accept_complete (resolves the finding; refused with 409 while a proposed plan waits); the vendor is mailed; audited; 409 with current on a stale version",
			request: decideRemediationRequest{}, response: findingRemediationResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
			bodyLimit: maxTextBody,
		}},
		{del, "/api/v1/findings/:id/remediation/links/:link_id", authz.FindingsWrite, s.revokeRemediationLink, operation{
			id: "revokeRemediationLink", tag: "findings", summary: "Stop a remediation link (it then answers 404 like an unknown one); audited",
			request: remediationLinkParam{}, status: 204, problems: []int{404},
		}},
		{get, "/api/v1/findings/:id/remediation/files/:file_id", authz.FindingsRead, s.downloadRemediationFile, operation{
			id: "downloadRemediationFile", tag: "findings", summary: "Download a file the vendor sent with a progress update (always as an attachment)",
			request: remediationFileParam{}, response: "", status: 200, problems: []int{404}, produces: "application/octet-stream",
		}},
		{get, "/api/v1/exceptions", authz.FindingsRead, s.listExceptions, operation{
			id: "listExceptions", tag: "findings", summary: "Exceptions (accepted risks), newest first or by expiry, paged, with the finding, vendor and people named, and whether the caller may decide each",
			request: exceptionsQuery{}, response: listResponse[exceptionResponse]{}, status: 200, problems: []int{422},
		}},
		{post, "/api/v1/exceptions", authz.FindingsWrite, s.createException, operation{
			id: "requestException", tag: "findings", summary: "Ask to accept a finding's or vendor's risk until a date (422 on finding_id while another request for the finding waits for a decision)",
			request: createExceptionRequest{}, response: exceptionResponse{}, status: 201, problems: []int{400, 415, 422},
		}},
		{post, "/api/v1/exceptions/:id/decide", authz.ExceptionsDecide, s.decideException, operation{
			id: "decideException", tag: "findings", summary: "Approve or reject an exception (a risk manager or admin other than the requester)",
			request: decideExceptionRequest{}, response: exceptionResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},

		{get, "/api/v1/incidents", authz.IncidentsRead, s.listIncidents, operation{
			id: "listIncidents", tag: "incidents", summary: "Vendor incidents across vendors, newest first unless sorted, with filters",
			request: incidentsQuery{}, response: listResponse[incidentResponse]{}, status: 200, problems: []int{422},
		}},
		{post, "/api/v1/incidents", authz.IncidentsManage, s.createIncident, operation{
			id: "createIncident", tag: "incidents", summary: "Record an incident (status open; its timeline starts); audited; rescores the vendor",
			request: createIncidentRequest{}, response: incidentDetailResponse{}, status: 201, problems: []int{400, 415, 422},
		}},
		{get, "/api/v1/incidents/:id", authz.IncidentsRead, s.getIncident, operation{
			id: "getIncident", tag: "incidents", summary: "One incident with its timeline, linked findings and the check of the vendor's notice against the contract's confirmed breach_notification term",
			request: incidentIDParam{}, response: incidentDetailResponse{}, status: 200, problems: []int{404},
		}},
		{patch, "/api/v1/incidents/:id", authz.IncidentsManage, s.updateIncident, operation{
			id: "updateIncident", tag: "incidents", summary: "Change an incident; a status change goes on the timeline; status or severity changes rescore the vendor; 409 with current on a stale version",
			request: updateIncidentRequest{}, response: incidentDetailResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{post, "/api/v1/incidents/:id/timeline", authz.IncidentsManage, s.addIncidentNote, operation{
			id: "addIncidentNote", tag: "incidents", summary: "Add a note to the incident's timeline (at a given time or now); audited",
			request: incidentNoteRequest{}, response: incidentDetailResponse{}, status: 201, problems: []int{400, 404, 415, 422},
		}},
		{post, "/api/v1/incidents/:id/findings", authz.IncidentsManage, s.linkIncidentFinding, operation{
			id: "linkIncidentFinding", tag: "incidents", summary: "Link one of the vendor's findings to the incident; audited",
			request: incidentFindingRequest{}, response: incidentDetailResponse{}, status: 200, problems: []int{400, 404, 415, 422},
		}},
		{del, "/api/v1/incidents/:id/findings/:finding_id", authz.IncidentsManage, s.unlinkIncidentFinding, operation{
			id: "unlinkIncidentFinding", tag: "incidents", summary: "Unlink a finding from the incident (the finding stays); audited",
			request: incidentFindingParam{}, response: incidentDetailResponse{}, status: 200, problems: []int{404},
		}},
		{get, "/api/v1/vendors/:id/incidents", authz.IncidentsRead, s.listVendorIncidents, operation{
			id: "listVendorIncidents", tag: "incidents", summary: "The vendor's incidents, newest first unless sorted",
			request: vendorIncidentsQuery{}, response: listResponse[incidentResponse]{}, status: 200, problems: []int{404, 422},
		}},
		{get, "/api/v1/vendors/:id/incident-links", authz.IncidentsManage, s.listIncidentLinks, operation{
			id: "listIncidentLinks", tag: "incidents", summary: "The vendor's incident report links, newest first (never their addresses)",
			request: vendorIDParam{}, response: map[string][]vendorLinkResponse{}, status: 200, problems: []int{404},
		}},
		{post, "/api/v1/vendors/:id/incident-links", authz.IncidentsManage, s.createIncidentLink, operation{
			id: "createIncidentLink", tag: "incidents", summary: "Make an incident report link for the vendor (its address is shown once; only a hash is kept); audited",
			request: createIncidentLinkRequest{}, response: vendorLinkResponse{}, status: 201, problems: []int{400, 404, 415, 422},
		}},
		{del, "/api/v1/vendors/:id/incident-links/:link_id", authz.IncidentsManage, s.revokeIncidentLink, operation{
			id: "revokeIncidentLink", tag: "incidents", summary: "Stop an incident report link; audited", request: incidentLinkParam{}, status: 204, problems: []int{404},
		}},
		{get, "/api/v1/portal/:token/incident", authz.Public, s.portalIncidentLink, operation{
			id: "portalIncidentLink", tag: "portal", summary: "What an incident report link opens: the vendor's name and the form's choices",
			request: portalToken{}, response: portalIncidentLinkResponse{}, status: 200, problems: []int{404, 429}, portal: true,
		}},
		{post, "/api/v1/portal/:token/incident", authz.Public, s.portalReportIncident, operation{
			id: "portalReportIncident", tag: "portal", summary: "Report an incident through a report link: recorded as notified now, reported by the contact; audited with the portal as actor",
			request: portalIncidentRequest{}, response: portalIncidentResponse{}, status: 201, problems: []int{400, 404, 415, 422, 429}, portal: true,
		}},
		{get, "/api/v1/portal/:token/remediation", authz.Public, s.portalGetRemediation, operation{
			id: "portalGetRemediation", tag: "portal", summary: "What a remediation link opens: the one shared finding's title, description, severity and due date, the request, the plan and the timeline (no comments, owner, scores or other findings)",
			request: portalToken{}, response: portalRemediationResponse{}, status: 200, problems: []int{404, 429}, portal: true,
		}},
		{post, "/api/v1/portal/:token/remediation/plan", authz.Public, s.portalProposePlan, operation{
			id: "portalProposePlan", tag: "portal", summary: "Propose a remediation plan (plain text, at most 5,000 characters) and a target date (not in the past); it waits for the owner's decision (409 once accepted); audited with the contact as actor; the owner hears of it",
			request: portalPlanRequest{}, response: portalRemediationResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422, 429}, portal: true,
			bodyLimit: maxTextBody,
		}},
		{post, "/api/v1/portal/:token/remediation/updates", authz.Public, s.portalPostProgress, operation{
			id: "portalPostProgress", consumes: "multipart/form-data", tag: "portal", summary: "Post a progress update, optionally with a file (type detected from the content; at most 20 MB; 422 past the remediation's upload quota) and optionally marking the work done (409 unless the plan is accepted); audited with the contact as actor; the owner hears of it",
			request: portalProgressForm{}, response: portalRemediationResponse{}, status: 201, problems: []int{400, 404, 409, 413, 415, 422, 429}, portal: true,
			bodyLimit: findings.MaxAttachment + 64<<10,
		}},
		{get, "/api/v1/portal/:token/remediation/files/:file_id", authz.Public, s.portalDownloadRemediationFile, operation{
			id: "portalDownloadRemediationFile", tag: "portal", summary: "Download a file sent on the link's remediation (another finding's file is not found)",
			request: portalRemediationFileParam{}, response: "", status: 200, problems: []int{404, 429}, produces: "application/octet-stream", portal: true,
		}},
		{get, "/api/v1/portal/:token/evidence-request", authz.Public, s.portalGetEvidenceRequest, operation{
			id: "portalGetEvidenceRequest", tag: "portal", summary: "What a document request link opens: the kind of document asked for, by whom, by when, and whether it was uploaded",
			request: portalToken{}, response: portalEvidenceRequestResponse{}, status: 200, problems: []int{404, 429}, portal: true,
		}},
		{post, "/api/v1/portal/:token/evidence-request/file", authz.Public, s.portalUploadEvidence, operation{
			id: "portalUploadEvidence", consumes: "multipart/form-data", tag: "portal", summary: "Upload the requested document (type detected from the content; at most 25 MB): a new version in the vendor's evidence library, received and unreviewed, a SOC report read as on a staff upload; the request is then uploaded (409 when it already was); audited with the contact as actor",
			request: portalEvidenceUpload{}, response: portalEvidenceRequestResponse{}, status: 201, problems: []int{400, 404, 409, 413, 415, 422, 429}, portal: true,
			bodyLimit: evidence.MaxFile + 64<<10,
		}},

		{get, "/api/v1/dashboard", authz.DashboardRead, s.dashboard, operation{
			id: "dashboard", tag: "dashboard", summary: "Portfolio aggregates: vendors by tier and status, the 5x5 matrix, findings by severity and age, reviews due, residual trend, my work",
			response: models.Dashboard{}, status: 200, problems: []int{422},
		}},

		{get, "/api/v1/settings/security", authz.SettingsRead, s.getSecurityPolicy, operation{
			id: "getSecurityPolicy", tag: "settings", summary: "The security policy: the roles whose users must use MFA",
			response: securityPolicyResponse{}, status: 200,
		}},
		{put, "/api/v1/settings/security", authz.SettingsManage, s.saveSecurityPolicy, operation{
			id: "saveSecurityPolicy", tag: "settings", summary: "Set the roles whose users must use MFA (they enrol at their next request before anything else) and whether single sign-on is required (password sign-in then refused to all but the break-glass administrator; needs an enabled provider); 409 with current on a stale version; audited",
			request: securityPolicyRequest{}, response: securityPolicyResponse{}, status: 200, problems: []int{400, 409, 415, 422},
		}},
		{get, "/api/v1/settings/organization", authz.SettingsRead, s.getOrganization, operation{
			id: "getOrganization", tag: "settings", summary: "The company's name vendors see in the portal and in mails: the one set in Settings, else the --org-name option's (default_name), and whether one is set",
			response: organizationResponse{}, status: 200,
		}},
		{put, "/api/v1/settings/organization", authz.SettingsManage, s.saveOrganization, operation{
			id: "saveOrganization", tag: "settings", summary: "Set the company's name vendors see (one line, 1-200 characters once trimmed); every instance uses it at once; 409 with current on a stale version; audited",
			request: organizationRequest{}, response: organizationResponse{}, status: 200, problems: []int{400, 409, 415, 422},
		}},
		{get, "/api/v1/settings/portal-logo", authz.SettingsRead, s.getPortalLogo, operation{
			id: "getPortalLogo", tag: "settings", summary: "The logo the vendor portal shows beside the company's name (see /settings/organization), or null",
			response: portalLogoResponse{}, status: 200,
		}},
		{post, "/api/v1/settings/portal-logo", authz.SettingsManage, s.setPortalLogo, operation{
			id: "setPortalLogo", consumes: "multipart/form-data", tag: "settings", summary: "Set the vendor portal's logo (PNG or JPEG by content, at most 512 KB), replacing any earlier one (audited)",
			request: portalLogoUpload{}, response: portalLogoResponse{}, status: 201, problems: []int{400, 413, 415, 422}, bodyLimit: assessments.MaxLogo + 64<<10,
		}},
		{del, "/api/v1/settings/portal-logo", authz.SettingsManage, s.removePortalLogo, operation{
			id: "removePortalLogo", tag: "settings", summary: "Take the vendor portal's logo away (audited; 404 when none is set)",
			status: 204, problems: []int{404},
		}},
		{get, "/api/v1/settings/portal-logo/image", authz.SettingsRead, s.servePortalLogo, operation{
			id: "getPortalLogoImage", tag: "settings", summary: "The vendor portal's logo image",
			response: "", status: 200, problems: []int{404}, produces: "application/octet-stream",
		}},
		{get, "/api/v1/settings/custom-fields", authz.CustomFieldsRead, s.listCustomFields, operation{
			id: "listCustomFields", tag: "settings", summary: "The custom fields of vendors, contracts and findings in form order (archived ones with archived=true); everyone who reads those records may read them",
			request: customFieldsQuery{}, response: customFieldsResponse{}, status: 200, problems: []int{422},
		}},
		{post, "/api/v1/settings/custom-fields", authz.SettingsManage, s.createCustomField, operation{
			id: "createCustomField", tag: "settings", summary: "Define a custom field (text, number, date, single or multiple choice, user, URL) of vendors, contracts or findings, placed last (audited)",
			request: createCustomFieldRequest{}, response: customFieldResponse{}, status: 201, problems: []int{400, 413, 415, 422},
		}},
		{post, "/api/v1/settings/custom-fields/reorder", authz.SettingsManage, s.reorderCustomFields, operation{
			id: "reorderCustomFields", tag: "settings", summary: "Put one record kind's custom fields in a new form order (audited)",
			request: reorderCustomFieldsRequest{}, response: customFieldsResponse{}, status: 200, problems: []int{400, 413, 415, 422},
		}},
		{patch, "/api/v1/settings/custom-fields/:id", authz.SettingsManage, s.updateCustomField, operation{
			id: "updateCustomField", tag: "settings", summary: "Change a custom field's label, help text, required flag or options, or archive (hide, keeping values) or restore it; the key and type never change; 409 with current on a stale version (audited)",
			request: updateCustomFieldRequest{}, response: customFieldResponse{}, status: 200, problems: []int{400, 404, 409, 413, 415, 422},
		}},
		{del, "/api/v1/settings/custom-fields/:id", authz.SettingsManage, s.deleteCustomField, operation{
			id: "deleteCustomField", tag: "settings", summary: "Remove a custom field no record holds a value of (422 otherwise: archive it instead) (audited)",
			request: customFieldIDParam{}, status: 204, problems: []int{404, 422},
		}},
		{get, "/api/v1/settings/sso-providers", authz.SettingsRead, s.listSSOProviders, operation{
			id: "listSSOProviders", tag: "settings", summary: "The OpenID Connect and SAML 2.0 identity providers, with what to register at each (never the client secret or the SAML key)",
			response: ssoProvidersResponse{}, status: 200,
		}},
		{post, "/api/v1/settings/sso-providers", authz.SettingsManage, s.createSSOProvider, operation{
			id: "createSSOProvider", tag: "settings", summary: "Add an identity provider: OpenID Connect (issuer, client, scopes) or SAML 2.0 (metadata by URL or pasted, attributes), the groups claim or attribute and its role mappings (audited)",
			request: ssoProviderRequest{}, response: ssoProviderResponse{}, status: 201, problems: []int{400, 413, 415, 422}, bodyLimit: 3 << 20,
		}},
		{get, "/api/v1/settings/sso-providers/:id", authz.SettingsRead, s.getSSOProvider, operation{
			id: "getSSOProvider", tag: "settings", summary: "One identity provider",
			request: ssoProviderIDParam{}, response: ssoProviderResponse{}, status: 200, problems: []int{404},
		}},
		{patch, "/api/v1/settings/sso-providers/:id", authz.SettingsManage, s.updateSSOProvider, operation{
			id: "updateSSOProvider", tag: "settings", summary: "Change an identity provider; 409 with current on a stale version (audited)",
			request: ssoProviderUpdate{}, response: ssoProviderResponse{}, status: 200, problems: []int{400, 404, 409, 413, 415, 422}, bodyLimit: 3 << 20,
		}},
		{del, "/api/v1/settings/sso-providers/:id", authz.SettingsManage, s.deleteSSOProvider, operation{
			id: "deleteSSOProvider", tag: "settings", summary: "Remove an identity provider; its users stay and sign in otherwise (audited)",
			request: ssoProviderIDParam{}, status: 204, problems: []int{404},
		}},
		{post, "/api/v1/settings/sso-providers/:id/scim-token", authz.SettingsManage, s.createSCIMToken, operation{
			id: "createSCIMToken", tag: "settings", summary: "Turn on SCIM 2.0 provisioning for the provider, or replace its token (the old one stops at once): returns the token, shown only now, and the SCIM endpoint (" + scimBase + ") to give the provider",
			request: ssoProviderIDParam{}, response: scimTokenResponse{}, status: 201, problems: []int{404},
		}},
		{del, "/api/v1/settings/sso-providers/:id/scim-token", authz.SettingsManage, s.revokeSCIMToken, operation{
			id: "revokeSCIMToken", tag: "settings", summary: "Turn SCIM provisioning off for the provider: its token stops working; the accounts it made stay as they are",
			request: ssoProviderIDParam{}, status: 204, problems: []int{404},
		}},
		{get, "/api/v1/settings/dora", authz.SettingsRead, s.getDORASettings, operation{
			id: "getDORASettings", tag: "dora", summary: "Our financial entity as the DORA register of information names it (B_01.01/B_01.02), and whether the register is on",
			response: doraSettingsResponse{}, status: 200,
		}},
		{patch, "/api/v1/settings/dora", authz.SettingsManage, s.saveDORASettings, operation{
			id: "saveDORASettings", tag: "dora", summary: "Change our entity's register settings (LEI checked, ISO country and currency, the register's codes); 409 with current on a stale version; audited",
			request: doraSettingsRequest{}, response: doraSettingsResponse{}, status: 200, problems: []int{400, 409, 415, 422},
		}},
		{get, "/api/v1/dora/codes", authz.VendorsRead, s.doraCodes, operation{
			id: "getDORACodes", tag: "dora", summary: "Whether the register is on, and its closed sets (ICT service types S01-S19, the eba_ codes) with their labels, for forms",
			response: doraCodesResponse{}, status: 200,
		}},
		{get, "/api/v1/dora/validation", authz.DORARead, s.doraValidation, operation{
			id: "getDORAValidation", tag: "dora", summary: "The DORA register's validation report: per template its rows and issues, and every issue (template, row, column, the record and field to fill: missing mandatory values, bad LEI check digits, country, currency and code lists, dates)",
			response: dora.Report{}, status: 200,
		}},
		{get, "/api/v1/dora/register.zip", authz.DORARead, s.doraRegister, operation{
			id: "exportDORARegister", tag: "dora", summary: "The DORA register of information as an xBRL-CSV report package (EBA DORA taxonomy 4.0: META-INF/reportPackage.json, reports/report.json, parameters.csv, FilingIndicators.csv and one CSV per template B_01.01-B_07.01), named <LEI>.CON_<country>_DORA010100_DORA_<reference date>_<timestamp>.zip; 422 with the report when it has issues, unless force=true (then validation-report.json sits beside the package folder)",
			request: doraExportQuery{}, response: "", status: 200, problems: []int{422}, produces: "application/zip",
		}},
		{get, "/api/v1/settings/risk-model", authz.SettingsRead, s.getRiskModel, operation{
			id: "getRiskModel", tag: "settings", summary: "The risk model in force: factors, points, tiers, cadences, formula weights",
			response: riskModelResponse{}, status: 200,
		}},
		{post, "/api/v1/settings/risk-model/preview", authz.SettingsManage, s.previewRiskModel, operation{
			id: "previewRiskModel", tag: "settings", summary: "What-if: which vendors a model would move to another tier or inherent score, with both sides of each (nothing is saved)",
			request: riskModelBody{}, response: scoring.Preview{}, status: 200, problems: []int{400, 415, 422},
		}},
		{get, "/api/v1/settings/risk-model/versions", authz.SettingsRead, s.riskModelVersions, operation{
			id: "listRiskModelVersions", tag: "settings", summary: "The model's versions, newest first, with who published each and the change note (kept in the publish's audit event)",
			response: riskModelVersionsResponse{}, status: 200,
		}},
		{post, "/api/v1/settings/risk-model", authz.SettingsManage, s.publishRiskModel, operation{
			id: "publishRiskModel", tag: "settings", summary: "Publish a new model version with a change note and rescore every vendor (history cause model_change); the body's version must be the one in force (409 otherwise)",
			request: publishRiskModelBody{}, response: publishRiskModelResponse{}, status: 200, problems: []int{400, 409, 413, 415, 422},
			bodyLimit: 64 << 10, // the model and a full 2,000-character change note fit whatever the JSON limit
		}},

		{get, "/api/v1/contracts", authz.ContractsRead, s.listContracts, operation{
			id: "listContracts", tag: "contracts", summary: "Contracts, most urgent cancel-by first",
			request: contractsQuery{}, response: listResponse[contractResponse]{}, status: 200, problems: []int{422},
		}},
		{get, "/api/v1/contracts/export.:format", authz.ContractsRead, s.exportContracts, operation{
			id: "exportContracts", tag: "contracts", summary: "Every contract matching the list filters, in the list's order, as CSV or XLSX, with a cf.<key> column per active custom field",
			request: contractsExportQuery{}, response: "", status: 200, problems: []int{422}, produces: "text/csv",
		}},
		{post, "/api/v1/contracts", authz.ContractsWrite, s.createContract, operation{
			id: "createContract", tag: "contracts", summary: "Add a contract; its end, current term and cancel-by dates are computed",
			request: createContractRequest{}, response: contractResponse{}, status: 201, problems: []int{400, 415, 422},
		}},
		{patch, "/api/v1/contracts/:id/dora", authz.ContractsWrite, s.updateContractDORA, operation{
			id: "updateContractDORA", tag: "dora", summary: "Change the contract's DORA register fields (arrangement, ICT service, supported function, assessment); 409 with current on a stale version; audited",
			request: contractDORARequest{}, response: contractResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{get, "/api/v1/contracts/:id", authz.ContractsRead, s.getContract, operation{
			id: "getContract", tag: "contracts", summary: "One contract",
			request: contractIDParam{}, response: contractResponse{}, status: 200, problems: []int{404},
		}},
		{get, "/api/v1/contracts/:id/record", authz.ContractsRead, s.contractRecord, operation{
			id: "getContractRecordCheck", tag: "contracts", summary: "The record's own fields beside what the latest document says (with quotes) and any disagreement with confirmed terms",
			request: contractIDParam{}, response: contracts.RecordCheck{}, status: 200, problems: []int{404},
		}},
		{post, "/api/v1/contracts/:id/record/accept", authz.ContractsWrite, s.acceptContractRecord, operation{
			id: "acceptContractRecordFields", tag: "contracts", summary: "Take chosen fields from the latest document into the record (values as the server read them; audited with their quotes)",
			request: acceptRecordRequest{}, response: contractResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{patch, "/api/v1/contracts/:id", authz.ContractsWrite, s.updateContract, operation{
			id: "updateContract", tag: "contracts", summary: "Change a contract (409 with current on a stale version)",
			request: updateContractRequest{}, response: contractResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{get, "/api/v1/contracts/:id/documents", authz.ContractsRead, s.listContractDocuments, operation{
			id: "listContractDocuments", tag: "contracts", summary: "The contract's document versions, newest first",
			request: contractIDParam{}, response: map[string][]contractDocumentResponse{}, status: 200, problems: []int{404},
		}},
		{post, "/api/v1/contracts/:id/documents", authz.ContractsWrite, s.addContractDocument, operation{
			id: "addContractDocument", consumes: "multipart/form-data", tag: "contracts",
			summary: "Upload a new version of the contract's document (PDF, DOCX, TXT, Markdown; at most 25 MB): its text is extracted and its key terms proposed",
			request: contractDocumentUpload{}, response: uploadResponse{}, status: 201, problems: []int{400, 404, 413, 415, 422}, bodyLimit: contracts.MaxDocument + 64<<10,
		}},
		{get, "/api/v1/contracts/:id/documents/:document_id", authz.ContractsRead, s.getContractDocument, operation{
			id: "getContractDocument", tag: "contracts", summary: "One document version with its extracted text and page boundaries",
			request: contractDocumentParam{}, response: contractDocumentText{}, status: 200, problems: []int{404},
		}},
		{get, "/api/v1/contracts/:id/documents/:document_id/file", authz.ContractsRead, s.downloadContractDocument, operation{
			id: "downloadContractDocument", tag: "contracts", summary: "Download the uploaded file (always as an attachment)",
			request: contractDocumentParam{}, response: "", status: 200, problems: []int{404}, produces: "application/octet-stream",
		}},
		{get, "/api/v1/contracts/:id/terms", authz.ContractsRead, s.listContractTerms, operation{
			id: "listContractTerms", tag: "contracts", summary: "The key terms with their evidence, review state and playbook verdict",
			request: contractIDParam{}, response: contractTermsResponse{}, status: 200, problems: []int{404},
		}},
		{patch, "/api/v1/contracts/:id/terms/:key", authz.ContractsReview, s.reviewContractTerm, operation{
			id: "reviewContractTerm", tag: "contracts", summary: "Confirm or correct one key term (audited; 403 once the review is signed off)",
			request: reviewTermRequest{}, response: contractTermResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{post, "/api/v1/contracts/:id/terms/confirm-meeting", authz.ContractsReview, s.confirmMeetingTerms, operation{
			id: "confirmMeetingTerms", tag: "contracts",
			summary: "Confirm in one step the listed proposed terms that meet the playbook (each audited as its own confirmation; 403 once signed off; 409 with the current terms when one changed since)",
			request: confirmMeetingRequest{}, response: confirmMeetingResponse{}, status: 200, problems: []int{400, 403, 404, 409, 415, 422},
		}},
		{post, "/api/v1/contracts/:id/terms/:key/finding", authz.ContractsReview, s.raiseTermFinding, operation{
			id: "raiseTermFinding", tag: "contracts", summary: "Raise a finding on the vendor for a term that deviates from the playbook or is missing",
			request: termFindingRequest{}, response: findingResponse{}, status: 201, problems: []int{400, 404, 415, 422},
		}},
		{post, "/api/v1/contracts/:id/review/sign-off", authz.ContractsReview, s.signOffContract, operation{
			id: "signOffContract", tag: "contracts", summary: "Sign off legal review once every term is confirmed or corrected; the terms are then locked",
			request: reviewMoveRequest{}, response: contractResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{post, "/api/v1/contracts/:id/review/reopen", authz.ContractsReview, s.reopenContract, operation{
			id: "reopenContract", tag: "contracts", summary: "Reopen a signed-off review (the reason is audited)",
			request: reviewMoveRequest{}, response: contractResponse{}, status: 200, problems: []int{400, 404, 409, 415, 422},
		}},
		{get, "/api/v1/contracts/:id/comments", authz.ContractsRead, s.listContractComments, operation{
			id: "listContractComments", tag: "contracts", summary: "The review thread, oldest first",
			request: contractIDParam{}, response: map[string][]contractCommentResponse{}, status: 200, problems: []int{404},
		}},
		{post, "/api/v1/contracts/:id/comments", authz.ContractsWrite, s.commentContract, operation{
			id: "commentContract", tag: "contracts", summary: "Add a comment to the review thread",
			request: contractCommentRequest{}, response: contractCommentResponse{}, status: 201, problems: []int{400, 404, 415, 422},
		}},
		{get, "/api/v1/playbook", authz.ContractsRead, s.getPlaybook, operation{
			id: "getPlaybook", tag: "contracts", summary: "The clause playbook in force: the company's standard for each key term",
			response: playbookResponse{}, status: 200,
		}},
		{put, "/api/v1/playbook", authz.PlaybookManage, s.savePlaybook, operation{
			id: "savePlaybook", tag: "contracts", summary: "Publish a new playbook version (per-field errors on invalid rules; 409 when another save came first)",
			request: savePlaybookRequest{}, response: playbookResponse{}, status: 200, problems: []int{400, 409, 415, 422},
		}},
		{get, "/api/v1/calendar", authz.DashboardRead, s.calendar, operation{
			id: "calendar", tag: "contracts", summary: "Deadlines in a window: cancel-by and term-end dates, reviews due, findings due",
			request: calendarQuery{}, response: map[string][]calendarEvent{}, status: 200, problems: []int{422},
		}},

		{post, "/api/v1/calendar/feed", authz.DashboardRead, s.createCalendarFeed, operation{
			id: "createCalendarFeed", tag: "contracts", summary: "Make a personal iCalendar feed URL (shown once; replaces any earlier one)",
			response: feedResponse{}, status: 201,
		}},
		{get, "/api/v1/calendar/feed", authz.DashboardRead, s.calendarFeedStatus, operation{
			id: "calendarFeedStatus", tag: "contracts", summary: "Whether the caller has a live iCalendar feed URL",
			response: feedStatus{}, status: 200,
		}},
		{del, "/api/v1/calendar/feed", authz.DashboardRead, s.revokeCalendarFeed, operation{
			id: "revokeCalendarFeed", tag: "contracts", summary: "Stop the personal iCalendar feed URL", status: 204,
		}},
		{get, "/api/v1/calendar/feed/:token", authz.Public, s.calendarFeed, operation{
			id: "calendarFeed", tag: "contracts", summary: "The iCalendar feed of deadlines for calendar apps (the secret URL is the credential)",
			request: feedToken{}, response: "", status: 200, problems: []int{404, 429}, produces: "text/calendar", portal: true,
		}},

		{get, "/api/v1/audit-events", authz.AuditRead, s.listAudit, operation{
			id: "listAuditEvents", tag: "audit", summary: "The audit trail, newest first",
			request: auditQuery{}, response: listResponse[auditEventResponse]{}, status: 200, problems: []int{422},
		}},
		{get, "/api/v1/audit-events/actions", authz.AuditRead, s.auditActions, operation{
			id: "listAuditActions", tag: "audit", summary: "Every event family and action the trail records, with labels (what the family and action filters accept)",
			response: auditActionsResponse{}, status: 200,
		}},
		{get, "/api/v1/audit-events/verify", authz.AuditRead, s.verifyAudit, operation{
			id: "verifyAuditChain", tag: "audit", summary: "Recompute the hash chain and report the first broken link",
			response: verifyResponse{}, status: 200,
		}},
		{get, "/api/v1/audit-events/checkpoint", authz.AuditRead, s.auditCheckpoint, operation{
			id: "getAuditCheckpoint", tag: "audit", summary: "A signed checkpoint of the trail's last event, to keep outside the database (rampart audit verify --checkpoint)",
			response: models.AuditCheckpoint{}, status: 200, problems: []int{503},
		}},
		{get, "/api/v1/audit-events/export.csv", authz.AuditRead, s.exportAudit, operation{
			id: "exportAuditEvents", tag: "audit", summary: "The matching audit events as CSV; the last row (first cell `checkpoint`) and the Rampart-Audit-Checkpoint header carry a signed checkpoint of the whole trail's last event",
			request: auditQuery{}, response: "", status: 200, problems: []int{422}, produces: "text/csv",
		}},
	}
}

type usersQuery struct {
	Q      string `query:"q" description:"matches name or email"`
	Role   string `query:"role" description:"one or more of admin, risk_manager, legal, requester, auditor, comma-separated"`
	Active string `query:"active" enum:"true,false"`
	Sort   string `query:"sort" description:"name, email, role, department or created_at; prefix - for descending"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200"`
	Cursor string `query:"cursor"`
}
