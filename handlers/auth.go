package handlers

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/auth"
	"rampart/app/authz"
	"rampart/models"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "rampart_session"

const ctxPrincipal = "principal"

func principalOf(c echo.Context) *auth.Principal {
	p, _ := c.Get(ctxPrincipal).(*auth.Principal)
	return p
}

func (s *Server) origin(c echo.Context) auth.Origin {
	return auth.Origin{
		RequestID: c.Response().Header().Get(echo.HeaderXRequestID),
		ClientIP:  c.RealIP(),
		UserAgent: c.Request().UserAgent(),
	}
}

// authenticate identifies the caller from a bearer token or the session
// cookie. It only identifies; each route's guard decides what is allowed.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !strings.HasPrefix(c.Request().URL.Path, "/api/") {
			return next(c)
		}
		ctx := c.Request().Context()
		if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
			scheme, token, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") {
				s.refused(c, auth.RefusedUnauthenticated, "not a Bearer Authorization header")
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="rampart"`)
				return echo.NewHTTPError(http.StatusUnauthorized, "Use Authorization: Bearer <API token>.")
			}
			p, err := s.deps.Auth.Token(ctx, strings.TrimSpace(token))
			if err != nil {
				if errors.Is(err, auth.ErrUnauthenticated) {
					s.refused(c, auth.RefusedUnauthenticated, "unknown, expired or revoked API token")
				}
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="rampart", error="invalid_token"`)
				return err
			}
			if err := s.setPrincipal(c, p); err != nil {
				return err
			}
			return next(c)
		}
		if ck, err := c.Cookie(SessionCookie); err == nil && ck.Value != "" {
			p, err := s.deps.Auth.Session(ctx, ck.Value)
			switch {
			case errors.Is(err, auth.ErrUnauthenticated):
				s.clearCookie(c)
			case err != nil:
				return err
			default:
				if err := s.setPrincipal(c, p); err != nil {
					return err
				}
			}
		}
		return next(c)
	}
}

func (s *Server) setPrincipal(c echo.Context, p *auth.Principal) error {
	c.Set(ctxPrincipal, p)
	c.Set(ctxUserID, p.User.ID)
	return s.scopeToUnits(c, p.User)
}

// scopeToUnits puts a person scoped to business units under that scope
// for the rest of the request: every models query made with the request's
// context then sees only their units' objects (docs/business-units.md).
// Admins are never scoped.
func (s *Server) scopeToUnits(c echo.Context, u *models.User) error {
	ctx, err := s.unitContext(c.Request().Context(), u)
	if err != nil {
		return err
	}
	c.SetRequest(c.Request().WithContext(ctx))
	return nil
}

// unitContext is ctx scoped to u's business units, or ctx itself for an
// admin or a person in no unit. The user row read with the session says
// whether there are any, so an unscoped person's call reads nothing more.
func (s *Server) unitContext(ctx context.Context, u *models.User) (context.Context, error) {
	if u.Role == models.RoleAdmin || u.BusinessUnitCount == 0 {
		return ctx, nil
	}
	units, err := models.UserUnitIDs(ctx, s.deps.DB.Gorm, u.ID)
	if err != nil || len(units) == 0 {
		return ctx, err
	}
	return models.WithUnits(ctx, units), nil
}

