package seeds

import (
	"context"
	"math/rand/v2"
	"slices"
	"time"

	"gorm.io/gorm"

	"rampart/app/risk"
	"rampart/app/scoring"
	"rampart/models"
)

// The demo portfolio is a programme about a year old: the register was
// taken on some fourteen months ago, assessments ran through the year, and
// findings were raised and closed along the way, so the dashboard's trend,
// the heat map and the calendar have something to show.

// demoPlan says when each demo vendor was taken on and which assessments
// it went through.
type demoPlan struct {
	onboarded   []time.Time
	assessments []demoAssessment
}

// planDemo plans the year of the vendors in specs (tiers from model m):
// the first six keep the assessments tests and the demo banner rely on
// (three completed, one submitted, one in progress, one just sent with a
// portal link); the critical and high tiers are all assessed, as are most
// moderate ones; a few moderate vendors, mostly ones not in use, never
// were. Completions spread over the past year, so the tier cadence puts a
// few reassessments in the next weeks, and two vendors whose reassessment
// is still running are overdue.
func planDemo(specs []VendorSpec, m *risk.Model, now time.Time) demoPlan {
	rng := rand.New(rand.NewPCG(demoSeed, 13))
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	p := demoPlan{onboarded: make([]time.Time, len(specs))}
	// The register: taken on over a week some fourteen months ago.
	for i := range specs {
		p.onboarded[i] = today.AddDate(0, 0, -420-i%9).Add(time.Duration(9+i%8) * time.Hour)
	}
	p.assessments = []demoAssessment{
		{vendor: 0, template: "rampart-full", status: "completed", answered: 1, quality: 0.85, daysAgo: 40},
		{vendor: 1, template: "rampart-lite", status: "completed", answered: 1, quality: 0.6, daysAgo: 95},
		{vendor: 2, template: "rampart-lite", status: "completed", answered: 1, quality: 0.95, daysAgo: 150},
		// Reassessments under way: 3 and 4 are past their yearly review,
		// 5 is due within weeks and was sent early.
		{vendor: 3, template: "rampart-full", status: "completed", answered: 1, quality: 0.75, daysAgo: 385},
		{vendor: 4, template: "rampart-full", status: "completed", answered: 1, quality: 0.65, daysAgo: 378},
		{vendor: 5, template: "rampart-full", status: "completed", answered: 1, quality: 0.9, daysAgo: 352},
		{vendor: 3, template: "rampart-full", status: "submitted", answered: 1, quality: 0.7, daysAgo: 20},
		{vendor: 4, template: "rampart-lite", status: "in_progress", answered: 0.5, quality: 0.8, daysAgo: 10},
		{vendor: 5, template: "rampart-lite", status: "sent", daysAgo: 3},
	}
	var rest []int
	for i := 6; i < len(specs); i++ {
		tier := m.Inherent(scoring.ProfileOf(&specs[i].Record)).Tier
		st := specs[i].Record.Status
		never := tier >= 3 && (i%3 == 0 || st == "rejected" || st == "terminated" || st == "in_review" || st == "proposed")
		if !never {
			rest = append(rest, i)
		}
	}
	// Completions one every dozen days or so over the year, the latest
	// a week ago, in an order that mixes tiers and statuses.
	perm := rng.Perm(len(rest))
	for k, i := range rest {
		daysAgo := 8 + perm[k]*340/max(len(rest)-1, 1)
		tmpl := "rampart-lite"
		if m.Inherent(scoring.ProfileOf(&specs[i].Record)).Tier <= 2 {
			tmpl = "rampart-full"
		}
		p.assessments = append(p.assessments, demoAssessment{vendor: i, template: tmpl, status: "completed", answered: 1,
			quality: 0.5 + 0.47*rng.Float64(), daysAgo: daysAgo})
		// Every seventh vendor came through intake during the year, a
		// month before its first assessment.
		if i%7 == 6 {
			p.onboarded[i] = today.AddDate(0, 0, -daysAgo-17-30).Add(10 * time.Hour)
		}
	}
	return p
}

