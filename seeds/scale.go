package seeds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"gorm.io/gorm"

	"rampart/app/contracts"
	"rampart/app/questionnaire"
	"rampart/app/risk"
	"rampart/app/scoring"
	"rampart/models"
)

// ScaleCounts is how many rows of each kind Scale added.
type ScaleCounts struct {
	Vendors, Contacts, Requests, RequestEvents, Assessments, Answers int64
	Findings, Contracts, History, AuditEvents                        int64
}

func (c *ScaleCounts) add(o ScaleCounts) {
	c.Vendors += o.Vendors
	c.Contacts += o.Contacts
	c.Requests += o.Requests
	c.RequestEvents += o.RequestEvents
	c.Assessments += o.Assessments
	c.Answers += o.Answers
	c.Findings += o.Findings
	c.Contracts += o.Contracts
	c.History += o.History
	c.AuditEvents += o.AuditEvents
}

// scaleBatch is how many vendors, with everything hanging off them, go
// into one transaction.
const scaleBatch = 2000

// Scale adds a portfolio of n generated vendors on top of the demo data:
// contacts, intake requests, one assessment each at every stage with
// answers (about ten per vendor), findings, contracts, score history and
// audit events, scored as scoring would score them and inserted in
// batches, calling progress after each. It is how `rampart seed --scale`,
// tests and benchmarks fill a large database quickly. The same n gives the
// same portfolio.
func Scale(ctx context.Context, db *gorm.DB, n int, progress func(done, total int)) (ScaleCounts, error) {
	var counts ScaleCounts
	g, err := newScaleGen(ctx, db)
	if err != nil {
		return counts, err
	}
	specs := GenerateVendors(n, demoSeed+1)
	for start := 0; start < n; start += scaleBatch {
		end := min(start+scaleBatch, n)
		b := g.batch(specs[start:end], start)
		if err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return b.insert(ctx, tx) }); err != nil {
			return counts, err
		}
		counts.add(b.counts())
		if progress != nil {
			progress(end, n)
		}
	}
	// Each row inserted added its dashboard tallies; fold them now rather
	// than leave the first dashboards to sum a few hundred thousand rows.
	_, err = models.FoldDashboardTallies(ctx, db, time.Now())
	return counts, err
}

// answerSet is one way a vendor answered a questionnaire: the first
// visible questions' answers and the effectiveness they score.
type answerSet struct {
	values        map[string]json.RawMessage
	keys          []string
	effectiveness *float64
}

type scaleTemplate struct {
	t    *models.QuestionnaireTemplate
	sets []answerSet
}

// scaleGen holds what every batch draws from.
type scaleGen struct {
	model    *risk.Model
	version  int64
	users    []*models.User // by DemoUsers index
	byRole   map[models.Role]*models.User
	lite     scaleTemplate
	full     scaleTemplate
	rng      *rand.Rand
	today    time.Time
	reviewer *models.User
}

// answersPerAssessment keeps the default portfolio near a million answers.
const answersPerAssessment = 14

func newScaleGen(ctx context.Context, db *gorm.DB) (*scaleGen, error) {
	m, version, err := scoring.Current(ctx, db)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	g := &scaleGen{model: m, version: version, byRole: map[models.Role]*models.User{},
		rng: rand.New(rand.NewPCG(demoSeed+2, 11)), today: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)}
	for _, d := range DemoUsers {
		var u models.User
		if err := db.WithContext(ctx).Where("email = ?", d.Email).Take(&u).Error; err != nil {
			return nil, fmt.Errorf("demo user %s: %w (scale adds to the demo data)", d.Email, err)
		}
		g.users = append(g.users, &u)
		g.byRole[u.Role] = &u
	}
	g.reviewer = g.byRole[models.RoleRiskManager]
	if g.reviewer == nil {
		return nil, errors.New("no risk manager among the demo users")
	}
	ts, err := models.ListTemplates(ctx, db, false)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		if t.Key != "rampart-lite" && t.Key != "rampart-full" {
			continue
		}
		full, err := models.GetTemplate(ctx, db, t.ID)
		if err != nil {
			return nil, err
		}
		st, err := answerSets(full, g.rng, g.today)
		if err != nil {
			return nil, err
		}
		if t.Key == "rampart-lite" {
			g.lite = st
		} else {
			g.full = st
		}
	}
	if g.lite.t == nil || g.full.t == nil {
		return nil, errors.New("the built-in questionnaires are not installed: run rampart migrate")
	}
	return g, nil
}

