package doctext

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// extractDOCX reads the main document part of a Word file: paragraphs
// separated by a blank line, tables one row per line with cells separated
// by tabs, explicit page breaks (and the page breaks Word recorded when
// it last laid the document out) as page starts. Headers, footers,
// footnotes, comments and deleted tracked changes are left out.
func extractDOCX(data []byte) (Document, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Document{}, fmt.Errorf("%w: not a readable Word document (%v)", ErrMalformed, err)
	}
	name := mainPart(zr)
	var part *zip.File
	for _, f := range zr.File {
		if f.Name == name {
			part = f
			break
		}
	}
	if part == nil {
		return Document{}, fmt.Errorf("%w: the Word document has no %s", ErrMalformed, name)
	}
	body, err := readPart(part)
	if err != nil {
		return Document{}, err
	}
	defer body.Close()
	w := &docxWalker{}
	if err := w.walk(xml.NewDecoder(body)); err != nil {
		if errors.Is(err, ErrTooLarge) {
			return Document{}, err
		}
		return Document{}, fmt.Errorf("%w: %s is not valid XML (%v)", ErrMalformed, name, err)
	}
	if err := w.b.err(); err != nil {
		return Document{}, err
	}
	doc := Document{Text: w.b.b.String()}
	if len(w.b.starts) > 0 {
		doc.PageStarts = append([]int{0}, w.b.starts...)
		doc.Pages = len(doc.PageStarts)
	}
	return doc, nil
}

