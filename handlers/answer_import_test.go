package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"rampart/app/assessments"
	"rampart/app/questionnaire"
	"rampart/models"
	"rampart/models/testdb"
)

// importTemplate is a questionnaire with keys as CAIQ and HECVAT publish
// them, one per kind of question an answer file fills in.
func importTemplate(t *testing.T, db *models.DB) *models.QuestionnaireTemplate {
	t.Helper()
	yn := []questionnaire.Choice{{Value: "yes", Label: "Yes", Score: fp(100)}, {Value: "no", Label: "No", Score: fp(0)}, {Value: "na", Label: "N/A"}}
	c := questionnaire.Content{Sections: []questionnaire.Section{
		{Key: "caiq", Title: "Audit & Assurance", Questions: []questionnaire.Question{
			{Key: "A&A-01.1", Text: "Are audit policies established?", Type: questionnaire.YesNoNA, Weight: 3, Choices: yn},
			{Key: "A&A-02.1", Text: "Are independent audits conducted?", Type: questionnaire.YesNoNA, Weight: 3, Choices: yn},
		}},
		{Key: "hecvat", Title: "Hosting", Questions: []questionnaire.Question{
			{Key: "HFIH-01", Text: "Do you keep logs?", Type: questionnaire.YesNoNA, Weight: 2, Choices: yn},
			{Key: "HFIH-02", Text: "Where is data hosted?", Type: questionnaire.SingleChoice, Weight: 1,
				Choices: []questionnaire.Choice{{Value: "eu", Label: "EU", Score: fp(100)}, {Value: "us", Label: "US", Score: fp(80)}}},
			{Key: "HFIH-03", Text: "Anything to add?", Type: questionnaire.LongText, Weight: 1},
		}},
	}}
	b, _ := json.Marshal(c)
	now := time.Now().UTC()
	tpl := &models.QuestionnaireTemplate{Key: "import-test", Name: "Import test", Revision: 1, Status: "published", Content: string(b), QuestionCount: 5, PublishedAt: &now}
	if _, err := models.UpsertBuiltinTemplate(context.Background(), db.Gorm, tpl); err != nil {
		t.Fatal(err)
	}
	return tpl
}

