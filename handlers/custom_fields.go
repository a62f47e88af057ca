package handlers

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/customfields"
	"rampart/models"
)

// Admin-defined custom fields: their definitions (Settings) and the list
// filters and sorts by their values.

type customFieldResponse struct {
	ID         string     `json:"id"`
	EntityType string     `json:"entity_type" enum:"vendor,contract,finding"`
	Key        string     `json:"key" description:"stable identifier: the key in custom_fields objects, cf.<key> list filters and sorts; never changes"`
	Label      string     `json:"label"`
	Type       string     `json:"type" enum:"text,number,date,single_choice,multiple_choice,user,url"`
	HelpText   string     `json:"help_text"`
	Required   bool       `json:"required"`
	Options    []string   `json:"options" description:"the choices of single_choice and multiple_choice fields; [] otherwise"`
	Position   int64      `json:"position"`
	ArchivedAt *time.Time `json:"archived_at" description:"set: hidden from forms and imports; values kept and still shown"`
	Version    int64      `json:"version"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

func toCustomField(f *models.CustomField) customFieldResponse {
	opts := []string(f.Options)
	if opts == nil {
		opts = []string{}
	}
	return customFieldResponse{ID: f.ID, EntityType: f.EntityType, Key: f.Key, Label: f.Label, Type: f.Type, HelpText: f.HelpText,
		Required: f.Required, Options: opts, Position: f.Position, ArchivedAt: f.ArchivedAt, Version: f.Version, CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt}
}

type customFieldsResponse struct {
	Items []customFieldResponse `json:"items"`
}

type customFieldsQuery struct {
	EntityType string `query:"entity_type" enum:"vendor,contract,finding" description:"only this record kind's fields"`
	Archived   string `query:"archived" enum:"true,false" description:"true includes archived fields (default false)"`
}

// customValuesDTO is a record's custom field values by key: a string
// (text, URL, date YYYY-MM-DD, single choice, user id), a number, or a
// list of options (multiple choice). In a request, null or "" clears a
// value and keys not sent are left as they are.
type customValuesDTO map[string]json.RawMessage

// customValuesOut is never null.
func customValuesOut(v models.CustomValues) map[string]any {
	if v == nil {
		return map[string]any{}
	}
	return v
}

// given is the values of a create request: an empty object when the body
// had none, so required fields are enforced.
func (d customValuesDTO) given() map[string]json.RawMessage {
	if d == nil {
		return map[string]json.RawMessage{}
	}
	return d
}

func (s *Server) customFieldService() *customfields.Service {
	return &customfields.Service{DB: s.deps.DB.Gorm}
}

func (s *Server) listCustomFields(c echo.Context) error {
	q := parseQuery(c, "entity_type", "archived")
	entity := q.oneOf("entity_type", customfields.Entities...)
	archived := q.boolean("archived")
	if err := q.err(); err != nil {
		return err
	}
	out := customFieldsResponse{Items: []customFieldResponse{}}
	for _, e := range customfields.Entities {
		if entity != "" && e != entity {
			continue
		}
		fs, err := models.ListCustomFields(c.Request().Context(), s.deps.DB.Gorm, e, archived != nil && *archived)
		if err != nil {
			return err
		}
		for i := range fs {
			out.Items = append(out.Items, toCustomField(&fs[i]))
		}
	}
	return c.JSON(http.StatusOK, out)
}

type createCustomFieldRequest struct {
	EntityType string   `json:"entity_type" validate:"required" enum:"vendor,contract,finding"`
	Key        string   `json:"key" validate:"required,max=40" description:"1-40 lower-case letters, digits or underscores, starting with a letter; unique per entity_type; never changes"`
	Label      string   `json:"label" validate:"required,max=100"`
	Type       string   `json:"type" validate:"required" enum:"text,number,date,single_choice,multiple_choice,user,url"`
	HelpText   string   `json:"help_text" validate:"max=500"`
	Required   bool     `json:"required" description:"enforced when a record is created, and when an edit sends custom_fields"`
	Options    []string `json:"options" validate:"max=100" description:"choices of a single_choice or multiple_choice field (at least one); none for other types"`
}

func (s *Server) createCustomField(c echo.Context) error {
	var req createCustomFieldRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	f, err := s.customFieldService().Create(c.Request().Context(), principalOf(c), customfields.New{EntityType: req.EntityType, Key: req.Key,
		Label: req.Label, Type: req.Type, HelpText: req.HelpText, Required: req.Required, Options: req.Options}, s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toCustomField(f))
}

type customFieldIDParam struct {
	ID string `path:"id"`
}

type updateCustomFieldRequest struct {
	ID       string    `json:"-" path:"id"`
	Version  int64     `json:"version" validate:"required,gte=1"`
	Label    *string   `json:"label" validate:"omitempty,max=100"`
	HelpText *string   `json:"help_text" validate:"omitempty,max=500"`
	Required *bool     `json:"required"`
	Options  *[]string `json:"options" description:"the full new list; an option records still hold cannot be dropped"`
	Archived *bool     `json:"archived" description:"true hides the field from forms and imports, keeping its values; false restores it"`
}

func (s *Server) updateCustomField(c echo.Context) error {
	var req updateCustomFieldRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	f, err := s.customFieldService().Update(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, customfields.Changes{
		Label: req.Label, HelpText: req.HelpText, Required: req.Required, Options: req.Options, Archived: req.Archived}, s.origin(c))
	if err != nil {
		if f != nil {
			return conflictWith(err, toCustomField(f))
		}
		return err
	}
	return c.JSON(http.StatusOK, toCustomField(f))
}

func (s *Server) deleteCustomField(c echo.Context) error {
	if err := s.customFieldService().Delete(c.Request().Context(), principalOf(c), c.Param("id"), s.origin(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type reorderCustomFieldsRequest struct {
	EntityType string   `json:"entity_type" validate:"required" enum:"vendor,contract,finding"`
	IDs        []string `json:"ids" validate:"required,max=100" description:"every field of entity_type (archived ones too), in the new order"`
}

func (s *Server) reorderCustomFields(c echo.Context) error {
	var req reorderCustomFieldsRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	fs, err := s.customFieldService().Reorder(c.Request().Context(), principalOf(c), req.EntityType, req.IDs, s.origin(c))
	if err != nil {
		return err
	}
	out := customFieldsResponse{Items: []customFieldResponse{}}
	for i := range fs {
		out.Items = append(out.Items, toCustomField(&fs[i]))
	}
	return c.JSON(http.StatusOK, out)
}

// customListParams reads a list's cf.<key> filters and a sort=cf.<key>
// against entity's fields (archived ones too: their values are kept). A
// number or date filter takes one value or a range "from..to" (either end
// may be left out); the others match one value exactly (a multiple choice
// field: records holding that option).
func (s *Server) customListParams(c echo.Context, q *query, entity string) ([]models.CustomFilter, *models.CustomSort, error) {
	var keys []string
	for k := range q.values {
		if strings.HasPrefix(k, "cf.") {
			keys = append(keys, k)
		}
	}
	sort := strings.TrimPrefix(q.values.Get("sort"), "-")
	if len(keys) == 0 && !strings.HasPrefix(sort, "cf.") {
		return nil, nil, nil
	}
	fields, err := models.ListCustomFields(c.Request().Context(), s.deps.DB.Gorm, entity, true)
	if err != nil {
		return nil, nil, err
	}
	byKey := map[string]*models.CustomField{}
	for i := range fields {
		byKey[fields[i].Key] = &fields[i]
	}
	var out []models.CustomFilter
	for _, name := range keys {
		f := byKey[strings.TrimPrefix(name, "cf.")]
		if f == nil {
			q.fail(name, "is not a custom field of "+entity+"s")
			continue
		}
		v := q.str(name, customfields.MaxURL)
		if v == "" {
			continue
		}
		cf := models.CustomFilter{FieldID: f.ID, Column: models.ValueColumn(f.Type)}
		switch f.Type {
		case models.CustomNumber, models.CustomDate:
			lo, hi, isRange := strings.Cut(v, "..")
			parse := func(s string) any {
				if s == "" {
					return nil
				}
				if f.Type == models.CustomNumber {
					n, msg := customfields.Number(s)
					if msg != "" {
						q.fail(name, msg+", or a range such as 10..100")
					}
					return n
				}
				if _, err := time.Parse(time.DateOnly, s); err != nil {
					q.fail(name, "must be a date (YYYY-MM-DD), or a range such as 2026-01-01..2026-12-31")
					return nil
				}
				return s
			}
			if isRange {
				cf.Min, cf.Max = parse(lo), parse(hi)
			} else {
				cf.Eq = parse(v)
			}
		default:
			cf.Eq = v
		}
		out = append(out, cf)
	}
	var cs *models.CustomSort
	if strings.HasPrefix(sort, "cf.") {
		if f := byKey[strings.TrimPrefix(sort, "cf.")]; f != nil {
			cs = &models.CustomSort{FieldID: f.ID, Type: f.Type}
		} else {
			q.fail("sort", strings.TrimPrefix(sort, "cf.")+" is not a custom field of "+entity+"s")
		}
	}
	return out, cs, q.err()
}
