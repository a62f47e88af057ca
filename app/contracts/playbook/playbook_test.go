package playbook

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"rampart/app/contracts/terms"
)

func found(key, value string, norm map[string]any) terms.Term {
	return terms.Term{Key: key, Found: true, Value: value, Normalized: norm}
}

func rule(term, check string, f func(*Rule)) Rule {
	r := Rule{Term: term, Check: check, Severity: "high", Description: "test rule"}
	if f != nil {
		f(&r)
	}
	return r
}

func TestEvaluateBoundaries(t *testing.T) {
	breach := rule("breach_notification", "max_duration", func(r *Rule) { r.Duration = map[string]float64{"hours": 72} })
	cure := rule("cure_period", "min_duration", func(r *Rule) { r.Duration = map[string]float64{"days": 30} })
	capRule := rule("liability_cap", "min_cap", func(r *Rule) { r.Months = 12 })
	capFixed := rule("liability_cap", "min_cap", func(r *Rule) { r.Months = 12; r.Amount = 1000000; r.Currency = "USD" })
	sub := rule("subprocessor_changes", "min_notice_with_objection", func(r *Rule) { r.Duration = map[string]float64{"days": 30} })
	sla := rule("sla_uptime", "min_percent", func(r *Rule) { r.Percent = 99.9 })
	ins := rule("insurance", "min_amount", func(r *Rule) { r.Amount = 5000000; r.Currency = "USD" })
	audit := rule("audit_rights", "required", func(r *Rule) { r.Tiers = []int{1, 2} })
	law := rule("governing_law", "one_of", func(r *Rule) { r.Values = []string{"Delaware", "England and Wales"} })
	tfc := rule("termination_for_convenience", "customer_may", nil)
	conf := rule("confidentiality_survival", "min_duration", func(r *Rule) { r.Duration = map[string]float64{"years": 3} })
	noAuto := rule("auto_renewal", "forbidden", nil)
	loc := rule("data_location", "one_of", func(r *Rule) { r.Values = []string{"EU", "DE"} })
	xfer := rule("transfer_mechanism", "required_outside", func(r *Rule) { r.Values = []string{"EU", "DE"} })

	cases := []struct {
		name   string
		rule   Rule
		terms  []terms.Term
		tier   int
		status string
	}{
		{"72 hours meets 72", breach, []terms.Term{found("breach_notification", "72 hours", map[string]any{"hours": 72})}, 1, Meets},
		{"73 hours deviates", breach, []terms.Term{found("breach_notification", "73 hours", map[string]any{"hours": 73})}, 1, Deviates},
		{"3 days meets 72 hours", breach, []terms.Term{found("breach_notification", "3 days", map[string]any{"days": 3})}, 1, Meets},
		{"4 days deviates", breach, []terms.Term{found("breach_notification", "4 days", map[string]any{"days": 4})}, 1, Deviates},
		{"3 business days can be 5 calendar days", breach, []terms.Term{found("breach_notification", "3 business days", map[string]any{"business_days": 3})}, 1, Deviates},
		{"1 business day can be 3 calendar days", breach, []terms.Term{found("breach_notification", "1 business day", map[string]any{"business_days": 1})}, 1, Meets},
		{"not found is missing", breach, nil, 1, Missing},
		{"no period stated", breach, []terms.Term{found("breach_notification", "promptly", map[string]any{"present": true})}, 1, Deviates},
		{"cure 30 days meets", cure, []terms.Term{found("cure_period", "30 days", map[string]any{"days": 30})}, 1, Meets},
		{"cure 29 days deviates", cure, []terms.Term{found("cure_period", "29 days", map[string]any{"days": 29})}, 1, Deviates},
		{"cure 20 business days meets 30 days? no: 20 days at least", cure, []terms.Term{found("cure_period", "20 business days", map[string]any{"business_days": 20})}, 1, Deviates},
		{"cure one month meets 30 days", cure, []terms.Term{found("cure_period", "1 month", map[string]any{"months": 1})}, 1, Meets},
		// a filed copy that withholds the amount or period: nothing to pass
		{"redacted cap deviates", capRule, []terms.Term{found("liability_cap", "Capped (amount redacted)", map[string]any{"kind": "redacted"})}, 1, Deviates},
		{"redacted cap deviates from a fixed rule", capFixed, []terms.Term{found("liability_cap", "Capped (amount redacted)", map[string]any{"kind": "redacted"})}, 1, Deviates},
		{"redacted period deviates", breach, []terms.Term{found("breach_notification", "Period redacted", map[string]any{"redacted": true})}, 1, Deviates},
		{"cap 12 months meets", capRule, []terms.Term{found("liability_cap", "1x 12 months", map[string]any{"kind": "fees_multiple", "multiple": 1, "months": 12})}, 1, Meets},
		{"cap 6 months deviates", capRule, []terms.Term{found("liability_cap", "1x 6 months", map[string]any{"kind": "fees_multiple", "multiple": 1, "months": 6})}, 1, Deviates},
		{"cap 2x 6 months meets", capRule, []terms.Term{found("liability_cap", "2x 6 months", map[string]any{"kind": "fees_multiple", "multiple": 2, "months": 6})}, 1, Meets},
		{"cap all fees paid meets", capRule, []terms.Term{found("liability_cap", "fees paid", map[string]any{"kind": "fees_multiple", "multiple": 1})}, 1, Meets},
		{"uncapped meets", capRule, []terms.Term{found("liability_cap", "Uncapped", map[string]any{"kind": "uncapped"})}, 1, Meets},
		{"fixed cap cannot be compared with fees", capRule, []terms.Term{found("liability_cap", "USD 2,000,000", map[string]any{"kind": "fixed", "amount": 2000000, "currency": "USD"})}, 1, Deviates},
		{"fixed cap above the rule's amount meets", capFixed, []terms.Term{found("liability_cap", "USD 2,000,000", map[string]any{"kind": "fixed", "amount": 2000000, "currency": "USD"})}, 1, Meets},
		{"fixed cap equal to the rule's amount meets", capFixed, []terms.Term{found("liability_cap", "USD 1,000,000", map[string]any{"kind": "fixed", "amount": 1000000, "currency": "USD"})}, 1, Meets},
		{"fixed cap below deviates", capFixed, []terms.Term{found("liability_cap", "USD 999,999", map[string]any{"kind": "fixed", "amount": 999999, "currency": "USD"})}, 1, Deviates},
		{"fixed cap in another currency deviates", capFixed, []terms.Term{found("liability_cap", "EUR 5,000,000", map[string]any{"kind": "fixed", "amount": 5000000, "currency": "EUR"})}, 1, Deviates},
		{"subprocessors 30 days with objection", sub, []terms.Term{found("subprocessor_changes", "30 days", map[string]any{"days": 30, "objection_right": true})}, 1, Meets},
		{"subprocessors 30 days without objection", sub, []terms.Term{found("subprocessor_changes", "30 days", map[string]any{"days": 30, "objection_right": false})}, 1, Deviates},
		{"subprocessors 14 days with objection", sub, []terms.Term{found("subprocessor_changes", "14 days", map[string]any{"days": 14, "objection_right": true})}, 1, Deviates},
		{"subprocessors 4 weeks is 28 days", sub, []terms.Term{found("subprocessor_changes", "4 weeks", map[string]any{"weeks": 4, "objection_right": true})}, 1, Deviates},
		{"99.9 meets 99.9", sla, []terms.Term{found("sla_uptime", "99.9%", map[string]any{"percent": 99.9})}, 1, Meets},
		{"99.5 deviates", sla, []terms.Term{found("sla_uptime", "99.5%", map[string]any{"percent": 99.5})}, 1, Deviates},
		{"insurance equal meets", ins, []terms.Term{found("insurance", "USD 5,000,000", map[string]any{"amount": 5000000, "currency": "USD"})}, 1, Meets},
		{"insurance in GBP deviates", ins, []terms.Term{found("insurance", "GBP 5,000,000", map[string]any{"amount": 5000000, "currency": "GBP"})}, 1, Deviates},
		{"insurance without amount deviates", ins, []terms.Term{found("insurance", "Yes", map[string]any{"present": true})}, 1, Deviates},
		{"audit tier 1 present", audit, []terms.Term{found("audit_rights", "Yes", map[string]any{"present": true})}, 1, Meets},
		{"audit tier 2 denied", audit, []terms.Term{found("audit_rights", "No", map[string]any{"present": false})}, 2, Deviates},
		{"audit tier 2 missing", audit, nil, 2, Missing},
		{"audit tier 3 not applicable", audit, nil, 3, NotApplicable},
		{"audit untiered vendor applies", audit, nil, 0, Missing},
		{"law in list", law, []terms.Term{found("governing_law", "Delaware", map[string]any{"jurisdiction": "Delaware"})}, 1, Meets},
		{"law not in list", law, []terms.Term{found("governing_law", "Texas", map[string]any{"jurisdiction": "Texas"})}, 1, Deviates},
		{"customer may terminate", tfc, []terms.Term{found("termination_for_convenience", "Yes", map[string]any{"present": true, "party": "customer"})}, 1, Meets},
		{"either may terminate", tfc, []terms.Term{found("termination_for_convenience", "Yes", map[string]any{"present": true, "party": "either"})}, 1, Meets},
		{"only the vendor may terminate", tfc, []terms.Term{found("termination_for_convenience", "Yes", map[string]any{"present": true, "party": "vendor"})}, 1, Deviates},
		{"nobody may terminate", tfc, []terms.Term{found("termination_for_convenience", "No", map[string]any{"present": false})}, 1, Deviates},
		{"indefinite confidentiality meets a minimum", conf, []terms.Term{found("confidentiality_survival", "Indefinitely", map[string]any{"indefinite": true})}, 1, Meets},
		{"3 years meets", conf, []terms.Term{found("confidentiality_survival", "3 years", map[string]any{"years": 3})}, 1, Meets},
		{"36 months meets 3 years? 36x30 days is less than 3x365", conf, []terms.Term{found("confidentiality_survival", "36 months", map[string]any{"months": 36})}, 1, Deviates},
		{"forbidden and absent", noAuto, nil, 1, Meets},
		{"forbidden and denied", noAuto, []terms.Term{found("auto_renewal", "No", map[string]any{"present": false})}, 1, Meets},
		{"forbidden and present", noAuto, []terms.Term{found("auto_renewal", "Yes", map[string]any{"present": true})}, 1, Deviates},
		{"all regions allowed", loc, []terms.Term{found("data_location", "DE, EU", map[string]any{"regions": []any{"DE", "EU"}})}, 1, Meets},
		{"a region outside", loc, []terms.Term{found("data_location", "EU, US", map[string]any{"regions": []any{"EU", "US"}})}, 1, Deviates},
		{"data stays inside: no mechanism needed", xfer, []terms.Term{found("data_location", "EU", map[string]any{"regions": []any{"EU"}})}, 1, NotApplicable},
		{"data leaves without mechanism", xfer, []terms.Term{found("data_location", "US", map[string]any{"regions": []any{"US"}})}, 1, Missing},
		{"data leaves with mechanism", xfer, []terms.Term{found("data_location", "US", map[string]any{"regions": []any{"US"}}),
			found("transfer_mechanism", "SCC", map[string]any{"mechanisms": []any{"SCC"}})}, 1, Meets},
		{"location unknown: mechanism needed", xfer, nil, 1, Missing},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Evaluate(Playbook{Version: 1, Rules: []Rule{c.rule}}, c.terms, c.tier)
			if len(got) != 1 || got[0].Status != c.status {
				t.Fatalf("got %+v, want %s", got, c.status)
			}
			g := got[0]
			if g.Term != c.rule.Term || g.Rule != "test rule" || g.Expected == "" || g.Actual == "" {
				t.Errorf("check incomplete: %+v", g)
			}
			if (g.Status == Deviates || g.Status == Missing) != (g.Severity == "high") {
				t.Errorf("severity %q with status %s", g.Severity, g.Status)
			}
		})
	}
}

