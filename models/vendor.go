package models

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// StringList is a list of strings stored as JSON text.
type StringList []string

// Value implements driver.Valuer.
func (l StringList) Value() (driver.Value, error) {
	if l == nil {
		l = StringList{}
	}
	b, err := json.Marshal(l)
	return string(b), err
}

// Scan implements sql.Scanner.
func (l *StringList) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	case nil:
		*l = StringList{}
		return nil
	default:
		return errors.New("StringList: unsupported column type")
	}
	out := StringList{}
	if err := json.Unmarshal(b, &out); err != nil {
		return err
	}
	*l = out
	return nil
}

// Vendor is one third party in the register.
type Vendor struct {
	Base
	Name               string     `gorm:"not null"`
	NameKey            string     `gorm:"not null"`
	LegalName          string     `gorm:"not null;default:''"`
	Website            string     `gorm:"not null;default:''"`
	Domain             string     `gorm:"not null;default:''"`
	Description        string     `gorm:"not null;default:''"`
	Category           string     `gorm:"not null"`
	Status             string     `gorm:"not null"`
	OwnerID            *string    ``
	Department         string     `gorm:"not null;default:''"`
	AccessLevel        string     `gorm:"not null;default:'none'"`
	IntegrationMethods StringList `gorm:"type:text;not null"`
	HostingRegions     StringList `gorm:"type:text;not null"`
	AnnualSpend        int64      `gorm:"not null;default:0"`
	Currency           string     `gorm:"not null;default:''"`
	InternalUsers      int64      `gorm:"not null;default:0"`
	Criticality        int64      `gorm:"not null;default:1"`
	ExternalID         *string    ``
	SearchText         string     `gorm:"not null;default:''"`
	ArchivedAt         *time.Time ``
	Version            int64      `gorm:"not null;default:1"`
	// Risk, set by scoring only (never by a user's edit).
	InherentScore    int64 `gorm:"not null;default:0"`
	Tier             int64 `gorm:"not null;default:4"`
	ResidualScore    int64 `gorm:"not null;default:0"`
	Likelihood       int64 `gorm:"not null;default:1"`
	Impact           int64 `gorm:"not null;default:1"`
	RiskModelVersion int64 `gorm:"not null;default:0"`
	// NextReviewOn (YYYY-MM-DD) is when the vendor is due for reassessment.
	NextReviewOn string `gorm:"not null;default:''"`
	// A manual tier in force through OverrideUntil (YYYY-MM-DD, inclusive;
	// "" when none); see EffectiveTier.
	OverrideTier   *int64     ``
	OverrideUntil  string     `gorm:"not null;default:''"`
	OverrideReason string     `gorm:"not null;default:''"`
	OverrideBy     *string    ``
	OverrideAt     *time.Time ``
	// EvidenceGaps counts the required evidence kinds of the vendor's tier
	// it misses or holds only expired; set by scoring.
	EvidenceGaps int64 `gorm:"not null;default:0"`
	// LEI is the vendor's ISO 17442 legal entity identifier ("" when not
	// recorded); DORA is what the DORA register says of it as a provider.
	LEI  string     `gorm:"column:lei;not null;default:''"`
	DORA VendorDORA `gorm:"embedded;embeddedPrefix:dora_"`
	// CustomFields are the admin-defined fields' values, loaded with the
	// record (custom_field_values).
	CustomFields CustomValues `gorm:"-"`
}

// VendorTag is one tag of a vendor.
type VendorTag struct {
	VendorID string `gorm:"primaryKey"`
	Tag      string `gorm:"primaryKey"`
}

// VendorDataType is one kind of data a vendor handles.
type VendorDataType struct {
	VendorID string `gorm:"primaryKey"`
	DataType string `gorm:"primaryKey"`
}

// VendorContact is a person at the vendor.
type VendorContact struct {
	Base
	VendorID string `gorm:"not null"`
	Position int64  `gorm:"not null"`
	Name     string `gorm:"not null"`
	Email    string `gorm:"not null;default:''"`
	Role     string `gorm:"not null;default:''"`
	Phone    string `gorm:"not null;default:''"`
}

// VendorSubprocessor is a fourth party: a vendor in the register
// (LinkedVendorID) or one named as free text.
type VendorSubprocessor struct {
	Base
	VendorID       string  `gorm:"not null"`
	Position       int64   `gorm:"not null"`
	LinkedVendorID *string ``
	Name           string  `gorm:"not null"`
	Purpose        string  `gorm:"not null;default:''"`
	// DataTypes and Locations say what the subprocessor handles for this
	// vendor and where; empty when not recorded.
	DataTypes StringList `gorm:"type:text;not null"`
	Locations StringList `gorm:"type:text;not null"`
}

