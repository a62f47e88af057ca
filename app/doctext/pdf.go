package doctext

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"unicode"

	"github.com/ledongthuc/pdf"
	pdfcpuapi "github.com/pdfcpu/pdfcpu/pkg/api"
	pdfcpufont "github.com/pdfcpu/pdfcpu/pkg/font"
	pdfcpumodel "github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// The PDF reader (ledongthuc/pdf, a maintained fork of rsc.io/pdf) parses
// the file, decrypts files protected only by an owner password and decodes
// font encodings; it reports malformed input by panicking, so everything
// here runs under recover. Its own text helpers lose glyph positions, so
// this file interprets the text operators itself: each string shown
// becomes a run with its start, end and size, and layout.go orders runs
// into lines and paragraphs by position rather than by drawing order.

// limitError aborts an extraction that hit a limit; it travels as a panic
// through the library's callback and is recovered in extractPDF.
type limitError struct{ err error }

const (
	maxPDFRuns      = 2_000_000 // strings shown in one document
	maxPageTreeNode = 100_000   // page tree nodes visited (cycles, bombs)
	maxFormDepth    = 8         // form XObjects drawn inside each other
)

func extractPDF(data []byte) (Document, error) {
	// The reader accepts versions 1.0-1.7 only; PDF 2.0 is read the same way.
	if bytes.HasPrefix(data, []byte("%PDF-2.")) {
		data = append([]byte("%PDF-1.7"), data[8:]...)
	}
	if err := pdfSanity(data); err != nil {
		return Document{}, err
	}
	if bytes.Contains(data, []byte("/Encrypt")) {
		plain, err := decryptPDF(data)
		if errors.Is(err, ErrTooLarge) {
			return Document{}, err
		}
		if err == nil {
			data = plain
		}
		// Otherwise the reader has its go: it refuses a file that needs
		// a password, and "/Encrypt" may just be a word in a stream.
	}
	return readPDF(newBudgetReader(data), data)
}

var pdfcpuConfig sync.Once

// decryptPDF returns a copy without encryption of a PDF that opens without
// a password (encrypted only to restrict copying or editing, which many
// signed contracts are). pdfcpu does this: the reader derives 40-bit RC4
// keys wrongly and knows no AES-256.
func decryptPDF(data []byte) (plain []byte, err error) {
	// pdfcpu would otherwise create a configuration folder in $HOME.
	pdfcpuConfig.Do(pdfcpuapi.DisableConfigDir)
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pdfcpu: %s", panicText(r))
		}
	}()
	conf := pdfcpumodel.NewDefaultConfiguration()
	conf.ValidationMode = pdfcpumodel.ValidationRelaxed
	var out bytes.Buffer
	if err := pdfcpuapi.Decrypt(bytes.NewReader(data), &out, conf); err != nil {
		return nil, err
	}
	if out.Len() > 2*MaxInputSize {
		return nil, fmt.Errorf("%w: the decrypted PDF is over %d MiB", ErrTooLarge, 2*MaxInputSize>>20)
	}
	return out.Bytes(), nil
}

func readPDF(br *budgetReader, data []byte) (doc Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			if le, ok := r.(limitError); ok {
				doc, err = Document{}, le.err
				return
			}
			doc, err = Document{}, fmt.Errorf("%w: the PDF cannot be read (%s)", ErrMalformed, panicText(r))
		}
	}()
	r, err := pdf.NewReader(br, int64(len(data)))
	if err != nil {
		if br.left < 0 {
			return Document{}, fmt.Errorf("%w: reading the PDF goes round in circles (a broken cross-reference chain)", ErrMalformed)
		}
		if errors.Is(err, pdf.ErrInvalidPassword) || bytes.Contains(data, []byte("/Encrypt")) {
			return Document{}, ErrEncrypted
		}
		return Document{}, fmt.Errorf("%w: the PDF cannot be read (%s)", ErrMalformed, clip(err.Error()))
	}
	pages, err := collectPages(r.Trailer().Key("Root").Key("Pages"))
	if err != nil {
		return Document{}, err
	}
	x := &pdfExtractor{fonts: map[string]*fontInfo{}, contentLeft: maxPDFContent}
	var b builder
	var failed int
	for i, p := range pages {
		if i > 0 {
			b.WriteString("\n")
		}
		b.newPage()
		runs, ok := x.pageRuns(p)
		if !ok {
			failed++
		}
		b.WriteString(layoutPage(runs))
	}
	if err := b.err(); err != nil {
		return Document{}, err
	}
	doc = Document{Format: "pdf", Pages: len(pages), PageStarts: b.starts}
	if len(pages) == 0 {
		return doc, fmt.Errorf("%w: the PDF has no pages", ErrMalformed)
	}
	text := b.b.String()
	letters, unknown := 0, 0
	for _, r := range text {
		switch {
		case r == unicode.ReplacementChar:
			unknown++
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			letters++
		}
	}
	switch {
	case letters == 0 && failed == len(pages) && !r.Trailer().Key("Encrypt").IsNull():
		return Document{Format: "pdf", Pages: len(pages)}, fmt.Errorf("%w (its encryption could not be undone)", ErrEncrypted)
	case letters == 0 && failed == len(pages):
		return Document{Format: "pdf", Pages: len(pages)}, fmt.Errorf("%w: no page could be read", ErrMalformed)
	case letters == 0:
		return Document{Format: "pdf", Pages: len(pages)}, ErrNeedsOCR
	case unknown > letters:
		return Document{Format: "pdf", Pages: len(pages)}, fmt.Errorf("%w (its fonts do not say which letters they draw)", ErrNeedsOCR)
	}
	if unknown > 0 {
		// Drop the few glyphs without a Unicode value, shifting page starts.
		doc.Text, doc.PageStarts = dropRune(text, b.starts, unicode.ReplacementChar)
	} else {
		doc.Text = text
	}
	return doc, nil
}

