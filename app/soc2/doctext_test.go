package soc2

import (
	"archive/zip"
	"bytes"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"rampart/app/doctext"
)

// The reader gets its text from app/doctext; a report set as a PDF and
// as a Word document, with the results in a table, reads the same as its
// plain text, with quotes on the right page.
var pdfReport = [][]string{{
	"SOC 2 Type II Report - Harbor Ledger Inc.",
	"Section 1 Independent Service Auditor's Report",
	"We have examined Harbor Ledger Inc.'s description of its Ledger Reconciliation Service throughout the period January 1, 2025 to December 31, 2025, and the suitability of the design and operating effectiveness of controls to provide reasonable assurance based on the trust services criteria relevant to security and availability.",
	"Harbor Ledger uses Amazon Web Services, a subservice organization, to provide hosting. Our examination did not include the services provided by the subservice organization (carve-out method).",
	"In our opinion, in all material respects, the controls stated in the description operated effectively throughout the period January 1, 2025 to December 31, 2025.",
	"Quarry & Stone LLP",
	"Portland, Oregon",
	"February 2, 2026",
}, {
	"Complementary User Entity Controls",
	"1. User entities are responsible for approving users of their ledger accounts.",
	"2. User entities are responsible for reviewing reconciliation reports monthly.",
	"Section 4 Tests of Operating Effectiveness",
	"| CC6.1 | MFA is required for administrators. | No exceptions noted.",
	"| CC6.2 | Access is approved before it is granted. | Exception noted. 2 of 25 users sampled had no approval.",
	"| A1.2 | Backups are tested quarterly. | No exceptions noted.",
}}

func reportPDF(t *testing.T) []byte {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	pdf.SetFont("Helvetica", "", 10)
	for _, page := range pdfReport {
		pdf.AddPage()
		for _, p := range page {
			if strings.HasPrefix(p, "| ") {
				cells := strings.Split(strings.TrimPrefix(p, "| "), " | ")
				widths := []float64{20, 70, 90}
				for i, c := range cells {
					pdf.CellFormat(widths[i], 6, c, "1", 0, "L", false, 0, "")
				}
				pdf.Ln(-1)
				continue
			}
			pdf.MultiCell(180, 5, p, "", "L", false)
			pdf.Ln(3)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func reportDOCX(t *testing.T) []byte {
	var body strings.Builder
	for i, page := range pdfReport {
		if i > 0 {
			body.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
		}
		inTable := false
		for _, p := range page {
			row := strings.HasPrefix(p, "| ")
			if row && !inTable {
				body.WriteString("<w:tbl>")
			}
			if !row && inTable {
				body.WriteString("</w:tbl>")
			}
			inTable = row
			if row {
				body.WriteString("<w:tr>")
				for _, c := range strings.Split(strings.TrimPrefix(p, "| "), " | ") {
					body.WriteString(`<w:tc><w:p><w:r><w:t xml:space="preserve">` + html.EscapeString(c) + `</w:t></w:r></w:p></w:tc>`)
				}
				body.WriteString("</w:tr>")
				continue
			}
			body.WriteString(`<w:p><w:r><w:t xml:space="preserve">` + html.EscapeString(p) + `</w:t></w:r></w:p>`)
		}
		if inTable {
			body.WriteString("</w:tbl>")
		}
	}
	parts := []struct{ name, content string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `</w:body></w:document>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p.content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadThroughDoctext(t *testing.T) {
	for name, data := range map[string][]byte{"report.pdf": reportPDF(t), "report.docx": reportDOCX(t)} {
		t.Run(name, func(t *testing.T) {
			doc, err := doctext.Extract(data, name)
			if err != nil {
				t.Fatal(err)
			}
			r := Read(doc.Text, doc.PageStarts)
			checkShape(t, name, doc.Text, doc.PageStarts, r)
			if r.Unreadable != "" || r.Kind != KindReport {
				t.Fatalf("kind %q unreadable %q\n%s", r.Kind, r.Unreadable, doc.Text)
			}
			checks := map[string]bool{
				"auditor":     r.Auditor.Value == "Quarry & Stone LLP",
				"report_type": r.ReportType.Value == "SOC 2 Type II",
				"period":      r.Period.Normalized["from"] == "2025-01-01" && r.Period.Normalized["to"] == "2025-12-31",
				"opinion":     r.Opinion.Value == Unqualified,
				"system":      r.System.Value == "Ledger Reconciliation Service",
				"categories":  r.Categories.Value == "security, availability",
				"subservice":  len(r.Subservice.Items) == 1 && r.Subservice.Items[0].Method == CarveOut,
				"cuecs":       len(r.CUECs.Items) == 2,
				"exceptions":  len(r.Exceptions.Items) == 1 && r.Exceptions.Items[0].Control == "CC6.2" && strings.Contains(r.Exceptions.Items[0].Wording, "2 of 25 users"),
			}
			for k, ok := range checks {
				if !ok {
					t.Errorf("%s wrong: %+v", k, r)
				}
			}
			if len(r.Exceptions.Items) > 0 && doc.Pages == 2 && r.Exceptions.Items[0].Evidence.Page != 2 {
				t.Errorf("exception quoted on page %d, want 2", r.Exceptions.Items[0].Evidence.Page)
			}
			if !strings.HasPrefix(r.Opinion.Evidence[0].Quote, "In our opinion") {
				t.Errorf("opinion quote %q", r.Opinion.Evidence[0].Quote)
			}
		})
	}
}
