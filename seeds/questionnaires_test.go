package seeds_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"rampart/app/questionnaire"
	"rampart/seeds"
)

// topics are the sections every built-in questionnaire covers.
var topics = []string{"governance", "access_control", "encryption", "vulnerability_management",
	"secure_development", "logging_monitoring", "incident_response", "business_continuity",
	"data_privacy", "subprocessors", "hr_security", "physical_security", "ai_use"}

func builtIn(t *testing.T) map[string]questionnaire.Template {
	t.Helper()
	qs, err := seeds.Questionnaires()
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]questionnaire.Template{}
	for _, q := range qs {
		byKey[q.Key] = q
	}
	for _, k := range []string{"rampart-lite", "rampart-full"} {
		if _, ok := byKey[k]; !ok {
			t.Fatalf("questionnaire %s is missing (have %d)", k, len(qs))
		}
	}
	return byKey
}

func TestBuiltInQuestionnairesLoadAndValidate(t *testing.T) {
	for key, q := range builtIn(t) {
		if err := q.ValidateLibrary(); err != nil {
			t.Errorf("%s: %v", key, err)
		}
	}
}

func TestBuiltInQuestionnaireSizes(t *testing.T) {
	qs := builtIn(t)
	for key, bounds := range map[string][2]int{"rampart-lite": {25, 35}, "rampart-full": {90, 110}} {
		if n := len(qs[key].Questions()); n < bounds[0] || n > bounds[1] {
			t.Errorf("%s has %d questions, want %d-%d", key, n, bounds[0], bounds[1])
		}
	}
}

func TestBuiltInQuestionnairesCoverEveryTopic(t *testing.T) {
	for key, q := range builtIn(t) {
		have := map[string]int{}
		for _, s := range q.Sections {
			have[s.Key] = len(s.Questions)
		}
		for _, topic := range topics {
			if have[topic] == 0 {
				t.Errorf("%s has no questions on %s", key, topic)
			}
		}
		if len(q.Sections) != len(topics) {
			t.Errorf("%s has %d sections, want the %d topics", key, len(q.Sections), len(topics))
		}
	}
}

func TestFullQuestionnaireShape(t *testing.T) {
	full := builtIn(t)["rampart-full"]
	all := full.Questions()
	types := map[string]int{}
	conditional := 0
	for _, q := range all {
		types[q.Type]++
		if q.ShowIf != nil {
			conditional++
		}
	}
	if conditional*10 < len(all) {
		t.Errorf("%d of %d questions are conditional, want at least 10%%", conditional, len(all))
	}
	for _, typ := range questionnaire.Types {
		if types[typ] == 0 {
			t.Errorf("no %s question", typ)
		}
	}
}

// TestLiteSharesFullWording: a key both questionnaires use names the same
// question, so answers can be compared across them.
func TestLiteSharesFullWording(t *testing.T) {
	qs := builtIn(t)
	full := map[string]*questionnaire.Question{}
	for _, q := range qs["rampart-full"].Questions() {
		full[q.Key] = q
	}
	for _, q := range qs["rampart-lite"].Questions() {
		if f, ok := full[q.Key]; ok && f.Text != q.Text {
			t.Errorf("%s: Lite asks %q but Full asks %q", q.Key, q.Text, f.Text)
		}
	}
}

// soc2Criteria is the number of criteria in each SOC 2 series.
var soc2Criteria = map[string]int{"CC1": 5, "CC2": 3, "CC3": 4, "CC4": 2, "CC5": 3, "CC6": 8, "CC7": 5,
	"CC8": 1, "CC9": 2, "A1": 3, "C1": 2, "PI1": 5}

// isoAnnexA is the number of controls in each ISO 27001:2022 Annex A theme.
var isoAnnexA = map[string]int{"5": 37, "6": 8, "7": 14, "8": 34}

