package handlers

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

// TestDashboardMatchesBruteForce compares every aggregate with counts made
// in Go over all rows, on the demo portfolio plus findings.
func TestDashboardMatchesBruteForce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		if _, err := seeds.Demo(ctx, db.Gorm); err != nil {
			t.Fatal(err)
		}
		risk, _ := models.UserByEmail(ctx, db.Gorm, "risk@example.com")
		risk.PasswordHash = testHash()
		db.Gorm.Model(&models.User{}).Where("id = ?", risk.ID).Update("password_hash", testHash())
		f := newFixture(t, db)
		s, r := f.signIn("risk@example.com", testPassword)
		if r.Code != 200 {
			t.Fatalf("sign in: %d", r.Code)
		}
		var vendors []models.Vendor
		db.Gorm.Where("archived_at IS NULL").Find(&vendors)
		for i, v := range vendors[:12] {
			sev := []string{"critical", "high", "medium", "low"}[i%4]
			if r := f.call(&s, "POST", "/api/v1/findings", fmt.Sprintf(`{"vendor_id":%q,"title":"F%d","severity":%q,"owner_id":%q}`, v.ID, i, sev, risk.ID)); r.Code != 201 {
				t.Fatalf("finding: %d %s", r.Code, r.Body)
			}
		}
		db.Gorm.Where("archived_at IS NULL").Find(&vendors)

		d := decode[models.Dashboard](t, f.call(&s, "GET", "/api/v1/dashboard", ""))
		tiers, statuses, cells := map[string]int64{}, map[string]int64{}, map[[2]int64]int64{}
		today := time.Now().UTC().Format(time.DateOnly)
		var overdue int64
		for _, v := range vendors {
			tiers[fmt.Sprint(v.Tier)]++
			statuses[v.Status]++
			cells[[2]int64{v.Likelihood, v.Impact}]++
			if v.NextReviewOn != "" && v.NextReviewOn < today {
				overdue++
			}
		}
		if d.Vendors != int64(len(vendors)) || d.OverdueReviews != overdue {
			t.Errorf("vendors %d/%d, overdue reviews %d/%d", d.Vendors, len(vendors), d.OverdueReviews, overdue)
		}
		for _, c := range d.ByTier {
			if tiers[c.Key] != c.N {
				t.Errorf("tier %s: %d, brute force %d", c.Key, c.N, tiers[c.Key])
			}
		}
		for _, c := range d.ByStatus {
			if statuses[c.Key] != c.N {
				t.Errorf("status %s: %d, brute force %d", c.Key, c.N, statuses[c.Key])
			}
		}
		var cellTotal int64
		for _, c := range d.Matrix {
			cellTotal += c.N
			if cells[[2]int64{c.Likelihood, c.Impact}] != c.N {
				t.Errorf("cell L%d I%d: %d, brute force %d", c.Likelihood, c.Impact, c.N, cells[[2]int64{c.Likelihood, c.Impact}])
			}
		}
		if cellTotal != int64(len(vendors)) || len(d.ByTier) == 0 {
			t.Errorf("matrix covers %d of %d vendors", cellTotal, len(vendors))
		}
		var all []models.Finding
		db.Gorm.Where("status IN ?", []string{"open", "in_progress"}).Find(&all)
		bySev, mine := map[string]int64{}, int64(0)
		for _, fd := range all {
			bySev[fd.Severity]++
			if fd.OwnerID != nil && *fd.OwnerID == risk.ID {
				mine++
			}
		}
		var sevTotal int64
		for _, c := range d.FindingsBySev {
			sevTotal += c.N
			if c.N != bySev[c.Key] {
				t.Errorf("findings %s: %d, brute force %d", c.Key, c.N, bySev[c.Key])
			}
		}
		var ageTotal int64
		for _, c := range d.FindingsByAge {
			ageTotal += c.N
		}
		if sevTotal != int64(len(all)) || ageTotal != sevTotal || d.MyFindings != mine || d.MyRequests == 0 || len(d.ResidualTrend) == 0 {
			t.Errorf("findings %d of %d, by age %d, mine %d of %d, my requests %d, trend %+v", sevTotal, len(all), ageTotal, d.MyFindings, mine, d.MyRequests, d.ResidualTrend)
		}
		// The residual trend, month by month, against every scoring of the
		// last twelve months averaged in Go.
		var history []models.VendorRiskHistory
		db.Gorm.Where("created_at >= ?", time.Now().UTC().AddDate(-1, 0, 0)).Find(&history)
		sums, ns := map[string]int64{}, map[string]int64{}
		for _, h := range history {
			m := h.CreatedAt.UTC().Format("2006-01")
			sums[m] += h.ResidualScore
			ns[m]++
		}
		if len(d.ResidualTrend) != len(ns) {
			t.Errorf("trend has %d months, brute force %d", len(d.ResidualTrend), len(ns))
		}
		for _, p := range d.ResidualTrend {
			if want := float64(sums[p.Month]) / float64(ns[p.Month]); p.N != ns[p.Month] || math.Abs(p.Average-want) > 1e-6 {
				t.Errorf("trend %s: %v over %d, brute force %v over %d", p.Month, p.Average, p.N, want, ns[p.Month])
			}
		}
		if l := decode[listResponse[vendorSummary]](t, f.call(&s, "GET", "/api/v1/vendors?review=due_soon&limit=1", "")); l.Total != d.DueSoonReviews {
			t.Errorf("due-soon list %d, dashboard %d", l.Total, d.DueSoonReviews)
		}
		if l := decode[listResponse[vendorSummary]](t, f.call(&s, "GET", "/api/v1/vendors?review=overdue&limit=1", "")); l.Total != overdue {
			t.Errorf("overdue list %d, dashboard %d", l.Total, overdue)
		}
	})
}
