package assessments

import (
	"testing"

	"rampart/app/questionnaire"
	"rampart/app/sheet"
)

func TestHeadingsRecognisedLoosely(t *testing.T) {
	for _, c := range []struct {
		row                  []string
		key, answer, comment int
	}{
		{[]string{"Key", "Answer"}, 0, 1, -1},
		{[]string{"#", "Question ID", "Question", "Vendor Response (Yes/No/N/A)", "Additional Information"}, 1, 3, 4},
		{[]string{"Question ID", "Question", "CSP CAIQ Answer", "SSRM Control Ownership", "CSP Implementation Description (Optional/Recommended)", "Notes"}, 0, 2, 4},
		{[]string{"CONTROL_ID", "your  answer:", "Vendor Comments"}, 0, 1, 2},
		{[]string{"Ref#", "Response", "Explanation"}, 0, 1, 2},
		{[]string{"Ques Num", "Question/Request", "Response", "Additional Info"}, 0, 2, 3},
		{[]string{"ID", "Question", "Answer", "Supporting Information", "Comments"}, 0, 2, 3},
		{[]string{"No.", "RESPONSE", "notes"}, 0, 1, 2},
	} {
		_, cols, ok := findHeadings([][]string{{"Instructions: answer below"}, c.row})
		if !ok || cols != (columns{c.key, c.answer, c.comment}) {
			t.Errorf("%q: %v %+v", c.row, ok, cols)
		}
	}
	for _, row := range [][]string{{"Question", "Answer"}, {"ID", "Question"}, {"Answer each question", "ID"}} {
		if _, _, ok := findHeadings([][]string{row}); ok {
			t.Errorf("%q taken for headings", row)
		}
	}
	rows := make([][]string, 60)
	rows[55] = []string{"ID", "Answer"}
	if _, _, ok := findHeadings(rows); ok {
		t.Error("headings below row 50 were taken")
	}
}

func TestCellRef(t *testing.T) {
	for name, want := range map[string]string{"Answers": "Answers!C14", "Data Security": "'Data Security'!C14", "Bob's": "'Bob''s'!C14"} {
		if got := cellRef(&sheet.Sheet{Name: name}, false, 2, 13); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	if got := cellRef(&sheet.Sheet{Name: "CSV"}, true, 2, 13); got != "C14" {
		t.Errorf("csv: %s", got)
	}
}

func TestKeyIndex(t *testing.T) {
	c := &questionnaire.Content{Sections: []questionnaire.Section{{Questions: []questionnaire.Question{{Key: "A&A-01.1"}, {Key: "Ü-1"}, {Key: "x-1"}, {Key: "X-1"}}}}}
	ix := newKeyIndex(c)
	for key, want := range map[string]struct {
		key   string
		loose bool
	}{
		"A&A-01.1": {"A&A-01.1", false}, " a&a-01.1": {"A&A-01.1", true}, "ü-1": {"Ü-1", true}, "x-1": {"x-1", false},
		"X-1 ": {"", false}, "B-1": {"", false},
	} {
		q, loose, problem := ix.find(key)
		if (q == nil) != (want.key == "") || q != nil && (q.Key != want.key || loose != want.loose) || (q == nil) == (problem == "") {
			t.Errorf("%q: %+v %v %q", key, q, loose, problem)
		}
	}
}

func TestTakeAnswerKeepsWords(t *testing.T) {
	yn := &questionnaire.Question{Type: questionnaire.YesNoNA, Choices: []questionnaire.Choice{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}, {Value: "na", Label: "N/A"}}}
	for _, c := range []struct{ answer, comment, value, wantComment, choice string }{
		{"Yes", "col", `"yes"`, "col", ""},
		{"Yes, Fleet Cloud logs are kept 90 days", "", `"yes"`, "Fleet Cloud logs are kept 90 days", "Yes"},
		{"No - not yet; planned for Q3", "See roadmap", `"no"`, "not yet; planned for Q3\nSee roadmap", "No"},
		{"N/A (no servers)", "", `"na"`, "(no servers)", "N/A"},
		{"Not applicable: SaaS only", "", `"na"`, "SaaS only", "Not applicable"},
		{"Yes.", "", `"yes"`, "", "Yes"},
	} {
		v, comment, choice, err := takeAnswer(yn, c.answer, c.comment)
		if err != nil || string(v) != c.value || comment != c.wantComment || choice != c.choice {
			t.Errorf("%q: %s %q %q %v", c.answer, v, comment, choice, err)
		}
	}
	for _, bad := range []string{"Nope", "Not yet", "Yesterday we did", "N, see notes", "Sometimes"} {
		if _, _, _, err := takeAnswer(yn, bad, ""); err == nil {
			t.Errorf("%q taken", bad)
		}
	}
}

// FuzzAnswerSheet reads arbitrary files as answer sheets: nothing may
// panic, and every row reported names a cell.
func FuzzAnswerSheet(f *testing.F) {
	f.Add([]byte("Title\n\nID;Answer;Notes\nA-1;Yes, kept 90 days;x\na-1 ;No;\nB;maybe;\n"))
	f.Add([]byte("#,Response,Comments\n1,N/A — none,\n\"A-1\",\"Not applicable: x\",\"\"\n"))
	yn := []questionnaire.Choice{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}, {Value: "na", Label: "N/A"}}
	c := &questionnaire.Content{Sections: []questionnaire.Section{{Questions: []questionnaire.Question{
		{Key: "A-1", Type: questionnaire.YesNoNA, Choices: yn}, {Key: "1", Type: questionnaire.SingleChoice, Choices: yn},
		{Key: "B", Type: questionnaire.Number}, {Key: "C", Type: questionnaire.LongText},
	}}}}
	f.Fuzz(func(t *testing.T, data []byte) {
		sheets, err := sheet.Read(data)
		if err != nil {
			return
		}
		rd := newAnswerReader(c, true)
		for i := range sheets {
			rd.sheet(&sheets[i])
		}
		for _, n := range append(append(rd.res.Invalid, rd.res.Unmatched...), rd.res.Notes...) {
			if n.Cell == "" || n.Row < 1 {
				t.Fatalf("row note without a place: %+v", n)
			}
		}
	})
}
