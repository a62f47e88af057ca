package models

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// BusinessUnit is a part of the organisation that owns vendors and their
// contracts, assessments and findings (docs/business-units.md).
type BusinessUnit struct {
	Base
	Name        string `gorm:"not null"`
	Description string `gorm:"not null;default:''"`
	Archived    bool   `gorm:"not null;default:false"`
	Version     int64  `gorm:"not null;default:1"`
}

// BusinessUnitLink puts one object in one unit.
type BusinessUnitLink struct {
	UnitID     string `gorm:"primaryKey"`
	EntityType string `gorm:"primaryKey"`
	EntityID   string `gorm:"primaryKey"`
	CreatedAt  time.Time
}

// UserBusinessUnit scopes one person to one unit.
type UserBusinessUnit struct {
	UserID    string `gorm:"primaryKey"`
	UnitID    string `gorm:"primaryKey"`
	CreatedAt time.Time
}

// The kinds of object that belong to units.
const (
	UnitVendor     = "vendor"
	UnitContract   = "contract"
	UnitAssessment = "assessment"
	UnitFinding    = "finding"
)

// UnitEntityTypes are the kinds of object that belong to units.
var UnitEntityTypes = []string{UnitVendor, UnitContract, UnitAssessment, UnitFinding}

type unitScopeKey struct{}

// WithUnits returns ctx carrying the business units its caller is scoped
// to. Every query run with that context through a *gorm.DB opened by Open
// (or RegisterUnitScope) sees only the objects of those units; a context
// without it (unscoped people, admins, background jobs, the vendor
// portal) sees everything. An empty non-nil list sees no unit's objects.
func WithUnits(ctx context.Context, units []string) context.Context {
	if units == nil {
		units = []string{}
	}
	return context.WithValue(ctx, unitScopeKey{}, units)
}

// ScopedUnits reports the units ctx is scoped to, and whether it is.
func ScopedUnits(ctx context.Context) ([]string, bool) {
	if ctx == nil {
		return nil, false
	}
	u, ok := ctx.Value(unitScopeKey{}).([]string)
	return u, ok
}

// Unscoped returns ctx without a unit scope, for the few reads that must
// see every unit on a scoped person's behalf (checking that a unit name
// is free, say). Never use it to answer what the person asked to see.
func Unscoped(ctx context.Context) context.Context {
	return context.WithValue(ctx, unitScopeKey{}, nil)
}

// unitRule says how a table's rows belong to units: through the row's own
// id (the four kinds of object) or through the vendor it hangs off.
type unitRule struct{ entity, column string }

// unitRules are the tables a unit scope filters. Rows hanging off a
// vendor follow the vendor's units; notifications are handled apart
// (their object is named by object_type and object_id).
var unitRules = map[string]unitRule{
	"vendors":              {UnitVendor, "id"},
	"contracts":            {UnitContract, "id"},
	"assessments":          {UnitAssessment, "id"},
	"findings":             {UnitFinding, "id"},
	"evidence_documents":   {UnitVendor, "vendor_id"},
	"incidents":            {UnitVendor, "vendor_id"},
	"incident_links":       {UnitVendor, "vendor_id"},
	"vendor_offboardings":  {UnitVendor, "vendor_id"},
	"risk_exceptions":      {UnitVendor, "vendor_id"},
	"vendor_risk_history":  {UnitVendor, "vendor_id"},
	"vendor_subprocessors": {UnitVendor, "vendor_id"},
	"evidence_requests":    {UnitVendor, "vendor_id"},
	"soc_reviews":          {UnitVendor, "vendor_id"},
	"finding_remediations": {UnitFinding, "finding_id"},
}

// tableAlias matches "table", "table alias" and "table AS alias", each
// optionally followed by SQLite's "INDEXED BY index".
var tableAlias = regexp.MustCompile(`(?i)^\s*(\w+)(?:\s+(?:AS\s+)?(\w+))??(?:\s+INDEXED\s+BY\s+\w+)?\s*$`)

// subqueryAlias matches "(?) alias" and "(?) AS alias": a table expression
// that is one subquery.
var subqueryAlias = regexp.MustCompile(`(?i)^\s*\(\?\)(?:\s+(?:AS\s+)?\w+)?\s*$`)

