package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Finding is a problem found at a vendor, tracked to closure.
type Finding struct {
	Base
	// UnitIDs, when set on create, are its business units; nil takes
	// the vendor's. Not loaded by reads (see UnitIDsOf).
	UnitIDs         []string   `gorm:"-" json:"-"`
	VendorID        string     `gorm:"not null"`
	AssessmentID    *string    ``
	QuestionKey     string     `gorm:"not null;default:''"`
	Title           string     `gorm:"not null"`
	Description     string     `gorm:"not null;default:''"`
	Severity        string     `gorm:"not null"`
	Source          string     `gorm:"not null"`
	Status          string     `gorm:"not null"`
	OwnerID         *string    ``
	VendorContact   string     `gorm:"not null;default:''"`
	DueDate         string     `gorm:"not null;default:''"`
	RemediationPlan string     `gorm:"not null;default:''"`
	ResolvedAt      *time.Time ``
	CreatedBy       *string    ``
	Version         int64      `gorm:"not null;default:1"`
	// CustomFields are the admin-defined fields' values (see Vendor).
	CustomFields CustomValues `gorm:"-"`
}

// RiskException is an accepted risk: a finding (or vendor) that stays as
// it is until an expiry date, with a justification and an approver.
type RiskException struct {
	Base
	VendorID             string     `gorm:"not null"`
	FindingID            *string    ``
	Justification        string     `gorm:"not null"`
	CompensatingControls string     `gorm:"not null;default:''"`
	Status               string     `gorm:"not null"`
	RequestedBy          string     `gorm:"not null"`
	ApproverID           *string    ``
	DecidedAt            *time.Time ``
	ExpiresOn            string     `gorm:"not null"`
	Version              int64      `gorm:"not null;default:1"`
}

// TableName keeps the table's name explicit.
func (RiskException) TableName() string { return "risk_exceptions" }

// CreateFinding stores a finding.
func CreateFinding(ctx context.Context, db *gorm.DB, f *Finding) error {
	if f.Version == 0 {
		f.Version = 1
	}
	if err := db.WithContext(ctx).Create(f).Error; err != nil {
		return err
	}
	return setNewUnits(ctx, db, UnitFinding, f.ID, f.VendorID, f.UnitIDs)
}

// GetFinding returns one finding.
func GetFinding(ctx context.Context, db *gorm.DB, id string) (*Finding, error) {
	var f Finding
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&f).Error; err != nil {
		return nil, translate(err)
	}
	vals, err := LoadCustomValues(ctx, db, "finding", []string{id})
	if err != nil {
		return nil, err
	}
	f.CustomFields = customValuesOf(vals, id)
	return &f, nil
}

// FindingForAnswer returns the open finding raised from an assessment
// answer, if any.
func FindingForAnswer(ctx context.Context, db *gorm.DB, assessmentID, key string) (*Finding, error) {
	var f Finding
	err := db.WithContext(ctx).Where("assessment_id = ? AND question_key = ?", assessmentID, key).Limit(1).Find(&f).Error
	if err != nil || f.ID == "" {
		return nil, err
	}
	return &f, nil
}

// UpdateFinding applies set if the finding is still at version.
func UpdateFinding(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*Finding, error) {
	row, err := updateVersioned[Finding](ctx, db, id, version, set, true)
	if row != nil {
		vals, lerr := LoadCustomValues(ctx, db, "finding", []string{id})
		if lerr != nil {
			return nil, lerr
		}
		row.CustomFields = customValuesOf(vals, id)
	}
	return row, err
}

// OpenFindingCounts counts a vendor's findings that still add risk (open
// or in remediation, and not covered by an approved, unexpired exception),
// per severity.
func OpenFindingCounts(ctx context.Context, db *gorm.DB, vendorID, today string) (map[string]int, error) {
	var rows []struct {
		Severity string
		N        int
	}
	err := db.WithContext(ctx).Model(&Finding{}).Select("severity, COUNT(*) AS n").
		Where("vendor_id = ? AND status IN ?", vendorID, []string{"open", "in_progress"}).
		Where("NOT EXISTS (SELECT 1 FROM risk_exceptions e WHERE e.finding_id = findings.id AND e.status = ? AND e.expires_on >= ?)", "approved", today).
		Group("severity").Scan(&rows).Error
	out := map[string]int{}
	for _, r := range rows {
		out[r.Severity] = r.N
	}
	return out, err
}

// FindingFilter selects findings.
type FindingFilter struct {
	VendorID   string
	Statuses   []string
	Severities []string
	OwnerID    string
	Overdue    bool
	Today      string
	Custom     []CustomFilter
	CustomSort *CustomSort
	Sort       string
	Cursor     string
	Limit      int
}

// FindingSorts are the columns the findings list sorts by.
var FindingSorts = map[string]SortColumn{
	"created_at": {Column: "created_at", Kind: SortTime},
	"updated_at": {Column: "updated_at", Kind: SortTime},
	"due_date":   {Column: "due_date", Kind: SortText},
	"severity":   {Column: "severity", Kind: SortText},
	"status":     {Column: "status", Kind: SortText},
}

