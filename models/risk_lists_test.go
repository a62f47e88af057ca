package models_test

import (
	"context"
	"strings"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

// TestRiskListsReadIndexes: the exceptions queue, "findings assigned to
// me" and a heat-map cell's vendor list each read an index in their sort
// order on SQLite (the planner says "USE TEMP B-TREE" when it sorts).
func TestRiskListsReadIndexes(t *testing.T) {
	ctx := context.Background()
	db := testdb.Open(t, models.SQLite)
	if _, err := seeds.Demo(ctx, db.Gorm); err != nil {
		t.Fatal(err)
	}
	if err := db.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	for name, q := range map[string]string{
		"pending exceptions, newest first":    "SELECT * FROM risk_exceptions WHERE status IN ('requested') ORDER BY created_at DESC, id DESC LIMIT 26",
		"approved exceptions, soonest expiry": "SELECT * FROM risk_exceptions WHERE status IN ('approved') ORDER BY expires_on, id LIMIT 26",
		"every exception, newest first":       "SELECT * FROM risk_exceptions ORDER BY created_at DESC, id DESC LIMIT 26",
		"findings assigned to me":             "SELECT * FROM findings WHERE owner_id = 'u' ORDER BY created_at DESC, id DESC LIMIT 26",
		"vendors in one matrix cell":          "SELECT * FROM vendors WHERE archived_at IS NULL AND likelihood = 3 AND impact = 2 ORDER BY name, id LIMIT 51",
		"a matrix cell, riskiest first":       "SELECT * FROM vendors WHERE archived_at IS NULL AND likelihood = 3 AND impact = 2 ORDER BY residual_score DESC, id DESC LIMIT 51",
		// A month of the dashboard's residual trend: the partial index
		// of month_last rows, which holds every column it reads.
		"a month of the residual trend": "SELECT AVG(residual_score), COUNT(*) FROM vendor_risk_history WHERE month_last AND created_at >= '2026-01-01' AND created_at < '2026-02-01'",
	} {
		rows, err := db.Gorm.WithContext(ctx).Raw("EXPLAIN QUERY PLAN " + q).Rows()
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if p := strings.Join(plan, "; "); strings.Contains(p, "TEMP B-TREE") || !strings.Contains(p, "INDEX") ||
			(strings.Contains(q, "month_last") && !strings.Contains(p, "COVERING INDEX vendor_risk_history_month_last_idx")) {
			t.Errorf("%s sorts instead of reading an index: %s", name, p)
		}
	}
}
