package models_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"rampart/models"
	"rampart/models/testdb"
)

// TestSQLiteVendorSearchIndex: on SQLite a search of three characters or
// more reads its vendors through the trigram index (migration 00071), and
// finds exactly the vendors whose search text holds the words, as a scan
// would, through quotes, wildcards and FTS5's own operators in the words;
// the triggers keep the index in step with creates, renames and deletes;
// and a database migrated with vendors already in it gets them indexed.
func TestSQLiteVendorSearchIndex(t *testing.T) {
	ctx := context.Background()
	names := []string{`Acme 50% "Quoted" Cloud`, "Nimbus Payroll", "Zeta Data", "Payroll-Plus AND OR NOT", "Ünïcode Straße GmbH", "Under_score Ltd"}
	create := func(t *testing.T, g *gorm.DB) []*models.Vendor {
		t.Helper()
		var vs []*models.Vendor
		for _, name := range names {
			v := &models.Vendor{Name: name, Status: "active", Category: "saas", NameKey: strings.ToLower(name), Description: "tools for " + name}
			v.SearchText = models.SearchTextOf(v)
			if err := g.Create(v).Error; err != nil {
				t.Fatal(err)
			}
			vs = append(vs, v)
		}
		return vs
	}
	// search lists the names the vendor search finds for q, and whether it
	// read the trigram index to find them.
	search := func(t *testing.T, db *models.DB, q string) (found []string, indexed bool) {
		t.Helper()
		name := "test:fts_seen_" + strings.ReplaceAll(t.Name(), "/", "_")
		cb := db.Gorm.Callback().Query()
		if err := cb.After("gorm:query").Register(name, func(g *gorm.DB) {
			indexed = indexed || strings.Contains(g.Statement.SQL.String(), "vendors_fts MATCH")
		}); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = cb.Remove(name) }()
		page, err := models.ListVendorSummaries(ctx, db.Gorm, models.VendorFilter{Q: q, Limit: 50})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		for _, v := range page.Items {
			found = append(found, v.Name)
		}
		slices.Sort(found)
		return found, indexed
	}
	// scan is what a search of q must find: every current vendor whose
	// search text holds it.
	scan := func(t *testing.T, g *gorm.DB, q string) []string {
		t.Helper()
		var vs []models.Vendor
		if err := g.Where("archived_at IS NULL").Find(&vs).Error; err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, v := range vs {
			if strings.Contains(v.SearchText, strings.ToLower(q)) {
				out = append(out, v.Name)
			}
		}
		slices.Sort(out)
		return out
	}
	check := func(t *testing.T, db *models.DB) {
		t.Helper()
		for _, q := range []string{"payroll", `50% "quo`, "d or n", "AND", "straße", "ünï", "e_s", "nimbus payroll", "payroll*", "ta", "%", "zz", "no such vendor"} {
			found, indexed := search(t, db, q)
			want := scan(t, db.Gorm, q)
			if len(found) == 0 {
				found = []string{}
			}
			if !slices.Equal(found, want) {
				t.Errorf("search %q found %q, want %q", q, found, want)
			}
			if long := len([]rune(q)) >= 3; indexed != long {
				t.Errorf("search %q: read the trigram index %v, want %v", q, indexed, long)
			}
		}
		if err := db.Gorm.Exec("INSERT INTO vendors_fts(vendors_fts, rank) VALUES ('integrity-check', 1)").Error; err != nil {
			t.Errorf("the index does not match the vendors: %v", err)
		}
	}

	db := testdb.Open(t, models.SQLite)
	vs := create(t, db.Gorm)
	check(t, db)
	// A rename, a delete and a raw change of the search text.
	v := vs[1]
	if _, err := models.UpdateVendor(ctx, db.Gorm, v.ID, v.Version, map[string]any{"name": "Cirrus Ledger", "name_key": "cirrus ledger"}, models.VendorChildren{}); err != nil {
		t.Fatal(err)
	}
	if err := db.Gorm.Exec("DELETE FROM vendors WHERE id = ?", vs[2].ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Gorm.Exec("UPDATE vendors SET search_text = ? WHERE id = ?", "renamed by hand", vs[3].ID).Error; err != nil {
		t.Fatal(err)
	}
	if found, _ := search(t, db, "cirrus"); !slices.Equal(found, []string{"Cirrus Ledger"}) {
		t.Errorf("after the rename: %q", found)
	}
	check(t, db)

	t.Run("migration", func(t *testing.T) {
		db := testdb.OpenEmpty(t, models.SQLite)
		if err := db.MigrateUpTo(ctx, 70); err != nil {
			t.Fatal(err)
		}
		create(t, db.Gorm)
		if _, err := db.Migrate(ctx, quiet); err != nil {
			t.Fatal(err)
		}
		check(t, db)
	})
}
