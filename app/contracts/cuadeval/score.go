package cuadeval

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"rampart/app/contracts/terms"
)

// Report is the outcome of one evaluation.
type Report struct {
	Contracts     int
	Keys          []KeyStats
	Values        []ValueStats
	Disagreements []Disagreement
	// EffectiveDate measures the record proposal of the effective date
	// against CUAD's Effective Date answer, else its Agreement Date.
	EffectiveDate RecordStats
	// Unreadable lists contracts an upload would refuse to read (all of
	// CUAD is English, so none should be).
	Unreadable  []string
	TotalCPU    time.Duration // the whole process while extracting, collector included
	MaxCPU      time.Duration // the slowest contract, its own thread only
	Slowest     string
	Wall        time.Duration
	CPUMeasured bool // false where only wall-clock time could be read
}

// KeyStats counts presence: a contract is positive when CUAD's category
// has a clause (after the adjudications in adjudications.go), found when
// the key's predicate holds. Raw* are the counts against CUAD as published.
type KeyStats struct {
	Key                 string
	TP, FP, FN          int
	RawTP, RawFP, RawFN int
	Adjudicated         int // contracts whose CUAD label was overruled
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func (k KeyStats) Precision() float64 { return ratio(k.TP, k.TP+k.FP) }
func (k KeyStats) Recall() float64    { return ratio(k.TP, k.TP+k.FN) }
func (k KeyStats) F1() float64 {
	p, r := k.Precision(), k.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}
func (k KeyStats) RawPrecision() float64 { return ratio(k.RawTP, k.RawTP+k.RawFP) }
func (k KeyStats) RawRecall() float64    { return ratio(k.RawTP, k.RawTP+k.RawFN) }
func (k KeyStats) Met() bool {
	return k.Precision() >= TargetPrecision && k.Recall() >= TargetRecall
}

// ValueStats counts value agreement where both CUAD's answer and our term
// have a readable value.
type ValueStats struct {
	Key             string
	Compared, Right int
}

func (v ValueStats) Accuracy() float64 { return ratio(v.Right, v.Compared) }
func (v ValueStats) Met() bool         { return v.Accuracy() >= TargetValueAccuracy }

// Disagreement is one contract where we and CUAD differ.
type Disagreement struct {
	Contract string
	Key      string
	Kind     string // missed, extra, value
	Expected string // CUAD's answer, or its clause
	Got      string // our value, or "not found"
	Quote    string // our evidence (extra, value) or CUAD's clause (missed)
}

func (r *Report) score(c Contract, byKey map[string]terms.Term) {
	for i, k := range Keys {
		clauses := c.Clauses[k.Category]
		raw := len(clauses) > 0
		want := raw
		adj, overruled := adjudication(c.Name, k.Name)
		if overruled {
			want = adj.Positive
			r.Keys[i].Adjudicated++
		}
		got := k.Found(byKey)
		st := &r.Keys[i]
		count(&st.RawTP, &st.RawFP, &st.RawFN, raw, got)
		count(&st.TP, &st.FP, &st.FN, want, got)
		switch {
		case want && !got:
			d := Disagreement{Contract: c.Name, Key: k.Name, Kind: "missed", Got: "not found"}
			if len(clauses) > 0 {
				d.Expected, d.Quote = "present", clauses[0]
			}
			if overruled {
				d.Expected = "present (" + adj.Reason + ")"
			}
			r.Disagreements = append(r.Disagreements, d)
		case got && !want:
			d := Disagreement{Contract: c.Name, Key: k.Name, Kind: "extra", Expected: "absent", Got: ourValue(k.Name, byKey)}
			d.Quote = ourQuote(k.Name, byKey)
			if overruled {
				d.Expected = "absent (" + adj.Reason + ")"
			}
			r.Disagreements = append(r.Disagreements, d)
		}
	}
	for i, vk := range valueKeys {
		want, ok := vk.gold(c.Answers[vk.category])
		if !ok {
			continue
		}
		t := byKey[vk.term]
		got, ok := vk.ours(t)
		if !ok {
			continue
		}
		r.Values[i].Compared++
		// a gold set "|a|b|" accepts any of its names
		if got == want || strings.Contains(want, "|"+got+"|") {
			r.Values[i].Right++
			continue
		}
		r.Disagreements = append(r.Disagreements, Disagreement{Contract: c.Name, Key: vk.name, Kind: "value",
			Expected: c.Answers[vk.category], Got: t.Value, Quote: firstQuote(t)})
	}
}

func count(tp, fp, fn *int, want, got bool) {
	switch {
	case want && got:
		*tp++
	case got:
		*fp++
	case want:
		*fn++
	}
}

// termsOf names the terms behind a measured key.
func termsOf(key string) []string {
	if key == "renewal" {
		return []string{"auto_renewal", "renewal_term"}
	}
	return []string{key}
}

func ourValue(key string, byKey map[string]terms.Term) string {
	var vals []string
	for _, k := range termsOf(key) {
		if t := byKey[k]; t.Found {
			vals = append(vals, k+"="+t.Value)
		}
	}
	return strings.Join(vals, ", ")
}

func ourQuote(key string, byKey map[string]terms.Term) string {
	for _, k := range termsOf(key) {
		if q := firstQuote(byKey[k]); q != "" {
			return q
		}
	}
	return ""
}

func firstQuote(t terms.Term) string {
	if !t.Found || len(t.Evidence) == 0 {
		return ""
	}
	return t.Evidence[0].Quote
}

// valueKey compares a short CUAD answer with one of our terms, both
// reduced to a comparable string.
type valueKey struct {
	name, category, term string
	gold                 func(answer string) (string, bool)
	ours                 func(terms.Term) (string, bool)
}

var valueKeys = []valueKey{
	{"governing_law", "Governing Law", "governing_law", goldJurisdictions, ourJurisdiction},
	{"renewal_term", "Renewal Term", "renewal_term", goldDuration, ourDuration},
	{"non_renewal_notice", "Notice Period To Terminate Renewal", "non_renewal_notice", goldDuration, ourDuration},
}

// jurisdictionAliases maps CUAD's spellings to the names terms uses.
var jurisdictionAliases = map[string]string{
	"england": "england and wales", "wales": "england and wales", "england and wales": "england and wales",
	"people's republic of china": "china", "prc": "china", "the people's republic of china": "china",
	"usa": "united states", "united states of america": "united states", "u.s.": "united states",
	"hong kong sar": "hong kong", "republic of korea": "south korea", "federal republic of germany": "germany",
}

var jurisdictionPrefix = regexp.MustCompile(`^(?:the )?(?:state|commonwealth|province|republic) of `)

func canonJurisdiction(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.Join(strings.Fields(s), " ")
	if a, ok := jurisdictionAliases[s]; ok {
		return a
	}
	s = jurisdictionPrefix.ReplaceAllString(s, "")
	if a, ok := jurisdictionAliases[s]; ok {
		return a
	}
	return s
}

// goldJurisdictions: "Ontario, Canada" names Ontario; "Illinois; New York"
// names two, and either is right. The result is the set joined with "|".
func goldJurisdictions(a string) (string, bool) {
	var out []string
	for part := range strings.SplitSeq(a, ";") {
		first, _, _ := strings.Cut(part, ",")
		if j := canonJurisdiction(first); j != "" && !strings.ContainsAny(j, "*[]") && !strings.Contains(j, "convention") {
			out = append(out, j)
		}
	}
	if len(out) == 0 {
		return "", false
	}
	return "|" + strings.Join(out, "|") + "|", true
}

func ourJurisdiction(t terms.Term) (string, bool) {
	j, ok := t.Normalized["jurisdiction"].(string)
	if !t.Found || !ok {
		return "", false
	}
	return canonJurisdiction(j), true
}

var goldDurationRe = regexp.MustCompile(`(?i)\(?(\d+(?:\.\d+)?)\)?\s*(day|week|month|year)s?\b`)

// goldDuration reads the last "N unit" of an answer ("successive 1 year",
// "2 successive 5 years": each renewal is 5 years) in days.
func goldDuration(a string) (string, bool) {
	ms := goldDurationRe.FindAllStringSubmatch(a, -1)
	if len(ms) == 0 {
		return "", false
	}
	m := ms[len(ms)-1]
	n, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return "", false
	}
	return inDays(n, strings.ToLower(m[2])+"s"), true
}

