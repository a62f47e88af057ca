package seeds_test

import (
	"context"
	"testing"
	"time"

	"rampart/app/assessments"
	"rampart/app/storage"
	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

func TestDemoDocumentsShowEachReviewState(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		if _, err := seeds.Demo(ctx, db.Gorm); err != nil {
			t.Fatal(err)
		}
		if err := seeds.DemoDocuments(ctx, db.Gorm, storage.Local{Dir: t.TempDir()}); err != nil {
			t.Fatal(err)
		}
		// Evidence: one vendor complete with one document expiring soon, one
		// with an expired SOC 2 report, one missing a required kind.
		var ev []models.EvidenceVersion
		db.Gorm.Order("expires_on").Find(&ev)
		today := time.Now().UTC()
		var expired, soon, read int
		for _, v := range ev {
			if v.ExpiresOn < today.Format(time.DateOnly) {
				expired++
			} else if v.ExpiresOn <= today.AddDate(0, 0, 30).Format(time.DateOnly) {
				soon++
			}
			if v.Extracted != "" && v.Issuer == "Marlowe & Finch LLP" {
				read++
			}
		}
		var gaps, complete int64
		db.Gorm.Model(&models.Vendor{}).Where("evidence_gaps > 0 AND tier IN ?", []int{1, 2}).Count(&gaps)
		db.Gorm.Model(&models.Vendor{}).Where("evidence_gaps = 0 AND tier = 1").Count(&complete)
		if len(ev) != 8 || expired != 1 || soon != 1 || read != 1 || gaps < 2 || complete < 1 {
			t.Fatalf("demo evidence: %d versions, %d expired, %d expiring, %d read; %d vendors with gaps, %d complete", len(ev), expired, soon, read, gaps, complete)
		}
		// The read SOC 2 report's review checklist is worked part way: a
		// CUEC mapped, its exception turned into a finding, the rest open.
		var reviews []models.SOCReview
		db.Gorm.Find(&reviews)
		if len(reviews) != 1 || reviews[0].Status != "open" {
			t.Fatalf("demo SOC reviews: %+v", reviews)
		}
		items, _ := models.SOCReviewItems(ctx, db.Gorm, reviews[0].ID)
		var mapped, raised, open int
		for _, it := range items {
			switch {
			case it.Kind == "cuec" && it.Decision == "mapped" && it.OwnerID != nil:
				mapped++
			case it.Kind == "exception" && it.Decision == "finding" && it.FindingID != nil:
				raised++
			case it.Decision == "":
				open++
			}
		}
		if mapped != 1 || raised != 1 || open == 0 {
			t.Fatalf("demo SOC review items: %d mapped, %d raised, %d open of %d", mapped, raised, open, len(items))
		}
		// File answers of completed assessments stand on the library: an
		// accepted SOC 2 report scores 100, the expired one 0, and the
		// stored scores agree with a fresh computation.
		var linked []models.AssessmentAnswer
		db.Gorm.Where("evidence_document_id IS NOT NULL").Find(&linked)
		scores := map[float64]int{}
		for _, ans := range linked {
			a, err := models.GetAssessment(ctx, db.Gorm, ans.AssessmentID)
			if err != nil {
				t.Fatal(err)
			}
			st, err := (&assessments.Service{DB: db.Gorm}).Load(ctx, db.Gorm, a)
			if err != nil {
				t.Fatal(err)
			}
			if s := st.Result.Questions[ans.QuestionKey].Score; s != nil {
				scores[*s]++
			}
			if a.Effectiveness == nil || st.Result.Overall == nil || *a.Effectiveness != *st.Result.Overall {
				t.Errorf("assessment %s stores %v, scores %v", a.ID, a.Effectiveness, st.Result.Overall)
			}
		}
		if scores[100] < 1 || scores[0] < 1 {
			t.Errorf("linked file answers score %v (%d linked), want both 100 and 0", scores, len(linked))
		}
		var docs int64
		db.Gorm.Model(&models.ContractDocument{}).Where("text <> '' AND NOT needs_ocr").Count(&docs)
		if docs != 3 {
			t.Fatalf("%d demo documents with text, want 3", docs)
		}
		count := func(f models.ContractFilter) int64 {
			f.Limit = 50
			p, err := models.ListContracts(ctx, db.Gorm, f)
			if err != nil {
				t.Fatal(err)
			}
			return p.Total
		}
		if n := count(models.ContractFilter{ReviewStatuses: []string{"signed_off"}}); n != 1 {
			t.Errorf("%d signed-off reviews, want 1", n)
		}
		if n := count(models.ContractFilter{AwaitingReview: true}); n != 2 {
			t.Errorf("%d contracts in the legal queue, want 2", n)
		}
		var found int64
		db.Gorm.Model(&models.ContractTerm{}).Where("found").Count(&found)
		if found < 20 {
			t.Errorf("only %d terms found in the demo documents", found)
		}
		// The imported questionnaire: keys as published, sections in order,
		// the preferred "No" kept, weights from words, the file kept.
		var tpl models.QuestionnaireTemplate
		if err := db.Gorm.Where("name = ?", "Northwind Health vendor questionnaire").Take(&tpl).Error; err != nil {
			t.Fatal(err)
		}
		content, err := assessments.Content(&tpl)
		if err != nil {
			t.Fatal(err)
		}
		if tpl.Status != "draft" || tpl.QuestionCount != 7 || len(content.Sections) != 3 || content.Sections[0].Questions[0].Key != "A&A-01" {
			t.Fatalf("imported demo questionnaire: %s, %d questions, %d sections", tpl.Status, tpl.QuestionCount, len(content.Sections))
		}
		if b01 := content.Find("B-01"); b01.Expected[0] != "no" || b01.Weight != 5 || len(b01.Frameworks) != 1 {
			t.Errorf("B-01 %+v", b01)
		}
		if c02 := content.Find("C-02"); c02.ShowIf != nil {
			t.Errorf("a condition written inside the question text is not a show-if column: %+v", c02.ShowIf)
		}
		if src, err := models.GetTemplateSource(ctx, db.Gorm, tpl.ID); err != nil || src == nil || src.Format != "sheet" {
			t.Fatalf("source %+v %v", src, err)
		}
		if res, err := models.VerifyAudit(ctx, db.Gorm); err != nil || !res.OK {
			t.Fatalf("audit chain after demo documents: %+v %v", res, err)
		}
	})
}
