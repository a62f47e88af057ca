package scim

import (
	"context"
	"fmt"
	"net/http"

	scimerr "github.com/elimity-com/scim/errors"
	"gorm.io/gorm"

	"rampart/app/sso"
	"rampart/models"
)

// change is one provisioning request's transaction: it settles the role
// and access of every account it touches and writes the audit trail.
type change struct {
	s   *Service
	ctx context.Context
	tx  *gorm.DB
	p   *models.SSOProvider
	o   Origin
	// For a request about one account: the account as it was (nil when
	// created), the account as it is, and an action other than the one
	// the difference implies.
	before  map[string]any
	user    *models.User
	created bool
	action  string
	detail  string
	// perAccount audits each settled account on its own (group changes).
	perAccount bool
}

func (s *Service) change(r *http.Request, fn func(*change) error) error {
	return s.DB.WithContext(r.Context()).Transaction(func(tx *gorm.DB) error {
		c := &change{s: s, ctx: r.Context(), tx: tx, p: providerOf(r), o: originOf(r)}
		if err := fn(c); err != nil {
			return err
		}
		if c.user == nil || c.perAccount {
			return nil
		}
		action := c.action
		switch {
		case action != "":
		case c.created:
			action = "user.create"
		case c.before["role"] != c.user.Role:
			action = "user.role_change"
		default:
			action = "user.update"
		}
		before, after := models.AuditDiff(c.before, viewOf(c.user))
		if c.created {
			before, after = nil, models.AuditJSON(viewOf(c.user))
		}
		if !c.created && c.action == "" && (after == nil || *after == "{}") {
			return nil // the provider sent what was already there
		}
		return c.audit(action, "user", c.user.ID, before, after, c.detail)
	})
}

func (c *change) audit(action, objType, objID string, before, after *string, detail string) error {
	if detail == "" {
		detail = "provisioned by " + c.p.DisplayName
	}
	return models.AppendAudit(c.ctx, c.tx, &models.AuditEvent{ActorType: models.ActorSystem, ActorLabel: "scim:" + c.p.Slug,
		Action: action, ObjectType: objType, ObjectID: objID, BeforeData: before, AfterData: after, Detail: detail,
		RequestID: c.o.RequestID, ClientIP: c.o.ClientIP})
}

func viewOf(u *models.User) map[string]any {
	return map[string]any{"email": u.Email, "name": u.Name, "role": u.Role, "active": u.Active}
}

// settle gives an account the role its groups map to (else the provider's
// default) and access while the provider says it is active and some
// mapping or the default gives it a role. The last active administrator
// keeps both: a group change leaves them as they are, and deactivating
// them is refused.
func (c *change) settle(u *models.User) error {
	gs, err := groupsOf(c.tx, u.ID)
	if err != nil {
		return err
	}
	role, hasRole := sso.RoleFor(c.p, names(gs))
	next, active := u.Role, u.SCIMActive && hasRole
	if hasRole {
		next = role
	}
	if u.Role == models.RoleAdmin && u.Active && (next != models.RoleAdmin || !active) {
		n, err := models.LockActiveAdmins(c.ctx, c.tx)
		if err != nil {
			return err
		}
		if n <= 1 {
			if !u.SCIMActive {
				return scimerr.ScimError{ScimType: scimerr.ScimTypeMutability, Status: http.StatusBadRequest,
					Detail: u.Email + " is Rampart's last active administrator: make another user an administrator first"}
			}
			next, active = models.RoleAdmin, true
		}
	}
	if c.user == nil || c.user.ID == u.ID {
		c.user = u
	}
	if next == u.Role && active == u.Active {
		return nil
	}
	before := viewOf(u)
	if err := c.tx.Model(&models.User{}).Where("id = ?", u.ID).Updates(map[string]any{"role": next, "active": active,
		"version": gorm.Expr("version + 1"), "updated_at": c.s.now()}).Error; err != nil {
		return err
	}
	detail := ""
	if u.Active && !active {
		n, err := models.DeleteUserSessions(c.ctx, c.tx, u.ID, "")
		if err != nil {
			return err
		}
		if err := models.RevokeUserAPITokens(c.ctx, c.tx, u.ID, c.s.now()); err != nil {
			return err
		}
		if err := models.RevokeCalendarFeeds(c.ctx, c.tx, u.ID); err != nil {
			return err
		}
		detail = fmt.Sprintf("deactivated by %s: %d session(s) ended, API tokens and calendar feeds revoked", c.p.DisplayName, n)
	}
	u.Role, u.Active, u.Version = next, active, u.Version+1
	if !c.perAccount {
		c.detail = detail
		return nil
	}
	action := "user.update"
	if before["role"] != next {
		action = "user.role_change"
	}
	if detail == "" {
		detail = "from the groups " + c.p.DisplayName + " provisioned"
	}
	b, a := models.AuditDiff(before, viewOf(u))
	return c.audit(action, "user", u.ID, b, a, detail)
}
