package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"

	"rampart/app/password"
	"rampart/models"
)

// Password reset by email link, temporary passwords and sessions
// (docs/security.md, "Password reset", "Sessions").

// ResetLinkTTL is how long a password reset link works.
const ResetLinkTTL = 30 * time.Minute

// maxResetRequests bounds the links mailed to one address per throttling
// window, so the form cannot be used to flood someone's inbox.
const maxResetRequests = 3

// ResetMailer writes the reset mail for u with the link's token inside tx
// (the outbox), so the mail exists exactly when the link does.
type ResetMailer func(ctx context.Context, tx *gorm.DB, u *models.User, token string, expires time.Time) error

// RequestPasswordReset mails a reset link to email's account when there is
// an active one. The caller answers the same whatever happened, so the
// form does not tell which addresses have accounts.
func (s *Service) RequestPasswordReset(ctx context.Context, email string, send ResetMailer, o Origin) error {
	now := s.now()
	addr := models.NormalizeEmail(email)
	keys := []models.ThrottleKey{{Key: "reset:" + addr, Account: addr}}
	err := models.ReserveAttempt(ctx, s.DB, keys, now, s.Policy.Window, func(c []models.ThrottleCount) error {
		if c[0].Failures > maxResetRequests {
			return &ThrottledError{RetryAfter: c[0].WindowEnd.Sub(now)}
		}
		return nil
	})
	ev := models.AuditEvent{ActorType: models.ActorAnonymous, ActorLabel: truncate(addr, 254), Action: "auth.password_reset_requested"}
	var te *ThrottledError
	if errors.As(err, &te) {
		ev.Outcome, ev.Detail = models.OutcomeDenied, "throttled: no link sent"
		s.audit(ctx, s.DB, o, ev)
		return nil
	} else if err != nil {
		return err
	}
	u, err := models.UserByEmail(ctx, s.DB, addr)
	if errors.Is(err, models.ErrNotFound) || (err == nil && !u.Active) {
		ev.Outcome, ev.Detail = models.OutcomeFailure, "no active account: no link sent"
		s.audit(ctx, s.DB, o, ev)
		return nil
	} else if err != nil {
		return err
	}
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.newResetLink(ctx, tx, u, "", now, send); err != nil {
			return err
		}
		ev.ObjectType, ev.ObjectID, ev.Detail = "user", u.ID, "link sent, valid 30 minutes"
		return s.record(ctx, tx, o, ev)
	})
}

// newResetLink stores a link for u (ending any older one) and mails it.
func (s *Service) newResetLink(ctx context.Context, tx *gorm.DB, u *models.User, by string, now time.Time, send ResetMailer) error {
	if err := models.ExpireUserPasswordResets(ctx, tx, u.ID, now); err != nil {
		return err
	}
	token := randomToken()
	r := &models.PasswordReset{UserID: u.ID, TokenHash: resetHash(token), ExpiresAt: now.Add(ResetLinkTTL), CreatedBy: by}
	if err := models.CreatePasswordReset(ctx, tx, r); err != nil {
		return err
	}
	return send(ctx, tx, u, token, r.ExpiresAt)
}

func resetHash(token string) string {
	sum := sha256.Sum256([]byte("password-reset\x00" + token))
	return hex.EncodeToString(sum[:])
}

// ResetPassword sets a new password with a reset link's token: the link
// is used up, every session of the user ends, their calendar feeds are
// revoked and their failed sign-ins forgotten. It does not sign in: the
// next sign-in still asks for the second factor.
func (s *Service) ResetPassword(ctx context.Context, token, next string, o Origin) error {
	if err := password.Check(next); err != nil {
		return models.Invalid("new_password", err.Error())
	}
	hash, err := s.hasher().Hash(ctx, next)
	if err != nil {
		return err
	}
	now := s.now()
	invalid := models.Invalid("token", "this link is not valid: it was used, it expired or it was replaced by a newer one; ask for a new link")
	if token == "" || len(token) > 100 {
		return invalid
	}
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := models.UsePasswordReset(ctx, tx, resetHash(token), now)
		if errors.Is(err, models.ErrNotFound) {
			return invalid
		} else if err != nil {
			return err
		}
		u, err := models.UserByID(ctx, tx, r.UserID)
		if err != nil {
			return err
		}
		if !u.Active {
			return invalid
		}
		no := false
		if _, err := models.UpdateUser(ctx, tx, u.ID, 0, models.UserChanges{PasswordHash: &hash, MustChangePassword: &no}); err != nil {
			return err
		}
		if err := models.ExpireUserPasswordResets(ctx, tx, u.ID, now); err != nil {
			return err
		}
		n, err := models.DeleteUserSessions(ctx, tx, u.ID, "")
		if err != nil {
			return err
		}
		if err := s.revokeCredentials(ctx, tx, u.ID, false); err != nil {
			return err
		}
		if _, err := models.ClearAccountThrottles(ctx, tx, u.Email); err != nil {
			return err
		}
		return s.record(ctx, tx, o, models.AuditEvent{ActorType: models.ActorUser, ActorID: u.ID, ActorLabel: u.Email,
			Action: "auth.password_reset", ObjectType: "user", ObjectID: u.ID, Detail: plural(n, "session") + " ended, calendar feed revoked"})
	})
}

