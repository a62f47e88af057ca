package models_test

import (
	"context"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

// TestSubprocessorDetailsMigration: subprocessor links that exist before
// 00055 keep their vendor, name and purpose and read back with nothing
// recorded on what they handle or where (empty lists, not errors).
func TestSubprocessorDetailsMigration(t *testing.T) {
	for _, d := range []models.Dialect{models.SQLite, models.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := testdb.OpenEmpty(t, d)
			if err := db.MigrateUpTo(ctx, 54); err != nil {
				t.Fatal(err)
			}
			g := db.Gorm
			v := &models.Vendor{Name: "V", Status: "active", Category: "saas"}
			must(t, g.Omit(laterVendorColumns...).Create(v).Error)
			must(t, g.Exec(`INSERT INTO vendor_subprocessors (id, vendor_id, position, name, purpose, created_at, updated_at)
VALUES ('sp1', ?, 1, 'Nimbus', 'hosting', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, v.ID).Error)
			if _, err := db.Migrate(ctx, quiet); err != nil {
				t.Fatal(err)
			}
			rec, err := models.GetVendor(ctx, g, v.ID)
			if err != nil || len(rec.Subprocessors) != 1 {
				t.Fatalf("vendor after migration: %+v %v", rec, err)
			}
			sp := rec.Subprocessors[0]
			if sp.Name != "Nimbus" || sp.Purpose != "hosting" || sp.DataTypes == nil || len(sp.DataTypes) != 0 || sp.Locations == nil || len(sp.Locations) != 0 {
				t.Fatalf("link after migration: %+v", sp)
			}
		})
	}
}
