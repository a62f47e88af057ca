package playbook

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"

	"rampart/app/contracts/terms"
)

// Statuses of a check.
const (
	Meets         = "meets"
	Deviates      = "deviates"
	Missing       = "missing"
	NotApplicable = "not_applicable"
)

// Check is one rule applied to one contract's terms.
type Check struct {
	Term   string `json:"term"`
	Status string `json:"status"`
	// Severity is the rule's, when the term deviates or is missing.
	Severity string `json:"severity,omitempty"`
	Expected string `json:"expected"`
	Actual   string `json:"actual"`
	Rule     string `json:"rule"`
}

// Evaluate applies every rule, in order, to a contract's terms for a
// vendor of the given tier (0 when the vendor has no tier yet: every rule
// applies).
func Evaluate(p Playbook, ts []terms.Term, vendorTier int) []Check {
	byKey := map[string]terms.Term{}
	for _, t := range ts {
		if _, dup := byKey[t.Key]; !dup {
			byKey[t.Key] = t
		}
	}
	out := make([]Check, 0, len(p.Rules))
	for _, r := range p.Rules {
		t, ok := byKey[r.Term]
		if !ok {
			t = terms.Term{Key: r.Term}
		}
		c := Check{Term: r.Term, Rule: r.Description, Expected: expected(r), Actual: actual(t)}
		if len(r.Tiers) > 0 && vendorTier != 0 && !slices.Contains(r.Tiers, vendorTier) {
			c.Status = NotApplicable
		} else {
			c.Status, c.Actual = judge(r, t, byKey)
		}
		if c.Status == Deviates || c.Status == Missing {
			c.Severity = r.Severity
		}
		out = append(out, c)
	}
	return out
}

func actual(t terms.Term) string {
	if !t.Found {
		return "not found"
	}
	return t.Value
}

// judge returns the status and, when it needs more than the term's
// value, the actual text explaining it.
func judge(r Rule, t terms.Term, all map[string]terms.Term) (string, string) {
	act := actual(t)
	if r.Check == "forbidden" {
		if !t.Found || present(t) == no {
			return Meets, act
		}
		return Deviates, act
	}
	if r.Check == "required_outside" {
		loc := all["data_location"]
		if loc.Found {
			inside := true
			for _, reg := range list(loc.Normalized["regions"]) {
				inside = inside && containsFold(r.Values, reg)
			}
			if inside {
				return NotApplicable, act + " (data stays in " + loc.Value + ")"
			}
		}
		if t.Found {
			return Meets, act
		}
		return Missing, act
	}
	if !t.Found {
		return Missing, act
	}
	n := t.Normalized
	switch r.Check {
	case "required":
		if present(t) == no {
			return Deviates, act
		}
		return Meets, act
	case "max_duration", "min_duration", "min_notice_with_objection":
		if b, _ := n["indefinite"].(bool); b {
			if r.Check == "min_duration" {
				return Meets, act
			}
			return Deviates, act
		}
		lo, hi, ok := durationOf(n)
		if !ok {
			return Deviates, act + " (no period stated)"
		}
		want := nominal(r.Duration)
		switch r.Check {
		case "max_duration":
			return verdict(hi <= want), act
		case "min_duration":
			return verdict(lo >= want), act
		}
		if obj, _ := n["objection_right"].(bool); !obj {
			return Deviates, act
		}
		return verdict(lo >= want), act
	case "min_percent":
		p, ok := number(n["percent"])
		return verdict(ok && p >= r.Percent), act
	case "min_cap":
		switch n["kind"] {
		case "uncapped":
			return Meets, act
		case "fees_multiple":
			m, ok := number(n["multiple"])
			if !ok {
				return Deviates, act
			}
			months, has := number(n["months"])
			if !has {
				// all fees paid under the contract: never less than the
				// fees of its last months
				return verdict(m >= 1), act
			}
			return verdict(m*months >= float64(r.Months)), act
		case "fixed":
			amt, _ := number(n["amount"])
			cur, _ := n["currency"].(string)
			if r.Amount == 0 {
				return Deviates, act + " (a fixed amount; compare it with " + strconv.Itoa(r.Months) + " months of fees)"
			}
			if !strings.EqualFold(cur, r.Currency) {
				return Deviates, act + " (in " + cur + ", the rule is in " + r.Currency + ")"
			}
			return verdict(amt >= r.Amount), act
		}
		return Deviates, act
	case "min_amount":
		amt, ok := number(n["amount"])
		if !ok {
			return Deviates, act
		}
		if cur, _ := n["currency"].(string); !strings.EqualFold(cur, r.Currency) {
			return Deviates, act + " (in " + cur + ", the rule is in " + r.Currency + ")"
		}
		return verdict(amt >= r.Amount), act
	case "customer_may":
		if present(t) != yes {
			return Deviates, act
		}
		party, _ := n["party"].(string)
		return verdict(party == "customer" || party == "either" || party == ""), act
	case "one_of":
		switch r.Term {
		case "governing_law":
			j, _ := n["jurisdiction"].(string)
			return verdict(containsFold(r.Values, j)), act
		case "data_location":
			regs := list(n["regions"])
			ok := len(regs) > 0
			for _, reg := range regs {
				ok = ok && containsFold(r.Values, reg)
			}
			return verdict(ok), act
		case "transfer_mechanism":
			for _, m := range list(n["mechanisms"]) {
				if containsFold(r.Values, m) {
					return Meets, act
				}
			}
			return Deviates, act
		}
	}
	return Deviates, act
}

