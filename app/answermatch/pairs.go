// Package answermatch reads the question/answer pairs out of a vendor's own
// completed questionnaire (a CAIQ, HECVAT or SIG workbook, or a document of
// questions and answers) and proposes which question of our template each
// pair answers: by question ID where the IDs agree, else by the words the
// questions share, weighted by how rare each word is among the template's
// questions. Every proposal says why (the shared words and a similarity),
// so a reviewer can confirm or correct it. The package is pure: text in,
// proposals out.
package answermatch

import (
	"strings"
	"unicode"
)

// Pair is one question the vendor answered, as found in their file.
type Pair struct {
	// ID is the vendor's question ID ("A&A-01.1", "IAM-01", "1.2"), if any.
	ID       string `json:"id"`
	Question string `json:"question"`
	Answer   string `json:"answer"`
	Comment  string `json:"comment"`
	// Ref says where the pair is: "Sheet!C12" or "line 14".
	Ref string `json:"ref"`
}

// Limits on what one file yields, so a hostile file cannot make a proposal
// of unbounded size.
const (
	MaxPairs       = 2000
	maxFieldRunes  = 10000
	maxQuoteRunes  = 600
	maxHeadingScan = 50
)

// clean makes extracted text safe to show and store: no control
// characters except tab and newline, no bidirectional overrides (which
// can make a quote read differently from what it says), trimmed, capped.
func clean(s string, limit int) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return -1
		case unicode.IsControl(r), r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0xFEFF, r == 0xFFFD:
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > limit {
		s = strings.TrimSpace(string(r[:limit-1])) + "…"
	}
	return s
}

// Clean is clean with the limit for one stored field.
func Clean(s string) string { return clean(s, maxFieldRunes) }

// Quote is how a pair is quoted as an answer's source: the vendor's
// question and answer, shortened to a readable length.
func Quote(p Pair) string {
	q := strings.Join(strings.Fields(p.Question), " ")
	if p.ID != "" && !strings.HasPrefix(q, p.ID) {
		q = p.ID + " " + q
	}
	a := strings.Join(strings.Fields(p.Answer), " ")
	return clean("“"+q+"” — "+a, maxQuoteRunes)
}
