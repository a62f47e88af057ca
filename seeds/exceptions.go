package seeds

import (
	"context"
	"time"

	"gorm.io/gorm"

	"rampart/models"
)

// seedExceptions accepts some of the demo findings' risk: one approved and
// expiring within weeks, two waiting for a decision (one asked by the risk
// manager, which only the admin may decide, one asked by the admin), one
// rejected and one vendor-wide exception that has expired.
func seedExceptions(ctx context.Context, tx *gorm.DB, riskManager, admin *models.User, now time.Time) error {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	day := func(d int) string { return today.AddDate(0, 0, d).Format(time.DateOnly) }
	specs := []struct {
		finding, status, justification, controls string
		requester, approver                      *models.User
		expires                                  string
		askedDaysAgo                             int
	}{
		{"Subprocessor list not published", "approved", "The vendor lists its subprocessors in the signed DPA annex; publication is promised for next quarter.",
			"DPA annex reviewed by legal", riskManager, admin, day(12), 30},
		{"Security awareness training not annual", "requested", "Training runs every 18 months; the vendor's phishing simulation results are good.",
			"Quarterly phishing simulations", riskManager, nil, day(180), 3},
		{"Penetration test older than 18 months", "requested", "A new test is booked for next month; the previous one found nothing above medium.",
			"Bug bounty programme", admin, nil, day(60), 1},
		{"Backups not restore-tested", "rejected", "Restores are tested informally.", "", riskManager, admin, day(90), 14},
	}
	for _, s := range specs {
		var f models.Finding
		if err := tx.WithContext(ctx).Where("title = ?", s.finding).Take(&f).Error; err != nil {
			return err
		}
		e := &models.RiskException{VendorID: f.VendorID, FindingID: &f.ID, Justification: s.justification, CompensatingControls: s.controls,
			Status: s.status, RequestedBy: s.requester.ID, ExpiresOn: s.expires}
		e.CreatedAt = now.AddDate(0, 0, -s.askedDaysAgo)
		e.UpdatedAt = e.CreatedAt
		if s.approver != nil {
			decided := e.CreatedAt.Add(26 * time.Hour)
			e.ApproverID, e.DecidedAt = &s.approver.ID, &decided
		}
		if err := models.CreateException(ctx, tx, e); err != nil {
			return err
		}
		if s.status == "approved" {
			if err := tx.WithContext(ctx).Model(&models.Finding{}).Where("id = ?", f.ID).Update("status", "risk_accepted").Error; err != nil {
				return err
			}
		}
	}
	// A vendor-wide acceptance that ran out.
	var v models.Vendor
	if err := tx.WithContext(ctx).Where("archived_at IS NULL").Order("name").Offset(3).Take(&v).Error; err != nil {
		return err
	}
	asked := now.AddDate(0, -7, 0)
	decided := asked.Add(24 * time.Hour)
	e := &models.RiskException{VendorID: v.ID, Justification: "Accepted while the replacement was chosen.",
		Status: "expired", RequestedBy: riskManager.ID, ApproverID: &admin.ID, DecidedAt: &decided, ExpiresOn: day(-20)}
	e.CreatedAt, e.UpdatedAt = asked, asked
	return models.CreateException(ctx, tx, e)
}
