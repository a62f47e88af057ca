// Package doctext turns an uploaded contract (PDF, Word .docx, plain text
// or Markdown) into plain text with page boundaries, the input of the
// key-term extractor (app/contracts/terms).
//
// The text is always valid UTF-8, one line per text line, with a blank
// line between paragraphs where the format tells them apart. Offsets in
// PageStarts count Unicode code points, as terms.Evidence does.
package doctext

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"
)

// Limits. An upload larger than MaxInputSize, a document whose text is
// longer than MaxTextSize bytes, a PDF of more than MaxPages pages or a
// .docx whose parts would inflate beyond MaxDocxXMLSize gets ErrTooLarge,
// so a hostile file cannot make the server read or hold gigabytes.
const (
	MaxInputSize   = 50 << 20 // 50 MiB: scanned contracts are large, text ones rarely pass 5 MiB
	MaxTextSize    = 10 << 20 // 10 MiB of text is some 5,000 pages
	MaxPages       = 5000
	MaxDocxXMLSize = 64 << 20 // uncompressed XML read from one .docx (zip bomb guard)
	// maxPDFContent caps the decompressed content streams interpreted for
	// one PDF (a flate bomb in a content stream).
	maxPDFContent = 256 << 20
)

// Errors. Each carries a message a person can act on; use errors.Is to
// tell them apart (the returned errors wrap them with details).
var (
	// ErrNeedsOCR: a PDF without a usable text layer (a scan). Its
	// Document still tells the format and the page count.
	ErrNeedsOCR    = errors.New("the PDF has no text layer (it looks scanned); run it through OCR and upload the result")
	ErrEncrypted   = errors.New("the PDF is password-protected; upload a copy without the password")
	ErrUnsupported = errors.New("unsupported file type; upload a PDF, Word (.docx), text or Markdown file")
	ErrMalformed   = errors.New("the file is damaged or not what its type says")
	ErrTooLarge    = errors.New("the file is too large to read")
)

// Document is the text of one file.
type Document struct {
	Format string // "pdf", "docx", "txt", "md"
	// Text is the extracted text, valid UTF-8.
	Text string
	// PageStarts[i] is the code point offset in Text where page i+1
	// starts; nil when the format has no pages (a .docx without explicit
	// page breaks, text without form feeds).
	PageStarts []int
	// Pages is the number of pages, 0 when the format has none.
	Pages int
}

// Extract reads data. The format comes from the content; filename is only
// a hint (Markdown and plain text look alike, and a .docx is a zip).
func Extract(data []byte, filename string) (Document, error) {
	if len(data) > MaxInputSize {
		return Document{}, fmt.Errorf("%w: %d MiB is over the limit of %d MiB", ErrTooLarge, len(data)>>20, MaxInputSize>>20)
	}
	format, err := detect(data, filename)
	if err != nil {
		return Document{}, err
	}
	var doc Document
	switch format {
	case "pdf":
		doc, err = extractPDF(data)
	case "docx":
		doc, err = extractDOCX(data)
	default:
		doc, err = extractPlain(data)
	}
	doc.Format = format
	if err != nil {
		return doc, err
	}
	if len(doc.Text) > MaxTextSize {
		return Document{Format: format, Pages: doc.Pages}, fmt.Errorf("%w: the text is over %d MiB", ErrTooLarge, MaxTextSize>>20)
	}
	return doc, nil
}

func detect(data []byte, filename string) (string, error) {
	ext := strings.ToLower(filepath.Ext(filename))
	if len(data) == 0 {
		return "", fmt.Errorf("%w: the file is empty", ErrMalformed)
	}
	mt := mimetype.Detect(data)
	switch {
	case mt.Is("application/pdf"):
		return "pdf", nil
	case mt.Is("application/vnd.openxmlformats-officedocument.wordprocessingml.document"):
		return "docx", nil
	case mt.Is("application/zip"):
		// mimetype looks at the first entries only; a .docx written by
		// another tool may list word/document.xml later.
		if ext == ".docx" {
			return "docx", nil
		}
		return "", fmt.Errorf("%w (a zip archive that is not a Word document)", ErrUnsupported)
	case isText(data, mt):
		if ext == ".md" || ext == ".markdown" {
			return "md", nil
		}
		return "txt", nil
	case ext == ".pdf" && bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")):
		return "pdf", nil
	case ext == ".pdf" || ext == ".docx":
		return "", fmt.Errorf("%w: the name says %s but the content is not", ErrMalformed, ext)
	case ext == ".txt" || ext == ".md" || ext == ".markdown" || ext == "":
		return "", fmt.Errorf("%w: not valid UTF-8 or UTF-16 text (save it as UTF-8)", ErrMalformed)
	}
	return "", fmt.Errorf("%w (found %s)", ErrUnsupported, mt.String())
}

// isText accepts what mimetype calls text, and UTF-8 without NUL bytes
// that mimetype may have named something else (a text that starts like
// an HTML or JSON file is still text to us).
func isText(data []byte, mt *mimetype.MIME) bool {
	if hasUTF16BOM(data) {
		return true
	}
	for m := mt; m != nil; m = m.Parent() {
		if m.Is("text/plain") {
			return utf8.Valid(data)
		}
	}
	return utf8.Valid(data) && bytes.IndexByte(data, 0) < 0
}

// builder accumulates a document's text and page starts in code points.
type builder struct {
	b      strings.Builder
	runes  int
	starts []int
	tooBig bool
}

func (b *builder) WriteString(s string) {
	if b.tooBig {
		return
	}
	if b.b.Len()+len(s) > MaxTextSize {
		b.tooBig = true
		return
	}
	b.b.WriteString(s)
	b.runes += utf8.RuneCountInString(s)
}

func (b *builder) newPage() { b.starts = append(b.starts, b.runes) }

func (b *builder) err() error {
	if b.tooBig {
		return fmt.Errorf("%w: the text is over %d MiB", ErrTooLarge, MaxTextSize>>20)
	}
	return nil
}
