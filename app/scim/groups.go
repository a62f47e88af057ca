package scim

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	scimlib "github.com/elimity-com/scim"
	"github.com/elimity-com/scim/optional"
	filter "github.com/scim2/filter-parser/v2"
	"gorm.io/gorm"

	"rampart/models"
)

// groups serves /Groups: one provider's groups and who is in them.
type groups struct{ s *Service }

func groupResource(g *models.SCIMGroup, members []models.User) scimlib.Resource {
	list := make([]any, 0, len(members))
	for _, u := range members {
		list = append(list, map[string]any{"value": u.ID, "display": u.Name})
	}
	r := scimlib.Resource{ID: g.ID, Attributes: scimlib.ResourceAttributes{"displayName": g.DisplayName, "members": list},
		Meta: scimlib.Meta{Created: &g.CreatedAt, LastModified: &g.UpdatedAt}}
	if g.ExternalID != "" {
		r.ExternalID = optional.NewString(g.ExternalID)
	}
	return r
}

func membersOf(db *gorm.DB, groupID string) ([]models.User, error) {
	var us []models.User
	err := db.Joins("JOIN scim_group_members m ON m.user_id = users.id").Where("m.group_id = ?", groupID).
		Order("users.name, users.id").Find(&us).Error
	return us, err
}

func (h groups) group(db *gorm.DB, p *models.SSOProvider, id string) (*models.SCIMGroup, error) {
	var g models.SCIMGroup
	err := db.Where("id = ? AND provider_id = ?", id, p.ID).Take(&g).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, notFound(id)
	}
	return &g, err
}

func checkGroupName(name string) error {
	if name == "" || !utf8.ValidString(name) || len(name) > 200 {
		return invalid("displayName is required, valid text of at most 200 characters")
	}
	return nil
}

