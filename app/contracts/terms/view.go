package terms

import (
	"regexp"
	"strings"
	"unicode"
)

// maxRunes caps the text read: an upload bigger than this is almost
// certainly not a contract, and the cap bounds the work on any input.
const maxRunes = 4 << 20

// maxSentence bounds a sentence (in bytes of the view) so a text without
// punctuation cannot make one huge sentence that every rule scans.
const maxSentence = 1500

// view is the whitespace-normalized, ASCII-lowercased text the rules
// read. Every byte of norm remembers the code point of the original text
// it came from, so a match maps back to exact offsets in the original.
type view struct {
	orig  []rune
	norm  string // lower-case ASCII letters; one space for any whitespace run
	at    []int  // at[i] is the original code point offset of norm[i]
	sents []sentence
	names []partyName // parties' names learned from the preamble
	// autoRenewAt's answers per sentence
	renewAt   [][]int
	renewDone []bool
}

// sentence is a span of norm, with the heading it sits under.
type sentence struct {
	start, end int // byte offsets in norm
	text       string
	heading    string // lower case; "" before the first heading
	annex      bool   // inside an annex, schedule, exhibit or appendix
	isHeading  bool
	note       bool // a drafting note or comment: "[Drafting note: ...]"
}

// span is the original code point range of a sentence.
func (v *view) span(s sentence) (int, int) {
	return v.at[s.start], v.at[s.end-1] + 1
}

type line struct {
	start, end int // original code point offsets, end excluding the newline
}

func newView(text string) *view {
	orig := []rune(text)
	if len(orig) > maxRunes {
		orig = orig[:maxRunes]
	}
	v := &view{orig: orig}
	b := make([]byte, 0, len(orig)+16)
	at := make([]int, 0, len(orig)+16)
	put := func(s string, pos int) {
		b = append(b, s...)
		for range len(s) {
			at = append(at, pos)
		}
	}
	lastByte := func() byte {
		if len(b) == 0 {
			return '\n'
		}
		return b[len(b)-1]
	}
	var lines []line
	st := 0
	for i, r := range orig {
		if r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' || r == '\f' {
			lines = append(lines, line{st, i})
			st = i + 1
		}
	}
	lines = append(lines, line{st, len(orig)})

	blank := true  // the previous line was blank or a heading: start a new paragraph
	prose := false // the last line with content was running text
	// a page number was skipped since the last line with content, which
	// was in capitals: a clause in capitals may go on in capitals
	afterPage, prevCaps := false, false
	for li, ln := range lines {
		content := strings.TrimSpace(strings.Map(spaceOnly, string(orig[ln.start:ln.end])))
		if content == "" {
			blank = true
			continue
		}
		if prose && len(content) < 80 && !strings.ContainsRune(".:;!?", rune(lastByte())) && pageNumberRe.MatchString(content) {
			// a page number inside a sentence cut by a page break ("... one
			// year thereafter until terminated", a line "-2-", then "by
			// either party ..."): the sentence may carry on after it
			blank = true
			afterPage = true
			continue
		}
		caps := capsLine(content)
		capsCarry := afterPage && blank && prose && prevCaps && caps && !strings.ContainsRune(".:;!?", rune(lastByte()))
		afterPage, prevCaps = false, caps
		// a line that carries on the previous one's sentence ("limited to\nEUR
		// 250,000.") is no heading, whatever it looks like
		open := !blank && len(b) > 0 && !strings.ContainsRune(".:;!?", rune(lastByte()))
		heading := !open && !capsCarry && isHeadingLine(content) && !continues(orig, lines, li)
		field := fieldLineRe.MatchString(content)
		if capsCarry || blank && prose && !heading && !field && !strings.ContainsRune(".:;!?", rune(lastByte())) && carryOnRe.MatchString(content) {
			// a sentence cut by a page break ("... governed by the\n\n\nlaws
			// of the State of Georgia.") carries on
			blank = false
		}
		if len(b) > 0 {
			prev := lastByte()
			switch {
			case blank || heading || field:
				if prev != '\n' {
					put("\n", ln.start-1)
				}
			case prev == '-' && joinsHyphen(b, orig, ln):
				// "termi-\nnation": drop the hyphen; keep it after a tens
				// word so "seventy-\ntwo" stays "seventy-two".
				if !afterTensWord(b) {
					b = b[:len(b)-1]
					at = at[:len(at)-1]
				}
			default:
				put(" ", ln.start-1)
			}
		}
		space := false
		for i := ln.start; i < ln.end; i++ {
			r := orig[i]
			if isSpace(r) {
				space = true
				continue
			}
			if space {
				if lb := lastByte(); lb != ' ' && lb != '\n' {
					put(" ", i-1)
				}
				space = false
			}
			if r < 0x80 {
				// the common case without a string per code point
				c := byte(r)
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				b = append(b, c)
				at = append(at, i)
				continue
			}
			put(fold(r), i)
		}
		// a field line stands alone unless it is prose wrapped onto the
		// next line ("Confidentiality: Both parties will keep each ...")
		wrapped := continues(orig, lines, li) || len(content) > 60 && !strings.ContainsRune(".:;!?", rune(content[len(content)-1]))
		blank = heading || field && !wrapped
		prose = !blank
	}
	v.norm = string(b)
	v.at = at
	v.split()
	v.learnNames()
	return v
}