// VendorRecord is a vendor with everything that hangs off it.
type VendorRecord struct {
	Vendor
	Owner         *User
	Tags          []string
	DataTypes     []string
	Contacts      []VendorContact
	Subprocessors []VendorSubprocessor
	// UnitIDs are the business units the vendor belongs to.
	UnitIDs []string
}

// SearchTextOf is what free-text search matches against.
func SearchTextOf(v *Vendor) string {
	return strings.ToLower(strings.Join([]string{v.Name, v.LegalName, v.Website, v.Description}, "\n"))
}

// VendorChildren are the lists replaced wholesale by an update; a nil
// field leaves that list as it is.
type VendorChildren struct {
	Tags          *[]string
	DataTypes     *[]string
	Contacts      *[]VendorContact
	Subprocessors *[]VendorSubprocessor
}

// CreateVendor inserts the record and its lists.
func CreateVendor(ctx context.Context, db *gorm.DB, r *VendorRecord) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r.Vendor.SearchText = SearchTextOf(&r.Vendor)
		if r.Vendor.Version == 0 {
			r.Vendor.Version = 1
		}
		if err := tx.Create(&r.Vendor).Error; err != nil {
			return translate(err)
		}
		return replaceChildren(tx, r.ID, VendorChildren{Tags: &r.Tags, DataTypes: &r.DataTypes, Contacts: &r.Contacts, Subprocessors: &r.Subprocessors})
	})
}

func replaceChildren(tx *gorm.DB, id string, c VendorChildren) error {
	if c.Tags != nil {
		if err := tx.Where("vendor_id = ?", id).Delete(&VendorTag{}).Error; err != nil {
			return err
		}
		for _, t := range *c.Tags {
			if err := tx.Create(&VendorTag{VendorID: id, Tag: t}).Error; err != nil {
				return err
			}
		}
	}
	if c.DataTypes != nil {
		if err := tx.Where("vendor_id = ?", id).Delete(&VendorDataType{}).Error; err != nil {
			return err
		}
		for _, d := range *c.DataTypes {
			if err := tx.Create(&VendorDataType{VendorID: id, DataType: d}).Error; err != nil {
				return err
			}
		}
	}
	if c.Contacts != nil {
		if err := tx.Where("vendor_id = ?", id).Delete(&VendorContact{}).Error; err != nil {
			return err
		}
		for i := range *c.Contacts {
			ct := &(*c.Contacts)[i]
			ct.ID, ct.VendorID, ct.Position = "", id, int64(i)
			if err := tx.Create(ct).Error; err != nil {
				return err
			}
		}
	}
	if c.Subprocessors != nil {
		if err := tx.Where("vendor_id = ?", id).Delete(&VendorSubprocessor{}).Error; err != nil {
			return err
		}
		for i := range *c.Subprocessors {
			sp := &(*c.Subprocessors)[i]
			sp.ID, sp.VendorID, sp.Position = "", id, int64(i)
			if err := tx.Create(sp).Error; err != nil {
				return translate(err)
			}
		}
	}
	return nil
}

// GetVendor returns a vendor with its owner and lists; archived vendors
// are returned too (their page says so).
func GetVendor(ctx context.Context, db *gorm.DB, id string) (*VendorRecord, error) {
	db = db.WithContext(ctx)
	var v Vendor
	if err := db.Where("id = ?", id).Take(&v).Error; err != nil {
		return nil, translate(err)
	}
	recs, err := loadVendorLists(db, []Vendor{v})
	if err != nil {
		return nil, err
	}
	r := &recs[0]
	if err := db.Where("vendor_id = ?", id).Order("position").Find(&r.Contacts).Error; err != nil {
		return nil, err
	}
	if err := db.Where("vendor_id = ?", id).Order("position").Find(&r.Subprocessors).Error; err != nil {
		return nil, err
	}
	return r, nil
}

