package questionnaire

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func f(v float64) *float64 { return &v }

func raw(v any) Answer {
	b, _ := json.Marshal(v)
	return Answer{Value: b}
}

var yesNo = []Choice{{"yes", "Yes", f(100)}, {"no", "No", f(0)}, {"na", "Not applicable", nil}}

var sample = Content{Sections: []Section{
	{Key: "iam", Title: "Access", Questions: []Question{
		{Key: "IAM-01", Type: YesNoNA, Required: true, Weight: 5, Choices: yesNo},
		{Key: "IAM-02", Type: SingleChoice, Weight: 3, Choices: []Choice{{"all", "All users", f(100)}, {"admins", "Admins", f(50)}, {"none", "No", f(0)}},
			ShowIf: &ShowIf{Question: "IAM-01", Equals: []string{"yes"}}},
		{Key: "IAM-03", Type: LongText, Weight: 1},
	}},
	{Key: "bcp", Title: "Continuity", Questions: []Question{
		{Key: "BCP-01", Type: Number, Weight: 2, Thresholds: []Threshold{{f(4), 100}, {f(24), 70}, {nil, 0}}},
		{Key: "BCP-02", Type: Date, Weight: 2, MaxAgeDays: 365},
		{Key: "BCP-03", Type: MultipleChoice, Weight: 1, Scoring: "max", Choices: []Choice{{"soc2", "SOC 2", f(100)}, {"iso", "ISO", f(90)}, {"none", "None", f(0)}}},
		{Key: "BCP-04", Type: File, Weight: 4},
	}},
}}

func TestScoreEachType(t *testing.T) {
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		key   string
		a     Answer
		score float64
		ok    bool
	}{
		{"IAM-01", raw("yes"), 100, true},
		{"IAM-01", raw("no"), 0, true},
		{"IAM-01", raw("na"), 0, false},
		{"IAM-01", Answer{}, 0, false},
		{"IAM-02", raw("admins"), 50, true},
		{"IAM-03", raw("we use SSO"), 0, false},
		{"BCP-01", raw(4), 100, true},
		{"BCP-01", raw(4.5), 70, true},
		{"BCP-01", raw(24), 70, true},
		{"BCP-01", raw(200), 0, true},
		{"BCP-02", raw("2026-01-10"), 100, true},
		{"BCP-02", raw("2025-11-23"), 0, true},
		{"BCP-02", raw("2025-11-24"), 100, true},
		{"BCP-03", raw([]string{"iso", "soc2"}), 100, true},
		{"BCP-03", raw([]string{"none"}), 0, true},
		// A file scores only by a reviewer's verdict, never by being there.
		{"BCP-04", Answer{Files: 1}, 0, true},
		{"BCP-04", Answer{Files: 1, Verdict: FileAccepted}, 100, true},
		{"BCP-04", Answer{Files: 1, Verdict: "rejected"}, 0, true},
		{"BCP-04", Answer{Linked: true, Verdict: FileAccepted}, 100, true},
		{"BCP-04", Answer{Linked: true}, 0, true},
		{"BCP-04", Answer{}, 0, false},
		{"BCP-04", Answer{Verdict: FileAccepted}, 0, false},
	} {
		s, ok := Score(sample.Find(c.key), c.a, today)
		if s != c.score || ok != c.ok {
			t.Errorf("%s %s: %v %v, want %v %v", c.key, c.a.Value, s, ok, c.score, c.ok)
		}
	}
}

