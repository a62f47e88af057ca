package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// FindingRemediation is a finding shared with the vendor: the vendor's
// plan and target date and where the work stands (docs/risk-scoring.md, "Remediation with the vendor").
type FindingRemediation struct {
	Base
	FindingID    string  `gorm:"not null"`
	Status       string  `gorm:"not null"`
	ContactEmail string  `gorm:"not null"`
	Message      string  `gorm:"not null;default:''"`
	Plan         string  `gorm:"not null;default:''"`
	TargetDate   string  `gorm:"not null;default:''"`
	Version      int64   `gorm:"not null;default:1"`
	CreatedBy    *string ``
}

// RemediationLink lets the vendor contact work on one shared finding
// without an account; only the token's hash is stored.
type RemediationLink struct {
	Base
	RemediationID string     `gorm:"not null"`
	TokenHash     string     `gorm:"not null"`
	ContactEmail  string     `gorm:"not null"`
	ExpiresAt     time.Time  `gorm:"not null"`
	RevokedAt     *time.Time ``
	LastUsedAt    *time.Time ``
	CreatedBy     *string    ``
}

// RemediationEvent is one entry of the timeline both sides see.
type RemediationEvent struct {
	Base
	RemediationID string    `gorm:"not null"`
	At            time.Time `gorm:"not null"`
	AuthorID      *string   ``
	AuthorLabel   string    `gorm:"not null;default:''"`
	Kind          string    `gorm:"not null"`
	Text          string    `gorm:"not null;default:''"`
	TargetDate    string    `gorm:"not null;default:''"`
}

// RemediationFile is a file the vendor sent with a progress update.
type RemediationFile struct {
	Base
	RemediationID string `gorm:"not null"`
	EventID       string `gorm:"not null"`
	Filename      string `gorm:"not null"`
	ContentType   string `gorm:"not null"`
	Size          int64  `gorm:"not null"`
	Sha256        string `gorm:"column:sha256;not null"`
	StorageKey    string `gorm:"not null"`
}

// RemediationForFinding returns the finding's remediation, or ErrNotFound
// when it was never shared.
func RemediationForFinding(ctx context.Context, db *gorm.DB, findingID string) (*FindingRemediation, error) {
	var r FindingRemediation
	if err := db.WithContext(ctx).Where("finding_id = ?", findingID).Take(&r).Error; err != nil {
		return nil, translate(err)
	}
	return &r, nil
}

// GetRemediation returns one remediation.
func GetRemediation(ctx context.Context, db *gorm.DB, id string) (*FindingRemediation, error) {
	var r FindingRemediation
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, translate(err)
	}
	return &r, nil
}

// CreateRemediation stores a remediation.
func CreateRemediation(ctx context.Context, db *gorm.DB, r *FindingRemediation) error {
	if r.Version == 0 {
		r.Version = 1
	}
	return translate(db.WithContext(ctx).Create(r).Error)
}

// UpdateRemediation applies set if the remediation is still at version
// (0: whatever its version, for the vendor's side, which the caller has
// read in the same transaction).
func UpdateRemediation(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*FindingRemediation, error) {
	return updateVersioned[FindingRemediation](ctx, db, id, version, set, true)
}

// CreateRemediationLink stores a link.
func CreateRemediationLink(ctx context.Context, db *gorm.DB, l *RemediationLink) error {
	return translate(db.WithContext(ctx).Create(l).Error)
}

// RemediationLinkByHash returns the link with the token hash.
func RemediationLinkByHash(ctx context.Context, db *gorm.DB, hash string) (*RemediationLink, error) {
	var l RemediationLink
	if err := db.WithContext(ctx).Where("token_hash = ?", hash).Take(&l).Error; err != nil {
		return nil, translate(err)
	}
	return &l, nil
}

// RemediationLinks lists a remediation's links, newest first.
func RemediationLinks(ctx context.Context, db *gorm.DB, remediationID string) ([]RemediationLink, error) {
	out := []RemediationLink{}
	err := db.WithContext(ctx).Where("remediation_id = ?", remediationID).Order("created_at DESC, id DESC").Limit(MaxLimit).Find(&out).Error
	return out, err
}

// RevokeRemediationLinks stops the remediation's live links (linkID ""),
// or one of them; it returns how many it stopped.
func RevokeRemediationLinks(ctx context.Context, db *gorm.DB, remediationID, linkID string, at time.Time) (int64, error) {
	q := db.WithContext(ctx).Model(&RemediationLink{}).Where("remediation_id = ? AND revoked_at IS NULL", remediationID)
	if linkID != "" {
		q = q.Where("id = ?", linkID)
	}
	res := q.Updates(map[string]any{"revoked_at": at, "updated_at": at})
	return res.RowsAffected, res.Error
}

// TouchRemediationLink records the link's last use.
func TouchRemediationLink(ctx context.Context, db *gorm.DB, id string, at time.Time) error {
	return db.WithContext(ctx).Model(&RemediationLink{}).Where("id = ?", id).Update("last_used_at", at).Error
}

// AddRemediationEvent stores a timeline entry.
func AddRemediationEvent(ctx context.Context, db *gorm.DB, e *RemediationEvent) error {
	return db.WithContext(ctx).Create(e).Error
}

