package handlers

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/notify"
	"rampart/models"
)

// MFA, password reset and sessions (docs/security.md).

// MFACookie holds the pending second step of a sign-in: not a session,
// it opens nothing but POST /api/v1/auth/login/mfa.
const MFACookie = "rampart_mfa"

// Problem types for a session that must finish something first.
const (
	typePasswordChangeRequired = "urn:rampart:problem:password-change-required"
	typeMFAEnrolmentRequired   = "urn:rampart:problem:mfa-enrolment-required"
)

// pendingRoutes are the only routes a session in a pending state may
// call: what it takes to finish that state, see who one is, and leave.
var pendingRoutes = map[string]string{
	get + " /api/v1/auth/me":                        "*",
	post + " /api/v1/auth/logout":                   "*",
	post + " /api/v1/auth/password":                 auth.PendingPasswordChange,
	get + " /api/v1/auth/mfa":                       auth.PendingMFAEnrolment,
	post + " /api/v1/auth/mfa/totp/setup":           auth.PendingMFAEnrolment,
	post + " /api/v1/auth/mfa/totp/confirm":         auth.PendingMFAEnrolment,
	get + " /api/v1/auth/passkeys":                  auth.PendingMFAEnrolment,
	post + " /api/v1/auth/passkeys/register/begin":  auth.PendingMFAEnrolment,
	post + " /api/v1/auth/passkeys/register/finish": auth.PendingMFAEnrolment,
}

// pendingRefusal is the answer to any other route in a pending state.
func pendingRefusal(rt route, pending string) error {
	if pending == "" {
		return nil
	}
	if ok := pendingRoutes[rt.method+" "+rt.path]; ok == "*" || ok == pending {
		return nil
	}
	if pending == auth.PendingPasswordChange {
		return &requestError{status: http.StatusForbidden, typ: typePasswordChangeRequired,
			detail: "Your password was set by an administrator: choose your own (POST /api/v1/auth/password) before doing anything else."}
	}
	return &requestError{status: http.StatusForbidden, typ: typeMFAEnrolmentRequired,
		detail: "The security policy requires multi-factor authentication for your role: add a passkey (POST /api/v1/auth/passkeys/register/begin) or set up an authenticator app (POST /api/v1/auth/mfa/totp/setup) before doing anything else."}
}

type mfaRequiredResponse struct {
	MFARequired bool      `json:"mfa_required" description:"true: send a code to POST /api/v1/auth/login/mfa, or use a passkey through POST /api/v1/auth/login/mfa/passkey/begin"`
	ExpiresAt   time.Time `json:"expires_at" description:"when the second step closes"`
	Methods     []string  `json:"methods" enum:"totp,passkey" description:"the second factors this account has: totp (an authenticator app's code or a recovery code) and passkey"`
}

func (s *Server) setMFACookie(c echo.Context, value string, expires time.Time) {
	c.SetCookie(&http.Cookie{
		Name: MFACookie, Value: value, Path: "/api/v1/auth/login", Expires: expires,
		HttpOnly: true, Secure: s.deps.CookieSecure, SameSite: http.SameSiteStrictMode,
	})
}

func (s *Server) clearMFACookie(c echo.Context) {
	c.SetCookie(&http.Cookie{
		Name: MFACookie, Value: "", Path: "/api/v1/auth/login", MaxAge: -1,
		HttpOnly: true, Secure: s.deps.CookieSecure, SameSite: http.SameSiteStrictMode,
	})
}

// signedIn answers a finished sign-in: the session cookie and who is in.
func (s *Server) signedIn(c echo.Context, signed *auth.SignedIn) error {
	pending, err := s.deps.Auth.Pending(c.Request().Context(), signed.User)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, signed.Cookie, signed.Session.ExpiresAt)
	return c.JSON(http.StatusOK, s.me(&auth.Principal{User: signed.User, Session: signed.Session, Pending: pending}))
}

type mfaCodeRequest struct {
	Code string `json:"code" validate:"required,max=100" description:"the authenticator's 6-digit code or a recovery code"`
}

func (s *Server) loginMFA(c echo.Context) error {
	var req mfaCodeRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ck, _ := c.Cookie(MFACookie)
	challenge := ""
	if ck != nil {
		challenge = ck.Value
	}
	signed, err := s.deps.Auth.VerifyMFA(c.Request().Context(), challenge, req.Code, s.origin(c))
	if errors.Is(err, auth.ErrMFAChallenge) {
		s.clearMFACookie(c)
		return &requestError{status: http.StatusUnauthorized, typ: typeMFAChallengeExpired,
			detail: "This sign-in took too long or was finished already. Sign in again with your password."}
	}
	if err != nil {
		return err
	}
	s.clearMFACookie(c)
	return s.signedIn(c, signed)
}

