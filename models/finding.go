package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Finding is a problem found at a vendor, tracked to closure.
type Finding struct {
	Base
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
	return db.WithContext(ctx).Create(f).Error
}

// GetFinding returns one finding.
func GetFinding(ctx context.Context, db *gorm.DB, id string) (*Finding, error) {
	var f Finding
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&f).Error; err != nil {
		return nil, translate(err)
	}
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
	return updateVersioned[Finding](ctx, db, id, version, set, true)
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
	return paginate[Finding](q, FindingSorts, f.Sort, "-created_at", f.Cursor, f.Limit)
}

// CreateException stores an exception request.
func CreateException(ctx context.Context, db *gorm.DB, e *RiskException) error {
	if e.Version == 0 {
		e.Version = 1
	}
	return db.WithContext(ctx).Create(e).Error
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

// ListExceptions returns a vendor's (or every) exception, newest first.
func ListExceptions(ctx context.Context, db *gorm.DB, vendorID string, statuses []string) ([]RiskException, error) {
	out := []RiskException{}
	q := db.WithContext(ctx)
	if vendorID != "" {
		q = q.Where("vendor_id = ?", vendorID)
	}
	if len(statuses) > 0 {
		q = q.Where("status IN ?", statuses)
	}
	err := q.Order("created_at DESC").Limit(MaxLimit).Find(&out).Error
	return out, err
}