func dropRune(text string, starts []int, drop rune) (string, []int) {
	var out strings.Builder
	newStarts := make([]int, len(starts))
	next, pos, kept := 0, 0, 0
	for _, r := range text {
		for next < len(starts) && starts[next] == pos {
			newStarts[next] = kept
			next++
		}
		pos++
		if r == drop {
			continue
		}
		out.WriteRune(r)
		kept++
	}
	for ; next < len(starts); next++ {
		newStarts[next] = kept
	}
	return out.String(), newStarts
}

func panicText(r any) string {
	if e, ok := r.(error); ok {
		return clip(e.Error())
	}
	return clip(fmt.Sprint(r))
}

// clip keeps a parser message short and printable for an API response.
func clip(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return -1
	}, strings.ToValidUTF8(s, ""))
	if r := []rune(s); len(r) > 120 {
		s = string(r[:120]) + "…"
	}
	return s
}

// pdfPage is a page dictionary with the resources it inherits.
type pdfPage struct {
	v, resources pdf.Value
}

// collectPages walks the page tree itself: the reader's Page(n) follows
// Kids without a bound, so a tree that contains itself would never end.
func collectPages(root pdf.Value) ([]pdfPage, error) {
	var pages []pdfPage
	visits := 0
	var walk func(node, res pdf.Value, depth int) error
	walk = func(node, res pdf.Value, depth int) error {
		visits++
		if depth > 64 || visits > maxPageTreeNode {
			return fmt.Errorf("%w: the PDF's page tree is too deep or loops", ErrMalformed)
		}
		if r := node.Key("Resources"); r.Kind() == pdf.Dict {
			res = r
		}
		kids := node.Key("Kids")
		if node.Key("Type").Name() != "Page" && kids.Kind() == pdf.Array {
			for i := 0; i < kids.Len(); i++ {
				if err := walk(kids.Index(i), res, depth+1); err != nil {
					return err
				}
			}
			return nil
		}
		if node.Kind() != pdf.Dict {
			return nil
		}
		if len(pages) >= MaxPages {
			return fmt.Errorf("%w: more than %d pages", ErrTooLarge, MaxPages)
		}
		pages = append(pages, pdfPage{v: node, resources: res})
		return nil
	}
	if err := walk(root, pdf.Value{}, 0); err != nil {
		return nil, err
	}
	return pages, nil
}

// run is one string shown on a page, in the page's coordinates.
type run struct {
	x, y, endX, endY float64
	size             float64 // the text's height on the page
	text             string
}

type fontInfo struct {
	enc      pdf.TextEncoding
	twoByte  bool // Type0 fonts: two-byte codes (Identity-H and the like)
	first    int
	widths   []float64
	dw       float64 // Type0: default width
	cidW     map[int]float64
	cidRange []cidRange
	missing  float64 // width when the font gives none (standard 14 fonts)
}

type cidRange struct {
	lo, hi int
	w      float64
}

func (f *fontInfo) width(code int) float64 {
	if f.twoByte {
		if w, ok := f.cidW[code]; ok {
			return w
		}
		for _, r := range f.cidRange {
			if code >= r.lo && code <= r.hi {
				return r.w
			}
		}
		return f.dw
	}
	if i := code - f.first; i >= 0 && i < len(f.widths) {
		return f.widths[i]
	}
	return f.missing
}

type matrix [6]float64 // a b c d e f

var identity = matrix{1, 0, 0, 1, 0, 0}

func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

type textState struct {
	ctm, tm, tlm            matrix
	tc, tw, th, tl, tfs, ts float64
	font                    *fontInfo
}

type pdfExtractor struct {
	fonts       map[string]*fontInfo
	contentLeft int64
	runs        []run
	total       int
}

