package doctext

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"
)

// samplePDF is a two-page contract as office tools print it: a centred
// title, justified paragraphs, a ruled table and a page-number footer.
func samplePDF(t testing.TB, protect func(*fpdf.Fpdf)) []byte {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	if protect != nil {
		protect(p)
	}
	tr := p.UnicodeTranslatorFromDescriptor("")
	p.SetFooterFunc(func() {
		p.SetY(-15)
		p.SetFont("Helvetica", "I", 8)
		p.CellFormat(0, 10, fmt.Sprintf("Page %d of {nb}", p.PageNo()), "", 0, "C", false, 0, "")
	})
	p.AliasNbPages("")
	p.AddPage()
	p.SetFont("Helvetica", "B", 16)
	p.CellFormat(0, 10, "Master Services Agreement", "", 1, "C", false, 0, "")
	p.Ln(4)
	p.SetFont("Times", "", 11)
	p.MultiCell(0, 5, tr("1. Term. This Agreement starts on the Effective Date and continues for an initial term of twelve (12) months. "+
		"It renews automatically for successive periods of twelve months unless either party gives written notice of non-renewal "+
		"at least ninety (90) days before the end of the then-current term. Fees are € 12,000 per year – payable in advance."), "", "J", false)
	p.Ln(3)
	p.MultiCell(0, 5, "2. Governing law. This Agreement is governed by the laws of England and Wales.", "", "L", false)
	p.Ln(3)
	p.SetFont("Helvetica", "", 10)
	for _, row := range [][]string{{"Service", "Uptime", "Credit"}, {"Platform", "99.9%", "10%"}} {
		for _, c := range row {
			p.CellFormat(50, 7, c, "1", 0, "L", false, 0, "")
		}
		p.Ln(-1)
	}
	p.AddPage()
	p.SetFont("Times", "", 11)
	p.MultiCell(0, 5, "3. Liability. Each party's total liability is capped at the fees paid in the twelve months before the claim.", "", "L", false)
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const samplePDFText = `Master Services Agreement

1. Term. This Agreement starts on the Effective Date and continues for an initial term of twelve (12) months. It renews
automatically for successive periods of twelve months unless either party gives written notice of non-renewal at least
ninety (90) days before the end of the then-current term. Fees are € 12,000 per year – payable in advance.

2. Governing law. This Agreement is governed by the laws of England and Wales.

Service	Uptime	Credit

Platform	99.9%	10%

Page 1 of 2
3. Liability. Each party's total liability is capped at the fees paid in the twelve months before the claim.

Page 2 of 2`

func TestPDFTextWithPages(t *testing.T) {
	doc, err := Extract(samplePDF(t, nil), "msa.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != "pdf" || doc.Pages != 2 {
		t.Errorf("format %q, pages %d", doc.Format, doc.Pages)
	}
	if doc.Text != samplePDFText {
		t.Errorf("text:\n%s\nwant:\n%s", doc.Text, samplePDFText)
	}
	page2 := len([]rune(samplePDFText[:strings.Index(samplePDFText, "3. Liability")]))
	if fmt.Sprint(doc.PageStarts) != fmt.Sprint([]int{0, page2}) {
		t.Errorf("page starts %v, want [0 %d]", doc.PageStarts, page2)
	}
}

// A file encrypted only against editing opens without a password and is
// read like any other (pdfcpu removes the encryption first).
func TestPDFOwnerPasswordOnlyIsRead(t *testing.T) {
	doc, err := Extract(samplePDF(t, func(p *fpdf.Fpdf) { p.SetProtection(fpdf.CnProtectPrint, "", "owner-secret") }), "msa.pdf")
	if err != nil || doc.Text != samplePDFText || doc.Pages != 2 {
		t.Fatalf("err %v, pages %d, text:\n%s", err, doc.Pages, doc.Text)
	}
}

func TestPDFWithUserPasswordIsRefused(t *testing.T) {
	_, err := Extract(samplePDF(t, func(p *fpdf.Fpdf) { p.SetProtection(fpdf.CnProtectPrint, "user-secret", "owner-secret") }), "msa.pdf")
	if !errors.Is(err, ErrEncrypted) || !strings.Contains(err.Error(), "password") {
		t.Fatalf("err = %v, want ErrEncrypted", err)
	}
}

func TestScannedPDFNeedsOCR(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 120, 160))
	for y := 0; y < 160; y++ {
		for x := 0; x < 120; x++ {
			img.SetGray(x, y, color.Gray{Y: uint8(200 + (x*y)%55)})
		}
	}
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, img); err != nil {
		t.Fatal(err)
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "PNG"}, &pngData)
	for range 3 {
		p.AddPage()
		p.ImageOptions("scan", 0, 0, 210, 297, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	doc, err := Extract(buf.Bytes(), "scan.pdf")
	if !errors.Is(err, ErrNeedsOCR) {
		t.Fatalf("err = %v, want ErrNeedsOCR", err)
	}
	if doc.Format != "pdf" || doc.Pages != 3 || doc.Text != "" {
		t.Errorf("doc = %+v, want a 3-page pdf without text", doc)
	}
}

// rawPDF assembles a PDF from numbered objects (1 is the catalog), so a
// test can write content streams the way other producers do.
func rawPDF(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func stream(content string) string {
	return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content)
}

// TestPDFPositionedGlyphs covers what word processors and browsers write:
// words placed by TJ offsets with no space characters, a two-byte font
// mapped to Unicode by a ToUnicode CMap, lines drawn out of reading
// order, text in a form XObject, and a diagonal watermark to leave out.
func TestPDFPositionedGlyphs(t *testing.T) {
	widths := strings.TrimSpace(strings.Repeat("500 ", 95))
	toUnicode := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" +
		"1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
		"1 beginbfrange <0020> <007E> <0020> endbfrange\n" +
		"1 beginbfchar <0100> <00A7> endbfchar\n" +
		"endcmap CMapName currentdict /CMap defineresource pop end end"
	utf16 := func(s string) string {
		var h strings.Builder
		for _, r := range s {
			if r == '§' {
				r = 0x100
			}
			fmt.Fprintf(&h, "%04X", r)
		}
		return "<" + h.String() + ">"
	}
	page1 := "BT /F1 12 Tf 72 686 Td (second line, drawn first) Tj ET\n" +
		"BT /F1 12 Tf 72 700 Td [(Con) 30 (tract) -280 (term:) -280 (twelve) -280 (months)] TJ ET\n" +
		"BT /F2 12 Tf 72 650 Td [" + utf16("§ 4 Notice:") + " -300 " + utf16("ninety days") + "] TJ ET\n" +
		"BT /F1 48 Tf 0.7071 0.7071 -0.7071 0.7071 150 300 Tm (DRAFT) Tj ET\n" +
		"q 1 0 0 1 72 40 cm /Foot Do Q"
	pdfData := rawPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> /XObject << /Foot 9 0 R >> >> >>",
		stream(page1),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /LastChar 126 /Widths ["+widths+"] >>",
		"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Arial /Encoding /Identity-H /DescendantFonts [7 0 R] /ToUnicode 8 0 R >>",
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Arial /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 /W [32 [250]] >>",
		stream(toUnicode),
		"<< /Type /XObject /Subtype /Form /BBox [0 0 500 50] /Resources << /Font << /F1 5 0 R >> >> /Length 40 >>\nstream\nBT /F1 9 Tf 0 0 Td (Confidential) Tj ET\nendstream",
	)
	doc, err := Extract(pdfData, "")
	if err != nil {
		t.Fatal(err)
	}
	want := "Contract term: twelve months\nsecond line, drawn first\n\n§ 4 Notice: ninety days\n\nConfidential"
	if doc.Text != want || doc.Pages != 1 || fmt.Sprint(doc.PageStarts) != "[0]" {
		t.Errorf("got %q pages %d %v\nwant %q", doc.Text, doc.Pages, doc.PageStarts, want)
	}
}