func TestEffectiveness(t *testing.T) {
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	answers := map[string]Answer{
		"IAM-01": raw("yes"), "IAM-02": raw("admins"), "IAM-03": raw("notes"),
		"BCP-01": raw(12), "BCP-04": {Files: 2, Verdict: FileAccepted},
	}
	r := Effectiveness(&sample, answers, nil, today)
	// IAM: (100*5 + 50*3) / 8 = 81.25 -> 81.3; BCP: (70*2 + 100*4) / 6 = 90
	// overall: (500 + 150 + 140 + 400) / 14 = 85
	if *r.Sections[0].Score != 81.3 || *r.Sections[1].Score != 90 || *r.Overall != 85 {
		t.Fatalf("scores %v %v %v", *r.Sections[0].Score, *r.Sections[1].Score, *r.Overall)
	}
	if r.Visible != 7 || r.Answered != 5 || r.MissingRequired != 0 {
		t.Fatalf("progress %d/%d missing %d", r.Answered, r.Visible, r.MissingRequired)
	}
	// A finding scores the answer 0, and so does a pending follow-up.
	r = Effectiveness(&sample, answers, map[string]string{"IAM-01": ReviewFinding, "BCP-01": ReviewFollowUp}, today)
	// IAM: (0*5 + 50*3)/8 = 18.75 -> 18.8; BCP: (0*2 + 100*4)/6 = 66.7; overall: (0+150+0+400)/14 = 39.3
	if *r.Sections[0].Score != 18.8 || *r.Sections[1].Score != 66.7 || *r.Overall != 39.3 || !r.Questions["BCP-01"].Counted || *r.Questions["BCP-01"].Score != 0 {
		t.Fatalf("with review marks: %v %v %v %+v", *r.Sections[0].Score, *r.Sections[1].Score, *r.Overall, r.Questions["BCP-01"])
	}
	// Asking a follow-up on the weakest answer never raises the score.
	weak := map[string]Answer{"BCP-01": raw(1), "BCP-04": {Files: 2}}
	before := Effectiveness(&sample, weak, nil, today)
	after := Effectiveness(&sample, weak, map[string]string{"BCP-01": ReviewFollowUp}, today)
	if *after.Overall > *before.Overall {
		t.Fatalf("a follow-up raised the score from %v to %v", *before.Overall, *after.Overall)
	}
	// Hiding: answering no to IAM-01 hides IAM-02, whose answer no longer counts.
	answers["IAM-01"] = raw("no")
	r = Effectiveness(&sample, answers, nil, today)
	if r.Questions["IAM-02"].Visible || *r.Sections[0].Score != 0 || r.Visible != 6 {
		t.Fatalf("hidden question counted: %+v %v", r.Questions["IAM-02"], *r.Sections[0].Score)
	}
	if r := Effectiveness(&sample, map[string]Answer{}, nil, today); r.Overall != nil || r.MissingRequired != 1 {
		t.Fatalf("empty: %+v", r)
	}
}

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		key string
		in  string
		ok  bool
	}{
		{"IAM-01", `"yes"`, true}, {"IAM-01", `"maybe"`, false}, {"IAM-01", `1`, false},
		{"BCP-03", `["soc2","soc2"]`, true}, {"BCP-03", `["pci"]`, false}, {"BCP-03", `"soc2"`, false},
		{"BCP-01", `12.5`, true}, {"BCP-01", `"12"`, false}, {"BCP-01", `1e400`, false},
		{"BCP-02", `"2026-02-30"`, false}, {"BCP-02", `"2026-02-28"`, true},
		{"IAM-03", `"<script>alert(1)</script>"`, true}, {"BCP-04", `"x"`, false},
	} {
		_, err := Check(sample.Find(c.key), json.RawMessage(c.in))
		if (err == nil) != c.ok {
			t.Errorf("%s %s: err %v", c.key, c.in, err)
		}
	}
	norm, _ := Check(sample.Find("BCP-03"), json.RawMessage(`["soc2","soc2","iso"]`))
	if string(norm) != `["soc2","iso"]` {
		t.Errorf("normalised %s", norm)
	}
}

func TestPublishRulesAreLighterThanLibraryRules(t *testing.T) {
	tpl := Template{Key: "mine", Name: "Mine", Content: Content{Sections: []Section{{Key: "s", Title: "S", Questions: []Question{
		{Key: "Q-01", Text: "Do you encrypt backups?", Type: YesNoNA, Weight: 3, Choices: yesNo, Expected: []string{"yes"}},
	}}}}}
	if err := tpl.Validate(); err != nil {
		t.Fatalf("publish rules: %v", err)
	}
	if err := tpl.ValidateLibrary(); err == nil || !strings.Contains(err.Error(), "help is empty") {
		t.Fatalf("library rules: %v", err)
	}
}