// pageRuns interprets one page; a page that breaks the parser keeps the
// runs read before the break, and the other pages are still read.
func (x *pdfExtractor) pageRuns(p pdfPage) (runs []run, ok bool) {
	x.runs = nil
	defer func() {
		if r := recover(); r != nil {
			if _, limit := r.(limitError); limit {
				panic(r)
			}
			runs, ok = x.runs, false
		}
	}()
	st := &textState{ctm: identity, tm: identity, tlm: identity, th: 1}
	x.interpret(p.v.Key("Contents"), p.resources, st, 0)
	return x.runs, true
}

// budget refuses content streams that inflate past maxPDFContent in all.
func (x *pdfExtractor) budget(strm pdf.Value) {
	var parts []pdf.Value
	if strm.Kind() == pdf.Array {
		for i := 0; i < strm.Len(); i++ {
			parts = append(parts, strm.Index(i))
		}
	} else {
		parts = append(parts, strm)
	}
	for _, s := range parts {
		if s.Kind() != pdf.Stream {
			continue
		}
		rc := s.Reader()
		n, _ := io.Copy(io.Discard, io.LimitReader(rc, x.contentLeft+1))
		_ = rc.Close()
		x.contentLeft -= n
		if x.contentLeft < 0 {
			panic(limitError{fmt.Errorf("%w: the PDF's pages inflate past %d MiB", ErrTooLarge, maxPDFContent>>20)})
		}
	}
}

// contentRun is the state of interpreting one content stream.
type contentRun struct {
	x     *pdfExtractor
	res   pdf.Value
	st    *textState
	stack []textState
	fonts map[string]*fontInfo
	depth int
}