// answerSets precomputes a few answer patterns of varying quality per
// questionnaire, so a million answers cost no scoring each.
func answerSets(t *models.QuestionnaireTemplate, rng *rand.Rand, today time.Time) (scaleTemplate, error) {
	var c questionnaire.Content
	if err := json.Unmarshal([]byte(t.Content), &c); err != nil {
		return scaleTemplate{}, err
	}
	st := scaleTemplate{t: t}
	for _, quality := range []float64{0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.85, 0.75} {
		set := answerSet{values: map[string]json.RawMessage{}}
		answers := map[string]questionnaire.Answer{}
		for _, q := range c.Questions() {
			if len(set.keys) == answersPerAssessment {
				break
			}
			if !questionnaire.Visible(q, answers) {
				continue
			}
			v := demoAnswer(q, rng, quality, today)
			if v == nil {
				continue
			}
			answers[q.Key] = questionnaire.Answer{Value: v}
			set.values[q.Key] = v
			set.keys = append(set.keys, q.Key)
		}
		set.effectiveness = questionnaire.Effectiveness(&c, answers, nil, today).Overall
		st.sets = append(st.sets, set)
	}
	return st, nil
}

// scaleRows is one batch's rows, inserted in one transaction.
type scaleRows struct {
	vendors     []models.VendorRecord
	contacts    []models.VendorContact
	requests    []models.ToolRequest
	events      []models.ToolRequestEvent
	assessments []models.Assessment
	answers     []models.AssessmentAnswer
	findings    []models.Finding
	contracts   []models.Contract
	history     []models.VendorRiskHistory
	audit       []models.AuditEvent
}

func (b *scaleRows) counts() ScaleCounts {
	return ScaleCounts{Vendors: int64(len(b.vendors)), Contacts: int64(len(b.contacts)), Requests: int64(len(b.requests)),
		RequestEvents: int64(len(b.events)), Assessments: int64(len(b.assessments)), Answers: int64(len(b.answers)),
		Findings: int64(len(b.findings)), Contracts: int64(len(b.contracts)), History: int64(len(b.history)), AuditEvents: int64(len(b.audit))}
}