func TestParseAnswer(t *testing.T) {
	for _, c := range []struct {
		key, cell, want string
		ok              bool
	}{
		{"IAM-01", "Yes", `"yes"`, true}, {"IAM-01", "n/a", `"na"`, true}, {"IAM-01", "N", `"no"`, true}, {"IAM-01", "maybe", "", false},
		{"IAM-02", "Admins", `"admins"`, true}, {"IAM-02", "all", `"all"`, true},
		{"BCP-03", "SOC 2; ISO", `["soc2","iso"]`, true}, {"BCP-03", "SOC 2; PCI", "", false},
		{"BCP-01", "1,200", `1200`, true}, {"BCP-01", "lots", "", false},
		{"BCP-02", "2026-03-31", `"2026-03-31"`, true}, {"BCP-02", "31/03/2026", `"2026-03-31"`, true}, {"BCP-02", "soon", "", false},
		{"IAM-03", "We use SSO", `"We use SSO"`, true}, {"BCP-04", "report.pdf", "", false}, {"IAM-01", "  ", "", true},
	} {
		got, err := ParseAnswer(sample.Find(c.key), c.cell)
		if (err == nil) != c.ok || (c.ok && string(got) != c.want && !(c.want == "" && got == nil)) {
			t.Errorf("%s %q: %s %v", c.key, c.cell, got, err)
		}
	}
	if AnswerText(sample.Find("BCP-03"), json.RawMessage(`["soc2","iso"]`)) != "SOC 2; ISO" {
		t.Error("AnswerText")
	}
}

func TestLeadingChoice(t *testing.T) {
	for _, c := range []struct{ key, cell, choice, rest string }{
		{"IAM-01", "Yes, logs are kept 90 days", "Yes", "logs are kept 90 days"},
		{"IAM-01", "n/a — not hosted", "n/a", "not hosted"},
		{"IAM-01", "No.", "No", ""},
		{"IAM-02", "Admins only, for now", "Admins", "only, for now"},
		{"IAM-01", "Not yet", "", ""}, {"IAM-01", "N - see notes", "", ""}, {"IAM-01", "Yes", "", ""},
		{"IAM-03", "Yes, SSO", "", ""}, {"BCP-01", "12 hours", "", ""},
	} {
		choice, rest, ok := LeadingChoice(sample.Find(c.key), c.cell)
		if ok != (c.choice != "") || choice != c.choice || rest != c.rest {
			t.Errorf("%s %q: %q %q %v", c.key, c.cell, choice, rest, ok)
		}
	}
}

// Each problem names the field at fault, so the template editor can show
// the message next to that field.
func TestProblemsNameTheirField(t *testing.T) {
	tpl := Template{Key: "demo", Name: "Demo", Content: Content{Sections: []Section{
		{Key: "iam", Title: "", Questions: []Question{
			{Key: "IAM-01", Text: "MFA?", Type: YesNoNA, Weight: 9, Choices: yesNo, Expected: []string{"maybe"}, Frameworks: []string{"A", "A"}},
			{Key: "IAM-02", Text: "", Type: SingleChoice, Weight: 3, Choices: []Choice{{"all", "All", f(100)}, {"some", "Some", f(150)}},
				Expected: []string{"all"}, ShowIf: &ShowIf{Question: "IAM-01", Equals: []string{"sometimes"}}},
			{Key: "IAM-03", Text: "Age?", Type: Date, Weight: 1},
		}},
	}}}
	var ve *ValidationError
	err := tpl.Validate()
	if err == nil {
		t.Fatal("want problems")
	}
	ve = err.(*ValidationError)
	got := map[string][]string{}
	for _, p := range ve.Problems {
		got[p.Question+"/"+p.Field] = append(got[p.Question+"/"+p.Field], p.Message)
	}
	for _, want := range []string{"/title", "IAM-01/weight", "IAM-01/expected", "IAM-01/frameworks", "IAM-02/text", "IAM-02/choices",
		"IAM-02/show_if", "IAM-03/max_age_days"} {
		if len(got[want]) == 0 {
			t.Errorf("no problem for %s; got %v", want, got)
		}
	}
	for _, p := range ve.Problems {
		if p.Field == "" {
			t.Errorf("problem without a field: %+v", p)
		}
	}
}

// FuzzLeadingChoice: any cell either starts with a whole choice word or
// not; the split never panics and the choice is always the cell's start.
func FuzzLeadingChoice(f *testing.F) {
	for _, s := range []string{"Yes, logs", "n/a — x", "İstanbul", "No\xff", "N/A", "Admins only"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cell string) {
		for _, key := range []string{"IAM-01", "IAM-02"} {
			if choice, _, ok := LeadingChoice(sample.Find(key), cell); ok && !strings.HasPrefix(strings.TrimSpace(cell), choice) {
				t.Fatalf("%q: choice %q is not its start", cell, choice)
			}
		}
	})
}
