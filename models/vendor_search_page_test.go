package models_test

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

// TestSearchPagesInSortOrder pages through searches, which PostgreSQL
// sorts by an expression instead of an index, and checks every page
// against the matches sorted in Go: same vendors, same order, nothing
// repeated or skipped across cursors.
func TestSearchPagesInSortOrder(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		specs := seeds.GenerateVendors(600, 11)
		recs := make([]models.VendorRecord, len(specs))
		for i := range specs {
			recs[i] = specs[i].Record
			recs[i].Tier = int64(i%4 + 1)
		}
		if err := models.InsertVendorsBulk(ctx, db.Gorm, recs); err != nil {
			t.Fatal(err)
		}
		word := strings.ToLower(strings.Fields(recs[0].Name)[0])
		// The summaries read fewer columns; a first page is read by id.
		list := map[string]func(context.Context, *gorm.DB, models.VendorFilter) (models.Page[models.VendorRecord], error){
			"name": models.ListVendors, "-name": models.ListVendorSummaries, "tier": models.ListVendorSummaries,
			"-tier": models.ListVendors, "-created_at": models.ListVendorSummaries,
		}
		for _, sort := range []string{"name", "-name", "tier", "-tier", "-created_at"} {
			var want []models.Vendor
			for _, r := range recs {
				if strings.Contains(models.SearchTextOf(&r.Vendor), word) {
					want = append(want, r.Vendor)
				}
			}
			desc := strings.HasPrefix(sort, "-")
			slices.SortFunc(want, func(a, b models.Vendor) int {
				c := 0
				switch strings.TrimPrefix(sort, "-") {
				case "name":
					c = cmp.Compare(a.Name, b.Name)
				case "tier":
					c = cmp.Compare(a.Tier, b.Tier)
				}
				c = cmp.Or(c, cmp.Compare(a.ID, b.ID))
				if desc {
					return -c
				}
				return c
			})
			f := models.VendorFilter{Q: word, Sort: sort, Limit: 7}
			var got []string
			for {
				page, err := list[sort](ctx, db.Gorm, f)
				if err != nil {
					t.Fatal(err)
				}
				if page.Total != int64(len(want)) {
					t.Fatalf("%s: total %d, want %d", sort, page.Total, len(want))
				}
				for _, v := range page.Items {
					got = append(got, v.ID)
				}
				if page.NextCursor == "" {
					break
				}
				f.Cursor = page.NextCursor
			}
			if sort == "-created_at" {
				// Inserted in one batch: equal times; only the set is checked.
				slices.Sort(got)
				slices.SortFunc(want, func(a, b models.Vendor) int { return cmp.Compare(a.ID, b.ID) })
			}
			if len(got) != len(want) || len(want) < 10 {
				t.Fatalf("%s: %d vendors paged, want %d", sort, len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i].ID {
					t.Fatalf("%s: position %d is %s, want %s (%s)", sort, i, got[i], want[i].ID, want[i].Name)
				}
			}
		}
	})
}

// TestSearchPageAfterADeletion: a vendor deleted between a search's two
// reads (the count with the page's ids, then the rows) is left out of
// the page, and the list goes on past it: the page still ends with a
// cursor to the vendors after it.
func TestSearchPageAfterADeletion(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		var vs []*models.Vendor
		for _, name := range []string{"Nimbus A", "Nimbus B", "Nimbus C", "Nimbus D"} {
			v := &models.Vendor{Name: name, Status: "active", Category: "saas", NameKey: strings.ToLower(name)}
			v.SearchText = models.SearchTextOf(v)
			if err := db.Gorm.Create(v).Error; err != nil {
				t.Fatal(err)
			}
			vs = append(vs, v)
		}
		deleted := false
		cb := db.Gorm.Callback().Query()
		if err := cb.After("gorm:query").Register("test:delete_between_reads", func(g *gorm.DB) {
			if !deleted && strings.Contains(g.Statement.SQL.String(), "COUNT(*) OVER ()") {
				deleted = true
				if err := db.Gorm.Exec("DELETE FROM vendors WHERE id = ?", vs[0].ID).Error; err != nil {
					t.Error(err)
				}
			}
		}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cb.Remove("test:delete_between_reads") })
		page, err := models.ListVendorSummaries(ctx, db.Gorm, models.VendorFilter{Q: "nimbus", Sort: "name", Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if !deleted {
			t.Fatal("the search did not count with its page's ids; the test no longer reaches the second read")
		}
		var got []string
		for _, v := range page.Items {
			got = append(got, v.Name)
		}
		if strings.Join(got, ",") != "Nimbus B,Nimbus C" || page.NextCursor == "" {
			t.Fatalf("page %v, cursor %q: want Nimbus B and C and a cursor to D", got, page.NextCursor)
		}
		next, err := models.ListVendorSummaries(ctx, db.Gorm, models.VendorFilter{Q: "nimbus", Sort: "name", Limit: 2, Cursor: page.NextCursor})
		if err != nil || len(next.Items) != 1 || next.Items[0].Name != "Nimbus D" {
			t.Fatalf("next page: %+v, %v", next.Items, err)
		}
	})
}