// vendorListsSQL reads everything a page of vendors shows beside its own
// columns in one round trip: tags (t), data types (d), business units (u),
// custom field values (c) and owners (o). At 32 concurrent clients each
// statement of a list page costs a database round trip and a scan, more
// than the rows it returns.
const vendorListsSQL = "SELECT vendor_id AS k, 't' AS kind, tag AS a, '' AS b, NULL AS c, NULL AS d, CAST(NULL AS DOUBLE PRECISION) AS n FROM vendor_tags WHERE vendor_id IN ? " +
	"UNION ALL SELECT vendor_id, 'd', data_type, '', NULL, NULL, NULL FROM vendor_data_types WHERE vendor_id IN ? " +
	"UNION ALL SELECT entity_id, 'u', unit_id, '', NULL, NULL, NULL FROM business_unit_links WHERE entity_type = ? AND entity_id IN ? " +
	"UNION ALL SELECT v.entity_id, 'c', f.key, f.type, v.text_value, v.date_value, v.number_value " +
	"FROM custom_field_values v JOIN custom_fields f ON f.id = v.field_id WHERE v.entity_type = ? AND v.entity_id IN ? " +
	"UNION ALL SELECT id, 'o', name, email, NULL, NULL, NULL FROM users WHERE id IN ?"

// loadVendorLists fills owners, tags, data types, business units and
// custom field values for a page of vendors in one query, whatever the
// page size.
func loadVendorLists(db *gorm.DB, vs []Vendor) ([]VendorRecord, error) {
	out := make([]VendorRecord, len(vs))
	ids := make([]string, len(vs))
	var ownerIDs []string
	for i, v := range vs {
		out[i] = VendorRecord{Vendor: v, Tags: []string{}, DataTypes: []string{}, Contacts: []VendorContact{}, Subprocessors: []VendorSubprocessor{}, UnitIDs: []string{}}
		ids[i] = v.ID
		if v.OwnerID != nil {
			ownerIDs = append(ownerIDs, *v.OwnerID)
		}
	}
	if len(vs) == 0 {
		return out, nil
	}
	index := make(map[string]*VendorRecord, len(out))
	for i := range out {
		index[out[i].ID] = &out[i]
	}
	// Scanned by hand: GORM's mapping of each of a page's few hundred rows
	// by reflection cost more than reading them.
	rows, err := db.Raw(vendorListsSQL, ids, ids, UnitVendor, ids, "vendor", ids, orNone(ownerIDs)).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	custom := map[string]CustomValues{}
	owners := map[string]*User{}
	for rows.Next() {
		var k, kind, a, b string
		var c, d *string
		var n *float64
		if err := rows.Scan(&k, &kind, &a, &b, &c, &d, &n); err != nil {
			return nil, err
		}
		r := index[k]
		switch kind {
		case "t":
			r.Tags = append(r.Tags, a)
		case "d":
			r.DataTypes = append(r.DataTypes, a)
		case "u":
			r.UnitIDs = append(r.UnitIDs, a)
		case "c":
			addCustomValue(custom, customValueRow{EntityID: k, Key: a, Type: b, TextValue: c, DateValue: d, NumberValue: n})
		case "o":
			owners[k] = &User{Base: Base{ID: k}, Name: a, Email: b}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sortCustomOptions(custom)
	// Sorted in Go, not SQL: collations differ between the databases.
	for i := range out {
		r := &out[i]
		slices.Sort(r.Tags)
		slices.Sort(r.DataTypes)
		slices.Sort(r.UnitIDs)
		r.CustomFields = customValuesOf(custom, r.ID)
		if r.OwnerID != nil {
			r.Owner = owners[*r.OwnerID]
		}
	}
	return out, nil
}

// UpdateVendor applies set and replaces the given lists if the stored
// version is still version; it returns the record as stored. A stale
// version is ErrConflict with the current record.
func UpdateVendor(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any, c VendorChildren) (*VendorRecord, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := updateVersioned[Vendor](ctx, tx, id, version, set, true); err != nil {
			return err
		}
		var v Vendor
		if err := tx.Where("id = ?", id).Take(&v).Error; err != nil {
			return err
		}
		if err := tx.Model(&Vendor{}).Where("id = ?", id).Update("search_text", SearchTextOf(&v)).Error; err != nil {
			return err
		}
		return replaceChildren(tx, id, c)
	})
	if err != nil && !errors.Is(err, ErrConflict) {
		return nil, err
	}
	rec, gerr := GetVendor(ctx, db, id)
	if gerr != nil {
		return nil, gerr
	}
	return rec, err
}

