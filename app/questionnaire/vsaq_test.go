package questionnaire

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func loadVSAQFixture(t *testing.T) *Import {
	t.Helper()
	data, err := os.ReadFile("testdata/vsaq/vendor_basics.json")
	if err != nil {
		t.Fatal(err)
	}
	imp, err := FromVSAQ(data)
	if err != nil {
		t.Fatalf("FromVSAQ: %v", err)
	}
	return imp
}

func importedTemplate(imp *Import) Template {
	return Template{Key: "imported", Name: imp.Name, Description: imp.Description, Content: imp.Content}
}

func TestFromVSAQFixture(t *testing.T) {
	imp := loadVSAQFixture(t)
	if imp.Format != "vsaq" || imp.Name != "Vendor Security Basics Questionnaire" {
		t.Errorf("format %q name %q", imp.Format, imp.Name)
	}
	if err := importedTemplate(imp).Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	want := map[string][]string{
		"questionnaire_options": {"options"},
		"block_governance":      {"gov_program", "gov_policy_review", "gov_standard_name", "gov_team", "gov_ctl", "gov_audit_firm"},
		"block_data": {"data_shared", "data_shared_details", "data_encryption", "data_encryption_gaps", "data_retention_days",
			"data_dpo", "data_dpo_phone", "data_policy_doc", "data_declaration"},
		"block_infra": {"infra_hosting", "infra_provider", "infra_protocols", "infra_pentest_scope", "infra_pentest"},
	}
	var order []string
	for _, s := range imp.Content.Sections {
		order = append(order, s.Key)
		var keys []string
		for _, q := range s.Questions {
			keys = append(keys, q.Key)
		}
		if !slices.Equal(keys, want[s.Key]) {
			t.Errorf("section %s keys = %v, want %v", s.Key, keys, want[s.Key])
		}
	}
	if !slices.Equal(order, []string{"questionnaire_options", "block_governance", "block_data", "block_infra"}) {
		t.Errorf("sections = %v", order)
	}
	if n := len(imp.Content.Questions()); n != 21 {
		t.Errorf("%d questions, want 21", n)
	}
	types := map[string]string{
		"options": YesNoNA, "gov_program": SingleChoice, "gov_policy_review": YesNoNA, "gov_standard_name": ShortText,
		"gov_ctl": MultipleChoice, "data_shared_details": LongText, "data_policy_doc": File, "data_declaration": YesNoNA,
		"infra_hosting": SingleChoice, "infra_protocols": MultipleChoice,
	}
	for key, typ := range types {
		if q := imp.Content.Find(key); q == nil || q.Type != typ {
			t.Errorf("%s: %+v, want type %s", key, q, typ)
		}
	}
}

func TestFromVSAQTextAndHelp(t *testing.T) {
	c := loadVSAQFixture(t).Content
	checks := []struct{ key, field, want string }{
		// "a" + "b" across lines joined into one string
		{"gov_program", "text", "<p>A security program names owners, policies and reviews.</p><p>Does your company run a security program that covers this service?</p>"},
		{"gov_program", "help", "Warning (critical): No security program"},
		{"gov_program", "help", "If another arrangement covers this, explain it below:"},
		// the one-choice "options" group: the choice is the statement, the info its help
		{"options", "text", "<b>Sensitive data</b> — the service processes personal or otherwise sensitive data."},
		{"options", "help", "Select the options that describe your service."},
		// an untitled group takes the info text before it
		{"gov_ctl", "text", "Select the controls your program includes:"},
		{"gov_ctl", "help", "Warning (high): Independent audits show that controls work in practice."},
		{"infra_hosting", "text", "Where is the service hosted?"},
		// nested block titles lead the help; placeholders become examples
		{"gov_standard_name", "help", "Program Details\n\nFor example: ISO 27001"},
		{"data_declaration", "text", "I confirm that the answers above are true & complete."},
		{"data_encryption", "help", "Tip: Encrypt the rest too"},
	}
	for _, ch := range checks {
		q := c.Find(ch.key)
		if q == nil {
			t.Errorf("%s missing", ch.key)
			continue
		}
		got := q.Text
		if ch.field == "help" {
			got = q.Help
		}
		if !strings.Contains(got, ch.want) {
			t.Errorf("%s %s = %q, want it to contain %q", ch.key, ch.field, got, ch.want)
		}
	}
	if q := c.Find("gov_policy_review"); q.Choices[0].Label != "Yes, at least yearly" || q.Choices[1].Label != "No" {
		t.Errorf("yesno labels = %+v", q.Choices)
	}
}

