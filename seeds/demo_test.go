package seeds_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"rampart/app/password"
	"rampart/app/scoring"
	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

func TestDemoLoadsOnceIntoEmptyDatabase(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		res, err := seeds.Demo(ctx, db.Gorm)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.PortalToken) < 40 {
			t.Fatalf("demo portal token %q", res.PortalToken)
		}
		apage, err := models.ListAssessments(ctx, db.Gorm, models.AssessmentFilter{Limit: 100})
		if err != nil || apage.Total < 30 {
			t.Fatalf("demo assessments: %d %v", apage.Total, err)
		}
		// The scoped demo person sees the Retail banking unit's part of the
		// portfolio, contracts included (they take their vendor's units).
		scoped, err := models.UserByEmail(ctx, db.Gorm, seeds.DemoScopedUser.Email)
		if err != nil {
			t.Fatal(err)
		}
		units, _ := models.UserUnitIDs(ctx, db.Gorm, scoped.ID)
		sctx := models.WithUnits(ctx, units)
		all, _ := models.ListVendors(ctx, db.Gorm, models.VendorFilter{})
		mine, _ := models.ListVendors(sctx, db.Gorm, models.VendorFilter{})
		allC, _ := models.ListContracts(ctx, db.Gorm, models.ContractFilter{})
		myC, _ := models.ListContracts(sctx, db.Gorm, models.ContractFilter{})
		if len(units) != 1 || mine.Total < 10 || mine.Total >= all.Total || myC.Total == 0 || myC.Total >= allC.Total {
			t.Errorf("scoped demo user: units %v, vendors %d of %d, contracts %d of %d", units, mine.Total, all.Total, myC.Total, allC.Total)
		}
		scored, byStatus := 0, map[string]int{}
		for _, a := range apage.Items {
			byStatus[a.Status]++
			if a.Effectiveness != nil && *a.Effectiveness > 0 && *a.Effectiveness <= 100 {
				scored++
			}
		}
		cs, err := models.ListContracts(ctx, db.Gorm, models.ContractFilter{Limit: 200})
		if err != nil || cs.Total < 16 {
			t.Errorf("demo contracts: %d %v", cs.Total, err)
		}
		// Contracts carry the demo's contract custom fields, the budget
		// owner being a real person.
		ids := make([]string, len(cs.Items))
		for i, c := range cs.Items {
			ids[i] = c.ID
		}
		cvals, err := models.LoadCustomValues(ctx, db.Gorm, "contract", ids)
		if err != nil {
			t.Fatal(err)
		}
		filled := 0
		for _, v := range cvals {
			owner, _ := v["budget_owner"].(string)
			if v["purchase_order"] == nil || v["renewal_decision"] == nil || owner == "" {
				continue
			}
			if _, err := models.UserByID(ctx, db.Gorm, owner); err != nil {
				t.Errorf("contract budget owner %q: %v", owner, err)
			}
			filled++
		}
		if filled < len(cs.Items)/2 {
			t.Errorf("demo contracts with custom values: %d of %d", filled, len(cs.Items))
		}
		// One vendor is being offboarded: a waived step with its reason, a
		// data return dated from the confirmed deletion term.
		obv, err := models.ListVendors(ctx, db.Gorm, models.VendorFilter{Q: seeds.DemoOffboardingVendor, Limit: 5, Today: time.Now()})
		if err != nil || obv.Total != 1 || obv.Items[0].Status != "offboarding" {
			t.Fatalf("demo offboarding vendor: %+v %v", obv, err)
		}
		ob, err := models.OpenOffboarding(ctx, db.Gorm, obv.Items[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		obItems, _ := models.OffboardingItems(ctx, db.Gorm, ob.ID)
		waived, dated := 0, 0
		for _, it := range obItems {
			if it.Status == "waived" && it.WaivedReason != "" {
				waived++
			}
			if it.Kind == "data_return" && it.DueOn != "" && strings.Contains(it.TermQuote, "thirty (30) days") {
				dated++
			}
		}
		if waived != 1 || dated != 1 {
			t.Errorf("demo offboarding checklist: %+v", obItems)
		}
		fs, err := models.ListFindings(ctx, db.Gorm, models.FindingFilter{Overdue: true, Today: time.Now().UTC().Format(time.DateOnly), Limit: 50})
		if err != nil || fs.Total == 0 {
			t.Errorf("demo overdue findings: %d %v", fs.Total, err)
		}
		// Every completed one and the submitted one carry a score; one is
		// sent, one in progress, one submitted.
		if scored != byStatus["completed"]+1 || byStatus["sent"] != 1 || byStatus["in_progress"] != 1 || byStatus["submitted"] != 1 {
			t.Errorf("demo assessments by status %v, %d with a score", byStatus, scored)
		}
		// The submitted one shows a conversation on an answer: asked and answered.
		var thread []models.AnswerMessage
		db.Gorm.Joins("JOIN assessments ON assessments.id = answer_messages.assessment_id").
			Where("assessments.status = ?", "submitted").Order("answer_messages.created_at").Find(&thread)
		if len(thread) != 2 || thread[0].AuthorKind != models.AuthorStaff || thread[1].AuthorKind != models.AuthorVendor ||
			thread[0].QuestionKey != thread[1].QuestionKey || !thread[0].CreatedAt.Before(thread[1].CreatedAt) {
			t.Errorf("demo answer thread %+v", thread)
		}
		salts := map[string]string{}
		for _, d := range append(slices.Clone(seeds.DemoUsers), seeds.DemoScopedUser) {
			u, err := models.UserByEmail(ctx, db.Gorm, d.Email)
			if err != nil {
				t.Fatalf("%s: %v", d.Email, err)
			}
			// PHC: $argon2id$v=19$m=...,t=...,p=...$SALT$HASH
			parts := strings.Split(u.PasswordHash, "$")
			if len(parts) != 6 {
				t.Fatalf("%s: hash %q is not a PHC string", d.Email, u.PasswordHash)
			}
			if other, dup := salts[parts[4]]; dup {
				t.Errorf("%s shares its password salt with %s", d.Email, other)
			}
			salts[parts[4]] = d.Email
			if u.Role != d.Role || !u.Active {
				t.Errorf("%s: role %s active %v", d.Email, u.Role, u.Active)
			}
			if ok, _, err := password.Verify(seeds.DemoPassword, u.PasswordHash); !ok || err != nil {
				t.Errorf("%s: demo password does not verify (%v)", d.Email, err)
			}
		}
		page, err := models.ListVendors(ctx, db.Gorm, models.VendorFilter{Limit: 200})
		if err != nil || page.Total != seeds.DemoVendorCount {
			t.Fatalf("demo vendors: %d (%v)", page.Total, err)
		}
		statuses, withOwner := map[string]int{}, 0
		for _, v := range page.Items {
			statuses[v.Status]++
			if v.Owner != nil {
				withOwner++
			}
		}
		if len(statuses) < 5 || withOwner < 10 {
			t.Errorf("demo portfolio lacks variety: statuses %v, %d with an owner", statuses, withOwner)
		}
		counts, err := models.CountRequestsByStatus(ctx, db.Gorm, models.RequestFilter{})
		if err != nil || len(counts) < 6 {
			t.Errorf("demo requests by status: %v (%v)", counts, err)
		}
		// The webhook endpoint has the latest findings and an exception
		// queued, by the types it chose.
		var queued []string
		if err := db.Gorm.Model(&models.WebhookDelivery{}).Distinct("event_type").Order("event_type").Pluck("event_type", &queued).Error; err != nil {
			t.Fatal(err)
		}
		if strings.Join(queued, ",") != "exception.granted,finding.opened" {
			t.Errorf("demo webhook deliveries of types %v", queued)
		}
		// Queued now, though the findings are older: a demo started today
		// retries them for a day rather than giving up at the first failure.
		var old int64
		db.Gorm.Model(&models.WebhookDelivery{}).Where("retry_from < ?", time.Now().Add(-time.Hour)).Count(&old)
		if old != 0 {
			t.Errorf("%d demo deliveries have a retry window that started over an hour ago", old)
		}
		if _, err := seeds.Demo(ctx, db.Gorm); !errors.Is(err, seeds.ErrNotEmpty) {
			t.Fatalf("second load: err = %v, want ErrNotEmpty", err)
		}
		n, _ := models.CountUsers(ctx, db.Gorm)
		if n != int64(len(seeds.DemoUsers)+1) {
			t.Fatalf("%d users after a refused second load, want %d", n, len(seeds.DemoUsers)+1)
		}
	})
}

