package questionnaire

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

func loadCAIQFixture(t *testing.T) *Import {
	t.Helper()
	data, err := os.ReadFile("testdata/caiq/caiq-v4.json")
	if err != nil {
		t.Fatal(err)
	}
	imp, err := FromCAIQJSON(data)
	if err != nil {
		t.Fatalf("FromCAIQJSON: %v", err)
	}
	return imp
}

func TestFromCAIQJSONFixture(t *testing.T) {
	imp := loadCAIQFixture(t)
	if imp.Format != "caiq" || imp.Name != "Consensus Assessments Initiative Questionnaire v4.0.3" {
		t.Errorf("format %q name %q", imp.Format, imp.Name)
	}
	if err := importedTemplate(imp).Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	sections := map[string]struct {
		title string
		keys  []string
	}{
		"a_a": {"A&A · Audit & Assurance", []string{"A&A-01.1", "A&A-01.2", "A&A-02.1"}},
		"bcr": {"BCR · Business Continuity Management and Operational Resilience", []string{"BCR-01.1", "BCR-01.2", "BCR-08.1", "BCR-08.2", "BCR-08.3"}},
		"iam": {"IAM · Identity & Access Management", []string{"IAM-02.1", "IAM-14.1", "IAM-14.2"}},
	}
	var order []string
	for _, s := range imp.Content.Sections {
		order = append(order, s.Key)
		var keys []string
		for _, q := range s.Questions {
			keys = append(keys, q.Key)
		}
		if w := sections[s.Key]; s.Title != w.title || !slices.Equal(keys, w.keys) {
			t.Errorf("section %s %q %v, want %q %v", s.Key, s.Title, keys, w.title, w.keys)
		}
	}
	if !slices.Equal(order, []string{"a_a", "bcr", "iam"}) {
		t.Errorf("sections %v", order)
	}
	lite := 0
	for _, q := range imp.Content.Questions() {
		if q.Type != YesNoNA || !q.Required || q.Weight != 3 || !slices.Equal(q.Expected, []string{"yes"}) {
			t.Errorf("%s: type %s required %v weight %d expected %v", q.Key, q.Type, q.Required, q.Weight, q.Expected)
		}
		if c := q.Choices; len(c) != 3 || *c[0].Score != 100 || *c[1].Score != 0 || c[2].Value != "na" || c[2].Score != nil {
			t.Errorf("%s choices %+v", q.Key, c)
		}
		if slices.Contains(q.Frameworks, "CAIQ Lite") {
			lite++
		}
	}
	if lite != 6 {
		t.Errorf("%d CAIQ Lite questions, want 6", lite)
	}
}

func TestFromCAIQJSONContent(t *testing.T) {
	imp := loadCAIQFixture(t)
	c := imp.Content
	q := c.Find("A&A-01.1")
	want := []string{"CCM v4 A&A-01", "CAIQ Lite", "ISO/IEC 27001:2013 A.18.2.1", "ISO/IEC 27001:2013 A.18.2.2", "NIST SP 800-53 r5 CA-1"}
	if !slices.Equal(q.Frameworks, want) {
		t.Errorf("frameworks %q, want %q", q.Frameworks, want)
	}
	if q.Text != "Are audit & assurance policies and procedures written down, approved, communicated and applied?" {
		t.Errorf("text %q", q.Text)
	}
	if want := "A&A-01 Audit and Assurance Policy and Procedures\n\nKeep written audit and assurance policies and procedures.\nApprove them"; !strings.HasPrefix(q.Help, want) {
		t.Errorf("help %q", q.Help)
	}
	if q := c.Find("A&A-01.2"); !strings.Contains(q.Text, "reviewed\nat least") {
		t.Errorf("multi-line text %q", q.Text)
	}
	if q := c.Find("A&A-02.1"); q == nil || q.Frameworks[0] != "CCM v4 A&A-02" {
		t.Errorf("\\u0026 in ids: %+v", q)
	}
	if q := c.Find("BCR-01.2"); !slices.Equal(q.Frameworks, []string{"CCM v4 BCR-01"}) {
		t.Errorf("no mappings, not lite: %q", q.Frameworks)
	}
	if q := c.Find("BCR-08.3"); q.Text != "Do you test that backups can be restored — and how resilient they are?" {
		t.Errorf("entity: %q", q.Text)
	}
	if q := c.Find("IAM-14.1"); !strings.Contains(q.Help, "<b>multi-factor</b>") || !strings.Contains(q.Help, "concerned;<br>use") {
		t.Errorf("markup help %q", q.Help)
	}
	if len(imp.Warnings) != 1 || imp.Warnings[0] != "fields this importer does not use were ignored: control.ccm_version, question.ssrm" {
		t.Errorf("warnings %q", imp.Warnings)
	}
	if len(imp.Changes) != 0 || len(imp.Skipped) != 0 {
		t.Errorf("changes %v skipped %v", imp.Changes, imp.Skipped)
	}
}

