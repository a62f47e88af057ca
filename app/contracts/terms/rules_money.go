package terms

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	capVerbRe     = regexp.MustCompile(`exceed|limited to|limited(?: in the aggregate| in amount| in any event)?[^.;]{0,60}? to (?:the )?(?:greater|lesser) of|limited[^.;]{0,80}? to (?:any |the |an? )?(?:amount|sum|total) (?:it|of|that|which|actually|received|paid|equal)|liab[^.]{0,200}(?:equal to|be) the (?:lesser|greater) of|liab[^.]{0,80}in excess of|not be more than|capped at|maximum|in no event[^.]{0,160}(?:more|greater) than|(?:liable|liability|responsible) for no more than|shall not be liable for (?:any )?amounts? in excess`)
	uncappedRe    = regexp.MustCompile(`unlimited liability|liability[^.]{0,120}(?:is|shall be|will be) (?:unlimited|uncapped|without limit)|(?:uncapped|no (?:cap|limit|limitation) (?:on|of|to))[^.]{0,40}liability|liability[^.]{0,40}(?:is|shall|will) not be (?:limited|capped)|shall not be subject to any (?:cap|limit)`)
	feesRe        = regexp.MustCompile(`(?:fees?|amounts?|charges|sums|money|monies|subscription fees|price|payments?|remuneration|compensation|consideration|revenues?|proceeds)[^.]{0,60}?(?:paid|payable|received|invoiced|charged|earned|pays|receives|made|collected)|(?:monthly|annual|yearly|quarterly) (?:fees?|charges?|price|remuneration)\b|(?:value|cost|price) of the (?:products?|services?|goods|order|engagement|professional services|deliverables)\b`)
	multipleRe    = regexp.MustCompile(`\b(one|two|three|four|five|\d+(?:\.\d+)?)\s?(?:\(\d+(?:\.\d+)?\)\s?)?(?:times|x)\b|\b(twice|double|triple)\b|\b(\d{2,3})\s?(?:%|percent)\)?\s?of (?:the )?(?:total |aggregate )?(?:fees|amounts|charges)`)
	yearOnlyRe    = regexp.MustCompile(`(?:preceding|prior|previous|last|past|then-current|current|that|the same|such) (?:contract |contractual |calendar |subscription |fiscal )?year`)
	specificCapRe = regexp.MustCompile(`liability (?:for|arising (?:from|out of)|in respect of|with respect to) (?:any )?(?:breach of (?:section|clause|its|the)|data|security|confidential|indemnif|section|clause|the obligations)`)
)

var (
	// an item of a list that follows "liable for no more than:"
	capItemRe = regexp.MustCompile(`^\(?(?:[a-h]|[ivx]{1,4}|\d{1,2})[.)] `)
	// "twenty four (24) times the monthly fee"
	bracketTimesRe = regexp.MustCompile(`\((\d+(?:\.\d+)?)\)\s?times\b`)
	contribRe      = regexp.MustCompile(`contribut`)
	// a redaction mark of a filed contract: "[***]", "[* * *]", "[*****]",
	// "****", "[...***...]"
	redactedRe = regexp.MustCompile(`\[[^\]a-z0-9]{0,12}\*[^\]a-z0-9]{0,12}\]|\*{3,}`)
	// a party's liability, not liabilities as a kind of debt
	partyLiabilityRe   = regexp.MustCompile(`\bliable\b|liability (?:of|under|to|hereunder|arising|for all|for any|shall|will|with respect|in connection)|'s (?:[a-z]+ ){0,2}liability|liability cap`)
	otherLiabilitiesRe = regexp.MustCompile(`(?:securing|obligations or|indebtedness or) liabilities|liabilities in (?:an|the) aggregate amount`)
)

// insuranceLimitRe: an insurance policy's limit or a contribution share
// is no cap on liability.
var insuranceLimitRe = regexp.MustCompile(`insurance[^.]{0,80}per occurrence|liability insurance (?:of|with)\b|(?:limits?|coverage) of not less than`)

