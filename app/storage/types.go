package storage

import (
	"io"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/gabriel-vasile/mimetype"
)

// Evidence lists the file types accepted as attachments and evidence, by
// the type detected from the content (never the name or the client's
// Content-Type).
var Evidence = map[string]string{
	"application/pdf": "PDF",
	"image/png":       "PNG image",
	"image/jpeg":      "JPEG image",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document (.docx)",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       "Excel workbook (.xlsx)",
	"text/plain": "text file",
	"text/csv":   "CSV file",
}

// Sniff detects a file's type from its first bytes and returns it with a
// reader that replays those bytes followed by the rest.
func Sniff(r io.Reader) (string, io.Reader, error) {
	head := make([]byte, 8192)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", nil, err
	}
	head = head[:n]
	if n == 0 {
		return "", strings.NewReader(""), nil
	}
	mt := mimetype.Detect(head)
	t := mt.String()
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	return t, io.MultiReader(strings.NewReader(string(head)), r), nil
}

// AllowedNames describes the accepted types for an error message.
func AllowedNames() string {
	return "PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), text or CSV"
}

// CleanName makes an uploaded file name safe to store and show: the last
// path element, without control characters or bidirectional controls, at
// most 150 characters.
func CleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' || isBidiControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > 150 {
		name = string(r[:150])
	}
	if name == "" || name == "." || name == "/" {
		name = "file"
	}
	return name
}

// isBidiControl reports the characters that reorder the text around them
// (embeddings, overrides, isolates and marks), with which a name such as
// "invoice\u202Efdp.exe" shows as "invoiceexe.pdf".
func isBidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069') || r == '\u200E' || r == '\u200F' || r == '\u061C'
}
