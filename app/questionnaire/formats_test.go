package questionnaire

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"rampart/app/sheet"
)

// The builders below reproduce, with our own content, the structure and
// quirks of the questionnaires programs use as their publishers ship them
// (see testdata/README.md): title rows above the headings, duplicate
// headings, multi-line cells, framework columns, drop-down answer lists on
// hidden sheets, scoring kept on a hidden sheet, a used range reaching the
// last row, and section rows that repeat the headings.

var caiqHeadings = []string{"Question ID", "Question", "CSP CAIQ Answer", "SSRM Control Ownership",
	"CSP Implementation Description (Optional/Recommended)", "CSC Responsibilities (Optional/Recommended)",
	"CCM Control ID", "CCM Control Specification", "CCM Control Title", "CCM Domain Title", "CAIQ Lite", "CSP Implementation Description (Optional/Recommended)"}

const longCAIQKey = "STA-14.1-supply-chain-inventory-extended-question"

func caiqRows() [][]string {
	rows := [][]string{
		{"Consensus Assessments Initiative Questionnaire v4.0.3"},
		{"© 2026 Example Alliance. Answer each question in column C with Yes, No or NA."},
		{},
		caiqHeadings,
		{"A&A-01.1", "Are audit and assurance policies, procedures, and standards established,\ndocumented, approved, communicated, applied, evaluated, and maintained?", "", "", "", "", "A&A-01",
			"Establish, document, approve, communicate, apply, evaluate and maintain\naudit and assurance policies.", "Audit and Assurance Policy and Procedures", "Audit & Assurance", "x", ""},
		{"A&A-01.2", "Are audit and assurance policies reviewed <i>at least annually</i>?", "", "", "", "", "A&A-01", "Review and update the policies at least annually.", "Audit and Assurance Policy and Procedures", "Audit & Assurance", "", ""},
		{"A&A-02.1", "Are independent audit and assurance assessments conducted<br>according to relevant standards at least annually?", "", "", "", "", "A&A-02", "Conduct independent audit and assurance assessments.", "Independent Assessments", "Audit & Assurance", "x", ""},
		{"AIS-01.1", "Are application security policies and procedures established?<script>alert(1)</script>", "", "", "", "", "AIS-01", "Establish application security policies.", "Application and Interface Security Policy and Procedures", "Application & Interface Security", "x", ""},
		{longCAIQKey, "Is an inventory of all supply chain relationships kept?", "", "", "", "", "STA-14", "Keep an inventory.", "Supply Chain Inventory", "Supply Chain Management, Transparency, and Accountability", "", ""},
	}
	return rows
}

func caiqCSV(t *testing.T) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(caiqRows()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeRows(t *testing.T, f *excelize.File, name string, rows [][]string) {
	t.Helper()
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, v := range r {
			cells[j] = v
		}
		if err := f.SetSheetRow(name, sheet.CellName(i, 0), &cells); err != nil {
			t.Fatal(err)
		}
	}
}

func workbook(t *testing.T, f *excelize.File) []sheet.Sheet {
	t.Helper()
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	sheets, err := sheet.Read(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return sheets
}

func dropDown(t *testing.T, f *excelize.File, name, sqref, formula string) {
	t.Helper()
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(sqref)
	dv.SetSqrefDropList(formula)
	if err := f.AddDataValidation(name, dv); err != nil {
		t.Fatal(err)
	}
}

func caiqXLSX(t *testing.T) []sheet.Sheet {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "CAIQv4.0.3")
	writeRows(t, f, "CAIQv4.0.3", caiqRows())
	f.NewSheet("Lists")
	writeRows(t, f, "Lists", [][]string{{"Yes"}, {"No"}, {"NA"}})
	f.SetSheetVisible("Lists", false)
	dropDown(t, f, "CAIQv4.0.3", "C5:C9", "Lists!$A$1:$A$3")
	style, _ := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Color: []string{"DDDDDD"}, Pattern: 1}})
	f.SetCellStyle("CAIQv4.0.3", "A1048576", "A1048576", style)
	return workbook(t, f)
}