// memberIDs reads a members list ([{"value": id}, …]).
func memberIDs(v any) ([]string, error) {
	list, ok := v.([]any)
	if !ok && v != nil {
		return nil, invalid("members must be a list of {\"value\": user id}")
	}
	ids := make([]string, 0, len(list))
	for _, e := range list {
		m, _ := e.(map[string]any)
		id := str(m["value"])
		if id == "" {
			return nil, invalid("each member needs a value (a user id)")
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// membership is a group's wanted members, applied at the end of a request.
type membership struct {
	g   *models.SCIMGroup
	ids []string
}

func (m *membership) add(ids ...string) {
	for _, id := range ids {
		if !slices.Contains(m.ids, id) {
			m.ids = append(m.ids, id)
		}
	}
}

func (m *membership) remove(ids ...string) {
	m.ids = slices.DeleteFunc(m.ids, func(id string) bool { return slices.Contains(ids, id) })
}

// apply stores the wanted members (each an account this provider manages),
// settles everyone who joined or left and audits the group.
func (c *change) applyMembers(m *membership, before []string, action string) error {
	var known int64
	if len(m.ids) > 0 {
		if err := c.tx.Model(&models.User{}).Where("id IN ? AND scim_provider_id = ?", m.ids, c.p.ID).Count(&known).Error; err != nil {
			return err
		}
	}
	if int(known) != len(m.ids) {
		return invalid("members must be users this provider provisioned")
	}
	var joined, left []string
	for _, id := range m.ids {
		if !slices.Contains(before, id) {
			joined = append(joined, id)
		}
	}
	for _, id := range before {
		if !slices.Contains(m.ids, id) {
			left = append(left, id)
		}
	}
	if len(left) > 0 {
		if err := c.tx.Where("group_id = ? AND user_id IN ?", m.g.ID, left).Delete(&models.SCIMGroupMember{}).Error; err != nil {
			return err
		}
	}
	for _, id := range joined {
		if err := c.tx.Create(&models.SCIMGroupMember{GroupID: m.g.ID, UserID: id}).Error; err != nil {
			return err
		}
	}
	c.perAccount = true
	for _, id := range append(joined, left...) {
		var u models.User
		if err := c.tx.Where("id = ?", id).Take(&u).Error; err != nil {
			return err
		}
		if err := c.settle(&u); err != nil {
			return err
		}
	}
	after := models.AuditJSON(map[string]any{"display_name": m.g.DisplayName, "external_id": m.g.ExternalID, "members": len(m.ids)})
	detail := fmt.Sprintf("by %s: %d joined, %d left", c.p.DisplayName, len(joined), len(left))
	return c.audit(action, "scim_group", m.g.ID, nil, after, detail)
}

func (h groups) Create(r *http.Request, attrs scimlib.ResourceAttributes) (scimlib.Resource, error) {
	name, _ := attr(attrs, "displayName")
	ext, _ := attr(attrs, "externalId")
	g := &models.SCIMGroup{ProviderID: providerOf(r).ID, DisplayName: str(name), ExternalID: str(ext)}
	if err := checkGroupName(g.DisplayName); err != nil {
		return scimlib.Resource{}, err
	}
	raw, _ := attr(attrs, "members")
	ids, err := memberIDs(raw)
	if err != nil {
		return scimlib.Resource{}, err
	}
	err = h.s.change(r, func(c *change) error {
		if err := c.tx.Create(g).Error; err != nil {
			return err
		}
		m := &membership{g: g}
		m.add(ids...)
		return c.applyMembers(m, nil, "scim.group_create")
	})
	if err != nil {
		return scimlib.Resource{}, err
	}
	return h.Get(r, g.ID)
}

func (h groups) Get(r *http.Request, id string) (scimlib.Resource, error) {
	db := h.s.DB.WithContext(r.Context())
	g, err := h.group(db, providerOf(r), id)
	if err != nil {
		return scimlib.Resource{}, err
	}
	us, err := membersOf(db, g.ID)
	return groupResource(g, us), err
}

func (h groups) GetAll(r *http.Request, params scimlib.ListRequestParams) (scimlib.Page, error) {
	db := h.s.DB.WithContext(r.Context())
	var all []models.SCIMGroup
	if err := db.Where("provider_id = ?", providerOf(r).ID).Order("display_name, id").Find(&all).Error; err != nil {
		return scimlib.Page{}, err
	}
	matched := make([]scimlib.Resource, 0, len(all))
	for i := range all {
		us, err := membersOf(db, all[i].ID)
		if err != nil {
			return scimlib.Page{}, err
		}
		res := groupResource(&all[i], us)
		if params.FilterValidator != nil && params.FilterValidator.PassesFilter(filterable(res)) != nil {
			continue
		}
		matched = append(matched, res)
	}
	return scimlib.Page{TotalResults: len(matched), Resources: page(matched, params)}, nil
}

func (h groups) Replace(r *http.Request, id string, attrs scimlib.ResourceAttributes) (scimlib.Resource, error) {
	name, _ := attr(attrs, "displayName")
	ext, _ := attr(attrs, "externalId")
	raw, _ := attr(attrs, "members")
	ids, err := memberIDs(raw)
	if err != nil {
		return scimlib.Resource{}, err
	}
	return h.update(r, id, func(g *models.SCIMGroup, m *membership) error {
		g.DisplayName, g.ExternalID = str(name), str(ext)
		m.ids = nil
		m.add(ids...)
		return nil
	})
}

// Patch adds and removes members (members[value eq "…"] paths among them,
// as Entra ID and Okta send) and renames the group.
func (h groups) Patch(r *http.Request, id string, ops []scimlib.PatchOperation) (scimlib.Resource, error) {
	return h.update(r, id, func(g *models.SCIMGroup, m *membership) error {
		for _, op := range ops {
			kind := strings.ToLower(op.Op)
			values := map[string]any{}
			if op.Path == nil {
				mv, ok := op.Value.(map[string]any)
				if !ok {
					return invalid("a PATCH operation without a path needs an object value")
				}
				values = mv
			} else {
				values[op.Path.AttributePath.AttributeName] = op.Value
			}
			for k, v := range values {
				switch strings.ToLower(k) {
				case "displayname":
					g.DisplayName = str(v)
				case "externalid":
					g.ExternalID = str(v)
				case "members":
					if kind == "remove" && op.Path != nil && op.Path.ValueExpression != nil {
						one, ok := memberFilter(op.Path.ValueExpression)
						if !ok {
							return invalid("members can be removed by members[value eq \"<user id>\"] only")
						}
						m.remove(one)
						continue
					}
					ids, err := memberIDs(v)
					if err != nil {
						return err
					}
					switch {
					case kind == "add":
						m.add(ids...)
					case kind == "remove" && v == nil:
						m.ids = nil
					case kind == "remove":
						m.remove(ids...)
					default:
						m.ids = nil
						m.add(ids...)
					}
				}
			}
		}
		return nil
	})
}

// memberFilter reads the user id of a members[value eq "…"] path.
func memberFilter(e filter.Expression) (string, bool) {
	a, ok := e.(*filter.AttributeExpression)
	if !ok || !strings.EqualFold(a.AttributePath.AttributeName, "value") || a.Operator != filter.EQ {
		return "", false
	}
	id, ok := a.CompareValue.(string)
	return id, ok && id != ""
}

func (h groups) update(r *http.Request, id string, apply func(*models.SCIMGroup, *membership) error) (scimlib.Resource, error) {
	p := providerOf(r)
	err := h.s.change(r, func(c *change) error {
		g, err := h.group(c.tx, p, id)
		if err != nil {
			return err
		}
		var before []string
		if err := c.tx.Model(&models.SCIMGroupMember{}).Where("group_id = ?", g.ID).Pluck("user_id", &before).Error; err != nil {
			return err
		}
		m := &membership{g: g, ids: slices.Clone(before)}
		if err := apply(g, m); err != nil {
			return err
		}
		if err := checkGroupName(g.DisplayName); err != nil {
			return err
		}
		if err := c.tx.Model(g).Updates(map[string]any{"display_name": g.DisplayName, "external_id": g.ExternalID, "updated_at": h.s.now()}).Error; err != nil {
			return err
		}
		return c.applyMembers(m, before, "scim.group_update")
	})
	if err != nil {
		return scimlib.Resource{}, err
	}
	return h.Get(r, id)
}

// Delete removes the group; its members' roles are settled without it.
func (h groups) Delete(r *http.Request, id string) error {
	p := providerOf(r)
	return h.s.change(r, func(c *change) error {
		g, err := h.group(c.tx, p, id)
		if err != nil {
			return err
		}
		var before []string
		if err := c.tx.Model(&models.SCIMGroupMember{}).Where("group_id = ?", g.ID).Pluck("user_id", &before).Error; err != nil {
			return err
		}
		if err := c.applyMembers(&membership{g: g}, before, "scim.group_delete"); err != nil {
			return err
		}
		return c.tx.Delete(g).Error
	})
}