func liabilityCap(v *view) finding {
	var f finding
	for i, st := range v.sents {
		if st.isHeading || st.note {
			continue
		}
		s := st.text
		if !has(s, "liab", "indemnif") {
			continue
		}
		if insuranceLimitRe.MatchString(s) || isDefinition(s) || contributionShare(s) {
			continue // an insurance limit, a contribution share, a definition
		}
		if uncappedRe.MatchString(s) {
			f.add("Uncapped", map[string]any{"kind": "uncapped"}, 0.8, i)
			continue
		}
		label := fieldLabel(s)
		if !capVerbRe.MatchString(s) && !has(label, "liability cap", "cap on liability", "limitation of liability", "liability limit") {
			continue
		}
		// the subject is read from the words just before "liab": "the
		// Customer is entitled to claim damages from IBM ..., IBM is liable"
		if li := strings.Index(s, "liab"); li >= 0 && v.subjectIn(s[max(0, li-40):li]) == customerSide && !has(s, "each party", "either party", "party's") {
			continue // only the customer's liability is capped
		}
		conf := 0.85
		if specificCapRe.MatchString(s) {
			conf = 0.6 // a separate cap for particular claims
		}
		sents := []int{i}
		if strings.HasSuffix(strings.TrimSpace(s), ":") {
			// "IBM is liable for no more than:" and the amounts in the
			// items that follow: "a. ...; b. ...; c. ... up to the greater
			// of $100,000 or the charges paid ..."
			for k := i + 1; k < len(v.sents) && k <= i+4 && capItemRe.MatchString(v.sents[k].text); k++ {
				s += " " + v.sents[k].text
				sents = append(sents, k)
			}
		}
		fees := feesRe.FindStringIndex(s)
		ms := amounts(s)
		useFees := fees != nil && (len(ms) == 0 || strings.Contains(s, "greater of") || !strings.Contains(s, "lesser of"))
		if useFees {
			mult := 1.0
			if m := bracketTimesRe.FindStringSubmatch(s); m != nil {
				// "twenty four (24) times": the figure in brackets is the number
				mult, _ = strconv.ParseFloat(m[1], 64)
			} else if m := multipleRe.FindStringSubmatch(s); m != nil {
				switch {
				case m[2] == "twice" || m[2] == "double":
					mult = 2
				case m[2] == "triple":
					mult = 3
				case m[3] != "":
					p, _ := strconv.ParseFloat(m[3], 64)
					mult = p / 100
				case m[1] != "":
					if n, ok := numberWords[m[1]]; ok {
						mult = n
					} else if p, err := strconv.ParseFloat(m[1], 64); err == nil {
						mult = p
					}
				}
			}
			n := map[string]any{"kind": "fees_multiple", "multiple": num(mult)}
			months := 0.0
			ds, _ := valued(durations(s), "months", "years")
			for _, d := range ds {
				months = d.n
				if d.unit == "years" {
					months = d.n * 12
				}
				break
			}
			if months == 0 && yearOnlyRe.MatchString(s[fees[0]:]) {
				months = 12
			}
			val := strconv.FormatFloat(mult, 'f', -1, 64) + "x fees paid"
			if months > 0 {
				n["months"] = num(months)
				val += " in the " + strconv.FormatFloat(months, 'f', -1, 64) + " months before the claim"
			}
			f.add(val, n, conf, sents...)
			continue
		}
		if len(ms) > 0 {
			m := ms[0]
			if strings.Contains(s, "greater of") {
				for _, x := range ms {
					if x.amount > m.amount {
						m = x
					}
				}
			}
			f.add(m.String(), map[string]any{"kind": "fixed", "amount": num(m.amount), "currency": m.currency}, conf, sents...)
			continue
		}
		if c := capVerbRe.FindStringIndex(s); c != nil && redactedRe.MatchString(s[c[0]:]) && partyLiabilityRe.MatchString(s) && !otherLiabilitiesRe.MatchString(s) {
			// "shall not exceed [***]": a cap whose amount the filed copy
			// withholds is still a cap; unlike a template's blank it was
			// agreed. The amount is unknown, so a playbook check cannot
			// pass it.
			f.add("Capped (amount redacted)", map[string]any{"kind": "redacted"}, 0.6, sents...)
			continue
		}
		if strings.Contains(s, "liability") && has(s, "aggregate", "total") {
			f.mention(i, strings.Contains(s, "[") || strings.Contains(s, "__") || strings.Contains(s, "{{"))
		}
	}
	return f
}

var uptimeRe = regexp.MustCompile(`uptime|availab|available|service level`)

func slaUptime(v *view) finding {
	var f finding
	tierBest, tierSent := 0.0, -1
	for i, st := range v.sents {
		if st.isHeading || st.note {
			continue
		}
		s := st.text
		if !has(s, "%", "percent") || !uptimeRe.MatchString(s) {
			continue
		}
		best := 0.0
		for _, p := range percents(s) {
			if p >= 90 && p < 100 && p > best {
				best = p
			}
		}
		if best == 0 {
			continue
		}
		if has(s, "credit") && has(s, "less than", "below", "< ", "falls short", "lower than") {
			// a line of the credit table: its top threshold is the
			// commitment when no sentence states one
			if best > tierBest {
				tierBest, tierSent = best, i
			}
			continue
		}
		f.add(pct(best), map[string]any{"percent": num(best)}, 0.9, i)
	}
	if len(f.cands) == 0 && tierSent >= 0 {
		f.add(pct(tierBest), map[string]any{"percent": num(tierBest)}, 0.6, tierSent)
	}
	return f
}

