package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
)

// BenchmarkAssessmentList measures one page of the assessment list under
// each filter at 100,000 assessments over 2,000 vendors (names loaded).
func BenchmarkAssessmentList(b *testing.B) {
	for _, d := range []models.Dialect{models.SQLite, models.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			db := testdb.Open(b, d)
			tpls, err := models.ListTemplates(ctx, db.Gorm, false)
			if err != nil || len(tpls) < 2 {
				b.Fatalf("templates: %v", err)
			}
			start := time.Now()
			var vendorIDs []string
			var vs []models.Vendor
			for i := range 2000 {
				v := models.Vendor{Name: fmt.Sprintf("Vendor %04d", i), NameKey: fmt.Sprintf("vendor %04d", i), Status: "active", Category: "saas"}
				v.ID = models.NewID()
				vs = append(vs, v)
				vendorIDs = append(vendorIDs, v.ID)
			}
			if err := db.Gorm.CreateInBatches(vs, 500).Error; err != nil {
				b.Fatal(err)
			}
			statuses := []string{"completed", "completed", "completed", "in_review", "submitted", "in_progress", "sent", "draft", "cancelled"}
			today := time.Now().UTC()
			var as []models.Assessment
			for i := range 100_000 {
				a := models.Assessment{VendorID: vendorIDs[i%len(vendorIDs)], TemplateID: tpls[i%2].ID, Title: "Bench", Status: statuses[i%len(statuses)],
					DueDate: today.AddDate(0, 0, i%200-100).Format(time.DateOnly), Result: "{}", Version: 1}
				a.ID = models.NewID()
				a.CreatedAt = today.Add(-time.Duration(i) * time.Minute)
				a.UpdatedAt = a.CreatedAt
				as = append(as, a)
			}
			if err := db.Gorm.CreateInBatches(as, 1000).Error; err != nil {
				b.Fatal(err)
			}
			if d == models.Postgres {
				db.Gorm.Exec("VACUUM ANALYZE")
			} else {
				db.Gorm.Exec("ANALYZE")
			}
			b.Logf("seeded 100,000 assessments in %v", time.Since(start).Round(time.Millisecond))
			todayS := today.Format(time.DateOnly)
			for name, f := range map[string]models.AssessmentFilter{
				"all":      {},
				"status":   {Statuses: []string{"in_review"}},
				"vendor":   {VendorID: vendorIDs[7]},
				"template": {TemplateKey: tpls[1].Key},
				"overdue":  {Due: "overdue", Today: todayS},
				"due_soon": {Due: "due_soon", Today: todayS, Sort: "due_date"},
			} {
				b.Run(name, func(b *testing.B) {
					f.Limit = 25
					for b.Loop() {
						p, err := models.ListAssessments(ctx, db.Gorm, f)
						if err != nil || len(p.Items) == 0 || p.Items[0].VendorName == "" {
							b.Fatalf("%d items, err %v", len(p.Items), err)
						}
					}
				})
			}
		})
	}
}
