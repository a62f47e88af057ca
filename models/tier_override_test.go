package models_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
)

// TestTierFilterUsesEffectiveTier: for vendors with every mix of computed
// tier and override (none, in force, ending today, lapsed yesterday), the
// list's tier filter returns exactly those whose effective tier matches,
// and the dashboard counts them the same way.
func TestTierFilterUsesEffectiveTier(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		today := time.Date(2027, 3, 10, 12, 0, 0, 0, time.UTC)
		day := today.Format(time.DateOnly)
		rng := rand.New(rand.NewPCG(1, 2))
		untils := []string{"", day, today.AddDate(0, 0, 30).Format(time.DateOnly), today.AddDate(0, 0, -1).Format(time.DateOnly)}
		want := map[int64][]string{}
		for i := range 120 {
			v := &models.Vendor{Name: fmt.Sprintf("v%03d", i), NameKey: fmt.Sprintf("v%03d", i), Category: "saas", Status: "active",
				Tier: int64(1 + rng.IntN(4)), IntegrationMethods: models.StringList{}, HostingRegions: models.StringList{}}
			if u := untils[rng.IntN(len(untils))]; u != "" {
				ot := int64(1 + rng.IntN(4))
				v.OverrideTier, v.OverrideUntil, v.OverrideReason = &ot, u, "why"
			}
			if err := db.Gorm.Create(v).Error; err != nil {
				t.Fatal(err)
			}
			e := v.EffectiveTier(day)
			want[e] = append(want[e], v.ID)
		}
		for _, tiers := range [][]int64{{1}, {2}, {3}, {4}, {1, 2}, {2, 4}} {
			page, err := models.ListVendors(ctx, db.Gorm, models.VendorFilter{Tiers: tiers, Today: today, Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			var got, exp []string
			for _, r := range page.Items {
				got = append(got, r.ID)
			}
			for _, tr := range tiers {
				exp = append(exp, want[tr]...)
			}
			slices.Sort(got)
			slices.Sort(exp)
			if !slices.Equal(got, exp) || page.Total != int64(len(exp)) {
				t.Fatalf("tiers %v: got %d (total %d), want %d", tiers, len(got), page.Total, len(exp))
			}
		}
		d, err := models.LoadDashboard(ctx, db.Gorm, "", today)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range d.ByTier {
			if n := int64(len(want[int64(c.Key[0]-'0')])); c.N != n {
				t.Fatalf("dashboard tier %s = %d, want %d", c.Key, c.N, n)
			}
		}
	})
}