func (b *scaleRows) insert(ctx context.Context, tx *gorm.DB) error {
	if err := models.InsertVendorsBulk(ctx, tx, b.vendors); err != nil {
		return err
	}
	for _, step := range []func() error{
		func() error { return models.InsertBulk(ctx, tx, b.contacts) },
		func() error { return models.InsertBulk(ctx, tx, b.requests) },
		func() error { return models.InsertBulk(ctx, tx, b.events) },
		func() error { return models.InsertBulk(ctx, tx, b.assessments) },
		func() error { return models.InsertBulk(ctx, tx, b.answers) },
		func() error { return models.InsertBulk(ctx, tx, b.findings) },
		func() error { return models.InsertBulk(ctx, tx, b.contracts) },
		func() error {
			// New vendors only: nothing stored is older than these rows.
			models.MarkMonthLast(b.history)
			return models.InsertBulk(ctx, tx, b.history)
		},
		func() error { return models.AppendAuditBulk(ctx, tx, b.audit) },
	} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

var scaleFindings = []struct{ title, severity string }{
	{"Administrators can sign in without MFA", "critical"}, {"Penetration test older than 18 months", "high"},
	{"No breach notification deadline in the DPA", "high"}, {"Backups not restore-tested", "medium"},
	{"Subprocessor list not published", "medium"}, {"Security awareness training not annual", "low"},
	{"Encryption at rest not documented", "medium"}, {"No SOC 2 report for the current period", "high"},
}

// batch generates the rows of specs, the vendors from number first on.
func (g *scaleGen) batch(specs []VendorSpec, first int) *scaleRows {
	b := &scaleRows{}
	for i := range specs {
		g.vendor(b, &specs[i], first+i)
	}
	return b
}

// vendor adds one vendor and everything hanging off it to b.
func (g *scaleGen) vendor(b *scaleRows, spec *VendorSpec, n int) {
	rng := g.rng
	r := spec.Record
	r.ID = models.NewID()
	if o := spec.OwnerIndex; o >= 0 && g.users[o].Role != models.RoleAuditor {
		r.OwnerID = &g.users[o].ID
	}
	created := g.today.AddDate(0, 0, -30-rng.IntN(1000)).Add(time.Duration(rng.IntN(86400)) * time.Second)
	r.CreatedAt, r.UpdatedAt = created, created.AddDate(0, 0, rng.IntN(30))
	for pos, c := range r.Contacts {
		c.ID, c.VendorID, c.Position, c.CreatedAt, c.UpdatedAt = models.NewID(), r.ID, int64(pos+1), created, created
		b.contacts = append(b.contacts, c)
	}
	if rng.IntN(100) < 40 {
		b.contacts = append(b.contacts, models.VendorContact{Base: models.Base{ID: models.NewID(), CreatedAt: created, UpdatedAt: created},
			VendorID: r.ID, Position: int64(len(r.Contacts) + 1), Name: "Billing desk", Email: "billing@" + r.Domain, Role: "Billing"})
	}
	profile := scoring.ProfileOf(&r)
	in := g.model.Inherent(profile)
	g.history(b, r.ID, created, scoring.CauseCreated, scoring.Inputs{Profile: profile, OpenFindings: map[string]int{}})
	b.audit = append(b.audit, models.AuditEvent{OccurredAt: created, ActorType: models.ActorSystem, ActorLabel: "demo data at scale",
		Action: "vendor.create", ObjectType: "vendor", ObjectID: r.ID, AfterData: models.AuditJSON(map[string]any{"name": r.Name, "status": r.Status})})

	tmpl := &g.lite
	if in.Tier <= 2 {
		tmpl = &g.full
	}
	set := &tmpl.sets[n%len(tmpl.sets)]
	status := []string{"completed", "in_review", "submitted", "in_progress", "sent", "draft"}[weighted(rng, []int{45, 10, 10, 15, 15, 5})]
	a := g.assessment(b, r.ID, tmpl.t, set, status, created)
	open := map[string]int{}
	if (status == "completed" || status == "in_review") && rng.IntN(100) < 35 {
		g.finding(b, r.ID, a, open)
	}
	var eff *float64
	if status == "completed" {
		eff = set.effectiveness
		g.history(b, r.ID, *a.CompletedAt, scoring.CauseAssessmentCompleted, scoring.Inputs{Profile: profile, Effectiveness: eff, OpenFindings: open})
		r.NextReviewOn = a.CompletedAt.AddDate(0, g.model.TierInfo(in.Tier).ReviewMonths, 0).Format(time.DateOnly)
	} else {
		if len(open) > 0 {
			g.history(b, r.ID, b.findings[len(b.findings)-1].CreatedAt, scoring.CauseFindingOpened, scoring.Inputs{Profile: profile, OpenFindings: open})
		}
		r.NextReviewOn = g.today.AddDate(0, 0, n%730-180).Format(time.DateOnly)
	}
	res := g.model.Residual(in, eff, open)
	r.InherentScore, r.Tier, r.ResidualScore = int64(in.Score), int64(in.Tier), int64(res.Score)
	r.Likelihood, r.Impact, r.RiskModelVersion = int64(res.Likelihood), int64(res.Impact), g.version
	if r.Status == "active" || r.Status == "approved" || r.Status == "offboarding" {
		if rng.IntN(100) < 60 {
			g.contract(b, &r, n)
		}
	}
	if rng.IntN(100) < 10 {
		g.request(b, &r, created)
	}
	b.vendors = append(b.vendors, r)
}

func (g *scaleGen) assessment(b *scaleRows, vendorID string, t *models.QuestionnaireTemplate, set *answerSet, status string, created time.Time) *models.Assessment {
	started := created.AddDate(0, 0, 7+g.rng.IntN(20))
	a := models.Assessment{Base: models.Base{ID: models.NewID(), CreatedAt: started, UpdatedAt: started}, VendorID: vendorID, TemplateID: t.ID,
		Title: t.Name, Status: status, DueDate: started.AddDate(0, 0, 30).Format(time.DateOnly), ReviewerID: &g.reviewer.ID,
		ContactName: "Security team", ContactEmail: "security@vendor.example", CreatedBy: &g.reviewer.ID, Result: "{}", Version: 1}
	if status != "draft" {
		a.SentAt = &started
	}
	answered := 0
	switch status {
	case "completed", "in_review", "submitted":
		answered = len(set.keys)
		submitted := started.AddDate(0, 0, 12)
		a.SubmittedAt, a.UpdatedAt = &submitted, submitted
		if status == "completed" {
			done := submitted.AddDate(0, 0, 5)
			a.CompletedAt, a.UpdatedAt, a.Effectiveness = &done, done, set.effectiveness
		}
	case "in_progress":
		answered = len(set.keys) / 2
	}
	for _, k := range set.keys[:answered] {
		ans := models.AssessmentAnswer{Base: models.Base{ID: models.NewID(), CreatedAt: started, UpdatedAt: a.UpdatedAt},
			AssessmentID: a.ID, QuestionKey: k, Value: string(set.values[k]), Confirmed: true}
		if status == "completed" {
			ans.ReviewStatus, ans.ReviewedBy, ans.ReviewedAt = "accepted", &g.reviewer.ID, a.CompletedAt
		}
		b.answers = append(b.answers, ans)
	}
	b.assessments = append(b.assessments, a)
	return &b.assessments[len(b.assessments)-1]
}

func (g *scaleGen) finding(b *scaleRows, vendorID string, a *models.Assessment, open map[string]int) {
	rng := g.rng
	t := scaleFindings[rng.IntN(len(scaleFindings))]
	created := a.CreatedAt.AddDate(0, 0, 14)
	due := created.AddDate(0, 0, map[string]int{"critical": 30, "high": 60, "medium": 90, "low": 180}[t.severity])
	status := []string{"open", "in_progress", "resolved", "risk_accepted"}[weighted(rng, []int{40, 20, 35, 5})]
	f := models.Finding{Base: models.Base{ID: models.NewID(), CreatedAt: created, UpdatedAt: created}, VendorID: vendorID, AssessmentID: &a.ID,
		Title: t.title, Severity: t.severity, Source: "assessment", Status: status, OwnerID: &g.reviewer.ID,
		DueDate: due.Format(time.DateOnly), Description: "Raised during the assessment review.", CreatedBy: &g.reviewer.ID, Version: 1}
	if status == "resolved" {
		done := created.AddDate(0, 0, 20)
		f.ResolvedAt, f.UpdatedAt = &done, done
	} else if status == "open" || status == "in_progress" {
		open[t.severity]++
	}
	b.findings = append(b.findings, f)
	b.audit = append(b.audit, models.AuditEvent{OccurredAt: created, ActorType: models.ActorSystem, ActorLabel: "demo data at scale",
		Action: "finding.create", ObjectType: "finding", ObjectID: f.ID, AfterData: models.AuditJSON(map[string]any{"title": f.Title, "severity": f.Severity})})
}

func (g *scaleGen) contract(b *scaleRows, v *models.VendorRecord, n int) {
	start := contracts.AddMonths(g.today, -(n%36 + 1))
	months := []int{12, 24, 36}[n%3]
	c := models.Contract{Base: models.Base{ID: models.NewID(), CreatedAt: v.CreatedAt, UpdatedAt: v.CreatedAt}, VendorID: v.ID,
		Title: "Master services agreement", Type: "msa", Status: "signed", EffectiveDate: start.Format(time.DateOnly),
		InitialTermMonths: int64(months), AutoRenewal: n%4 != 3, RenewalTermMonths: 12, NoticePeriod: int64([]int{30, 60, 90, 3}[n%4]),
		NoticeUnit: []string{"days", "days", "days", "months"}[n%4], Value: v.AnnualSpend, Currency: v.Currency, OwnerID: v.OwnerID, Version: 1}
	end := contracts.TermEnd(start, months)
	c.EndDate = end.Format(time.DateOnly)
	cur, running := contracts.CurrentTerm(end, c.AutoRenewal, 12, g.today)
	c.CurrentTermEnd = cur.Format(time.DateOnly)
	if running && c.AutoRenewal {
		c.CancelBy = contracts.CancelBy(cur, contracts.Notice{N: int(c.NoticePeriod), Unit: c.NoticeUnit}).Format(time.DateOnly)
	}
	if !running {
		c.Status = "expired"
	}
	b.contracts = append(b.contracts, c)
	b.audit = append(b.audit, models.AuditEvent{OccurredAt: v.CreatedAt, ActorType: models.ActorSystem, ActorLabel: "demo data at scale",
		Action: "contract.create", ObjectType: "contract", ObjectID: c.ID, AfterData: models.AuditJSON(map[string]any{"title": c.Title, "vendor_id": v.ID})})
	if n%3 == 0 {
		dpa := c
		dpa.ID, dpa.ParentID, dpa.Title, dpa.Type, dpa.Value = models.NewID(), &c.ID, "Data processing agreement", "dpa", 0
		b.contracts = append(b.contracts, dpa)
	}
}

func (g *scaleGen) request(b *scaleRows, v *models.VendorRecord, created time.Time) {
	requester := g.byRole[models.RoleRequester]
	at := created.AddDate(0, 0, -14)
	r := models.ToolRequest{Base: models.Base{ID: models.NewID(), CreatedAt: at, UpdatedAt: created}, Title: v.Name,
		VendorName: v.Name, VendorWebsite: v.Website, Purpose: "Needed by " + v.Department + " for daily work.",
		Departments: models.StringList{v.Department}, UserCount: v.InternalUsers, DataTypes: models.StringList(v.DataTypes),
		IntegrationMethods: models.StringList(v.IntegrationMethods), AnnualCost: v.AnnualSpend, Currency: v.Currency,
		Status: "approved", RequesterID: requester.ID, AssigneeID: &g.reviewer.ID, VendorID: &v.ID, DecidedByID: &g.reviewer.ID,
		DecidedAt: &created, Version: 1}
	// What models.CreateToolRequest stores for search.
	r.SearchText = strings.ToLower(strings.Join([]string{r.Title, r.VendorName, r.VendorWebsite, r.Purpose}, "\n"))
	b.requests = append(b.requests, r)
	b.events = append(b.events,
		models.ToolRequestEvent{Base: models.Base{ID: models.NewID(), CreatedAt: at, UpdatedAt: at}, RequestID: r.ID, ActorID: requester.ID, Kind: "created", ToStatus: "submitted"},
		models.ToolRequestEvent{Base: models.Base{ID: models.NewID(), CreatedAt: created, UpdatedAt: created}, RequestID: r.ID, ActorID: g.reviewer.ID,
			Kind: "status", FromStatus: "submitted", ToStatus: "approved"})
}

// history appends a score history entry computed from in, as scoring
// would store it.
func (g *scaleGen) history(b *scaleRows, vendorID string, at time.Time, cause string, in scoring.Inputs) {
	inh := g.model.Inherent(in.Profile)
	res := g.model.Residual(inh, in.Effectiveness, in.OpenFindings)
	fj, _ := json.Marshal(scoring.Factors{Inherent: inh.Factors, Residual: res.Factors})
	ij, _ := json.Marshal(in)
	b.history = append(b.history, models.VendorRiskHistory{Base: models.Base{ID: models.NewID(), CreatedAt: at, UpdatedAt: at},
		VendorID: vendorID, ModelVersion: g.version, InherentScore: int64(inh.Score), Tier: int64(inh.Tier),
		ResidualScore: int64(res.Score), Likelihood: int64(res.Likelihood), Impact: int64(res.Impact),
		Factors: string(fj), Inputs: string(ij), Cause: cause, Changes: "[]"})
}