// scoreEvent is a moment a vendor's score may have moved.
type scoreEvent struct {
	at    time.Time
	cause string
}

// replayHistory scores each vendor at every moment its inputs changed
// (taken on, assessment completed, finding raised or closed, exception
// granted), with the inputs as they stood then, and stores that history
// with each month's last score marked, and the latest score on the vendor:
// the history scoring.Recompute would have written had the year happened.
func replayHistory(ctx context.Context, tx *gorm.DB, vendorIDs []string) error {
	m, version, err := scoring.Current(ctx, tx)
	if err != nil {
		return err
	}
	var assessments []models.Assessment
	if err := tx.WithContext(ctx).Where("status = ? AND completed_at IS NOT NULL", "completed").Find(&assessments).Error; err != nil {
		return err
	}
	var findings []models.Finding
	if err := tx.WithContext(ctx).Find(&findings).Error; err != nil {
		return err
	}
	var exceptions []models.RiskException
	if err := tx.WithContext(ctx).Where("status = ? AND finding_id IS NOT NULL", "approved").Find(&exceptions).Error; err != nil {
		return err
	}
	accepted := map[string]models.RiskException{}
	for _, e := range exceptions {
		accepted[*e.FindingID] = e
	}
	byVendor := map[string][]models.Assessment{}
	for _, a := range assessments {
		byVendor[a.VendorID] = append(byVendor[a.VendorID], a)
	}
	findingsOf := map[string][]models.Finding{}
	for _, f := range findings {
		findingsOf[f.VendorID] = append(findingsOf[f.VendorID], f)
	}
	var rows []models.VendorRiskHistory
	for _, id := range vendorIDs {
		v, err := models.GetVendor(ctx, tx, id)
		if err != nil {
			return err
		}
		events := []scoreEvent{{v.CreatedAt.UTC(), scoring.CauseCreated}}
		for _, a := range byVendor[id] {
			events = append(events, scoreEvent{a.CompletedAt.UTC(), scoring.CauseAssessmentCompleted})
		}
		for _, f := range findingsOf[id] {
			events = append(events, scoreEvent{f.CreatedAt.UTC(), scoring.CauseFindingOpened})
			if f.ResolvedAt != nil {
				events = append(events, scoreEvent{f.ResolvedAt.UTC(), scoring.CauseFindingClosed})
			}
			if e, ok := accepted[f.ID]; ok && e.DecidedAt != nil {
				events = append(events, scoreEvent{e.DecidedAt.UTC(), scoring.CauseExceptionGranted})
			}
		}
		slices.SortStableFunc(events, func(a, b scoreEvent) int { return a.at.Compare(b.at) })
		var prev *models.VendorRiskHistory
		for _, ev := range events {
			var last *models.Assessment
			for k := range byVendor[id] {
				a := &byVendor[id][k]
				if !a.CompletedAt.After(ev.at) && (last == nil || a.CompletedAt.After(*last.CompletedAt)) {
					last = a
				}
			}
			open := map[string]int{}
			for _, f := range findingsOf[id] {
				if f.CreatedAt.After(ev.at) || (f.ResolvedAt != nil && !f.ResolvedAt.After(ev.at)) {
					continue
				}
				if e, ok := accepted[f.ID]; ok && e.DecidedAt != nil && !e.DecidedAt.After(ev.at) {
					continue
				}
				open[f.Severity]++
			}
			h := scoring.Score(m, version, v, last, open, models.HeldEvidence{}, nil, prev, ev.cause) // evidence comes later, with DemoDocuments
			if h == nil {
				continue
			}
			h.ID, h.CreatedAt, h.UpdatedAt = models.NewID(), ev.at, ev.at
			rows = append(rows, *h)
			prev = h
		}
		if prev == nil {
			continue
		}
		if err := models.SetVendorRisk(ctx, tx, id, prev); err != nil {
			return err
		}
		if err := models.SetNextReview(ctx, tx, id, v.NextReviewOn); err != nil {
			return err
		}
	}
	// Only new vendors: nothing stored to unmark.
	models.MarkMonthLast(rows)
	return models.InsertBulk(ctx, tx, rows)
}