// scopedTable is the table a statement reads or writes and the name its
// columns are qualified with. A statement over one subquery built with
// GORM reads no table of its own: GORM runs the query callbacks, this
// scope among them, on the subquery as it builds it. ok is false for any
// other table expression (a join written into it, a schema-qualified
// name, a subquery written as text), which the scope cannot see into.
func scopedTable(st *gorm.Statement) (table, ref string, ok bool) {
	if st.TableExpr == nil {
		return st.Table, st.Table, true
	}
	expr := strings.ReplaceAll(st.TableExpr.SQL, `"`, "")
	if m := tableAlias.FindStringSubmatch(expr); m != nil {
		if m[2] != "" {
			return m[1], m[2], true
		}
		return m[1], m[1], true
	}
	if len(st.TableExpr.Vars) == 1 && subqueryAlias.MatchString(expr) {
		if _, built := st.TableExpr.Vars[0].(*gorm.DB); built {
			return "", "", true
		}
	}
	return "", "", false
}

// errUnscopedTable fails a statement the unit scope cannot read: run, it
// could show a person scoped to some units the rows of every unit.
var errUnscopedTable = errors.New("unit scope: the statement's table expression is not one table or one subquery built with GORM; it was not run")

// unitCondition is the visibility rule for one scoped statement: the row
// shares at least one unit with the caller. The EXISTS is answered from
// business_unit_links' primary key (entity_type, entity_id, unit_id), so
// it costs one index probe per row and no query per row.
func unitCondition(st *gorm.Statement, table, ref string, units []string) clause.Expression {
	if table == "notifications" {
		col := st.Quote(ref) + "."
		return clause.Expr{SQL: "(" + col + "object_type NOT IN ? OR EXISTS (SELECT 1 FROM business_unit_links bul WHERE bul.entity_type = " +
			col + "object_type AND bul.entity_id = " + col + "object_id AND bul.unit_id IN ?))", Vars: []any{UnitEntityTypes, orNone(units)}}
	}
	rule, ok := unitRules[table]
	if !ok {
		return nil
	}
	return clause.Expr{SQL: "EXISTS (SELECT 1 FROM business_unit_links bul WHERE bul.entity_type = ? AND bul.entity_id = " +
		st.Quote(ref) + "." + rule.column + " AND bul.unit_id IN ?)", Vars: []any{rule.entity, orNone(units)}}
}

// RawUnitCondition is the unit scope for hand-written SQL, which the
// callback cannot see: " AND EXISTS (...)" and its arguments for a column
// holding ids of entityType, or "" when ctx is not scoped.
func RawUnitCondition(ctx context.Context, entityType, column string) (string, []any) {
	units, ok := ScopedUnits(ctx)
	if !ok || units == nil {
		return "", nil
	}
	return " AND EXISTS (SELECT 1 FROM business_unit_links bul WHERE bul.entity_type = ? AND bul.entity_id = " + column +
		" AND bul.unit_id IN ?)", []any{entityType, orNone(units)}
}

// orNone keeps "IN ?" valid SQL for a person scoped to no unit at all.
func orNone(units []string) []string {
	if len(units) == 0 {
		return []string{""}
	}
	return units
}

// grouped wraps a statement's own conditions in parentheses, so that an
// OR among them cannot swallow the unit condition ANDed after them.
type grouped []clause.Expression

func (g grouped) Build(b clause.Builder) {
	_, _ = b.WriteString("(")
	clause.Where{Exprs: g}.Build(b)
	_, _ = b.WriteString(")")
}

// applyUnitScope is the one place the unit scope reaches the database: a
// GORM callback run before every query, row scan, update and delete.
func applyUnitScope(db *gorm.DB) {
	st := db.Statement
	if st.SQL.Len() > 0 {
		return // raw SQL: the statement is already written
	}
	units, ok := ScopedUnits(st.Context)
	if !ok || units == nil {
		return
	}
	table, ref, ok := scopedTable(st)
	if !ok {
		_ = db.AddError(errUnscopedTable)
		return
	}
	cond := unitCondition(st, table, ref, units)
	if cond == nil {
		return
	}
	exprs := []clause.Expression{cond}
	if c, ok := st.Clauses["WHERE"]; ok {
		if w, ok := c.Expression.(clause.Where); ok && len(w.Exprs) > 0 {
			exprs = []clause.Expression{grouped(w.Exprs), cond}
		}
		c.Expression = clause.Where{Exprs: exprs}
		st.Clauses["WHERE"] = c
		return
	}
	st.AddClause(clause.Where{Exprs: exprs})
}

