package models_test

import (
	"context"
	"errors"
	"testing"

	"gorm.io/gorm"

	"rampart/models"
	"rampart/models/testdb"
)

// TestUnitScope: a context scoped to unit A sees, counts, updates and
// lists only A's vendors and what hangs off them, whatever OR the query's
// own conditions hold; an unscoped context sees everything; unit names
// are unique in any case.
func TestUnitScope(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		g := db.Gorm
		a := &models.BusinessUnit{Name: "Retail"}
		b := &models.BusinessUnit{Name: "Corporate"}
		must(t, models.CreateBusinessUnit(ctx, g, a), models.CreateBusinessUnit(ctx, g, b))
		if err := models.CreateBusinessUnit(ctx, g, &models.BusinessUnit{Name: "RETAIL"}); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("duplicate name in another case: %v", err)
		}
		va := &models.Vendor{Name: "Alpha", Status: "active", Category: "saas", NameKey: "alpha"}
		vb := &models.Vendor{Name: "Beta", Status: "active", Category: "saas", NameKey: "beta"}
		vn := &models.Vendor{Name: "Nobody", Status: "active", Category: "saas", NameKey: "nobody"}
		must(t, g.Create(va).Error, g.Create(vb).Error, g.Create(vn).Error)
		must(t, models.SetUnits(ctx, g, models.UnitVendor, va.ID, []string{a.ID}), models.SetUnits(ctx, g, models.UnitVendor, vb.ID, []string{b.ID, b.ID}))

		sa := models.WithUnits(ctx, []string{a.ID})
		if _, err := models.GetVendor(sa, g, vb.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("B's vendor by id in A's scope: %v", err)
		}
		if _, err := models.GetVendor(sa, g, vn.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("a vendor of no unit in A's scope: %v", err)
		}
		if v, err := models.GetVendor(sa, g, va.ID); err != nil || v.Name != "Alpha" {
			t.Fatalf("A's vendor: %v %v", v, err)
		}
		var names []string
		must(t, g.WithContext(sa).Model(&models.Vendor{}).Where("name = ?", "Beta").Or("name = ?", "Alpha").Order("name").Pluck("name", &names).Error)
		if len(names) != 1 || names[0] != "Alpha" {
			t.Fatalf("an OR must not escape the scope: %v", names)
		}
		var n int64
		must(t, g.WithContext(sa).Table("vendors AS v").Where("v.status = ?", "active").Count(&n).Error)
		if n != 1 {
			t.Fatalf("aliased count in scope: %d", n)
		}
		// A subquery built with GORM is scoped inside; a table expression
		// the scope cannot read fails rather than run unscoped.
		must(t, g.WithContext(sa).Table("(?) AS v", g.WithContext(sa).Model(&models.Vendor{}).Select("id")).Count(&n).Error)
		if n != 1 {
			t.Fatalf("count over a subquery in scope: %d", n)
		}
		for _, expr := range []string{"vendors v, vendor_tags t", "(SELECT * FROM vendors) AS v", "vendors v JOIN vendor_tags t ON t.vendor_id = v.id"} {
			if err := g.WithContext(sa).Table(expr).Count(&n).Error; err == nil {
				t.Fatalf("%q ran in a unit scope, counting %d", expr, n)
			}
			if err := g.WithContext(ctx).Table(expr).Count(&n).Error; err != nil {
				t.Fatalf("%q without a scope: %v", expr, err)
			}
		}
		page, err := models.ListVendors(sa, g, models.VendorFilter{})
		if err != nil || len(page.Items) != 1 || page.Total != 1 {
			t.Fatalf("list in scope: %+v %v", page, err)
		}
		res := g.WithContext(sa).Model(&models.Vendor{}).Where("id = ?", vb.ID).Update("name", "Hijacked")
		if res.Error != nil || res.RowsAffected != 0 {
			t.Fatalf("update of B's vendor in A's scope: %d %v", res.RowsAffected, res.Error)
		}
		if page, err := models.ListVendors(ctx, g, models.VendorFilter{}); err != nil || page.Total != 3 {
			t.Fatalf("unscoped sees all: %d %v", page.Total, err)
		}
		if page, err := models.ListVendors(models.WithUnits(ctx, nil), g, models.VendorFilter{}); err != nil || page.Total != 0 {
			t.Fatalf("scoped to no unit sees none: %d %v", page.Total, err)
		}
		if page, err := models.ListVendors(models.Unscoped(sa), g, models.VendorFilter{}); err != nil || page.Total != 3 {
			t.Fatalf("Unscoped sees all: %d %v", page.Total, err)
		}
		if err := models.CheckUnits(sa, g, "business_unit_ids", []string{a.ID, b.ID}); err == nil || err.Error() != "business_unit_ids[1] is not one of your business units" {
			t.Fatalf("assigning B in A's scope: %v", err)
		}
		if err := models.CheckUnits(ctx, g, "business_unit_ids", []string{"nope"}); err == nil {
			t.Fatal("an unknown unit was accepted")
		}
	})
}

