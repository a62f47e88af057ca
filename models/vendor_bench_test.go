package models_test

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"rampart/app/scoring"
	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

// benchVendors is the portfolio size; RAMPART_BENCH_VENDORS overrides it.
func benchVendors() int {
	if n, err := strconv.Atoi(os.Getenv("RAMPART_BENCH_VENDORS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

func seededDB(b *testing.B, d models.Dialect, n int) *models.DB {
	b.Helper()
	db := testdb.Open(b, d)
	start := time.Now()
	specs := seeds.GenerateVendors(n, 42)
	recs := make([]models.VendorRecord, len(specs))
	m, err := seeds.RiskModel()
	if err != nil {
		b.Fatal(err)
	}
	for i := range specs {
		recs[i] = specs[i].Record
		// Scores as scoring would store them, so that tier filters and
		// the dashboard see a realistic spread.
		in := m.Inherent(scoring.ProfileOf(&recs[i]))
		res := m.Residual(in, nil, nil)
		recs[i].InherentScore, recs[i].Tier, recs[i].ResidualScore = int64(in.Score), int64(in.Tier), int64(res.Score)
		recs[i].Likelihood, recs[i].Impact, recs[i].RiskModelVersion = int64(res.Likelihood), int64(res.Impact), 1
		recs[i].NextReviewOn = time.Now().AddDate(0, 0, i%400-100).Format(time.DateOnly)
	}
	if err := models.InsertVendorsBulk(context.Background(), db.Gorm, recs); err != nil {
		b.Fatal(err)
	}
	if d == models.Postgres {
		// What autovacuum does in a running system: statistics and the
		// visibility map that index-only scans rely on.
		db.Gorm.Exec("VACUUM ANALYZE")
	} else {
		db.Gorm.Exec("ANALYZE")
	}
	b.Logf("%s: seeded %d vendors in %v", d, n, time.Since(start).Round(time.Millisecond))
	return db
}

// BenchmarkVendorList measures the vendor list page the register shows:
// filtered, sorted and searched, with owners, tags and data types loaded.
// Run: RAMPART_TEST_POSTGRES_URL=... go test -run '^$' -bench VendorList ./models/
func BenchmarkVendorList(b *testing.B) {
	n := benchVendors()
	for _, d := range []models.Dialect{models.Postgres, models.SQLite} {
		b.Run(string(d), func(b *testing.B) {
			db := seededDB(b, d, n)
			ctx := context.Background()
			cases := []struct {
				name string
				f    models.VendorFilter
			}{
				{"first page by name", models.VendorFilter{Limit: 50}},
				{"filtered and sorted", models.VendorFilter{Statuses: []string{"active"}, DataType: "personal_data", Sort: "-annual_spend", Limit: 50}},
				{"searched", models.VendorFilter{Q: "payroll", Sort: "name", Limit: 50}},
				{"filtered sorted searched", models.VendorFilter{Q: "cloud", Statuses: []string{"active", "approved"}, Tag: "soc2", Sort: "-updated_at", Limit: 50}},
				{"heat-map cell riskiest first", models.VendorFilter{Likelihood: 5, Impact: 3, Sort: "-residual_score", Limit: 50}},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					var total int64
					for b.Loop() {
						page, err := models.ListVendors(ctx, db.Gorm, c.f)
						if err != nil {
							b.Fatal(err)
						}
						total = page.Total
					}
					b.ReportMetric(float64(total), "matches")
				})
			}
			b.Run("deep page", func(b *testing.B) {
				f := models.VendorFilter{Sort: "name", Limit: 50}
				for range 200 {
					page, err := models.ListVendors(ctx, db.Gorm, f)
					if err != nil {
						b.Fatal(err)
					}
					f.Cursor = page.NextCursor
				}
				for b.Loop() {
					if _, err := models.ListVendors(ctx, db.Gorm, f); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(200*50), "offset")
			})
		})
	}
}

// BenchmarkDashboard measures the dashboard's aggregates over the whole
// portfolio and reports the p50 and p95 of the calls.
func BenchmarkDashboard(b *testing.B) {
	n := benchVendors()
	for _, d := range []models.Dialect{models.Postgres, models.SQLite} {
		b.Run(string(d), func(b *testing.B) {
			db := seededDB(b, d, n)
			ctx := context.Background()
			seedHistory(b, db)
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				dash, err := models.LoadDashboard(ctx, db.Gorm, "", time.Now().UTC())
				if err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
				if dash.Vendors != int64(n) {
					b.Fatalf("dashboard counted %d vendors of %d", dash.Vendors, n)
				}
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
		})
	}
}

// seedHistory gives every vendor three scorings at random times of the
// last fourteen months, marked as the writers mark them, so the residual
// trend reads a realistic number of rows.
func seedHistory(b *testing.B, db *models.DB) {
	b.Helper()
	ctx := context.Background()
	var ids []string
	if err := db.Gorm.Model(&models.Vendor{}).Pluck("id", &ids).Error; err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	now := time.Now().UTC()
	rows := make([]models.VendorRiskHistory, 0, 3*len(ids))
	for _, id := range ids {
		for range 3 {
			at := now.Add(-time.Duration(rng.Int64N(int64(14 * 30 * 24 * time.Hour))))
			rows = append(rows, models.VendorRiskHistory{Base: models.Base{ID: models.NewID(), CreatedAt: at, UpdatedAt: at},
				VendorID: id, ModelVersion: 1, ResidualScore: rng.Int64N(100), Tier: 3, Likelihood: 1, Impact: 1,
				Factors: "{}", Inputs: "{}", Changes: "[]", Cause: "profile_edit"})
		}
	}
	models.MarkMonthLast(rows)
	if err := models.InsertBulk(ctx, db.Gorm, rows); err != nil {
		b.Fatal(err)
	}
	if db.Dialect == models.Postgres {
		db.Gorm.Exec("VACUUM ANALYZE vendor_risk_history")
	} else {
		db.Gorm.Exec("ANALYZE")
	}
}
