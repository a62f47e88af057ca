package models_test

import (
	"cmp"
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

// TestRiskHistoryMonthLastMatchesBruteForce rescores vendors at random
// times over fourteen months, one at a time and in bulk, then checks that
// month_last marks exactly each vendor's last row of each month, that the
// dashboard's trend and headline equal averages computed in Go from every
// row, and that migration 00037's backfill marks the same rows.
func TestRiskHistoryMonthLastMatchesBruteForce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		ids := insertScoredVendors(t, db, 25)
		now := time.Now().UTC().Truncate(time.Second)
		writeRandomScores(t, db, ids, now)

		var rows []models.VendorRiskHistory
		if err := db.Gorm.Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		want := lastOfMonth(rows)
		for _, h := range rows {
			if h.MonthLast != want[h.ID] {
				t.Errorf("row %s (%s, %v): month_last %v, want %v", h.ID, h.VendorID, h.CreatedAt, h.MonthLast, want[h.ID])
			}
		}

		d, err := models.LoadDashboard(ctx, db.Gorm, "", now)
		if err != nil {
			t.Fatal(err)
		}
		checkTrend(t, d, rows, want, now)
		var vendors []models.Vendor
		db.Gorm.Where("archived_at IS NULL").Find(&vendors)
		var sum int64
		for _, v := range vendors {
			sum += v.ResidualScore
		}
		if avg := float64(sum) / float64(len(vendors)); d.ScoredVendors != int64(len(vendors)) || math.Abs(d.ResidualAverage-avg) > 1e-9 {
			t.Errorf("headline %v across %d vendors, brute force %v across %d", d.ResidualAverage, d.ScoredVendors, avg, len(vendors))
		}

		// The migration's backfill, rerun on these rows with every mark
		// cleared, marks the rows the writers marked.
		src, err := models.MigrationSQL(db.Dialect, "00037_risk_history_month_last.sql")
		if err != nil {
			t.Fatal(err)
		}
		var backfill string
		for stmt := range strings.SplitSeq(src, ";") {
			if strings.Contains(stmt, "UPDATE vendor_risk_history") {
				backfill = stmt
			}
		}
		db.Gorm.Model(&models.VendorRiskHistory{}).Where("1 = 1").Update("month_last", false)
		if err := db.Gorm.Exec(backfill).Error; err != nil {
			t.Fatal(err)
		}
		var after []models.VendorRiskHistory
		db.Gorm.Find(&after)
		for _, h := range after {
			if h.MonthLast != want[h.ID] {
				t.Errorf("backfill: row %s (%v): month_last %v, want %v", h.ID, h.CreatedAt, h.MonthLast, want[h.ID])
			}
		}
	})
}

// insertScoredVendors stores n generated vendors, scored by risk model 1.
func insertScoredVendors(t *testing.T, db *models.DB, n int) []string {
	t.Helper()
	specs := seeds.GenerateVendors(n, 7)
	recs := make([]models.VendorRecord, n)
	ids := make([]string, n)
	for i := range specs {
		recs[i] = specs[i].Record
		recs[i].ID, recs[i].RiskModelVersion = models.NewID(), 1
		ids[i] = recs[i].ID
	}
	if err := models.InsertVendorsBulk(context.Background(), db.Gorm, recs); err != nil {
		t.Fatal(err)
	}
	return ids
}

// writeRandomScores writes 300 scorings in time order, from fourteen
// months ago to now, with some on month boundaries; about a third go in
// bulk batches, which may hold one vendor twice at the same instant.
func writeRandomScores(t *testing.T, db *models.DB, ids []string, now time.Time) {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	start := now.AddDate(0, -14, 0)
	var times []time.Time
	for range 300 {
		times = append(times, start.Add(time.Duration(rng.Int64N(int64(now.Sub(start)/time.Second)))*time.Second))
	}
	for m := range 14 {
		first := time.Date(start.Year(), start.Month()+time.Month(m+1), 1, 0, 0, 0, 0, time.UTC)
		times = append(times, first, first.Add(-time.Second))
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	score := func(at time.Time) models.VendorRiskHistory {
		return models.VendorRiskHistory{Base: models.Base{CreatedAt: at}, VendorID: ids[rng.IntN(len(ids))], ModelVersion: 1,
			ResidualScore: rng.Int64N(100), Tier: 3, Likelihood: 1, Impact: 1, Factors: "{}", Inputs: "{}", Changes: "[]", Cause: "profile_edit"}
	}
	for i := 0; i < len(times); {
		err := db.Gorm.Transaction(func(tx *gorm.DB) error {
			if rng.IntN(3) > 0 {
				h := score(times[i])
				i++
				if err := models.SetVendorRisk(ctx, tx, h.VendorID, &h); err != nil {
					return err
				}
				return models.AppendRiskHistory(ctx, tx, &h)
			}
			var batch []models.VendorRiskHistory
			for k := rng.IntN(6) + 1; k > 0 && i < len(times); k-- {
				batch = append(batch, score(times[i]))
				if rng.IntN(4) == 0 { // the same vendor twice at one instant
					again := score(times[i])
					again.VendorID = batch[len(batch)-1].VendorID
					batch = append(batch, again)
				}
				i++
			}
			latest := map[string]*models.VendorRiskHistory{}
			for j := range batch {
				latest[batch[j].VendorID] = &batch[j]
			}
			if err := models.AppendRiskHistoryBulk(ctx, tx, batch); err != nil {
				return err
			}
			// Batch order is id order, so the last of a vendor's rows is
			// the one LatestRisk returns.
			for id, h := range latest {
				if err := models.SetVendorRisk(ctx, tx, id, h); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// lastOfMonth returns, by row id, whether the row is its vendor's last of
// its UTC month by (created_at, id).
func lastOfMonth(rows []models.VendorRiskHistory) map[string]bool {
	type key struct{ vendor, month string }
	last := map[key]models.VendorRiskHistory{}
	for _, h := range rows {
		k := key{h.VendorID, h.CreatedAt.UTC().Format("2006-01")}
		if l, ok := last[k]; !ok || cmp.Or(h.CreatedAt.Compare(l.CreatedAt), strings.Compare(h.ID, l.ID)) > 0 {
			last[k] = h
		}
	}
	out := map[string]bool{}
	for _, h := range last {
		out[h.ID] = true
	}
	return out
}

// checkTrend compares the dashboard's trend with each month's average of
// the vendors' last scores, over the months the trend covers.
func checkTrend(t *testing.T, d *models.Dashboard, rows []models.VendorRiskHistory, last map[string]bool, now time.Time) {
	t.Helper()
	from := time.Date(now.Year(), now.Month()-models.TrendMonths+1, 1, 0, 0, 0, 0, time.UTC)
	sums, ns := map[string]int64{}, map[string]int64{}
	for _, h := range rows {
		if last[h.ID] && !h.CreatedAt.Before(from) {
			m := h.CreatedAt.UTC().Format("2006-01")
			sums[m] += h.ResidualScore
			ns[m]++
		}
	}
	if len(d.ResidualTrend) != len(ns) || len(ns) != models.TrendMonths {
		t.Errorf("trend has %d months, brute force %d, want %d", len(d.ResidualTrend), len(ns), models.TrendMonths)
	}
	for _, p := range d.ResidualTrend {
		if want := float64(sums[p.Month]) / float64(ns[p.Month]); p.N != ns[p.Month] || math.Abs(p.Average-want) > 1e-9 {
			t.Errorf("trend %s: %v over %d, brute force %v over %d", p.Month, p.Average, p.N, want, ns[p.Month])
		}
	}
}
