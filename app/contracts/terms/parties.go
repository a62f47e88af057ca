package terms

import (
	"regexp"
	"slices"
	"strings"
)

// Contracts name the two sides by role. The vendor is the one whose
// commitments are reviewed; the customer is the company using Rampart.
var (
	vendorRe        = regexp.MustCompile(`\b(vendor|service provider|provider|supplier|(?:sub-?)?processor|data importer|licensor|contractor|consultant|caterer|seller|business associate|we|us)(?:'s)?\b`)
	customerRe      = regexp.MustCompile(`\b(customer|client|controller|data exporter|licensee|subscriber|buyer|purchaser|covered entity|hirer|merchant|employer|you)(?:'s)?\b`)
	bothRe          = regexp.MustCompile(`\b(each party|either party|both parties|the parties|each of the parties|a party|receiving party|recipient|disclosing party)\b`)
	directSubjectRe = regexp.MustCompile(`(?:^|[,;:] )((?:the )?[a-z' -]{1,30}?) (?:then |also |promptly |immediately |thereafter )?$`)
	andRe           = regexp.MustCompile(`^[^;:]*\b(?:and|and also|and further)\s*$`)
	modalRe         = regexp.MustCompile(`\b(shall|will|must|agrees to|agree to|undertakes to|undertake to|is required to|are required to|is obliged to|may|can)\b`)
)

type party int

const (
	unknown party = iota
	vendorSide
	customerSide
	bothSides
)

// actor guesses who performs the verb at byte position verb in a
// lower-cased sentence: the last party named before the modal verb that
// governs it ("Customer shall notify Vendor" is the customer's duty;
// "Customer will be notified" is the vendor's).
func (v *view) actor(s string, verb int) party {
	prefix := s[:verb]
	// "...; we then delete it": a party right before the verb is its subject
	if m := directSubjectRe.FindStringSubmatch(prefix); m != nil && !modalRe.MatchString(m[1]) {
		if p := v.subjectIn(m[1]); p != unknown {
			return p
		}
	}
	ms := modalRe.FindAllStringIndex(prefix, -1)
	if len(ms) == 0 {
		return v.subjectIn(prefix)
	}
	m := ms[len(ms)-1]
	if len(ms) > 1 && andRe.MatchString(prefix[ms[len(ms)-2][1]:m[0]]) {
		// "Provider shall insure the goods and shall maintain ...": the
		// second verb shares the first one's subject
		m = ms[len(ms)-2]
	}
	subject := prefix[:m[0]]
	if i := strings.LastIndexAny(subject, ";"); i >= 0 && v.subjectIn(subject[i+1:]) != unknown {
		subject = subject[i+1:] // "Customer shall insure its equipment; Granite shall maintain ..."
	}
	p := v.subjectIn(subject)
	between := prefix[m[1]:]
	if strings.Contains(" "+between, " be ") || strings.HasPrefix(strings.TrimSpace(between), "be ") {
		switch p {
		case vendorSide:
			return customerSide
		case customerSide:
			return vendorSide
		}
	}
	return p
}

// subjectIn is the last party named in s; a party inside "to X", "by X"
// or "of X" is an object, not the subject, unless nothing else is named.
func (v *view) subjectIn(s string) party {
	type hit struct {
		at int
		p  party
	}
	var hits []hit
	for _, m := range vendorRe.FindAllStringIndex(s, -1) {
		hits = append(hits, hit{m[0], vendorSide})
	}
	for _, m := range customerRe.FindAllStringIndex(s, -1) {
		hits = append(hits, hit{m[0], customerSide})
	}
	for _, m := range bothRe.FindAllStringIndex(s, -1) {
		hits = append(hits, hit{m[0], bothSides})
	}
	for _, n := range v.names {
		for _, m := range n.re.FindAllStringIndex(s, -1) {
			hits = append(hits, hit{m[0], n.side})
		}
	}
	best, bestAt, fallback := unknown, -1, unknown
	for _, h := range hits {
		before := strings.TrimSpace(s[:h.at])
		if strings.HasSuffix(before, "the") {
			before = strings.TrimSpace(strings.TrimSuffix(before, "the"))
		}
		object := false
		for _, prep := range []string{" to", " by", " of", " from", " with", " for", " on", " upon", " against", " request"} {
			if strings.HasSuffix(" "+before, prep) {
				object = true
			}
		}
		if object {
			if fallback == unknown {
				fallback = h.p
			}
			continue
		}
		if h.at > bestAt {
			best, bestAt = h.p, h.at
		}
	}
	if best == unknown {
		return fallback
	}
	return best
}

// vendorDuty says whether the verb at pos is the vendor's to perform (or
// both sides', or nobody is named).
func (v *view) vendorDuty(s string, pos int) (ok bool, named bool) {
	switch v.actor(s, pos) {
	case vendorSide, bothSides:
		return true, true
	case customerSide:
		return false, true
	}
	return true, false
}

// partyName is a name a contract gives one side ("Granite", "the
// Agency"), with the side it stands for.
type partyName struct {
	re   *regexp.Regexp
	side party
}

var definedNameRe = regexp.MustCompile(`\((?:the |hereinafter |each a |together )?"?([a-z][a-z&.-]{1,20}(?: [a-z&.-]{1,20}){0,2})"?(?:,? (?:or|and) "?[a-z][a-z ]{1,25}"?)?\)`)

// learnNames reads the names the preamble gives the parties ("Granite
// Racks Inc. (\"Granite\") and the customer (\"Customer\")"): when one of
// two names is a known role, the other is the opposite side, so "Granite
// may inspect" is read as the vendor's act.
func (v *view) learnNames() {
	head := v.norm[:min(len(v.norm), 4000)]
	var known, unknownNames []string
	side := unknown
	for _, m := range definedNameRe.FindAllStringSubmatch(head, 12) {
		name := strings.TrimSpace(m[1])
		if strings.HasPrefix(name, "the ") || len(name) < 3 {
			continue
		}
		switch {
		case vendorRe.MatchString(name) && !customerRe.MatchString(name):
			known, side = append(known, name), vendorSide
		case customerRe.MatchString(name) && !vendorRe.MatchString(name):
			known, side = append(known, name), customerSide
		case bothRe.MatchString(name):
		default:
			if !slices.Contains(unknownNames, name) && actsAsParty(v.norm, name) {
				unknownNames = append(unknownNames, name)
			}
		}
	}
	if len(known) != 1 || len(unknownNames) != 1 {
		return // two unknown names, or none: nobody can be told apart
	}
	other := vendorSide
	if side == vendorSide {
		other = customerSide
	}
	re, err := regexp.Compile(`\b` + regexp.QuoteMeta(unknownNames[0]) + `(?:'s)?\b`)
	if err == nil {
		v.names = append(v.names, partyName{re, other})
	}
}

// actsAsParty: the name is the subject of an obligation somewhere.
func actsAsParty(text, name string) bool {
	// one scan for the name, then a look at what follows each occurrence
	for i := 0; ; {
		k := strings.Index(text[i:], name)
		if k < 0 {
			return false
		}
		rest := text[i+k+len(name):]
		for _, verb := range []string{" shall ", " will ", " may ", " must ", "'s "} {
			if strings.HasPrefix(rest, verb) {
				return true
			}
		}
		i += k + 1
	}
}
