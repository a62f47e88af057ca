package seeds_test

import (
	"context"
	"strings"
	"testing"

	"rampart/app/incidents"
	"rampart/app/storage"
	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

// TestDemoIncidents: the demo's open breach is flagged late against the
// confirmed 72-hour term, with the clause; the outage is resolved.
func TestDemoIncidents(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		if _, err := seeds.Demo(ctx, db.Gorm); err != nil {
			t.Fatal(err)
		}
		if err := seeds.DemoDocuments(ctx, db.Gorm, storage.Local{Dir: t.TempDir()}); err != nil {
			t.Fatal(err)
		}
		var is []models.Incident
		db.Gorm.Order("created_at").Find(&is)
		if len(is) != 2 || is[0].Status != "open" || is[0].Severity != "high" || is[1].Status != "resolved" {
			t.Fatalf("incidents %+v", is)
		}
		svc := &incidents.Service{DB: db.Gorm}
		d, err := svc.Load(ctx, is[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Notice == nil || !d.Notice.Late || !strings.HasPrefix(d.Notice.Message, "Notice late: 96 h against 72 h in ") ||
			!strings.Contains(d.Notice.Quote, "seventy-two (72) hours") || len(d.Events) != 4 {
			t.Fatalf("notice %+v, %d events", d.Notice, len(d.Events))
		}
	})
}

// TestDemoRemediation: the demo has one finding shared with its vendor,
// with a plan proposed and one progress update with a file, and one open
// evidence request.
func TestDemoRemediation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		if _, err := seeds.Demo(ctx, db.Gorm); err != nil {
			t.Fatal(err)
		}
		if err := seeds.DemoDocuments(ctx, db.Gorm, storage.Local{Dir: t.TempDir()}); err != nil {
			t.Fatal(err)
		}
		var rems []models.FindingRemediation
		db.Gorm.Find(&rems)
		if len(rems) != 1 || rems[0].Status != "plan_proposed" || rems[0].Plan == "" {
			t.Fatalf("remediations %+v", rems)
		}
		evs, _ := models.RemediationEvents(ctx, db.Gorm, rems[0].ID)
		fs, _ := models.RemediationFiles(ctx, db.Gorm, rems[0].ID)
		if len(evs) != 3 || evs[2].Kind != "progress" || len(fs) != 1 {
			t.Fatalf("events %+v, files %+v", evs, fs)
		}
		var reqs []models.EvidenceRequest
		db.Gorm.Find(&reqs)
		if len(reqs) != 1 || reqs[0].Status != "requested" || reqs[0].Kind != "soc2_type2" {
			t.Fatalf("evidence requests %+v", reqs)
		}
	})
}