// VendorFilter selects vendors; zero fields do not filter.
type VendorFilter struct {
	Q           string
	Statuses    []string
	Categories  []string
	Department  string
	OwnerID     string
	Tag         string
	DataType    string
	Criticality int64
	Tiers       []int64
	Likelihood  int64 // the 5x5 matrix cell (1-5; 0: any)
	Impact      int64
	Review      string // overdue or due_soon (within 30 days of Today)
	// EvidenceGaps keeps vendors missing required evidence (or holding it
	// only expired).
	EvidenceGaps bool
	Today        time.Time
	Archived     bool // true: only archived vendors; false: only current ones
	// UnitID keeps the vendors of one business unit.
	UnitID string
	Custom []CustomFilter
	// CustomSort is the custom field Sort names (cf.<key>), if it names one.
	CustomSort *CustomSort
	Sort       string
	Cursor     string
	Limit      int
}

// VendorSorts are the columns the vendor list sorts by.
var VendorSorts = map[string]SortColumn{
	"name":           {Column: "name", Kind: SortText},
	"status":         {Column: "status", Kind: SortText},
	"category":       {Column: "category", Kind: SortText},
	"department":     {Column: "department", Kind: SortText},
	"criticality":    {Column: "criticality", Kind: SortNumber},
	"annual_spend":   {Column: "annual_spend", Kind: SortNumber},
	"internal_users": {Column: "internal_users", Kind: SortNumber},
	"created_at":     {Column: "created_at", Kind: SortTime},
	"updated_at":     {Column: "updated_at", Kind: SortTime},
	"tier":           {Column: "tier", Kind: SortNumber},
	"next_review_on": {Column: "next_review_on", Kind: SortText},
	"residual_score": {Column: "residual_score", Kind: SortNumber},
}

// searchSorts order a search's matches without walking a sort index:
// names cluster in that order, so PostgreSQL, expecting matches spread
// evenly, walked the name index through 60,000 vendors to find the first
// 50 "nimbus" ones (130 ms at 100,000 vendors). Read from the trigram index
// and sorted instead, the page costs no more than the total count, which
// reads every match anyway. Time sorts keep their index: an expression on a
// timestamp would not sort the same way on both databases.
var searchSorts = func() map[string]SortColumn {
	m := make(map[string]SortColumn, len(VendorSorts))
	for k, c := range VendorSorts {
		c.Unindexed = c.Kind != SortTime
		m[k] = c
	}
	return m
}()

// sqliteVendorsWithGaps reads the current vendors missing evidence on
// SQLite through the partial index that holds only them. SQLite's planner,
// blind to how few rows a partial index holds, counted them by reading
// every current vendor through the archived_at index: at 13,000 vendors the
// dashboard cost 8.1-8.7 ms of CPU a call, 2.7 ms with the index named, and
// the list's evidence=gaps filter 12.5 ms, 1.4 ms with it. PostgreSQL
// picks the index itself.
const sqliteVendorsWithGaps = "vendors INDEXED BY vendors_evidence_gaps_idx"

// ftsPhrase is text as one FTS5 phrase: a substring to the trigram index
// (migration 00071), whatever operators or quotes the text holds.
func ftsPhrase(text string) string {
	return `"` + strings.ReplaceAll(text, `"`, `""`) + `"`
}

// IsSearchIndexTable reports whether a SQLite table is the vendor search's
// trigram index or one of the tables FTS5 keeps it in: no data of its
// own, rebuilt from the vendors (dbcopy leaves it to the target's triggers).
func IsSearchIndexTable(name string) bool {
	return name == "vendors_fts" || strings.HasPrefix(name, "vendors_fts_")
}