// guard enforces a route's permission: sign-in, the role's permission
// (from the one table in authz), read-only tokens, and for cookie
// sessions the CSRF token and same-origin checks on unsafe methods.
func (s *Server) guard(rt route) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			unsafe := !isSafeMethod(c.Request().Method)
			p := principalOf(c)
			if unsafe && !rt.op.crossSite && (p == nil || p.Token == nil) {
				if err := s.checkSameOrigin(c); err != nil {
					s.refused(c, auth.RefusedCrossOrigin, crossOriginDetail(c.Request()))
					return err
				}
			}
			if rt.perm == authz.Public {
				return next(c)
			}
			if p == nil {
				// GET /auth/me is how the web app asks whether it is signed
				// in: its 401 is an answer, not a refused request.
				if rt.method != get || rt.path != "/api/v1/auth/me" {
					s.refused(c, auth.RefusedUnauthenticated, "")
				}
				return auth.ErrUnauthenticated
			}
			if err := pendingRefusal(rt, p.Pending); err != nil {
				s.deps.Auth.RecordDenied(c.Request().Context(), p, rt.method+" "+rt.path+" (must finish "+strings.ReplaceAll(p.Pending, "_", " ")+" first)", s.origin(c))
				return err
			}
			if !authz.Can(p.User.Role, rt.perm) {
				s.deps.Auth.RecordDenied(c.Request().Context(), p, rt.method+" "+rt.path, s.origin(c))
				return echo.NewHTTPError(http.StatusForbidden, "Your role does not allow this.")
			}
			if unsafe && p.ReadOnly() {
				s.deps.Auth.RecordDenied(c.Request().Context(), p, rt.method+" "+rt.path+" (read-only token)", s.origin(c))
				return echo.NewHTTPError(http.StatusForbidden, "This API token is read-only.")
			}
			if unsafe && p.Session != nil {
				got := c.Request().Header.Get("X-CSRF-Token")
				if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(p.Session.CSRFToken)) != 1 {
					s.refused(c, auth.RefusedCSRF, map[bool]string{true: "no X-CSRF-Token header", false: "wrong X-CSRF-Token header"}[got == ""])
					return echo.NewHTTPError(http.StatusForbidden, "Missing or wrong X-CSRF-Token header.")
				}
			}
			return next(c)
		}
	}
}

// refused records a refused request in the audit trail (rate limited):
// method and route pattern, never the raw path, which may hold a portal
// token, plus why.
func (s *Server) refused(c echo.Context, action, why string) {
	detail := c.Request().Method + " " + c.Path()
	if why != "" {
		detail += ": " + why
	}
	s.deps.Auth.RecordRefusal(c.Request().Context(), principalOf(c), action, "", "", detail, s.origin(c))
}

