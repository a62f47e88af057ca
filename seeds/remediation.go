package seeds

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/evidence"
	"rampart/app/findings"
	"rampart/app/storage"
	"rampart/models"
)

// demoRemediation shares the oldest open high-severity finding that has an
// owner with its vendor's contact, as the owner, through the services the
// API uses: the vendor proposed a plan and posted one progress update with
// a file, and the plan waits for the owner's decision. It also leaves one
// open evidence request: the third demo evidence vendor's missing SOC 2
// report, asked of its contact, due in ten days.
func demoRemediation(ctx context.Context, db *gorm.DB, files storage.Store) error {
	var f models.Finding
	err := db.WithContext(ctx).Where("status = ? AND severity = ? AND owner_id IS NOT NULL", "open", "high").Order("created_at, id").Limit(1).Find(&f).Error
	if err != nil || f.ID == "" {
		return err
	}
	owner, err := models.UserByID(ctx, db, *f.OwnerID)
	if err != nil {
		return fmt.Errorf("demo remediation: %w", err)
	}
	v, err := models.GetVendor(ctx, db, f.VendorID)
	if err != nil {
		return err
	}
	contact := contactOf(v)
	p, o := &auth.Principal{User: owner}, auth.Origin{RequestID: "demo-seed"}
	svc := &findings.Service{DB: db, BaseURL: "http://localhost:8080"}
	_, _, token, err := svc.Share(ctx, p, f.ID, contact,
		"Please send us your remediation plan with a target date, and post progress here as the work goes on.", 0, o)
	if err != nil {
		return fmt.Errorf("demo remediation: %w", err)
	}
	target := time.Now().UTC().AddDate(0, 0, 45).Format(time.DateOnly)
	if _, err := svc.ProposePlan(ctx, token, "1. Enable the control for every production account this sprint.\n"+
		"2. Add an automated check to our release pipeline.\n3. Send you the configuration export as evidence.", target, o); err != nil {
		return err
	}
	report := []byte("Configuration export, production tenant\n\nControl enabled for 42 of 57 accounts; the rest follow in the next release.\n\n" +
		"Demo document written for Rampart's sample data.\n")
	if _, err := svc.PostProgress(ctx, files, token, "Enabled for 42 of 57 accounts so far; export attached.", false,
		&findings.Upload{Name: "config-export.txt", Body: strings.NewReader(string(report))}, o); err != nil {
		return err
	}
	return demoEvidenceRequest(ctx, db)
}

func contactOf(v *models.VendorRecord) string {
	for _, c := range v.Contacts {
		if c.Email != "" {
			return c.Email
		}
	}
	return "security@" + strings.ToLower(strings.Join(strings.Fields(v.Name), "")) + ".example"
}

func demoEvidenceRequest(ctx context.Context, db *gorm.DB) error {
	rm, err := models.UserByEmail(ctx, db, "risk@example.com")
	if err != nil {
		return err
	}
	var ids []string
	if err := db.WithContext(ctx).Model(&models.Vendor{}).Where("archived_at IS NULL AND tier IN ?", []int{1, 2}).
		Order("tier, name").Limit(3).Pluck("id", &ids).Error; err != nil || len(ids) < 3 {
		return err
	}
	v, err := models.GetVendor(ctx, db, ids[2])
	if err != nil {
		return err
	}
	svc := &evidence.Service{DB: db, BaseURL: "http://localhost:8080"}
	_, _, err = svc.Request(ctx, &auth.Principal{User: rm}, v.ID, "soc2_type2", contactOf(v), time.Now().UTC().AddDate(0, 0, 10).Format(time.DateOnly),
		"Your current SOC 2 Type II report, please: our copy is missing. A bridge letter is welcome if the next report is not out yet.", auth.Origin{RequestID: "demo-seed"})
	return err
}
