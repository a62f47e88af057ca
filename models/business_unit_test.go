package models_test

import (
	"context"
	"errors"
	"testing"

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
