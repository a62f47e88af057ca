package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"rampart/models"
)

// Passkeys (WebAuthn) as a second factor after the password and as a
// sign-in of their own (docs/security.md, "Passkeys"). The relying party is
// Rampart's public address: its host is the RP ID and its origin the only
// origin accepted. Every ceremony is kept in the database between its
// begin and its finish, so any instance can finish it, and is deleted when
// finished, so it cannot be answered twice.

// CeremonyTTL is how long a begun passkey ceremony may be finished.
const CeremonyTTL = 5 * time.Minute

// MaxPasskeys is how many passkeys one account may register.
const MaxPasskeys = 20

// MethodPasskey is how a session opened by a passwordless passkey sign-in says so.
const MethodPasskey = "passkey"

// Ceremony kinds.
const (
	ceremonyRegister = "register"
	ceremonySignIn   = "sign_in"
	ceremonyMFA      = "mfa"
)

// ErrPasskeysUnavailable means the public base URL cannot serve as a
// WebAuthn relying party; Reason says why, for the operator.
type ErrPasskeysUnavailable struct{ Reason string }

func (e *ErrPasskeysUnavailable) Error() string { return "passkeys are unavailable: " + e.Reason }

// ErrCeremony means a finish has no open begin: it expired, was finished
// already, belongs to someone else or never existed.
var ErrCeremony = errors.New("the passkey step expired or was finished already")

// ErrPasskeyMalformed means the browser's answer is not a WebAuthn credential.
var ErrPasskeyMalformed = errors.New("not a WebAuthn credential")

// ErrPasskeyRefused means the answer did not verify: wrong origin,
// challenge or signature, an unknown or cloned credential. The reason is
// in the audit trail, not in the answer.
var ErrPasskeyRefused = errors.New("the passkey was not accepted")

// ErrWrongOrigin means the browser is on another address than the
// configured public base URL, where no passkey can work.
type ErrWrongOrigin struct{ Origin, Want string }

func (e *ErrWrongOrigin) Error() string {
	return "this page is at " + e.Origin + " but Rampart's public address is " + e.Want
}

// Passkeys runs WebAuthn ceremonies for the auth service.
type Passkeys struct {
	Auth   *Service
	wa     *webauthn.WebAuthn
	origin string
	reason string // why wa is nil
}

// NewPasskeys configures the relying party from the public base URL. An
// empty URL, or one whose host is an IP address (WebAuthn needs a domain
// name), leaves passkeys unavailable with a reason rather than failing.
func NewPasskeys(svc *Service, baseURL string) *Passkeys {
	p := &Passkeys{Auth: svc}
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	switch {
	case baseURL == "":
		p.reason = "the public base URL (RAMPART_BASE_URL) is not set"
		return p
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "":
		p.reason = "the public base URL (RAMPART_BASE_URL) is not an http(s) URL"
		return p
	case net.ParseIP(u.Hostname()) != nil:
		p.reason = "the public base URL (RAMPART_BASE_URL) names an IP address; passkeys need a domain name (localhost works for trying out)"
		return p
	case u.Scheme == "http" && u.Hostname() != "localhost" && !strings.HasSuffix(u.Hostname(), ".localhost"):
		p.reason = "the public base URL (RAMPART_BASE_URL) is not https; browsers offer passkeys only to https sites and localhost"
		return p
	}
	p.origin = u.Scheme + "://" + u.Host
	wa, err := webauthn.New(&webauthn.Config{
		RPID: u.Hostname(), RPDisplayName: "Rampart", RPOrigins: []string{p.origin},
		AttestationPreference: protocol.PreferNoAttestation,
		Timeouts: webauthn.TimeoutsConfig{
			Login:        webauthn.TimeoutConfig{Enforce: true, Timeout: CeremonyTTL, TimeoutUVD: CeremonyTTL},
			Registration: webauthn.TimeoutConfig{Enforce: true, Timeout: CeremonyTTL, TimeoutUVD: CeremonyTTL},
		},
	})
	if err != nil {
		p.reason = "the public base URL cannot be a WebAuthn relying party: " + err.Error()
		return p
	}
	p.wa = wa
	return p
}