var (
	isoRE   = regexp.MustCompile(`^ISO 27001:2022 (?:A\.([5-8])\.([0-9]+)|Cl\. (?:[4-9]|10)(?:\.[0-9]+)*)$`)
	csfRE   = regexp.MustCompile(`^NIST CSF 2\.0 (?:GV\.(?:OC|RM|RR|PO|OV|SC)|ID\.(?:AM|RA|IM)|PR\.(?:AA|AT|DS|PS|IR)|DE\.(?:CM|AE)|RS\.(?:MA|AN|CO|MI)|RC\.(?:RP|CO))-[0-9]{2}$`)
	socRE   = regexp.MustCompile(`^SOC 2 ((?:CC|PI|A|C)[0-9])\.([0-9])$`)
	gdprRE  = regexp.MustCompile(`^GDPR Art\. ([0-9]{1,2})(?:\([0-9]+\)(?:\([a-z]\))?)?$`)
	aimsRE  = regexp.MustCompile(`^ISO 42001:2023 A\.(?:[2-9]|10)\.[0-9](?:\.[0-9])?$`)
	aiActRE = regexp.MustCompile(`^EU AI Act Art\. [0-9]{1,3}$`)
)

// frameworkRefProblem catches typos in the control ids the built-in
// questions cite; Validate itself accepts any non-empty reference.
func frameworkRefProblem(ref string) string {
	if m := isoRE.FindStringSubmatch(ref); m != nil {
		if m[1] != "" {
			if n, _ := strconv.Atoi(m[2]); n < 1 || n > isoAnnexA[m[1]] {
				return "no such Annex A control"
			}
		}
		return ""
	}
	if m := socRE.FindStringSubmatch(ref); m != nil {
		if n, _ := strconv.Atoi(m[2]); n < 1 || n > soc2Criteria[m[1]] {
			return "no such trust services criterion"
		}
		return ""
	}
	if m := gdprRE.FindStringSubmatch(ref); m != nil {
		if n, _ := strconv.Atoi(m[1]); n < 1 || n > 99 {
			return "no such GDPR article"
		}
		return ""
	}
	if csfRE.MatchString(ref) || aimsRE.MatchString(ref) || aiActRE.MatchString(ref) {
		return ""
	}
	return "not a recognised framework reference"
}

func TestBuiltInFrameworkReferencesAreWellFormed(t *testing.T) {
	for key, q := range builtIn(t) {
		for _, qu := range q.Questions() {
			for _, ref := range qu.Frameworks {
				if p := frameworkRefProblem(ref); p != "" {
					t.Errorf("%s %s: %q: %s", key, qu.Key, ref, p)
				}
			}
		}
	}
}

