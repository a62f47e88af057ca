package handlers

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/auth"
	"rampart/models"
)

// Passkeys (WebAuthn): registering them in Settings, signing in with one
// instead of a password, and using one as the second step after the
// password (docs/security.md, "Passkeys").

const (
	typePasskeyCeremony = "urn:rampart:problem:passkey-ceremony-expired"
	typePasskeyOrigin   = "urn:rampart:problem:passkey-wrong-origin"
)

// passkeyProblem maps the passkey service's errors to problems; others
// pass through to problemFor.
func passkeyProblem(err error) error {
	var un *auth.ErrPasskeysUnavailable
	var wo *auth.ErrWrongOrigin
	switch {
	case err == nil:
		return nil
	case errors.As(err, &un):
		return &requestError{status: http.StatusServiceUnavailable, typ: typeUnavailable,
			detail: "Passkeys are not available on this server: " + un.Reason + "."}
	case errors.As(err, &wo):
		return &requestError{status: http.StatusBadRequest, typ: typePasskeyOrigin,
			detail: "Passkeys work only at Rampart's public address " + wo.Want + "; this page is at " + wo.Origin + ". Open Rampart at " + wo.Want + "."}
	case errors.Is(err, auth.ErrCeremony):
		return &requestError{status: http.StatusBadRequest, typ: typePasskeyCeremony,
			detail: "This passkey step took too long or was finished already. Start again."}
	case errors.Is(err, auth.ErrPasskeyMalformed):
		return malformed("credential is not a WebAuthn credential as navigator.credentials returns it (JSON with base64url fields).")
	case errors.Is(err, auth.ErrPasskeyRefused):
		return models.Invalid("credential", "was not accepted: use a passkey registered for this account, at this site")
	case errors.Is(err, auth.ErrMFAChallenge):
		// 400, not 401 as on POST /auth/login/mfa: no one is signed out
		// here, the password step is simply not open (any more).
		return &requestError{status: http.StatusBadRequest, typ: typeMFAChallengeExpired,
			detail: "This sign-in took too long or was finished already. Sign in again with your password."}
	}
	return err
}

type passkeyResponse struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	Transports []string   `json:"transports" description:"how the browser reaches the authenticator: internal (this device), hybrid (a phone), usb, nfc, ble"`
	AAGUID     string     `json:"aaguid" description:"the authenticator model's id, as the authenticator told it (all zeros when it keeps it private)"`
	Synced     bool       `json:"synced" description:"the passkey is backed up by its provider (e.g. synced across the person's devices)"`
	Version    int64      `json:"version" description:"send with a rename"`
}

type passkeysResponse struct {
	Items []passkeyResponse `json:"items"`
}

func toPasskeyResponse(k *models.Passkey) passkeyResponse {
	out := passkeyResponse{ID: k.ID, Name: k.Name, CreatedAt: k.CreatedAt.UTC(), AAGUID: k.AAGUID, Synced: k.BackupState, Version: k.Version, Transports: []string{}}
	if k.LastUsedAt != nil {
		t := k.LastUsedAt.UTC()
		out.LastUsedAt = &t
	}
	for _, t := range strings.Split(k.Transports, ",") {
		if t != "" {
			out.Transports = append(out.Transports, t)
		}
	}
	return out
}

func (s *Server) passkeysOf(c echo.Context, userID string) error {
	list, err := models.UserPasskeys(c.Request().Context(), s.deps.DB.Gorm, userID)
	if err != nil {
		return err
	}
	out := passkeysResponse{Items: []passkeyResponse{}}
	for i := range list {
		out.Items = append(out.Items, toPasskeyResponse(&list[i]))
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) myPasskeys(c echo.Context) error {
	return s.passkeysOf(c, principalOf(c).User.ID)
}

type passkeyBeginResponse struct {
	CeremonyID string         `json:"ceremony_id" description:"send back with the browser's answer"`
	ExpiresAt  time.Time      `json:"expires_at" description:"when the ceremony closes (5 minutes)"`
	Options    map[string]any `json:"options" description:"the WebAuthn options: options.publicKey is for navigator.credentials.create() (registration) or .get() (sign-in), with challenge, user.id and credential ids in base64url"`
}

func beginResponse(c echo.Context, b *auth.Begun) error {
	raw, err := json.Marshal(b.Options)
	if err != nil {
		return err
	}
	var opts map[string]any
	if err := json.Unmarshal(raw, &opts); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, passkeyBeginResponse{CeremonyID: b.CeremonyID, ExpiresAt: b.ExpiresAt.UTC(), Options: opts})
}

// checkOrigin refuses a ceremony from a page at another address than the
// public base URL.
func (s *Server) checkPasskeyOrigin(c echo.Context) error {
	return passkeyProblem(s.passkeys.CheckOrigin(c.Request().Header.Get(echo.HeaderOrigin)))
}

func (s *Server) beginPasskeyRegistration(c echo.Context) error {
	p := principalOf(c)
	if err := requireSession(p); err != nil {
		return err
	}
	if err := s.checkPasskeyOrigin(c); err != nil {
		return err
	}
	b, err := s.passkeys.BeginRegistration(c.Request().Context(), p)
	if err != nil {
		return passkeyProblem(err)
	}
	return beginResponse(c, b)
}

