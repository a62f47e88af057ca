package auth

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"rampart/app/password"
	"rampart/models"
)

// UserView is what the audit trail records of a user: never the hash.
type UserView struct {
	Email      string      `json:"email"`
	Name       string      `json:"name"`
	Role       models.Role `json:"role"`
	Department string      `json:"department"`
	Active     bool        `json:"active"`
}

func viewOf(u *models.User) UserView {
	return UserView{Email: u.Email, Name: u.Name, Role: u.Role, Department: u.Department, Active: u.Active}
}

// NewUser is an account an administrator creates.
type NewUser struct {
	Email, Name, Department, Password string
	Role                              models.Role
}

// CreateUser creates an account with an initial password.
func (s *Service) CreateUser(ctx context.Context, p *Principal, n NewUser, o Origin) (*models.User, error) {
	if err := password.Check(n.Password); err != nil {
		return nil, models.Invalid("password", err.Error())
	}
	hash, err := s.hasher().Hash(ctx, n.Password)
	if err != nil {
		return nil, err
	}
	// The administrator chose (and knows) the password: the user replaces
	// it at first sign-in.
	u := &models.User{Email: n.Email, Name: n.Name, Role: n.Role, Department: n.Department, Active: true, PasswordHash: hash, MustChangePassword: true}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.CreateUser(ctx, tx, u); err != nil {
			if errors.Is(err, models.ErrConflict) {
				return models.Invalid("email", "is already used by another user")
			}
			return err
		}
		e := s.event(p, "user.create", "user", u.ID, "")
		e.AfterData = models.AuditJSON(viewOf(u))
		return s.record(ctx, tx, o, e)
	})
	return u, err
}

// UpdateUser applies an administrator's changes. The last active
// administrator cannot be demoted or deactivated; deactivation ends the
// user's sessions and revokes their API tokens. A stale version returns
// the stored user with models.ErrConflict.
func (s *Service) UpdateUser(ctx context.Context, p *Principal, id string, version int64, c models.UserChanges, o Origin) (*models.User, error) {
	var out *models.User
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := models.UserByID(ctx, tx, id)
		if err != nil {
			return err
		}
		losesAdmin := before.Role == models.RoleAdmin && before.Active &&
			((c.Role != nil && *c.Role != models.RoleAdmin) || (c.Active != nil && !*c.Active))
		if losesAdmin && before.Version == version {
			n, err := models.LockActiveAdmins(ctx, tx)
			if err != nil {
				return err
			}
			if n <= 1 {
				field := "role"
				if c.Active != nil && !*c.Active {
					field = "active"
				}
				return models.Invalid(field, "cannot remove the last active administrator; make another user an administrator first")
			}
		}
		after, err := models.UpdateUser(ctx, tx, id, version, c)
		if err != nil {
			out = after
			return err
		}
		out = after
		detail := ""
		if before.Active && !after.Active {
			now := s.now()
			n, err := models.DeleteUserSessions(ctx, tx, id, "")
			if err != nil {
				return err
			}
			if err := models.RevokeUserAPITokens(ctx, tx, id, now); err != nil {
				return err
			}
			detail = "deactivated: " + plural(n, "session") + " ended, API tokens revoked"
		}
		action := "user.update"
		if before.Role != after.Role {
			action = "user.role_change"
		}
		e := s.event(p, action, "user", id, detail)
		e.BeforeData, e.AfterData = models.AuditDiff(viewOf(before), viewOf(after))
		return s.record(ctx, tx, o, e)
	})
	if errors.Is(err, models.ErrConflict) {
		return out, err
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateOwnName lets any user change their display name.
func (s *Service) UpdateOwnName(ctx context.Context, p *Principal, version int64, name string, o Origin) (*models.User, error) {
	var out *models.User
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		after, err := models.UpdateUser(ctx, tx, p.User.ID, version, models.UserChanges{Name: &name})
		out = after
		if err != nil {
			return err
		}
		e := s.event(p, "user.update", "user", p.User.ID, "own profile")
		e.BeforeData, e.AfterData = models.AuditDiff(viewOf(p.User), viewOf(after))
		return s.record(ctx, tx, o, e)
	})
	return out, err
}

// TokenView is what the audit trail records of an API token.
type TokenView struct {
	Name      string     `json:"name"`
	Prefix    string     `json:"prefix"`
	ReadOnly  bool       `json:"read_only"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// CreateToken creates an API token for the principal's user and returns
// it with its secret, which is not stored and cannot be shown again.
func (s *Service) CreateToken(ctx context.Context, p *Principal, name string, readOnly bool, expires *time.Time, o Origin) (*models.APIToken, string, error) {
	if expires != nil && !expires.After(s.now()) {
		return nil, "", models.Invalid("expires_at", "must be in the future")
	}
	// A token cannot mint a credential that outlives or outranks itself:
	// otherwise a leaked short-lived or read-only token becomes permanent.
	if pt := p.Token; pt != nil {
		if pt.ReadOnly && !readOnly {
			return nil, "", models.Invalid("read_only", "must be true: this request comes from a read-only API token")
		}
		if pt.ExpiresAt != nil {
			if expires == nil {
				expires = pt.ExpiresAt
			} else if expires.After(*pt.ExpiresAt) {
				return nil, "", models.Invalid("expires_at", "must not be later than the expiry of the API token making this request ("+pt.ExpiresAt.UTC().Format(time.RFC3339)+")")
			}
		}
	}
	secret, hash, prefix := NewAPIToken()
	t := &models.APIToken{UserID: p.User.ID, Name: name, TokenHash: hash, Prefix: prefix, ReadOnly: readOnly, ExpiresAt: expires}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.CreateAPIToken(ctx, tx, t); err != nil {
			return err
		}
		e := s.event(p, "api_token.create", "api_token", t.ID, "")
		e.AfterData = models.AuditJSON(TokenView{t.Name, t.Prefix, t.ReadOnly, t.ExpiresAt})
		return s.record(ctx, tx, o, e)
	})
	if err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// RevokeToken revokes one of the principal's own tokens.
func (s *Service) RevokeToken(ctx context.Context, p *Principal, id string, o Origin) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := models.APITokenOf(ctx, tx, p.User.ID, id)
		if err != nil {
			return err
		}
		if t.RevokedAt != nil {
			return nil
		}
		if err := models.RevokeAPIToken(ctx, tx, id, s.now()); err != nil {
			return err
		}
		e := s.event(p, "api_token.revoke", "api_token", id, "")
		e.BeforeData = models.AuditJSON(TokenView{t.Name, t.Prefix, t.ReadOnly, t.ExpiresAt})
		return s.record(ctx, tx, o, e)
	})
}

// RecordDenied writes an access.denied event for a refused request.
func (s *Service) RecordDenied(ctx context.Context, p *Principal, what string, o Origin) {
	e := s.event(p, "access.denied", "", "", what)
	e.Outcome = models.OutcomeDenied
	s.audit(ctx, s.DB, o, e)
}