func vendorQuery(db *gorm.DB, f VendorFilter) *gorm.DB {
	q := db.Model(&Vendor{})
	if f.Archived {
		q = q.Where("archived_at IS NOT NULL")
	} else {
		q = q.Where("archived_at IS NULL")
	}
	if f.UnitID != "" {
		q = q.Where("EXISTS (SELECT 1 FROM business_unit_links ul WHERE ul.unit_id = ? AND ul.entity_type = ? AND ul.entity_id = vendors.id)", f.UnitID, UnitVendor)
	}
	if f.Q != "" {
		text := strings.ToLower(f.Q)
		q = q.Where("search_text LIKE ? ESCAPE '\\'", "%"+escapeLike(text)+"%")
		if db.Dialector.Name() == "sqlite" && utf8.RuneCountInString(text) >= 3 {
			q = q.Where("vendors.rowid IN (SELECT rowid FROM vendors_fts WHERE vendors_fts MATCH ?)", ftsPhrase(text))
		}
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if len(f.Categories) > 0 {
		q = q.Where("category IN ?", f.Categories)
	}
	if f.Department != "" {
		q = q.Where("department = ?", f.Department)
	}
	if f.OwnerID != "" {
		q = q.Where("owner_id = ?", f.OwnerID)
	}
	if f.Criticality > 0 {
		q = q.Where("criticality = ?", f.Criticality)
	}
	if len(f.Tiers) > 0 {
		q = whereEffectiveTierIn(q, f.Today, f.Tiers)
	}
	if f.Likelihood > 0 {
		q = q.Where("likelihood = ?", f.Likelihood)
	}
	if f.Impact > 0 {
		q = q.Where("impact = ?", f.Impact)
	}
	switch day := f.Today.Format(time.DateOnly); f.Review {
	case "overdue":
		q = q.Where("next_review_on <> '' AND next_review_on < ?", day)
	case "due_soon":
		q = q.Where("next_review_on >= ? AND next_review_on <= ?", day, dueSoonUntil(f.Today))
	}
	if f.EvidenceGaps {
		q = q.Where("evidence_gaps > 0")
		if db.Dialector.Name() == "sqlite" && !f.Archived {
			q = q.Table(sqliteVendorsWithGaps)
		}
	}
	// IN, not a correlated EXISTS: SQLite then reads the tag's (or data
	// type's) vendors from its index once, instead of probing for it from
	// each vendor in the status index (10,000 vendors: a count with the
	// list's tag filter 3.5 -> 1.3 ms); PostgreSQL plans both alike.
	if f.Tag != "" {
		q = q.Where("vendors.id IN (SELECT t.vendor_id FROM vendor_tags t WHERE t.tag = ?)", f.Tag)
	}
	if f.DataType != "" {
		q = q.Where("vendors.id IN (SELECT d.vendor_id FROM vendor_data_types d WHERE d.data_type = ?)", f.DataType)
	}
	return whereCustom(q, "vendors", f.Custom)
}

// ListVendors returns one page of vendors with owners, tags and data types.
func ListVendors(ctx context.Context, db *gorm.DB, f VendorFilter) (Page[VendorRecord], error) {
	return listVendors(ctx, db, f, nil)
}

// vendorSummaryColumns are the columns the vendor list shows. The rest
// (description, search text, DORA fields, the override's reason) are the
// larger part of a row's bytes, and GORM maps each column of each row by
// reflection: a list page read every column for a fifth of its CPU.
var vendorSummaryColumns = []string{"id", "name", "legal_name", "website", "domain", "category", "status", "owner_id",
	"department", "access_level", "integration_methods", "hosting_regions", "annual_spend", "currency", "internal_users",
	"criticality", "external_id", "tier", "override_tier", "override_until", "next_review_on", "evidence_gaps",
	"inherent_score", "residual_score", "archived_at", "version", "created_at", "updated_at"}

// ListVendorSummaries is ListVendors with only the columns of the list's
// summary set (vendorSummaryColumns; every sort column is among them): the
// others are left empty.
func ListVendorSummaries(ctx context.Context, db *gorm.DB, f VendorFilter) (Page[VendorRecord], error) {
	return listVendors(ctx, db, f, vendorSummaryColumns)
}

func listVendors(ctx context.Context, db *gorm.DB, f VendorFilter, cols []string) (Page[VendorRecord], error) {
	db = db.WithContext(ctx)
	sorts := VendorSorts
	if f.Q != "" && db.Dialector.Name() == "postgres" {
		sorts = searchSorts
	}
	sorts, err := sortsWith(sorts, "vendors", strings.TrimPrefix(f.Sort, "-"), f.CustomSort)
	if err != nil {
		return Page[VendorRecord]{}, err
	}
	q := vendorQuery(db, f)
	if f.Q != "" {
		q = q.Set(exactCount, true)
	}
	if f.Cursor == "" {
		n, ok, err := talliedVendorCount(ctx, db, f)
		if err != nil {
			return Page[VendorRecord]{}, err
		}
		if ok {
			q = q.Set(knownTotal, n)
		}
	}
	if cols != nil {
		q = q.Set(pageColumns, cols)
	}
	page, err := paginate[Vendor](q, sorts, f.Sort, "name", f.Cursor, f.Limit)
	if err != nil {
		return Page[VendorRecord]{}, err
	}
	recs, err := loadVendorLists(db, page.Items)
	if err != nil {
		return Page[VendorRecord]{}, err
	}
	return withItems(page, recs), nil
}

// VendorDuplicates returns current vendors whose normalised name or
// website domain equals the given ones, other than excludeID.
func VendorDuplicates(ctx context.Context, db *gorm.DB, nameKey, domain, excludeID string) ([]Vendor, error) {
	out := []Vendor{}
	q := db.WithContext(ctx).Where("archived_at IS NULL")
	if domain != "" {
		q = q.Where("(name_key = ? OR domain = ?)", nameKey, domain)
	} else {
		q = q.Where("name_key = ?", nameKey)
	}
	if excludeID != "" {
		q = q.Where("id <> ?", excludeID)
	}
	err := q.Order("name").Limit(10).Find(&out).Error
	return out, err
}

// VendorNames returns the names of those of ids that are vendors.
func VendorNames(ctx context.Context, db *gorm.DB, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var vs []Vendor
	if err := db.WithContext(ctx).Select("id", "name").Where("id IN ?", ids).Find(&vs).Error; err != nil {
		return nil, err
	}
	for _, v := range vs {
		out[v.ID] = v.Name
	}
	return out, nil
}

// VendorIndex maps the keys an import matches on to vendor ids.
type VendorIndex struct {
	ByID       map[string]string // id -> id, every vendor
	ByExternal map[string]string // external id -> id
	ByDomain   map[string]string // domain -> id, current (not archived) vendors
}

// VendorMatchIndex loads the matching keys of every vendor in one query.
func VendorMatchIndex(ctx context.Context, db *gorm.DB) (VendorIndex, error) {
	idx := VendorIndex{ByID: map[string]string{}, ByExternal: map[string]string{}, ByDomain: map[string]string{}}
	rows, err := db.WithContext(ctx).Model(&Vendor{}).Select("id", "external_id", "domain", "archived_at").Rows()
	if err != nil {
		return idx, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id, domain string
			ext        *string
			archived   *time.Time
		)
		if err := rows.Scan(&id, &ext, &domain, &archived); err != nil {
			return idx, err
		}
		idx.ByID[id] = id
		if ext != nil {
			idx.ByExternal[*ext] = id
		}
		if domain != "" && archived == nil {
			idx.ByDomain[domain] = id
		}
	}
	return idx, rows.Err()
}

