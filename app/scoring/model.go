package scoring

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/risk"
	"rampart/models"
)

// TierChange is a vendor whose tier a model change would move.
type TierChange struct {
	VendorID string `json:"vendor_id"`
	Name     string `json:"name"`
	From     int64  `json:"from"`
	To       int    `json:"to"`
	Score    int    `json:"score"`
}

// Preview is what publishing a model would do.
type Preview struct {
	Vendors int          `json:"vendors"`
	Changes int          `json:"changes"`
	Sample  []TierChange `json:"sample"` // the first 200 changes, by name
}

// forEachVendor walks every current vendor in pages, with its lists.
func forEachVendor(ctx context.Context, db *gorm.DB, fn func(v *models.VendorRecord) error) error {
	f := models.VendorFilter{Sort: "name", Limit: models.MaxLimit}
	for {
		page, err := models.ListVendors(ctx, db, f)
		if err != nil {
			return err
		}
		for i := range page.Items {
			if err := fn(&page.Items[i]); err != nil {
				return err
			}
		}
		if page.NextCursor == "" {
			return nil
		}
		f.Cursor = page.NextCursor
	}
}

// PreviewModel reports which vendors would change tier under m, without
// changing anything.
func PreviewModel(ctx context.Context, db *gorm.DB, m *risk.Model) (*Preview, error) {
	if err := m.Validate(); err != nil {
		return nil, models.Invalid("model", err.Error())
	}
	p := &Preview{Sample: []TierChange{}}
	err := forEachVendor(ctx, db, func(v *models.VendorRecord) error {
		p.Vendors++
		in := m.Inherent(ProfileOf(v))
		if int64(in.Tier) != v.Tier {
			p.Changes++
			if len(p.Sample) < 200 {
				p.Sample = append(p.Sample, TierChange{VendorID: v.ID, Name: v.Name, From: v.Tier, To: in.Tier, Score: in.Score})
			}
		}
		return nil
	})
	return p, err
}

// PublishModel stores m as the next version, retires the previous one and
// rescores every vendor (cause model_change), all in one transaction.
func PublishModel(ctx context.Context, db *gorm.DB, p *auth.Principal, m *risk.Model, content []byte, o auth.Origin) (int64, int, error) {
	if err := m.Validate(); err != nil {
		return 0, 0, models.Invalid("model", err.Error())
	}
	var version int64
	rescored := 0
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := models.PublishedRiskModel(ctx, tx)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
		version = 1
		if cur != nil {
			version = cur.Version + 1
			if err := tx.Model(&models.RiskModel{}).Where("id = ?", cur.ID).Update("status", "retired").Error; err != nil {
				return err
			}
		}
		now := time.Now().UTC()
		if err := tx.Create(&models.RiskModel{Version: version, Status: "published", Content: string(content), CreatedBy: &p.User.ID, PublishedAt: &now}).Error; err != nil {
			return err
		}
		err = forEachVendor(ctx, tx, func(v *models.VendorRecord) error {
			h, err := Recompute(ctx, tx, v.ID, CauseModelChange)
			if h != nil {
				rescored++
			}
			return err
		})
		if err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "risk_model.publish", ObjectType: "risk_model",
			Detail: fmt.Sprintf("version %d; %d vendors rescored", version, rescored)})
	})
	return version, rescored, err
}
