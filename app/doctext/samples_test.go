package doctext

import (
	"bytes"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"
)

var update = flag.Bool("update", false, "rewrite testdata/sample-contract.* from sampleContract")

// sampleContract is a short SaaS agreement written for this project; it
// is set in four formats under testdata/ (regenerate them with
// go test ./app/doctext -run TestSampleContracts -update). Each page is a
// list of paragraphs; a paragraph starting with "|" is a table row.
var sampleContract = [][]string{{
	"SOFTWARE AS A SERVICE AGREEMENT",
	"This Agreement is made between Northwind Analytics Ltd (the Supplier) and Example Corp (the Customer).",
	"1. Term and renewal. This Agreement starts on the Effective Date and runs for an initial term of 24 months. It renews automatically for successive periods of 12 months unless either party gives written notice of non-renewal at least 90 days before the end of the then-current term.",
	"2. Termination. The Customer may terminate this Agreement for convenience on 30 days' written notice. Either party may terminate for material breach not cured within 30 days of notice.",
	"3. Service levels. The Supplier will make the Service available 99.9% of the time in each calendar month.",
	"| Monthly uptime | Service credit",
	"| below 99.9% | 10% of monthly fees",
	"| below 99.0% | 25% of monthly fees",
}, {
	"4. Data protection. The Supplier shall notify the Customer of a Personal Data Breach without undue delay and in any event within 48 hours. Customer Data is stored in the European Union. On termination the Supplier shall delete all Customer Data within 30 days.",
	"5. Liability. Each party's total liability under this Agreement is limited to the fees paid in the 12 months before the claim.",
	"6. Governing law. This Agreement is governed by the laws of England and Wales.",
}}

var fixedDate = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func sampleFiles(t testing.TB) map[string][]byte {
	files := map[string][]byte{}

	var txt, md strings.Builder
	for i, page := range sampleContract {
		if i > 0 {
			txt.WriteString("\f")
		}
		for j, p := range page {
			row := strings.HasPrefix(p, "| ")
			switch {
			case row:
				txt.WriteString(strings.ReplaceAll(strings.TrimPrefix(p, "| "), " | ", "\t") + "\n")
				md.WriteString(p + " |\n")
				if !strings.HasPrefix(page[j-1], "| ") {
					md.WriteString("| --- | --- |\n")
				}
				if j == len(page)-1 || !strings.HasPrefix(page[j+1], "| ") {
					md.WriteString("\n")
				}
			case i == 0 && j == 0:
				txt.WriteString(p + "\n\n")
				md.WriteString("# " + p + "\n\n")
			default:
				txt.WriteString(p + "\n\n")
				md.WriteString(p + "\n\n")
			}
		}
	}
	files["sample-contract.txt"] = []byte(txt.String())
	files["sample-contract.md"] = []byte(md.String())

	var body strings.Builder
	for i, page := range sampleContract {
		inTable := false
		for j, p := range page {
			if strings.HasPrefix(p, "| ") {
				if !inTable {
					body.WriteString("<w:tbl>")
					inTable = true
				}
				body.WriteString("<w:tr>")
				for _, cell := range strings.Split(strings.TrimPrefix(p, "| "), " | ") {
					body.WriteString("<w:tc><w:p><w:r><w:t>" + html.EscapeString(cell) + "</w:t></w:r></w:p></w:tc>")
				}
				body.WriteString("</w:tr>")
				continue
			}
			if inTable {
				body.WriteString("</w:tbl>")
				inTable = false
			}
			run := "<w:r><w:t xml:space=\"preserve\">" + html.EscapeString(p) + "</w:t></w:r>"
			if i > 0 && j == 0 {
				run = "<w:r><w:br w:type=\"page\"/></w:r>" + run
			}
			body.WriteString("<w:p>" + run + "</w:p>")
		}
		if inTable {
			body.WriteString("</w:tbl>")
		}
	}
	files["sample-contract.docx"] = makeDOCX(t, body.String(), nil)

	p := fpdf.New("P", "mm", "A4", "")
	p.SetCreationDate(fixedDate)
	p.SetModificationDate(fixedDate)
	p.SetCatalogSort(true)
	p.SetFooterFunc(func() {
		p.SetY(-15)
		p.SetFont("Helvetica", "", 8)
		p.CellFormat(0, 10, fmt.Sprintf("Page %d", p.PageNo()), "", 0, "C", false, 0, "")
	})
	for i, page := range sampleContract {
		p.AddPage()
		for j, para := range page {
			switch {
			case strings.HasPrefix(para, "| "):
				p.SetFont("Helvetica", "", 10)
				for _, cell := range strings.Split(strings.TrimPrefix(para, "| "), " | ") {
					p.CellFormat(60, 7, cell, "1", 0, "L", false, 0, "")
				}
				p.Ln(-1)
			case i == 0 && j == 0:
				p.SetFont("Helvetica", "B", 14)
				p.CellFormat(0, 10, para, "", 1, "C", false, 0, "")
				p.Ln(4)
			default:
				p.SetFont("Times", "", 11)
				p.MultiCell(0, 5, para, "", "J", false)
				p.Ln(3)
			}
		}
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	files["sample-contract.pdf"] = buf.Bytes()
	return files
}

// TestSampleContracts reads the committed samples: the same words in every
// format, and the second page starting at clause 4 wherever there are pages.
func TestSampleContracts(t *testing.T) {
	if *update {
		for name, data := range sampleFiles(t) {
			if err := os.WriteFile(filepath.Join("testdata", name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	words := func(s string) string {
		s = strings.NewReplacer("#", " ", "|", " ", "---", " ").Replace(s)
		return strings.Join(strings.Fields(s), " ")
	}
	var all []string
	for _, p := range sampleContract {
		all = append(all, p...)
	}
	want := words(strings.Join(all, " "))
	for name, wantPages := range map[string]int{"sample-contract.pdf": 2, "sample-contract.docx": 2, "sample-contract.txt": 2, "sample-contract.md": 0} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			doc, err := Extract(data, name)
			if err != nil {
				t.Fatal(err)
			}
			got := doc.Text
			if doc.Format == "pdf" {
				got = strings.NewReplacer("Page 1", "", "Page 2", "").Replace(got)
			}
			if words(got) != want {
				t.Errorf("words:\n%s\nwant:\n%s", words(got), want)
			}
			if doc.Pages != wantPages || len(doc.PageStarts) != wantPages {
				t.Fatalf("pages %d %v, want %d", doc.Pages, doc.PageStarts, wantPages)
			}
			if wantPages == 0 {
				return
			}
			page2 := string([]rune(doc.Text)[doc.PageStarts[1]:])
			if !strings.HasPrefix(page2, "4. Data protection.") {
				t.Errorf("page 2 starts with %.40q", page2)
			}
		})
	}
}