// TestEvaluateAfterJSON: terms read back from the database have float64
// numbers and []any lists; the result must not change.
func TestEvaluateAfterJSON(t *testing.T) {
	text := "Vendor shall notify Customer of a Security Incident within seventy-two (72) hours. " +
		"Each party's aggregate liability shall not exceed the fees paid in the twelve (12) months preceding the claim. " +
		"This Agreement is governed by the laws of the State of Texas."
	ts := terms.Extract(text, nil)
	raw, err := json.Marshal(ts)
	if err != nil {
		t.Fatal(err)
	}
	var back []terms.Term
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	p := Default()
	a, b := Evaluate(p, ts, 1), Evaluate(p, back, 1)
	if !slices.Equal(a, b) {
		t.Fatalf("before JSON %+v\nafter %+v", a, b)
	}
	want := map[string]string{"breach_notification": Meets, "liability_cap": Meets, "governing_law": Deviates, "audit_rights": Missing}
	for _, c := range a {
		if w, ok := want[c.Term]; ok && c.Status != w {
			t.Errorf("%s: %s (%s), want %s", c.Term, c.Status, c.Actual, w)
		}
	}
}

func TestDefault(t *testing.T) {
	p := Default()
	if len(p.Rules) < 10 {
		t.Fatalf("default playbook has %d rules", len(p.Rules))
	}
	// the defaults
	has := func(term, check string, ok func(Rule) bool) {
		for _, r := range p.Rules {
			if r.Term == term && r.Check == check && ok(r) {
				return
			}
		}
		t.Errorf("default playbook lacks %s %s as specified", term, check)
	}
	has("breach_notification", "max_duration", func(r Rule) bool { return r.Duration["hours"] == 72 })
	has("audit_rights", "required", func(r Rule) bool { return slices.Equal(r.Tiers, []int{1, 2}) })
	has("liability_cap", "min_cap", func(r Rule) bool { return r.Months == 12 })
	has("subprocessor_changes", "min_notice_with_objection", func(r Rule) bool { return r.Duration["days"] == 30 })
	has("data_return_deletion", "max_duration", func(r Rule) bool { return r.Duration["days"] == 30 })
	// every term the extractor reads has a rule except the purely descriptive ones
	for _, k := range terms.Keys {
		if k == "auto_renewal" || k == "renewal_term" || k == "data_location" {
			continue
		}
		if !slices.ContainsFunc(p.Rules, func(r Rule) bool { return r.Term == k }) {
			t.Errorf("no default rule for %s", k)
		}
	}
}

