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
		// The residual trend, month by month, against each vendor's last
		// scoring of the month averaged in Go from every row.
		var history []models.VendorRiskHistory
		db.Gorm.Find(&history)
		checkTrendBruteForce(t, d.ResidualTrend, history)
		if l := decode[listResponse[vendorSummary]](t, f.call(&s, "GET", "/api/v1/vendors?review=due_soon&limit=1", "")); l.Total != d.DueSoonReviews {
			t.Errorf("due-soon list %d, dashboard %d", l.Total, d.DueSoonReviews)
		}
		if l := decode[listResponse[vendorSummary]](t, f.call(&s, "GET", "/api/v1/vendors?review=overdue&limit=1", "")); l.Total != overdue {
			t.Errorf("overdue list %d, dashboard %d", l.Total, overdue)
		}
	})
}

// TestDashboardCountsVendorsOnce: a vendor rescored five times this month
// counts once, in the month's trend point and in the headline, so "across
// N vendors" says how many vendors there are.
func TestDashboardCountsVendorsOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		if _, err := seeds.Demo(ctx, db.Gorm); err != nil {
			t.Fatal(err)
		}
		db.Gorm.Model(&models.User{}).Where("email = ?", "risk@example.com").Update("password_hash", testHash())
		f := newFixture(t, db)
		s, r := f.signIn("risk@example.com", testPassword)
		if r.Code != 200 {
			t.Fatalf("sign in: %d", r.Code)
		}
		var v models.Vendor
		db.Gorm.Where("archived_at IS NULL").Order("name").Take(&v)
		var before int64
		db.Gorm.Model(&models.VendorRiskHistory{}).Where("vendor_id = ?", v.ID).Count(&before)
		version := v.Version
		for _, c := range []string{"low", "critical", "medium", "high", "low"} {
			r := f.call(&s, "PATCH", "/api/v1/vendors/"+v.ID, fmt.Sprintf(`{"version":%d,"criticality":%q}`, version, c))
			if r.Code != 200 {
				t.Fatalf("rescore: %d %s", r.Code, r.Body)
			}
			version = decode[struct {
				Version int64 `json:"version"`
			}](t, r).Version
		}
		var after int64
		db.Gorm.Model(&models.VendorRiskHistory{}).Where("vendor_id = ?", v.ID).Count(&after)
		if after-before < 5 {
			t.Fatalf("five rescorings wrote %d history rows", after-before)
		}

		d := decode[models.Dashboard](t, f.call(&s, "GET", "/api/v1/dashboard", ""))
		var all, active int64
		db.Gorm.Model(&models.Vendor{}).Count(&all)
		db.Gorm.Model(&models.Vendor{}).Where("archived_at IS NULL").Count(&active)
		// This month's point counts each vendor scored this month once,
		// however often it was scored (archived ones included).
		now := time.Now().UTC()
		monthStart := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
		var rows, scoredThisMonth int64
		db.Gorm.Model(&models.VendorRiskHistory{}).Where("created_at >= ?", monthStart).Count(&rows)
		db.Gorm.Model(&models.VendorRiskHistory{}).Where("created_at >= ?", monthStart).Distinct("vendor_id").Count(&scoredThisMonth)
		month := now.Format("2006-01")
		if len(d.ResidualTrend) == 0 || d.ResidualTrend[len(d.ResidualTrend)-1].Month != month {
			t.Fatalf("trend %+v has no point for %s", d.ResidualTrend, month)
		}
		if p := d.ResidualTrend[len(d.ResidualTrend)-1]; p.N != scoredThisMonth || rows < scoredThisMonth+4 || p.N > all {
			t.Errorf("this month's trend is across %d vendors; %d vendors scored this month in %d scorings, %d vendors", p.N, scoredThisMonth, rows, all)
		}
		if d.ScoredVendors != active || d.ScoredVendors != d.Vendors {
			t.Errorf("headline across %d vendors; dashboard counts %d, %d not archived", d.ScoredVendors, d.Vendors, active)
		}
		var vendors []models.Vendor
		db.Gorm.Where("archived_at IS NULL").Find(&vendors)
		var sum int64
		for _, v := range vendors {
			sum += v.ResidualScore
		}
		if want := float64(sum) / float64(len(vendors)); math.Abs(d.ResidualAverage-want) > 1e-9 {
			t.Errorf("headline average %v, brute force %v", d.ResidualAverage, want)
		}
		var history []models.VendorRiskHistory
		db.Gorm.Find(&history)
		checkTrendBruteForce(t, d.ResidualTrend, history)
	})
}

// checkTrendBruteForce compares a trend with, for each of the last
// models.TrendMonths months, the average of each vendor's last score in
// that month (latest by time, then id), computed from every row.
func checkTrendBruteForce(t *testing.T, trend []models.TrendPoint, history []models.VendorRiskHistory) {
	t.Helper()
	now := time.Now().UTC()
	from := time.Date(now.Year(), now.Month()-models.TrendMonths+1, 1, 0, 0, 0, 0, time.UTC)
	type key struct{ vendor, month string }
	last := map[key]models.VendorRiskHistory{}
	for _, h := range history {
		k := key{h.VendorID, h.CreatedAt.UTC().Format("2006-01")}
		if l, ok := last[k]; !ok || h.CreatedAt.After(l.CreatedAt) || (h.CreatedAt.Equal(l.CreatedAt) && h.ID > l.ID) {
			last[k] = h
		}
	}
	sums, ns := map[string]int64{}, map[string]int64{}
	for k, h := range last {
		if !h.CreatedAt.Before(from) {
			sums[k.month] += h.ResidualScore
			ns[k.month]++
		}
	}
	if len(trend) != len(ns) {
		t.Errorf("trend has %d months, brute force %d", len(trend), len(ns))
	}
	for _, p := range trend {
		if want := float64(sums[p.Month]) / float64(ns[p.Month]); p.N != ns[p.Month] || math.Abs(p.Average-want) > 1e-6 {
			t.Errorf("trend %s: %v over %d, brute force %v over %d", p.Month, p.Average, p.N, want, ns[p.Month])
		}
	}
}
