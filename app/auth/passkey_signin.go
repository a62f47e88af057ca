package auth

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"gorm.io/gorm"

	"rampart/models"
)

// Signing in with a passkey: without a password (discoverable credentials)
// or as the second step after one.

// BeginSignIn offers a passwordless sign-in with any discoverable
// passkey of this site; user verification is required, since the passkey
// then stands for both factors.
func (p *Passkeys) BeginSignIn(ctx context.Context) (*Begun, error) {
	if err := p.Available(); err != nil {
		return nil, err
	}
	assertion, sd, err := p.wa.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
	if err != nil {
		return nil, err
	}
	return p.store(ctx, ceremonySignIn, "", "", sd, assertion)
}

// refuse audits a refused assertion for u (nil when unknown) and answers
// ErrPasskeyRefused.
func (p *Passkeys) refuse(ctx context.Context, action string, u *models.User, detail string, o Origin) error {
	e := models.AuditEvent{ActorType: models.ActorAnonymous, Action: action, Outcome: models.OutcomeFailure, Detail: detail}
	if u != nil {
		e.ActorLabel, e.ObjectType, e.ObjectID = u.Email, "user", u.ID
	}
	p.Auth.audit(ctx, p.Auth.DB, o, e)
	return ErrPasskeyRefused
}

// verify checks an assertion for w's passkeys and records the use. The
// signature counter must grow (unless the authenticator keeps none):
// otherwise the credential may have been copied, and it is refused.
func (p *Passkeys) verify(ctx context.Context, action string, w *waUser, sd *webauthn.SessionData, parsed *protocol.ParsedCredentialAssertionData, discoverable bool, o Origin) (*models.Passkey, error) {
	var cred *webauthn.Credential
	var err error
	if discoverable {
		_, cred, err = p.wa.ValidatePasskeyLogin(func(rawID, userHandle []byte) (webauthn.User, error) { return w, nil }, *sd, parsed)
	} else {
		cred, err = p.wa.ValidateLogin(w, *sd, parsed)
	}
	if err != nil {
		return nil, p.refuse(ctx, action, w.u, "passkey refused: "+libraryReason(err), o)
	}
	k := w.passkey(cred.ID)
	if k == nil {
		return nil, p.refuse(ctx, action, w.u, "passkey refused: not one of the account's", o)
	}
	if cred.Authenticator.CloneWarning {
		return nil, p.refuse(ctx, action, w.u, fmt.Sprintf("passkey %q refused: its signature counter went from %d to %d, so the authenticator may have been copied",
			k.Name, k.SignCount, parsed.Response.AuthenticatorData.Counter), o)
	}
	now := p.Auth.now()
	ok, err := models.UsePasskey(ctx, p.Auth.DB, k.ID, k.SignCount, int64(cred.Authenticator.SignCount), cred.Flags.BackupState, now)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, p.refuse(ctx, action, w.u, fmt.Sprintf("passkey %q refused: used by another request at the same time", k.Name), o)
	}
	k.LastUsedAt = &now
	return k, nil
}

// FinishSignIn checks a passwordless assertion and opens a session for
// the passkey's owner. Failures count against the owner's account like
// wrong MFA codes.
func (p *Passkeys) FinishSignIn(ctx context.Context, ceremonyID string, credential []byte, o Origin) (*SignedIn, error) {
	if err := p.Available(); err != nil {
		return nil, err
	}
	_, sd, err := p.take(ctx, ceremonyID, ceremonySignIn, "")
	if err != nil {
		return nil, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(credential)
	if err != nil {
		return nil, ErrPasskeyMalformed
	}
	k, err := models.PasskeyByCredentialID(ctx, p.Auth.DB, base64.RawURLEncoding.EncodeToString(parsed.RawID))
	if errors.Is(err, models.ErrNotFound) {
		return nil, p.refuse(ctx, "auth.sign_in_failed", nil, "unknown passkey", o)
	} else if err != nil {
		return nil, err
	}
	u, err := models.UserByID(ctx, p.Auth.DB, k.UserID)
	if err != nil {
		return nil, err
	}
	if !u.Active {
		return nil, p.refuse(ctx, "auth.sign_in_failed", u, "passkey of a deactivated account", o)
	}
	now := p.Auth.now()
	if err := p.Auth.reserveMFA(ctx, u.Email, now); err != nil {
		return nil, p.throttled(ctx, "auth.sign_in_failed", u, err, o)
	}
	w, err := p.loadUser(ctx, p.Auth.DB, u)
	if err != nil {
		return nil, err
	}
	used, err := p.verify(ctx, "auth.sign_in_failed", w, sd, parsed, true, o)
	if err != nil {
		return nil, err
	}
	if err := p.Auth.release(ctx, mfaKey(u.Email), now); err != nil {
		return nil, err
	}
	pol, err := models.GetSecurityPolicy(ctx, p.Auth.DB)
	if err != nil {
		return nil, err
	}
	if !pol.PasswordAllowed(u.ID) {
		p.Auth.audit(ctx, p.Auth.DB, o, models.AuditEvent{ActorType: models.ActorAnonymous, ActorLabel: u.Email, Action: "auth.sign_in_failed",
			Outcome: models.OutcomeDenied, ObjectType: "user", ObjectID: u.ID, Detail: "single sign-on required"})
		return nil, ErrSSORequired
	}
	var out *SignedIn
	err = p.Auth.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.RecordSignIn(ctx, tx, u.ID, now, ""); err != nil {
			return err
		}
		if out, err = p.Auth.openSessionBy(ctx, tx, u, now, o, MethodPasskey); err != nil {
			return err
		}
		return p.Auth.record(ctx, tx, o, models.AuditEvent{ActorType: models.ActorUser, ActorID: u.ID, ActorLabel: u.Email,
			Action: "auth.sign_in", ObjectType: "user", ObjectID: u.ID, Detail: "passkey " + strconv.Quote(used.Name) + " (without password)"})
	})
	if err != nil {
		return nil, err
	}
	out.User.LastLoginAt = &now
	return out, nil
}