// RegisterUnitScope installs the unit scope on g. Open calls it; so must
// anything else that opens a *gorm.DB serving people.
func RegisterUnitScope(g *gorm.DB) error {
	cb := g.Callback()
	if err := cb.Query().Before("gorm:query").Register("rampart:units", applyUnitScope); err != nil {
		return err
	}
	if err := cb.Row().Before("gorm:row").Register("rampart:units", applyUnitScope); err != nil {
		return err
	}
	if err := cb.Update().Before("gorm:update").Register("rampart:units", applyUnitScope); err != nil {
		return err
	}
	return cb.Delete().Before("gorm:delete").Register("rampart:units", applyUnitScope)
}

// UserUnitIDs are the units a person is scoped to (none: unscoped).
func UserUnitIDs(ctx context.Context, db *gorm.DB, userID string) ([]string, error) {
	ids := []string{}
	err := db.WithContext(ctx).Model(&UserBusinessUnit{}).Where("user_id = ?", userID).Order("unit_id").Pluck("unit_id", &ids).Error
	return ids, err
}

// UsersUnitIDs maps each of the people to their units, for lists.
func UsersUnitIDs(ctx context.Context, db *gorm.DB, userIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []UserBusinessUnit
	if err := db.WithContext(ctx).Where("user_id IN ?", userIDs).Order("unit_id").Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], r.UnitID)
	}
	return out, nil
}

// SetUserUnits replaces a person's units.
func SetUserUnits(ctx context.Context, tx *gorm.DB, userID string, units []string) error {
	tx = tx.WithContext(ctx)
	if err := tx.Where("user_id = ?", userID).Delete(&UserBusinessUnit{}).Error; err != nil {
		return err
	}
	now := time.Now().UTC()
	for _, u := range dedupe(units) {
		if err := tx.Create(&UserBusinessUnit{UserID: userID, UnitID: u, CreatedAt: now}).Error; err != nil {
			return translate(err)
		}
	}
	return nil
}

// LinkUnitsBulk puts many new objects of one kind in the same units, in
// batched inserts (a vendor import).
func LinkUnitsBulk(ctx context.Context, tx *gorm.DB, entityType string, ids, units []string) error {
	if len(ids) == 0 || len(units) == 0 {
		return nil
	}
	now := time.Now().UTC()
	links := make([]BusinessUnitLink, 0, len(ids)*len(units))
	for _, id := range ids {
		for _, u := range dedupe(units) {
			links = append(links, BusinessUnitLink{UnitID: u, EntityType: entityType, EntityID: id, CreatedAt: now})
		}
	}
	return translate(tx.WithContext(ctx).CreateInBatches(links, 1000).Error)
}

// UnitIDsOf are the units one object belongs to.
func UnitIDsOf(ctx context.Context, db *gorm.DB, entityType, entityID string) ([]string, error) {
	m, err := UnitIDsFor(ctx, db, entityType, []string{entityID})
	if err != nil {
		return nil, err
	}
	if m[entityID] == nil {
		return []string{}, nil
	}
	return m[entityID], nil
}

// UnitIDsFor maps objects of one kind to their units, in one query.
func UnitIDsFor(ctx context.Context, db *gorm.DB, entityType string, ids []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []BusinessUnitLink
	err := db.WithContext(ctx).Where("entity_type = ? AND entity_id IN ?", entityType, ids).Order("unit_id").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.EntityID] = append(out[r.EntityID], r.UnitID)
	}
	return out, nil
}

// SetUnits replaces the units of one object.
func SetUnits(ctx context.Context, tx *gorm.DB, entityType, entityID string, units []string) error {
	tx = tx.WithContext(ctx)
	if err := tx.Where("entity_type = ? AND entity_id = ?", entityType, entityID).Delete(&BusinessUnitLink{}).Error; err != nil {
		return err
	}
	now := time.Now().UTC()
	for _, u := range dedupe(units) {
		if err := tx.Create(&BusinessUnitLink{UnitID: u, EntityType: entityType, EntityID: entityID, CreatedAt: now}).Error; err != nil {
			return translate(err)
		}
	}
	return nil
}

func dedupe(l []string) []string {
	out := slices.Clone(l)
	slices.Sort(out)
	return slices.Compact(out)
}

// CheckUnits validates units someone assigns: each must be a live unit
// and, for a scoped caller (ctx), one of the caller's own. It names the
// first offending position as field[i].
func CheckUnits(ctx context.Context, db *gorm.DB, field string, units []string) error {
	mine, scoped := ScopedUnits(ctx)
	if len(units) == 0 {
		if scoped && mine != nil {
			return Invalid(field, "must name at least one of your business units")
		}
		return nil
	}
	var live []string
	if err := db.WithContext(ctx).Model(&BusinessUnit{}).Where("id IN ? AND NOT archived", units).Pluck("id", &live).Error; err != nil {
		return err
	}
	for i, u := range units {
		f := field + "[" + strconv.Itoa(i) + "]"
		if !slices.Contains(live, u) {
			return Invalid(f, "is not a business unit in use")
		}
		if scoped && mine != nil && !slices.Contains(mine, u) {
			return Invalid(f, "is not one of your business units")
		}
	}
	return nil
}

