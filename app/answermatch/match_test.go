package answermatch

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"rampart/app/questionnaire"
)

// lite is Rampart Lite, the built-in questionnaire: real question texts
// to match against.
func lite(t testing.TB) *questionnaire.Content {
	t.Helper()
	b, err := os.ReadFile("../../seeds/questionnaires/rampart-lite.json")
	if err != nil {
		t.Fatal(err)
	}
	var c questionnaire.Content
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

func TestProposeMarkdownAnswers(t *testing.T) {
	c := lite(t)
	prop := Propose(c, FromText(readFixture(t, "fleet-cloud-answers.md")))
	got := map[string]Proposed{}
	for _, p := range prop.Pairs {
		key := "-"
		if p.Match != nil {
			key = p.Match.QuestionKey
			t.Logf("%-7s %.2f %-4s %v  ← %q", key, p.Match.Similarity, p.Match.By, p.Match.SharedWords, p.SourceQuestion)
		} else {
			t.Logf("unmatched: %q (%s)", p.SourceQuestion, p.Note)
		}
		got[p.SourceQuestion[:min(30, len(p.SourceQuestion))]] = p
	}
	want := map[string]string{
		"Does your organisation maintai": "GOV-01",
		"Which audit reports or certifi": "GOV-04",
		"Do you require multi-factor au": "IAM-01",
		"How quickly is access revoked ": "IAM-06",
		"Are admin accounts kept separa": "IAM-07",
		"Is customer data encrypted at ": "ENC-01",
		"What minimum TLS version do yo": "ENC-04",
		"Are security logs collected ce": "LOG-01",
		"Do you have an incident respon": "IRN-01",
		"What is your recovery time obj": "BCP-02",
		"Do you use subprocessors, and ": "SUB-01",
		"How often do you test restorin": "BCP-04",
		"What is your favourite colour?": "-",
	}
	for src, key := range want {
		p, ok := got[src]
		if !ok {
			t.Errorf("no pair for %q", src)
			continue
		}
		if k := keyOf(p); k != key {
			t.Errorf("%q matched %s, want %s", src, k, key)
		}
	}
	// The answers, read for each question's type.
	for key, want := range map[string]Parsed{
		"GOV-01": {Value: json.RawMessage(`"yes"`), Comment: "Our ISMS policy set is approved by the CEO and reviewed every January."},
		"GOV-04": {Value: json.RawMessage(`["soc2_type2","iso27001"]`)},
		"IAM-01": {Value: json.RawMessage(`"all_users"`), Comment: "Hardware keys are mandatory for engineers."},
		"IAM-06": {Value: json.RawMessage(`24`), Comment: "24 hours at the latest; usually the same day through our HR integration."},
		"LOG-01": {Value: json.RawMessage(`"yes"`), Comment: "Fleet Cloud logs are kept 90 days in our SIEM."},
		"ENC-04": {Value: json.RawMessage(`"tls12"`)},
		"BCP-04": {Value: json.RawMessage(`"quarterly"`), Comment: "Quarterly restore tests, documented"},
	} {
		var p *Proposed
		for i := range prop.Pairs {
			if keyOf(prop.Pairs[i]) == key {
				p = &prop.Pairs[i]
			}
		}
		if p == nil || p.Parsed == nil {
			t.Errorf("%s: no parsed answer", key)
			continue
		}
		if string(p.Parsed.Value) != string(want.Value) || p.Parsed.Comment != want.Comment || p.Parsed.Problem != want.Problem {
			t.Errorf("%s parsed %s %q %q, want %s %q %q", key, p.Parsed.Value, p.Parsed.Comment, p.Parsed.Problem, want.Value, want.Comment, want.Problem)
		}
	}
	if len(prop.UnmatchedTemplateQuestions) != len(c.Questions())-12 {
		t.Errorf("%d template questions unmatched, want %d", len(prop.UnmatchedTemplateQuestions), len(c.Questions())-12)
	}
}

func keyOf(p Proposed) string {
	if p.Match == nil {
		return "-"
	}
	return p.Match.QuestionKey
}

func TestMatchByIDThenText(t *testing.T) {
	m := NewMatcher([]Target{
		{Key: "IAM-01", Text: "Is multi-factor authentication (MFA) required for your workforce?"},
		{Key: "ENC-01", Text: "Is our data encrypted at rest in all production databases, file stores and backups?"},
		{Key: "VUL-04", Text: "How often does an independent tester carry out a penetration test of the service?"},
		{Key: "A&A-01.1", Text: "Are audit and assurance policies established and reviewed annually?"},
	})
	res, open := m.Match([]Pair{
		{ID: "IAM-01", Question: "Completely different words", Ref: "a"},
		{ID: "a&a-01.1 ", Question: "Audit policy", Ref: "b"},
		{Question: "Do you pentest your product at least once a year with an outside firm?", Ref: "c"},
		{Question: "Is 2FA enforced for staff logins?", Ref: "d"},
		{Question: "Is data at rest encrypted?", Ref: "e"},
		{Question: "Is data encrypted when stored, backups included?", Ref: "f"},
		{Question: "What is your office address?", Ref: "g"},
	})
	want := []struct {
		key, by string
	}{{"IAM-01", "id"}, {"A&A-01.1", "id"}, {"VUL-04", "text"}, {"", ""}, {"", ""}, {"ENC-01", "text"}, {"", ""}}
	for i, r := range res {
		got := struct{ key, by string }{}
		if r.Match != nil {
			got.key, got.by = r.Match.QuestionKey, r.Match.By
			t.Logf("%s → %s %.2f %v", r.Pair.Ref, r.Match.QuestionKey, r.Match.Similarity, r.Match.SharedWords)
		} else {
			t.Logf("%s unmatched: %s", r.Pair.Ref, r.Note)
		}
		if got != want[i] {
			t.Errorf("pair %s matched %v, want %v (%s)", r.Pair.Ref, got, want[i], r.Note)
		}
	}
	// d lost IAM-01 to the ID match; e and f both wanted ENC-01 and f is closer.
	if !strings.Contains(res[3].Note, "IAM-01 is answered by a") || !strings.Contains(res[4].Note, "ENC-01 is answered by f") {
		t.Errorf("notes: %q / %q", res[3].Note, res[4].Note)
	}
	if !strings.Contains(res[6].Note, "similar enough") {
		t.Errorf("unmatched note %q", res[6].Note)
	}
	if res[0].Match.Similarity != 1 || len(open) != 0 {
		t.Errorf("id match similarity %v, open %v", res[0].Match.Similarity, open)
	}
	if sw := res[5].Match.SharedWords; len(sw) == 0 || sw[0] == "data" {
		t.Errorf("shared words should lead with the rare ones: %v", sw)
	}
}

func TestParseFree(t *testing.T) {
	c := lite(t)
	cases := []struct {
		key, answer, comment string
		want                 Parsed
	}{
		{"GOV-01", "Yes, Fleet Cloud logs are kept 90 days", "", Parsed{Value: json.RawMessage(`"yes"`), Comment: "Fleet Cloud logs are kept 90 days"}},
		{"GOV-01", "no", "see note", Parsed{Value: json.RawMessage(`"no"`), Comment: "see note"}},
		{"GOV-01", "N/A - we are a reseller", "", Parsed{Value: json.RawMessage(`null`), Comment: "N/A - we are a reseller", Problem: "“N/A” is not one of this question's choices (Yes, No); kept as a comment"}},
		{"PRV-01", "N/A, no personal data", "", Parsed{Value: json.RawMessage(`"na"`), Comment: "No personal data"}},
		{"GOV-01", "Nope", "", Parsed{Value: json.RawMessage(`null`), Comment: "Nope", Problem: "does not start with Yes, No or N/A; kept as a comment"}},
		{"IAM-01", "No", "", Parsed{Value: json.RawMessage(`"no"`)}},
		{"IAM-01", "None of our staff use it", "", Parsed{Value: json.RawMessage(`null`), Comment: "None of our staff use it", Problem: "does not start with one of the choices (Yes, for all users, For administrators and privileged accounts only, No); kept as a comment"}},
		{"BCP-02", "about 4h", "", Parsed{Value: json.RawMessage(`null`), Comment: "about 4h", Problem: "does not start with a number; kept as a comment"}},
		{"BCP-02", "4", "", Parsed{Value: json.RawMessage(`4`)}},
		{"GOV-05", "Attached as SOC2-2025.pdf", "", Parsed{Value: json.RawMessage(`null`), Comment: "Attached as SOC2-2025.pdf", Problem: "file questions are answered by uploading the file; kept as a comment"}},
		{"PRV-03", "The European Economic Area; The United States, by a recipient certified under the EU-US Data Privacy Framework", "", Parsed{Value: json.RawMessage(`["eea","us_dpf"]`)}},
	}
	for _, tc := range cases {
		q := c.Find(tc.key)
		got := ParseFree(q, tc.answer, tc.comment)
		if string(got.Value) != string(tc.want.Value) || got.Comment != tc.want.Comment || got.Problem != tc.want.Problem {
			t.Errorf("%s %q = %s %q %q, want %s %q %q", tc.key, tc.answer, got.Value, got.Comment, got.Problem, tc.want.Value, tc.want.Comment, tc.want.Problem)
		}
	}
	long := ParseFree(c.Find("GOV-01"), "Yes "+strings.Repeat("x", 6000), "")
	if len([]rune(long.Comment)) != MaxComment || !strings.Contains(long.Problem, "shortened") {
		t.Errorf("long comment: %d %q", len([]rune(long.Comment)), long.Problem)
	}
}