type passkeyRegisterRequest struct {
	CeremonyID string         `json:"ceremony_id" validate:"required,max=100"`
	Name       string         `json:"name" validate:"max=100" description:"what to call the passkey, e.g. the device; empty: Passkey N"`
	Credential map[string]any `json:"credential" validate:"required" description:"the PublicKeyCredential navigator.credentials.create() returned, as JSON (PublicKeyCredential.toJSON()): id, rawId, type, response.clientDataJSON and response.attestationObject in base64url"`
}

// credentialBytes re-encodes the browser's credential for the WebAuthn parser.
func credentialBytes(v map[string]any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, malformed("credential could not be read.")
	}
	return b, nil
}

func (s *Server) finishPasskeyRegistration(c echo.Context) error {
	p := principalOf(c)
	if err := requireSession(p); err != nil {
		return err
	}
	var req passkeyRegisterRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	cred, err := credentialBytes(req.Credential)
	if err != nil {
		return err
	}
	k, err := s.passkeys.FinishRegistration(c.Request().Context(), p, req.CeremonyID, req.Name, cred, s.origin(c))
	if err != nil {
		return passkeyProblem(err)
	}
	return c.JSON(http.StatusCreated, toPasskeyResponse(k))
}

type passkeyIDParam struct {
	ID string `path:"id"`
}

type passkeyRenameRequest struct {
	passkeyIDParam
	Name    string `json:"name" validate:"required,max=100"`
	Version int64  `json:"version" validate:"required,gte=1"`
}

func (s *Server) renamePasskey(c echo.Context) error {
	p := principalOf(c)
	if err := requireSession(p); err != nil {
		return err
	}
	var req passkeyRenameRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	k, err := s.passkeys.RenamePasskey(c.Request().Context(), p, c.Param("id"), req.Name, req.Version, s.origin(c))
	if err != nil {
		if k != nil {
			return conflictWith(err, toPasskeyResponse(k))
		}
		return err
	}
	return c.JSON(http.StatusOK, toPasskeyResponse(k))
}

func (s *Server) deletePasskey(c echo.Context) error {
	p := principalOf(c)
	if err := requireSession(p); err != nil {
		return err
	}
	if err := s.passkeys.DeletePasskey(c.Request().Context(), p, c.Param("id"), s.origin(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) userPasskeys(c echo.Context) error {
	if _, err := models.UserByID(c.Request().Context(), s.deps.DB.Gorm, c.Param("id")); err != nil {
		return err
	}
	return s.passkeysOf(c, c.Param("id"))
}

type userPasskeyParam struct {
	ID      string `path:"id"`
	Passkey string `path:"passkey"`
}

func (s *Server) deleteUserPasskey(c echo.Context) error {
	if err := s.passkeys.AdminDeletePasskey(c.Request().Context(), principalOf(c), c.Param("id"), c.Param("passkey"), s.origin(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// --- signing in ---

func (s *Server) beginPasskeySignIn(c echo.Context) error {
	if err := s.checkPasskeyOrigin(c); err != nil {
		return err
	}
	b, err := s.passkeys.BeginSignIn(c.Request().Context())
	if err != nil {
		return passkeyProblem(err)
	}
	return beginResponse(c, b)
}

type passkeyAssertionRequest struct {
	CeremonyID string         `json:"ceremony_id" validate:"required,max=100"`
	Credential map[string]any `json:"credential" validate:"required" description:"the PublicKeyCredential navigator.credentials.get() returned, as JSON (PublicKeyCredential.toJSON()): id, rawId, type, response.clientDataJSON, response.authenticatorData, response.signature and response.userHandle in base64url"`
}

func (s *Server) finishPasskeySignIn(c echo.Context) error {
	var req passkeyAssertionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	cred, err := credentialBytes(req.Credential)
	if err != nil {
		return err
	}
	signed, err := s.passkeys.FinishSignIn(c.Request().Context(), req.CeremonyID, cred, s.origin(c))
	if err != nil {
		return passkeyProblem(err)
	}
	return s.signedIn(c, signed)
}

func (s *Server) mfaCookie(c echo.Context) string {
	if ck, err := c.Cookie(MFACookie); err == nil {
		return ck.Value
	}
	return ""
}

func (s *Server) beginPasskeyMFA(c echo.Context) error {
	if err := s.checkPasskeyOrigin(c); err != nil {
		return err
	}
	b, err := s.passkeys.BeginMFA(c.Request().Context(), s.mfaCookie(c))
	if errors.Is(err, auth.ErrMFAChallenge) {
		s.clearMFACookie(c)
	}
	if err != nil {
		return passkeyProblem(err)
	}
	return beginResponse(c, b)
}

func (s *Server) finishPasskeyMFA(c echo.Context) error {
	var req passkeyAssertionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	cred, err := credentialBytes(req.Credential)
	if err != nil {
		return err
	}
	signed, err := s.passkeys.FinishMFA(c.Request().Context(), s.mfaCookie(c), req.CeremonyID, cred, s.origin(c))
	if errors.Is(err, auth.ErrMFAChallenge) {
		s.clearMFACookie(c)
	}
	if err != nil {
		return passkeyProblem(err)
	}
	s.clearMFACookie(c)
	return s.signedIn(c, signed)
}