// readPart opens a zip entry, refusing one that inflates past
// MaxDocxXMLSize whatever its header claims.
func readPart(f *zip.File) (io.ReadCloser, error) {
	if f.UncompressedSize64 > MaxDocxXMLSize {
		return nil, fmt.Errorf("%w: %s inflates to %d MiB (limit %d MiB)", ErrTooLarge, f.Name, f.UncompressedSize64>>20, MaxDocxXMLSize>>20)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: cannot open %s in the Word document (%v)", ErrMalformed, f.Name, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{&capReader{r: rc, left: MaxDocxXMLSize, name: f.Name}, rc}, nil
}

type capReader struct {
	r    io.Reader
	left int64
	name string
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, fmt.Errorf("%w: %s inflates past %d MiB", ErrTooLarge, c.name, MaxDocxXMLSize>>20)
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// mainPart finds the document part from the package relationships; it
// is word/document.xml in every file Word writes.
func mainPart(zr *zip.Reader) string {
	const fallback = "word/document.xml"
	for _, f := range zr.File {
		if f.Name != "_rels/.rels" {
			continue
		}
		rc, err := readPart(f)
		if err != nil {
			return fallback
		}
		defer rc.Close()
		var rels struct {
			Rel []struct {
				Type   string `xml:"Type,attr"`
				Target string `xml:"Target,attr"`
			} `xml:"Relationship"`
		}
		if xml.NewDecoder(rc).Decode(&rels) != nil {
			return fallback
		}
		for _, r := range rels.Rel {
			if strings.HasSuffix(r.Type, "/officeDocument") && r.Target != "" {
				return strings.TrimPrefix(path.Clean("/"+r.Target), "/")
			}
		}
	}
	return fallback
}

type docxWalker struct {
	b builder
	// sep is written before the next text: paragraphs, rows and cells
	// are separated lazily so that empty ones leave no blank lines.
	sep         string
	pageBreak   bool // a page break waits for the next text
	tableDepth  int
	cellStarted bool // the current table cell has text
	inText      bool // inside w:t
	runDepth    int
	skip        int  // depth inside an element whose text is not shown
	sectBreak   bool // the current paragraph ends a section on a new page
}

func isWordML(n xml.Name) bool {
	return strings.HasSuffix(n.Space, "/wordprocessingml/2006/main") || strings.HasSuffix(n.Space, "/ooxml/wordprocessingml/main")
}

func (w *docxWalker) text(s string) {
	if s == "" {
		return
	}
	if w.b.runes > 0 || w.b.b.Len() > 0 {
		w.b.WriteString(w.sep)
	}
	w.sep = ""
	if w.pageBreak {
		if w.b.runes > 0 {
			w.b.newPage()
		}
		w.pageBreak = false
	}
	w.b.WriteString(s)
	if w.tableDepth > 0 {
		w.cellStarted = true
	}
}

// separate asks for s before the next text unless a stronger separator
// (a longer one, or a newline over a tab or space) already waits.
func (w *docxWalker) separate(s string) {
	if w.b.b.Len() == 0 {
		return
	}
	// Empty table cells still count, so columns stay in place.
	if s == "\t" && (w.sep == "" || strings.Trim(w.sep, "\t") == "" || strings.HasSuffix(w.sep, "\n")) {
		w.sep += s
		return
	}
	if rank(s) > rank(w.sep) {
		w.sep = s
	}
}

func rank(s string) int {
	switch {
	case strings.Contains(s, "\n\n"):
		return 4
	case strings.Contains(s, "\n"):
		return 3
	case strings.Contains(s, "\t"):
		return 2
	case s != "":
		return 1
	}
	return 0
}

func (w *docxWalker) walk(d *xml.Decoder) error {
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if w.b.tooBig {
			return nil
		}
		switch t := tok.(type) {
		case xml.Directive:
			// encoding/xml never expands DTD entities; a DTD in a Word part
			// has no business there at all.
			if bytes.HasPrefix(bytes.TrimSpace(t), []byte("DOCTYPE")) {
				return errors.New("a DOCTYPE is not allowed")
			}
		case xml.StartElement:
			w.start(t)
		case xml.EndElement:
			w.end(t)
		case xml.CharData:
			if w.inText && w.skip == 0 {
				w.text(string(t))
			}
		}
	}
}

func (w *docxWalker) start(t xml.StartElement) {
	if w.skip > 0 {
		w.skip++
		return
	}
	if t.Name.Local == "Fallback" && !isWordML(t.Name) {
		// mc:AlternateContent repeats its choice in the fallback.
		w.skip = 1
		return
	}
	if !isWordML(t.Name) {
		return
	}
	switch t.Name.Local {
	case "t":
		w.inText = true
	case "delText", "instrText", "footnoteReference", "commentReference":
		w.skip = 1
	case "r":
		w.runDepth++
	case "tab", "ptab":
		// w:tab also defines tab stops in paragraph properties.
		if w.runDepth > 0 {
			w.text("\t")
		}
	case "noBreakHyphen":
		w.text("-")
	case "br", "cr":
		if attr(t, "type") == "page" {
			w.pageBreak = true
		} else if attr(t, "type") != "column" {
			w.separate("\n")
		}
	case "lastRenderedPageBreak":
		w.pageBreak = true
	case "sectPr":
		// A section break sits in the properties of its last paragraph;
		// the body's own sectPr (outside any paragraph) breaks nothing.
		w.sectBreak = true
	case "type":
		if w.sectBreak && attr(t, "val") == "continuous" {
			w.sectBreak = false
		}
	case "tbl":
		w.tableDepth++
		if w.tableDepth == 1 {
			w.separate("\n\n")
		}
	case "tc":
		w.cellStarted = false
	}
}

func (w *docxWalker) end(t xml.EndElement) {
	if w.skip > 0 {
		w.skip--
		return
	}
	if !isWordML(t.Name) {
		return
	}
	switch t.Name.Local {
	case "t":
		w.inText = false
	case "r":
		w.runDepth--
	case "p":
		switch {
		case w.tableDepth > 0:
			if w.cellStarted {
				w.separate(" ")
			}
		default:
			w.separate("\n\n")
		}
		if w.sectBreak {
			w.pageBreak = true
		}
		w.sectBreak = false
	case "body":
		w.sectBreak = false
	case "tc":
		if w.tableDepth == 1 {
			w.separate("\t")
		}
	case "tr":
		if w.tableDepth == 1 {
			w.separate("\n")
		}
	case "tbl":
		w.tableDepth--
		if w.tableDepth == 0 {
			w.separate("\n\n")
		}
	}
}

func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