// pageNumberRe: a line holding only a page number ("-2-", "10", "10 11",
// "Page 3 of 12").
// A running footer of a filed copy ("Source: ACME INC, 10-Q, 11/13/2000")
// is page furniture too.
var pageNumberRe = regexp.MustCompile(`^(?:-\s*\d{1,3}\s*-|\d{1,3}(?:\s+\d{1,3})?|[Pp]age \d{1,3}(?: of \d{1,3})?|Source: [^:]{1,120}, \d{1,2}/\d{1,2}/\d{2,4})$`)

// capsLine: a line of running text in capitals ("IN NO EVENT SHALL
// EITHER PARTY BE LIABLE TO THE"), at least three words long.
func capsLine(s string) bool {
	words, inWord, letters := 0, false, 0
	for _, r := range s {
		switch {
		case unicode.IsLower(r):
			return false
		case unicode.IsLetter(r):
			letters++
			if !inWord {
				words++
				inWord = true
			}
		case r == ' ':
			inWord = false
		}
	}
	return words >= 3 && letters >= 6
}

// carryOnRe: a line that starts in the middle of a sentence, with a
// lower-case word (not a list item such as "a." or "b)").
var carryOnRe = regexp.MustCompile(`^[a-z]{2,}[ ,;]`)

// continues says whether the line after lines[li] carries on its
// sentence (starts with a lower-case letter), so lines[li] is no heading.
func continues(orig []rune, lines []line, li int) bool {
	if li+1 >= len(lines) {
		return false
	}
	next := lines[li+1]
	for i := next.start; i < next.end; i++ {
		if !isSpace(orig[i]) {
			return unicode.IsLower(orig[i])
		}
	}
	return false
}

// fieldLineRe matches "Label:   value" lines of order forms and cover
// pages; each is a statement of its own.
var fieldLineRe = regexp.MustCompile(`^[A-Z][A-Za-z/&()' -]{1,40}?(?::|\s*\.{3,})\s+\S`)

func spaceOnly(r rune) rune {
	if isSpace(r) {
		return ' '
	}
	return r
}

func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r == '\u00ad' || r == '\u200c' || r == '\u200d'
}

