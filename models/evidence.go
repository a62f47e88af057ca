package models

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"
)

// EvidenceDocument is one document in a vendor's evidence library (its
// SOC 2 Type II report, its ISO 27001 certificate), kept in every version
// uploaded; CurrentVersion is the newest.
type EvidenceDocument struct {
	Base
	VendorID       string  `gorm:"not null"`
	Kind           string  `gorm:"not null"`
	Title          string  `gorm:"not null"`
	CurrentVersion int64   `gorm:"not null;default:1"`
	Version        int64   `gorm:"not null;default:1"`
	CreatedBy      *string ``
}

// EvidenceVersion is one upload of a document: the file, what it says and
// its review.
type EvidenceVersion struct {
	Base
	DocumentID   string     `gorm:"not null"`
	Number       int64      `gorm:"not null"`
	Filename     string     `gorm:"not null"`
	ContentType  string     `gorm:"not null"`
	Size         int64      `gorm:"not null"`
	Sha256       string     `gorm:"column:sha256;not null"`
	StorageKey   string     `gorm:"not null"`
	Issuer       string     `gorm:"not null;default:''"`
	PeriodFrom   string     `gorm:"not null;default:''"`
	PeriodTo     string     `gorm:"not null;default:''"`
	ExpiresOn    string     `gorm:"not null;default:''"`
	Scope        string     `gorm:"not null;default:''"`
	Status       string     `gorm:"not null;default:'received'"`
	RejectReason string     `gorm:"not null;default:''"`
	ReviewerID   *string    ``
	ReviewedAt   *time.Time ``
	Extracted    string     `gorm:"not null;default:''"`
	UploadedBy   string     `gorm:"not null"`
}

// EvidenceItem is a document with its current version.
type EvidenceItem struct {
	EvidenceDocument
	Current EvidenceVersion
}

// CreateEvidence stores a new document with its first version.
func CreateEvidence(ctx context.Context, db *gorm.DB, d *EvidenceDocument, v *EvidenceVersion) error {
	db = db.WithContext(ctx)
	d.CurrentVersion = 1
	if err := db.Create(d).Error; err != nil {
		return err
	}
	v.DocumentID, v.Number = d.ID, 1
	return db.Create(v).Error
}

// AddEvidenceVersion stores v as the next version of document d if d is
// still at version (0: any), and returns the document as it is now.
func AddEvidenceVersion(ctx context.Context, db *gorm.DB, d *EvidenceDocument, version int64, v *EvidenceVersion) (*EvidenceDocument, error) {
	cur, err := updateVersioned[EvidenceDocument](ctx, db, d.ID, version, map[string]any{"current_version": gorm.Expr("current_version + 1")}, true)
	if err != nil {
		return cur, err
	}
	v.DocumentID, v.Number = cur.ID, cur.CurrentVersion
	return cur, db.WithContext(ctx).Create(v).Error
}

// GetEvidence returns a vendor's document with its current version.
func GetEvidence(ctx context.Context, db *gorm.DB, vendorID, id string) (*EvidenceItem, error) {
	var d EvidenceDocument
	if err := db.WithContext(ctx).Where("id = ? AND vendor_id = ?", id, vendorID).Take(&d).Error; err != nil {
		return nil, translate(err)
	}
	it := &EvidenceItem{EvidenceDocument: d}
	if err := db.WithContext(ctx).Where("document_id = ? AND number = ?", d.ID, d.CurrentVersion).Take(&it.Current).Error; err != nil {
		return nil, translate(err)
	}
	return it, nil
}

// VendorEvidence lists a vendor's documents with their current versions,
// by kind and then newest first.
func VendorEvidence(ctx context.Context, db *gorm.DB, vendorID string) ([]EvidenceItem, error) {
	var docs []EvidenceDocument
	if err := db.WithContext(ctx).Where("vendor_id = ?", vendorID).Order("kind, created_at DESC, id").Limit(MaxLimit).Find(&docs).Error; err != nil {
		return nil, err
	}
	return withCurrentVersions(ctx, db, docs)
}

// EvidenceByIDs returns the documents with these ids, with their current
// versions, in no particular order; ids not found are left out.
func EvidenceByIDs(ctx context.Context, db *gorm.DB, ids []string) ([]EvidenceItem, error) {
	var docs []EvidenceDocument
	if len(ids) > 0 {
		if err := db.WithContext(ctx).Where("id IN ?", ids).Find(&docs).Error; err != nil {
			return nil, err
		}
	}
	return withCurrentVersions(ctx, db, docs)
}

func withCurrentVersions(ctx context.Context, db *gorm.DB, docs []EvidenceDocument) ([]EvidenceItem, error) {
	out := make([]EvidenceItem, 0, len(docs))
	if len(docs) == 0 {
		return out, nil
	}
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	var vs []EvidenceVersion
	err := db.WithContext(ctx).Table("evidence_versions AS v").Select("v.*").
		Joins("JOIN evidence_documents d ON d.id = v.document_id AND d.current_version = v.number").
		Where("v.document_id IN ?", ids).Find(&vs).Error
	if err != nil {
		return nil, err
	}
	byDoc := make(map[string]EvidenceVersion, len(vs))
	for _, v := range vs {
		byDoc[v.DocumentID] = v
	}
	for _, d := range docs {
		out = append(out, EvidenceItem{EvidenceDocument: d, Current: byDoc[d.ID]})
	}
	return out, nil
}

