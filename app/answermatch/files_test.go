package answermatch

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"rampart/app/doctext"
	"rampart/app/sheet"
)

// caiqWorkbook is laid out like a CAIQ v4 answer file: a title block, the
// headings on row 3, a section row, answers with comments in a column the
// headings call a description, and a hidden sheet of lookup values.
func caiqWorkbook(t *testing.T) []byte {
	t.Helper()
	x := excelize.NewFile()
	x.SetSheetName("Sheet1", "CAIQv4.0.3")
	rows := [][]any{
		{"Consensus Assessments Initiative Questionnaire v4.0.3"},
		{"Fleet Cloud", "", "", "Completed 2026-03-01"},
		{"Question ID", "Question", "CSP CAIQ Answer", "SSRM Control Ownership", "CSP Implementation Description (Optional/Recommended)"},
		{"Audit & Assurance"},
		{"A&A-01.1", "Are audit and assurance policies, procedures, and standards established, documented, approved, communicated, applied, evaluated, and maintained?", "Yes", "CSP-owned", "Reviewed yearly by the audit committee."},
		{"CEK-03.1", "Are data at-rest and in-transit cryptographically protected using cryptographic libraries certified to approved standards?", "Yes", "Shared CSP and CSC", "AES-256 at rest; TLS 1.2+ in transit."},
		{"IAM-14.1", "Are processes, procedures, and technical measures for authenticating access to systems with strong (multi-factor) authentication defined, implemented, and evaluated?", "NA", "", ""},
		{"IAM-15.1", "Are processes for the secure management of passwords defined?", "", "", ""},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		x.SetSheetRow("CAIQv4.0.3", cell, &r)
	}
	x.NewSheet("Lists")
	x.SetSheetRow("Lists", "A1", &[]any{"Question", "Answer"})
	x.SetSheetRow("Lists", "A2", &[]any{"Yes", "No"})
	x.SetSheetVisible("Lists", false)
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFromSheetsCAIQ(t *testing.T) {
	sheets, err := sheet.Read(caiqWorkbook(t))
	if err != nil {
		t.Fatal(err)
	}
	pairs := FromSheets(sheets)
	want := []Pair{
		{ID: "A&A-01.1", Answer: "Yes", Comment: "Reviewed yearly by the audit committee.", Ref: "CAIQv4.0.3!C5"},
		{ID: "CEK-03.1", Answer: "Yes", Comment: "AES-256 at rest; TLS 1.2+ in transit.", Ref: "CAIQv4.0.3!C6"},
		{ID: "IAM-14.1", Answer: "NA", Ref: "CAIQv4.0.3!C7"},
	}
	if len(pairs) != len(want) {
		t.Fatalf("pairs %+v", pairs)
	}
	for i, w := range want {
		p := pairs[i]
		p.Question = ""
		if p != w {
			t.Errorf("pair %d = %+v, want %+v", i, p, w)
		}
	}
	// Matched by ID against a template with CAIQ keys, ignoring case.
	m := NewMatcher([]Target{{Key: "a&a-01.1", Text: "Audit policies"}, {Key: "IAM-14.1", Text: "Strong authentication"}})
	res, _ := m.Match(pairs)
	if res[0].Match == nil || res[0].Match.By != "id" || res[2].Match == nil || res[2].Match.QuestionKey != "IAM-14.1" || res[1].Match != nil {
		t.Errorf("matches %+v", res)
	}
}

func TestFromSheetsCSVWithSIGHeadings(t *testing.T) {
	csv := "Ques Num,Question/Request,Response,Additional Information\n" +
		"1.1,Is there an information security policy?,Yes,Approved 2025\n" +
		"1.2,,,\n" +
		"1.3,Is there a risk assessment program?,No,\n"
	sheets, err := sheet.Read([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	pairs := FromSheets(sheets)
	if len(pairs) != 2 || pairs[0].ID != "1.1" || pairs[0].Comment != "Approved 2025" || pairs[1].Ref != "CSV!C4" || pairs[1].Answer != "No" {
		t.Fatalf("pairs %+v", pairs)
	}
}

// wordDoc writes a small Word document: paragraphs and a two-column table
// of questions and answers, the way vendors answer in Word.
func wordDoc(t *testing.T) []byte {
	t.Helper()
	p := func(s string) string { return `<w:p><w:r><w:t xml:space="preserve">` + s + `</w:t></w:r></w:p>` }
	tc := func(s string) string { return `<w:tc>` + p(s) + `</w:tc>` }
	row := func(a, b string) string { return `<w:tr>` + tc(a) + tc(b) + `</w:tr>` }
	body := p("Fleet Cloud security answers") +
		p("Do you keep production customer data out of development and test environments?") +
		p("Yes. Test data is synthetic.") +
		`<w:tbl>` + row("Question", "Answer") +
		row("Is there a business continuity and disaster recovery plan?", "Yes, tested twice a year") +
		row("How often are staff trained on security awareness?", "When they join and at least annually, with completion tracked") + `</w:tbl>`
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels":         `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml":   `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`,
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"} {
		w, _ := zw.Create(name)
		w.Write([]byte(parts[name]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWordDocumentAgainstLite(t *testing.T) {
	doc, err := doctext.Extract(wordDoc(t), "answers.docx")
	if err != nil {
		t.Fatal(err)
	}
	pairs := FromText(doc.Text)
	if len(pairs) != 3 {
		t.Fatalf("text %q gave %+v", doc.Text, pairs)
	}
	prop := Propose(lite(t), pairs)
	for i, want := range []struct{ key, value string }{{"SDL-04", `"yes"`}, {"BCP-01", `"yes"`}, {"HRS-03", `"onboarding_and_annual"`}} {
		p := prop.Pairs[i]
		if p.Match == nil || p.Match.QuestionKey != want.key {
			t.Errorf("pair %d (%s) matched %+v, want %s", i, p.SourceQuestion, p.Match, want.key)
			continue
		}
		if string(p.Parsed.Value) != want.value {
			t.Errorf("%s parsed %s %q %q", want.key, p.Parsed.Value, p.Parsed.Comment, p.Parsed.Problem)
		}
		if !strings.HasPrefix(p.SourceQuote, "“") {
			t.Errorf("quote %q", p.SourceQuote)
		}
	}
}