// workbook builds an XLSX file: sheets in order, hidden ones hidden.
func workbook(t *testing.T, sheets []testSheet) []byte {
	t.Helper()
	x := excelize.NewFile()
	for i, s := range sheets {
		if i == 0 {
			x.SetSheetName("Sheet1", s.name)
		} else if _, err := x.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			cells := make([]any, len(row))
			for j, v := range row {
				cells[j] = v
			}
			x.SetSheetRow(s.name, cell, &cells)
		}
	}
	for _, s := range sheets {
		if s.hidden {
			if err := x.SetSheetVisible(s.name, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type testSheet struct {
	name   string
	hidden bool
	rows   [][]string
}

func newImportAssessment(t *testing.T, f *fixture, risk *session) string {
	t.Helper()
	tpl := importTemplate(t, f.db)
	v := decode[vendorResponse](t, f.call(risk, "POST", "/api/v1/vendors", `{"name":"Fleet Cloud","category":"saas"}`))
	a := decode[assessmentDetail](t, f.call(risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tpl.ID+`"}`))
	return "/api/v1/assessments/" + a.ID
}

// HECVAT and SIG spread their answers over many tabs, each with
// instructions above its own heading row and a comment column; CAIQ
// describes its answer in "CSP Implementation Description". Every visible
// tab is read; hidden ones are listed as not read.
func TestImportAnswersFromEveryTab(t *testing.T) {
	f := newFixture(t, testdb.Open(t, models.SQLite))
	risk := f.as(models.RoleRiskManager)
	path := newImportAssessment(t, f, &risk)
	file := workbook(t, []testSheet{
		{name: "Instructions", rows: [][]string{{"Answer every question on the tabs that follow."}, {"Questions? Write to security@example.edu"}}},
		{name: "CAIQ", rows: [][]string{
			{"Cloud Controls Matrix v4 — Consensus Assessments Initiative Questionnaire"},
			{"Question ID", "Question", "CSP CAIQ Answer", "SSRM Control Ownership", "CSP Implementation Description (Optional/Recommended)", "Notes"},
			{"A&A-01.1", "Are audit policies established?", "Yes", "CSP-owned", "Policies reviewed every year", "internal note"},
		}},
		{name: "Hosting", rows: [][]string{
			{"HECVAT 3.1 — Hosting"},
			{"Fill in the Answer column; use Additional Information to explain."},
			{},
			{"#", "Question ID", "Question", "Vendor Response:", "ADDITIONAL   INFO"},
			{"1", "HFIH-01", "Do you keep logs?", "yes", "Kept 90 days in Fleet Cloud"},
			{"2", "HFIH-02", "Where is data hosted?", "EU", ""},
		}},
		{name: "Old answers", hidden: true, rows: [][]string{{"ID", "Answer"}, {"A&A-02.1", "No"}}},
	})
	res := decode[assessments.AnswerImport](t, f.upload(&risk, path+"/import", "hecvat.xlsx", file))
	if res.Matched != 3 || len(res.Invalid) != 0 || len(res.Unmatched) != 0 || len(res.Sheets) != 4 {
		t.Fatalf("dry run: %+v", res)
	}
	want := []assessments.SheetReport{
		{Name: "Instructions", Note: "no heading row with a question ID column and an answer column in its first 50 rows"},
		{Name: "CAIQ", Read: true, HeadingRow: 2, Answers: 1},
		{Name: "Hosting", Read: true, HeadingRow: 4, Answers: 2},
		{Name: "Old answers", Hidden: true, Note: "hidden sheet: not read (unhide it in the spreadsheet if it holds answers)"},
	}
	for i, w := range want {
		if res.Sheets[i] != w {
			t.Errorf("sheet %d: %+v, want %+v", i, res.Sheets[i], w)
		}
	}
	res = decode[assessments.AnswerImport](t, f.upload(&risk, path+"/import?dry_run=false", "hecvat.xlsx", file))
	got := decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
	if !res.Committed || res.Saved != 3 || got.Progress.Answered != 3 {
		t.Fatalf("import: %+v, %d answered", res, got.Progress.Answered)
	}
	for key, w := range map[string][2]string{
		"A&A-01.1": {`"yes"`, "Policies reviewed every year"},
		"HFIH-01":  {`"yes"`, "Kept 90 days in Fleet Cloud"},
		"HFIH-02":  {`"eu"`, ""},
		"A&A-02.1": {`null`, ""},
	} {
		if a := got.Answers[key]; string(a.Value) != w[0] || a.Comment != w[1] {
			t.Errorf("%s: %s %q, want %s %q", key, a.Value, a.Comment, w[0], w[1])
		}
	}
	var events int64
	f.db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND object_id = ?", "assessment.import_answers", path[len("/api/v1/assessments/"):]).Count(&events)
	if events != 1 {
		t.Fatalf("audit events: %d", events)
	}
	// Importing the same file again changes nothing.
	if res := decode[assessments.AnswerImport](t, f.upload(&risk, path+"/import?dry_run=false", "hecvat.xlsx", file)); res.Changed != 0 || res.Saved != 0 {
		t.Fatalf("second import: %+v", res)
	}
}

// One bad row no longer loses every answer: the dry run names each row not
// taken by sheet, cell and reason; the real run refuses (422 naming them)
// unless asked to save the valid rows. Keys match exactly, else ignoring
// case and spaces (noted); worded answers keep their words as the comment.
func TestImportAnswersReportsAndSavesValidRows(t *testing.T) {
	f := newFixture(t, testdb.Open(t, models.SQLite))
	risk := f.as(models.RoleRiskManager)
	path := newImportAssessment(t, f, &risk)
	file := workbook(t, []testSheet{{name: "Answers", rows: [][]string{
		{"Vendor: Fleet Cloud"},
		{"Ref", "Question", "Answer", "Comments"},
		{" a&a-01.1 ", "Audit policies?", "Yes", ""},
		{"A&A-02.1", "Independent audits?", "Sometimes", ""},
		{"HFIH-01", "Logs?", "Yes, Fleet Cloud logs are kept 90 days", "See the SOC 2 report"},
		{"HFIH-02", "Hosting?", "N/A - we have no servers", ""},
		{"ZZ-99", "Not in this questionnaire", "Yes", ""},
		{"HFIH-01", "Logs, again", "No", ""},
	}}})

	res := decode[assessments.AnswerImport](t, f.upload(&risk, path+"/import", "answers.xlsx", file))
	if res.Matched != 2 || len(res.Invalid) != 3 || len(res.Unmatched) != 1 {
		t.Fatalf("dry run: %+v", res)
	}
	bad := map[string]assessments.RowNote{}
	for _, n := range res.Invalid {
		bad[n.Cell] = n
	}
	if n := bad["Answers!C4"]; n.Sheet != "Answers" || n.Row != 4 || n.Key != "A&A-02.1" || n.Message != `"Sometimes" is not one of: Yes, No, N/A` {
		t.Errorf("invalid choice: %+v", res.Invalid)
	}
	if n := bad["Answers!C6"]; n.Key != "HFIH-02" || !strings.Contains(n.Message, `"N/A - we have no servers" is not one of: EU, US`) {
		t.Errorf("N/A to a question without it: %+v", res.Invalid)
	}
	if n := bad["Answers!C8"]; n.Key != "HFIH-01" || !strings.Contains(n.Message, "answered again here, differently; the answer at Answers!C5 is taken") {
		t.Errorf("conflicting repeat: %+v", res.Invalid)
	}
	if u := res.Unmatched[0]; u.Cell != "Answers!A7" || u.Key != "ZZ-99" || !strings.Contains(u.Message, `no question in this questionnaire has the ID "ZZ-99"`) {
		t.Errorf("unmatched: %+v", u)
	}
	if len(res.Notes) != 2 || res.Notes[0].Cell != "Answers!A3" || !strings.Contains(res.Notes[0].Message, `"A&A-01.1"`) ||
		res.Notes[1].Cell != "Answers!C5" || !strings.Contains(res.Notes[1].Message, `read as "Yes"`) {
		t.Errorf("notes: %+v", res.Notes)
	}

	// All or nothing by default: 422 naming every bad row, nothing saved.
	r := f.upload(&risk, path+"/import?dry_run=false", "answers.xlsx", file)
	p := r.problem()
	if r.Code != 422 || len(p.Errors) != 4 || !strings.Contains(p.Errors[0].Message, "3 rows could not be taken, so nothing was saved") ||
		!strings.Contains(p.Errors[1].Message, "Answers!C4 (question A&A-02.1)") {
		t.Fatalf("refusal: %d %s", r.Code, r.Body)
	}
	if got := decode[assessmentDetail](t, f.call(&risk, "GET", path, "")); got.Progress.Answered != 0 {
		t.Fatal("a refused import saved answers")
	}
	if r := f.uploadForm(&risk, path+"/import?dry_run=false", map[string]string{"valid_only": "maybe"}, "answers.xlsx", file); r.Code != 422 || r.problem().Errors[0].Field != "valid_only" {
		t.Fatalf("valid_only=maybe: %d %s", r.Code, r.Body)
	}

	// Asked to, it saves the valid rows and says which were not saved.
	res = decode[assessments.AnswerImport](t, f.uploadForm(&risk, path+"/import?dry_run=false", map[string]string{"valid_only": "true"}, "answers.xlsx", file))
	if !res.Committed || !res.ValidOnly || res.Saved != 2 || len(res.Invalid) != 3 || len(res.Unmatched) != 1 {
		t.Fatalf("valid rows only: %+v", res)
	}
	got := decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
	if a := got.Answers["A&A-01.1"]; string(a.Value) != `"yes"` {
		t.Errorf("loosely matched key: %+v", a)
	}
	if a := got.Answers["HFIH-01"]; string(a.Value) != `"yes"` || a.Comment != "Fleet Cloud logs are kept 90 days\nSee the SOC 2 report" {
		t.Errorf("worded answer: %s %q", a.Value, a.Comment)
	}
	if got.Progress.Answered != 2 || string(got.Answers["A&A-02.1"].Value) != "null" {
		t.Errorf("saved %d answers: %+v", got.Progress.Answered, got.Answers)
	}
	// The query parameter works as the form field does.
	if r := f.upload(&risk, path+"/import?dry_run=false&valid_only=true", "answers.xlsx", file); r.Code != 200 {
		t.Fatalf("valid_only as a query parameter: %d %s", r.Code, r.Body)
	}
}

// Headings are recognised whatever their case, spacing and punctuation,
// in CSV files too, where cells are named without a sheet.
func TestImportAnswersCSVHeadings(t *testing.T) {
	f := newFixture(t, testdb.Open(t, models.SQLite))
	risk := f.as(models.RoleRiskManager)
	path := newImportAssessment(t, f, &risk)
	csv := "Our answers\n\nCONTROL_ID;Your Answer;Vendor Comments\nA&A-01.1;N/A, not a cloud service;\nHFIH-02;Mars;\n"
	res := decode[assessments.AnswerImport](t, f.upload(&risk, path+"/import", "answers.csv", []byte(csv)))
	if res.Matched != 1 || len(res.Invalid) != 1 || res.Invalid[0].Cell != "B5" || res.Sheets[0].HeadingRow != 3 {
		t.Fatalf("csv: %+v", res)
	}
}
