package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// RiskModel is one version of the scoring model.
type RiskModel struct {
	Base
	Version     int64      `gorm:"not null"`
	Status      string     `gorm:"not null"`
	Content     string     `gorm:"not null"`
	CreatedBy   *string    ``
	PublishedAt *time.Time ``
}

// VendorRiskHistory is one change of a vendor's scores and why.
type VendorRiskHistory struct {
	Base
	VendorID      string `gorm:"not null"`
	ModelVersion  int64  `gorm:"not null"`
	InherentScore int64  `gorm:"not null"`
	Tier          int64  `gorm:"not null"`
	ResidualScore int64  `gorm:"not null"`
	Likelihood    int64  `gorm:"not null"`
	Impact        int64  `gorm:"not null"`
	Factors       string `gorm:"not null"`
	Inputs        string `gorm:"not null"`
	Cause         string `gorm:"not null"`
	Changes       string `gorm:"not null"`
}

// TableName keeps the history table's name explicit.
func (VendorRiskHistory) TableName() string { return "vendor_risk_history" }

// PublishedRiskModel returns the model in force.
func PublishedRiskModel(ctx context.Context, db *gorm.DB) (*RiskModel, error) {
	var m RiskModel
	err := db.WithContext(ctx).Where("status = ?", "published").Order("version DESC").Take(&m).Error
	if err != nil {
		return nil, translate(err)
	}
	return &m, nil
}

// InstallRiskModel stores a model version as published unless any model
// exists yet; it reports whether it did.
func InstallRiskModel(ctx context.Context, db *gorm.DB, version int64, content string) (bool, error) {
	var n int64
	if err := db.WithContext(ctx).Model(&RiskModel{}).Count(&n).Error; err != nil || n > 0 {
		return false, err
	}
	now := time.Now().UTC()
	return true, db.WithContext(ctx).Create(&RiskModel{Version: version, Status: "published", Content: content, PublishedAt: &now}).Error
}

// LatestRisk returns a vendor's newest history entry, if any.
func LatestRisk(ctx context.Context, db *gorm.DB, vendorID string) (*VendorRiskHistory, error) {
	var h VendorRiskHistory
	err := db.WithContext(ctx).Where("vendor_id = ?", vendorID).Order("created_at DESC, id DESC").Limit(1).Find(&h).Error
	if err != nil || h.ID == "" {
		return nil, err
	}
	return &h, nil
}

// RiskHistory returns a vendor's score history, newest first.
func RiskHistory(ctx context.Context, db *gorm.DB, vendorID string, limit int) ([]VendorRiskHistory, error) {
	out := []VendorRiskHistory{}
	err := db.WithContext(ctx).Where("vendor_id = ?", vendorID).Order("created_at DESC, id DESC").Limit(clampLimit(limit)).Find(&out).Error
	return out, err
}

// SetVendorRisk stores a vendor's current scores (no version bump: scores
// are not a user's edit).
func SetVendorRisk(ctx context.Context, db *gorm.DB, vendorID string, h *VendorRiskHistory) error {
	return db.WithContext(ctx).Model(&Vendor{}).Where("id = ?", vendorID).Updates(map[string]any{
		"inherent_score": h.InherentScore, "tier": h.Tier, "residual_score": h.ResidualScore,
		"likelihood": h.Likelihood, "impact": h.Impact, "risk_model_version": h.ModelVersion,
	}).Error
}

// LatestCompleted returns a vendor's latest completed assessment, if any.
func LatestCompleted(ctx context.Context, db *gorm.DB, vendorID string) (*Assessment, error) {
	var a Assessment
	err := db.WithContext(ctx).Where("vendor_id = ? AND status = ?", vendorID, "completed").
		Order("completed_at DESC").Limit(1).Find(&a).Error
	if err != nil || a.ID == "" {
		return nil, err
	}
	return &a, nil
}

// SetNextReview stores when a vendor is next due for review.
func SetNextReview(ctx context.Context, db *gorm.DB, vendorID, on string) error {
	return db.WithContext(ctx).Model(&Vendor{}).Where("id = ?", vendorID).Update("next_review_on", on).Error
}