// Available returns nil when passkeys can be used, else why not.
func (p *Passkeys) Available() error {
	if p.wa == nil {
		return &ErrPasskeysUnavailable{Reason: p.reason}
	}
	return nil
}

// RPID is the relying party id ("" when unavailable).
func (p *Passkeys) RPID() string {
	if p.wa == nil {
		return ""
	}
	return p.wa.Config.RPID
}

// CheckOrigin refuses a ceremony begun from another address than the
// configured one (the browser would refuse it too, less clearly). An
// empty origin (no Origin header: not a browser) is left to the finish.
func (p *Passkeys) CheckOrigin(origin string) error {
	if err := p.Available(); err != nil {
		return err
	}
	if origin != "" && !strings.EqualFold(strings.TrimRight(origin, "/"), p.origin) {
		return &ErrWrongOrigin{Origin: origin, Want: p.origin}
	}
	return nil
}

// waUser is a user as the WebAuthn library sees it. The user handle is
// the user's id (a random UUID): stable, and nothing personal.
type waUser struct {
	u     *models.User
	creds []webauthn.Credential
	keys  []models.Passkey
}

func (w *waUser) WebAuthnID() []byte                         { return []byte(w.u.ID) }
func (w *waUser) WebAuthnName() string                       { return w.u.Email }
func (w *waUser) WebAuthnDisplayName() string                { return w.u.Name }
func (w *waUser) WebAuthnCredentials() []webauthn.Credential { return w.creds }

func (w *waUser) passkey(rawID []byte) *models.Passkey {
	id := base64.RawURLEncoding.EncodeToString(rawID)
	for i := range w.keys {
		if w.keys[i].CredentialID == id {
			return &w.keys[i]
		}
	}
	return nil
}

func (p *Passkeys) loadUser(ctx context.Context, db *gorm.DB, u *models.User) (*waUser, error) {
	keys, err := models.UserPasskeys(ctx, db, u.ID)
	if err != nil {
		return nil, err
	}
	w := &waUser{u: u, keys: keys}
	for _, k := range keys {
		w.creds = append(w.creds, toCredential(k))
	}
	return w, nil
}

func toCredential(k models.Passkey) webauthn.Credential {
	id, _ := base64.RawURLEncoding.DecodeString(k.CredentialID)
	var aaguid []byte
	if g, err := uuid.Parse(k.AAGUID); err == nil {
		aaguid = g[:]
	}
	var transports []protocol.AuthenticatorTransport
	for _, t := range strings.Split(k.Transports, ",") {
		if t != "" {
			transports = append(transports, protocol.AuthenticatorTransport(t))
		}
	}
	return webauthn.Credential{
		ID: id, PublicKey: k.PublicKey, AttestationType: k.AttestationType, AttestationFormat: k.AttestationFormat,
		Transport: transports,
		Flags: webauthn.CredentialFlags{UserPresent: true, UserVerified: k.UserVerified,
			BackupEligible: k.BackupEligible, BackupState: k.BackupState},
		Authenticator: webauthn.Authenticator{AAGUID: aaguid, SignCount: uint32(k.SignCount)},
	}
}

// hasSecondFactor reports whether u signs in with a second factor: an
// authenticator app or at least one passkey.
func hasSecondFactor(ctx context.Context, db *gorm.DB, u *models.User) (bool, error) {
	if u.MFAEnabled() {
		return true, nil
	}
	n, err := models.CountPasskeys(ctx, db, u.ID)
	return n > 0, err
}

// Begun is a ceremony's options for the browser and its id, which the
// browser sends back with its answer.
type Begun struct {
	CeremonyID string
	Options    any // *protocol.CredentialCreation or *protocol.CredentialAssertion
	ExpiresAt  time.Time
}

