package models

import (
	"context"
	"slices"
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
	// MonthLast marks the vendor's last score of its UTC month, so the
	// dashboard's trend reads one row per vendor and month (migration
	// 00037). Write history only through AppendRiskHistory or
	// AppendRiskHistoryBulk, which keep it.
	MonthLast bool `gorm:"not null"`
}

// TableName keeps the history table's name explicit.
func (VendorRiskHistory) TableName() string { return "vendor_risk_history" }

// monthOf returns the first instant of t's UTC month and of the next.
func monthOf(t time.Time) (from, to time.Time) {
	y, m, _ := t.UTC().Date()
	from = time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	return from, from.AddDate(0, 1, 0)
}

// AppendRiskHistory stores h as its vendor's newest score (stamped now
// unless set) and moves the month's month_last mark to it. Run it after
// the vendor row's update in the same transaction: that row lock makes a
// concurrent scoring of the same vendor wait, so its unmarking sees this
// row and the month keeps exactly one mark.
func AppendRiskHistory(ctx context.Context, tx *gorm.DB, h *VendorRiskHistory) error {
	stamp(h, time.Now())
	from, to := monthOf(h.CreatedAt)
	tx = tx.WithContext(ctx)
	err := tx.Model(&VendorRiskHistory{}).
		Where("vendor_id = ? AND month_last AND created_at >= ? AND created_at < ?", h.VendorID, from, to).
		Update("month_last", false).Error
	if err != nil {
		return err
	}
	h.MonthLast = true
	return tx.Create(h).Error
}

// AppendRiskHistoryBulk is AppendRiskHistory for many rows at once (vendor
// import): each row must be newer than its vendor's stored history.
func AppendRiskHistoryBulk(ctx context.Context, tx *gorm.DB, rows []VendorRiskHistory) error {
	now := time.Now()
	for i := range rows {
		stamp(&rows[i], now)
	}
	MarkMonthLast(rows)
	byMonth := map[time.Time][]string{}
	for _, h := range rows {
		if h.MonthLast {
			from, _ := monthOf(h.CreatedAt)
			byMonth[from] = append(byMonth[from], h.VendorID)
		}
	}
	tx = tx.WithContext(ctx)
	for from, ids := range byMonth {
		for part := range slices.Chunk(ids, boundParams(tx)-2) {
			err := tx.Model(&VendorRiskHistory{}).
				Where("vendor_id IN ? AND month_last AND created_at >= ? AND created_at < ?", part, from, from.AddDate(0, 1, 0)).
				Update("month_last", false).Error
			if err != nil {
				return err
			}
		}
	}
	return InsertBulk(ctx, tx, rows)
}

// MarkMonthLast sets MonthLast on the last row (by time, then id) of each
// vendor and month among rows and clears it on the others. Generators of
// new vendors' history (demo data at scale) call it alone: those vendors
// have no stored rows to unmark.
func MarkMonthLast(rows []VendorRiskHistory) {
	type key struct {
		vendor string
		month  time.Time
	}
	last := map[key]int{}
	for i := range rows {
		h := &rows[i]
		h.MonthLast = false
		from, _ := monthOf(h.CreatedAt)
		k := key{h.VendorID, from}
		j, ok := last[k]
		if !ok || h.CreatedAt.After(rows[j].CreatedAt) || (h.CreatedAt.Equal(rows[j].CreatedAt) && h.ID > rows[j].ID) {
			last[k] = i
		}
	}
	for _, i := range last {
		rows[i].MonthLast = true
	}
}

// stamp gives h its id (so MarkMonthLast can break ties as LatestRisk
// does) and its times in UTC, which the month bounds and SQLite's text
// comparison of stored times both assume.
func stamp(h *VendorRiskHistory, now time.Time) {
	if h.ID == "" {
		h.ID = NewID()
	}
	if h.CreatedAt.IsZero() {
		h.CreatedAt = now
	}
	h.CreatedAt = h.CreatedAt.UTC()
	if h.UpdatedAt.IsZero() {
		h.UpdatedAt = h.CreatedAt
	}
	h.UpdatedAt = h.UpdatedAt.UTC()
}

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