// RemediationEvents lists the timeline, oldest first.
func RemediationEvents(ctx context.Context, db *gorm.DB, remediationID string) ([]RemediationEvent, error) {
	out := []RemediationEvent{}
	err := db.WithContext(ctx).Where("remediation_id = ?", remediationID).Order("at, id").Limit(MaxLimit * 5).Find(&out).Error
	return out, err
}

// CreateRemediationFile stores a file's record.
func CreateRemediationFile(ctx context.Context, db *gorm.DB, f *RemediationFile) error {
	return db.WithContext(ctx).Create(f).Error
}

// RemediationFiles lists a remediation's files, oldest first.
func RemediationFiles(ctx context.Context, db *gorm.DB, remediationID string) ([]RemediationFile, error) {
	out := []RemediationFile{}
	err := db.WithContext(ctx).Where("remediation_id = ?", remediationID).Order("created_at, id").Limit(MaxLimit * 5).Find(&out).Error
	return out, err
}

// RemediationUploads counts a remediation's files and their bytes, for
// the vendor's upload quota.
func RemediationUploads(ctx context.Context, db *gorm.DB, remediationID string) (n, bytes int64, err error) {
	var row struct{ N, B int64 }
	err = db.WithContext(ctx).Model(&RemediationFile{}).Select("COUNT(*) AS n, COALESCE(SUM(size), 0) AS b").
		Where("remediation_id = ?", remediationID).Scan(&row).Error
	return row.N, row.B, err
}

// RemediationFileByID returns one file of the given remediation.
func RemediationFileByID(ctx context.Context, db *gorm.DB, remediationID, id string) (*RemediationFile, error) {
	var f RemediationFile
	if err := db.WithContext(ctx).Where("id = ? AND remediation_id = ?", id, remediationID).Take(&f).Error; err != nil {
		return nil, translate(err)
	}
	return &f, nil
}

// EvidenceRequest asks a vendor for a document of a kind through its own
// link; the vendor's upload becomes a version in the evidence library.
type EvidenceRequest struct {
	Base
	VendorID      string     `gorm:"not null"`
	Kind          string     `gorm:"not null"`
	ContactEmail  string     `gorm:"not null"`
	Message       string     `gorm:"not null;default:''"`
	DueDate       string     `gorm:"not null"`
	Status        string     `gorm:"not null"`
	TokenHash     string     `gorm:"not null"`
	ExpiresAt     time.Time  `gorm:"not null"`
	LastUsedAt    *time.Time ``
	DocumentID    *string    ``
	VersionNumber *int64     ``
	UploadedAt    *time.Time ``
	CancelledAt   *time.Time ``
	CreatedBy     *string    ``
	Version       int64      `gorm:"not null;default:1"`
}

// CreateEvidenceRequest stores a request.
func CreateEvidenceRequest(ctx context.Context, db *gorm.DB, r *EvidenceRequest) error {
	if r.Version == 0 {
		r.Version = 1
	}
	return translate(db.WithContext(ctx).Create(r).Error)
}

// EvidenceRequestByHash returns the request with the token hash.
func EvidenceRequestByHash(ctx context.Context, db *gorm.DB, hash string) (*EvidenceRequest, error) {
	var r EvidenceRequest
	if err := db.WithContext(ctx).Where("token_hash = ?", hash).Take(&r).Error; err != nil {
		return nil, translate(err)
	}
	return &r, nil
}

// GetEvidenceRequest returns one of the vendor's requests.
func GetEvidenceRequest(ctx context.Context, db *gorm.DB, vendorID, id string) (*EvidenceRequest, error) {
	var r EvidenceRequest
	if err := db.WithContext(ctx).Where("id = ? AND vendor_id = ?", id, vendorID).Take(&r).Error; err != nil {
		return nil, translate(err)
	}
	return &r, nil
}

// UpdateEvidenceRequest applies set if the request is still at version.
func UpdateEvidenceRequest(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*EvidenceRequest, error) {
	return updateVersioned[EvidenceRequest](ctx, db, id, version, set, true)
}

// ListEvidenceRequests returns one page of a vendor's requests, newest
// first.
func ListEvidenceRequests(ctx context.Context, db *gorm.DB, vendorID, cursor string, limit int) (Page[EvidenceRequest], error) {
	q := db.WithContext(ctx).Model(&EvidenceRequest{}).Where("vendor_id = ?", vendorID)
	return paginate[EvidenceRequest](q, EvidenceRequestSorts, "", "-created_at", cursor, limit)
}

// EvidenceRequestSorts: the list is newest first only.
var EvidenceRequestSorts = map[string]SortColumn{"created_at": {Column: "created_at", Kind: SortTime}}

// OpenEvidenceRequests lists the vendor's requests still waiting for an
// upload, oldest first.
func OpenEvidenceRequests(ctx context.Context, db *gorm.DB, vendorID string) ([]EvidenceRequest, error) {
	out := []EvidenceRequest{}
	err := db.WithContext(ctx).Where("vendor_id = ? AND status = ?", vendorID, "requested").Order("created_at, id").Limit(MaxLimit).Find(&out).Error
	return out, err
}

// TouchEvidenceRequest records the link's last use.
func TouchEvidenceRequest(ctx context.Context, db *gorm.DB, id string, at time.Time) error {
	return db.WithContext(ctx).Model(&EvidenceRequest{}).Where("id = ?", id).Update("last_used_at", at).Error
}
