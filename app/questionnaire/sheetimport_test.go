package questionnaire

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"rampart/app/sheet"
)

// messyWorkbook builds a questionnaire the way vendors and customers send
// them: a hidden sheet, a cover sheet, instructions above the headings,
// repeated headings, section heading rows and multi-line cells.
func messyWorkbook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Welcome! Please answer every question below."})
	f.SetSheetName("Sheet1", "Cover")
	f.NewSheet("Lookups")
	f.SetSheetRow("Lookups", "A1", &[]any{"Yes", "No"})
	f.SetSheetVisible("Lookups", false)
	f.NewSheet("Questions")
	rows := [][]any{
		{"Vendor security questionnaire 2026"},
		{"Instructions: answer in column D, attach evidence where asked."},
		{},
		{"ID", "Question", "Answer type", "Answer", "Choices", "Comments", "Comments"},
		{"Access control"},
		{"1.1", "Do you enforce MFA\nfor all administrators?", "Yes/No", "", "", "", ""},
		{"1.2", "Which identity provider do you use?", "Single choice", "", "Okta\nEntra ID\nGoogle\nOther", "", ""},
		{"", "", "", "", "", "", ""},
		{"Resilience"},
		{"2.1", "RTO in hours", "Number", "", "", "", ""},
		{"2.2", "Attach your last BCP test report", "File upload", "", "", "", ""},
		{"2.3", "Which certifications do you hold?", "Multiple select", "", "SOC 2; ISO 27001; None", "", ""},
		{"2.2", "Date of the last restore test", "Date", "", "", "", ""},
		{"", "", "", "Answer without a question", "", "", ""},
		{"3.1", "Describe your incident response process.", "Free text", "", "", "", ""},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Questions", cell, &r)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFromSheetsMessyWorkbook(t *testing.T) {
	sheets, err := sheet.Read(messyWorkbook(t))
	if err != nil {
		t.Fatal(err)
	}
	imp, err := FromSheets(sheets, nil)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Mapping.Sheet != "Questions" || imp.Mapping.HeaderRow != 4 || *imp.Mapping.Question != 1 || *imp.Mapping.ID != 0 || *imp.Mapping.Type != 2 || *imp.Mapping.Choices != 4 {
		t.Fatalf("guessed mapping %+v", imp.Mapping)
	}
	if imp.Columns[5] != "Comments" || imp.Columns[6] != "Comments (2)" {
		t.Fatalf("columns %v", imp.Columns)
	}
	qs := imp.Content.Questions()
	if len(qs) != 7 || len(imp.Content.Sections) != 2 {
		t.Fatalf("%d questions in %d sections", len(qs), len(imp.Content.Sections))
	}
	want := map[string]string{"1.1": YesNoNA, "1.2": SingleChoice, "2.1": Number, "2.2": File, "2.3": MultipleChoice, "2.2 (2)": Date, "3.1": LongText}
	for _, q := range qs {
		if want[q.Key] != q.Type {
			t.Errorf("%s: type %s, want %s", q.Key, q.Type, want[q.Key])
		}
	}
	if qs[0].Text != "Do you enforce MFA\nfor all administrators?" || len(qs[1].Choices) != 4 || qs[1].Choices[1].Value != "entra_id" {
		t.Errorf("multi-line text or choices: %q %+v", qs[0].Text, qs[1].Choices)
	}
	if imp.Content.Sections[0].Title != "Access control" || imp.Content.Sections[1].Title != "Resilience" {
		t.Errorf("sections %q %q", imp.Content.Sections[0].Title, imp.Content.Sections[1].Title)
	}
	reasons := map[string]int{}
	for _, s := range imp.Skipped {
		reasons[strings.SplitN(s.Reason, ":", 2)[0]]++
	}
	if reasons["instruction row above the headings"] != 2 || reasons["section heading"] != 2 || reasons["no question text"] != 1 ||
		reasons["hidden sheet, not imported"] != 1 || reasons["another sheet, not imported"] != 1 || len(imp.Skipped) != 7 {
		t.Fatalf("skipped %+v", imp.Skipped)
	}

	// An explicit mapping overrides the guess: questions from column B,
	// no type column (yes/no, except questions that ask for words), headings on row 4.
	q, one := 1, 0
	imp, err = FromSheets(sheets, &Mapping{Sheet: "Questions", HeaderRow: 4, Question: &q, ID: &one})
	if err != nil || len(imp.Content.Questions()) != 7 || imp.Content.Questions()[0].Type != YesNoNA || imp.Content.Questions()[1].Type != LongText {
		t.Fatalf("explicit mapping: %v %+v", err, imp)
	}
	for _, bad := range []Mapping{{Sheet: "Nope", HeaderRow: 1, Question: &q}, {Sheet: "Questions", HeaderRow: 99, Question: &q}} {
		if _, err := FromSheets(sheets, &bad); err == nil {
			t.Errorf("mapping %+v accepted", bad)
		}
	}
	// A sheet, or heading row, without question headings gives a report to map by hand.
	for _, m := range []Mapping{{Sheet: "Questions", HeaderRow: 2}, {Sheet: "Cover"}} {
		if imp, err := FromSheets(sheets, &m); err != nil || len(imp.Warnings) != 1 || len(imp.Content.Questions()) != 0 || imp.Mapping.Sheet != m.Sheet {
			t.Errorf("mapping %+v: %v %+v", m, err, imp)
		}
	}
	// Naming only the sheet guesses its columns.
	if imp, err := FromSheets(sheets, &Mapping{Sheet: "Questions"}); err != nil || imp.Mapping.HeaderRow != 4 || *imp.Mapping.Question != 1 {
		t.Errorf("sheet only: %v %+v", err, imp)
	}
	// A sheet without recognisable headings is not a dead end: the report
	// shows its rows, for the heading row and columns to be chosen.
	plain, _ := sheet.Read([]byte("Nummer,Frage\nR1,Do you patch monthly?\n"))
	imp, err = FromSheets(plain, nil)
	if err != nil || len(imp.Content.Questions()) != 0 || imp.Mapping.Sheet != "CSV" || imp.Columns[1] != "Frage" || len(imp.Preview) != 1 ||
		len(imp.Warnings) != 1 || !strings.Contains(imp.Warnings[0], "choose the sheet, the heading row and the columns") {
		t.Fatalf("no headings: %v %+v", err, imp)
	}
	text := 1
	if imp, err = FromSheets(plain, &Mapping{Sheet: "CSV", HeaderRow: 1, ID: &one, Question: &text}); err != nil || imp.Content.Questions()[0].Key != "R1" {
		t.Fatalf("mapped by hand: %v %+v", err, imp)
	}
}

func FuzzFromSheets(f *testing.F) {
	f.Add([]byte("ID,Question,Type,Choices\n1,Do you?,yes/no,\n,Section A,,\n2,Which?,single,a;b\n"))
	f.Add([]byte("x\ny\nQuestion,Answer type\n\n,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sheets, err := sheet.Read(data)
		if err != nil {
			return
		}
		imp, err := FromSheets(sheets, nil)
		if err != nil {
			return
		}
		keys := map[string]bool{}
		for _, q := range imp.Content.Questions() {
			if keys[q.Key] || q.Key == "" {
				t.Fatalf("duplicate or empty key %q", q.Key)
			}
			keys[q.Key] = true
		}
	})
}
