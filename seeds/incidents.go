package seeds

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/incidents"
	"rampart/models"
)

// demoIncidents records two incidents at the first demo vendor, whose data
// processing agreement has its 72-hour breach_notification term confirmed:
// an open high-severity breach the vendor told us of 96 hours after it
// became aware (so the late-notice flag shows, with the clause), with a
// timeline, and a resolved outage. It runs after the contract documents'
// terms are confirmed, through the service the API uses.
func demoIncidents(ctx context.Context, db *gorm.DB) error {
	risk, err := models.UserByEmail(ctx, db, "risk@example.com")
	if err != nil {
		return fmt.Errorf("demo incidents: %w", err)
	}
	var vendorIDs []string
	if err := db.WithContext(ctx).Model(&models.Contract{}).Distinct("vendor_id").Order("vendor_id").Pluck("vendor_id", &vendorIDs).Error; err != nil {
		return err
	}
	if len(vendorIDs) == 0 {
		return nil
	}
	p := &auth.Principal{User: risk}
	o := auth.Origin{RequestID: "demo-seed"}
	svc := &incidents.Service{DB: db}
	now := time.Now().UTC().Truncate(time.Hour)
	ts := func(t time.Time) string { return t.Format(time.RFC3339) }
	records := int64(18400)
	aware := now.Add(-9 * 24 * time.Hour)
	breach, err := svc.Create(ctx, p, incidents.New{VendorID: vendorIDs[0], Title: "Customer contact records exposed through a misconfigured storage bucket",
		Description: "A storage bucket holding support-ticket exports was publicly readable for eleven days.", Kind: "breach", Severity: "high",
		OccurredAt: ts(aware.Add(-11 * 24 * time.Hour)), DetectedAt: ts(aware), NotifiedAt: ts(aware.Add(96 * time.Hour)),
		ReportedBy: "Vendor security team (security@vendor.example)", AffectedServices: []string{"Support portal", "Ticket export"},
		DataTypes: []string{"personal_data", "customer_data"}, RecordsAffected: &records,
		OurActions: "Asked for the access logs and the list of affected customers; rotated the integration credentials."}, o)
	if err != nil {
		return fmt.Errorf("demo incident: %w", err)
	}
	for _, n := range []struct {
		at   time.Time
		text string
	}{
		{aware.Add(96 * time.Hour), "Vendor emailed the security team: bucket closed, investigation under way."},
		{aware.Add(100 * time.Hour), "Integration credentials rotated; requested access logs for the exposure window."},
		{aware.Add(7 * 24 * time.Hour), "Vendor sent a preliminary report: 18,400 contact records, no payment data."},
	} {
		if _, err := svc.AddNote(ctx, p, breach.ID, n.text, ts(n.at), o); err != nil {
			return err
		}
	}
	outage, err := svc.Create(ctx, p, incidents.New{VendorID: vendorIDs[0], Title: "Service outage in the EU region",
		Kind: "outage", Severity: "medium", OccurredAt: ts(now.Add(-60 * 24 * time.Hour)), NotifiedAt: ts(now.Add(-60*24*time.Hour + 2*time.Hour)),
		ReportedBy: "Vendor status page", AffectedServices: []string{"API"}, OurActions: "Switched the nightly sync to retry."}, o)
	if err != nil {
		return err
	}
	resolved := "resolved"
	_, err = svc.Update(ctx, p, outage.ID, outage.Version, incidents.Changes{Status: &resolved}, o)
	return err
}