func TestFromVSAQShowIf(t *testing.T) {
	imp := loadVSAQFixture(t)
	want := map[string]*ShowIf{
		"gov_policy_review":    {Question: "gov_program", Equals: []string{"gov_program_yes"}}, // the block's condition
		"gov_standard_name":    {Question: "gov_policy_review", Equals: []string{"yes"}},       // a yesno id alone means yes
		"gov_audit_firm":       {Question: "gov_ctl", Equals: []string{"gov_ctl_audits"}},      // a checkgroup choice
		"data_shared_details":  {Question: "data_shared", Equals: []string{"yes"}},             // q/yes
		"data_encryption_gaps": {Question: "data_encryption", Equals: []string{"data_encryption_partial", "data_encryption_none"}},
		"infra_provider":       {Question: "infra_hosting", Equals: []string{"infra_hosting_cloud"}}, // loose radios
	}
	for _, q := range imp.Content.Questions() {
		w, conditional := want[q.Key]
		switch {
		case !conditional && q.ShowIf != nil:
			t.Errorf("%s: unexpected show_if %+v", q.Key, q.ShowIf)
		case conditional && (q.ShowIf == nil || q.ShowIf.Question != w.Question || !slices.Equal(q.ShowIf.Equals, w.Equals)):
			t.Errorf("%s: show_if %+v, want %+v", q.Key, q.ShowIf, w)
		}
	}
	dropped := map[string]string{
		"gov_team":            `"req_sensitive" does not imply the enclosing block's condition "gov_program_yes"`,
		"data_retention_days": "several answers at once (&&)",
		"data_dpo":            "whether another item is visible (^)",
		"data_dpo_phone":      "calls a function",
		"infra_pentest_scope": "comes later in the file",
	}
	for key, why := range dropped {
		var note *Note
		for i, n := range imp.Changes {
			if n.Question == key && strings.Contains(n.Message, "was dropped") {
				note = &imp.Changes[i]
			}
		}
		if note == nil || !strings.Contains(note.Message, why) || !strings.HasPrefix(note.Cell, "line ") {
			t.Errorf("%s: dropped-condition note %+v, want one saying %q with its line", key, note, why)
		}
		if q := imp.Content.Find(key); q.ShowIf != nil || q.Required {
			t.Errorf("%s: a dropped condition leaves the question always shown and optional, got %+v required %v", key, q.ShowIf, q.Required)
		}
	}
	if n := imp.Changes[0]; n.Question != "options" || n.Cell != "line 25" {
		t.Errorf("first note = %+v, want the options group at line 25", n)
	}
}

func TestFromVSAQScoring(t *testing.T) {
	c := loadVSAQFixture(t).Content
	scores := func(key string) map[string]any {
		out := map[string]any{}
		for _, ch := range c.Find(key).Choices {
			if ch.Score == nil {
				out[ch.Value] = nil
			} else {
				out[ch.Value] = *ch.Score
			}
		}
		return out
	}
	cases := []struct {
		key      string
		scores   map[string]any
		expected []string
		weight   int
		required bool
	}{
		{"gov_program", map[string]any{"gov_program_yes": 100.0, "gov_program_no": 0.0}, []string{"gov_program_yes"}, 5, true},
		{"gov_policy_review", map[string]any{"yes": 100.0, "no": 0.0}, []string{"yes"}, 4, true},
		// a warning on "yes" makes "no" the good answer
		{"data_shared", map[string]any{"yes": 0.0, "no": 100.0}, []string{"no"}, 4, true},
		// a warning scores 0, advice 50
		{"data_encryption", map[string]any{"data_encryption_all": 100.0, "data_encryption_partial": 50.0, "data_encryption_none": 0.0}, []string{"data_encryption_all"}, 5, true},
		// "None of the above" counts as not applicable; it also lets the group be required
		{"gov_ctl", map[string]any{"gov_ctl_policies": 100.0, "gov_ctl_audits": 100.0, "gov_ctl_risk": 100.0, "none_of_the_above": nil},
			[]string{"gov_ctl_policies", "gov_ctl_audits", "gov_ctl_risk"}, 3, true},
		{"infra_protocols", map[string]any{"infra_protocols_telnet": 0.0, "infra_protocols_http": 100.0, "infra_protocols_other": 100.0},
			[]string{"infra_protocols_http", "infra_protocols_other"}, 5, false},
		{"data_declaration", map[string]any{"yes": 100.0, "no": 0.0}, []string{"yes"}, 3, true},
	}
	for _, tc := range cases {
		q := c.Find(tc.key)
		if got := scores(tc.key); fmt.Sprint(got) != fmt.Sprint(tc.scores) {
			t.Errorf("%s scores = %v, want %v", tc.key, got, tc.scores)
		}
		if !slices.Equal(q.Expected, tc.expected) || q.Weight != tc.weight || q.Required != tc.required {
			t.Errorf("%s expected %v weight %d required %v, want %v %d %v", tc.key, q.Expected, q.Weight, q.Required, tc.expected, tc.weight, tc.required)
		}
	}
	for _, q := range c.Questions() {
		if q.Type == MultipleChoice && q.Scoring != ScoringMax {
			t.Errorf("%s scoring %q", q.Key, q.Scoring)
		}
	}
}

