package risk_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"rampart/app/risk"
	"rampart/seeds"
)

func model(t *testing.T) *risk.Model {
	t.Helper()
	m, err := seeds.RiskModel()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func points(in risk.Inherent, key string) int {
	for _, f := range in.Factors {
		if f.Key == key {
			return f.Points
		}
	}
	return -1
}

func TestInherentFactorsAndBoundaries(t *testing.T) {
	m := model(t)
	base := risk.Profile{Criticality: "low", AccessLevel: "none"}
	for _, c := range []struct {
		name  string
		edit  func(p *risk.Profile)
		key   string
		want  int
		score int
	}{
		{"nothing", func(p *risk.Profile) {}, "data_types", 0, 0},
		{"one data type", func(p *risk.Profile) { p.DataTypes = []string{"personal_data"} }, "data_types", 16, 16},
		{"most sensitive plus extras", func(p *risk.Profile) { p.DataTypes = []string{"internal", "health_data", "personal_data"} }, "data_types", 28, 28},
		{"data points capped", func(p *risk.Profile) {
			p.DataTypes = []string{"health_data", "payment_card_data", "personal_data", "customer_data", "credentials_secrets"}
		}, "data_types", 30, 30},
		{"administrative access", func(p *risk.Profile) { p.AccessLevel = "administrative" }, "access_level", 20, 20},
		{"integrations add up", func(p *risk.Profile) { p.IntegrationMethods = []string{"sso", "api"} }, "integration_methods", 6, 6},
		{"integrations capped", func(p *risk.Profile) { p.IntegrationMethods = []string{"agent", "api", "file_transfer"} }, "integration_methods", 12, 12},
		{"spend at band edge", func(p *risk.Profile) { p.AnnualSpend = 10000 }, "annual_spend", 0, 0},
		{"spend just above", func(p *risk.Profile) { p.AnnualSpend = 10001 }, "annual_spend", 2, 2},
		{"spend top band", func(p *risk.Profile) { p.AnnualSpend = 5_000_000 }, "annual_spend", 6, 6},
		{"users at edge", func(p *risk.Profile) { p.InternalUsers = 100 }, "internal_users", 2, 2},
		{"users above", func(p *risk.Profile) { p.InternalUsers = 101 }, "internal_users", 4, 4},
		{"safe region", func(p *risk.Profile) { p.HostingRegions = []string{"eu", "UK"} }, "hosting_regions", 0, 0},
		{"other region once", func(p *risk.Profile) { p.HostingRegions = []string{"US", "APAC"} }, "hosting_regions", 6, 6},
		{"critical", func(p *risk.Profile) { p.Criticality = "critical" }, "criticality", 15, 15},
	} {
		p := base
		c.edit(&p)
		in := m.Inherent(p)
		if got := points(in, c.key); got != c.want || in.Score != c.score {
			t.Errorf("%s: %s = %d (score %d), want %d (score %d)", c.name, c.key, got, in.Score, c.want, c.score)
		}
	}
	max := m.Inherent(risk.Profile{DataTypes: []string{"health_data", "payment_card_data", "credentials_secrets", "personal_data"}, AccessLevel: "network",
		IntegrationMethods: []string{"agent", "api"}, Criticality: "critical", AnnualSpend: 9e9, InternalUsers: 9e6, HostingRegions: []string{"US"}})
	if max.Score != 100 || max.Tier != 1 {
		t.Errorf("everything at most: %d tier %d", max.Score, max.Tier)
	}
}

func TestTierBoundaries(t *testing.T) {
	m := model(t)
	for score, tier := range map[int]int{100: 1, 60: 1, 59: 2, 40: 2, 39: 3, 20: 3, 19: 4, 0: 4} {
		if got := m.TierOf(score); got != tier {
			t.Errorf("score %d: tier %d, want %d", score, got, tier)
		}
	}
	if m.TierInfo(1).DefaultQuestionnaire != "rampart-full" || m.TierInfo(4).DefaultQuestionnaire != "rampart-lite" || m.TierInfo(1).ReviewMonths != 12 {
		t.Error("tier settings")
	}
}

func TestResidual(t *testing.T) {
	m := model(t)
	in := risk.Inherent{Score: 70, Tier: 1}
	eff := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		name          string
		eff           *float64
		findings      map[string]int
		score, li, im int
	}{
		// 70 - round(70*0.6*0) + 0 = 70; likelihood ceil(100/20)=5, impact ceil(70/20)=4
		{"no assessment", nil, nil, 70, 5, 4},
		// 70 - round(70*0.6*0.8)=34 -> 36; likelihood ceil(20/20)=1
		{"good controls", eff(80), nil, 36, 1, 4},
		// 36 + 15 (critical) + 8 (high) = 59; likelihood 1 + 2 = 3
		{"with findings", eff(80), map[string]int{"critical": 1, "high": 1}, 59, 3, 4},
		// findings capped at 30: 36 + 30 = 66
		{"findings capped", eff(80), map[string]int{"critical": 3}, 66, 3, 4},
		// 70 - 42 = 28; likelihood ceil(0)=0 -> 1
		{"perfect controls", eff(100), nil, 28, 1, 4},
	} {
		r := m.Residual(in, c.eff, c.findings)
		if r.Score != c.score || r.Likelihood != c.li || r.Impact != c.im {
			t.Errorf("%s: residual %d L%d I%d, want %d L%d I%d", c.name, r.Score, r.Likelihood, r.Impact, c.score, c.li, c.im)
		}
	}
}

