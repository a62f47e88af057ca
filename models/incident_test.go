package models_test

import (
	"context"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
)

// TestIncidentMigration: a database at 00045 migrates forward to the
// incident tables; existing vendors and confirmed contract terms are read
// by the incident queries, and the list, counts and links work.
func TestIncidentMigration(t *testing.T) {
	for _, d := range []models.Dialect{models.SQLite, models.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := testdb.OpenEmpty(t, d)
			if err := db.MigrateUpTo(ctx, 45); err != nil {
				t.Fatal(err)
			}
			g := db.Gorm
			v := &models.Vendor{Name: "V", Status: "active", Category: "saas"}
			must(t, g.Omit(laterVendorColumns...).Create(v).Error)
			c := &models.Contract{VendorID: v.ID, Title: "DPA", Type: "dpa", Status: "signed"}
			must(t, g.Omit(laterContractColumns...).Create(c).Error)
			must(t, g.Create(&models.ContractTerm{ContractID: c.ID, TermKey: "breach_notification", Found: true, Normalized: `{"hours":72}`,
				Evidence: `[{"quote":"within 72 hours"}]`, ReviewState: "confirmed", Version: 1}).Error)
			must(t, g.Create(&models.ContractTerm{ContractID: c.ID, TermKey: "cure_period", Found: true, Normalized: `{"days":30}`, ReviewState: "confirmed", Version: 1}).Error)
			if _, err := db.Migrate(ctx, quiet); err != nil {
				t.Fatal(err)
			}
			terms, err := models.ConfirmedVendorTerms(ctx, g, v.ID, "breach_notification")
			if err != nil || len(terms) != 1 || terms[0].ContractTitle != "DPA" || terms[0].Normalized != `{"hours":72}` {
				t.Fatalf("terms %+v %v", terms, err)
			}
			now := time.Now().UTC()
			for _, sev := range []string{"high", "high", "low"} {
				must(t, models.CreateIncident(ctx, g, &models.Incident{VendorID: v.ID, Title: "I", Kind: "breach", Severity: sev, OccurredAt: now, Status: "open"}))
			}
			must(t, models.CreateIncident(ctx, g, &models.Incident{VendorID: v.ID, Title: "Old", Kind: "outage", Severity: "critical", OccurredAt: now, Status: "closed"}))
			n, err := models.OpenIncidentCounts(ctx, g, v.ID)
			if err != nil || n["high"] != 2 || n["low"] != 1 || n["critical"] != 0 {
				t.Fatalf("open counts %v %v", n, err)
			}
			p, err := models.ListIncidents(ctx, g, models.IncidentFilter{Statuses: []string{"closed"}, Sort: "-occurred_at", Limit: 10})
			if err != nil || p.Total != 1 || p.Items[0].Title != "Old" || p.Items[0].AffectedServices != "[]" {
				t.Fatalf("list %+v %v", p, err)
			}
			l := &models.IncidentLink{VendorID: v.ID, TokenHash: "h", ExpiresAt: now.Add(time.Hour)}
			must(t, models.CreateIncidentLink(ctx, g, l))
			if err := models.CreateIncidentLink(ctx, g, &models.IncidentLink{VendorID: v.ID, TokenHash: "h", ExpiresAt: now}); err == nil {
				t.Fatal("a second link with the same token hash was stored")
			}
			must(t, models.RevokeIncidentLink(ctx, g, v.ID, l.ID, now))
			if err := models.RevokeIncidentLink(ctx, g, v.ID, l.ID, now); err != models.ErrNotFound {
				t.Fatalf("revoke twice: %v", err)
			}
		})
	}
}
