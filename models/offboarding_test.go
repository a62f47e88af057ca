package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
)

// TestOffboardingMigration: vendors that exist before 00049 migrate
// untouched, an offboarding with its items is stored in order, and a
// vendor holds at most one open offboarding (the partial unique index), so
// two concurrent starts cannot both succeed; a cancelled one leaves room.
func TestOffboardingMigration(t *testing.T) {
	for _, d := range []models.Dialect{models.SQLite, models.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := testdb.OpenEmpty(t, d)
			if err := db.MigrateUpTo(ctx, 48); err != nil {
				t.Fatal(err)
			}
			g := db.Gorm
			u := &models.User{Email: "r@corp.test", Name: "R", Role: models.RoleRiskManager, Active: true, PasswordHash: "x"}
			v := &models.Vendor{Name: "V", Status: "active", Category: "saas"}
			must(t, g.Omit(laterUserColumns...).Create(u).Error, g.Omit(laterVendorColumns...).Create(v).Error)
			if _, err := db.Migrate(ctx, quiet); err != nil {
				t.Fatal(err)
			}
			if got, err := models.GetVendor(ctx, g, v.ID); err != nil || got.Status != "active" {
				t.Fatalf("vendor after migration: %+v %v", got, err)
			}
			if _, err := models.LatestOffboarding(ctx, g, v.ID); !errors.Is(err, models.ErrNotFound) {
				t.Fatalf("no offboarding yet: %v", err)
			}
			now := time.Now().UTC()
			ob := &models.Offboarding{VendorID: v.ID, Status: "open", PreviousStatus: "active", StartedBy: u.ID, StartedAt: now}
			items := []models.OffboardingItem{{Kind: "revoke_access", Title: "Revoke", Status: "open"}, {Kind: "sign_off", Title: "Sign off", Status: "open"}}
			must(t, models.CreateOffboarding(ctx, g, ob, items))
			got, err := models.OffboardingItems(ctx, g, ob.ID)
			if err != nil || len(got) != 2 || got[0].Position != 1 || got[1].Kind != "sign_off" || got[0].Version != 1 {
				t.Fatalf("items: %+v %v", got, err)
			}
			second := &models.Offboarding{VendorID: v.ID, Status: "open", PreviousStatus: "active", StartedBy: u.ID, StartedAt: now}
			if err := models.CreateOffboarding(ctx, g, second, nil); !errors.Is(err, models.ErrConflict) {
				t.Fatalf("second open offboarding: %v", err)
			}
			if _, err := models.UpdateOffboarding(ctx, g, ob.ID, 1, map[string]any{"status": "cancelled"}); err != nil {
				t.Fatal(err)
			}
			third := &models.Offboarding{VendorID: v.ID, Status: "open", PreviousStatus: "active", StartedBy: u.ID, StartedAt: now}
			must(t, models.CreateOffboarding(ctx, g, third, nil))
			if open, err := models.OpenOffboardingVendors(ctx, g, []string{v.ID, "other"}); err != nil || !open[v.ID] || len(open) != 1 {
				t.Fatalf("open vendors: %v %v", open, err)
			}
		})
	}
}
