package scim

import (
	"errors"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"unicode/utf8"

	scimlib "github.com/elimity-com/scim"
	scimerr "github.com/elimity-com/scim/errors"
	"github.com/elimity-com/scim/optional"
	"gorm.io/gorm"

	"rampart/models"
)

// users serves /Users: the accounts one provider manages.
type users struct{ s *Service }

// account is what a provider says of a person.
type account struct {
	email, name, externalID string
	active                  bool
}

// attr reads a top-level attribute whatever its case: attribute names are
// case-insensitive in SCIM, and providers differ.
func attr(attrs map[string]any, name string) (any, bool) {
	for k, v := range attrs {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

func str(v any) string {
	s, _ := v.(string)
	return strings.TrimSpace(s)
}

// boolean reads a boolean, also as the strings "True" and "False" Entra ID
// sends.
func boolean(v any) (bool, bool) {
	switch b := v.(type) {
	case bool:
		return b, true
	case string:
		parsed, err := strconv.ParseBool(strings.TrimSpace(b))
		return parsed, err == nil
	}
	return false, false
}

func invalid(detail string) error {
	return scimerr.ScimError{ScimType: scimerr.ScimTypeInvalidValue, Detail: detail, Status: http.StatusBadRequest}
}

// set applies one attribute of a User resource (a top-level name or a
// name.sub path) to the account; attributes Rampart does not keep are
// ignored, as a provider sends many.
func (a *account) set(name string, v any) error {
	switch strings.ToLower(name) {
	case "username":
		a.email = str(v)
	case "displayname":
		if s := str(v); s != "" {
			a.name = s
		}
	case "name":
		m, _ := v.(map[string]any)
		if f := str(m["formatted"]); f != "" {
			a.name = f
		} else if n := strings.TrimSpace(str(m["givenName"]) + " " + str(m["familyName"])); n != "" {
			a.name = n
		}
	case "name.formatted":
		if s := str(v); s != "" {
			a.name = s
		}
	case "externalid":
		a.externalID = str(v)
	case "active":
		b, ok := boolean(v)
		if !ok {
			return invalid("active must be true or false")
		}
		a.active = b
	case "emails":
		// The primary address, else the first; userName stays the sign-in
		// name only when no address is given.
		list, _ := v.([]any)
		for i, e := range list {
			m, _ := e.(map[string]any)
			if p, _ := boolean(m["primary"]); p || i == 0 {
				if s := str(m["value"]); s != "" {
					a.email = s
				}
			}
		}
	}
	return nil
}

func accountFrom(attrs scimlib.ResourceAttributes) (account, error) {
	a := account{active: true}
	if v, ok := attr(attrs, "userName"); ok {
		_ = a.set("userName", v)
	}
	for _, k := range []string{"displayName", "name", "externalId", "active", "emails"} {
		if v, ok := attr(attrs, k); ok {
			if err := a.set(k, v); err != nil {
				return a, err
			}
		}
	}
	return a, a.check()
}

func (a *account) check() error {
	a.email = models.NormalizeEmail(a.email)
	addr, err := mail.ParseAddress(a.email)
	if err != nil || addr.Address != a.email || len(a.email) > 254 {
		return invalid("userName (or the primary email) must be an email address, at most 254 characters")
	}
	if a.name == "" {
		a.name = a.email
	}
	if !utf8.ValidString(a.name) || len(a.name) > 200 {
		return invalid("the name must be valid text of at most 200 characters")
	}
	if len(a.externalID) > 200 {
		return invalid("externalId must be at most 200 characters")
	}
	return nil
}

// resource is the User resource of an account, with its groups.
func userResource(u *models.User, gs []models.SCIMGroup) scimlib.Resource {
	members := make([]any, 0, len(gs))
	for _, g := range gs {
		members = append(members, map[string]any{"value": g.ID, "display": g.DisplayName})
	}
	r := scimlib.Resource{ID: u.ID, Attributes: scimlib.ResourceAttributes{
		"userName":    u.Email,
		"displayName": u.Name,
		"name":        map[string]any{"formatted": u.Name},
		"emails":      []any{map[string]any{"value": u.Email, "primary": true, "type": "work"}},
		"active":      u.SCIMActive,
		"groups":      members,
	}, Meta: scimlib.Meta{Created: &u.CreatedAt, LastModified: &u.UpdatedAt, Version: `W/"` + strconv.FormatInt(u.Version, 10) + `"`}}
	if u.SCIMExternalID != "" {
		r.ExternalID = optional.NewString(u.SCIMExternalID)
	}
	return r
}

func notFound(id string) error { return scimerr.ScimErrorResourceNotFound(id) }

// managed loads an account the provider manages; any other is not found.
func managed(tx *gorm.DB, p *models.SSOProvider, id string) (*models.User, error) {
	var u models.User
	err := tx.Where("id = ? AND scim_provider_id = ?", id, p.ID).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, notFound(id)
	}
	return &u, err
}

func (h users) Create(r *http.Request, attrs scimlib.ResourceAttributes) (scimlib.Resource, error) {
	a, err := accountFrom(attrs)
	if err != nil {
		return scimlib.Resource{}, err
	}
	p := providerOf(r)
	var out *models.User
	err = h.s.change(r, func(c *change) error {
		u, err := models.UserByEmail(r.Context(), c.tx, a.email)
		switch {
		case errors.Is(err, models.ErrNotFound):
			// No password: the account signs in through its provider.
			u = &models.User{Email: a.email, Name: a.name, Role: models.RoleRequester, PasswordHash: "!sso"}
			u.SCIMProviderID, u.SCIMExternalID, u.SCIMActive = &p.ID, a.externalID, a.active
			if err := models.CreateUser(r.Context(), c.tx, u); err != nil {
				return err
			}
			c.created = true
		case err != nil:
			return err
		case u.SCIMProviderID != nil:
			// Already provisioned (by this provider or another).
			return scimerr.ScimErrorUniqueness
		default:
			// An account made here before provisioning: the provider takes it
			// over, matched by email as sign-in matches it.
			c.before = viewOf(u)
			if err := c.tx.Model(u).Updates(map[string]any{"scim_provider_id": p.ID, "scim_external_id": a.externalID,
				"scim_active": a.active, "name": a.name}).Error; err != nil {
				return err
			}
			u.SCIMProviderID, u.SCIMExternalID, u.SCIMActive, u.Name = &p.ID, a.externalID, a.active, a.name
		}
		if err := c.settle(u); err != nil {
			return err
		}
		out = u
		return nil
	})
	if err != nil {
		return scimlib.Resource{}, err
	}
	return userResource(out, nil), nil
}

func (h users) Get(r *http.Request, id string) (scimlib.Resource, error) {
	p := providerOf(r)
	u, err := managed(h.s.DB.WithContext(r.Context()), p, id)
	if err != nil {
		return scimlib.Resource{}, err
	}
	gs, err := groupsOf(h.s.DB.WithContext(r.Context()), u.ID)
	return userResource(u, gs), err
}

func (h users) GetAll(r *http.Request, params scimlib.ListRequestParams) (scimlib.Page, error) {
	p := providerOf(r)
	db := h.s.DB.WithContext(r.Context())
	var all []models.User
	if err := db.Where("scim_provider_id = ?", p.ID).Order("created_at, id").Find(&all).Error; err != nil {
		return scimlib.Page{}, err
	}
	var memberships []struct{ UserID, GroupID, DisplayName string }
	if err := db.Table("scim_group_members m").Joins("JOIN scim_groups g ON g.id = m.group_id").
		Where("g.provider_id = ?", p.ID).Select("m.user_id, m.group_id, g.display_name").Scan(&memberships).Error; err != nil {
		return scimlib.Page{}, err
	}
	byUser := map[string][]models.SCIMGroup{}
	for _, m := range memberships {
		g := models.SCIMGroup{DisplayName: m.DisplayName}
		g.ID = m.GroupID
		byUser[m.UserID] = append(byUser[m.UserID], g)
	}
	matched := make([]scimlib.Resource, 0, len(all))
	for i := range all {
		res := userResource(&all[i], byUser[all[i].ID])
		if params.FilterValidator != nil {
			if err := params.FilterValidator.PassesFilter(filterable(res)); err != nil {
				continue
			}
		}
		matched = append(matched, res)
	}
	return scimlib.Page{TotalResults: len(matched), Resources: page(matched, params)}, nil
}

// filterable is a resource as a filter sees it: its attributes with the
// common ones (id, externalId).
func filterable(r scimlib.Resource) map[string]any {
	m := make(map[string]any, len(r.Attributes)+2)
	for k, v := range r.Attributes {
		m[k] = v
	}
	m["id"] = r.ID
	if r.ExternalID.Present() {
		m["externalId"] = r.ExternalID.Value()
	}
	return m
}

func (h users) Replace(r *http.Request, id string, attrs scimlib.ResourceAttributes) (scimlib.Resource, error) {
	a, err := accountFrom(attrs)
	if err != nil {
		return scimlib.Resource{}, err
	}
	return h.update(r, id, func(cur *account) error { *cur = a; return nil })
}

func (h users) Patch(r *http.Request, id string, ops []scimlib.PatchOperation) (scimlib.Resource, error) {
	return h.update(r, id, func(a *account) error {
		for _, op := range ops {
			kind := strings.ToLower(op.Op)
			if op.Path == nil {
				// A path-less add or replace carries attributes by name
				// ("name.givenName" among them, as Entra ID sends).
				m, ok := op.Value.(map[string]any)
				if !ok {
					return invalid("a PATCH operation without a path needs an object value")
				}
				for k, v := range m {
					if err := a.set(k, v); err != nil {
						return err
					}
				}
				continue
			}
			name := op.Path.AttributePath.AttributeName
			if sub := op.Path.AttributePath.SubAttribute; sub != nil {
				name += "." + *sub
			}
			if op.Path.ValueExpression != nil && strings.EqualFold(name, "emails") && op.Path.SubAttribute != nil &&
				strings.EqualFold(*op.Path.SubAttribute, "value") {
				// emails[type eq "work"].value: the one address Rampart keeps.
				name = "emails"
				op.Value = []any{map[string]any{"value": op.Value, "primary": true}}
			}
			if kind == "remove" {
				continue // nothing Rampart keeps may be removed: an account always has its address and name
			}
			if err := a.set(name, op.Value); err != nil {
				return err
			}
		}
		return a.check()
	})
}

// update applies a change to an account the provider manages and settles
// its role and access.
func (h users) update(r *http.Request, id string, apply func(*account) error) (scimlib.Resource, error) {
	p := providerOf(r)
	var out *models.User
	var gs []models.SCIMGroup
	err := h.s.change(r, func(c *change) error {
		u, err := managed(c.tx, p, id)
		if err != nil {
			return err
		}
		c.before = viewOf(u)
		a := account{email: u.Email, name: u.Name, externalID: u.SCIMExternalID, active: u.SCIMActive}
		if err := apply(&a); err != nil {
			return err
		}
		if a.email != u.Email {
			taken, err := models.UserByEmail(r.Context(), c.tx, a.email)
			if err == nil && taken.ID != u.ID {
				return scimerr.ScimErrorUniqueness
			} else if err != nil && !errors.Is(err, models.ErrNotFound) {
				return err
			}
		}
		if err := c.tx.Model(u).Updates(map[string]any{"email": a.email, "name": a.name, "scim_external_id": a.externalID,
			"scim_active": a.active, "version": gorm.Expr("version + 1"), "updated_at": h.s.now()}).Error; err != nil {
			return err
		}
		u.Email, u.Name, u.SCIMExternalID, u.SCIMActive, u.Version = a.email, a.name, a.externalID, a.active, u.Version+1
		if err := c.settle(u); err != nil {
			return err
		}
		out = u
		gs, err = groupsOf(c.tx, u.ID)
		return err
	})
	if err != nil {
		return scimlib.Resource{}, err
	}
	return userResource(out, gs), nil
}

// Delete ends the provider's management of an account: it is deactivated
// (sessions ended, tokens revoked) and leaves its groups, and is kept, as
// every account is, so the audit trail still names who did what.
func (h users) Delete(r *http.Request, id string) error {
	p := providerOf(r)
	return h.s.change(r, func(c *change) error {
		u, err := managed(c.tx, p, id)
		if err != nil {
			return err
		}
		c.before = viewOf(u)
		c.action = "scim.user_delete"
		if err := c.tx.Where("user_id = ?", u.ID).Delete(&models.SCIMGroupMember{}).Error; err != nil {
			return err
		}
		u.SCIMActive = false
		if err := c.settle(u); err != nil {
			return err
		}
		return c.tx.Model(u).Updates(map[string]any{"scim_provider_id": nil, "scim_external_id": "", "scim_active": false}).Error
	})
}

func groupsOf(db *gorm.DB, userID string) ([]models.SCIMGroup, error) {
	var gs []models.SCIMGroup
	err := db.Joins("JOIN scim_group_members m ON m.group_id = scim_groups.id").Where("m.user_id = ?", userID).
		Order("scim_groups.display_name").Find(&gs).Error
	return gs, err
}

// names are what a mapping's group may name: a group's display name or the
// provider's id for it (Entra ID's groups claim sends object ids).
func names(gs []models.SCIMGroup) []string {
	out := make([]string, 0, 2*len(gs))
	for _, g := range gs {
		out = append(out, g.DisplayName)
		if g.ExternalID != "" {
			out = append(out, g.ExternalID)
		}
	}
	return out
}