const typeMFAChallengeExpired = "urn:rampart:problem:mfa-challenge-expired"

// requireSession refuses API tokens on routes about the browser's own
// sign-in factors.
func requireSession(p *auth.Principal) error {
	if p.Session == nil {
		return echo.NewHTTPError(http.StatusForbidden, "Sign in with your password in the web app to manage MFA and sessions.")
	}
	return nil
}

type mfaStatusResponse struct {
	Enabled           bool       `json:"enabled" description:"an authenticator app (TOTP) is on"`
	Passkeys          int64      `json:"passkeys" description:"how many passkeys the user has; each is a second factor too"`
	PasskeysAvailable bool       `json:"passkeys_available" description:"this server can register passkeys (its public base URL can be a WebAuthn relying party)"`
	EnabledAt         *time.Time `json:"enabled_at"`
	RecoveryCodesLeft int64      `json:"recovery_codes_left"`
	RequiredByPolicy  bool       `json:"required_by_policy" description:"the security policy requires MFA for the user's role"`
}

func (s *Server) mfaStatus(c echo.Context) error {
	ctx, p := c.Request().Context(), principalOf(c)
	pol, err := models.GetSecurityPolicy(ctx, s.deps.DB.Gorm)
	if err != nil {
		return err
	}
	left, err := models.RecoveryCodesLeft(ctx, s.deps.DB.Gorm, p.User.ID)
	if err != nil {
		return err
	}
	keys, err := models.CountPasskeys(ctx, s.deps.DB.Gorm, p.User.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, mfaStatusResponse{Enabled: p.User.MFAEnabled(), EnabledAt: p.User.TOTPEnabledAt,
		Passkeys: keys, PasskeysAvailable: s.passkeys.Available() == nil,
		RecoveryCodesLeft: left, RequiredByPolicy: pol.RequiresMFA(p.User.Role)})
}

type totpSetupResponse struct {
	Secret     string `json:"secret" description:"the base32 secret, for typing into an authenticator app"`
	OtpauthURL string `json:"otpauth_url" description:"what the QR code holds"`
	QRCode     string `json:"qr_code" description:"a data: URL of a PNG image of the QR code"`
}

func (s *Server) totpSetup(c echo.Context) error {
	p := principalOf(c)
	if err := requireSession(p); err != nil {
		return err
	}
	e, err := s.deps.Auth.BeginTOTP(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, totpSetupResponse{Secret: e.Secret, OtpauthURL: e.URL,
		QRCode: "data:image/png;base64," + base64.StdEncoding.EncodeToString(e.QRCode)})
}

type recoveryCodesResponse struct {
	RecoveryCodes []string `json:"recovery_codes" description:"single-use codes, shown this once"`
}

func (s *Server) totpConfirm(c echo.Context) error {
	p := principalOf(c)
	if err := requireSession(p); err != nil {
		return err
	}
	var req mfaCodeRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	codes, err := s.deps.Auth.ConfirmTOTP(c.Request().Context(), p, req.Code, s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, recoveryCodesResponse{RecoveryCodes: codes})
}

type ownPasswordRequest struct {
	Password string `json:"password" validate:"required,max=1024" description:"the user's current password"`
}