func TestDecodeQuestionnaireIsStrict(t *testing.T) {
	for name, doc := range map[string]string{
		"unknown field": `{"key": "x", "name": "X", "description": "d", "sections": [], "colour": "red"}`,
		"trailing data": `{"key": "x", "name": "X", "description": "d", "sections": []} {}`,
		"wrong type":    `{"key": "x", "name": "X", "description": "d", "sections": {}}`,
	} {
		if _, err := questionnaire.Decode([]byte(doc)); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
}

// broken returns a deep copy of the full questionnaire to break.
func broken(t *testing.T) questionnaire.Template {
	t.Helper()
	data, err := json.Marshal(builtIn(t)["rampart-full"])
	if err != nil {
		t.Fatal(err)
	}
	var q questionnaire.Template
	if err := json.Unmarshal(data, &q); err != nil {
		t.Fatal(err)
	}
	return q
}

func find(t *testing.T, q *questionnaire.Template, key string) *questionnaire.Question {
	t.Helper()
	for i := range q.Sections {
		for j := range q.Sections[i].Questions {
			if q.Sections[i].Questions[j].Key == key {
				return &q.Sections[i].Questions[j]
			}
		}
	}
	t.Fatalf("no question %s", key)
	return nil
}

func ptr[T any](v T) *T { return &v }

func TestValidateCatchesEachMistake(t *testing.T) {
	cases := []struct {
		name     string
		breakIt  func(t *testing.T, q *questionnaire.Template)
		question string // "" for questionnaire- or section-level problems
		message  string
	}{
		{"questionnaire key", func(t *testing.T, q *questionnaire.Template) { q.Key = "Rampart Full" }, "", "lower-case words"},
		{"empty name", func(t *testing.T, q *questionnaire.Template) { q.Name = " " }, "", "name is empty"},
		{"no sections", func(t *testing.T, q *questionnaire.Template) { q.Sections = nil }, "", "has no sections"},
		{"section key", func(t *testing.T, q *questionnaire.Template) { q.Sections[0].Key = "Governance" }, "", "snake_case"},
		{"duplicate section", func(t *testing.T, q *questionnaire.Template) { q.Sections[1].Key = q.Sections[0].Key }, "", "used by another section"},
		{"empty section", func(t *testing.T, q *questionnaire.Template) { q.Sections[5].Questions = nil }, "", "has no questions"},
		{"question key format", func(t *testing.T, q *questionnaire.Template) { find(t, q, "GOV-07").Key = "gov7" }, "gov7", "PREFIX-NN"},
		{"duplicate question key", func(t *testing.T, q *questionnaire.Template) { find(t, q, "IAM-05").Key = "GOV-01" }, "GOV-01", "used by another question"},
		{"empty text", func(t *testing.T, q *questionnaire.Template) { find(t, q, "GOV-01").Text = "" }, "GOV-01", "text is empty"},
		{"empty help", func(t *testing.T, q *questionnaire.Template) { find(t, q, "GOV-01").Help = "" }, "GOV-01", "help is empty"},
		{"unknown type", func(t *testing.T, q *questionnaire.Template) { find(t, q, "GOV-07").Type = "checkbox" }, "GOV-07", `type "checkbox"`},
		{"weight zero", func(t *testing.T, q *questionnaire.Template) { find(t, q, "GOV-01").Weight = 0 }, "GOV-01", "weight 0"},
		{"weight six", func(t *testing.T, q *questionnaire.Template) { find(t, q, "GOV-01").Weight = 6 }, "GOV-01", "weight 6"},
		{"no frameworks", func(t *testing.T, q *questionnaire.Template) { find(t, q, "ENC-01").Frameworks = nil }, "ENC-01", "framework references"},
		{"too many frameworks", func(t *testing.T, q *questionnaire.Template) {
			find(t, q, "ENC-01").Frameworks = []string{"a", "b", "c", "d", "e"}
		}, "ENC-01", "framework references"},
		{"blank framework", func(t *testing.T, q *questionnaire.Template) { find(t, q, "ENC-01").Frameworks[0] = " " }, "ENC-01", "empty framework"},
		{"duplicate framework", func(t *testing.T, q *questionnaire.Template) {
			f := find(t, q, "ENC-01")
			f.Frameworks[1] = f.Frameworks[0]
		}, "ENC-01", "listed twice"},
		{"choice question without choices", func(t *testing.T, q *questionnaire.Template) { find(t, q, "IAM-05").Choices = nil }, "IAM-05", "at least 2 choices"},
		{"score above 100", func(t *testing.T, q *questionnaire.Template) { find(t, q, "IAM-05").Choices[0].Score = ptr(101.0) }, "IAM-05", "outside 0-100"},
		{"negative score", func(t *testing.T, q *questionnaire.Template) { find(t, q, "IAM-05").Choices[1].Score = ptr(-5.0) }, "IAM-05", "outside 0-100"},
		{"no scored choice", func(t *testing.T, q *questionnaire.Template) {
			for i := range find(t, q, "IAM-05").Choices {
				find(t, q, "IAM-05").Choices[i].Score = nil
			}
		}, "IAM-05", "no choice has a score"},
		{"duplicate choice", func(t *testing.T, q *questionnaire.Template) {
			c := find(t, q, "IAM-05").Choices
			c[1].Value = c[0].Value
		}, "IAM-05", "listed twice"},
		{"choice value format", func(t *testing.T, q *questionnaire.Template) {
			find(t, q, "IAM-05").Choices[0].Value = "At least quarterly"
		}, "IAM-05", "snake_case"},
		{"choice without label", func(t *testing.T, q *questionnaire.Template) { find(t, q, "IAM-05").Choices[0].Label = "" }, "IAM-05", "no label"},
		{"expected not a choice", func(t *testing.T, q *questionnaire.Template) { find(t, q, "IAM-05").Expected = []string{"monthly"} }, "IAM-05", `expected value "monthly"`},
		{"nothing expected", func(t *testing.T, q *questionnaire.Template) { find(t, q, "IAM-05").Expected = nil }, "IAM-05", "no satisfactory answer"},
		{"yes_no_na with another value", func(t *testing.T, q *questionnaire.Template) {
			f := find(t, q, "GOV-01")
			f.Choices = append(f.Choices, questionnaire.Choice{Value: "partly", Label: "Partly", Score: ptr(50.0)})
		}, "GOV-01", `not "partly"`},
		{"yes_no_na without no", func(t *testing.T, q *questionnaire.Template) {
			f := find(t, q, "GOV-01")
			f.Choices = []questionnaire.Choice{f.Choices[0], {Value: "na", Label: "Not applicable"}}
		}, "GOV-01", "needs the choices yes and no"},
		{"scored not applicable", func(t *testing.T, q *questionnaire.Template) { find(t, q, "PRV-01").Choices[2].Score = ptr(50.0) }, "PRV-01", "na must have a null score"},
		{"multiple_choice without scoring", func(t *testing.T, q *questionnaire.Template) { find(t, q, "GOV-04").Scoring = "" }, "GOV-04", "scoring"},
		{"multiple_choice unknown scoring", func(t *testing.T, q *questionnaire.Template) { find(t, q, "GOV-04").Scoring = "sum" }, "GOV-04", `scoring "sum"`},
		{"scoring on single_choice", func(t *testing.T, q *questionnaire.Template) { find(t, q, "IAM-05").Scoring = "max" }, "IAM-05", "only for multiple_choice"},
		{"number without thresholds", func(t *testing.T, q *questionnaire.Template) { find(t, q, "IAM-06").Thresholds = nil }, "IAM-06", "needs thresholds"},
		{"thresholds out of order", func(t *testing.T, q *questionnaire.Template) {
			th := find(t, q, "IAM-06").Thresholds
			th[0], th[1] = th[1], th[0]
		}, "IAM-06", "not above the previous max"},
		{"open threshold not last", func(t *testing.T, q *questionnaire.Template) { find(t, q, "IAM-06").Thresholds[1].Max = nil }, "IAM-06", "only the last threshold"},
		{"closed last threshold", func(t *testing.T, q *questionnaire.Template) { find(t, q, "IAM-06").Thresholds[3].Max = ptr(1000.0) }, "IAM-06", "last threshold must have a null max"},
		{"threshold score", func(t *testing.T, q *questionnaire.Template) { find(t, q, "IAM-06").Thresholds[0].Score = 120 }, "IAM-06", "outside 0-100"},
		{"thresholds on a choice question", func(t *testing.T, q *questionnaire.Template) {
			find(t, q, "IAM-05").Thresholds = []questionnaire.Threshold{{Score: 100}}
		}, "IAM-05", "only for number"},
		{"choices on a number question", func(t *testing.T, q *questionnaire.Template) {
			find(t, q, "IAM-06").Choices = []questionnaire.Choice{{Value: "a", Label: "A", Score: ptr(1.0)}}
		}, "IAM-06", "has no choices"},
		{"date without max age", func(t *testing.T, q *questionnaire.Template) { find(t, q, "VUL-05").MaxAgeDays = 0 }, "VUL-05", "max_age_days"},
		{"date with zero max age", func(t *testing.T, q *questionnaire.Template) { find(t, q, "VUL-05").MaxAgeDays = 0 }, "VUL-05", "max_age_days"},
		{"max age on a file question", func(t *testing.T, q *questionnaire.Template) { find(t, q, "VUL-06").MaxAgeDays = 365 }, "VUL-06", "only for date"},
		{"scored text question", func(t *testing.T, q *questionnaire.Template) {
			find(t, q, "GOV-10").Choices = []questionnaire.Choice{{Value: "x", Label: "X", Score: ptr(100.0)}}
		}, "GOV-10", "has no choices"},
		{"text question with expected", func(t *testing.T, q *questionnaire.Template) { find(t, q, "IRN-07").Expected = []string{"yes"} }, "IRN-07", "no expected values"},
		{"show_if to a later question", func(t *testing.T, q *questionnaire.Template) {
			find(t, q, "IAM-02").ShowIf = &questionnaire.ShowIf{Question: "ENC-01", Equals: []string{"all"}}
		}, "IAM-02", "not an earlier question"},
		{"show_if to an unknown question", func(t *testing.T, q *questionnaire.Template) {
			find(t, q, "IAM-02").ShowIf = &questionnaire.ShowIf{Question: "XYZ-99", Equals: []string{"yes"}}
		}, "IAM-02", "not an earlier question"},
		{"show_if to itself", func(t *testing.T, q *questionnaire.Template) {
			find(t, q, "IAM-02").ShowIf = &questionnaire.ShowIf{Question: "IAM-02", Equals: []string{"app"}}
		}, "IAM-02", "itself"},
		{"show_if to a text question", func(t *testing.T, q *questionnaire.Template) {
			find(t, q, "IAM-02").ShowIf = &questionnaire.ShowIf{Question: "GOV-10", Equals: []string{"yes"}}
		}, "IAM-02", "without choices"},
		{"show_if value not a choice", func(t *testing.T, q *questionnaire.Template) {
			find(t, q, "IAM-02").ShowIf.Equals = []string{"sometimes"}
		}, "IAM-02", `"sometimes" is not a choice of IAM-01`},
		{"show_if without values", func(t *testing.T, q *questionnaire.Template) { find(t, q, "IAM-02").ShowIf.Equals = nil }, "IAM-02", "lists no values"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := broken(t)
			tc.breakIt(t, &q)
			problems := problemsOf(t, q.ValidateLibrary())
			for _, p := range problems {
				if p.Question == tc.question && strings.Contains(p.Message, tc.message) {
					return
				}
			}
			t.Errorf("want a problem on %q containing %q, got %v", tc.question, tc.message, problems)
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	q := broken(t)
	find(t, &q, "GOV-01").Weight = 9
	find(t, &q, "ENC-04").Expected = []string{"ssl3"}
	find(t, &q, "AIU-09").ShowIf.Question = "AIU-99"
	problems := problemsOf(t, q.ValidateLibrary())
	got := map[string]bool{}
	for _, p := range problems {
		got[p.Question] = true
	}
	for _, key := range []string{"GOV-01", "ENC-04", "AIU-09"} {
		if !got[key] {
			t.Errorf("no problem reported for %s: %v", key, problems)
		}
	}
	if len(problems) != 3 {
		t.Errorf("want exactly 3 problems, got %d: %v", len(problems), problems)
	}
	msg := q.ValidateLibrary().Error()
	for _, key := range []string{"GOV-01", "ENC-04", "AIU-09", "rampart-full"} {
		if !strings.Contains(msg, key) {
			t.Errorf("error message %q does not name %s", msg, key)
		}
	}
}

func problemsOf(t *testing.T, err error) []questionnaire.Problem {
	t.Helper()
	var verr *questionnaire.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("want a *questionnaire.ValidationError, got %v", err)
	}
	return verr.Problems
}

// ExampleQuestionnaires prints the size of each built-in questionnaire.
func ExampleQuestionnaires() {
	qs, err := seeds.Questionnaires()
	if err != nil {
		panic(err)
	}
	for _, q := range qs {
		fmt.Println(q.Name, len(q.Sections), "sections")
	}
	// Output:
	// Rampart Full 13 sections
	// Rampart Lite 13 sections
}

func TestDecodedListsAreNeverNull(t *testing.T) {
	doc := `{"key": "x", "name": "X", "description": "d", "sections": [{"key": "s", "title": "S", "description": "d",
		"questions": [{"key": "ABC-01", "text": "t", "help": "h", "type": "long_text", "required": false, "weight": 1,
		"show_if": null, "frameworks": ["ISO 27001:2022 A.5.1"]}]}]}`
	q, err := questionnaire.Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"choices":[],"expected":[]`) {
		t.Errorf("lists should encode as []: %s", out)
	}
}