func (p *Passkeys) store(ctx context.Context, kind, userID, challengeID string, sd *webauthn.SessionData, options any) (*Begun, error) {
	data, err := json.Marshal(sd)
	if err != nil {
		return nil, err
	}
	secret := randomToken()
	exp := p.Auth.now().Add(CeremonyTTL)
	c := &models.WebAuthnCeremony{ID: hashSecret(secret), Kind: kind, UserID: userID, ChallengeID: challengeID,
		SessionData: string(data), ExpiresAt: exp}
	if err := models.CreateWebAuthnCeremony(ctx, p.Auth.DB, c); err != nil {
		return nil, err
	}
	return &Begun{CeremonyID: secret, Options: options, ExpiresAt: exp}, nil
}

// take consumes the ceremony id of kind; ErrCeremony when it is unknown,
// taken, expired or not userID's (userID "" skips that check).
func (p *Passkeys) take(ctx context.Context, id, kind, userID string) (*models.WebAuthnCeremony, *webauthn.SessionData, error) {
	if id == "" || len(id) > 100 {
		return nil, nil, ErrCeremony
	}
	c, err := models.TakeWebAuthnCeremony(ctx, p.Auth.DB, hashSecret(id), kind)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil, ErrCeremony
	} else if err != nil {
		return nil, nil, err
	}
	if !p.Auth.now().Before(c.ExpiresAt) || (userID != "" && c.UserID != userID) {
		return nil, nil, ErrCeremony
	}
	var sd webauthn.SessionData
	if err := json.Unmarshal([]byte(c.SessionData), &sd); err != nil {
		return nil, nil, err
	}
	return c, &sd, nil
}

// BeginRegistration offers the principal's browser to create a passkey:
// discoverable (so it can sign in without a password), excluding the
// authenticators already registered.
func (p *Passkeys) BeginRegistration(ctx context.Context, pr *Principal) (*Begun, error) {
	if err := p.Available(); err != nil {
		return nil, err
	}
	w, err := p.loadUser(ctx, p.Auth.DB, pr.User)
	if err != nil {
		return nil, err
	}
	if len(w.keys) >= MaxPasskeys {
		return nil, models.Invalid("passkeys", "at most "+strconv.Itoa(MaxPasskeys)+" per account; remove one first")
	}
	creation, sd, err := p.wa.BeginRegistration(w,
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
			ResidentKey: protocol.ResidentKeyRequirementRequired, RequireResidentKey: protocol.ResidentKeyRequired(),
			UserVerification: protocol.VerificationPreferred,
		}),
		webauthn.WithExclusions(webauthn.Credentials(w.creds).CredentialDescriptors()),
		webauthn.WithConveyancePreference(protocol.PreferNoAttestation))
	if err != nil {
		return nil, err
	}
	return p.store(ctx, ceremonyRegister, pr.User.ID, "", sd, creation)
}