// TestFromCAIQJSONVariants reads the spellings of other JSON renderings.
func TestFromCAIQJSONVariants(t *testing.T) {
	docs := map[string]string{
		"capitalised, object mappings": `{"Title": "CAIQ", "Domains": [{"Domain ID": "DSP", "Domain Name": "Data Security and Privacy Lifecycle Management",
			"Controls": [{"Control ID": "DSP-07", "Control Title": "Data Protection by Design", "Control Specification": "Build protection in.",
			"Questions": [{"Question ID": "DSP-07.1", "Question": "Is protection built in?", "CAIQ Lite": "Yes",
				"Mappings": {"ISO 27001": ["A.14.2.5"], "NIST 800-53": "SA-8; SA-17"}}]}]}]}`,
		"snake case, string mappings": `{"name": "CAIQ", "domains": [{"domain_id": "DSP", "name": "Data Security and Privacy Lifecycle Management",
			"controls": [{"control_id": "DSP-07", "name": "Data Protection by Design", "description": "Build protection in.",
			"questions": [{"question_id": "DSP-07.1", "question_text": "Is protection built in?", "is_lite": true,
				"references": ["ISO 27001 A.14.2.5", "NIST 800-53 SA-8\nNIST 800-53 SA-17"]}]}]}]}`,
		"list of domains, mappings on the control": `[{"id": "DSP", "title": "Data Security and Privacy Lifecycle Management",
			"controls": [{"id": "DSP-07", "title": "Data Protection by Design", "specification": "Build protection in.",
				"mappings": [{"standard": "ISO 27001", "controls": "A.14.2.5"}, {"standard": "NIST 800-53", "ids": ["SA-8", "SA-17"]}],
			"questions": [{"id": "DSP-07.1", "text": "Is protection built in?", "lite": "x"}]}]}]`,
	}
	for name, doc := range docs {
		imp, err := FromCAIQJSON([]byte(doc))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if err := importedTemplate(imp).Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		q := imp.Content.Find("DSP-07.1")
		if q == nil || len(imp.Content.Sections) != 1 || imp.Content.Sections[0].Title != "DSP · Data Security and Privacy Lifecycle Management" {
			t.Errorf("%s: %+v", name, imp.Content)
			continue
		}
		want := []string{"CCM v4 DSP-07", "CAIQ Lite", "ISO 27001 A.14.2.5", "NIST 800-53 SA-8", "NIST 800-53 SA-17"}
		if q.Text != "Is protection built in?" || q.Help != "DSP-07 Data Protection by Design\n\nBuild protection in." || !slices.Equal(q.Frameworks, want) {
			t.Errorf("%s: %q %q %q", name, q.Text, q.Help, q.Frameworks)
		}
		if len(imp.Warnings) != 0 {
			t.Errorf("%s: warnings %v", name, imp.Warnings)
		}
	}
}

func caiqDoc(questions string) []byte {
	return []byte(`{"domains": [{"id": "A&A", "title": "Audit & Assurance", "controls": [{"id": "A&A-01", "title": "T", "specification": "S",
		"questions": [` + questions + `]}]}]}`)
}