func TestFromVSAQSkippedAndWarnings(t *testing.T) {
	imp := loadVSAQFixture(t)
	var reasons []string
	for _, s := range imp.Skipped {
		reasons = append(reasons, fmt.Sprintf("%d %s", s.Row, s.Reason))
	}
	all := strings.Join(reasons, "\n")
	for _, want := range []string{`218 slider data_volume: item type "slider"`, `292 block block_admin: shown only to VSAQ administrators`, `305 block block_retired: never shown`} {
		if !strings.Contains(all, want) {
			t.Errorf("skipped = %s\nwant %q", all, want)
		}
	}
	if imp.Content.Find("admin_notes") != nil || imp.Content.Find("retired_fax") != nil {
		t.Error("hidden blocks were imported")
	}
	warnings := strings.Join(imp.Warnings, "\n")
	if !strings.Contains(warnings, "item.tooltip") || !strings.Contains(warnings, "3 choice question(s) have no VSAQ tip") {
		t.Errorf("warnings = %v", imp.Warnings)
	}
}

func TestRelaxJSON(t *testing.T) {
	in := "// header \"quoted\"\n{\"a\": \"x // not a comment\" +\n  \"y\", /* gone\n */ \"b\": [1, 2,],\n \"c\": \"http://e.org/*x*/\"}\n"
	out, err := relaxJSON([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := "                  \n{\"a\": \"x // not a commenty\"\n,        \n    \"b\": [1, 2 ],\n \"c\": \"http://e.org/*x*/\"}\n"
	if string(out) != want {
		t.Errorf("relaxJSON =\n%q\nwant\n%q", out, want)
	}
	if bytes.Count(out, []byte("\n")) != strings.Count(in, "\n") {
		t.Error("lines not kept")
	}
}

func TestFromVSAQErrorsNameTheLine(t *testing.T) {
	head := "// comment\n// \"another\"\n{\"questionnaire\": [{\"type\": \"block\", \"text\": \"T\" +\n   \"U\" +\n   \"V\", \"items\": [\n"
	cases := []struct{ name, body, want string }{
		{"missing comma", "{\"type\": \"line\" \"id\": \"x\", \"text\": \"X\"}\n]}]}\n", "line 6:"},
		{"string never closes", "{\"type\": \"line\", \"id\": \"x, \"text\": \"X\"}\n]}]}\n", "line 6:"},
		{"string across lines", "{\"type\": \"line\", \"id\": \"x\",\n \"text\": \"X\n\"}]}]}\n", "line 7:"},
		{"unclosed comment", "\n\n/* oops\n{}]}]}\n", "line 8: a /* comment never closes"},
		{"truncated", "{\"type\": \"line\", \"id\": \"x\", \"text\": \"X\"}\n", "line 7:"},
		{"invalid UTF-8", "{\"type\": \"line\", \"id\": \"x\", \"text\": \"caf\xe9\"}\n]}]}\n", "line 6: the file is not UTF-8"},
		{"not VSAQ", "", "no \"questionnaire\" list"},
	}
	for _, tc := range cases {
		data := head + tc.body
		if tc.name == "not VSAQ" {
			data = `{"sections": []}`
		}
		_, err := FromVSAQ([]byte(data))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}

func vsaqDoc(items string) []byte {
	return []byte(`{"questionnaire": [{"type": "block", "text": "Q", "items": [{"type": "block", "text": "S", "items": [` + items + `]}]}]}`)
}

func TestFromVSAQHostile(t *testing.T) {
	imp, err := FromVSAQ(vsaqDoc(`{"type": "yesno", "id": "x<1>", "yes": "<img src=x onerror=alert(1)>Yes", "no": "No",
		"text": "<script>alert(1)</script>Do you <a href=\"javascript:alert(1)\">patch</a> <b>monthly</b>?"},
		{"type": "tip", "warn": "yes", "cond": "x<1>/yes", "text": "<iframe src=//evil></iframe>Patch faster."}`))
	if err != nil {
		t.Fatal(err)
	}
	q := imp.Content.Find("x<1>")
	if q == nil {
		t.Fatalf("key kept as published: %+v", imp.Content)
	}
	for _, s := range []string{q.Text, q.Help, q.Choices[0].Label} {
		low := strings.ToLower(s)
		if strings.Contains(low, "script") || strings.Contains(low, "javascript:") || strings.Contains(low, "onerror") || strings.Contains(low, "iframe") {
			t.Errorf("unsafe markup kept: %q", s)
		}
	}
	if !strings.Contains(q.Text, "<b>monthly</b>") || !strings.Contains(q.Help, "Patch faster.") {
		t.Errorf("safe markup lost: %q / %q", q.Text, q.Help)
	}
	if err := importedTemplate(imp).Validate(); err != nil {
		t.Error(err)
	}
}

func TestFromVSAQDeepNesting(t *testing.T) {
	inner := `{"type": "line", "id": "deep", "text": "Deep?"}`
	for i := 0; i < maxBlockDepth+2; i++ {
		inner = `{"type": "block", "text": "B", "items": [` + inner + `]}`
	}
	if _, err := FromVSAQ(vsaqDoc(inner)); err == nil || !strings.Contains(err.Error(), "nest deeper") {
		t.Errorf("deep blocks: err = %v", err)
	}
	brackets := `{"questionnaire": ` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`
	if _, err := FromVSAQ([]byte(brackets)); err == nil || !strings.Contains(err.Error(), "line 1: the file nests deeper") {
		t.Errorf("deep brackets: err = %v", err)
	}
}

func TestFromVSAQHugeFiles(t *testing.T) {
	var items []string
	for i := range MaxImportQuestions + 1 {
		items = append(items, fmt.Sprintf(`{"type": "yesno", "id": "q%d", "text": "Question %d?", "yes": "Yes", "no": "No", "cond": "q%d"}`, i, i, max(i-1, 0)))
	}
	start := time.Now()
	if _, err := FromVSAQ(vsaqDoc(strings.Join(items, ",\n"))); err == nil || !strings.Contains(err.Error(), "at most 5000") {
		t.Errorf("too many questions: err = %v", err)
	}
	imp, err := FromVSAQ(vsaqDoc(strings.Join(items[:MaxImportQuestions], ",\n")))
	if err != nil || len(imp.Content.Questions()) != MaxImportQuestions {
		t.Fatalf("%d questions: %v", MaxImportQuestions, err)
	}
	if err := importedTemplate(imp).Validate(); err != nil {
		t.Error(err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v", d)
	}
	big := append(bytes.Repeat([]byte(" "), MaxImportBytes), vsaqDoc("")...)
	if _, err := FromVSAQ(big); err == nil || !strings.Contains(err.Error(), "at most 16 MB") {
		t.Errorf("oversized file: err = %v", err)
	}
}

func TestParseVSAQCond(t *testing.T) {
	cases := []struct {
		in      string
		refs    []string
		negated bool
		why     string
	}{
		{"a", []string{"a"}, false, ""},
		{"a/no", []string{"a/no"}, false, ""},
		{"a || b", []string{"a", "b"}, false, ""},
		{"(a || (b))", []string{"a", "b"}, false, ""},
		{"!a", []string{"a"}, true, "not given"},
		{"a && b", []string{"a", "b"}, false, "&&"},
		{"a || !b", []string{"a", "b"}, false, "negates"},
		{"^a", []string{"^a"}, false, "visible"},
		{"a/value", []string{"a/value"}, false, "/value"},
		{`contains(a/value, "x")`, []string{"contains", "a/value"}, false, "function"},
		{"false", []string{"false"}, false, "constant"},
		{"  ", nil, false, "empty"},
	}
	for _, tc := range cases {
		c := parseVSAQCond(tc.in)
		if !slices.Equal(c.Refs, tc.refs) || c.Negated != tc.negated || (tc.why == "") != (c.Why == "") || !strings.Contains(c.Why, tc.why) {
			t.Errorf("parseVSAQCond(%q) = %+v, want refs %v negated %v why %q", tc.in, c, tc.refs, tc.negated, tc.why)
		}
	}
}

func FuzzFromVSAQ(f *testing.F) {
	data, err := os.ReadFile("testdata/vsaq/vendor_basics.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(vsaqDoc(`{"type": "radiogroup", "choices": [{"": ""}, {"a": "A"}], "defaultChoice": true, "cond": "a || b"}`))
	f.Add([]byte(`// x` + "\n" + `{"questionnaire": [{"type": "block", "text": "a" + "b", "items": [],}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		imp, err := FromVSAQ(data)
		if err != nil || len(imp.Content.Questions()) == 0 {
			return
		}
		if err := importedTemplate(imp).Validate(); err != nil {
			t.Fatalf("imported questionnaire does not validate: %v", err)
		}
	})
}

func TestFromVSAQChoiceValues(t *testing.T) {
	imp, err := FromVSAQ(vsaqDoc(`{"type": "radiogroup", "id": "Host", "text": "Where?", "choices": [{"Opt-A": "Cloud"}, {"opt a": "Also cloud"}, {"ok_b": "Own"}],
		"choicesConds": [{"ok_b": "Host"}]},
		{"type": "line", "id": "which", "text": "Which?", "cond": "Opt-A || ok_b"}`))
	if err != nil {
		t.Fatal(err)
	}
	q := imp.Content.Find("Host")
	var values []string
	for _, c := range q.Choices {
		values = append(values, c.Value)
	}
	if !slices.Equal(values, []string{"opt_a", "opt_a_2", "ok_b"}) {
		t.Errorf("values %v", values)
	}
	if s := imp.Content.Find("which").ShowIf; s == nil || s.Question != "Host" || !slices.Equal(s.Equals, []string{"opt_a", "ok_b"}) {
		t.Errorf("show_if %+v", s)
	}
	notes := fmt.Sprint(imp.Changes)
	for _, want := range []string{`choice id "Opt-A" became the value "opt_a"`, `choice id "opt a" became the value "opt_a_2"`, `offers the choice "ok_b" only when "Host"`} {
		if !strings.Contains(notes, want) {
			t.Errorf("changes %s\nwant %q", notes, want)
		}
	}
	if err := importedTemplate(imp).Validate(); err != nil {
		t.Error(err)
	}
}

func TestFromVSAQLooseItems(t *testing.T) {
	imp, err := FromVSAQ([]byte(`{"questionnaire": [{"type": "line", "id": "root_line", "text": "Loose at the root"},
		{"type": "block", "text": "Q", "items": [{"type": "yesno", "id": "top", "text": "Asked outside any part?"},
			{"type": "block", "text": "Part", "items": [{"type": "info", "text": "Intro to the nested block"},
				{"type": "block", "text": "Nested", "items": [{"type": "box", "id": "inner", "text": "Inner?"}]},
				{"type": "info", "text": "Trailing info"}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, s := range imp.Content.Sections {
		titles = append(titles, s.Key+":"+s.Title)
	}
	if !slices.Equal(titles, []string{"general:General", "q:Q", "part:Part"}) {
		t.Errorf("sections %v", titles)
	}
	if q := imp.Content.Find("inner"); q == nil || q.Help != "Nested\n\nIntro to the nested block" {
		t.Errorf("inner %+v", q)
	}
	if len(imp.Skipped) != 1 || !strings.Contains(imp.Skipped[0].Reason, "Trailing info") {
		t.Errorf("skipped %+v", imp.Skipped)
	}
	if err := importedTemplate(imp).Validate(); err != nil {
		t.Error(err)
	}
}
