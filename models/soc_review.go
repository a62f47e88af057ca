package models

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// SOCReview is the review checklist of one evidence version read as a SOC
// 1/SOC 2 report.
type SOCReview struct {
	Base
	VendorID    string     `gorm:"not null"`
	DocumentID  string     `gorm:"not null"`
	VersionID   string     `gorm:"not null"`
	Framework   string     `gorm:"not null;default:''"`
	Status      string     `gorm:"not null;default:'open'"`
	Outcome     string     `gorm:"not null;default:''"`
	Summary     string     `gorm:"not null;default:'{}'"`
	CompletedBy *string    ``
	CompletedAt *time.Time ``
	Version     int64      `gorm:"not null;default:1"`
}

// SOCReviewItem is one item of a checklist.
type SOCReviewItem struct {
	Base
	ReviewID         string     `gorm:"not null"`
	Position         int64      `gorm:"not null"`
	Kind             string     `gorm:"not null"`
	RefIndex         int64      `gorm:"not null;default:-1"`
	Label            string     `gorm:"not null;default:''"`
	Control          string     `gorm:"not null;default:''"`
	Method           string     `gorm:"not null;default:''"`
	Quote            string     `gorm:"not null;default:''"`
	Page             int64      `gorm:"not null;default:0"`
	Proposed         string     `gorm:"not null;default:''"`
	Decision         string     `gorm:"not null;default:''"`
	Reason           string     `gorm:"not null;default:''"`
	OwnerID          *string    ``
	ControlRef       string     `gorm:"not null;default:''"`
	FindingID        *string    ``
	LinkedVendorID   *string    ``
	BridgeDocumentID *string    ``
	DecidedBy        *string    ``
	DecidedAt        *time.Time ``
	Version          int64      `gorm:"not null;default:1"`
}

// SOCReviewSummary counts a checklist's decisions; it is stored on the
// review so scoring and the vendor report read one row.
type SOCReviewSummary struct {
	Framework          string `json:"framework"`
	Status             string `json:"status"`
	Total              int    `json:"total" description:"items that need a decision"`
	Decided            int    `json:"decided"`
	Opinion            string `json:"opinion" description:"unqualified, qualified, adverse, disclaimer; empty when none was read"`
	OpinionDecision    string `json:"opinion_decision"`
	PeriodDecision     string `json:"period_decision"`
	Exceptions         int    `json:"exceptions"`
	ExceptionsAccepted int    `json:"exceptions_accepted"`
	ExceptionFindings  int    `json:"exception_findings"`
	CUECs              int    `json:"cuecs"`
	CUECsMapped        int    `json:"cuecs_mapped"`
	CUECsNotApplicable int    `json:"cuecs_not_applicable"`
	CarveOuts          int    `json:"carve_outs"`
	CarveOutsLinked    int    `json:"carve_outs_linked"`
	CarveOutsFlagged   int    `json:"carve_outs_flagged"`
	Findings           int    `json:"findings" description:"items turned into findings, of every kind"`
}

// CreateSOCReview stores a checklist with its items; a second one for the
// same version is ErrConflict (the unique index).
func CreateSOCReview(ctx context.Context, db *gorm.DB, r *SOCReview, items []SOCReviewItem) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(r).Error; err != nil {
			return translate(err)
		}
		for i := range items {
			items[i].ReviewID, items[i].Position = r.ID, int64(i+1)
			if items[i].Version == 0 {
				items[i].Version = 1
			}
		}
		if len(items) == 0 {
			return nil
		}
		return tx.Create(&items).Error
	})
}

// SOCReviewOfVersion returns the checklist of an evidence version.
func SOCReviewOfVersion(ctx context.Context, db *gorm.DB, versionID string) (*SOCReview, error) {
	var r SOCReview
	if err := db.WithContext(ctx).Where("version_id = ?", versionID).Take(&r).Error; err != nil {
		return nil, translate(err)
	}
	return &r, nil
}

// SOCReviewItems lists a checklist's items in order.
func SOCReviewItems(ctx context.Context, db *gorm.DB, reviewID string) ([]SOCReviewItem, error) {
	out := []SOCReviewItem{}
	err := db.WithContext(ctx).Where("review_id = ?", reviewID).Order("position").Find(&out).Error
	return out, err
}

// UpdateSOCReview applies set if the checklist is still at version (0:
// any), bumping its version.
func UpdateSOCReview(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*SOCReview, error) {
	return updateVersioned[SOCReview](ctx, db, id, version, set, true)
}

// UpdateSOCReviewItem applies set if the item is still at version.
func UpdateSOCReviewItem(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*SOCReviewItem, error) {
	return updateVersioned[SOCReviewItem](ctx, db, id, version, set, true)
}

// SOCReviewSummaries returns, per vendor, the summary of the checklist
// of its newest SOC report: the current version of its most recently
// created document that has a checklist. Vendors without one are absent.
func SOCReviewSummaries(ctx context.Context, db *gorm.DB, vendorIDs []string) (map[string]*SOCReviewSummary, error) {
	out := map[string]*SOCReviewSummary{}
	if len(vendorIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		VendorID, Summary string
	}
	err := db.WithContext(ctx).Table("soc_reviews AS r").Select("r.vendor_id, r.summary").
		Joins("JOIN evidence_versions v ON v.id = r.version_id").
		Joins("JOIN evidence_documents d ON d.id = v.document_id AND d.current_version = v.number").
		Where("r.vendor_id IN ?", vendorIDs).Order("d.created_at, d.id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, row := range rows {
		var s SOCReviewSummary
		if json.Unmarshal([]byte(row.Summary), &s) == nil {
			out[row.VendorID] = &s // ordered oldest first: the newest document wins
		}
	}
	return out, nil
}

// TableName keeps the table's name explicit.
func (SOCReview) TableName() string { return "soc_reviews" }

// TableName keeps the table's name explicit.
func (SOCReviewItem) TableName() string { return "soc_review_items" }

// LatestSOCReview returns the checklist of the vendor's newest SOC report
// (the current version of its most recently created document that has
// one), nil when it has none.
func LatestSOCReview(ctx context.Context, db *gorm.DB, vendorID string) (*SOCReview, error) {
	var rs []SOCReview
	err := db.WithContext(ctx).Table("soc_reviews AS r").Select("r.*").
		Joins("JOIN evidence_versions v ON v.id = r.version_id").
		Joins("JOIN evidence_documents d ON d.id = v.document_id AND d.current_version = v.number").
		Where("r.vendor_id = ?", vendorID).Order("d.created_at DESC, d.id DESC").Limit(1).Find(&rs).Error
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return &rs[0], nil
}