func ourDuration(t terms.Term) (string, bool) {
	if !t.Found {
		return "", false
	}
	for unit, v := range t.Normalized {
		var n float64
		switch x := v.(type) {
		case int:
			n = float64(x)
		case float64:
			n = x
		default:
			continue
		}
		return inDays(n, unit), true
	}
	return "", false
}

// inDays makes "12 months", "1 year" and "360 days" equal and "3 months"
// and "90 days" too; business days count as days.
func inDays(n float64, unit string) string {
	per := map[string]float64{"days": 1, "business_days": 1, "weeks": 7, "months": 30, "years": 360, "hours": 1.0 / 24}[unit]
	return strconv.FormatFloat(n*per, 'f', -1, 64) + "d"
}

// RecordStats measures one record-field proposal: of the contracts where
// CUAD gives the value, how many got a proposal, and how many proposals
// were right.
type RecordStats struct {
	WithAnswer, Proposed, Right int
}

// Coverage is the share of contracts with an answer that got a proposal.
func (s RecordStats) Coverage() float64 { return ratio(s.Proposed, s.WithAnswer) }

// Accuracy is the share of proposals that were right.
func (s RecordStats) Accuracy() float64 { return ratio(s.Right, s.Proposed) }

func (r *Report) scoreRecord(c Contract, ps []terms.Proposal) {
	want := cuadDate(c.Answers["Effective Date"])
	if want == "" {
		want = cuadDate(c.Answers["Agreement Date"])
	}
	if want == "" {
		return
	}
	r.EffectiveDate.WithAnswer++
	for _, p := range ps {
		if p.Field != "effective_date" {
			continue
		}
		r.EffectiveDate.Proposed++
		if p.Value == want {
			r.EffectiveDate.Right++
		} else {
			r.Disagreements = append(r.Disagreements, Disagreement{Contract: c.Name, Key: "record.effective_date", Kind: "wrong value", Expected: want, Got: p.Value, Quote: p.Evidence.Quote})
		}
	}
}

// cuadDate reads CUAD's m/d/yyyy answers; "" when there is none or it is
// not one date.
func cuadDate(s string) string {
	d, err := time.Parse("1/2/2006", strings.TrimSpace(s))
	if err != nil {
		return ""
	}
	return d.Format(time.DateOnly)
}