// MergeUnits is what an object's units become when a person sets them to
// given: a scoped person changes only their own units, and the object
// keeps the units it has that they do not hold (they cannot see those,
// so they cannot mean to take the object out of them).
func MergeUnits(ctx context.Context, old, given []string) []string {
	mine, scoped := ScopedUnits(ctx)
	out := slices.Clone(given)
	if scoped && mine != nil {
		for _, u := range old {
			if !slices.Contains(mine, u) {
				out = append(out, u)
			}
		}
	}
	return dedupe(out)
}

// ChangeUnits applies a person's edit of a contract's, assessment's or
// finding's units (already checked with CheckUnits): what they become is
// MergeUnits of the old ones, so a scoped editor cannot drop units they
// do not hold. It returns the units before and after, for the audit.
func ChangeUnits(ctx context.Context, tx *gorm.DB, entityType, entityID string, given []string) (before, after []string, err error) {
	if before, err = UnitIDsOf(ctx, tx, entityType, entityID); err != nil {
		return nil, nil, err
	}
	after = MergeUnits(ctx, before, given)
	if err := SetUnits(ctx, tx, entityType, entityID, after); err != nil {
		return nil, nil, err
	}
	return before, after, nil
}

// UnitsForNew checks the units a create request names for a contract,
// assessment or finding: nil (none named) leaves it the vendor's units.
func UnitsForNew(ctx context.Context, db *gorm.DB, given *[]string) ([]string, error) {
	if given == nil {
		return nil, nil
	}
	if err := CheckUnits(ctx, db, "business_unit_ids", *given); err != nil {
		return nil, err
	}
	return append([]string{}, *given...), nil
}

// setNewUnits links a new contract, assessment or finding to its units:
// those given, else its vendor's.
func setNewUnits(ctx context.Context, db *gorm.DB, entityType, id, vendorID string, units []string) error {
	if units == nil {
		var err error
		if units, err = UnitIDsOf(ctx, db, UnitVendor, vendorID); err != nil {
			return err
		}
	}
	return SetUnits(ctx, db, entityType, id, units)
}

// DefaultUnits are the units a new object gets when its creator names
// none: its vendor's (for a contract, assessment or finding), else the
// scoped creator's own, so that what they create stays visible to them.
func DefaultUnits(ctx context.Context, db *gorm.DB, vendorID string) ([]string, error) {
	if vendorID != "" {
		return UnitIDsOf(ctx, db, UnitVendor, vendorID)
	}
	if mine, scoped := ScopedUnits(ctx); scoped && mine != nil {
		return slices.Clone(mine), nil
	}
	return []string{}, nil
}

// ListBusinessUnits lists units by name; archived ones only when asked.
func ListBusinessUnits(ctx context.Context, db *gorm.DB, includeArchived bool) ([]BusinessUnit, error) {
	out := []BusinessUnit{}
	q := db.WithContext(ctx).Order("lower(name)")
	if !includeArchived {
		q = q.Where("NOT archived")
	}
	return out, q.Find(&out).Error
}

// GetBusinessUnit loads one unit.
func GetBusinessUnit(ctx context.Context, db *gorm.DB, id string) (*BusinessUnit, error) {
	var u BusinessUnit
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&u).Error; err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// CreateBusinessUnit adds a unit; a name taken in any case is a conflict.
func CreateBusinessUnit(ctx context.Context, db *gorm.DB, u *BusinessUnit) error {
	if u.Version == 0 {
		u.Version = 1
	}
	return translate(db.WithContext(ctx).Create(u).Error)
}

// UpdateBusinessUnit applies set if the unit is still at version.
func UpdateBusinessUnit(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*BusinessUnit, error) {
	return updateVersioned[BusinessUnit](ctx, db, id, version, set, true)
}

// UnitNames maps unit ids to names, for showing an object's units.
func UnitNames(ctx context.Context, db *gorm.DB) (map[string]string, error) {
	var us []BusinessUnit
	if err := db.WithContext(ctx).Select("id, name").Find(&us).Error; err != nil {
		return nil, err
	}
	out := make(map[string]string, len(us))
	for _, u := range us {
		out[u.ID] = u.Name
	}
	return out, nil
}
