package seeds_test

import (
	"context"
	"math"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

// TestScaleFillsAPortfolio loads a small generated portfolio on top of the
// demo data and checks that every kind of row arrived, that each points at
// rows that exist, and that the audit chain still verifies.
func TestScaleFillsAPortfolio(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		if _, err := seeds.Demo(ctx, db.Gorm); err != nil {
			t.Fatal(err)
		}
		count := func(table, where string) int64 {
			t.Helper()
			var n int64
			q := "SELECT COUNT(*) FROM " + table
			if where != "" {
				q += " WHERE " + where
			}
			if err := db.Gorm.Raw(q).Scan(&n).Error; err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		}
		tables := []string{"vendors", "vendor_contacts", "tool_requests", "tool_request_events", "assessments",
			"assessment_answers", "findings", "contracts", "vendor_risk_history", "audit_events"}
		before := map[string]int64{}
		for _, tb := range tables {
			before[tb] = count(tb, "")
		}
		const n = 3000 // more than one batch
		var calls, last int
		got, err := seeds.Scale(ctx, db.Gorm, n, func(done, total int) {
			calls++
			if total != n || done <= last {
				t.Errorf("progress %d of %d after %d", done, total, last)
			}
			last = done
		})
		if err != nil {
			t.Fatal(err)
		}
		if calls != 2 || last != n {
			t.Errorf("progress called %d times, last %d", calls, last)
		}
		added := map[string]int64{"vendors": got.Vendors, "vendor_contacts": got.Contacts, "tool_requests": got.Requests,
			"tool_request_events": got.RequestEvents, "assessments": got.Assessments, "assessment_answers": got.Answers,
			"findings": got.Findings, "contracts": got.Contracts, "vendor_risk_history": got.History, "audit_events": got.AuditEvents}
		for _, tb := range tables {
			if d := count(tb, "") - before[tb]; d != added[tb] || d == 0 {
				t.Errorf("%s: %d rows added, Scale says %d", tb, d, added[tb])
			}
		}
		// The shape the benchmarks rely on: one assessment per vendor,
		// about ten answers each, every vendor scored with history.
		if got.Vendors != n || got.Assessments != n || got.Answers < 8*n || got.Answers > 12*n || got.History < n {
			t.Errorf("portfolio shape: %+v", got)
		}
		// Referential sanity: nothing points at a row that is not there.
		orphans := map[string]string{
			"vendor_contacts":     "vendor_id NOT IN (SELECT id FROM vendors)",
			"assessments":         "vendor_id NOT IN (SELECT id FROM vendors) OR template_id NOT IN (SELECT id FROM questionnaire_templates)",
			"assessment_answers":  "assessment_id NOT IN (SELECT id FROM assessments)",
			"findings":            "vendor_id NOT IN (SELECT id FROM vendors) OR assessment_id NOT IN (SELECT id FROM assessments)",
			"contracts":           "vendor_id NOT IN (SELECT id FROM vendors) OR (parent_id IS NOT NULL AND parent_id NOT IN (SELECT id FROM contracts))",
			"vendor_risk_history": "vendor_id NOT IN (SELECT id FROM vendors)",
			"tool_requests":       "vendor_id NOT IN (SELECT id FROM vendors) OR requester_id NOT IN (SELECT id FROM users)",
			"tool_request_events": "request_id NOT IN (SELECT id FROM tool_requests)",
		}
		for tb, where := range orphans {
			if k := count(tb, where); k != 0 {
				t.Errorf("%s: %d rows point at missing rows", tb, k)
			}
		}
		// Scores as scoring stores them: each vendor's latest history entry
		// matches the scores on its row.
		if k := count("vendors v", `v.residual_score <> (SELECT h.residual_score FROM vendor_risk_history h WHERE h.vendor_id = v.id ORDER BY h.created_at DESC, h.id DESC LIMIT 1)`); k != 0 {
			t.Errorf("%d vendors whose scores differ from their latest history entry", k)
		}
		if k := count("assessments", "status = 'completed' AND (effectiveness IS NULL OR completed_at IS NULL)"); k != 0 {
			t.Errorf("%d completed assessments without a score", k)
		}
		res, err := models.VerifyAudit(ctx, db.Gorm)
		if err != nil || !res.OK || res.Checked != count("audit_events", "") {
			t.Fatalf("audit chain after the bulk load: %+v %v", res, err)
		}
		// The dashboard's residual trend over a year of generated history,
		// month by month, against each vendor's last scoring of the month
		// averaged in Go; the marked rows are exactly those last ones.
		now := time.Now().UTC()
		dash, err := models.LoadDashboard(ctx, db.Gorm, "", now)
		if err != nil {
			t.Fatal(err)
		}
		var history []models.VendorRiskHistory
		db.Gorm.Select("id", "vendor_id", "created_at", "residual_score", "month_last").Find(&history)
		type key struct{ vendor, month string }
		lastOf := map[key]models.VendorRiskHistory{}
		for _, h := range history {
			k := key{h.VendorID, h.CreatedAt.UTC().Format("2006-01")}
			if l, ok := lastOf[k]; !ok || h.CreatedAt.After(l.CreatedAt) || (h.CreatedAt.Equal(l.CreatedAt) && h.ID > l.ID) {
				lastOf[k] = h
			}
		}
		for _, h := range history {
			if k := (key{h.VendorID, h.CreatedAt.UTC().Format("2006-01")}); h.MonthLast != (lastOf[k].ID == h.ID) {
				t.Errorf("history %s: month_last %v", h.ID, h.MonthLast)
			}
		}
		from := time.Date(now.Year(), now.Month()-models.TrendMonths+1, 1, 0, 0, 0, 0, time.UTC)
		sums, ns := map[string]int64{}, map[string]int64{}
		for k, h := range lastOf {
			if !h.CreatedAt.Before(from) {
				sums[k.month] += h.ResidualScore
				ns[k.month]++
			}
		}
		if len(dash.ResidualTrend) != len(ns) || len(ns) < 12 {
			t.Errorf("trend has %d months, brute force %d", len(dash.ResidualTrend), len(ns))
		}
		for _, p := range dash.ResidualTrend {
			if want := float64(sums[p.Month]) / float64(ns[p.Month]); p.N != ns[p.Month] || math.Abs(p.Average-want) > 1e-6 {
				t.Errorf("trend %s: %v over %d, brute force %v over %d", p.Month, p.Average, p.N, want, ns[p.Month])
			}
		}
		// The generated portfolio is listed like any other.
		page, err := models.ListVendors(ctx, db.Gorm, models.VendorFilter{Q: "payroll", Limit: 10})
		if err != nil || page.Total == 0 {
			t.Fatalf("search over the portfolio: %d %v", page.Total, err)
		}
	})
}