func TestPDFPageTreeThatLoopsIsMalformed(t *testing.T) {
	pdfData := rawPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [2 0 R 2 0 R] /Count 5 >>",
	)
	_, err := Extract(pdfData, "loop.pdf")
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("err = %v, want ErrMalformed", err)
	}
}

func TestBrokenPDFs(t *testing.T) {
	good := samplePDF(t, nil)
	cases := map[string][]byte{
		"truncated":        good[:len(good)/2],
		"header only":      []byte("%PDF-1.4\n"),
		"garbage after":    append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 500)...),
		"xref points away": bytes.Replace(good, []byte("startxref\n"), []byte("startxref\n9"), 1),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Extract(data, "contract.pdf")
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
		})
	}
}

// TestPDFBookkeepingAttacks feeds files of a few hundred bytes whose
// cross-reference data would make the reader loop for ever or allocate
// gigabytes; each must come back as malformed.
func TestPDFBookkeepingAttacks(t *testing.T) {
	base := rawPDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Contents 4 0 R >>", stream("BT /F1 12 Tf 72 700 Td (hello) Tj ET"))
	xref := bytes.LastIndex(base, []byte("\nxref\n")) + 1
	with := func(old, new string) []byte {
		if !bytes.Contains(base, []byte(old)) {
			t.Fatalf("%q not in the base file", old)
		}
		return bytes.Replace(base, []byte(old), []byte(new), 1)
	}
	cases := map[string]struct {
		data []byte
		msg  string
	}{
		"xref Prev points at itself": {with("/Root 1 0 R >>", fmt.Sprintf("/Root 1 0 R /Prev %d >>", xref)), "round in circles"},
		"huge trailer Size":          {with("/Size 5", "/Size 9999999999"), "/Size"},
		"huge xref subsection":       {with("xref\n0 5\n", "xref\n4000000000 5\n"), "cross-reference table"},
		"huge xref stream widths":    {with("<< /Type /Pages", "<< /Type /XRef /W [1 4000000000 1] >> << /Type /Pages"), "/W or /Index"},
		"huge xref stream index":     {with("<< /Type /Pages", "<< /Type /XRef /Index [0 5 3000000000 2] >> << /Type /Pages"), "/Index"},
		"huge object stream count":   {with("<< /Type /Pages", "<< /Type /ObjStm /N 99999999999999999999 >> << /Type /Pages"), "/N"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Extract(c.data, "x.pdf")
			if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("err = %v, want ErrMalformed about %q", err, c.msg)
			}
		})
	}
	if doc, err := Extract(base, "x.pdf"); err != nil || doc.Text != "hello" {
		t.Fatalf("the base file itself: %q %v", doc.Text, err)
	}
}

