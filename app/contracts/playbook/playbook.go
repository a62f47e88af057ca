// Package playbook holds the company's standard for contract key terms
// (breach notification within 72 hours, a liability cap of at least a
// year of fees, ...) as data, validates it, and compares the terms
// extracted from a contract with it. Legal and admins edit the playbook;
// the default comes from seeds/playbook/playbook.json.
package playbook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"rampart/app/contracts/terms"
	seed "rampart/seeds/playbook"
)

// FormatVersion is the playbook format this package reads.
const FormatVersion = 1

// Playbook is the set of rules contracts are reviewed against.
type Playbook struct {
	Version int    `json:"version"`
	Rules   []Rule `json:"rules"`
}

// Rule is the standard for one term. Which of the value fields it uses
// depends on Check (see Checks).
type Rule struct {
	Term  string `json:"term"`
	Check string `json:"check"`
	// Duration has one unit: hours, days, business_days, weeks, months
	// or years ({"hours": 72}).
	Duration map[string]float64 `json:"duration,omitempty"`
	Percent  float64            `json:"percent,omitempty"`
	// Months of fees a liability cap must reach (min_cap).
	Months int `json:"months,omitempty"`
	// Amount and Currency: the least insurance cover (min_amount), or the
	// least fixed liability cap accepted (min_cap, optional).
	Amount   float64  `json:"amount,omitempty"`
	Currency string   `json:"currency,omitempty"`
	Values   []string `json:"values,omitempty"`
	// Tiers the rule applies to; empty is every tier.
	Tiers       []int  `json:"tiers,omitempty"`
	Severity    string `json:"severity"`
	Description string `json:"description"`
}

// Checks are the comparisons the engine understands, with the terms each
// may be used for (nil: any term).
var Checks = map[string][]string{
	// the value is at most / at least Duration
	"max_duration": durationTerms,
	"min_duration": durationTerms,
	// subprocessor changes: notice of at least Duration and a right to object
	"min_notice_with_objection": {"subprocessor_changes"},
	// the uptime commitment is at least Percent
	"min_percent": {"sla_uptime"},
	// the liability cap is at least Months of fees, uncapped, or a fixed
	// amount of at least Amount Currency when those are given
	"min_cap": {"liability_cap"},
	// insurance cover of at least Amount Currency
	"min_amount": {"insurance"},
	// the term is in the contract and not denied / is absent or denied
	"required":  nil,
	"forbidden": nil,
	// the customer (or either party) may terminate for convenience
	"customer_may": {"termination_for_convenience"},
	// the jurisdiction / every region / some mechanism is in Values
	"one_of": {"governing_law", "data_location", "transfer_mechanism"},
	// a transfer mechanism is needed unless every data location is in Values
	"required_outside": {"transfer_mechanism"},
}

var durationTerms = []string{"renewal_term", "non_renewal_notice", "cure_period", "data_return_deletion",
	"breach_notification", "subprocessor_changes", "confidentiality_survival"}

// Severities, most serious first.
var Severities = []string{"critical", "high", "medium", "low"}

// Units a duration may be given in.
var Units = []string{"hours", "days", "business_days", "weeks", "months", "years"}

// Problem is one thing wrong with a playbook, at a JSON path such as
// "rules[2].duration".
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Problems are everything wrong with a playbook, in document order.
type Problems []Problem

func (ps Problems) Error() string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Field + ": " + p.Message
	}
	return "the playbook is not valid: " + strings.Join(parts, "; ")
}

// MaxSize bounds a playbook document.
const MaxSize = 1 << 20

// Parse reads a playbook strictly (unknown fields are errors) and
// validates it; a failure is Problems.
func Parse(data []byte) (Playbook, error) {
	var p Playbook
	if len(data) > MaxSize {
		return p, Problems{{Field: "", Message: fmt.Sprintf("the playbook is larger than %d bytes", MaxSize)}}
	}
	if !utf8.Valid(data) {
		return p, Problems{{Field: "", Message: "the playbook is not valid UTF-8"}}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Playbook{}, Problems{decodeProblem(err)}
	}
	if dec.More() {
		return Playbook{}, Problems{{Field: "", Message: "unexpected data after the playbook"}}
	}
	if err := p.Validate(); err != nil {
		return Playbook{}, err
	}
	return p, nil
}

var unknownFieldRe = regexp.MustCompile(`^json: unknown field "(.*)"$`)

func decodeProblem(err error) Problem {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return Problem{Field: te.Field, Message: "must be " + kindName(te.Type.Kind().String())}
	}
	if m := unknownFieldRe.FindStringSubmatch(err.Error()); m != nil {
		return Problem{Field: m[1], Message: "is not a playbook field"}
	}
	return Problem{Field: "", Message: "not valid JSON: " + strings.TrimPrefix(err.Error(), "json: ")}
}