// ListFindings returns one page of findings.
func ListFindings(ctx context.Context, db *gorm.DB, f FindingFilter) (Page[Finding], error) {
	q := db.WithContext(ctx).Model(&Finding{})
	if f.VendorID != "" {
		q = q.Where("vendor_id = ?", f.VendorID)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if len(f.Severities) > 0 {
		q = q.Where("severity IN ?", f.Severities)
	}
	if f.OwnerID != "" {
		q = q.Where("owner_id = ?", f.OwnerID)
	}
	if f.Overdue {
		q = q.Where("status IN ? AND due_date <> '' AND due_date < ?", []string{"open", "in_progress"}, f.Today)
	}
	q = whereCustom(q, "findings", f.Custom)
	sorts, err := sortsWith(FindingSorts, "findings", strings.TrimPrefix(f.Sort, "-"), f.CustomSort)
	if err != nil {
		return Page[Finding]{}, err
	}
	page, err := paginate[Finding](q, sorts, f.Sort, "-created_at", f.Cursor, f.Limit)
	if err != nil {
		return page, err
	}
	return page, withCustomValues(ctx, db, "finding", page.Items, func(x *Finding) (string, *CustomValues) { return x.ID, &x.CustomFields })
}

// CreateException stores an exception request.
func CreateException(ctx context.Context, db *gorm.DB, e *RiskException) error {
	if e.Version == 0 {
		e.Version = 1
	}
	return translate(db.WithContext(ctx).Create(e).Error)
}

// GetException returns one exception.
func GetException(ctx context.Context, db *gorm.DB, id string) (*RiskException, error) {
	var e RiskException
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&e).Error; err != nil {
		return nil, translate(err)
	}
	return &e, nil
}

// UpdateException applies set if the exception is still at version.
func UpdateException(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*RiskException, error) {
	return updateVersioned[RiskException](ctx, db, id, version, set, true)
}

// ExpiredExceptions lists approved exceptions whose expiry date has passed.
func ExpiredExceptions(ctx context.Context, db *gorm.DB, today string) ([]RiskException, error) {
	var out []RiskException
	err := db.WithContext(ctx).Where("status = ? AND expires_on < ?", "approved", today).Limit(1000).Find(&out).Error
	return out, err
}

// ExceptionFilter selects exceptions.
type ExceptionFilter struct {
	VendorID  string
	FindingID string
	Statuses  []string
	Sort      string
	Cursor    string
	Limit     int
}

// ExceptionSorts are the columns the exceptions list sorts by.
var ExceptionSorts = map[string]SortColumn{
	"created_at": {Column: "created_at", Kind: SortTime},
	"expires_on": {Column: "expires_on", Kind: SortText},
}

// ListExceptions returns one page of exceptions, newest first unless
// sorted otherwise.
func ListExceptions(ctx context.Context, db *gorm.DB, f ExceptionFilter) (Page[RiskException], error) {
	q := db.WithContext(ctx).Model(&RiskException{})
	if f.VendorID != "" {
		q = q.Where("vendor_id = ?", f.VendorID)
	}
	if f.FindingID != "" {
		q = q.Where("finding_id = ?", f.FindingID)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	return paginate[RiskException](q, ExceptionSorts, f.Sort, "-created_at", f.Cursor, f.Limit)
}

// ExceptionNames are the words an exceptions list shows beside the ids:
// finding titles, vendor names and user names, each loaded in one query.
type ExceptionNames struct {
	Findings, Vendors, Users map[string]string
}

// NamesForExceptions loads the names a page of exceptions refers to.
func NamesForExceptions(ctx context.Context, db *gorm.DB, es []RiskException) (ExceptionNames, error) {
	var findings, vendors, users []string
	for _, e := range es {
		vendors = append(vendors, e.VendorID)
		users = append(users, e.RequestedBy)
		if e.FindingID != nil {
			findings = append(findings, *e.FindingID)
		}
		if e.ApproverID != nil {
			users = append(users, *e.ApproverID)
		}
	}
	var out ExceptionNames
	var err error
	if out.Findings, err = namesByID(ctx, db, &Finding{}, "title", findings); err != nil {
		return out, err
	}
	if out.Vendors, err = namesByID(ctx, db, &Vendor{}, "name", vendors); err != nil {
		return out, err
	}
	out.Users, err = namesByID(ctx, db, &User{}, "name", users)
	return out, err
}

// NamesForFindings loads the vendor and owner names a page of findings
// shows, in two queries.
func NamesForFindings(ctx context.Context, db *gorm.DB, fs []Finding) (vendors, owners map[string]string, err error) {
	var vids, uids []string
	for _, f := range fs {
		vids = append(vids, f.VendorID)
		if f.OwnerID != nil {
			uids = append(uids, *f.OwnerID)
		}
	}
	if vendors, err = namesByID(ctx, db, &Vendor{}, "name", vids); err != nil {
		return nil, nil, err
	}
	owners, err = namesByID(ctx, db, &User{}, "name", uids)
	return vendors, owners, err
}

// namesByID maps ids to one text column of model; column is always a
// constant from this package.
func namesByID(ctx context.Context, db *gorm.DB, model any, column string, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct{ ID, Name string }
	if err := db.WithContext(ctx).Model(model).Select("id, "+column+" AS name").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}