func (s *Server) totpDisable(c echo.Context) error {
	p := principalOf(c)
	if err := requireSession(p); err != nil {
		return err
	}
	var req ownPasswordRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if err := s.deps.Auth.DisableTOTP(c.Request().Context(), p, req.Password, s.origin(c)); err != nil {
		if errors.Is(err, auth.ErrMFANotEnabled) {
			return models.Invalid("mfa", "is not on")
		}
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) regenerateRecoveryCodes(c echo.Context) error {
	p := principalOf(c)
	if err := requireSession(p); err != nil {
		return err
	}
	var req ownPasswordRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	codes, err := s.deps.Auth.RegenerateRecoveryCodes(c.Request().Context(), p, req.Password, s.origin(c))
	if errors.Is(err, auth.ErrMFANotEnabled) {
		return models.Invalid("mfa", "is not on")
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, recoveryCodesResponse{RecoveryCodes: codes})
}

// --- password reset ---

type resetRequest struct {
	Email string `json:"email" validate:"required,max=254"`
}

type messageResponse struct {
	Message string `json:"message"`
}

// resetMailer writes the reset link's mail to the outbox.
func (s *Server) resetMailer(ctx context.Context, tx *gorm.DB, u *models.User, token string, expires time.Time) error {
	return s.deps.Notify.Emit(ctx, tx, notify.Event{
		Kind: "account.password_reset", Key: "account.password_reset:" + token[:12], ObjectType: "user", ObjectID: u.ID,
		Link:  "/reset-password#token=" + token,
		Title: "Reset your Rampart password",
		Body: "Someone, hopefully you, asked to reset the password of the Rampart account " + u.Email + ".\n\n" +
			"The link below works once, until " + expires.UTC().Format("15:04 MST") + " (30 minutes). " +
			"Setting a new password signs out every session of the account.",
		To:     []notify.Recipient{{Email: u.Email, Name: u.Name}},
		Footer: "If you did not ask for this, ignore this message: your password stays as it is.",
	})
}

func (s *Server) mailUnavailable() error {
	return &requestError{status: http.StatusServiceUnavailable, typ: typeUnavailable,
		detail: "Password reset by email is not available because mail is not configured. Ask an administrator to reset your password."}
}

func (s *Server) requestPasswordReset(c echo.Context) error {
	var req resetRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if s.deps.Notify.Mode == notify.MailOff {
		return s.mailUnavailable()
	}
	if err := s.deps.Auth.RequestPasswordReset(c.Request().Context(), req.Email, s.resetMailer, s.origin(c)); err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, messageResponse{Message: "If an account uses this address, a link to reset its password is on its way. It works for 30 minutes."})
}

type resetConfirmRequest struct {
	Token       string `json:"token" validate:"required,max=100"`
	NewPassword string `json:"new_password" validate:"required,max=1024"`
}

func (s *Server) confirmPasswordReset(c echo.Context) error {
	var req resetConfirmRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if err := s.deps.Auth.ResetPassword(c.Request().Context(), req.Token, req.NewPassword, s.origin(c)); err != nil {
		return err
	}
	s.clearCookie(c)
	return c.NoContent(http.StatusNoContent)
}

type adminResetRequest struct {
	userIDParam
	Mode              string `json:"mode" validate:"required,oneof=link temporary" enum:"link,temporary" description:"link: mail a reset link; temporary: set a password the user must change at next sign-in"`
	TemporaryPassword string `json:"temporary_password" validate:"max=1024" description:"with mode temporary"`
}

func (s *Server) adminResetPassword(c echo.Context) error {
	var req adminResetRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx, p, id := c.Request().Context(), principalOf(c), c.Param("id")
	var u *models.User
	var err error
	if req.Mode == "link" {
		if s.deps.Notify.Mode == notify.MailOff {
			return models.Invalid("mode", "mail is not configured: set a temporary password instead")
		}
		u, err = s.deps.Auth.AdminSendResetLink(ctx, p, id, s.resetMailer, s.origin(c))
	} else {
		if req.TemporaryPassword == "" {
			return models.Invalid("temporary_password", "is required with mode temporary")
		}
		u, err = s.deps.Auth.SetTemporaryPassword(ctx, p, id, req.TemporaryPassword, s.origin(c))
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toUserResponse(u))
}

func (s *Server) adminResetMFA(c echo.Context) error {
	u, err := s.deps.Auth.AdminResetMFA(c.Request().Context(), principalOf(c), c.Param("id"), s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toUserResponse(u))
}

// --- sessions ---

