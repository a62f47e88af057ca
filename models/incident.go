package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Incident is a breach, outage or other event at a vendor that touches us,
// tracked from notice to closure (docs/incidents.md).
type Incident struct {
	Base
	VendorID         string     `gorm:"not null"`
	Title            string     `gorm:"not null"`
	Description      string     `gorm:"not null;default:''"`
	Kind             string     `gorm:"not null"`
	Severity         string     `gorm:"not null"`
	OccurredAt       time.Time  `gorm:"not null"`
	DetectedAt       *time.Time ``
	NotifiedAt       *time.Time ``
	ReportedBy       string     `gorm:"not null;default:''"`
	ReportedVia      string     `gorm:"not null;default:'staff'"`
	AffectedServices string     `gorm:"not null;default:'[]'"` // JSON array of strings
	DataTypes        string     `gorm:"not null;default:'[]'"` // JSON array of data-type codes
	RecordsAffected  *int64     ``
	OurActions       string     `gorm:"not null;default:''"`
	Status           string     `gorm:"not null"`
	ClosedAt         *time.Time ``
	CreatedBy        *string    ``
	Version          int64      `gorm:"not null;default:1"`
}

// IncidentEvent is one entry of an incident's timeline: a note or a
// status change.
type IncidentEvent struct {
	Base
	IncidentID  string    `gorm:"not null"`
	At          time.Time `gorm:"not null"`
	AuthorID    *string   ``
	AuthorLabel string    `gorm:"not null;default:''"`
	Kind        string    `gorm:"not null"`
	Text        string    `gorm:"not null"`
}

// IncidentFinding links a finding to an incident.
type IncidentFinding struct {
	Base
	IncidentID string  `gorm:"not null"`
	FindingID  string  `gorm:"not null"`
	CreatedBy  *string ``
}

// IncidentLink lets a vendor contact report an incident without an
// account; only the token's hash is stored.
type IncidentLink struct {
	Base
	VendorID     string     `gorm:"not null"`
	TokenHash    string     `gorm:"not null"`
	ContactEmail string     `gorm:"not null;default:''"`
	ExpiresAt    time.Time  `gorm:"not null"`
	RevokedAt    *time.Time ``
	LastUsedAt   *time.Time ``
	CreatedBy    *string    ``
}

// OpenIncidentStatuses are the statuses in which an incident still adds
// risk.
var OpenIncidentStatuses = []string{"open", "contained"}

// CreateIncident stores an incident.
func CreateIncident(ctx context.Context, db *gorm.DB, i *Incident) error {
	if i.Version == 0 {
		i.Version = 1
	}
	return translate(db.WithContext(ctx).Create(i).Error)
}

// GetIncident returns one incident.
func GetIncident(ctx context.Context, db *gorm.DB, id string) (*Incident, error) {
	var i Incident
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&i).Error; err != nil {
		return nil, translate(err)
	}
	return &i, nil
}

// UpdateIncident applies set if the incident is still at version.
func UpdateIncident(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*Incident, error) {
	return updateVersioned[Incident](ctx, db, id, version, set, true)
}

// IncidentFilter selects incidents.
type IncidentFilter struct {
	VendorID   string
	Statuses   []string
	Severities []string
	Sort       string
	Cursor     string
	Limit      int
}

// IncidentSorts are the columns the incidents list sorts by.
var IncidentSorts = map[string]SortColumn{
	"created_at":  {Column: "created_at", Kind: SortTime},
	"updated_at":  {Column: "updated_at", Kind: SortTime},
	"occurred_at": {Column: "occurred_at", Kind: SortTime},
	"severity":    {Column: "severity", Kind: SortText},
	"status":      {Column: "status", Kind: SortText},
}