// EvidenceVersions lists every version of a document, newest first.
func EvidenceVersions(ctx context.Context, db *gorm.DB, documentID string) ([]EvidenceVersion, error) {
	out := []EvidenceVersion{}
	err := db.WithContext(ctx).Where("document_id = ?", documentID).Order("number DESC").Limit(MaxLimit).Find(&out).Error
	return out, err
}

// EvidenceVersionByNumber returns one version of a document.
func EvidenceVersionByNumber(ctx context.Context, db *gorm.DB, documentID string, number int64) (*EvidenceVersion, error) {
	var v EvidenceVersion
	if err := db.WithContext(ctx).Where("document_id = ? AND number = ?", documentID, number).Take(&v).Error; err != nil {
		return nil, translate(err)
	}
	return &v, nil
}

// UpdateEvidence applies set to the document's current version if the
// document is still at version, bumping the document's version.
func UpdateEvidence(ctx context.Context, db *gorm.DB, it *EvidenceItem, version int64, set map[string]any) (*EvidenceItem, error) {
	d, err := updateVersioned[EvidenceDocument](ctx, db, it.ID, version, map[string]any{}, true)
	if err != nil {
		if d != nil {
			cur, gerr := GetEvidence(ctx, db, it.VendorID, it.ID)
			if gerr == nil {
				return cur, err
			}
		}
		return nil, err
	}
	if len(set) > 0 {
		set["updated_at"] = time.Now().UTC()
		if err := db.WithContext(ctx).Model(&EvidenceVersion{}).Where("id = ?", it.Current.ID).Updates(set).Error; err != nil {
			return nil, err
		}
	}
	return GetEvidence(ctx, db, it.VendorID, it.ID)
}

// HeldEvidence is what a vendor holds of each kind, for scoring: kinds
// with an accepted current version valid on the day, and kinds whose
// accepted current versions have all expired.
type HeldEvidence struct {
	Current []string `json:"current"`
	Expired []string `json:"expired"`
	// SOCReview is the checklist of the vendor's newest SOC report, nil
	// when it has none.
	SOCReview *SOCReviewSummary `json:"soc_review,omitempty"`
}

// VendorHeldEvidence reads what a vendor holds on day (YYYY-MM-DD).
func VendorHeldEvidence(ctx context.Context, db *gorm.DB, vendorID, day string) (HeldEvidence, error) {
	var rows []struct {
		Kind, ExpiresOn string
	}
	err := db.WithContext(ctx).Table("evidence_documents AS d").Select("d.kind, v.expires_on").
		Joins("JOIN evidence_versions v ON v.document_id = d.id AND v.number = d.current_version").
		Where("d.vendor_id = ? AND v.status = ?", vendorID, "accepted").Scan(&rows).Error
	if err != nil {
		return HeldEvidence{}, err
	}
	h := HeldEvidence{Current: []string{}, Expired: []string{}}
	for _, r := range rows {
		h.add(r.Kind, r.ExpiresOn, day)
	}
	reviews, err := SOCReviewSummaries(ctx, db, []string{vendorID})
	if err != nil {
		return HeldEvidence{}, err
	}
	h.SOCReview = reviews[vendorID]
	return h, nil
}

// add counts one accepted current version of kind expiring on expires
// ("" never): a kind held current anywhere is not expired.
func (h *HeldEvidence) add(kind, expires, day string) {
	if expires == "" || expires >= day {
		if !slices.Contains(h.Current, kind) {
			h.Current = append(h.Current, kind)
		}
		h.Expired = slices.DeleteFunc(h.Expired, func(k string) bool { return k == kind })
	} else if !slices.Contains(h.Current, kind) && !slices.Contains(h.Expired, kind) {
		h.Expired = append(h.Expired, kind)
	}
}

// ExpiringEvidence is an accepted current version expiring in a window.
type ExpiringEvidence struct {
	DocumentID, VendorID, Kind, Title string
	VersionID                         string
	Number                            int64
	ExpiresOn                         string
}

// EvidenceExpiring lists accepted current versions expiring from..to
// (inclusive), of current vendors.
func EvidenceExpiring(ctx context.Context, db *gorm.DB, from, to string) ([]ExpiringEvidence, error) {
	out := []ExpiringEvidence{}
	err := db.WithContext(ctx).Table("evidence_versions AS v").
		Select("d.id AS document_id, d.vendor_id, d.kind, d.title, v.id AS version_id, v.number, v.expires_on").
		Joins("JOIN evidence_documents d ON d.id = v.document_id AND d.current_version = v.number").
		Joins("JOIN vendors ven ON ven.id = d.vendor_id AND ven.archived_at IS NULL").
		Where("v.status = ? AND v.expires_on <> '' AND v.expires_on >= ? AND v.expires_on <= ?", "accepted", from, to).
		Order("v.expires_on, d.id").Limit(MaxLimit * 10).Scan(&out).Error
	return out, err
}

// SetEvidenceGaps stores the number of required kinds a vendor misses.
func SetEvidenceGaps(ctx context.Context, db *gorm.DB, vendorID string, n int64) error {
	return db.WithContext(ctx).Model(&Vendor{}).Where("id = ? AND evidence_gaps <> ?", vendorID, n).Update("evidence_gaps", n).Error
}