// FinishRegistration checks the browser's attestation against the
// ceremony and stores the passkey under name.
func (p *Passkeys) FinishRegistration(ctx context.Context, pr *Principal, ceremonyID, name string, credential []byte, o Origin) (*models.Passkey, error) {
	if err := p.Available(); err != nil {
		return nil, err
	}
	_, sd, err := p.take(ctx, ceremonyID, ceremonyRegister, pr.User.ID)
	if err != nil {
		return nil, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(credential)
	if err != nil {
		return nil, ErrPasskeyMalformed
	}
	w, err := p.loadUser(ctx, p.Auth.DB, pr.User)
	if err != nil {
		return nil, err
	}
	cred, err := p.wa.CreateCredential(w, *sd, parsed)
	if err != nil {
		e := p.Auth.event(pr, "auth.mfa_failed", "user", pr.User.ID, "passkey registration refused: "+libraryReason(err))
		e.Outcome = models.OutcomeFailure
		p.Auth.audit(ctx, p.Auth.DB, o, e)
		return nil, ErrPasskeyRefused
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = "Passkey " + strconv.Itoa(len(w.keys)+1)
	}
	transports := make([]string, 0, len(cred.Transport))
	for _, t := range cred.Transport {
		transports = append(transports, string(t))
	}
	aaguid := ""
	if g, err := uuid.FromBytes(cred.Authenticator.AAGUID); err == nil {
		aaguid = g.String()
	}
	k := &models.Passkey{UserID: pr.User.ID, CredentialID: base64.RawURLEncoding.EncodeToString(cred.ID), PublicKey: cred.PublicKey,
		SignCount: int64(cred.Authenticator.SignCount), Transports: strings.Join(transports, ","), AAGUID: aaguid,
		AttestationType: cred.AttestationType, AttestationFormat: cred.AttestationFormat, UserVerified: cred.Flags.UserVerified,
		BackupEligible: cred.Flags.BackupEligible, BackupState: cred.Flags.BackupState, Name: name}
	err = p.Auth.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.CreatePasskey(ctx, tx, k); err != nil {
			if errors.Is(err, models.ErrConflict) {
				return models.Invalid("credential", "this authenticator is registered already")
			}
			return err
		}
		return p.Auth.record(ctx, tx, o, p.Auth.event(pr, "passkey.register", "user", pr.User.ID, "passkey "+strconv.Quote(name)))
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// libraryReason is the WebAuthn library's reason for a refusal, for the
// audit trail.
func libraryReason(err error) string {
	var pe *protocol.Error
	if errors.As(err, &pe) {
		if pe.DevInfo != "" {
			return truncate(pe.Details+" ("+pe.DevInfo+")", 300)
		}
		return truncate(pe.Details, 300)
	}
	return truncate(err.Error(), 300)
}

// RenamePasskey names the principal's passkey id, if it is still at
// version; on a conflict the stored passkey comes back with ErrConflict.
func (p *Passkeys) RenamePasskey(ctx context.Context, pr *Principal, id, name string, version int64, o Origin) (*models.Passkey, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, models.Invalid("name", "is required")
	}
	var out *models.Passkey
	err := p.Auth.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := models.UserPasskey(ctx, tx, pr.User.ID, id)
		if err != nil {
			return err
		}
		if out, err = models.RenamePasskey(ctx, tx, pr.User.ID, id, name, version); err != nil {
			return err
		}
		return p.Auth.record(ctx, tx, o, p.Auth.event(pr, "passkey.rename", "user", pr.User.ID,
			strconv.Quote(before.Name)+" → "+strconv.Quote(name)))
	})
	return out, err
}

// DeletePasskey removes the principal's passkey id; refused when the
// policy requires MFA for their role and it is their last factor.
func (p *Passkeys) DeletePasskey(ctx context.Context, pr *Principal, id string, o Origin) error {
	return p.Auth.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		k, err := models.UserPasskey(ctx, tx, pr.User.ID, id)
		if err != nil {
			return err
		}
		n, err := models.CountPasskeys(ctx, tx, pr.User.ID)
		if err != nil {
			return err
		}
		if n == 1 && !pr.User.MFAEnabled() {
			pol, err := models.GetSecurityPolicy(ctx, tx)
			if err != nil {
				return err
			}
			if pol.RequiresMFA(pr.User.Role) {
				return models.Invalid("passkey", "is your only second factor and the security policy requires MFA for your role: add another passkey or an authenticator app first")
			}
		}
		if err := models.DeletePasskey(ctx, tx, pr.User.ID, id); err != nil {
			return err
		}
		return p.Auth.record(ctx, tx, o, p.Auth.event(pr, "passkey.delete", "user", pr.User.ID, "passkey "+strconv.Quote(k.Name)))
	})
}

// AdminDeletePasskey removes a user's passkey (a lost or retired device).
// It ends nothing else: sessions, the authenticator app and other
// passkeys stay.
func (p *Passkeys) AdminDeletePasskey(ctx context.Context, pr *Principal, userID, id string, o Origin) error {
	return p.Auth.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := models.UserByID(ctx, tx, userID)
		if err != nil {
			return err
		}
		k, err := models.UserPasskey(ctx, tx, u.ID, id)
		if err != nil {
			return err
		}
		if err := models.DeletePasskey(ctx, tx, u.ID, id); err != nil {
			return err
		}
		return p.Auth.record(ctx, tx, o, p.Auth.event(pr, "passkey.admin_delete", "user", u.ID,
			"passkey "+strconv.Quote(k.Name)+" of "+u.Email))
	})
}