func TestDiffExplainsChanges(t *testing.T) {
	m := model(t)
	before := m.Inherent(risk.Profile{AccessLevel: "read_only", Criticality: "low", DataTypes: []string{"internal"}})
	after := m.Inherent(risk.Profile{AccessLevel: "administrative", Criticality: "low", DataTypes: []string{"internal", "personal_data"}})
	d := risk.Diff(before.Factors, after.Factors)
	// Equal changes keep the factors' order: data first.
	if len(d) != 2 || d[1] != "Access to our systems changed from read-only to administrative: +14" ||
		d[0] != "Data handled changed from internal information to internal information, personal data: +14" {
		t.Fatalf("diff %q", d)
	}
	// An entry stored before labels existed has codes only; the same
	// codes with the same points are no change.
	old := slices.Clone(before.Factors)
	for i := range old {
		old[i].Text = ""
	}
	if d := risk.Diff(old, before.Factors); len(d) != 0 {
		t.Fatalf("labels alone changed: %q", d)
	}
	if d := risk.Diff(after.Factors, after.Factors); len(d) != 0 {
		t.Fatalf("no change: %q", d)
	}
}

func TestModelValidation(t *testing.T) {
	if _, err := risk.Decode([]byte(`{"version":1,"colour":"red"}`)); err == nil {
		t.Error("unknown field accepted")
	}
	// Each broken model names the field at fault, so the editor can show
	// the message beside it.
	for name, c := range map[string]struct{ from, to, field string }{
		"tiers unordered":    {`"min_score": 40`, `"min_score": 70`, "tiers[1].min_score"},
		"threshold over 100": {`"min_score": 60`, `"min_score": 160`, "tiers[0].min_score"},
		"last tier above 0":  {`"min_score": 0`, `"min_score": 5`, "tiers[3].min_score"},
		"cadence":            {`"review_months": 36`, `"review_months": 0`, "tiers[3].review_months"},
		"open band": {`{ "max": null, "points": 6 }
  ],
  "internal_users"`, `{ "max": 5, "points": 6 }
  ],
  "internal_users"`, "annual_spend"},
		"control weight": {`"control_weight": 0.6`, `"control_weight": 1.6`, "control_weight"},
		"points":         {`"administrative": 20`, `"administrative": 200`, "access_levels.administrative"},
		"remediation":    {`"high": 60`, `"high": 0`, "remediation_days.high"},
		"matrix labels":  {`"Rare", `, ``, "labels.likelihood"},
	} {
		js := strings.Replace(string(mustModelJSON(t)), c.from, c.to, 1)
		_, err := risk.Decode([]byte(js))
		var ps risk.Problems
		if !errors.As(err, &ps) || !slices.ContainsFunc(ps, func(p risk.Problem) bool { return p.Field == c.field }) {
			t.Errorf("%s: want a problem at %s, got %v", name, c.field, err)
		}
	}
}

func TestLabels(t *testing.T) {
	m := model(t)
	if got := m.Label("access_levels", "read_only"); got != "read-only" {
		t.Errorf("read_only is %q", got)
	}
	// Codes without a label stay readable.
	if got := m.Label("access_levels", "remote_hands"); got != "remote hands" {
		t.Errorf("unlabelled code is %q", got)
	}
	in := m.Inherent(risk.Profile{AccessLevel: "read_write", AnnualSpend: 1234567, IntegrationMethods: []string{"sso", "api"}})
	want := map[string]string{"access_level": "read-write", "annual_spend": "1,234,567", "integration_methods": "single sign-on, API", "data_types": "none"}
	for _, f := range in.Factors {
		if w, ok := want[f.Key]; ok && f.Text != w {
			t.Errorf("%s reads %q, want %q", f.Key, f.Text, w)
		}
	}
}

func mustModelJSON(t *testing.T) []byte {
	t.Helper()
	return seeds.RiskModelJSON()
}