// TestDemoLooksAYearIn: the demo portfolio is a programme about a year
// old: most vendors assessed over the past year, a score history with
// movement in most months of the dashboard's trend (the month marks
// right), the heat map spread, and a realistic handful of reviews due.
func TestDemoLooksAYearIn(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		start := time.Now()
		if _, err := seeds.Demo(ctx, db.Gorm); err != nil {
			t.Fatal(err)
		}
		t.Logf("demo loaded in %v", time.Since(start))
		now := time.Now().UTC()
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		var vendors []models.Vendor
		db.Gorm.Find(&vendors)
		var assessments []models.Assessment
		db.Gorm.Where("status = ?", "completed").Find(&assessments)
		assessed := map[string]bool{}
		for _, a := range assessments {
			if a.CompletedAt == nil || a.Effectiveness == nil || a.CompletedAt.After(now) || a.CompletedAt.Before(today.AddDate(0, -14, 0)) {
				t.Errorf("completed assessment %s: completed %v, effectiveness %v", a.ID, a.CompletedAt, a.Effectiveness)
			}
			assessed[a.VendorID] = true
		}
		if len(assessed)*4 < 3*len(vendors) || len(assessed) == len(vendors) {
			t.Errorf("%d of %d vendors have a completed assessment, want at least 75%% and not all", len(assessed), len(vendors))
		}
		for _, v := range vendors {
			if v.Tier <= 2 && !assessed[v.ID] {
				t.Errorf("%s (tier %d) was never assessed", v.Name, v.Tier)
			}
		}

		// Findings from weak answers: open, closed and overdue ones.
		var findings []models.Finding
		db.Gorm.Where("source = ?", "assessment").Find(&findings)
		kinds := map[string]int{}
		for _, f := range findings {
			kinds[f.Status]++
			if (f.Status == "open" || f.Status == "in_progress") && f.DueDate < today.Format(time.DateOnly) {
				kinds["overdue"]++
			}
			if (f.Status == "resolved") != (f.ResolvedAt != nil) || f.QuestionKey == "" || f.AssessmentID == nil {
				t.Errorf("finding %q: status %s, resolved %v, question %q", f.Title, f.Status, f.ResolvedAt, f.QuestionKey)
			}
		}
		if kinds["open"] == 0 || kinds["resolved"] == 0 || kinds["overdue"] == 0 || len(findings) > 3*len(assessments) {
			t.Errorf("%d findings from assessments: %v", len(findings), kinds)
		}

		// The history: marks right, months with movement, and exactly what
		// scoring would compute today (rescoring changes nothing).
		var history []models.VendorRiskHistory
		db.Gorm.Find(&history)
		want := append([]models.VendorRiskHistory(nil), history...)
		models.MarkMonthLast(want)
		months := map[string]bool{}
		for i, h := range history {
			if h.MonthLast != want[i].MonthLast {
				t.Errorf("history row %s (%v): month_last %v", h.ID, h.CreatedAt, h.MonthLast)
			}
			months[h.CreatedAt.UTC().Format("2006-01")] = true
		}
		if len(months) < 10 || len(history) < 2*len(vendors) {
			t.Errorf("%d history rows over %d months", len(history), len(months))
		}
		for _, v := range vendors {
			if h, err := scoring.Recompute(ctx, db.Gorm, v.ID, scoring.CauseProfileEdit); err != nil || h != nil {
				t.Errorf("%s: rescoring the demo changed its score (%v): %+v", v.Name, err, h)
			}
		}

		risk, _ := models.UserByEmail(ctx, db.Gorm, "risk@example.com")
		d, err := models.LoadDashboard(ctx, db.Gorm, risk.ID, today)
		if err != nil {
			t.Fatal(err)
		}
		if d.ScoredVendors != d.Vendors || d.Vendors != int64(len(vendors)) {
			t.Errorf("headline across %d vendors of %d", d.ScoredVendors, d.Vendors)
		}
		if len(d.ResidualTrend) < 10 {
			t.Errorf("residual trend has %d months: %+v", len(d.ResidualTrend), d.ResidualTrend)
		}
		averages := map[float64]bool{}
		for _, p := range d.ResidualTrend {
			averages[p.Average] = true
		}
		if len(averages) < 5 {
			t.Errorf("residual trend is flat: %+v", d.ResidualTrend)
		}
		if len(d.Matrix) < 5 {
			t.Errorf("heat map fills %d cells: %+v", len(d.Matrix), d.Matrix)
		}
		if d.OverdueReviews < 1 || d.OverdueReviews > 3 || d.DueSoonReviews < 1 || d.DueSoonReviews > 10 {
			t.Errorf("reviews: %d overdue, %d due within 30 days", d.OverdueReviews, d.DueSoonReviews)
		}
		due, err := models.Deadlines(ctx, db.Gorm, today.Format(time.DateOnly), today.AddDate(0, 0, 30).Format(time.DateOnly))
		if err != nil {
			t.Fatal(err)
		}
		reviews, later := 0, 0
		for _, dl := range due {
			if dl.Kind == "review_due" {
				reviews++
				if dl.Date > today.Format(time.DateOnly) {
					later++
				}
			}
		}
		if reviews < 1 || reviews > 10 || later == 0 {
			t.Errorf("calendar: %d reassessments due within 30 days, %d after today", reviews, later)
		}
		t.Logf("%d/%d assessed, findings %v, %d history rows over %d months, trend %+v, %d cells, overdue %d, due soon %d",
			len(assessed), len(vendors), kinds, len(history), len(months), d.ResidualTrend, len(d.Matrix), d.OverdueReviews, d.DueSoonReviews)
	})
}

func TestGenerateVendorsIsDeterministic(t *testing.T) {
	a, b := seeds.GenerateVendors(300, 7), seeds.GenerateVendors(300, 7)
	names := map[string]bool{}
	for i := range a {
		if a[i].Record.Name != b[i].Record.Name || a[i].Record.AnnualSpend != b[i].Record.AnnualSpend || a[i].Record.Status != b[i].Record.Status {
			t.Fatalf("vendor %d differs between runs", i)
		}
		if names[a[i].Record.Name] {
			t.Fatalf("duplicate generated name %q", a[i].Record.Name)
		}
		names[a[i].Record.Name] = true
	}
	if c := seeds.GenerateVendors(300, 8); c[0].Record.Status == a[0].Record.Status && c[1].Record.Status == a[1].Record.Status && c[2].Record.AnnualSpend == a[2].Record.AnnualSpend {
		t.Error("another seed gives the same data")
	}
}