func pct(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) + "%" }

var (
	creditRe    = regexp.MustCompile(`service (?:level )?credits?|sla credits?|credits?[^.]{0,80}(?:uptime|availability|unavailab|downtime|outage|service level|monthly fees?|monthly subscription)|(?:uptime|availability|unavailab|outage|service level|downtime)[^.]{0,120}credit`)
	noCreditRe  = regexp.MustCompile(`no (?:service |sla )?credits?\b|(?:do|does|will|shall) not (?:offer|provide|give|grant|pay) (?:any )?(?:service |sla )?credits?|(?:service |sla )?credits (?:are|will|shall) not|not (?:be )?(?:entitled|eligible) to (?:any )?(?:service |sla )?credits|does not (?:offer|provide) (?:any )?(?:service |sla )?credits|without (?:any )?(?:service )?credits`)
	otherCredRe = regexp.MustCompile(`credit card|credit check|letter of credit|tax credit|credit rating|credit note|creditor|credit limit`)
)

func serviceCredits(v *view) finding {
	var f finding
	for i, st := range v.sents {
		if st.isHeading || st.note {
			continue
		}
		s := st.text
		if !strings.Contains(s, "credit") || otherCredRe.MatchString(s) && !strings.Contains(s, "service credit") {
			continue
		}
		if noCreditRe.MatchString(s) {
			val, n := yesNo(false)
			f.add(val, n, 0.8, i)
			continue
		}
		if !creditRe.MatchString(s) || isDefinition(s) && !has(s, "%", "percent") {
			continue
		}
		val, n := yesNo(true)
		f.add(val, n, 0.85, i)
	}
	return f
}

var (
	insureVerbRe = regexp.MustCompile(`\b(maintain|maintains|carry|carries|procure|obtain|keep|have in place|has in place|hold|holds|limits?|coverage|cover|insured)\b`)
	// a duty to carry insurance: "shall maintain", "agrees to procure and
	// keep", "must have in place", "shall be insured", "shall at its own
	// cost obtain"
	insureDutyRe = regexp.MustCompile(`\b(?:shall|will|must|agrees? to|required to|advised to|undertakes? to|covenants? to|obliged to|obligated to)(?:[ ,]+[a-z0-9'()-]+){0,20}?[ ,]+(?:maintain|carry|procure|obtain|keep|have|purchase|secure|take out|hold|provide|arrange|insure)\b|\b(?:shall|will|must) be (?:maintained|carried|procured|obtained|insured)\b`)
	insurWordRe  = regexp.MustCompile(`\binsur(?:ance|ed|er|ers|es|ing)?\b`)
	socialInsRe  = regexp.MustCompile(`(?:unemployment|employment|social|national|disability|health|workers'? compensation) insurance|insurance (?:contributions|premiums? withholding)|self[- ]insured|insurance (?:providers|carriers) (?:incurred|of the indemnified)|cost of pursuing any insurance|insurance or contracting programs|insurance (?:laws|regulations|commissioners?|information|center|company|companies|subsidiar(?:y|ies)|business)|as an? insurer`)
	// a duty that is no duty to insure: "shall have the right", "shall
	// indemnify, defend and hold harmless"
	notInsureDutyRe = regexp.MustCompile(`have the (?:right|option|sole|ability|meaning)|hold (?:\w+ )?harmless|keep (?:\w+ )?(?:confidential|informed)|maintain (?:links|records|the|its) `)
	noInsureRe      = regexp.MustCompile(`not (?:be )?(?:required|obliged|obligated) to (?:maintain|carry|procure|obtain)[^.]{0,30}insurance|no (?:specific )?insurance (?:obligations|requirements)`)
)