func (p *Passkeys) throttled(ctx context.Context, action string, u *models.User, err error, o Origin) error {
	var te *ThrottledError
	if errors.As(err, &te) {
		p.Auth.audit(ctx, p.Auth.DB, o, models.AuditEvent{ActorType: models.ActorAnonymous, ActorLabel: u.Email,
			Action: action, Outcome: models.OutcomeDenied, ObjectType: "user", ObjectID: u.ID, Detail: "throttled"})
	}
	return err
}

// openChallenge returns the open MFA challenge of the cookie value and
// its user; ErrMFAChallenge when there is none.
func (p *Passkeys) openChallenge(ctx context.Context, challenge string) (*models.MFAChallenge, *models.User, error) {
	if challenge == "" || len(challenge) > 100 {
		return nil, nil, ErrMFAChallenge
	}
	ch, err := models.MFAChallengeByID(ctx, p.Auth.DB, hashSecret(challenge))
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil, ErrMFAChallenge
	} else if err != nil {
		return nil, nil, err
	}
	if !p.Auth.now().Before(ch.ExpiresAt) {
		_, _ = models.DeleteMFAChallenge(ctx, p.Auth.DB, ch.ID)
		return nil, nil, ErrMFAChallenge
	}
	u, err := models.UserByID(ctx, p.Auth.DB, ch.UserID)
	if err != nil {
		return nil, nil, err
	}
	if !u.Active {
		_, _ = models.DeleteMFAChallenge(ctx, p.Auth.DB, ch.ID)
		return nil, nil, ErrMFAChallenge
	}
	return ch, u, nil
}

// BeginMFA offers the passkeys of the account whose password was just
// right as the second step of its sign-in.
func (p *Passkeys) BeginMFA(ctx context.Context, challenge string) (*Begun, error) {
	if err := p.Available(); err != nil {
		return nil, err
	}
	ch, u, err := p.openChallenge(ctx, challenge)
	if err != nil {
		return nil, err
	}
	w, err := p.loadUser(ctx, p.Auth.DB, u)
	if err != nil {
		return nil, err
	}
	if len(w.creds) == 0 {
		return nil, models.Invalid("passkey", "this account has no passkey: use the authenticator app's code or a recovery code")
	}
	assertion, sd, err := p.wa.BeginLogin(w, webauthn.WithUserVerification(protocol.VerificationPreferred))
	if err != nil {
		return nil, err
	}
	return p.store(ctx, ceremonyMFA, u.ID, ch.ID, sd, assertion)
}

// FinishMFA checks the passkey's assertion for the challenge's account
// and finishes the sign-in like a right code would.
func (p *Passkeys) FinishMFA(ctx context.Context, challenge, ceremonyID string, credential []byte, o Origin) (*SignedIn, error) {
	if err := p.Available(); err != nil {
		return nil, err
	}
	ch, u, err := p.openChallenge(ctx, challenge)
	if err != nil {
		return nil, err
	}
	c, sd, err := p.take(ctx, ceremonyID, ceremonyMFA, u.ID)
	if err != nil {
		return nil, err
	}
	if c.ChallengeID != ch.ID {
		return nil, ErrCeremony
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(credential)
	if err != nil {
		return nil, ErrPasskeyMalformed
	}
	now := p.Auth.now()
	if err := p.Auth.reserveMFA(ctx, u.Email, now); err != nil {
		return nil, p.throttled(ctx, "auth.mfa_failed", u, err, o)
	}
	w, err := p.loadUser(ctx, p.Auth.DB, u)
	if err != nil {
		return nil, err
	}
	used, err := p.verify(ctx, "auth.mfa_failed", w, sd, parsed, false, o)
	if err != nil {
		return nil, err
	}
	if err := p.Auth.release(ctx, mfaKey(u.Email), now); err != nil {
		return nil, err
	}
	return p.Auth.finishChallenge(ctx, ch, u, now, "passkey "+strconv.Quote(used.Name), o)
}
