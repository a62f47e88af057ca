package models_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

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

// TestListTotalCapped: a list counts its matches up to TotalCap and then
// says there are more, on its first page and on the pages its cursor
// leads to; a filter below the cap is counted exactly.
func TestListTotalCapped(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		specs := seeds.GenerateVendors(models.TotalCap+5, 7)
		recs := make([]models.VendorRecord, len(specs))
		for i := range specs {
			recs[i] = specs[i].Record
			recs[i].Category = "saas"
		}
		if err := models.InsertVendorsBulk(ctx, db.Gorm, recs); err != nil {
			t.Fatal(err)
		}
		// A filter the dashboard's tallies do not key is counted up to the cap.
		saas := models.VendorFilter{Limit: 50, Categories: []string{"saas"}}
		first, err := models.ListVendors(ctx, db.Gorm, saas)
		if err != nil || first.Total != models.TotalCap || !first.TotalCapped {
			t.Fatalf("first page: total %d, capped %v (%v); want %d and capped", first.Total, first.TotalCapped, err, models.TotalCap)
		}
		saas.Cursor = first.NextCursor
		next, err := models.ListVendors(ctx, db.Gorm, saas)
		if err != nil || next.Total != models.TotalCap || !next.TotalCapped {
			t.Fatalf("second page: total %d, capped %v (%v)", next.Total, next.TotalCapped, err)
		}
		// The whole register, and filters the tallies key, are exact at any size.
		for _, f := range []models.VendorFilter{{Limit: 50}, {Limit: 50, Likelihood: 0, Tiers: []int64{1, 2, 3, 4}}} {
			f.Today = time.Now().UTC()
			all, err := models.ListVendors(ctx, db.Gorm, f)
			if err != nil || all.Total != models.TotalCap+5 || all.TotalCapped {
				t.Fatalf("%+v: total %d, capped %v (%v); want %d exactly", f, all.Total, all.TotalCapped, err, models.TotalCap+5)
			}
			f.Cursor = all.NextCursor
			if next, err := models.ListVendors(ctx, db.Gorm, f); err != nil || next.Total != all.Total || next.TotalCapped {
				t.Fatalf("%+v, next page: total %d, capped %v (%v)", f, next.Total, next.TotalCapped, err)
			}
		}
		// A text search is counted exactly, past the cap: every generated website ends ".example".
		all, err := models.ListVendors(ctx, db.Gorm, models.VendorFilter{Limit: 50, Q: "example"})
		if err != nil || all.Total != models.TotalCap+5 || all.TotalCapped {
			t.Fatalf("search: total %d, capped %v (%v); want %d exactly", all.Total, all.TotalCapped, err, models.TotalCap+5)
		}
		var active int64
		db.Gorm.Model(&models.Vendor{}).Where("status = 'active' AND archived_at IS NULL").Count(&active)
		some, err := models.ListVendors(ctx, db.Gorm, models.VendorFilter{Limit: 50, Statuses: []string{"active"}})
		if err != nil || some.Total != active || some.TotalCapped || active == 0 || active >= models.TotalCap {
			t.Fatalf("active: total %d, capped %v, want %d exactly (%v)", some.Total, some.TotalCapped, active, err)
		}
	})
}