func (x *pdfExtractor) interpret(strm, res pdf.Value, st *textState, depth int) {
	if strm.Kind() != pdf.Stream && strm.Kind() != pdf.Array {
		return
	}
	x.budget(strm)
	c := &contentRun{x: x, res: res, st: st, fonts: map[string]*fontInfo{}, depth: depth}
	pdf.Interpret(strm, func(stk *pdf.Stack, op string) {
		args := make([]pdf.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		c.op(op, args)
	})
}

func (c *contentRun) op(op string, args []pdf.Value) {
	st := c.st
	num := func(i int) float64 {
		if i < len(args) {
			return args[i].Float64()
		}
		return 0
	}
	switch op {
	case "q":
		if len(c.stack) < 1000 {
			c.stack = append(c.stack, *st)
		}
	case "Q":
		if n := len(c.stack); n > 0 {
			*st, c.stack = c.stack[n-1], c.stack[:n-1]
		}
	case "cm":
		if len(args) == 6 {
			st.ctm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(st.ctm)
		}
	case "BT":
		st.tm, st.tlm = identity, identity
	case "Tc":
		st.tc = num(0)
	case "Tw":
		st.tw = num(0)
	case "Tz":
		st.th = num(0) / 100
	case "TL":
		st.tl = num(0)
	case "Ts":
		st.ts = num(0)
	case "Tf":
		if len(args) == 2 {
			name := args[0].Name()
			if c.fonts[name] == nil {
				c.fonts[name] = c.x.font(c.res.Key("Font").Key(name))
			}
			st.font, st.tfs = c.fonts[name], num(1)
		}
	case "Td", "TD":
		if len(args) == 2 {
			if op == "TD" {
				st.tl = -num(1)
			}
			st.tlm = matrix{1, 0, 0, 1, num(0), num(1)}.mul(st.tlm)
			st.tm = st.tlm
		}
	case "Tm":
		if len(args) == 6 {
			st.tlm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
			st.tm = st.tlm
		}
	case "T*":
		st.tlm = matrix{1, 0, 0, 1, 0, -st.tl}.mul(st.tlm)
		st.tm = st.tlm
	case "Tj", "'", "\"", "TJ":
		c.showOp(op, args)
	case "Do":
		if len(args) == 1 {
			c.drawForm(args[0].Name())
		}
	}
}

func (c *contentRun) showOp(op string, args []pdf.Value) {
	st := c.st
	switch op {
	case "Tj":
		if len(args) == 1 {
			c.x.show(st, args[0].RawString())
		}
	case "'", "\"":
		if op == "\"" && len(args) == 3 {
			st.tw, st.tc = args[0].Float64(), args[1].Float64()
			args = args[2:]
		}
		st.tlm = matrix{1, 0, 0, 1, 0, -st.tl}.mul(st.tlm)
		st.tm = st.tlm
		if len(args) == 1 {
			c.x.show(st, args[0].RawString())
		}
	case "TJ":
		if len(args) != 1 {
			return
		}
		for i := 0; i < args[0].Len(); i++ {
			e := args[0].Index(i)
			if e.Kind() == pdf.String {
				c.x.show(st, e.RawString())
			} else {
				tx := -e.Float64() / 1000 * st.tfs * st.th
				st.tm = matrix{1, 0, 0, 1, tx, 0}.mul(st.tm)
			}
		}
	}
}

// drawForm interprets a form XObject (a footer or stamp drawn once and
// placed on every page) with its own matrix and resources.
func (c *contentRun) drawForm(name string) {
	if c.depth >= maxFormDepth {
		return
	}
	xo := c.res.Key("XObject").Key(name)
	if xo.Key("Subtype").Name() != "Form" {
		return
	}
	inner := *c.st
	if m := xo.Key("Matrix"); m.Len() == 6 {
		inner.ctm = matrix{m.Index(0).Float64(), m.Index(1).Float64(), m.Index(2).Float64(),
			m.Index(3).Float64(), m.Index(4).Float64(), m.Index(5).Float64()}.mul(c.st.ctm)
	}
	res := xo.Key("Resources")
	if res.Kind() != pdf.Dict {
		res = c.res
	}
	c.x.interpret(xo, res, &inner, c.depth+1)
}

// show records one string and advances the text matrix past it.
func (x *pdfExtractor) show(st *textState, raw string) {
	f := st.font
	if f == nil {
		f = &fontInfo{enc: nopEncoding{}, missing: 500}
	}
	trm := matrix{st.tfs * st.th, 0, 0, st.tfs, 0, st.ts}.mul(st.tm).mul(st.ctm)
	var tx float64
	step := 1
	if f.twoByte {
		step = 2
	}
	for i := 0; i+step <= len(raw); i += step {
		code := int(raw[i])
		if step == 2 {
			code = code<<8 | int(raw[i+1])
		}
		w := f.width(code)/1000*st.tfs + st.tc
		if step == 1 && code == ' ' {
			w += st.tw
		}
		tx += w * st.th
	}
	st.tm = matrix{1, 0, 0, 1, tx, 0}.mul(st.tm)
	end := matrix{st.tfs * st.th, 0, 0, st.tfs, 0, st.ts}.mul(st.tm).mul(st.ctm)
	text := f.enc.Decode(raw)
	if strings.TrimSpace(text) == "" && !strings.Contains(text, "\uFFFD") {
		return
	}
	x.total++
	if x.total > maxPDFRuns {
		panic(limitError{fmt.Errorf("%w: the PDF shows more than %d strings", ErrTooLarge, maxPDFRuns)})
	}
	x.runs = append(x.runs, run{
		x: trm[4], y: trm[5], endX: end[4], endY: end[5],
		size: math.Hypot(trm[2], trm[3]),
		text: text,
	})
}

type nopEncoding struct{}

func (nopEncoding) Decode(raw string) string { return raw }

// font reads a font's encoding and glyph widths once per document.
func (x *pdfExtractor) font(v pdf.Value) *fontInfo {
	key := v.String()
	if f, ok := x.fonts[key]; ok {
		return f
	}
	f := &fontInfo{missing: 500, dw: 1000}
	pf := pdf.Font{V: v}
	f.enc = pf.Encoder()
	if f.enc == nil {
		f.enc = nopEncoding{}
	}
	if strings.Contains(v.Key("BaseFont").Name(), "Courier") {
		f.missing = 600
	}
	if v.Key("Subtype").Name() == "Type0" {
		f.twoByte = true
		desc := v.Key("DescendantFonts").Index(0)
		if dw := desc.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
			f.dw = dw.Float64()
		}
		f.cidW = map[int]float64{}
		w := desc.Key("W")
		for i := 0; i+1 < w.Len() && i < 200_000; {
			lo := int(w.Index(i).Int64())
			if next := w.Index(i + 1); next.Kind() == pdf.Array {
				for j := 0; j < next.Len() && j < 65536; j++ {
					f.cidW[lo+j] = next.Index(j).Float64()
				}
				i += 2
				continue
			}
			if i+2 < w.Len() {
				f.cidRange = append(f.cidRange, cidRange{lo, int(w.Index(i + 1).Int64()), w.Index(i + 2).Float64()})
			}
			i += 3
		}
	} else {
		f.first = int(v.Key("FirstChar").Int64())
		ws := v.Key("Widths")
		for i := 0; i < ws.Len() && i < 256; i++ {
			f.widths = append(f.widths, ws.Index(i).Float64())
		}
		// The 14 standard fonts may come without widths: every reader
		// knows them. pdfcpu carries their metrics.
		if base := v.Key("BaseFont").Name(); len(f.widths) == 0 && pdfcpufont.IsCoreFont(base) {
			f.first = 0
			for c := range 256 {
				w, _ := pdfcpufont.CharWidth(base, rune(c))
				f.widths = append(f.widths, float64(w))
			}
		}
	}
	if len(x.fonts) < 10_000 {
		x.fonts[key] = f
	}
	return f
}
