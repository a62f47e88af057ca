package answermatch

import (
	"bytes"
	"testing"

	"github.com/go-pdf/fpdf"

	"rampart/app/doctext"
)

// vendorPDF prints answers as a vendor's PDF holds them: numbered
// questions in bold, long ones wrapped over two lines, answers as
// paragraphs, and a page footer.
func vendorPDF(t *testing.T) []byte {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	p.SetFooterFunc(func() {
		p.SetY(-15)
		p.SetFont("Helvetica", "I", 8)
		p.CellFormat(0, 10, "Fleet Cloud - confidential", "", 0, "C", false, 0, "")
	})
	p.AddPage()
	p.SetFont("Helvetica", "B", 14)
	p.CellFormat(0, 10, "Fleet Cloud security answers", "", 1, "L", false, 0, "")
	for _, qa := range [][2]string{
		{"4.1 Within how many days are critical vulnerabilities in internet-facing systems fixed or mitigated, measured from when they are found?", "7 days for critical findings, tracked in our ticketing system."},
		{"4.2 How often do you scan production systems and dependencies for known vulnerabilities?", "Continuously or daily, with Dependabot and a weekly authenticated scan."},
	} {
		p.Ln(3)
		p.SetFont("Helvetica", "B", 11)
		p.MultiCell(0, 5, qa[0], "", "L", false)
		p.SetFont("Helvetica", "", 11)
		p.MultiCell(0, 5, qa[1], "", "L", false)
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPDFAnswersAgainstLite(t *testing.T) {
	doc, err := doctext.Extract(vendorPDF(t), "answers.pdf")
	if err != nil {
		t.Fatal(err)
	}
	pairs := FromText(doc.Text)
	if len(pairs) != 2 || pairs[0].ID != "4.1" || pairs[1].ID != "4.2" {
		t.Fatalf("text %q gave %+v", doc.Text, pairs)
	}
	prop := Propose(lite(t), pairs)
	for i, want := range []struct{ key, value string }{{"VUL-02", `7`}, {"VUL-01", `"continuous"`}} {
		p := prop.Pairs[i]
		if p.Match == nil || p.Match.QuestionKey != want.key {
			t.Errorf("pair %d (%q) matched %+v, want %s", i, p.SourceQuestion, p.Match, want.key)
			continue
		}
		if string(p.Parsed.Value) != want.value {
			t.Errorf("%s parsed %s %q %q", want.key, p.Parsed.Value, p.Parsed.Comment, p.Parsed.Problem)
		}
	}
}