// AdminSendResetLink mails a reset link to a user on an administrator's
// request.
func (s *Service) AdminSendResetLink(ctx context.Context, p *Principal, userID string, send ResetMailer, o Origin) (*models.User, error) {
	var out *models.User
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := models.UserByID(ctx, tx, userID)
		if err != nil {
			return err
		}
		if !u.Active {
			return models.Invalid("user", "is deactivated; reactivate the account first")
		}
		out = u
		if err := s.newResetLink(ctx, tx, u, p.User.ID, s.now(), send); err != nil {
			return err
		}
		return s.record(ctx, tx, o, s.event(p, "user.password_reset_link", "user", u.ID, "link mailed to "+u.Email+", valid 30 minutes"))
	})
	return out, err
}

// SetTemporaryPassword sets a password the user must change at their next
// sign-in, and ends their sessions.
func (s *Service) SetTemporaryPassword(ctx context.Context, p *Principal, userID, temp string, o Origin) (*models.User, error) {
	if err := password.Check(temp); err != nil {
		return nil, models.Invalid("temporary_password", err.Error())
	}
	hash, err := s.hasher().Hash(ctx, temp)
	if err != nil {
		return nil, err
	}
	var out *models.User
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		yes := true
		u, err := models.UpdateUser(ctx, tx, userID, 0, models.UserChanges{PasswordHash: &hash, MustChangePassword: &yes})
		if err != nil {
			return err
		}
		out = u
		if err := models.ExpireUserPasswordResets(ctx, tx, u.ID, s.now()); err != nil {
			return err
		}
		n, err := models.DeleteUserSessions(ctx, tx, u.ID, "")
		if err != nil {
			return err
		}
		if err := s.revokeCredentials(ctx, tx, u.ID, false); err != nil {
			return err
		}
		return s.record(ctx, tx, o, s.event(p, "user.password_temporary", "user", u.ID, "must be changed at next sign-in; "+plural(n, "session")+" ended"))
	})
	return out, err
}

// SessionPublicID names a session in the API without revealing its
// stored id (the cookie's hash, the lookup key).
func SessionPublicID(storedID string) string {
	sum := sha256.Sum256([]byte("session-public\x00" + storedID))
	return hex.EncodeToString(sum[:12])
}

// RevokeSession ends one of the principal's own sessions by public id.
func (s *Service) RevokeSession(ctx context.Context, p *Principal, publicID string, o Origin) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		list, err := models.UserSessions(ctx, tx, p.User.ID)
		if err != nil {
			return err
		}
		for _, sess := range list {
			if SessionPublicID(sess.ID) != publicID {
				continue
			}
			if err := models.DeleteSession(ctx, tx, sess.ID); err != nil {
				return err
			}
			return s.record(ctx, tx, o, s.event(p, "auth.session_revoke", "user", p.User.ID, describeSession(sess)))
		}
		return models.ErrNotFound
	})
}

func describeSession(sess models.Session) string {
	return "session from " + sess.ClientIP + " (" + DeviceOf(sess.UserAgent) + "), signed in " + sess.CreatedAt.UTC().Format(time.RFC3339)
}

// RevokeOtherSessions ends every session of the principal's user but the
// one making the request.
func (s *Service) RevokeOtherSessions(ctx context.Context, p *Principal, o Origin) error {
	keep := ""
	if p.Session != nil {
		keep = p.Session.ID
	}
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		n, err := models.DeleteUserSessions(ctx, tx, p.User.ID, keep)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, o, s.event(p, "auth.sessions_revoke_others", "user", p.User.ID, plural(n, "session")+" ended"))
	})
}

// EndUserSessions ends every session of a user, on an administrator's request.
func (s *Service) EndUserSessions(ctx context.Context, p *Principal, userID string, o Origin) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := models.UserByID(ctx, tx, userID)
		if err != nil {
			return err
		}
		n, err := models.DeleteUserSessions(ctx, tx, u.ID, "")
		if err != nil {
			return err
		}
		return s.record(ctx, tx, o, s.event(p, "user.sessions_end", "user", u.ID, plural(n, "session")+" ended"))
	})
}