// TestVendorListStatements: a page of vendors reads its own rows, its
// count and everything shown beside them (owners, tags, data types,
// business units, custom values) in three statements run, whatever the page
// holds, and every one of those lists arrives in place.
func TestVendorListStatements(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		owner := &models.User{Email: "owner@corp.test", Name: "Olga Owner", Role: models.RoleRiskManager, Active: true}
		if err := models.CreateUser(ctx, db.Gorm, owner); err != nil {
			t.Fatal(err)
		}
		unit := &models.BusinessUnit{Name: "Retail"}
		if err := models.CreateBusinessUnit(ctx, db.Gorm, unit); err != nil {
			t.Fatal(err)
		}
		num := models.CustomField{EntityType: "vendor", Key: "po", Label: "PO", Type: models.CustomNumber}
		multi := models.CustomField{EntityType: "vendor", Key: "regions", Label: "Regions", Type: models.CustomMultiple, Options: models.StringList{"eu", "us"}}
		for _, f := range []*models.CustomField{&num, &multi} {
			if err := models.CreateCustomField(ctx, db.Gorm, f); err != nil {
				t.Fatal(err)
			}
		}
		specs := seeds.GenerateVendors(12, 3)
		recs := make([]models.VendorRecord, len(specs))
		for i := range specs {
			recs[i] = specs[i].Record
			recs[i].OwnerID = &owner.ID
			recs[i].Tags, recs[i].DataTypes = []string{"b-tag", "a-tag"}, []string{"personal_data"}
		}
		if err := models.InsertVendorsBulk(ctx, db.Gorm, recs); err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if err := models.SetUnits(ctx, db.Gorm, models.UnitVendor, r.ID, []string{unit.ID}); err != nil {
				t.Fatal(err)
			}
			if err := models.SaveCustomValues(ctx, db.Gorm, "vendor", r.ID, []models.CustomField{num, multi}, models.CustomValues{"po": 42.5, "regions": []string{"us", "eu"}}); err != nil {
				t.Fatal(err)
			}
		}
		l := &countingLogger{Interface: logger.Discard}
		page, err := models.ListVendors(ctx, db.Gorm.Session(&gorm.Session{Logger: l}), models.VendorFilter{Limit: 10})
		if err != nil || len(page.Items) != 10 {
			t.Fatalf("%d vendors, %v", len(page.Items), err)
		}
		// Four traces: the filter's digest (built, not run), the count, the
		// page, and what is shown beside it.
		if n := l.n.Load(); n != 4 {
			t.Errorf("%d statements for a page of 10 vendors, want 4 (digest, count, page, what is shown beside them)", n)
		}
		for _, r := range page.Items {
			if r.Owner == nil || r.Owner.Name != "Olga Owner" || r.Owner.Email != "owner@corp.test" ||
				fmt.Sprint(r.Tags) != "[a-tag b-tag]" || fmt.Sprint(r.DataTypes) != "[personal_data]" || fmt.Sprint(r.UnitIDs) != "["+unit.ID+"]" ||
				r.CustomFields["po"] != 42.5 || fmt.Sprint(r.CustomFields["regions"]) != "[eu us]" {
				t.Fatalf("vendor %s: owner %+v, tags %v, data types %v, units %v, custom %v", r.Name, r.Owner, r.Tags, r.DataTypes, r.UnitIDs, r.CustomFields)
			}
		}
	})
}

// TestEvidenceGapsPages pages through the vendors missing evidence, which
// SQLite reads through a named index (vendorQuery): every one of them
// once, in order, with the total on every page, and no other vendor.
func TestEvidenceGapsPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		specs := seeds.GenerateVendors(40, 3)
		recs := make([]models.VendorRecord, len(specs))
		var want []string
		for i := range specs {
			recs[i] = specs[i].Record
			recs[i].ArchivedAt = nil
			if i%3 == 0 {
				recs[i].EvidenceGaps = int64(i%2 + 1)
			}
		}
		if err := models.InsertVendorsBulk(ctx, db.Gorm, recs); err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if r.EvidenceGaps > 0 {
				want = append(want, r.ID)
			}
		}
		f := models.VendorFilter{EvidenceGaps: true, Sort: "-residual_score", Limit: 4, Today: time.Now().UTC()}
		var got []string
		for {
			page, err := models.ListVendorSummaries(ctx, db.Gorm, f)
			if err != nil || page.Total != int64(len(want)) {
				t.Fatalf("page after %d: total %d (%v), want %d", len(got), page.Total, err, len(want))
			}
			for i, v := range page.Items {
				if v.EvidenceGaps == 0 || i > 0 && v.ResidualScore > page.Items[i-1].ResidualScore {
					t.Fatalf("page after %d: %+v", len(got), page.Items)
				}
				got = append(got, v.ID)
			}
			if page.NextCursor == "" {
				break
			}
			f.Cursor = page.NextCursor
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) || len(want) < 10 {
			t.Fatalf("paged %v, want %v", got, want)
		}
	})
}