func TestParseProblems(t *testing.T) {
	cases := []struct {
		name, body string
		fields     []string
	}{
		{"not json", `{"version":1,`, []string{""}},
		{"trailing data", `{"version":1,"rules":[]} {}`, []string{""}},
		{"unknown field", `{"version":1,"rules":[],"extra":1}`, []string{"extra"}},
		{"wrong type", `{"version":"1","rules":[]}`, []string{"version"}},
		{"huge number", `{"version":1e400,"rules":[]}`, []string{"version"}},
		{"wrong version", `{"version":2,"rules":[]}`, []string{"version"}},
		{"no rules", `{"version":1}`, []string{"rules"}},
		{"bad term and check", `{"version":1,"rules":[{"term":"<script>","check":"DROP TABLE","severity":"high","description":"x"}]}`,
			[]string{"rules[0].term", "rules[0].check"}},
		{"check not for term", `{"version":1,"rules":[{"term":"governing_law","check":"min_percent","percent":99,"severity":"high","description":"x"}]}`,
			[]string{"rules[0].check"}},
		{"duration units", `{"version":1,"rules":[{"term":"breach_notification","check":"max_duration","duration":{"hours":72,"days":3},"severity":"high","description":"x"},` +
			`{"term":"cure_period","check":"min_duration","duration":{"fortnights":2},"severity":"high","description":"x"},` +
			`{"term":"data_return_deletion","check":"max_duration","duration":{"days":-1},"severity":"high","description":"x"},` +
			`{"term":"confidentiality_survival","check":"min_duration","severity":"high","description":"x"}]}`,
			[]string{"rules[0].duration", "rules[1].duration", "rules[2].duration", "rules[3].duration"}},
		{"field not used", `{"version":1,"rules":[{"term":"audit_rights","check":"required","percent":5,"severity":"high","description":"x"}]}`,
			[]string{"rules[0].percent"}},
		{"amounts", `{"version":1,"rules":[{"term":"insurance","check":"min_amount","amount":-5,"currency":"dollars","severity":"high","description":"x"}]}`,
			[]string{"rules[0].amount", "rules[0].currency"}},
		{"percent, tiers, severity, description", `{"version":1,"rules":[{"term":"sla_uptime","check":"min_percent","percent":101,"tiers":[0,11],"severity":"urgent","description":"  "}]}`,
			[]string{"rules[0].percent", "rules[0].tiers[0]", "rules[0].tiers[1]", "rules[0].severity", "rules[0].description"}},
		{"duplicate rule", `{"version":1,"rules":[{"term":"audit_rights","check":"required","severity":"high","description":"x"},{"term":"audit_rights","check":"required","severity":"low","description":"y"}]}`,
			[]string{"rules[1].check"}},
		{"values", `{"version":1,"rules":[{"term":"governing_law","check":"one_of","values":["Delaware",""],"severity":"high","description":"x"},{"term":"data_location","check":"one_of","values":[],"severity":"high","description":"x"}]}`,
			[]string{"rules[0].values[1]", "rules[1].values"}},
		{"months", `{"version":1,"rules":[{"term":"liability_cap","check":"min_cap","months":0,"severity":"high","description":"x"}]}`,
			[]string{"rules[0].months"}},
		{"long description", `{"version":1,"rules":[{"term":"audit_rights","check":"required","severity":"high","description":"` + strings.Repeat("a", 301) + `"}]}`,
			[]string{"rules[0].description"}},
		{"invalid utf-8", "{\"version\":1,\"rules\":[{\"term\":\"audit_rights\",\"check\":\"required\",\"severity\":\"high\",\"description\":\"\xff\"}]}", []string{""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.body))
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("got %v, want Problems", err)
			}
			var fields []string
			for _, p := range ps {
				fields = append(fields, p.Field)
				if p.Message == "" {
					t.Errorf("%s: empty message", p.Field)
				}
			}
			for _, f := range c.fields {
				if !slices.Contains(fields, f) {
					t.Errorf("no problem at %q; got %+v", f, ps)
				}
			}
			if len(fields) != len(c.fields) {
				t.Errorf("got problems at %q, want %q", fields, c.fields)
			}
		})
	}
	if _, err := Parse(make([]byte, MaxSize+1)); err == nil {
		t.Error("an oversized playbook was accepted")
	}
}

