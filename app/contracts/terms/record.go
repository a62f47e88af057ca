package terms

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Proposal is what a document says about one of the contract record's own
// fields, with the quote it comes from. Set holds the record fields it
// would change and their values ("notice_period": 60, "notice_unit":
// "days").
type Proposal struct {
	Field    string         `json:"field" description:"effective_date, initial_term, auto_renewal, renewal_term, notice or value"`
	Value    string         `json:"value"`
	Set      map[string]any `json:"set"`
	Evidence Evidence       `json:"evidence"`
}

// RecordFields are the fields Proposals are made for, in the order shown.
var RecordFields = []string{"effective_date", "initial_term", "auto_renewal", "renewal_term", "notice", "value"}

var (
	// When the contract takes effect, most trusted first: a date defined
	// as the Effective Date ("... as of June 26, 2015 (the "Effective
	// Date")", "the Effective Date means ..."), this agreement made
	// effective on a date, this agreement's term commencing on one; else
	// when it was signed ("entered into as of", "made this 5th day of",
	// "dated as of"), read only in the preamble and only of this agreement.
	// Dates of other agreements ("that certain Services Agreement dated
	// ...", "the Bill of Sale, effective as of ...") are never taken.
	effDefRe     = regexp.MustCompile(`\(\s*(?:the\s+|this\s+)?["\x{201c}]?effective date["\x{201d}]?\s*\)`)
	effMeansRe   = regexp.MustCompile(`effective date["\x{201d}]?\)?,?\s+(?:means|shall mean|is|shall be|will be)\s+(?:the\s+)?`)
	effThisRe    = regexp.MustCompile(`(?:is|be|shall be|are|is made|becomes?|made|entered into)(?: and entered into| and)?\s+effective(?: as of| from| on)?\s*(?:this\s+|the\s+)?`)
	commenceRe   = regexp.MustCompile(`(?:term of this (?:agreement|contract)|this (?:agreement|contract)|the (?:initial )?term)\s+(?:shall|will)\s+(?:commence|begin|start)\s+(?:on|as of)\s+(?:the\s+)?`)
	signedRe     = regexp.MustCompile(`(?:entered into (?:as of|on|this|effective(?: as of)?)|made (?:and entered into )?(?:as of|on|this)?|dated:?(?: as of)?|\beffective(?: as of| from| on)?)\s*(?:this\s+|the\s+)?`)
	thisAgreeRe  = regexp.MustCompile(`^(?:[^.;]{0,40}\bthis\b(?: [a-z&,-]+){0,8} (?:agreement|contract)|[^.;]{0,200}\(?(?:"|\x{201c})?(?:this )?(?:"|\x{201c})?(?:agreement|contract)(?:"|\x{201d})\)?)`)
	otherAgreeRe = regexp.MustCompile(`that certain|whereas|supersede|replace|amend|(?:purchase|license|services|letter|bill of sale|memorandum|mou|agreement between)[^.;]{0,80}$`)
	dateAnyRe    = regexp.MustCompile(`(?:\d{1,2}(?:st|nd|rd|th|t h|s t|n d|r d)?\s+(?:day\s+of\s+)?(?:` + monthWords + `)\.?\s*,?\s+\d{4}|(?:` + monthWords + `)\.?\s+\d{1,2}(?:st|nd|rd|th)?\s*,?\s+\d{4}|\d{4}-\d{2}-\d{2})`)
	dateLongRe   = regexp.MustCompile(`^(?:(\d{1,2})(?:st|nd|rd|th|t h|s t|n d|r d)?\s+(?:day\s+of\s+)?(` + monthWords + `)\.?\s*,?\s+(\d{4})|(` + monthWords + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s+(\d{4})|(\d{4})-(\d{2})-(\d{2}))`)
	// "an initial term of three (3) years", "the term of this agreement
	// shall be 24 months", "shall remain in effect for a period of one year".
	initialTermRe = regexp.MustCompile(`initial (?:term|period|subscription term)|(?:term of this (?:agreement|contract)|this (?:agreement|contract))[^.;]{0,60}(?:shall|will) (?:be|continue|remain)[^.;]{0,40}(?:for|of) (?:a (?:period|term) of )?|(?:shall|will) (?:continue|remain) in (?:full )?(?:force and )?effect for (?:a (?:period|term) of )?`)
	valueRe       = regexp.MustCompile(`total (?:contract )?(?:value|fees?|price|consideration)|aggregate (?:fees?|price|consideration)|(?:annual|yearly) (?:subscription )?(?:fees?|price|charges?)|(?:contract|subscription) (?:value|price)`)
)

// Record reads what a contract's text says about the record's own fields:
// the effective date, the initial term and the value from the text, and
// renewal, renewal term and notice from the extracted terms ts. A field
// the document does not state is absent: nothing is guessed.
func Record(text string, pageStarts []int, ts []Term) []Proposal {
	v := newView(text)
	var out []Proposal
	add := func(field, value string, set map[string]any, ev Evidence) {
		out = append(out, Proposal{Field: field, Value: value, Set: set, Evidence: ev})
	}
	if d, i, ok := v.effectiveDate(); ok {
		add("effective_date", d, map[string]any{"effective_date": d}, v.evidence(i, pageStarts))
	}
	if m, i, ok := v.initialTerm(); ok {
		add("initial_term", months(m), map[string]any{"initial_term_months": m}, v.evidence(i, pageStarts))
	}
	byKey := map[string]Term{}
	for _, t := range ts {
		byKey[t.Key] = t
	}
	if t := byKey["auto_renewal"]; t.Found && len(t.Evidence) > 0 {
		if present, ok := t.Normalized["present"].(bool); ok {
			value := "Does not renew automatically"
			if present {
				value = "Renews automatically"
			}
			add("auto_renewal", value, map[string]any{"auto_renewal": present}, t.Evidence[0])
		}
	}
	if t := byKey["renewal_term"]; t.Found && len(t.Evidence) > 0 {
		if m, ok := inMonths(t.Normalized); ok {
			add("renewal_term", months(m), map[string]any{"renewal_term_months": m}, t.Evidence[0])
		}
	}
	if t := byKey["non_renewal_notice"]; t.Found && len(t.Evidence) > 0 {
		if n, unit, ok := notice(t.Normalized); ok {
			add("notice", strconv.Itoa(n)+" "+unit, map[string]any{"notice_period": n, "notice_unit": unit}, t.Evidence[0])
		}
	}
	if m, i, ok := v.value(); ok {
		add("value", m.String(), map[string]any{"value": int64(m.amount), "currency": m.currency}, v.evidence(i, pageStarts))
	}
	return out
}

func months(n int) string {
	if n%12 == 0 {
		if n == 12 {
			return "1 year"
		}
		return strconv.Itoa(n/12) + " years"
	}
	if n == 1 {
		return "1 month"
	}
	return strconv.Itoa(n) + " months"
}

// inMonths reads a duration term's normalized value as whole months.
func inMonths(n map[string]any) (int, bool) {
	for unit, per := range map[string]float64{"months": 1, "years": 12} {
		if f, ok := number(n[unit]); ok && f > 0 && f*per == float64(int(f*per)) {
			return int(f * per), true
		}
	}
	return 0, false
}

// notice reads a notice term as days or months, the units the record
// keeps; weeks are days, business days are not (their length in days
// depends on the calendar), so they are left for a person.
func notice(n map[string]any) (int, string, bool) {
	if f, ok := number(n["days"]); ok && f > 0 {
		return int(f), "days", true
	}
	if f, ok := number(n["weeks"]); ok && f > 0 {
		return int(f) * 7, "days", true
	}
	if f, ok := number(n["months"]); ok && f > 0 {
		return int(f), "months", true
	}
	return 0, "", false
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

const monthWords = `january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec`

var monthNames = map[string]time.Month{"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
	"august": 8, "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
	"jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}

// A signing date is read in the first preambleBytes of the text; in the
// first titleBytes (the title block: "... by and between A and B, dated as
// of ...") it needs no "this agreement" before it.
const (
	preambleBytes = 4000
	titleBytes    = 700
)

func (v *view) effectiveDate() (string, int, bool) {
	type pick struct {
		date string
		sent int
	}
	var tiers [4]*pick
	set := func(tier int, d string, i int) {
		if tiers[tier] == nil {
			tiers[tier] = &pick{d, i}
		}
	}
	for i, st := range v.sents {
		if st.isHeading || st.note {
			continue
		}
		t := st.text
		for _, m := range effDefRe.FindAllStringIndex(t, -1) {
			// the date right before "(the "Effective Date")"
			ds := dateAnyRe.FindAllStringIndex(t[:m[0]], -1)
			if len(ds) > 0 && m[0]-ds[len(ds)-1][1] <= 20 {
				if d, ok := parseLongDate(t[ds[len(ds)-1][0]:]); ok {
					set(0, d, i)
				}
			}
		}
		for _, m := range effMeansRe.FindAllStringIndex(t, -1) {
			if d, ok := parseLongDate(t[m[1]:]); ok {
				set(0, d, i)
			}
		}
		for _, m := range effThisRe.FindAllStringIndex(t, -1) {
			if before := t[:m[0]]; thisAgreeRe.MatchString(before) && !otherAgreeRe.MatchString(before) {
				if d, ok := parseLongDate(t[m[1]:]); ok {
					set(1, d, i)
				}
			}
		}
		for _, m := range commenceRe.FindAllStringIndex(t, -1) {
			if d, ok := parseLongDate(t[m[1]:]); ok {
				set(2, d, i)
			}
		}
		if st.start > preambleBytes {
			continue
		}
		for _, m := range signedRe.FindAllStringIndex(t, -1) {
			before := t[:m[0]]
			if otherAgreeRe.MatchString(before) || (st.start+m[0] > titleBytes && !thisAgreeRe.MatchString(before) && !strings.HasPrefix(t, "this ")) {
				continue
			}
			if d, ok := parseLongDate(t[m[1]:]); ok {
				set(3, d, i)
				break
			}
		}
	}
	for _, p := range tiers {
		if p != nil {
			return p.date, p.sent, true
		}
	}
	return "", 0, false
}

func parseLongDate(s string) (string, bool) {
	m := dateLongRe.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	var day, year int
	var month time.Month
	switch {
	case m[1] != "":
		day, _ = strconv.Atoi(m[1])
		month, year = monthNames[m[2]], atoi(m[3])
	case m[4] != "":
		day, _ = strconv.Atoi(m[5])
		month, year = monthNames[m[4]], atoi(m[6])
	default:
		year, day = atoi(m[7]), atoi(m[9])
		month = time.Month(atoi(m[8]))
	}
	t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	if year < 1950 || year > 2100 || t.Day() != day || t.Month() != month {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func (v *view) initialTerm() (int, int, bool) {
	for i, st := range v.sents {
		if st.isHeading || st.note || strings.Contains(st.text, "renewal term") && !strings.Contains(st.text, "initial") {
			continue
		}
		m := initialTermRe.FindStringIndex(st.text)
		if m == nil {
			continue
		}
		for _, d := range durations(st.text[m[0]:]) {
			per := map[string]int{"months": 1, "years": 12}[d.unit]
			if per > 0 && d.n > 0 && d.n == float64(int(d.n)) {
				return int(d.n) * per, i, true
			}
		}
	}
	return 0, 0, false
}

func (v *view) value() (money, int, bool) {
	for i, st := range v.sents {
		if st.isHeading || st.note || !valueRe.MatchString(st.text) {
			continue
		}
		for _, m := range amounts(st.text) {
			if m.amount >= 1 && m.currency != "" {
				return m, i, true
			}
		}
	}
	return money{}, 0, false
}