// InsertVendorsBulk inserts many generated vendors at once (demo data at
// scale, benchmarks): batched statements instead of one per row. No audit
// events are written; it is not for user changes.
func InsertVendorsBulk(ctx context.Context, db *gorm.DB, recs []VendorRecord) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		vs := make([]Vendor, len(recs))
		var tags []VendorTag
		var types []VendorDataType
		for i := range recs {
			r := &recs[i]
			if r.ID == "" {
				r.ID = NewID()
			}
			r.SearchText, r.Version = SearchTextOf(&r.Vendor), 1
			if r.Tier == 0 {
				r.Tier, r.Likelihood, r.Impact = 4, 1, 1
			}
			vs[i] = r.Vendor
			for _, t := range r.Tags {
				tags = append(tags, VendorTag{VendorID: r.ID, Tag: t})
			}
			for _, d := range r.DataTypes {
				types = append(types, VendorDataType{VendorID: r.ID, DataType: d})
			}
		}
		// Batches stay under SQLite's and PostgreSQL's bound-parameter limits.
		if err := tx.CreateInBatches(vs, 500).Error; err != nil {
			return err
		}
		if len(tags) > 0 {
			if err := tx.CreateInBatches(tags, 2000).Error; err != nil {
				return err
			}
		}
		if len(types) > 0 {
			return tx.CreateInBatches(types, 2000).Error
		}
		return nil
	})
}

// VendorFacets lists the departments and tags current vendors use, for
// filter pickers.
func VendorFacets(ctx context.Context, db *gorm.DB) (departments, tags []string, err error) {
	departments, tags = []string{}, []string{}
	db = db.WithContext(ctx)
	if err = db.Model(&Vendor{}).Where("archived_at IS NULL AND department <> ''").Distinct().Order("department").Limit(500).Pluck("department", &departments).Error; err != nil {
		return nil, nil, err
	}
	err = db.Model(&VendorTag{}).Distinct().Order("tag").Limit(1000).Pluck("tag", &tags).Error
	return departments, tags, err
}
