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
		if p := strings.Join(plan, "; "); strings.Contains(p, "TEMP B-TREE") || !strings.Contains(p, "INDEX") {
			t.Errorf("%s sorts instead of reading an index: %s", name, p)
		}
	}
}