func TestParseRoundTrip(t *testing.T) {
	p := Default()
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	q, err := Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(q)
	if string(again) != string(raw) {
		t.Errorf("the playbook changed on a round trip:\n%s\n%s", raw, again)
	}
}

// TestEvaluateCorpusContract runs the default playbook over a contract
// from the extraction corpus, end to end.
func TestEvaluateCorpusContract(t *testing.T) {
	text := "Processor shall notify Controller within seventy-two (72) hours of a Personal Data Breach. " +
		"Processor shall inform Controller of any new sub-processor at least thirty (30) days in advance, and Controller may object. " +
		"Within thirty (30) days after termination, Processor shall delete all Personal Data. " +
		"Processor shall store Personal Data only in data centres located in the European Economic Area."
	checks := Evaluate(Default(), terms.Extract(text, nil), 3)
	status := map[string]string{}
	for _, c := range checks {
		status[c.Term+"/"+c.Status] = c.Actual
	}
	for _, want := range []string{"breach_notification/meets", "subprocessor_changes/meets", "data_return_deletion/meets",
		"transfer_mechanism/not_applicable", "audit_rights/not_applicable", "liability_cap/missing"} {
		if _, ok := status[want]; !ok {
			t.Errorf("no %s in %v", want, status)
		}
	}
}