// TestUserBusinessUnitCount: the count on a user row that says whether
// every call of theirs is scoped follows the rows of user_business_units
// however they change, a save of a stale user row does not write over it,
// and a database with scoped people before 00070 gets their counts.
func TestUserBusinessUnitCount(t *testing.T) {
	count := func(t *testing.T, g *gorm.DB, id string) int {
		t.Helper()
		u, err := models.UserByID(context.Background(), g, id)
		if err != nil {
			t.Fatal(err)
		}
		return u.BusinessUnitCount
	}
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		g := db.Gorm
		a := &models.BusinessUnit{Name: "Retail"}
		b := &models.BusinessUnit{Name: "Corporate"}
		must(t, models.CreateBusinessUnit(ctx, g, a), models.CreateBusinessUnit(ctx, g, b))
		ann := &models.User{Email: "ann@corp.test", Name: "Ann", Role: models.RoleRiskManager, Active: true}
		bob := &models.User{Email: "bob@corp.test", Name: "Bob", Role: models.RoleLegal, Active: true}
		must(t, models.CreateUser(ctx, g, ann), models.CreateUser(ctx, g, bob))
		if n := count(t, g, ann.ID); n != 0 {
			t.Fatalf("a new person: %d units", n)
		}
		stale, err := models.UserByID(ctx, g, ann.ID)
		must(t, err, models.SetUserUnits(ctx, g, ann.ID, []string{a.ID, b.ID}))
		if n := count(t, g, ann.ID); n != 2 {
			t.Fatalf("after two units: %d", n)
		}
		// A whole-row save of the row read before the units were set.
		stale.Name = "Ann Example"
		must(t, g.Save(stale).Error)
		if n := count(t, g, ann.ID); n != 2 {
			t.Fatalf("a stale row's save wrote over the count: %d", n)
		}
		must(t, models.SetUserUnits(ctx, g, ann.ID, []string{b.ID}))
		if n := count(t, g, ann.ID); n != 1 {
			t.Fatalf("after one unit: %d", n)
		}
		must(t, g.Exec("UPDATE user_business_units SET user_id = ? WHERE user_id = ?", bob.ID, ann.ID).Error)
		if na, nb := count(t, g, ann.ID), count(t, g, bob.ID); na != 0 || nb != 1 {
			t.Fatalf("after moving the row: Ann %d, Bob %d", na, nb)
		}
		must(t, g.Exec("DELETE FROM user_business_units").Error)
		if n := count(t, g, bob.ID); n != 0 {
			t.Fatalf("after deleting the rows: %d", n)
		}
	})
	for _, d := range []models.Dialect{models.SQLite, models.Postgres} {
		t.Run("migration/"+string(d), func(t *testing.T) {
			ctx := context.Background()
			db := testdb.OpenEmpty(t, d)
			if err := db.MigrateUpTo(ctx, 69); err != nil {
				t.Fatal(err)
			}
			g := db.Gorm
			a := &models.BusinessUnit{Name: "Retail"}
			u := &models.User{Email: "r@corp.test", Name: "R", Role: models.RoleRiskManager, Active: true}
			must(t, models.CreateBusinessUnit(ctx, g, a), g.Create(u).Error, models.SetUserUnits(ctx, g, u.ID, []string{a.ID}))
			if _, err := db.Migrate(ctx, quiet); err != nil {
				t.Fatal(err)
			}
			if n := count(t, g, u.ID); n != 1 {
				t.Fatalf("a scoped person's count after the migration: %d", n)
			}
		})
	}
}
