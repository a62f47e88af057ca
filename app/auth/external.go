package auth

import (
	"context"

	"gorm.io/gorm"

	"rampart/models"
)

// MethodPassword is how a session opened with email and password says so;
// single sign-on sessions say "oidc:<provider slug>".
const MethodPassword = "password"

// SignInExternal opens a session for u, whom an identity provider vouched
// for (method names it), and audits the sign-in. The caller has checked the
// provider's answer; a deactivated user is refused here all the same.
func (s *Service) SignInExternal(ctx context.Context, u *models.User, method, detail string, o Origin) (*SignedIn, error) {
	if !u.Active {
		s.audit(ctx, s.DB, o, models.AuditEvent{ActorType: models.ActorAnonymous, ActorLabel: u.Email, Action: "auth.sign_in_failed",
			Outcome: models.OutcomeDenied, ObjectType: "user", ObjectID: u.ID, Detail: "account deactivated (" + method + ")"})
		return nil, ErrBadCredentials
	}
	now := s.now()
	var out *SignedIn
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.RecordSignIn(ctx, tx, u.ID, now, ""); err != nil {
			return err
		}
		signed, err := s.openSessionBy(ctx, tx, u, now, o, method)
		if err != nil {
			return err
		}
		out = signed
		return s.record(ctx, tx, o, models.AuditEvent{ActorType: models.ActorUser, ActorID: u.ID, ActorLabel: u.Email,
			Action: "auth.sign_in", ObjectType: "user", ObjectID: u.ID, Detail: detail})
	})
	if err != nil {
		return nil, err
	}
	out.User.LastLoginAt = &now
	return out, nil
}