type sessionResponse struct {
	ID         string    `json:"id"`
	Device     string    `json:"device" description:"browser and system, from the User-Agent the browser sent"`
	UserAgent  string    `json:"user_agent"`
	ClientIP   string    `json:"client_ip"`
	CreatedAt  time.Time `json:"created_at" description:"when this session signed in"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	Current    bool      `json:"current" description:"the session making this request"`
}

type sessionsResponse struct {
	Items []sessionResponse `json:"items"`
}

func (s *Server) sessionsOf(c echo.Context, userID string) error {
	list, err := models.UserSessions(c.Request().Context(), s.deps.DB.Gorm, userID)
	if err != nil {
		return err
	}
	cur := ""
	if p := principalOf(c); p.Session != nil {
		cur = p.Session.ID
	}
	out := sessionsResponse{Items: []sessionResponse{}}
	for _, ss := range list {
		out.Items = append(out.Items, sessionResponse{ID: auth.SessionPublicID(ss.ID), Device: auth.DeviceOf(ss.UserAgent), UserAgent: ss.UserAgent,
			ClientIP: ss.ClientIP, CreatedAt: ss.CreatedAt.UTC(), LastSeenAt: ss.LastSeenAt.UTC(), ExpiresAt: ss.ExpiresAt.UTC(), Current: ss.ID == cur})
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) mySessions(c echo.Context) error {
	return s.sessionsOf(c, principalOf(c).User.ID)
}

type sessionIDParam struct {
	ID string `path:"id"`
}

func (s *Server) revokeMySession(c echo.Context) error {
	if err := s.deps.Auth.RevokeSession(c.Request().Context(), principalOf(c), c.Param("id"), s.origin(c)); err != nil {
		return err
	}
	if p := principalOf(c); p.Session != nil && auth.SessionPublicID(p.Session.ID) == c.Param("id") {
		s.clearCookie(c)
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) revokeOtherSessions(c echo.Context) error {
	if err := s.deps.Auth.RevokeOtherSessions(c.Request().Context(), principalOf(c), s.origin(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) userSessions(c echo.Context) error {
	if _, err := models.UserByID(c.Request().Context(), s.deps.DB.Gorm, c.Param("id")); err != nil {
		return err
	}
	return s.sessionsOf(c, c.Param("id"))
}

func (s *Server) endUserSessions(c echo.Context) error {
	if err := s.deps.Auth.EndUserSessions(c.Request().Context(), principalOf(c), c.Param("id"), s.origin(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// --- policy ---

type securityPolicyResponse struct {
	MFARequiredRoles []models.Role `json:"mfa_required_roles"`
	SSORequired      bool          `json:"sso_required" description:"password sign-in is refused to all but the break-glass administrator"`
	BreakGlassUserID *string       `json:"break_glass_user_id"`
	Version          int64         `json:"version"`
}

type securityPolicyRequest struct {
	MFARequiredRoles []string `json:"mfa_required_roles" validate:"max=10"`
	SSORequired      *bool    `json:"sso_required" description:"left out: unchanged"`
	BreakGlassUserID *string  `json:"break_glass_user_id" description:"an active administrator; required with sso_required; left out: unchanged"`
	Version          int64    `json:"version" validate:"required,gte=1"`
}

func toPolicyResponse(p *models.SecurityPolicy) securityPolicyResponse {
	return securityPolicyResponse{MFARequiredRoles: p.Roles(), SSORequired: p.SSORequired, BreakGlassUserID: p.BreakGlassUserID, Version: p.Version}
}

func (s *Server) getSecurityPolicy(c echo.Context) error {
	p, err := models.GetSecurityPolicy(c.Request().Context(), s.deps.DB.Gorm)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toPolicyResponse(p))
}

func (s *Server) saveSecurityPolicy(c echo.Context) error {
	var req securityPolicyRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	var roles []models.Role
	for _, r := range req.MFARequiredRoles {
		role := models.Role(strings.TrimSpace(r))
		if !role.Valid() {
			return models.Invalid("mfa_required_roles", "must name roles among "+strings.Join(roleNames(), ", "))
		}
		if !containsRole(roles, role) {
			roles = append(roles, role)
		}
	}
	cur, err := models.GetSecurityPolicy(c.Request().Context(), s.deps.DB.Gorm)
	if err != nil {
		return err
	}
	ch := models.PolicyChange{MFARequiredRoles: roles, SSORequired: cur.SSORequired, BreakGlassUserID: cur.BreakGlassUserID}
	if req.SSORequired != nil {
		ch.SSORequired = *req.SSORequired
	}
	if req.BreakGlassUserID != nil {
		ch.BreakGlassUserID = req.BreakGlassUserID
		if *req.BreakGlassUserID == "" {
			ch.BreakGlassUserID = nil
		}
	}
	p, err := s.deps.Auth.SavePolicy(c.Request().Context(), principalOf(c), req.Version, ch, s.origin(c))
	if err != nil {
		if p != nil {
			return conflictWith(err, toPolicyResponse(p))
		}
		return err
	}
	return c.JSON(http.StatusOK, toPolicyResponse(p))
}

func containsRole(list []models.Role, r models.Role) bool {
	for _, x := range list {
		if x == r {
			return true
		}
	}
	return false
}
