// Package customfields holds the admin-defined fields of vendors,
// contracts and findings: their definitions and the checking of the values
// records carry.
package customfields

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/models"
)

// Limits that keep definitions and values bounded.
const (
	MaxLabel      = 100
	MaxHelp       = 500
	MaxOptions    = 100
	MaxOption     = 100
	MaxText       = 1000
	MaxURL        = 2000
	MaxPerEntity  = 50
	maxMagnitude  = 1e15
	optionForbids = ";,\n\r"
)

var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Entities are the record kinds that carry custom fields.
var Entities = []string{"vendor", "contract", "finding"}

// Service manages the definitions, auditing each change in its transaction.
type Service struct{ DB *gorm.DB }

// New is a field as an admin defines it.
type New struct {
	EntityType, Key, Label, Type, HelpText string
	Required                               bool
	Options                                []string
}

// Changes are the editable parts of a definition; nil leaves one as it is.
// Key and type never change: values and filters depend on them.
type Changes struct {
	Label, HelpText *string
	Required        *bool
	Options         *[]string
	Archived        *bool
}

type checker struct{ errs []models.FieldError }

func (c *checker) fail(field, msg string) {
	c.errs = append(c.errs, models.FieldError{Field: field, Message: msg})
}

func (c *checker) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return &models.ValidationError{Errors: c.errs}
}

func (c *checker) text(field, v string, max int, required bool) string {
	v = strings.TrimSpace(v)
	switch {
	case required && v == "":
		c.fail(field, "is required")
	case !utf8.ValidString(v):
		c.fail(field, "must be valid UTF-8 text")
	case utf8.RuneCountInString(v) > max:
		c.fail(field, fmt.Sprintf("must be at most %d characters long", max))
	}
	return v
}

func (c *checker) options(typ string, in []string) []string {
	choice := typ == models.CustomSingle || typ == models.CustomMultiple
	if !choice {
		if len(in) > 0 {
			c.fail("options", "are only for single_choice and multiple_choice fields")
		}
		return []string{}
	}
	out := []string{}
	for i, o := range in {
		o = c.text(fmt.Sprintf("options[%d]", i), o, MaxOption, true)
		switch {
		case strings.ContainsAny(o, optionForbids):
			c.fail(fmt.Sprintf("options[%d]", i), "must not contain ; , or line breaks (imports separate options with them)")
		case slices.Contains(out, o):
			c.fail(fmt.Sprintf("options[%d]", i), "repeats an option")
		case o != "":
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		c.fail("options", "must list at least one option")
	}
	if len(out) > MaxOptions {
		c.fail("options", fmt.Sprintf("must have at most %d items", MaxOptions))
	}
	return out
}

// Create defines a field after the entity's others.
func (s *Service) Create(ctx context.Context, p *auth.Principal, in New, o auth.Origin) (*models.CustomField, error) {
	var c checker
	if !slices.Contains(Entities, in.EntityType) {
		c.fail("entity_type", "must be one of: "+strings.Join(Entities, ", "))
	}
	if !keyPattern.MatchString(in.Key) {
		c.fail("key", "must be 1-40 lower-case letters, digits or underscores, starting with a letter")
	}
	if !slices.Contains(models.CustomFieldTypes, in.Type) {
		c.fail("type", "must be one of: "+strings.Join(models.CustomFieldTypes, ", "))
	}
	f := &models.CustomField{EntityType: in.EntityType, Key: in.Key, Type: in.Type, Required: in.Required,
		Label: c.text("label", in.Label, MaxLabel, true), HelpText: c.text("help_text", in.HelpText, MaxHelp, false)}
	f.Options = c.options(in.Type, in.Options)
	if err := c.err(); err != nil {
		return nil, err
	}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		existing, err := models.ListCustomFields(ctx, tx, in.EntityType, true)
		if err != nil {
			return err
		}
		if len(existing) >= MaxPerEntity {
			return models.Invalid("entity_type", fmt.Sprintf("has %d custom fields already, the most allowed", MaxPerEntity))
		}
		if err := models.CreateCustomField(ctx, tx, f); err != nil {
			if errors.Is(err, models.ErrConflict) {
				return models.Invalid("key", "is already used by another "+in.EntityType+" field (archived ones included)")
			}
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "custom_field.create", ObjectType: "custom_field", ObjectID: f.ID,
			AfterData: models.AuditJSON(viewOf(f))})
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Update changes a field's label, help, required flag or options, or
// archives or restores it. An option still held by records cannot be
// removed: archive the field, or change those records first.
func (s *Service) Update(ctx context.Context, p *auth.Principal, id string, version int64, ch Changes, o auth.Origin) (*models.CustomField, error) {
	var out *models.CustomField
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := models.GetCustomField(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			out = before
			return models.ErrConflict
		}
		var c checker
		set := map[string]any{}
		if ch.Label != nil {
			set["label"] = c.text("label", *ch.Label, MaxLabel, true)
		}
		if ch.HelpText != nil {
			set["help_text"] = c.text("help_text", *ch.HelpText, MaxHelp, false)
		}
		if ch.Required != nil {
			set["required"] = *ch.Required
		}
		if ch.Options != nil {
			opts := c.options(before.Type, *ch.Options)
			for _, gone := range before.Options {
				if slices.Contains(opts, gone) {
					continue
				}
				n, err := models.CountCustomFieldValues(ctx, tx, id, gone)
				if err != nil {
					return err
				}
				if n > 0 {
					c.fail("options", fmt.Sprintf("cannot drop %q: %d records hold it", gone, n))
				}
			}
			set["options"] = models.StringList(opts)
		}
		if ch.Archived != nil {
			if *ch.Archived && before.ArchivedAt == nil {
				set["archived_at"] = time.Now().UTC()
			} else if !*ch.Archived {
				set["archived_at"] = nil
			}
		}
		if err := c.err(); err != nil {
			return err
		}
		after, err := models.UpdateCustomField(ctx, tx, id, version, set)
		out = after
		if err != nil {
			return err
		}
		action := "custom_field.update"
		switch {
		case before.ArchivedAt == nil && after.ArchivedAt != nil:
			action = "custom_field.archive"
		case before.ArchivedAt != nil && after.ArchivedAt == nil:
			action = "custom_field.restore"
		}
		b, a := models.AuditDiff(viewOf(before), viewOf(after))
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: action, ObjectType: "custom_field", ObjectID: id, BeforeData: b, AfterData: a})
	})
	if errors.Is(err, models.ErrConflict) {
		return out, err
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Delete removes a field that no record holds a value of; one with values
// is archived instead, so nothing people entered is lost.
func (s *Service) Delete(ctx context.Context, p *auth.Principal, id string, o auth.Origin) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		f, err := models.GetCustomField(ctx, tx, id)
		if err != nil {
			return err
		}
		n, err := models.CountCustomFieldValues(ctx, tx, id, "")
		if err != nil {
			return err
		}
		if n > 0 {
			return models.Invalid("id", fmt.Sprintf("%d records hold a value of this field: archive it instead, which keeps them", n))
		}
		if err := models.DeleteCustomField(ctx, tx, id); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "custom_field.delete", ObjectType: "custom_field", ObjectID: id,
			BeforeData: models.AuditJSON(viewOf(f))})
	})
}

