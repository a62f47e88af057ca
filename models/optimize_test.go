package models_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

// TestOptimizeLetsSQLiteSortByIndex fills a SQLite database as an import
// would, runs Optimize, and checks that every sort of the vendor list then
// walks an index in its order (column, id) instead of sorting: SQLite says
// "USE TEMP B-TREE FOR ORDER BY" when it sorts. PostgreSQL chooses by its
// own statistics; there the indexes are measured at 100,000 vendors by
// make bench (docs/benchmarks.md).
func TestOptimizeLetsSQLiteSortByIndex(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, models.SQLite)
	specs := seeds.GenerateVendors(2000, 7)
	recs := make([]models.VendorRecord, len(specs))
	for i := range specs {
		recs[i] = specs[i].Record
	}
	if err := models.InsertVendorsBulk(ctx, db.Gorm, recs); err != nil {
		t.Fatal(err)
	}
	if err := db.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	for key, col := range models.VendorSorts {
		for _, dir := range []string{"", " DESC"} {
			q := "EXPLAIN QUERY PLAN SELECT * FROM vendors WHERE archived_at IS NULL ORDER BY " + col.Column + dir + ", id" + dir + " LIMIT 51"
			rows, err := db.Gorm.WithContext(ctx).Raw(q).Rows()
			if err != nil {
				t.Fatal(err)
			}
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			rows.Close()
			if p := strings.Join(plan, "; "); strings.Contains(p, "TEMP B-TREE") || !strings.Contains(p, "INDEX") {
				t.Errorf("sort %s%s sorts instead of reading an index: %s", key, dir, p)
			}
		}
	}
}

// TestVendorTablesVacuumOften checks that PostgreSQL vacuums the vendor
// tables after 1% of their rows change, which keeps the visibility map
// current for the lists' index-only counts (migration 00022).
func TestVendorTablesVacuumOften(t *testing.T) {
	db := testdb.Open(t, models.Postgres)
	for _, table := range []string{"vendors", "vendor_tags", "vendor_data_types"} {
		var opts []string
		err := db.Gorm.Raw("SELECT unnest(reloptions) FROM pg_class WHERE oid = to_regclass(?)", table).Scan(&opts).Error
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(opts, "autovacuum_vacuum_scale_factor=0.01") || !slices.Contains(opts, "autovacuum_vacuum_insert_scale_factor=0.01") {
			t.Errorf("%s: reloptions %v", table, opts)
		}
	}
}