func BenchmarkExtractPDF300Pages(b *testing.B) {
	p := fpdf.New("P", "mm", "A4", "")
	for i := range 300 {
		p.AddPage()
		p.SetFont("Helvetica", "B", 12)
		p.CellFormat(0, 8, fmt.Sprintf("Section %d", i+1), "", 1, "L", false, 0, "")
		p.SetFont("Times", "", 11)
		for range 6 {
			p.MultiCell(0, 5, "The Supplier shall notify the Customer without undue delay and in any event within 48 hours after "+
				"becoming aware of a Personal Data Breach, and shall provide the information the Customer needs to meet its obligations.", "", "J", false)
			p.Ln(3)
		}
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ResetTimer()
	for b.Loop() {
		if doc, err := Extract(buf.Bytes(), "big.pdf"); err != nil || doc.Pages != 300 {
			b.Fatal(doc.Pages, err)
		}
	}
}

// TestPDFTwoColumns: general terms printed in two columns are read column
// by column, with the heading above and the footer below them.
func TestPDFTwoColumns(t *testing.T) {
	left := "1. Orders. Each order form refers to these terms and forms one contract with them. " +
		"2. Renewal. Subscriptions renew for one year unless cancelled 60 days before the renewal date. " +
		"3. Fees. Fees are due within 30 days of the invoice date. Late payments bear interest at the statutory rate. " +
		"4. Data. The supplier processes personal data only on documented instructions and keeps it in the European Union."
	right := "5. Liability. Liability is capped at the fees paid in the preceding 12 months, except for fraud and death. " +
		"6. Law. These terms are governed by the laws of Ireland, and the courts of Dublin decide any dispute. " +
		"7. Notices. Notices are given in writing to the addresses in the order form, by post or by email."
	p := fpdf.New("P", "mm", "A4", "")
	p.AddPage()
	p.SetFont("Helvetica", "B", 12)
	p.CellFormat(0, 8, "GENERAL TERMS AND CONDITIONS", "", 1, "C", false, 0, "")
	p.SetFont("Times", "", 9)
	top := p.GetY() + 2
	p.SetXY(10, top)
	p.MultiCell(88, 4, left, "", "L", false)
	p.SetLeftMargin(112)
	p.SetXY(112, top)
	p.MultiCell(88, 4, right, "", "L", false)
	p.SetLeftMargin(10)
	p.SetAutoPageBreak(false, 0)
	p.SetXY(10, 280)
	p.SetFont("Helvetica", "", 8)
	p.CellFormat(0, 5, "Form GT-7, version 2026", "", 0, "C", false, 0, "")
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	doc, err := Extract(buf.Bytes(), "terms.pdf")
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(doc.Text), " ")
	want := "GENERAL TERMS AND CONDITIONS " + left + " " + right + " Form GT-7, version 2026"
	if flat != want {
		t.Errorf("read as:\n%s\nwant:\n%s", doc.Text, want)
	}
	if !strings.HasPrefix(doc.Text, "GENERAL TERMS AND CONDITIONS\n\n1. Orders.") || !strings.Contains(doc.Text, "Union.\n\n5. Liability.") || !strings.HasSuffix(doc.Text, "email.\n\nForm GT-7, version 2026") || doc.Pages != 1 {
		t.Errorf("blocks not separated by blank lines:\n%s", doc.Text)
	}
}

// A table's columns are not text columns: its rows stay lines.
func TestPDFTableStaysRowByRow(t *testing.T) {
	p := fpdf.New("P", "mm", "A4", "")
	p.AddPage()
	p.SetFont("Helvetica", "", 10)
	var want []string
	for i := range 10 {
		row := []string{fmt.Sprintf("Schedule %d", i+1), fmt.Sprintf("Fee EUR %d,000 per year", (i+1)*3), "due yearly in advance"}
		for _, c := range row {
			p.CellFormat(63, 7, c, "1", 0, "L", false, 0, "")
		}
		p.Ln(-1)
		want = append(want, strings.Join(row, "\t"))
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	doc, err := Extract(buf.Bytes(), "fees.pdf")
	if err != nil || doc.Text != strings.Join(want, "\n") {
		t.Fatalf("err %v, text:\n%s", err, doc.Text)
	}
}
