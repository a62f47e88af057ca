package seeds

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"rampart/app/contracts"
	"rampart/models"
)

// seedContractsAndFindings gives demo vendors contracts with renewals
// coming up (some cancel-by dates within weeks) and open findings, some
// overdue.
func seedContractsAndFindings(ctx context.Context, tx *gorm.DB, vendorIDs []string, owner *models.User, now time.Time) error {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	for i := 0; i < 16 && i < len(vendorIDs); i++ {
		start := contracts.AddMonths(today, -(i*3 + 8))
		c := &models.Contract{VendorID: vendorIDs[i], Title: "Master services agreement", Type: "msa", Status: "signed",
			EffectiveDate: start.Format(time.DateOnly), InitialTermMonths: 12, AutoRenewal: i%4 != 3, RenewalTermMonths: 12,
			NoticePeriod: int64([]int{30, 60, 90, 3}[i%4]), NoticeUnit: []string{"days", "days", "days", "months"}[i%4],
			Value: int64(12000 + i*2500), Currency: "EUR", OwnerID: &owner.ID}
		end := contracts.TermEnd(start, 12)
		c.EndDate = end.Format(time.DateOnly)
		cur, running := contracts.CurrentTerm(end, c.AutoRenewal, 12, today)
		c.CurrentTermEnd = cur.Format(time.DateOnly)
		if running && c.AutoRenewal {
			c.CancelBy = contracts.CancelBy(cur, contracts.Notice{N: int(c.NoticePeriod), Unit: c.NoticeUnit}).Format(time.DateOnly)
		}
		if !running {
			c.Status = "expired"
		}
		if err := models.CreateContract(ctx, tx, c); err != nil {
			return err
		}
		if i%3 == 0 {
			dpa := &models.Contract{VendorID: vendorIDs[i], ParentID: &c.ID, Title: "Data processing agreement", Type: "dpa", Status: "signed",
				EffectiveDate: c.EffectiveDate, EndDate: c.EndDate, CurrentTermEnd: c.CurrentTermEnd, CancelBy: c.CancelBy,
				AutoRenewal: c.AutoRenewal, RenewalTermMonths: 12, NoticePeriod: c.NoticePeriod, NoticeUnit: c.NoticeUnit, OwnerID: &owner.ID}
			if err := models.CreateContract(ctx, tx, dpa); err != nil {
				return err
			}
		}
	}
	titles := []struct{ title, severity string }{
		{"Administrators can sign in without MFA", "critical"}, {"Penetration test older than 18 months", "high"},
		{"No breach notification deadline in the DPA", "high"}, {"Backups not restore-tested", "medium"},
		{"Subprocessor list not published", "medium"}, {"Security awareness training not annual", "low"},
	}
	for i, t := range titles {
		created := today.AddDate(0, 0, -[]int{10, 45, 120, 20, 200, 5}[i])
		due := created.AddDate(0, 0, map[string]int{"critical": 30, "high": 60, "medium": 90, "low": 180}[t.severity])
		f := &models.Finding{VendorID: vendorIDs[i*2], Title: t.title, Severity: t.severity, Source: "manual",
			Status: []string{"open", "in_progress", "open", "open", "in_progress", "open"}[i], OwnerID: &owner.ID,
			DueDate: due.Format(time.DateOnly), Description: fmt.Sprintf("Raised during the %s review.", []string{"annual", "onboarding"}[i%2]),
			CreatedBy: &owner.ID}
		f.CreatedAt, f.UpdatedAt = created, created
		if err := models.CreateFinding(ctx, tx, f); err != nil {
			return err
		}
	}
	return nil
}