// crossOriginDetail names what gave a cross-site request away; the
// header values are the sender's, so they are cut short.
func crossOriginDetail(req *http.Request) string {
	if site := req.Header.Get("Sec-Fetch-Site"); site == "cross-site" || site == "same-site" {
		return "Sec-Fetch-Site " + site
	}
	o := req.Header.Get(echo.HeaderOrigin)
	if len(o) > 100 {
		o = strings.ToValidUTF8(o[:100], "") + "..."
	}
	return "Origin " + strconv.Quote(o)
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// checkSameOrigin refuses browser requests sent from another site: the
// CSRF token already stops them for sessions; this also covers sign-in.
func (s *Server) checkSameOrigin(c echo.Context) error {
	req := c.Request()
	if site := req.Header.Get("Sec-Fetch-Site"); site == "cross-site" || site == "same-site" {
		return echo.NewHTTPError(http.StatusForbidden, "Cross-site requests are not accepted.")
	}
	o := req.Header.Get(echo.HeaderOrigin)
	if o == "" {
		return nil
	}
	u, err := url.Parse(o)
	if err != nil || o == "null" || !(sameHost(u, req.Host) || strings.EqualFold(strings.TrimRight(o, "/"), s.baseOrigin)) {
		return echo.NewHTTPError(http.StatusForbidden, "Cross-site requests are not accepted.")
	}
	return nil
}

func sameHost(u *url.URL, host string) bool {
	return (u.Scheme == "http" || u.Scheme == "https") && strings.EqualFold(u.Host, host)
}

func (s *Server) setSessionCookie(c echo.Context, value string, expires time.Time) {
	c.SetCookie(&http.Cookie{
		Name: SessionCookie, Value: value, Path: "/", Expires: expires,
		HttpOnly: true, Secure: s.deps.CookieSecure, SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.deps.CookieSecure, SameSite: http.SameSiteLaxMode,
	})
}

// --- /auth ---

type loginRequest struct {
	Email    string `json:"email" validate:"required,max=254"`
	Password string `json:"password" validate:"required,max=1024"`
}

type meResponse struct {
	User        userResponse   `json:"user"`
	CSRFToken   string         `json:"csrf_token"`
	Permissions []authz.Action `json:"permissions"`
	// MailMode says whether email leaves (on), is held in the demo outbox
	// (demo) or is not written at all (off), so pages can say what a
	// send will do.
	MailMode string `json:"mail_mode" enum:"off,on,demo"`
	// Pending is what this session must finish before anything else;
	// every other route answers 403 until then.
	Pending string `json:"pending" enum:",password_change,mfa_enrolment" description:"password_change: a temporary password must be replaced; mfa_enrolment: the policy requires MFA for the role; empty otherwise"`
}

func (s *Server) me(p *auth.Principal) meResponse {
	csrf := ""
	if p.Session != nil {
		csrf = p.Session.CSRFToken
	}
	return meResponse{User: toUserResponse(p.User), CSRFToken: csrf, Permissions: authz.For(p.User.Role), MailMode: s.deps.Notify.Mode.String(), Pending: p.Pending}
}

func (s *Server) login(c echo.Context) error {
	var req loginRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	signed, err := s.deps.Auth.SignIn(c.Request().Context(), req.Email, req.Password, s.origin(c))
	if err != nil {
		return err
	}
	if signed.Challenge != "" {
		s.setMFACookie(c, signed.Challenge, signed.ChallengeExpires)
		return c.JSON(http.StatusAccepted, mfaRequiredResponse{MFARequired: true, ExpiresAt: signed.ChallengeExpires, Methods: append([]string{}, signed.Methods...)})
	}
	return s.signedIn(c, signed)
}

func (s *Server) logout(c echo.Context) error {
	p := principalOf(c)
	if p.Session != nil {
		if err := s.deps.Auth.SignOut(c.Request().Context(), p, s.origin(c)); err != nil {
			return err
		}
	}
	s.clearCookie(c)
	return c.NoContent(http.StatusNoContent)
}

type logoutEverywhereRequest struct {
	RevokeTokens bool `json:"revoke_tokens" description:"also revoke every API token and the calendar feed URL of the user"`
}

func (s *Server) logoutEverywhere(c echo.Context) error {
	var req logoutEverywhereRequest
	// The body is optional: without one only sessions end, as before.
	if c.Request().ContentLength != 0 {
		if err := bindJSON(c, &req); err != nil {
			return err
		}
	}
	if err := s.deps.Auth.SignOutEverywhere(c.Request().Context(), principalOf(c), req.RevokeTokens, s.origin(c)); err != nil {
		return err
	}
	s.clearCookie(c)
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) getMe(c echo.Context) error {
	return c.JSON(http.StatusOK, s.me(principalOf(c)))
}

type updateMeRequest struct {
	Name    string `json:"name" validate:"required,max=200"`
	Version int64  `json:"version" validate:"required,gte=1"`
}

func (s *Server) updateMe(c echo.Context) error {
	var req updateMeRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	p := principalOf(c)
	u, err := s.deps.Auth.UpdateOwnName(c.Request().Context(), p, req.Version, strings.TrimSpace(req.Name), s.origin(c))
	if err != nil {
		if u != nil {
			return conflictWith(err, toUserResponse(u))
		}
		return err
	}
	return c.JSON(http.StatusOK, s.me(&auth.Principal{User: u, Session: p.Session, Token: p.Token, Pending: p.Pending}))
}

type passwordRequest struct {
	CurrentPassword string `json:"current_password" validate:"required,max=1024"`
	NewPassword     string `json:"new_password" validate:"required,max=1024"`
	RevokeTokens    bool   `json:"revoke_tokens" description:"also revoke every API token of the user (the calendar feed URL is always revoked)"`
}

func (s *Server) changePassword(c echo.Context) error {
	p := principalOf(c)
	if p.Session == nil {
		return echo.NewHTTPError(http.StatusForbidden, "Sign in with your password in the web app to change it.")
	}
	var req passwordRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	signed, err := s.deps.Auth.ChangePassword(c.Request().Context(), p, req.CurrentPassword, req.NewPassword, req.RevokeTokens, s.origin(c))
	if err != nil {
		return err
	}
	return s.signedIn(c, signed)
}

// conflictWith turns a version conflict into a 409 that carries the
// record as it is now, so the client can show it beside the user's edits.
func conflictWith(err error, current any) error {
	if errors.Is(err, models.ErrConflict) {
		return &conflictError{current: current}
	}
	return err
}
