package terms

import (
	"regexp"
	"strings"
)

// Contracts name the two sides by role. The vendor is the one whose
// commitments are reviewed; the customer is the company using Rampart.
var (
	vendorRe        = regexp.MustCompile(`\b(vendor|service provider|provider|supplier|(?:sub-?)?processor|data importer|licensor|contractor|seller|business associate|we|us)(?:'s)?\b`)
	customerRe      = regexp.MustCompile(`\b(customer|client|controller|data exporter|licensee|subscriber|buyer|purchaser|covered entity|you)(?:'s)?\b`)
	bothRe          = regexp.MustCompile(`\b(each party|either party|both parties|the parties|each of the parties|a party|receiving party|recipient|disclosing party)\b`)
	directSubjectRe = regexp.MustCompile(`(?:^|[,;:] )((?:the )?[a-z' -]{1,30}?) (?:then |also |promptly |immediately |thereafter )?$`)
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
func actor(s string, verb int) party {
	prefix := s[:verb]
	// "...; we then delete it": a party right before the verb is its subject
	if m := directSubjectRe.FindStringSubmatch(prefix); m != nil && !modalRe.MatchString(m[1]) {
		if p := subjectIn(m[1]); p != unknown {
			return p
		}
	}
	ms := modalRe.FindAllStringIndex(prefix, -1)
	if len(ms) == 0 {
		return subjectIn(prefix)
	}
	m := ms[len(ms)-1]
	p := subjectIn(prefix[:m[0]])
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
func subjectIn(s string) party {
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
func vendorDuty(s string, pos int) (ok bool, named bool) {
	switch actor(s, pos) {
	case vendorSide, bothSides:
		return true, true
	case customerSide:
		return false, true
	}
	return true, false
}
