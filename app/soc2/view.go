package soc2

import (
	"sort"
	"strings"
	"unicode"
)

// maxRunes caps the text read: a SOC report runs to a few hundred pages,
// far below this, and the cap bounds the work on any input.
const maxRunes = 4 << 20

// view is the text the rules read: ASCII-lowercased, typographic quotes
// and dashes folded, runs of spaces and tabs kept as one space unless
// they separate table columns (two or more become "  "). Lines stay
// lines. Every byte of norm remembers the code point of the original it
// came from, so a match maps back to exact offsets for its quote.
type view struct {
	orig  []rune
	norm  string
	at    []int // at[i] is the code point offset of norm[i] in orig
	lines []span
	paras []span // runs of non-blank lines
	// flat is norm with the line breaks inside a paragraph turned into
	// spaces, so a phrase wrapped over two lines still matches; same
	// length as norm.
	flat       string
	pageStarts []int
}

// span is a byte range of norm.
type span struct{ s, e int }

func (v *view) text(sp span) string { return v.norm[sp.s:sp.e] }
func (v *view) flatText(sp span) string {
	return v.flat[sp.s:sp.e]
}

func newView(text string, pageStarts []int) *view {
	orig := []rune(text)
	if len(orig) > maxRunes {
		orig = orig[:maxRunes]
	}
	v := &view{orig: orig, pageStarts: pageStarts}
	b := make([]byte, 0, len(orig)+16)
	at := make([]int, 0, len(orig)+16)
	put := func(s string, pos int) {
		b = append(b, s...)
		for range len(s) {
			at = append(at, pos)
		}
	}
	lineStart := 0
	spaces := 0
	spaceAt := 0
	for i, r := range orig {
		if r == '\n' && i > 0 && orig[i-1] == '\r' {
			continue // a CRLF is one line break
		}
		if r == '\n' || r == '\r' || r == '\f' || r == '\u2028' || r == '\u2029' {
			v.lines = append(v.lines, span{lineStart, len(b)})
			put("\n", i)
			lineStart = len(b)
			spaces = 0
			continue
		}
		if r == ' ' || r == '\t' || r == '\u00a0' || unicode.IsSpace(r) {
			if spaces == 0 {
				spaceAt = i
			}
			spaces++
			if r == '\t' {
				spaces++
			}
			continue
		}
		f := fold(r)
		if f == "" {
			continue
		}
		if spaces > 0 && len(b) > lineStart {
			if spaces >= 2 {
				put("  ", spaceAt)
			} else {
				put(" ", spaceAt)
			}
		}
		spaces = 0
		put(f, i)
	}
	v.lines = append(v.lines, span{lineStart, len(b)})
	v.norm = string(b)
	v.at = at

	// Paragraphs: text from PDFs has no blank lines between them, so a
	// paragraph also ends at a new page, after a line that ends a
	// sentence or a clause, and after a short line that does not run on
	// (a heading, a name, a place); a list item starts a new one.
	flat := []byte(v.norm)
	start := -1
	page := 0 // the next page start to pass
	prevOpen := false
	for _, ln := range v.lines {
		t := strings.TrimSpace(v.text(ln))
		newPage := false
		for ln.e > ln.s && page < len(pageStarts) && pageStarts[page] <= v.at[ln.s] {
			newPage = newPage || page > 0 || pageStarts[page] > 0
			page++
		}
		if start >= 0 && (t == "" || newPage || !prevOpen || paraItemRe.MatchString(t)) {
			v.paras = append(v.paras, span{start, v.prevEnd(ln)})
			start = -1
		}
		if t == "" {
			continue
		}
		if start < 0 {
			start = ln.s
		} else {
			flat[ln.s-1] = ' ' // the line break before this line
		}
		prevOpen = runsOn(t)
	}
	if start >= 0 {
		v.paras = append(v.paras, span{start, len(b)})
	}
	v.flat = string(flat)
	return v
}

// runsOn: a line whose text carries on onto the next one: it ends
// without a full stop, colon or semicolon, and is long (wrapped prose)
// or ends in a comma, a hyphen or a joining word.
func runsOn(t string) bool {
	if strings.ContainsAny(t[len(t)-1:], ".:;?!") {
		return false
	}
	if len(t) >= 60 || strings.ContainsAny(t[len(t)-1:], ",-(&/") {
		return true
	}
	for _, w := range []string{" and", " or", " the", " of", " to", " in", " for", " by", " a", " an", " with"} {
		if strings.HasSuffix(t, w) {
			return true
		}
	}
	return false
}

// prevEnd is the end of the line before ln (the byte before its newline).
func (v *view) prevEnd(ln span) int { return max(ln.s-1, 0) }

// fold maps a code point to what the rules read: lower-case ASCII, with
// typographic quotes and dashes as their ASCII forms and marks like ® and
// ™ dropped; other letters pass through unchanged.
func fold(r rune) string {
	switch r {
	case '\u2018', '\u2019', '\u02bc', '`':
		return "'"
	case '\u201c', '\u201d':
		return `"`
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212':
		return "-"
	case '\u00ae', '\u2122', '\u00a9', '\u200b', '\ufeff', '\u00ad':
		return ""
	case '\u2022', '\u25cf', '\u25aa', '\uf0b7':
		return "-" // bullets read as list dashes
	}
	return string(unicode.ToLower(r))
}

// evidence quotes the original text behind norm[s:e], spaces trimmed.
func (v *view) evidence(s, e int) Evidence {
	for s < e && (v.norm[s] == ' ' || v.norm[s] == '\n') {
		s++
	}
	for e > s && (v.norm[e-1] == ' ' || v.norm[e-1] == '\n' || v.norm[e-1] == '|') {
		e--
	}
	if s >= e {
		return Evidence{}
	}
	start, end := v.at[s], v.at[e-1]+1
	ev := Evidence{Quote: string(v.orig[start:end]), Start: start, End: end}
	if len(v.pageStarts) > 0 {
		// the page is the last one starting at or before the quote
		p := sort.Search(len(v.pageStarts), func(i int) bool { return v.pageStarts[i] > start })
		ev.Page = max(p, 1)
	}
	return ev
}

// original is the original text behind norm[s:e] as a value: on one
// line, runs of white space as one space.
func (v *view) original(s, e int) string {
	return strings.Join(strings.Fields(v.evidence(s, e).Quote), " ")
}

// lineAt is the index of the line holding byte i of norm.
func (v *view) lineAt(i int) int {
	return max(sort.Search(len(v.lines), func(k int) bool { return v.lines[k].s > i })-1, 0)
}

// paraAt is the paragraph holding byte i of norm, or a zero span.
func (v *view) paraAt(i int) span {
	k := sort.Search(len(v.paras), func(k int) bool { return v.paras[k].e >= i })
	if k < len(v.paras) && v.paras[k].s <= i {
		return v.paras[k]
	}
	return span{}
}