func verdict(ok bool) string {
	if ok {
		return Meets
	}
	return Deviates
}

type tri int

const (
	unknown tri = iota
	yes
	no
)

// present reads {"present": bool}; terms without it are present when found.
func present(t terms.Term) tri {
	if !t.Found {
		return no
	}
	b, ok := t.Normalized["present"].(bool)
	switch {
	case !ok:
		return unknown
	case b:
		return yes
	}
	return no
}

// number reads a normalized number, whether it came from Extract (int,
// float64) or back from JSON (float64, json.Number).
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float64:
		return x, !math.IsNaN(x) && !math.IsInf(x, 0)
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

func list(v any) []string {
	var out []string
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

func containsFold(values []string, s string) bool {
	return slices.ContainsFunc(values, func(v string) bool { return strings.EqualFold(strings.TrimSpace(v), s) })
}

// hours converts a duration to hours. Business days are the one unit
// whose length varies a lot: upper gives the longest calendar span (N
// business days can straddle ceil(N/5) weekends), otherwise the shortest.
// Months count 30 days and years 365.
func hours(n float64, unit string, upper bool) float64 {
	switch unit {
	case "hours":
		return n
	case "days":
		return n * 24
	case "business_days":
		if upper {
			return (n + 2*math.Ceil(n/5)) * 24
		}
		return n * 24
	case "weeks":
		return n * 7 * 24
	case "months":
		return n * 30 * 24
	case "years":
		return n * 365 * 24
	}
	return math.NaN()
}

// durationOf reads the one duration unit of a normalized value as the
// shortest and longest span it can mean, in hours.
func durationOf(n map[string]any) (lo, hi float64, ok bool) {
	for _, u := range Units {
		if v, has := number(n[u]); has {
			return hours(v, u, false), hours(v, u, true), true
		}
	}
	return 0, 0, false
}

func nominal(d map[string]float64) float64 {
	for u, n := range d {
		return hours(n, u, false)
	}
	return 0
}

// expected says in words what a rule asks for.
func expected(r Rule) string {
	switch r.Check {
	case "max_duration":
		return "at most " + durationText(r.Duration)
	case "min_duration":
		return "at least " + durationText(r.Duration)
	case "min_notice_with_objection":
		return "at least " + durationText(r.Duration) + " notice and a right to object"
	case "min_percent":
		return "at least " + strconv.FormatFloat(r.Percent, 'f', -1, 64) + "%"
	case "min_cap":
		s := "at least the fees of " + strconv.Itoa(r.Months) + " months, or uncapped"
		if r.Amount > 0 {
			s += ", or a fixed cap of at least " + moneyText(r.Amount, r.Currency)
		}
		return s
	case "min_amount":
		return "at least " + moneyText(r.Amount, r.Currency)
	case "required":
		return "present"
	case "forbidden":
		return "absent"
	case "customer_may":
		return "the customer may terminate for convenience"
	case "one_of":
		return "one of: " + strings.Join(r.Values, ", ")
	case "required_outside":
		return "present when data is kept outside " + shortList(r.Values)
	}
	return r.Check
}

// shortList names a few values and counts the rest, so a rule over every
// EEA country still reads in one line.
func shortList(vs []string) string {
	if len(vs) <= 4 {
		return strings.Join(vs, ", ")
	}
	return strings.Join(vs[:3], ", ") + " and " + strconv.Itoa(len(vs)-3) + " more"
}

func durationText(d map[string]float64) string {
	for u, n := range d {
		unit := strings.ReplaceAll(u, "_", " ")
		if n == 1 {
			unit = strings.TrimSuffix(unit, "s")
		}
		return strconv.FormatFloat(n, 'f', -1, 64) + " " + unit
	}
	return ""
}

func moneyText(amount float64, currency string) string {
	s := strconv.FormatFloat(amount, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i < 0 {
		for j := len(s) - 3; j > 0; j -= 3 {
			s = s[:j] + "," + s[j:]
		}
	}
	return currency + " " + s
}