// ListIncidents returns one page of incidents, newest first unless sorted
// otherwise.
func ListIncidents(ctx context.Context, db *gorm.DB, f IncidentFilter) (Page[Incident], error) {
	q := db.WithContext(ctx).Model(&Incident{})
	if f.VendorID != "" {
		q = q.Where("vendor_id = ?", f.VendorID)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if len(f.Severities) > 0 {
		q = q.Where("severity IN ?", f.Severities)
	}
	return paginate[Incident](q, IncidentSorts, f.Sort, "-created_at", f.Cursor, f.Limit)
}

// OpenIncidentCounts counts a vendor's open or contained incidents per
// severity, for scoring.
func OpenIncidentCounts(ctx context.Context, db *gorm.DB, vendorID string) (map[string]int, error) {
	var rows []struct {
		Severity string
		N        int
	}
	err := db.WithContext(ctx).Model(&Incident{}).Select("severity, COUNT(*) AS n").
		Where("vendor_id = ? AND status IN ?", vendorID, OpenIncidentStatuses).Group("severity").Scan(&rows).Error
	out := map[string]int{}
	for _, r := range rows {
		out[r.Severity] = r.N
	}
	return out, err
}

// IncidentEvents lists an incident's timeline, oldest first.
func IncidentEvents(ctx context.Context, db *gorm.DB, incidentID string) ([]IncidentEvent, error) {
	out := []IncidentEvent{}
	err := db.WithContext(ctx).Where("incident_id = ?", incidentID).Order("at, id").Limit(MaxLimit * 5).Find(&out).Error
	return out, err
}

// AddIncidentEvent stores a timeline entry.
func AddIncidentEvent(ctx context.Context, db *gorm.DB, e *IncidentEvent) error {
	return db.WithContext(ctx).Create(e).Error
}

// IncidentFindings lists the findings linked to an incident, oldest link
// first.
func IncidentFindings(ctx context.Context, db *gorm.DB, incidentID string) ([]Finding, error) {
	out := []Finding{}
	err := db.WithContext(ctx).Model(&Finding{}).
		Joins("JOIN incident_findings l ON l.finding_id = findings.id").
		Where("l.incident_id = ?", incidentID).Order("l.created_at, l.id").Limit(MaxLimit).Find(&out).Error
	return out, err
}

// LinkIncidentFinding links a finding to an incident; linking twice is
// ErrConflict.
func LinkIncidentFinding(ctx context.Context, db *gorm.DB, l *IncidentFinding) error {
	return translate(db.WithContext(ctx).Create(l).Error)
}

// UnlinkIncidentFinding removes a link; ErrNotFound when there is none.
func UnlinkIncidentFinding(ctx context.Context, db *gorm.DB, incidentID, findingID string) error {
	res := db.WithContext(ctx).Where("incident_id = ? AND finding_id = ?", incidentID, findingID).Delete(&IncidentFinding{})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// NoticeTermRow is a confirmed breach-notification term of one of a
// vendor's contracts.
type NoticeTermRow struct {
	ContractID    string
	ContractTitle string
	Normalized    string
	Evidence      string
}

// ConfirmedVendorTerms returns the found terms with key that legal
// confirmed or corrected, in the vendor's contracts that are not archived.
func ConfirmedVendorTerms(ctx context.Context, db *gorm.DB, vendorID, key string) ([]NoticeTermRow, error) {
	out := []NoticeTermRow{}
	err := db.WithContext(ctx).Model(&ContractTerm{}).
		Select("contract_terms.contract_id, c.title AS contract_title, contract_terms.normalized, contract_terms.evidence").
		Joins("JOIN contracts c ON c.id = contract_terms.contract_id").
		Where("c.vendor_id = ? AND c.archived_at IS NULL", vendorID).
		Where("contract_terms.term_key = ? AND contract_terms.found AND contract_terms.review_state IN ?", key, []string{"confirmed", "corrected"}).
		Order("c.created_at, c.id").Limit(MaxLimit).Scan(&out).Error
	return out, err
}

// CreateIncidentLink stores a report link.
func CreateIncidentLink(ctx context.Context, db *gorm.DB, l *IncidentLink) error {
	return translate(db.WithContext(ctx).Create(l).Error)
}

// IncidentLinkByHash returns the link with the token hash.
func IncidentLinkByHash(ctx context.Context, db *gorm.DB, hash string) (*IncidentLink, error) {
	var l IncidentLink
	if err := db.WithContext(ctx).Where("token_hash = ?", hash).Take(&l).Error; err != nil {
		return nil, translate(err)
	}
	return &l, nil
}

// IncidentLinks lists a vendor's report links, newest first.
func IncidentLinks(ctx context.Context, db *gorm.DB, vendorID string) ([]IncidentLink, error) {
	out := []IncidentLink{}
	err := db.WithContext(ctx).Where("vendor_id = ?", vendorID).Order("created_at DESC, id DESC").Limit(MaxLimit).Find(&out).Error
	return out, err
}

// RevokeIncidentLink stops one of a vendor's report links; ErrNotFound
// when the vendor has no such live link.
func RevokeIncidentLink(ctx context.Context, db *gorm.DB, vendorID, id string, at time.Time) error {
	res := db.WithContext(ctx).Model(&IncidentLink{}).Where("id = ? AND vendor_id = ? AND revoked_at IS NULL", id, vendorID).
		Updates(map[string]any{"revoked_at": at, "updated_at": at})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// TouchIncidentLink records the link's last use.
func TouchIncidentLink(ctx context.Context, db *gorm.DB, id string, at time.Time) error {
	return db.WithContext(ctx).Model(&IncidentLink{}).Where("id = ?", id).Update("last_used_at", at).Error
}

// IncidentVendorNames maps vendor ids of a page of incidents to names.
func IncidentVendorNames(ctx context.Context, db *gorm.DB, is []Incident) (map[string]string, error) {
	ids := make([]string, 0, len(is))
	for _, i := range is {
		ids = append(ids, i.VendorID)
	}
	return namesByID(ctx, db, &Vendor{}, "name", ids)
}
