package models_test

import (
	"context"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
)

// TestEvidenceMigration: vendors that exist before 00041 keep their rows
// with no evidence gaps (scoring sets them on the next rescore), the list
// filter reads the new column, and a document's versions come back with
// what the vendor holds on a day.
func TestEvidenceMigration(t *testing.T) {
	for _, d := range []models.Dialect{models.SQLite, models.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := testdb.OpenEmpty(t, d)
			if err := db.MigrateUpTo(ctx, 40); err != nil {
				t.Fatal(err)
			}
			g := db.Gorm
			u := &models.User{Email: "r@corp.test", Name: "R", Role: models.RoleRiskManager, Active: true, PasswordHash: "x"}
			v := &models.Vendor{Name: "V", Status: "active", Category: "saas"}
			must(t, g.Omit(laterUserColumns...).Create(u).Error, g.Omit(append([]string{"evidence_gaps"}, laterVendorColumns...)...).Create(v).Error)
			if _, err := db.Migrate(ctx, quiet); err != nil {
				t.Fatal(err)
			}
			got, err := models.GetVendor(ctx, g, v.ID)
			if err != nil || got.EvidenceGaps != 0 || got.Name != "V" {
				t.Fatalf("vendor after migration: %+v %v", got, err)
			}
			must(t, models.SetEvidenceGaps(ctx, g, v.ID, 2))
			p, err := models.ListVendors(ctx, g, models.VendorFilter{EvidenceGaps: true, Limit: 10, Today: time.Now()})
			if err != nil || p.Total != 1 {
				t.Fatalf("evidence gaps filter: %+v %v", p, err)
			}
			doc := &models.EvidenceDocument{VendorID: v.ID, Kind: "iso27001", Title: "ISO"}
			v1 := &models.EvidenceVersion{Filename: "a.pdf", ContentType: "application/pdf", Sha256: "s", StorageKey: "k", ExpiresOn: "2026-06-30", Status: "accepted", UploadedBy: u.ID}
			must(t, models.CreateEvidence(ctx, g, doc, v1))
			held, err := models.VendorHeldEvidence(ctx, g, v.ID, "2026-06-30")
			if err != nil || len(held.Current) != 1 || len(held.Expired) != 0 {
				t.Fatalf("held on the expiry day: %+v %v", held, err)
			}
			if held, _ = models.VendorHeldEvidence(ctx, g, v.ID, "2026-07-01"); len(held.Expired) != 1 || len(held.Current) != 0 {
				t.Fatalf("held the day after: %+v", held)
			}
			// A new version not yet reviewed: the kind is no longer held.
			v2 := &models.EvidenceVersion{Filename: "b.pdf", ContentType: "application/pdf", Sha256: "t", StorageKey: "k2", Status: "received", UploadedBy: u.ID}
			if _, err := models.AddEvidenceVersion(ctx, g, doc, 1, v2); err != nil || v2.Number != 2 {
				t.Fatalf("second version: %d %v", v2.Number, err)
			}
			if held, _ = models.VendorHeldEvidence(ctx, g, v.ID, "2026-01-01"); len(held.Current)+len(held.Expired) != 0 {
				t.Fatalf("held with an unreviewed current version: %+v", held)
			}
		})
	}
}
