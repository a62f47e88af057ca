package doctext

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
)

const wordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"`

// makeDOCX writes a minimal Word package around body (the inside of
// w:body); extra adds or replaces parts.
func makeDOCX(t testing.TB, body string, extra map[string]string) []byte {
	t.Helper()
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels":         `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml":   `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + wordNS + `><w:body>` + body + `</w:body></w:document>`,
	}
	for k, v := range extra {
		parts[k] = v
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"} {
		if v, ok := parts[name]; ok {
			w, _ := zw.Create(name)
			io.WriteString(w, v)
			delete(parts, name)
		}
	}
	for name, v := range parts {
		w, _ := zw.Create(name)
		io.WriteString(w, v)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func para(runs ...string) string {
	return "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>" + strings.Join(runs, "") + "</w:p>"
}

func r(text string) string { return `<w:r><w:t xml:space="preserve">` + text + `</w:t></w:r>` }

const sampleDOCXBody = `<w:p><w:r><w:t>DATA PROCESSING AGREEMENT</w:t></w:r></w:p>` +
	`<w:p/>` +
	`<w:p><w:r><w:t xml:space="preserve">1.</w:t></w:r><w:r><w:tab/><w:t>Breach notification. The Processor notifies the Controller </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>within 48 hours</w:t></w:r><w:r><w:t xml:space="preserve"> of becoming aware</w:t></w:r><w:del><w:r><w:delText> seventy-two hours</w:delText></w:r></w:del><w:r><w:t>.</w:t></w:r></w:p>` +
	`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Sub-processor</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Location</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Purpose</w:t></w:r></w:p></w:tc></w:tr>` +
	`<w:tr><w:tc><w:p><w:r><w:t>Cloudhost Ltd</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>Hosting</w:t></w:r></w:p><w:p><w:r><w:t>and backups</w:t></w:r></w:p></w:tc></w:tr></w:tbl>` +
	`<w:p><w:r><w:br w:type="page"/></w:r></w:p>` +
	`<w:p><w:r><w:lastRenderedPageBreak/><w:t>2. Audit. Once a year</w:t></w:r><w:r><w:br/><w:t>on 30 days' notice.</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r></w:p>` +
	`<w:p><w:pPr><w:sectPr><w:type w:val="nextPage"/></w:sectPr></w:pPr><w:r><w:t>End of section.</w:t></w:r></w:p>` +
	`<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t>Annex 1</w:t></mc:Choice><mc:Fallback><w:t>Annex 1</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>` +
	`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>`

const sampleDOCXText = "DATA PROCESSING AGREEMENT\n\n" +
	"1.\tBreach notification. The Processor notifies the Controller within 48 hours of becoming aware.\n\n" +
	"Sub-processor\tLocation\tPurpose\n" +
	"Cloudhost Ltd\t\tHosting and backups\n\n" +
	"2. Audit. Once a year\non 30 days' notice.\n\n" +
	"End of section.\n\n" +
	"Annex 1"

func TestDOCX(t *testing.T) {
	doc, err := Extract(makeDOCX(t, sampleDOCXBody, nil), "dpa.docx")
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != "docx" || doc.Text != sampleDOCXText {
		t.Errorf("format %q text:\n%q\nwant:\n%q", doc.Format, doc.Text, sampleDOCXText)
	}
	page2 := utf8.RuneCountInString(sampleDOCXText[:strings.Index(sampleDOCXText, "2. Audit")])
	page3 := utf8.RuneCountInString(sampleDOCXText[:strings.Index(sampleDOCXText, "Annex 1")])
	if want := fmt.Sprint([]int{0, page2, page3}); fmt.Sprint(doc.PageStarts) != want || doc.Pages != 3 {
		t.Errorf("pages %d, starts %v, want %s", doc.Pages, doc.PageStarts, want)
	}
}

func TestDOCXWithoutPageBreaksHasNoPages(t *testing.T) {
	doc, err := Extract(makeDOCX(t, para(r("Only "), r("one page.")), nil), "nda.docx")
	if err != nil || doc.Text != "Only one page." || doc.PageStarts != nil || doc.Pages != 0 {
		t.Fatalf("%+v %v", doc, err)
	}
}

func TestDOCXFoundThroughRelationships(t *testing.T) {
	data := makeDOCX(t, "", map[string]string{
		"_rels/.rels":       `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/main.xml"/></Relationships>`,
		"word/document.xml": `<w:document ` + wordNS + `><w:body>` + para(r("decoy")) + `</w:body></w:document>`,
		"word/main.xml":     `<w:document ` + wordNS + `><w:body>` + para(r("the real one")) + `</w:body></w:document>`,
	})
	doc, err := Extract(data, "x.docx")
	if err != nil || doc.Text != "the real one" {
		t.Fatalf("%q %v", doc.Text, err)
	}
}

func TestHostileDOCX(t *testing.T) {
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml"} {
		w, _ := zw.Create(name)
		if name == "word/document.xml" {
			io.WriteString(w, `<w:document `+wordNS+`><w:body><w:p><w:r><w:t>`)
			chunk := bytes.Repeat([]byte("A"), 1<<20)
			for range MaxDocxXMLSize>>20 + 1 {
				w.Write(chunk)
			}
			io.WriteString(w, `</w:t></w:r></w:p></w:body></w:document>`)
		} else {
			io.WriteString(w, "<Types/>")
		}
	}
	zw.Close()
	if bomb.Len() > 1<<20 {
		t.Fatalf("the bomb is %d bytes; it should be small", bomb.Len())
	}
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>` +
		`<w:document ` + wordNS + `><w:body>` + para(r("&lol2;")) + `</w:body></w:document>`
	external := `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>` +
		`<w:document ` + wordNS + `><w:body>` + para(r("&x;")) + `</w:body></w:document>`
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"zip bomb", bomb.Bytes(), ErrTooLarge},
		{"entity expansion", makeDOCX(t, "", map[string]string{"word/document.xml": laughs}), ErrMalformed},
		{"external entity", makeDOCX(t, "", map[string]string{"word/document.xml": external}), ErrMalformed},
		{"no document part", zipOf(t, "word/other.xml", "<x/>"), ErrMalformed},
		{"bad xml", makeDOCX(t, "", map[string]string{"word/document.xml": "<w:document " + wordNS + "><w:body><w:p>"}), ErrMalformed},
		{"truncated", makeDOCX(t, sampleDOCXBody, nil)[:300], ErrMalformed},
		{"a zip that is not Word", zipOf(t, "notes.txt", "hello"), ErrUnsupported},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := Extract(c.data, "contract.docx")
			if c.name == "a zip that is not Word" {
				doc, err = Extract(c.data, "archive.zip")
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if strings.Contains(doc.Text, "root:") || strings.Contains(doc.Text, "lol") {
				t.Fatalf("an entity was expanded: %q", doc.Text)
			}
		})
	}
}

func zipOf(t testing.TB, name, content string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create(name)
	io.WriteString(w, content)
	zw.Close()
	return buf.Bytes()
}

func utf16With(bom []byte, s string, bigEndian bool) []byte {
	out := append([]byte(nil), bom...)
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

func TestPlainText(t *testing.T) {
	const clause = "Governing law: the laws of Österreich apply — § 12.\n"
	cases := []struct {
		name, file string
		data       []byte
		format     string
		text       string
		starts     []int
	}{
		{"utf-8", "terms.txt", []byte(clause), "txt", strings.TrimSpace(clause), nil},
		{"bom stripped", "terms.txt", append(append([]byte{}, bomUTF8...), clause...), "txt", strings.TrimSpace(clause), nil},
		{"utf-16le", "terms.txt", utf16With(bomUTF16LE, clause, false), "txt", strings.TrimSpace(clause), nil},
		{"utf-16be", "terms.txt", utf16With(bomUTF16BE, clause, true), "txt", strings.TrimSpace(clause), nil},
		{"crlf", "terms.txt", []byte("one\r\ntwo\rthree\r\n"), "txt", "one\ntwo\nthree", nil},
		{"form feeds are pages", "terms.txt", []byte("Page one\n\fPage two\fPage three\n\f"), "txt", "Page one\n\nPage two\nPage three", []int{0, 10, 19}},
		{"markdown by name", "terms.md", []byte("# Terms\n\n- **Term**: 12 months\n"), "md", "# Terms\n\n- **Term**: 12 months", nil},
		{"html-looking text", "terms.txt", []byte("<b>not html</b> really"), "txt", "<b>not html</b> really", nil},
		{"control characters dropped", "terms.txt", []byte("a\x01b\x7fc\tend"), "txt", "abc\tend", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := Extract(c.data, c.file)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Format != c.format || doc.Text != c.text || fmt.Sprint(doc.PageStarts) != fmt.Sprint(c.starts) || doc.Pages != len(c.starts) {
				t.Errorf("got %q %q %v %d, want %q %q %v", doc.Format, doc.Text, doc.PageStarts, doc.Pages, c.format, c.text, c.starts)
			}
		})
	}
}

func TestBadText(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"latin-1", []byte("Gesch\xe4ftsbedingungen"), ErrMalformed, "UTF-8"},
		{"latin-1 with bom", append(append([]byte{}, bomUTF8...), "caf\xe9"...), ErrMalformed, "UTF-8"},
		{"odd utf-16", append(utf16With(bomUTF16LE, "abc", false), 'x'), ErrMalformed, "odd number"},
		{"lone surrogate", append(append([]byte{}, bomUTF16LE...), 0x00, 0xD8, 0x41, 0x00), ErrMalformed, "surrogate"},
		{"empty", nil, ErrMalformed, "empty"},
		{"binary", bytes.Repeat([]byte{0, 1, 2, 0xff}, 64), ErrMalformed, "UTF-8"},
		{"an image", append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...), ErrUnsupported, "PDF, Word"},
		{"too large", make([]byte, MaxInputSize+1), ErrTooLarge, "50 MiB"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := Extract(c.data, "contract.txt")
			if c.name == "an image" {
				doc, err = Extract(c.data, "contract.png")
			}
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) || doc.Text != "" {
				t.Fatalf("err = %v, text %q; want %v mentioning %q", err, doc.Text, c.want, c.msg)
			}
		})
	}
}

func TestTextLimit(t *testing.T) {
	big := bytes.Repeat([]byte("notice period of ninety days. "), MaxTextSize/30+10)
	_, err := Extract(big, "huge.txt")
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

func FuzzExtract(f *testing.F) {
	f.Add(samplePDF(f, nil), "a.pdf")
	f.Add(samplePDF(f, func(p *fpdf.Fpdf) { p.SetProtection(fpdf.CnProtectPrint, "", "owner") }), "a.pdf")
	f.Add(makeDOCX(f, sampleDOCXBody, nil), "a.docx")
	f.Add([]byte("one\ftwo\f"), "a.txt")
	f.Add(utf16With(bomUTF16LE, "x\fy", false), "a.md")
	f.Add(rawPDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Contents 4 0 R >>", stream("BT /F1 12 Tf 72 700 Td [(a) -300 (b)] TJ ET")), "")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		doc, err := Extract(data, name)
		if !utf8.ValidString(doc.Text) {
			t.Fatalf("invalid UTF-8 text %q", doc.Text)
		}
		if err != nil && doc.Text != "" {
			t.Fatalf("text returned with error %v", err)
		}
		n := utf8.RuneCountInString(doc.Text)
		for i, s := range doc.PageStarts {
			if s < 0 || s > n || i > 0 && s <= doc.PageStarts[i-1] {
				t.Fatalf("page starts %v for %d code points", doc.PageStarts, n)
			}
		}
		if len(doc.PageStarts) != 0 && (doc.PageStarts[0] != 0 || len(doc.PageStarts) != doc.Pages) {
			t.Fatalf("page starts %v for %d pages", doc.PageStarts, doc.Pages)
		}
	})
}
