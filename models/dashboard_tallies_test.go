package models_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
)

// TestDashboardTallies makes a few hundred random changes to vendors,
// their scores and findings, through the model functions and through
// plain updates and deletes alike, folding the tallies now and then, and
// at checkpoints compares the dashboard read from the tallies with the
// one counted from the tables, as of today and of days to come (when
// reviews fall overdue, overrides run out and findings age). Then writers
// change vendors and findings while folds run beside them, and the two
// must still agree.
func TestDashboardTallies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)
		seed := uint64(now.UnixNano())
		t.Logf("random seed %d", seed)
		rng := rand.New(rand.NewPCG(seed, 18))
		date := func(days int) string { return now.AddDate(0, 0, days).Format(time.DateOnly) }
		// Dates fall on the checkpoints' edges as often as between them:
		// reads are as of these days ahead, a review is due soon up to 30
		// days ahead, and findings change bucket at 31 and 91 days old.
		readDays := []int{0, 1, 31, 61, 95}
		var edges, ages []int
		for _, d := range readDays {
			edges = append(edges, d-1, d, d+1, d+30, d+31)
			for _, a := range []int{30, 31, 90, 91} {
				ages = append(ages, a-d)
			}
		}
		someDay := func(rng *rand.Rand) string {
			if rng.IntN(2) == 0 {
				return date(edges[rng.IntN(len(edges))])
			}
			return date(rng.IntN(161) - 60)
		}
		someAge := func(rng *rand.Rand) int {
			if rng.IntN(2) == 0 {
				return ages[rng.IntN(len(ages))]
			}
			return rng.IntN(200)
		}
		ids := insertScoredVendors(t, db, 30)
		var findings []string

		change := func(rng *rand.Rand, vendorID string) map[string]any {
			set := map[string]any{}
			for range 1 + rng.IntN(3) {
				switch rng.IntN(9) {
				case 0:
					set["tier"] = 1 + rng.IntN(4)
				case 1:
					set["status"] = []string{"active", "onboarding", "offboarding", "inactive"}[rng.IntN(4)]
				case 2:
					set["likelihood"], set["impact"] = 1+rng.IntN(5), 1+rng.IntN(5)
				case 3:
					set["residual_score"] = rng.IntN(26)
				case 4:
					set["risk_model_version"] = rng.IntN(2)
				case 5:
					set["next_review_on"] = []string{"", someDay(rng)}[rng.IntN(2)]
				case 6:
					if rng.IntN(3) == 0 {
						set["override_tier"], set["override_until"] = nil, ""
					} else {
						set["override_tier"], set["override_until"] = 1+rng.IntN(4), someDay(rng)
					}
				case 7:
					if rng.IntN(2) == 0 {
						set["archived_at"] = nil
					} else {
						set["archived_at"] = now
					}
				case 8:
					set["description"] = fmt.Sprint("changed ", rng.Int()) // counts nothing
				}
			}
			return set
		}
		newFinding := func(rng *rand.Rand, vendorID string) *models.Finding {
			return &models.Finding{
				Base:     models.Base{CreatedAt: now.AddDate(0, 0, -someAge(rng)).Add(-time.Duration(rng.IntN(86400)) * time.Second)},
				VendorID: vendorID, Title: "random", Source: "manual",
				Severity: []string{"low", "medium", "high", "critical"}[rng.IntN(4)],
				Status:   []string{"open", "in_progress", "resolved", "accepted"}[rng.IntN(4)],
				DueDate:  []string{"", someDay(rng)}[rng.IntN(2)],
			}
		}
		compare := func(step string) {
			t.Helper()
			for _, days := range readDays {
				today := now.AddDate(0, 0, days)
				kept, err := models.DashboardFrom(ctx, db.Gorm, "", today, true)
				if err != nil {
					t.Fatal(err)
				}
				counted, err := models.DashboardFrom(ctx, db.Gorm, "", today, false)
				if err != nil {
					t.Fatal(err)
				}
				a, _ := json.Marshal(kept)
				b, _ := json.Marshal(counted)
				if string(a) != string(b) {
					t.Fatalf("%s, as of %s:\ntallies %s\ncounted %s", step, today.Format(time.DateOnly), a, b)
				}
				// The vendor list's totals that the tallies answer.
				for _, f := range []models.VendorFilter{{}, {Statuses: []string{"active", "inactive"}}, {Tiers: []int64{1, 2}},
					{Likelihood: 3, Impact: 4}, {Statuses: []string{"onboarding"}, Tiers: []int64{3, 4}, Impact: 2},
					{Review: "overdue"}, {Review: "due_soon"}} {
					f.Today, f.Limit = today, 1
					page, err := models.ListVendors(ctx, db.Gorm, f)
					if err != nil {
						t.Fatal(err)
					}
					want, err := models.CountVendorsFromTables(ctx, db.Gorm, f)
					if err != nil || page.Total != want || page.TotalCapped {
						t.Fatalf("%s, as of %s, vendors %+v: total %d (capped %v), counted %d (%v)", step, today.Format(time.DateOnly), f, page.Total, page.TotalCapped, want, err)
					}
				}
			}
		}

		for i := range 400 {
			v := ids[rng.IntN(len(ids))]
			var err error
			switch op := rng.IntN(20); {
			case op < 7:
				err = db.Gorm.Model(&models.Vendor{}).Where("id = ?", v).Updates(change(rng, v)).Error
			case op < 9:
				at := now.AddDate(0, -rng.IntN(15), -rng.IntN(28))
				err = models.AppendRiskHistory(ctx, db.Gorm, &models.VendorRiskHistory{
					Base: models.Base{CreatedAt: at}, VendorID: v, ModelVersion: 1, ResidualScore: int64(rng.IntN(26)),
					Tier: 1, Likelihood: 1, Impact: 1, Factors: "[]", Inputs: "{}", Cause: "test", Changes: "[]",
				})
			case op < 13:
				f := newFinding(rng, v)
				if err = db.Gorm.Create(f).Error; err == nil {
					findings = append(findings, f.ID)
				}
			case op < 16 && len(findings) > 0:
				f := findings[rng.IntN(len(findings))]
				g := newFinding(rng, v)
				err = db.Gorm.Model(&models.Finding{}).Where("id = ?", f).
					Updates(map[string]any{"status": g.Status, "severity": g.Severity, "due_date": g.DueDate, "created_at": g.CreatedAt}).Error
			case op < 17 && len(findings) > 0:
				k := rng.IntN(len(findings))
				err = db.Gorm.Where("id = ?", findings[k]).Delete(&models.Finding{}).Error
				findings = slices.Delete(findings, k, k+1)
			case op < 18:
				ids = append(ids, insertScoredVendors(t, db, 2)...)
			case op < 19:
				// A vendor with nothing pointing at it goes for good.
				fresh := insertScoredVendors(t, db, 1)[0]
				err = db.Gorm.Where("id = ?", fresh).Delete(&models.Vendor{}).Error
			default:
				_, err = models.FoldDashboardTallies(ctx, db.Gorm, now)
			}
			if err != nil {
				t.Fatalf("change %d: %v", i, err)
			}
			if i%100 == 99 {
				compare(fmt.Sprintf("after %d changes", i+1))
			}
		}
		ids = append(ids, insertScoredVendors(t, db, 1)...) // something to fold
		folded, err := models.FoldDashboardTallies(ctx, db.Gorm, now)
		if err != nil || folded == 0 {
			t.Fatalf("fold: %d rows, %v", folded, err)
		}
		compare("after the last fold")
		if again, err := models.FoldDashboardTallies(ctx, db.Gorm, now); err != nil || again != 0 {
			t.Errorf("a second fold with nothing new replaced %d rows (%v)", again, err)
		}
		var rows, keys int64
		db.Gorm.Model(&models.DashboardTally{}).Count(&rows)
		db.Gorm.Model(&models.DashboardTally{}).Distinct("kind", "k").Count(&keys)
		if rows != keys {
			t.Errorf("after a fold: %d rows for %d keys", rows, keys)
		}

		// Writers beside folds: a fold must neither lose nor count twice
		// a row written while it runs.
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		stop := make(chan struct{})
		for w := range 4 {
			wg.Go(func() {
				rng := rand.New(rand.NewPCG(seed, uint64(w)))
				for range 40 {
					v := ids[rng.IntN(len(ids))]
					if err := db.Gorm.Model(&models.Vendor{}).Where("id = ?", v).Updates(change(rng, v)).Error; err != nil {
						errs <- err
					}
					if err := db.Gorm.Create(newFinding(rng, v)).Error; err != nil {
						errs <- err
					}
				}
			})
		}
		var folds sync.WaitGroup
		folds.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := models.FoldDashboardTallies(ctx, db.Gorm, now); err != nil {
					errs <- err
				}
			}
		})
		wg.Wait()
		close(stop)
		folds.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		compare("after writers beside folds")

		// The migration's backfill, rerun on these tables with the tallies
		// emptied, counts what the triggers counted.
		src, err := models.MigrationSQL(db.Dialect, "00068_dashboard_tallies.sql")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm.Exec("DELETE FROM dashboard_tallies").Error; err != nil {
			t.Fatal(err)
		}
		backfills := 0
		for stmt := range strings.SplitSeq(src, ";") {
			for strings.HasPrefix(strings.TrimSpace(stmt), "--") { // goose's annotations
				_, stmt, _ = strings.Cut(strings.TrimSpace(stmt), "\n")
			}
			stmt = strings.TrimSpace(stmt)
			if strings.HasPrefix(stmt, "INSERT INTO dashboard_tallies") && strings.Contains(stmt, "GROUP BY") {
				if err := db.Gorm.Exec(stmt).Error; err != nil {
					t.Fatalf("%s: %v", stmt, err)
				}
				backfills++
			}
		}
		if backfills != 6 {
			t.Fatalf("found %d backfill statements in the migration, want one per kind (6)", backfills)
		}
		compare("after the migration's backfill")
	})
}