func TestFromCAIQJSONQuestionsAsPublished(t *testing.T) {
	var refs []string
	for i := range 45 {
		refs = append(refs, fmt.Sprintf(`"ISO 27001 A.%d"`, i))
	}
	imp, err := FromCAIQJSON(caiqDoc(`{"id": "A&A-01.1", "text": "<script>alert(1)</script>Is <b>it</b> <a href=\"javascript:x()\">so</a>?", "mappings": [` + strings.Join(refs, ",") + `]},
		{"id": "A&A-01.1", "text": "A duplicate"},
		{"text": "No id"},
		{"id": "A&A-01.4\nx", "text": "A broken id"},
		{"id": "A&A-01.5", "text": "   "},
		"not an object"`))
	if err != nil {
		t.Fatal(err)
	}
	if err := importedTemplate(imp).Validate(); err != nil {
		t.Fatal(err)
	}
	q := imp.Content.Find("A&A-01.1")
	if q.Text != "Is <b>it</b> so?" {
		t.Errorf("text %q", q.Text)
	}
	if len(q.Frameworks) != MaxImportedFrameworks || q.Frameworks[0] != "CCM v4 A&A-01" {
		t.Errorf("%d frameworks: %q", len(q.Frameworks), q.Frameworks[:2])
	}
	if imp.Content.Find("A&A-01.3") == nil {
		t.Error("a question without an id gets its control's id and position")
	}
	notes := fmt.Sprint(imp.Changes)
	for _, want := range []string{"46 framework references; the 6 after the first 40 were left out", "question 3 of control A&A-01 has no id; it was given A&A-01.3"} {
		if !strings.Contains(notes, want) {
			t.Errorf("changes %s\nwant %q", notes, want)
		}
	}
	skipped := fmt.Sprint(imp.Skipped)
	for _, want := range []string{"A&A-01.1: the id is used by an earlier question", `id "A&A-01.4\nx" cannot be a question key`, "A&A-01.5: no question text", "not an object"} {
		if !strings.Contains(skipped, want) {
			t.Errorf("skipped %s\nwant %q", skipped, want)
		}
	}
	if n := len(imp.Content.Questions()); n != 2 {
		t.Errorf("%d questions, want 2", n)
	}
}

func TestFromCAIQJSONErrors(t *testing.T) {
	var many []string
	for i := range MaxImportQuestions + 1 {
		many = append(many, fmt.Sprintf(`{"id": "A&A-01.%d", "text": "Q?"}`, i))
	}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"syntax", []byte("{\"domains\": [\n  {\"id\": \"A&A\"\n   \"title\": \"x\"}\n]}"), "line 3:"},
		{"not UTF-8", []byte("{\"domains\": [\n\n{\"id\": \"A\xffA\"}]}"), "line 3: the file is not UTF-8"},
		{"no domains", []byte(`{"questionnaire": []}`), `no "domains" list`},
		{"scalar", []byte(`"CAIQ"`), "neither a list of domains nor an object"},
		{"too many", caiqDoc(strings.Join(many, ",")), "more than 5000 questions"},
		{"too deep", []byte(strings.Repeat(`{"domains": [`, 40)), "nests deeper than 64"},
	}
	for _, tc := range cases {
		_, err := FromCAIQJSON(tc.data)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	imp, err := FromCAIQJSON([]byte(`{"domains": [{"id": "X", "controls": "none"}], "extra": 1}`))
	if err != nil || len(imp.Content.Sections) != 0 || len(imp.Skipped) != 1 || !strings.Contains(imp.Warnings[0], "file.extra") {
		t.Errorf("empty: %v %+v", err, imp)
	}
}

func TestSniffJSON(t *testing.T) {
	vsaq, _ := os.ReadFile("testdata/vsaq/vendor_basics.json")
	caiq, _ := os.ReadFile("testdata/caiq/caiq-v4.json")
	cases := map[string]string{
		string(vsaq):                      "vsaq",
		string(caiq):                      "caiq",
		`[{"id": "A&A", "Controls": []}]`: "caiq",
		`{"Domains": []}`:                 "caiq",
		`{"key": "k", "name": "N", "sections": [{"key": "s", "questions": []}]}`: "rampart",
		`{"sections": []}`:        "",
		`{"questionnaire": "no"}`: "",
		`[1, 2]`:                  "",
		`not json`:                "",
		"":                        "",
	}
	for in, want := range cases {
		if got := SniffJSON([]byte(in)); got != want {
			t.Errorf("SniffJSON(%.40q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzFromCAIQJSON(f *testing.F) {
	data, err := os.ReadFile("testdata/caiq/caiq-v4.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`[{"Domain": "X", "controls": [{"questions": [{"question": "Q", "mappings": {"A": [["x"]]}}]}]}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		imp, err := FromCAIQJSON(data)
		if err != nil || len(imp.Content.Questions()) == 0 {
			return
		}
		if err := importedTemplate(imp).Validate(); err != nil {
			t.Fatalf("imported questionnaire does not validate: %v", err)
		}
	})
}
