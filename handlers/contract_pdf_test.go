package handlers

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/go-pdf/fpdf"

	"rampart/models"
	"rampart/models/testdb"
)

// pdfOf makes a PDF with one page per entry; an empty entry is a page
// holding only an image, as a scanner makes.
func pdfOf(t *testing.T, pages ...string) []byte {
	t.Helper()
	var scan bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, 60, 80))
	for i := range img.Pix {
		img.Pix[i] = uint8(180 + i%70)
	}
	img.SetGray(0, 0, color.Gray{Y: 0})
	if err := png.Encode(&scan, img); err != nil {
		t.Fatal(err)
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.SetFont("Helvetica", "", 11)
	p.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "PNG"}, &scan)
	for _, text := range pages {
		p.AddPage()
		if text == "" {
			p.ImageOptions("scan", 0, 0, 210, 297, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
			continue
		}
		p.MultiCell(180, 6, text, "", "L", false)
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestContractPDFPagesAndScans(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		legal := f.as(models.RoleLegal)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Paged Inc","category":"saas"}`))
		ct := decode[contractResponse](t, f.call(&legal, "POST", "/api/v1/contracts", `{"vendor_id":"`+v.ID+`","title":"Scanned MSA","type":"msa"}`))
		base := "/api/v1/contracts/" + ct.ID

		// A scan is kept and reported; nothing is proposed from it.
		r := f.upload(&legal, base+"/documents", "scan.pdf", pdfOf(t, "", ""))
		up := decode[uploadResponse](t, r)
		if r.Code != 201 || up.Extracted || !up.Document.NeedsOCR || up.Document.Pages != 2 {
			t.Fatalf("scan: %d %s", r.Code, r.Body)
		}
		if ts := decode[contractTermsResponse](t, f.call(&legal, "GET", base+"/terms", "")); len(ts.Items) != 0 {
			t.Fatalf("terms proposed from a scan: %+v", ts.Items)
		}
		if c := decode[contractResponse](t, f.call(&legal, "GET", base, "")); c.ReviewStatus != "none" {
			t.Fatalf("review status after a scan: %q", c.ReviewStatus)
		}

		// Over the limit: refused, nothing stored.
		big := bytes.Repeat([]byte("This Agreement is long. "), (25<<20)/24+10)
		if r := f.upload(&legal, base+"/documents", "huge.txt", big); r.Code != 413 && r.Code != 422 {
			t.Fatalf("oversized upload: %d", r.Code)
		}
		if docs := decode[map[string][]contractDocumentResponse](t, f.call(&legal, "GET", base+"/documents", "")); len(docs["items"]) != 1 {
			t.Fatalf("%d documents after an oversized upload, want the scan only", len(docs["items"]))
		}

		// A text PDF: the evidence knows its page.
		r = f.upload(&legal, base+"/documents", "msa.pdf", pdfOf(t,
			"MASTER SERVICES AGREEMENT\n1. Scope. Provider delivers the services in the order form.",
			"12. Governing law. This Agreement shall be governed by the laws of England and Wales."))
		up = decode[uploadResponse](t, r)
		if r.Code != 201 || !up.Extracted || up.Document.Number != 2 || up.Document.Pages != 2 || up.Document.Format != "pdf" {
			t.Fatalf("text pdf: %d %s", r.Code, r.Body)
		}
		doc := decode[contractDocumentText](t, f.call(&legal, "GET", base+"/documents/"+up.Document.ID, ""))
		if len(doc.PageStarts) != 2 {
			t.Fatalf("page starts %v", doc.PageStarts)
		}
		for _, tm := range decode[contractTermsResponse](t, f.call(&legal, "GET", base+"/terms", "")).Items {
			if tm.Key != "governing_law" {
				continue
			}
			if !tm.Found || len(tm.Evidence) == 0 || tm.Evidence[0].Page != 2 || tm.Evidence[0].Start < doc.PageStarts[1] {
				t.Fatalf("governing law evidence %+v (pages %v)", tm, doc.PageStarts)
			}
		}
	})
}
