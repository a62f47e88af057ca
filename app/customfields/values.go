package customfields

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"rampart/models"
)

// Checked is the outcome of checking a record's custom values: the active
// fields to save and the record's values after the change.
type Checked struct {
	Fields []models.CustomField
	Values models.CustomValues
}

// Checker checks custom values against one entity's definitions, loaded
// once (an import checks many rows with one).
type Checker struct {
	Entity string
	Fields []models.CustomField // every field, archived ones included
	// ActiveUser answers whether an id is an active user; nil asks DB.
	ActiveUser func(id string) bool
	DB         *gorm.DB
}

// NewChecker loads the entity's definitions.
func NewChecker(ctx context.Context, db *gorm.DB, entity string) (*Checker, error) {
	fields, err := models.ListCustomFields(ctx, db, entity, true)
	if err != nil {
		return nil, err
	}
	return &Checker{Entity: entity, Fields: fields, DB: db}, nil
}

// Active are the fields forms show and imports read.
func (k *Checker) Active() []models.CustomField {
	out := []models.CustomField{}
	for _, f := range k.Fields {
		if f.ArchivedAt == nil {
			out = append(out, f)
		}
	}
	return out
}

// Check validates raw (values by key as the client sent them; nil when
// the request has no custom_fields) over stored (the record's values; nil
// when creating). Required fields are enforced whenever custom_fields is
// sent (the create handlers send an empty one when the body has none), or
// when creating is true; an edit that leaves them alone (a status change)
// is not refused because a field became required after the record was
// made, nor is a record the app makes itself (a finding raised from an
// answer). It returns nil when there is nothing to save.
func (k *Checker) Check(ctx context.Context, raw map[string]json.RawMessage, stored models.CustomValues, creating bool) (*Checked, error) {
	if raw == nil && !creating {
		return nil, nil
	}
	var c checker
	vals := models.CustomValues{}
	for key, v := range stored {
		vals[key] = v
	}
	byKey := map[string]*models.CustomField{}
	for i := range k.Fields {
		byKey[k.Fields[i].Key] = &k.Fields[i]
	}
	keys := make([]string, 0, len(raw))
	for key := range raw {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys {
		name := "custom_fields." + key
		f := byKey[key]
		switch {
		case f == nil:
			c.fail(name, "is not a custom field of "+k.Entity+"s")
			continue
		case f.ArchivedAt != nil:
			c.fail(name, "is archived and cannot be changed")
			continue
		}
		v, msg := k.value(ctx, f, raw[key])
		switch {
		case msg != "":
			c.fail(name, msg)
		case v == nil:
			delete(vals, key)
		default:
			vals[key] = v
		}
	}
	for _, f := range k.Active() {
		if _, ok := vals[f.Key]; !ok && f.Required && !slices.ContainsFunc(c.errs, func(e models.FieldError) bool { return e.Field == "custom_fields."+f.Key }) {
			c.fail("custom_fields."+f.Key, "is required")
		}
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return &Checked{Fields: k.Active(), Values: vals}, nil
}

// value parses one value for f: nil clears it; a non-empty message says
// what is wrong.
func (k *Checker) value(ctx context.Context, f *models.CustomField, raw json.RawMessage) (any, string) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, ""
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, "is not valid JSON"
	}
	switch f.Type {
	case models.CustomNumber:
		n, ok := v.(json.Number)
		if !ok {
			return nil, "must be a number"
		}
		return Number(string(n))
	case models.CustomMultiple:
		list, ok := v.([]any)
		if !ok {
			return nil, "must be a list of options"
		}
		out := []string{}
		for _, item := range list {
			s, ok := item.(string)
			if !ok {
				return nil, "must be a list of options"
			}
			if !slices.Contains(f.Options, s) {
				return nil, "has " + quote(s) + "; allowed: " + strings.Join(f.Options, ", ")
			}
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
		if len(out) == 0 {
			return nil, ""
		}
		slices.Sort(out)
		return out, ""
	}
	s, ok := v.(string)
	if !ok {
		return nil, "must be a string"
	}
	return k.Text(ctx, f, s)
}

// Text parses a value given as text (a JSON string, or a spreadsheet
// cell) for any type but multiple choice; "" clears it.
func (k *Checker) Text(ctx context.Context, f *models.CustomField, s string) (any, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, ""
	}
	if !utf8.ValidString(s) {
		return nil, "must be valid UTF-8 text"
	}
	switch f.Type {
	case models.CustomNumber:
		return Number(s)
	case models.CustomDate:
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return nil, "must be a date (YYYY-MM-DD)"
		}
	case models.CustomSingle:
		if !slices.Contains(f.Options, s) {
			return nil, "must be one of: " + strings.Join(f.Options, ", ")
		}
	case models.CustomMultiple:
		var out []string
		for _, item := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(optionForbids, r) }) {
			if item = strings.TrimSpace(item); item == "" {
				continue
			}
			if !slices.Contains(f.Options, item) {
				return nil, "has " + quote(item) + "; allowed: " + strings.Join(f.Options, ", ")
			}
			if !slices.Contains(out, item) {
				out = append(out, item)
			}
		}
		if len(out) == 0 {
			return nil, ""
		}
		slices.Sort(out)
		return out, ""
	case models.CustomUser:
		if !k.activeUser(ctx, s) {
			return nil, "is not an active user"
		}
	case models.CustomURL:
		if utf8.RuneCountInString(s) > MaxURL {
			return nil, fmt.Sprintf("must be at most %d characters long", MaxURL)
		}
		if !WebURL(s) {
			return nil, "must be an http or https URL"
		}
	default:
		if utf8.RuneCountInString(s) > MaxText {
			return nil, fmt.Sprintf("must be at most %d characters long", MaxText)
		}
	}
	return s, ""
}

func (k *Checker) activeUser(ctx context.Context, id string) bool {
	if k.ActiveUser != nil {
		return k.ActiveUser(id)
	}
	if len(id) > 64 {
		return false
	}
	u, err := models.UserByID(ctx, k.DB, id)
	return err == nil && u.Active
}

// Number parses a custom number: finite, within ±10^15 so that it keeps
// its digits in a double on both databases.
func Number(s string) (any, string) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, "must be a number"
	}
	if math.Abs(f) > maxMagnitude {
		return nil, "must be between -1000000000000000 and 1000000000000000"
	}
	return f, ""
}

// WebURL accepts absolute http and https URLs with a host.
func WebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Format is a value as a spreadsheet cell shows it.
func Format(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []string:
		return strings.Join(x, "; ")
	case string:
		return x
	}
	return fmt.Sprint(v)
}

func quote(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return strconv.Quote(s)
}

// Save writes checked values of the record in tx; nil does nothing.
func Save(ctx context.Context, tx *gorm.DB, entity, id string, ch *Checked) error {
	if ch == nil {
		return nil
	}
	return models.SaveCustomValues(ctx, tx, entity, id, ch.Fields, ch.Values)
}