func insurance(v *view) finding {
	var f finding
	var best money
	var sents []int
	for i, st := range v.sents {
		if st.isHeading || st.note {
			continue
		}
		// social insurance, insurers as payers and "insurrections" are no
		// insurance a party carries
		s := st.text
		if strings.Contains(s, "insur") {
			s = socialInsRe.ReplaceAllString(s, " ")
		}
		inSection := strings.Contains(st.heading, "insurance")
		if !(strings.Contains(s, "insur") && insurWordRe.MatchString(s)) && !(inSection && len(amounts(s)) > 0) {
			continue
		}
		if st.isHeading || st.note {
			continue
		}
		if noInsureRe.MatchString(s) {
			val, n := yesNo(false)
			f.add(val, n, 0.75, i)
			continue
		}
		m := insureVerbRe.FindStringIndex(s)
		if m == nil {
			m = insureDutyRe.FindStringIndex(s) // "shall arrange product liability insurance"
		}
		if m == nil && !inSection {
			continue
		}
		if insureLeadRe.MatchString(s) {
			continue // "Should the Parties jointly agree to insure ...": a condition, no duty
		}
		if !inSection && !dutyToInsure(s) && !(m != nil && has(s[m[0]:m[1]], "hold", "maintain", "carr", "has in place") && insurWordRe.MatchString(s[m[1]:min(len(s), m[1]+100)]) && (v.actor(s, m[0]) == vendorSide || len(amounts(s)) > 0)) {
			// insurance named without a duty to carry it: a cost item,
			// a tax, a cap measured by insurance proceeds, a recital
			continue
		}
		if m != nil && v.actor(s, m[0]) == customerSide {
			continue // the customer's insurance
		}
		got := false
		for _, a := range amounts(s) {
			if a.amount > best.amount {
				best = a
			}
			got = true
		}
		if got || strings.Contains(s, "insurance") && m != nil {
			if len(sents) < maxEvidence && (got || len(sents) == 0) {
				sents = append(sents, i)
			}
		}
	}
	if best.amount > 0 {
		f.add(best.String()+" (largest policy limit)", map[string]any{"amount": num(best.amount), "currency": best.currency}, 0.8, sents...)
	} else if len(sents) > 0 {
		val, n := yesNo(true)
		f.add(val+", no amount stated", n, 0.6, sents...)
	}
	return f
}

var (
	surviveRe    = regexp.MustCompile(`surviv|continue|\b(?:ends|expires?|lasts?|terminates)\b|during (?:the term|this agreement|this contract|the agreement|the contract)[^.]{0,40} and for|remain (?:in (?:full )?(?:force|effect)|bound)|for a period of|period of confidentiality|(?:following|after|from) (?:the )?(?:date of )?(?:disclosure|termination|expiration|expiry)`)
	indefiniteRe = regexp.MustCompile(`indefinitely|in perpetuity|perpetual|for so long as[^.]{0,80}(?:confidential|trade secret)|without (?:limit of time|time limit)`)
)

func confidentialitySurvival(v *view) finding {
	var f finding
	for i, st := range v.sents {
		if st.isHeading || st.note {
			continue
		}
		s := st.text
		if !(strings.Contains(s, "confidential") || has(st.heading, "confidential", "non-disclosure")) || st.isHeading {
			continue
		}
		m := surviveRe.FindStringIndex(s)
		if m == nil {
			continue
		}
		ds, blank := valued(durations(s), "years", "months")
		if len(ds) > 0 {
			d, _ := nearest(ds, m[0], "years", "months")
			f.add(d.String(), d.normalized(), 0.85, i)
			continue
		}
		if indefiniteRe.MatchString(s) {
			conf := 0.75
			if has(s, "trade secret") {
				conf = 0.5 // trade secrets usually sit beside a term in years
			}
			f.add("Indefinitely", map[string]any{"indefinite": true}, conf, i)
			continue
		}
		if blank {
			f.mention(i, true)
		}
	}
	return f
}

// contributionShare: a limit on what a party must contribute towards
// another's losses (securities underwriting) is no cap on its liability.
func contributionShare(s string) bool {
	return contribRe.MatchString(s) && !has(s, "liable", "liability of", "liability shall", "liability under", "aggregate liability", "total liability")
}

var insureLeadRe = regexp.MustCompile(`^(?:\(?[a-z0-9]{1,3}[.)] )?(?:should|if|in the event|where)\b`)

// dutyToInsure: a duty verb ("shall ... carry and maintain", "agrees
// that it shall: ... (ii) carry") whose object is insurance, named within
// a short distance after it, or before it in the passive ("insurance
// shall be maintained").
func dutyToInsure(s string) bool {
	for _, d := range insureDutyRe.FindAllStringIndex(s, -1) {
		if notInsureDutyRe.MatchString(s[d[0]:min(len(s), d[1]+12)]) {
			continue
		}
		if insurWordRe.MatchString(s[d[1]:min(len(s), d[1]+150)]) || insurWordRe.MatchString(s[max(0, d[0]-60):d[0]]) {
			return true
		}
	}
	for _, d := range listDutyRe.FindAllStringIndex(s, -1) {
		if insurWordRe.MatchString(s[d[1]:min(len(s), d[1]+100)]) {
			return true
		}
	}
	return false
}

// listDutyRe: the duty's verb in an item of a list ("The Company agrees
// that it shall: (i) comply ...; (ii) carry reasonable amounts of
// insurance").
var listDutyRe = regexp.MustCompile(`\b(?:shall|will|must|agrees? to)\b[^.]{0,200}?\((?:[a-z]|[ivx]{1,4}|\d{1,2})\) (?:carry|maintain|procure|obtain|keep|have|purchase|secure|take out|provide|arrange)\b`)
