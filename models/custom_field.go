package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Custom field types.
const (
	CustomText     = "text"
	CustomNumber   = "number"
	CustomDate     = "date"
	CustomSingle   = "single_choice"
	CustomMultiple = "multiple_choice"
	CustomUser     = "user"
	CustomURL      = "url"
)

// CustomFieldTypes lists every custom field type.
var CustomFieldTypes = []string{CustomText, CustomNumber, CustomDate, CustomSingle, CustomMultiple, CustomUser, CustomURL}

// CustomFieldEntities are the records that carry custom fields, with the
// table each one's ids live in.
var CustomFieldEntities = map[string]string{"vendor": "vendors", "contract": "contracts", "finding": "findings"}

// CustomField is an admin-defined field of vendors, contracts or findings.
// Key never changes once created: API clients, filters and imports use it.
type CustomField struct {
	Base
	EntityType string     `gorm:"not null"`
	Key        string     `gorm:"not null"`
	Label      string     `gorm:"not null"`
	Type       string     `gorm:"not null"`
	HelpText   string     `gorm:"not null;default:''"`
	Required   bool       `gorm:"not null;default:false"`
	Options    StringList `gorm:"type:text;not null"`
	Position   int64      `gorm:"not null;default:0"`
	ArchivedAt *time.Time ``
	Version    int64      `gorm:"not null;default:1"`
}

// CustomFieldValue is one value of a field on one record; a multiple
// choice field has a row per chosen option. Only the column of the
// field's kind is set (see ValueColumn).
type CustomFieldValue struct {
	ID          string `gorm:"primaryKey"`
	EntityType  string `gorm:"not null"`
	EntityID    string `gorm:"not null"`
	FieldID     string `gorm:"not null"`
	TextValue   *string
	NumberValue *float64
	DateValue   *string
}

// CustomValues are a record's custom field values by key: a string (text,
// URL, date, single choice, user id), a float64 (number) or a []string
// (multiple choice).
type CustomValues map[string]any

// ValueColumn is the custom_field_values column that holds values of type t.
func ValueColumn(t string) string {
	switch t {
	case CustomNumber:
		return "number_value"
	case CustomDate:
		return "date_value"
	}
	return "text_value"
}

// ListCustomFields returns the entity's fields in form order; archived ones
// only when asked.
func ListCustomFields(ctx context.Context, db *gorm.DB, entity string, archived bool) ([]CustomField, error) {
	out := []CustomField{}
	q := db.WithContext(ctx).Where("entity_type = ?", entity)
	if !archived {
		q = q.Where("archived_at IS NULL")
	}
	err := q.Order("position").Order("id").Find(&out).Error
	return out, err
}

// GetCustomField returns one field definition.
func GetCustomField(ctx context.Context, db *gorm.DB, id string) (*CustomField, error) {
	var f CustomField
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&f).Error; err != nil {
		return nil, translate(err)
	}
	return &f, nil
}

// CreateCustomField stores f after the entity's last field. A key already
// used for the entity is ErrConflict.
func CreateCustomField(ctx context.Context, db *gorm.DB, f *CustomField) error {
	db = db.WithContext(ctx)
	var last struct{ N *int64 }
	if err := db.Model(&CustomField{}).Select("MAX(position) AS n").Where("entity_type = ?", f.EntityType).Scan(&last).Error; err != nil {
		return err
	}
	if last.N != nil {
		f.Position = *last.N + 1
	}
	if f.Options == nil {
		f.Options = StringList{}
	}
	f.Version = 1
	var n int64
	if err := db.Model(&CustomField{}).Where("entity_type = ? AND key = ?", f.EntityType, f.Key).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return ErrConflict
	}
	return translate(db.Create(f).Error)
}

// UpdateCustomField applies set if the field is still at version.
func UpdateCustomField(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*CustomField, error) {
	return updateVersioned[CustomField](ctx, db, id, version, set, true)
}

// DeleteCustomField removes a field that holds no values.
func DeleteCustomField(ctx context.Context, db *gorm.DB, id string) error {
	return db.WithContext(ctx).Where("id = ?", id).Delete(&CustomField{}).Error
}