// fold maps a code point to what the rules read: ASCII lower case,
// straight quotes, plain hyphens, ligatures spelled out. Anything else
// outside ASCII becomes one placeholder so byte offsets stay cheap.
func fold(r rune) string {
	switch {
	case r >= 'A' && r <= 'Z':
		return string(r + 'a' - 'A')
	case r < 0x80:
		return string(r)
	}
	switch r {
	case '\u2018', '\u2019', '\u201a', '\u201b', '\u2032':
		return "'"
	case '\u201c', '\u201d', '\u201e', '\u201f', '\u2033', '\u00ab', '\u00bb':
		return "\""
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
		return "-"
	case '\ufb00':
		return "ff"
	case '\ufb01':
		return "fi"
	case '\ufb02':
		return "fl"
	case '\ufb03':
		return "ffi"
	case '\ufb04':
		return "ffl"
	case '\u20ac':
		return "\u20ac" // euro sign is read by the money rule
	case '\u00a3':
		return "\u00a3"
	case '\u00a7':
		return "section "
	}
	if unicode.IsLetter(r) {
		return "\u00e9" // some non-ASCII letter: keeps words whole
	}
	return "\u00b7"
}

// joinsHyphen says whether a line ending in a hyphen continues a word on
// the next line (next line starts with a lower-case letter).
func joinsHyphen(sofar []byte, orig []rune, ln line) bool {
	if len(sofar) < 2 || !isLetterByte(sofar[len(sofar)-2]) {
		return false
	}
	for i := ln.start; i < ln.end; i++ {
		if isSpace(orig[i]) {
			continue
		}
		return unicode.IsLower(orig[i])
	}
	return false
}

func isLetterByte(c byte) bool { return c >= 'a' && c <= 'z' }

