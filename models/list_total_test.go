package models_test

import (
	"context"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

// TestListTotalCountedOncePerFilter: the first page counts the list, the
// pages after it carry that count in their cursor instead of counting
// again, and a cursor sent with another filter is counted afresh.
func TestListTotalCountedOncePerFilter(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		insert := func(n int, seed uint64) {
			specs := seeds.GenerateVendors(n, seed)
			recs := make([]models.VendorRecord, n)
			for i := range specs {
				recs[i] = specs[i].Record
			}
			if err := models.InsertVendorsBulk(ctx, db.Gorm, recs); err != nil {
				t.Fatal(err)
			}
		}
		insert(30, 1)
		first, err := models.ListVendors(ctx, db.Gorm, models.VendorFilter{Limit: 10})
		if err != nil || first.Total != 30 || first.NextCursor == "" {
			t.Fatalf("first page: total %d, cursor %q, %v", first.Total, first.NextCursor, err)
		}
		insert(5, 2) // after the count: a carried total does not see them
		second, err := models.ListVendors(ctx, db.Gorm, models.VendorFilter{Limit: 10, Cursor: first.NextCursor})
		if err != nil || second.Total != 30 || len(second.Items) != 10 {
			t.Fatalf("second page: total %d (want the first page's 30, carried), %d items, %v", second.Total, len(second.Items), err)
		}
		again, err := models.ListVendors(ctx, db.Gorm, models.VendorFilter{Limit: 10})
		if err != nil || again.Total != 35 {
			t.Fatalf("first page again: total %d, want 35 counted afresh (%v)", again.Total, err)
		}
		var active int64
		db.Gorm.Model(&models.Vendor{}).Where("status = ? AND archived_at IS NULL", "active").Count(&active)
		other, err := models.ListVendors(ctx, db.Gorm, models.VendorFilter{Limit: 10, Statuses: []string{"active"}, Cursor: first.NextCursor})
		if err != nil || other.Total != active || active == 35 {
			t.Fatalf("a cursor with another filter: total %d, want %d active vendors counted (%v)", other.Total, active, err)
		}
	})
}