// CountCustomFieldValues counts the records holding a value of the field,
// or of one option when option is not "".
func CountCustomFieldValues(ctx context.Context, db *gorm.DB, fieldID, option string) (int64, error) {
	q := db.WithContext(ctx).Model(&CustomFieldValue{}).Where("field_id = ?", fieldID)
	if option != "" {
		q = q.Where("text_value = ?", option)
	}
	var n int64
	err := q.Distinct("entity_id").Count(&n).Error
	return n, err
}

// ReorderCustomFields sets the positions of the entity's fields to the
// order of ids, which must name each of them once.
func ReorderCustomFields(ctx context.Context, db *gorm.DB, entity string, ids []string) error {
	for i, id := range ids {
		if err := db.WithContext(ctx).Model(&CustomField{}).Where("id = ? AND entity_type = ?", id, entity).
			Updates(map[string]any{"position": i, "updated_at": time.Now().UTC()}).Error; err != nil {
			return err
		}
	}
	return nil
}

// LoadCustomValues returns the custom field values of the given records,
// all in one query whatever their number, so list pages show them without a
// query per row. Records without values are absent from the map.
func LoadCustomValues(ctx context.Context, db *gorm.DB, entity string, ids []string) (map[string]CustomValues, error) {
	out := map[string]CustomValues{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []customValueRow
	err := db.WithContext(ctx).Raw("SELECT v.entity_id, f.key, f.type, v.text_value, v.number_value, v.date_value "+
		"FROM custom_field_values v JOIN custom_fields f ON f.id = v.field_id WHERE v.entity_id IN ? AND v.entity_type = ?", ids, entity).
		Find(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		addCustomValue(out, r)
	}
	sortCustomOptions(out)
	return out, nil
}

// customValueRow is one stored value with its field's key and type.
type customValueRow struct {
	EntityID    string
	Key         string
	Type        string
	TextValue   *string
	NumberValue *float64
	DateValue   *string
}

// addCustomValue puts r into its record's values: a multiple-choice
// field's options gather into a list.
func addCustomValue(out map[string]CustomValues, r customValueRow) {
	vals := out[r.EntityID]
	if vals == nil {
		vals = CustomValues{}
		out[r.EntityID] = vals
	}
	switch {
	case r.Type == CustomNumber && r.NumberValue != nil:
		vals[r.Key] = *r.NumberValue
	case r.Type == CustomDate && r.DateValue != nil:
		vals[r.Key] = *r.DateValue
	case r.Type == CustomMultiple && r.TextValue != nil:
		l, _ := vals[r.Key].([]string)
		vals[r.Key] = append(l, *r.TextValue)
	case r.TextValue != nil:
		vals[r.Key] = *r.TextValue
	}
}

// sortCustomOptions puts options in a stable order: collations differ
// between the databases.
func sortCustomOptions(out map[string]CustomValues) {
	for _, vals := range out {
		for k, v := range vals {
			if l, ok := v.([]string); ok {
				slices.Sort(l)
				vals[k] = l
			}
		}
	}
}

// customValuesOf is one record's values, never nil.
func customValuesOf(all map[string]CustomValues, id string) CustomValues {
	if v := all[id]; v != nil {
		return v
	}
	return CustomValues{}
}

// SaveCustomValues replaces the record's values of the given fields with
// vals (by key; a field absent from vals is left without a value).
// Fields not given, such as archived ones, keep their values.
func SaveCustomValues(ctx context.Context, tx *gorm.DB, entity, id string, fields []CustomField, vals CustomValues) error {
	tx = tx.WithContext(ctx)
	if len(fields) == 0 {
		return nil
	}
	fieldIDs := make([]string, len(fields))
	for i, f := range fields {
		fieldIDs[i] = f.ID
	}
	if err := tx.Where("entity_id = ? AND field_id IN ?", id, fieldIDs).Delete(&CustomFieldValue{}).Error; err != nil {
		return err
	}
	var rows []CustomFieldValue
	for _, f := range fields {
		v, ok := vals[f.Key]
		if !ok {
			continue
		}
		row := CustomFieldValue{EntityType: entity, EntityID: id, FieldID: f.ID}
		switch x := v.(type) {
		case float64:
			row.NumberValue = &x
		case []string:
			for _, s := range x {
				r := row
				r.ID, r.TextValue = NewID(), &s
				rows = append(rows, r)
			}
			continue
		case string:
			if f.Type == CustomDate {
				row.DateValue = &x
			} else {
				row.TextValue = &x
			}
		default:
			return fmt.Errorf("custom field %s: unexpected value %T", f.Key, v)
		}
		row.ID = NewID()
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.Create(&rows).Error
}

// CustomFilter keeps records whose field (of column ValueColumn(type))
// equals Eq, or lies within [Min, Max] (nil: unbounded).
type CustomFilter struct {
	FieldID string
	Column  string
	Eq      any
	Min     any
	Max     any
}

// whereCustom adds the custom field filters to q, each an EXISTS that the
// (field_id, value, entity_id) indexes answer.
func whereCustom(q *gorm.DB, table string, fs []CustomFilter) *gorm.DB {
	for _, f := range fs {
		// Column comes from ValueColumn, never from input.
		sub := "EXISTS (SELECT 1 FROM custom_field_values cv WHERE cv.field_id = ? AND cv.entity_id = " + table + ".id"
		args := []any{f.FieldID}
		if f.Eq != nil {
			sub += " AND cv." + f.Column + " = ?"
			args = append(args, f.Eq)
		}
		if f.Min != nil {
			sub += " AND cv." + f.Column + " >= ?"
			args = append(args, f.Min)
		}
		if f.Max != nil {
			sub += " AND cv." + f.Column + " <= ?"
			args = append(args, f.Max)
		}
		q = q.Where(sub+")", args...)
	}
	return q
}

// noNumber is where a record without a number sorts: before every value
// ascending, after every value descending, as records without a text or
// date sort with "".
const noNumber = -1e300

// CustomSort is a list sort by a custom field.
type CustomSort struct {
	FieldID string
	Type    string
}

// customSortColumn is the sort of s over table: the record's smallest value
// of the field (a multiple choice field's first option), with a stand-in
// for records without one, as keyset pagination needs a value on every
// row.
func customSortColumn(table string, s CustomSort) (SortColumn, error) {
	// The id is inlined because paginate's keyset and order clauses take
	// no arguments; only a well-formed UUID reaches the SQL.
	id, err := uuid.Parse(s.FieldID)
	if err != nil {
		return SortColumn{}, Invalid("sort", "is not a custom field")
	}
	col, kind, none := ValueColumn(s.Type), SortText, "''"
	if s.Type == CustomNumber {
		kind, none = SortNumber, fmt.Sprint(noNumber)
	}
	expr := "COALESCE((SELECT MIN(cv." + col + ") FROM custom_field_values cv WHERE cv.field_id = '" + id.String() +
		"' AND cv.entity_id = " + table + ".id), " + none + ")"
	return SortColumn{Column: expr, Kind: kind, Expr: true, Table: table}, nil
}

// sortsWith adds a custom field's sort to sorts under name.
func sortsWith(sorts map[string]SortColumn, table, name string, s *CustomSort) (map[string]SortColumn, error) {
	if s == nil {
		return sorts, nil
	}
	col, err := customSortColumn(table, *s)
	if err != nil {
		return nil, err
	}
	out := make(map[string]SortColumn, len(sorts)+1)
	for k, v := range sorts {
		out[k] = v
	}
	out[name] = col
	return out, nil
}

// exprValue reads the sort expression's value for one row, for the next
// page's cursor.
func exprValue(db *gorm.DB, col SortColumn, id string) (any, error) {
	row := db.Session(&gorm.Session{NewDB: true}).Raw("SELECT "+col.Column+" FROM "+col.Table+" WHERE "+col.Table+".id = ?", id).Row()
	if col.Kind == SortNumber {
		var f float64
		err := row.Scan(&f)
		return f, err
	}
	var s string
	err := row.Scan(&s)
	return s, err
}

// withCustomValues fills the custom field values of a page of records in
// one query.
func withCustomValues[T any](ctx context.Context, db *gorm.DB, entity string, items []T, slot func(*T) (string, *CustomValues)) error {
	ids := make([]string, len(items))
	for i := range items {
		ids[i], _ = slot(&items[i])
	}
	vals, err := LoadCustomValues(ctx, db, entity, ids)
	if err != nil {
		return err
	}
	for i := range items {
		id, dst := slot(&items[i])
		*dst = customValuesOf(vals, id)
	}
	return nil
}