// Reorder puts the entity's fields in the order of ids, which must name
// every one of them (archived ones included) once.
func (s *Service) Reorder(ctx context.Context, p *auth.Principal, entity string, ids []string, o auth.Origin) ([]models.CustomField, error) {
	if !slices.Contains(Entities, entity) {
		return nil, models.Invalid("entity_type", "must be one of: "+strings.Join(Entities, ", "))
	}
	var out []models.CustomField
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		all, err := models.ListCustomFields(ctx, tx, entity, true)
		if err != nil {
			return err
		}
		have := make([]string, len(all))
		keys := map[string]string{}
		for i, f := range all {
			have[i] = f.ID
			keys[f.ID] = f.Key
		}
		given := slices.Clone(ids)
		slices.Sort(given)
		slices.Sort(have)
		if !slices.Equal(given, have) {
			return models.Invalid("ids", "must list each of the "+entity+" fields once")
		}
		if err := models.ReorderCustomFields(ctx, tx, entity, ids); err != nil {
			return err
		}
		order := make([]string, len(ids))
		for i, id := range ids {
			order[i] = keys[id]
		}
		if out, err = models.ListCustomFields(ctx, tx, entity, true); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "custom_field.reorder", ObjectType: "custom_field", ObjectID: entity,
			AfterData: models.AuditJSON(map[string]any{"entity_type": entity, "order": order})})
	})
	return out, err
}

// view is what the audit trail records of a definition.
type view struct {
	EntityType string   `json:"entity_type"`
	Key        string   `json:"key"`
	Label      string   `json:"label"`
	Type       string   `json:"type"`
	HelpText   string   `json:"help_text"`
	Required   bool     `json:"required"`
	Options    []string `json:"options"`
	Archived   bool     `json:"archived"`
}

func viewOf(f *models.CustomField) view {
	return view{EntityType: f.EntityType, Key: f.Key, Label: f.Label, Type: f.Type, HelpText: f.HelpText, Required: f.Required,
		Options: f.Options, Archived: f.ArchivedAt != nil}
}