func kindName(k string) string {
	switch k {
	case "int", "float64":
		return "a number"
	case "slice":
		return "a list"
	case "map", "struct":
		return "an object"
	}
	return "a " + k
}

// Default is the playbook shipped in seeds/playbook/playbook.json.
func Default() Playbook {
	p, err := Parse(seed.JSON())
	if err != nil {
		panic("the default playbook is not valid: " + err.Error()) // a test keeps it valid
	}
	return p
}

var currencyRe = regexp.MustCompile(`^[A-Z]{3}$`)

// Validate checks every rule; a failure is Problems with a JSON path for
// each one.
func (p Playbook) Validate() error {
	var ps Problems
	bad := func(field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if p.Version != FormatVersion {
		bad("version", "must be %d", FormatVersion)
	}
	if p.Rules == nil {
		bad("rules", "is required (an empty list is allowed)")
	}
	if len(p.Rules) > 200 {
		bad("rules", "at most 200 rules")
	}
	seen := map[string]int{}
	for i, r := range p.Rules {
		at := func(f string) string { return fmt.Sprintf("rules[%d].%s", i, f) }
		if !slices.Contains(terms.Keys, r.Term) {
			bad(at("term"), "must be one of %s", strings.Join(terms.Keys, ", "))
		}
		allowed, known := Checks[r.Check]
		switch {
		case !known:
			bad(at("check"), "must be one of %s", strings.Join(checkNames(), ", "))
		case allowed != nil && slices.Contains(terms.Keys, r.Term) && !slices.Contains(allowed, r.Term):
			bad(at("check"), "%s cannot be used for %s (only %s)", r.Check, r.Term, strings.Join(allowed, ", "))
		}
		if j, dup := seen[r.Term+"/"+r.Check]; dup {
			bad(at("check"), "rules[%d] already checks %s with %s", j, r.Term, r.Check)
		} else {
			seen[r.Term+"/"+r.Check] = i
		}
		uses := map[string]bool{}
		switch r.Check {
		case "max_duration", "min_duration", "min_notice_with_objection":
			uses["duration"] = true
			validDuration(r.Duration, at("duration"), bad)
		case "min_percent":
			uses["percent"] = true
			if r.Percent <= 0 || r.Percent > 100 {
				bad(at("percent"), "must be more than 0 and at most 100")
			}
		case "min_cap":
			uses["months"], uses["amount"], uses["currency"] = true, true, true
			if r.Months < 1 || r.Months > 120 {
				bad(at("months"), "must be 1-120")
			}
			if r.Amount != 0 || r.Currency != "" {
				validAmount(r, at, bad)
			}
		case "min_amount":
			uses["amount"], uses["currency"] = true, true
			validAmount(r, at, bad)
		case "one_of", "required_outside":
			uses["values"] = true
			if len(r.Values) == 0 || len(r.Values) > 100 {
				bad(at("values"), "must list 1-100 values")
			}
			for j, v := range r.Values {
				if strings.TrimSpace(v) == "" || utf8.RuneCountInString(v) > 100 {
					bad(fmt.Sprintf("rules[%d].values[%d]", i, j), "must be 1-100 characters")
				}
			}
		}
		for field, set := range map[string]bool{"duration": r.Duration != nil, "percent": r.Percent != 0, "months": r.Months != 0,
			"amount": r.Amount != 0, "currency": r.Currency != "", "values": r.Values != nil} {
			if set && !uses[field] && known {
				bad(at(field), "is not used by the %s check", r.Check)
			}
		}
		for j, t := range r.Tiers {
			if t < 1 || t > 10 {
				bad(fmt.Sprintf("rules[%d].tiers[%d]", i, j), "must be a tier number 1-10")
			}
		}
		if !slices.Contains(Severities, r.Severity) {
			bad(at("severity"), "must be one of %s", strings.Join(Severities, ", "))
		}
		if d := strings.TrimSpace(r.Description); d == "" || utf8.RuneCountInString(d) > 300 {
			bad(at("description"), "must be 1-300 characters")
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

func validDuration(d map[string]float64, field string, bad func(string, string, ...any)) {
	if len(d) != 1 {
		bad(field, "must have exactly one unit: %s", strings.Join(Units, ", "))
		return
	}
	for u, n := range d {
		if !slices.Contains(Units, u) {
			bad(field, "unit %q must be one of %s", u, strings.Join(Units, ", "))
		} else if n <= 0 || hours(n, u, false) > 10*366*24 {
			bad(field, "must be more than zero and at most ten years")
		}
	}
}

func validAmount(r Rule, at func(string) string, bad func(string, string, ...any)) {
	if r.Amount <= 0 || r.Amount > 1e13 {
		bad(at("amount"), "must be more than 0 and at most 10,000,000,000,000")
	}
	if !currencyRe.MatchString(r.Currency) {
		bad(at("currency"), "must be a three-letter currency code such as USD")
	}
}

func checkNames() []string {
	var out []string
	for k := range Checks {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