func TestCAIQAsPublished(t *testing.T) {
	csvSheets, err := sheet.Read(caiqCSV(t))
	if err != nil {
		t.Fatal(err)
	}
	for name, sheets := range map[string][]sheet.Sheet{"csv": csvSheets, "xlsx": caiqXLSX(t)} {
		imp, err := FromSheets(sheets, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if imp.Format != "caiq" || imp.Mapping.HeaderRow != 4 || *imp.Mapping.ID != 0 || *imp.Mapping.Question != 1 || *imp.Mapping.Answer != 2 || *imp.Mapping.Section != 9 || *imp.Mapping.Help != 7 {
			t.Fatalf("%s: format %s, mapping %+v", name, imp.Format, imp.Mapping)
		}
		if imp.Columns[11] != "CSP Implementation Description (Optional/Recommended) (2)" {
			t.Errorf("%s: duplicate heading %q", name, imp.Columns[11])
		}
		qs := imp.Content.Questions()
		var keys []string
		for _, q := range qs {
			keys = append(keys, q.Key)
		}
		if strings.Join(keys, " ") != "A&A-01.1 A&A-01.2 A&A-02.1 AIS-01.1 "+longCAIQKey {
			t.Fatalf("%s: keys %v", name, keys)
		}
		if len(imp.Content.Sections) != 3 || imp.Content.Sections[0].Title != "Audit & Assurance" || imp.Content.Sections[1].Title != "Application & Interface Security" {
			t.Fatalf("%s: sections %+v", name, imp.Content.Sections)
		}
		q := qs[0]
		if q.Type != YesNoNA || !q.Required || !slices.Equal(q.Frameworks, []string{"CCM A&A-01", "CAIQ Lite"}) || !strings.Contains(q.Text, "established,\ndocumented") {
			t.Errorf("%s: first question %+v", name, q)
		}
		if slices.Contains(qs[1].Frameworks, "CAIQ Lite") || qs[1].Text != "Are audit and assurance policies reviewed <i>at least annually</i>?" {
			t.Errorf("%s: second question %q %v", name, qs[1].Text, qs[1].Frameworks)
		}
		if strings.Contains(qs[3].Text, "script") || !strings.Contains(qs[2].Text, "<br") {
			t.Errorf("%s: markup not reduced to the safe subset: %q / %q", name, qs[2].Text, qs[3].Text)
		}
		if name == "xlsx" && qs[0].Choices[2].Label != "NA" {
			t.Errorf("xlsx: the drop-down's labels are kept: %+v", qs[0].Choices)
		}
		for _, c := range imp.Changes {
			if c.Question != "" {
				t.Errorf("%s: a key or value was changed: %+v", name, c)
			}
		}
		tpl := Template{Key: "caiq", Name: "CAIQ", Content: imp.Content}
		if err := tpl.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// hecvat builds a HECVAT-style workbook: a start tab, one tab per area
// with instruction rows above ID / Question / Answer / Additional
// Information, answers chosen from drop-downs defined on a hidden sheet,
// free-text questions without a drop-down, sub-heading rows, and a hidden
// scoring sheet with each question's preferred answer, weight and
// critical flag.
func hecvat(t *testing.T, lite bool) []sheet.Sheet {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "START HERE")
	writeRows(t, f, "START HERE", [][]string{{"Higher Education Community Vendor Assessment Toolkit (HECVAT) 4.1 " + map[bool]string{true: "Lite", false: "Full"}[lite]}, {"Complete every tab."}})
	f.NewSheet("Lists")
	writeRows(t, f, "Lists", [][]string{{"Yes", "Annually"}, {"No", "Quarterly"}, {"N/A", "Never"}})
	f.SetSheetVisible("Lists", false)
	head := []string{"ID", "Question", "Answer", "Additional Information"}
	tabs := map[string][][]string{
		"Organization": {
			{"Organization"}, {"Answer each question; use Additional Information to explain."}, {}, head,
			{"Company Information"},
			{"COMP-01", "Do you have a dedicated information security team?", "", ""},
			{"COMP-02", "Describe your security team's structure.", "", ""},
			{"COMP-03", "How often do you review &mdash; and approve &mdash; policies?", "", ""},
		},
		"Application": {
			{"Application Security"}, {}, head,
			{"APPL-01", "Do you perform code reviews?", "", ""},
			{"APPL-02", "Do you store end users' passwords in plain text?", "", ""},
		},
	}
	order := []string{"Organization", "Application"}
	if lite {
		tabs = map[string][][]string{"HECVAT Lite": append(tabs["Organization"], tabs["Application"][3:]...)}
		order = []string{"HECVAT Lite"}
	}
	for _, name := range order {
		f.NewSheet(name)
		writeRows(t, f, name, tabs[name])
	}
	if lite {
		dropDown(t, f, "HECVAT Lite", "C6 C10:C11", "Lists!$A$1:$A$3")
		dropDown(t, f, "HECVAT Lite", "C8", "Lists!$B$1:$B$3")
	} else {
		dropDown(t, f, "Organization", "C6", "Lists!$A$1:$A$3")
		dropDown(t, f, "Organization", "C8", "Lists!$B$1:$B$3")
		dropDown(t, f, "Application", "C4:C5", "Lists!$A$1:$A$3")
	}
	f.NewSheet("Scoring")
	writeRows(t, f, "Scoring", [][]string{{"Analyst scoring"}, {"ID", "Preferred Response", "Weight", "Critical"},
		{"COMP-01", "Yes", "10", ""}, {"COMP-03", "Annually", "5", ""}, {"APPL-01", "Yes", "10", ""}, {"APPL-02", "No", "20", "Yes"}})
	f.SetSheetVisible("Scoring", false)
	return workbook(t, f)
}

func TestHECVATAsPublished(t *testing.T) {
	for _, lite := range []bool{false, true} {
		imp, err := FromSheets(hecvat(t, lite), nil)
		if err != nil {
			t.Fatal(err)
		}
		if imp.Format != "hecvat" {
			t.Errorf("format %q", imp.Format)
		}
		var titles []string
		for _, s := range imp.Content.Sections {
			titles = append(titles, s.Title)
		}
		want := "Organization|Application"
		if lite {
			want = "General"
		}
		if strings.Join(titles, "|") != want && !(lite && strings.Join(titles, "|") == "Company Information") {
			t.Fatalf("lite %v: sections %v", lite, titles)
		}
		byKey := map[string]*Question{}
		for _, q := range imp.Content.Questions() {
			byKey[q.Key] = q
		}
		if len(byKey) != 5 {
			t.Fatalf("lite %v: %d questions", lite, len(byKey))
		}
		if q := byKey["COMP-01"]; q.Type != YesNoNA || q.Choices[2].Label != "N/A" || q.Expected[0] != "yes" || q.Required {
			t.Errorf("COMP-01 %+v", q)
		}
		if q := byKey["COMP-02"]; q.Type != LongText {
			t.Errorf("free-text question without a drop-down: %s", q.Type)
		}
		if q := byKey["COMP-03"]; q.Type != SingleChoice || len(q.Choices) != 3 || q.Expected[0] != "annually" || *q.Choices[2].Score != 0 || q.Text != "How often do you review — and approve — policies?" {
			t.Errorf("COMP-03 %+v", q)
		}
		q := byKey["APPL-02"]
		if q.Expected[0] != "no" || *q.Choices[1].Score != 100 || *q.Choices[0].Score != 0 || !q.Required {
			t.Errorf("APPL-02: no is the compliant answer and it is critical: %+v", q)
		}
		// 5/10/20 keep their order on 1-5: the critical question outweighs the minor one.
		if byKey["COMP-03"].Weight != 1 || byKey["COMP-01"].Weight != 2 || q.Weight != 5 {
			t.Errorf("weights %d %d %d", byKey["COMP-03"].Weight, byKey["COMP-01"].Weight, q.Weight)
		}
		if !slices.ContainsFunc(imp.Changes, func(n Note) bool {
			return strings.Contains(n.Message, "rescaled to 1-5") && strings.Contains(n.Message, "20→5")
		}) {
			t.Errorf("rescaling not reported: %+v", imp.Changes)
		}
		if err := (Template{Key: "hecvat", Name: "HECVAT", Content: imp.Content}).Validate(); err != nil {
			t.Error(err)
		}
	}
}

// sigStyle: a home-made sheet in the SIG manner, headings on row 6 with
// fuzzy names, and section rows each followed by the headings again.
func TestSIGStyleSheet(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Questionnaire")
	head := []string{"Ques Num", "Question/Request", "Response", "Additional Information", "Weighting"}
	writeRows(t, f, "Questionnaire", [][]string{
		{"Standardized Information Gathering (lite)"}, {"Version 2026"}, {}, {"Instructions: respond in column C."}, {},
		head,
		{"A. Risk Assessment and Treatment"},
		head,
		{"A.1", "Is there a risk assessment program?", "", "", "High"},
		{"A.2", "Are risks reviewed yearly?", "", "", "Low"},
		{"B. Security Policy"},
		head,
		{"B.1", "Is there an information security policy?", "", "", "Critical"},
		{"A. Risk Assessment and Treatment"},
		{"A.3", "Is the risk register kept current?", "", "", ""},
	})
	imp, err := FromSheets(workbook(t, f), nil)
	if err != nil {
		t.Fatal(err)
	}
	if imp.Mapping.HeaderRow != 6 || *imp.Mapping.ID != 0 || *imp.Mapping.Question != 1 || *imp.Mapping.Answer != 2 || *imp.Mapping.Weight != 4 {
		t.Fatalf("mapping %+v", imp.Mapping)
	}
	var got []string
	for _, s := range imp.Content.Sections {
		var keys []string
		for _, q := range s.Questions {
			keys = append(keys, q.Key)
		}
		got = append(got, s.Title+": "+strings.Join(keys, ","))
	}
	// The section that comes back keeps its place: the questions are not reordered.
	if strings.Join(got, " | ") != "A. Risk Assessment and Treatment: A.1,A.2 | B. Security Policy: B.1 | A. Risk Assessment and Treatment: A.3" {
		t.Fatalf("sections %v", got)
	}
	qs := imp.Content.Questions()
	if qs[0].Weight != 4 || qs[1].Weight != 2 || qs[2].Weight != 5 || qs[3].Weight != 3 {
		t.Errorf("weights from words: %d %d %d %d", qs[0].Weight, qs[1].Weight, qs[2].Weight, qs[3].Weight)
	}
	repeated := 0
	for _, s := range imp.Skipped {
		if s.Reason == "the headings repeated" {
			repeated++
		}
	}
	if repeated != 2 {
		t.Errorf("repeated headings skipped: %+v", imp.Skipped)
	}
	if err := (Template{Key: "sig", Name: "SIG", Content: imp.Content}).Validate(); err != nil {
		t.Error(err)
	}
}

// Defects seen with real sheets, each reproduced.
func TestImportDefects(t *testing.T) {
	csvSheets := func(s string) []sheet.Sheet {
		out, err := sheet.Read([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// Choices are not split inside an HTML entity.
	imp, err := FromSheets(csvSheets("ID,Question,Type,Choices\nQ1,Pick one,single choice,\"Full &mdash; all systems;Partial;None\"\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c := imp.Content.Questions()[0].Choices; len(c) != 3 || c[0].Label != "Full — all systems" {
		t.Errorf("choices %+v", c)
	}
	// Keys longer than 40 characters and with '&' are kept, so they do not collide.
	long := strings.Repeat("DSP-07-data-classification-", 2)
	imp, _ = FromSheets(csvSheets("ID,Question\n"+long+"a,First?\n"+long+"b,Second?\nA&A-01.1,Third?\n"), nil)
	qs := imp.Content.Questions()
	if qs[0].Key != long+"a" || qs[1].Key != long+"b" || qs[2].Key != "A&A-01.1" || len(imp.Changes) != 1 {
		t.Errorf("keys %q %q %q, changes %+v", qs[0].Key, qs[1].Key, qs[2].Key, imp.Changes)
	}
	// A duplicate id is renamed, and the report says so with the cell.
	imp, _ = FromSheets(csvSheets("ID,Question\nX-1,First?\nX-1,Again?\n"), nil)
	if qs := imp.Content.Questions(); qs[1].Key != "X-1 (2)" || !slices.ContainsFunc(imp.Changes, func(n Note) bool { return n.Cell == "A3" && n.Question == "X-1 (2)" }) {
		t.Errorf("duplicate: %q %+v", qs[1].Key, imp.Changes)
	}
	// Show-if rules written as words become rules; ones that cannot be kept are reported.
	imp, _ = FromSheets(csvSheets("ID,Question,Condition\nQ1,Do you use subprocessors?,\nQ2,List them,If Q1 is Yes\nQ3,Other?,Q9 = Yes\n"), nil)
	qs = imp.Content.Questions()
	if qs[1].ShowIf == nil || qs[1].ShowIf.Question != "Q1" || qs[1].ShowIf.Equals[0] != "yes" || qs[2].ShowIf != nil {
		t.Errorf("show_if %+v %+v", qs[1].ShowIf, qs[2].ShowIf)
	}
	if !slices.ContainsFunc(imp.Changes, func(n Note) bool { return n.Cell == "C4" && strings.Contains(n.Message, "dropped") }) {
		t.Errorf("dropped condition not reported: %+v", imp.Changes)
	}
	// A mapping that names another sheet reads that sheet even when another is huge.
	f := excelize.NewFile()
	writeRows(t, f, "Sheet1", [][]string{{"ID", "Question"}, {"Q1", "Do you?"}})
	f.NewSheet("Data")
	for r := 0; r <= sheet.MaxRows; r++ {
		f.SetCellValue("Data", sheet.CellName(r, 0), r)
	}
	q := 1
	imp, err = FromSheets(workbook(t, f), &Mapping{Sheet: "Sheet1", HeaderRow: 1, Question: &q})
	if err != nil || len(imp.Content.Questions()) != 1 {
		t.Fatalf("mapping naming the small sheet: %v", err)
	}
}

// BenchmarkImport5000 reads a 5,000-question workbook with drop-downs,
// as a large SIG or a merged catalogue would be, from bytes to the report.
func BenchmarkImport5000(b *testing.B) {
	f := excelize.NewFile()
	sw, _ := f.NewStreamWriter("Sheet1")
	sw.SetRow("A1", []any{"Question ID", "Question", "Answer", "Domain", "Weight", "ISO 27001 Mapping"})
	for i := 0; i < 5000; i++ {
		sw.SetRow(sheet.CellName(i+1, 0), []any{fmt.Sprintf("D%02d-%04d", i/250, i), fmt.Sprintf("Is control %d in place and reviewed at least annually?", i), "", fmt.Sprintf("Domain %d", i/250), (i % 10) + 1, "A.5.1; A.8.2"})
	}
	sw.Flush()
	dv := excelize.NewDataValidation(true)
	dv.SetSqref("C2:C5001")
	dv.SetDropList([]string{"Yes", "No", "N/A"})
	f.AddDataValidation("Sheet1", dv)
	var buf bytes.Buffer
	f.Write(&buf)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sheets, err := sheet.Read(buf.Bytes())
		if err != nil {
			b.Fatal(err)
		}
		imp, err := FromSheets(sheets, nil)
		if err != nil || len(imp.Content.Questions()) != 5000 {
			b.Fatalf("%v", err)
		}
	}
}

// Every imported format exports and imports back to the same
// questionnaire, field by field.
func TestImportedFormatsRoundTrip(t *testing.T) {
	csvSheets, err := sheet.Read(caiqCSV(t))
	if err != nil {
		t.Fatal(err)
	}
	imports := map[string]*Import{}
	for name, sheets := range map[string][]sheet.Sheet{"caiq csv": csvSheets, "caiq xlsx": caiqXLSX(t), "hecvat full": hecvat(t, false), "hecvat lite": hecvat(t, true)} {
		if imports[name], err = FromSheets(sheets, nil); err != nil {
			t.Fatal(err)
		}
	}
	for name, read := range map[string]func([]byte) (*Import, error){"testdata/vsaq/vendor_basics.json": FromVSAQ, "testdata/caiq/caiq-v4.json": FromCAIQJSON} {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if imports[name], err = read(data); err != nil {
			t.Fatal(err)
		}
	}
	for name, imp := range imports {
		want := Template{Key: "imported", Name: "Imported " + name, Description: "from " + name, Content: imp.Content}
		var buf bytes.Buffer
		if err := ExportXLSX(&buf, want); err != nil {
			t.Fatal(err)
		}
		sheets, err := sheet.Read(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		back, err := FromSheets(sheets, nil)
		if err != nil {
			t.Fatal(err)
		}
		if back.Format != "rampart" || back.Name != want.Name || back.Description != want.Description || len(back.Changes) != 0 {
			t.Fatalf("%s: %s %q %q %v", name, back.Format, back.Name, back.Description, back.Changes)
		}
		if !reflect.DeepEqual(back.Content, want.Content) {
			a, _ := json.Marshal(want.Content)
			b, _ := json.Marshal(back.Content)
			t.Errorf("%s: export then import changed the questionnaire:\n%s\n%s", name, a, b)
		}
	}
}