var tensWords = []string{"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "non", "sub", "self", "co", "pre", "re", "e", "on", "third", "in", "well", "up", "long", "short", "cross"}

func afterTensWord(sofar []byte) bool {
	s := strings.TrimSuffix(string(sofar[max(0, len(sofar)-12):]), "-")
	i := len(s)
	for i > 0 && isLetterByte(s[i-1]) {
		i--
	}
	w := s[i:]
	for _, t := range tensWords {
		if w == t {
			return true
		}
	}
	return false
}

// isHeadingLine: a short line that names a section rather than saying
// something ("12. TERM AND TERMINATION", "Annex 2 - Security Measures").
func isHeadingLine(s string) bool {
	if len([]rune(s)) > 70 {
		return false
	}
	last := s[len(s)-1]
	if last == ',' || last == ';' || last == '-' {
		return false
	}
	words := strings.Fields(s)
	lw := strings.ToLower(words[0])
	switch strings.TrimRight(lw, ".:") {
	case "annex", "schedule", "exhibit", "appendix", "attachment", "article", "section", "part":
		return len(words) <= 10
	}
	letters, upper := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if letters >= 3 && upper == letters && len(words) <= 10 {
		return true
	}
	if sectionNumber(words[0]) && len(words) <= 6 && last != '.' {
		return true
	}
	return false
}

// sectionNumber: "12", "12.", "12.3", "12.3.1", "C.5", "H.1."
func sectionNumber(w string) bool {
	w = strings.TrimSuffix(w, ".")
	if len(w) > 2 && w[1] == '.' && (w[0] >= 'a' && w[0] <= 'z' || w[0] >= 'A' && w[0] <= 'Z') {
		w = w[2:]
	}
	if w == "" {
		return false
	}
	digits := false
	for _, c := range w {
		switch {
		case c >= '0' && c <= '9':
			digits = true
		case c == '.':
		default:
			return false
		}
	}
	return digits
}

var abbreviations = map[string]bool{"e.g": true, "i.e": true, "etc": true, "inc": true, "ltd": true, "no": true,
	"sec": true, "u.s": true, "co": true, "corp": true, "art": true, "para": true, "cl": true, "vs": true,
	"approx": true, "nos": true, "u.k": true, "e.u": true, "llc": true, "st": true, "mr": true, "ms": true, "dr": true, "p": true, "pp": true}

// split cuts the view into sentences at paragraph breaks and at sentence
// ends, and tracks the heading each one sits under.
func (v *view) split() {
	n := v.norm
	paraStart := true
	section, heading, annex := "", "", false
	emit := func(s, e int) {
		for s < e && (n[s] == ' ' || n[s] == '\n') {
			s++
		}
		for e > s && (n[e-1] == ' ' || n[e-1] == '\n') {
			e--
		}
		if s >= e {
			return
		}
		for e-s > maxSentence {
			cut := strings.LastIndexByte(n[s:s+maxSentence], ' ')
			if cut <= 0 {
				cut = maxSentence
				for cut < e-s && n[s+cut]&0xC0 == 0x80 {
					cut++
				}
			}
			v.add(s, s+cut, heading, annex, false)
			s += cut
			for s < e && n[s] == ' ' {
				s++
			}
		}
		if s >= e {
			return
		}
		txt := n[s:e]
		h, block := v.headingKind(s, e, txt, paraStart)
		paraStart = false
		if h {
			// a line of its own opens a section; a numbered title inside
			// a paragraph ("8.4 Survival.") opens a subsection of it
			if block {
				section, heading = txt, txt
			} else {
				heading = section + " / " + txt
			}
			words := strings.Fields(txt)
			switch strings.TrimRight(words[0], ".:") {
			case "annex", "schedule", "exhibit", "appendix", "attachment":
				annex = true
			}
		}
		v.add(s, e, heading, annex, h)
	}
	start := 0
	for i := 0; i < len(n); i++ {
		c := n[i]
		if c == '\n' {
			emit(start, i)
			start = i + 1
			paraStart = true
			continue
		}
		if (c == '.' || c == '!' || c == '?') && i+2 < len(n) && n[i+1] == ' ' && startsSentence(v.orig[v.at[i+2]]) {
			if i > 0 && n[i-1] == '.' {
				continue // dot leaders and ellipses end no sentence
			}
			tok := lastToken(n[start:i])
			if abbreviations[tok] || (len(tok) == 1 && isLetterByte(tok[0])) {
				continue
			}
			if sectionNumber(tok) && strings.TrimSpace(n[start:i]) == tok {
				continue // "12. Term" is a heading number, not a sentence
			}
			emit(start, i+1)
			start = i + 2
		}
	}
	emit(start, len(n))
}

func (v *view) add(s, e int, heading string, annex, isHeading bool) {
	txt := v.norm[s:e]
	note := strings.HasPrefix(txt, "[") && has(txt[:min(len(txt), 25)], "note", "comment", "nb:", "n.b.")
	v.sents = append(v.sents, sentence{start: s, end: e, text: txt, heading: heading, annex: annex, isHeading: isHeading, note: note})
}

func startsSentence(r rune) bool {
	return unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune("(\"'\u201c\u2018[", r)
}

func lastToken(s string) string {
	i := strings.LastIndexAny(s, " (\n")
	return s[i+1:]
}

// headingKind says whether a sentence is a heading, and whether it is a
// line of its own (block) or a short numbered title at the start of a
// paragraph ("12.3 Notice.").
func (v *view) headingKind(s, e int, txt string, paraStart bool) (bool, bool) {
	o := strings.TrimSpace(string(v.orig[v.at[s] : v.at[e-1]+1]))
	if o == "" {
		return false, false
	}
	if !strings.ContainsAny(o, "\n\r") && isHeadingLine(o) {
		return true, true
	}
	words := strings.Fields(txt)
	first := words[0]
	if len(words) > 1 && (first == "section" || first == "clause" || first == "article") {
		first = words[1]
	}
	if len(words) <= 6 && sectionNumber(first) && strings.HasSuffix(txt, ".") {
		return true, false
	}
	// a run-in title opening a paragraph: "Liability. Each party's ..."
	return paraStart && len(words) <= 5 && strings.HasSuffix(txt, ".") && unicode.IsUpper([]rune(o)[0]) &&
		!strings.ContainsAny(txt, "0123456789,;:()%$") && !modalRe.MatchString(txt), false
}
