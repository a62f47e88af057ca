package models_test

import (
	"context"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
)

// TestOnePendingExceptionMigration: duplicate pending requests left by
// earlier versions are closed, oldest kept, before the index that forbids
// them is built; other findings' requests and decided ones are untouched.
func TestOnePendingExceptionMigration(t *testing.T) {
	for _, d := range []models.Dialect{models.SQLite, models.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := testdb.OpenEmpty(t, d)
			if err := db.MigrateUpTo(ctx, 35); err != nil {
				t.Fatal(err)
			}
			g := db.Gorm
			u := &models.User{Email: "r@corp.test", Name: "R", Role: models.RoleRiskManager, Active: true, PasswordHash: "x"}
			v := &models.Vendor{Name: "V", Status: "active"}
			// The schema is at 35: leave out the columns later migrations add.
			must(t, g.Omit(laterUserColumns...).Create(u).Error, g.Omit(append([]string{"override_tier", "override_until", "override_reason", "override_by", "override_at", "evidence_gaps"}, laterVendorColumns...)...).Create(v).Error)
			f1 := &models.Finding{VendorID: v.ID, Title: "A", Severity: "low", Source: "manual", Status: "open", Version: 1}
			f2 := &models.Finding{VendorID: v.ID, Title: "B", Severity: "low", Source: "manual", Status: "open", Version: 1}
			must(t, g.Create(f1).Error, g.Create(f2).Error)
			ex := func(f *models.Finding, status string) *models.RiskException {
				e := &models.RiskException{VendorID: v.ID, FindingID: &f.ID, Justification: "j", Status: status, RequestedBy: u.ID, ExpiresOn: "2030-01-01", Version: 1}
				must(t, g.Create(e).Error)
				time.Sleep(2 * time.Millisecond)
				return e
			}
			approved, first, second, third, other := ex(f1, "approved"), ex(f1, "requested"), ex(f1, "requested"), ex(f1, "requested"), ex(f2, "requested")
			if _, err := db.Migrate(ctx, quiet); err != nil {
				t.Fatal(err)
			}
			want := map[string]string{approved.ID: "approved", first.ID: "requested", second.ID: "rejected", third.ID: "rejected", other.ID: "requested"}
			for id, status := range want {
				got, err := models.GetException(ctx, g, id)
				if err != nil || got.Status != status {
					t.Errorf("%s: %v %v, want %s", id, got, err, status)
				}
			}
		})
	}
}

func must(t *testing.T, errs ...error) {
	t.Helper()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}
