package terms

import (
	"regexp"
	"slices"
	"strings"
)

// rules holds one function per key; each reads the whole view and says
// what it found.
var rules = map[string]func(*view) finding{
	"governing_law":               governingLaw,
	"auto_renewal":                autoRenewal,
	"renewal_term":                renewalTerm,
	"non_renewal_notice":          nonRenewalNotice,
	"termination_for_convenience": terminationForConvenience,
	"cure_period":                 curePeriod,
	"data_return_deletion":        dataReturnDeletion,
	"breach_notification":         breachNotification,
	"audit_rights":                auditRights,
	"subprocessor_changes":        subprocessorChanges,
	"data_location":               dataLocation,
	"transfer_mechanism":          transferMechanism,
	"liability_cap":               liabilityCap,
	"sla_uptime":                  slaUptime,
	"service_credits":             serviceCredits,
	"insurance":                   insurance,
	"confidentiality_survival":    confidentialitySurvival,
}

var fieldRe = regexp.MustCompile(`^([a-z][a-z /&()'-]{1,40}?)(?::| ?\.{3,}) `)

// fieldLabel is the label of a "Label: value" line ("breach
// notification" in "Breach notification: within 24 hours"), or "".
func fieldLabel(s string) string {
	if m := fieldRe.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

// has reports whether s contains any of the words.
func has(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func yesNo(b bool) (string, map[string]any) {
	if b {
		return "Yes", map[string]any{"present": true}
	}
	return "No", map[string]any{"present": false}
}

var definitionRe = regexp.MustCompile(`^(?:\(?[a-z0-9]{1,4}(?:\.\d{1,3})*[.)]? )?"[^"]{1,80}" (?:means|shall mean|has the meaning|refers to|includes)\b|^(?:\(?[a-z0-9]{1,4}[.)] )?[a-z][a-z -]{1,60} (?:means|shall mean) (?:the|any|all|a|an)\b`)

// isDefinition: a definition names a term, it does not commit to it
// ("“Standard Contractual Clauses” means ...").
func isDefinition(s string) bool { return definitionRe.MatchString(s) }

// negatedBefore looks for a negation in the few words before pos.
func negatedBefore(s string, pos, window int) bool {
	pre := " " + s[max(0, pos-window):pos]
	return has(pre, " not ", " no ", " never ", "n't ", " neither ", " nor ", " without ", " cannot ")
}

// nearest returns the duration closest to pos among ds, preferring those
// after pos when equally close, and only units in allowed.
func nearest(ds []duration, pos int, allowed ...string) (duration, bool) {
	best, bestDist, ok := duration{}, 1<<30, false
	for _, d := range ds {
		if !contains(allowed, d.unit) {
			continue
		}
		// a period usually follows its verb ("delete it within 60 days"),
		// so one before the verb counts as twice as far
		dist := d.pos - pos
		if dist < 0 {
			dist = 2 * (pos - d.end)
		}
		if dist < bestDist {
			best, bestDist, ok = d, dist, true
		}
	}
	return best, ok
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// valued splits durations into readable ones and whether a blank was seen.
func valued(ds []duration, units ...string) ([]duration, bool) {
	var out []duration
	blank := false
	for _, d := range ds {
		if !contains(units, d.unit) {
			continue
		}
		if d.blank {
			blank = true
			continue
		}
		out = append(out, d)
	}
	return out, blank
}

var (
	autoRenewRe = regexp.MustCompile(`automatic(?:ally)?(?: be)? (?:renew|extend|continue)|continu(?:e|es|ed) automatically|tacit(?:ly)?(?: be)? (?:renew|extend)|(?:renew|extend)(?:s|ed)? tacitly|rolls? over|renews? (?:at the end of each|each|every) (?:billing |contract |subscription )?(?:year|month|term|period)|renew(?:s|ed)?(?: itself)? automatically|extended automatically|auto-?renew|(?:renew|extend)(?:s|ed)?(?: itself)? for (?:successive|additional|further|consecutive|subsequent|another|an additional|a further)|successive renewal|(?:shall|will) (?:thereafter )?(?:renew|be renewed|continue) (?:from year to year|year to year|for (?:a|an|one) (?:further|additional))` +
		// evergreen: "continue thereafter until terminated by either party on 30 days' notice",
		// "continue on a month to month basis", "automatic annual renewals", "extend automatically"
		`|(?:continue|remain)[^.;]{0,60}(?:thereafter|after that|indefinitely)[^.;]{0,40}until (?:terminated|cancell?ed)|thereafter,? [^.;]{0,40}(?:continue|remain)[^.;]{0,40}until (?:terminated|cancell?ed)|(?:continue|remain|renew)[^.;]{0,40}(?:on a |from )(?:month|year)[- ]to[- ](?:month|year)|on a rolling basis|automatic (?:[a-z0-9()-]+ ){0,3}(?:renewals?|extensions?)\b|(?:renew|extend)s? automatically|(?:continue|remain)s? in (?:full )?(?:force|effect) until terminated by (?:either|any|each) party (?:upon|on|by giving|with)\b`)
	// rarer wordings, tried only when their key word is there: "is
	// evergreen", "on an evergreen basis" (not a product called
	// Evergreen); "unless a Notice of non-renewal is given"
	evergreenRe      = regexp.MustCompile(`\b(?:is|be|on an?|an?) evergreen\b|evergreen (?:basis|term|renewal|clause|provision)`)
	unlessNonRenewRe = regexp.MustCompile(`unless [^.;]{0,40}notice of non-?renewal`)
	noRenewRe        = regexp.MustCompile(`(?:not|no|never|n't)(?: be)? (?:automatic(?:ally)?|auto-?)(?: be)? ?(?:renew|extend)|(?:not|no|never|n't) (?:renew|be renewed|extend|be extended) automatically|renew(?:al|ed)? (?:only )?(?:by|upon|requires|with) (?:the )?mutual (?:written )?(?:agreement|consent)|(?:renew|extend)(?:ed)? only (?:by|upon|with|if)|no automatic (?:renewal|extension)|will (?:simply )?expire at the end of|does not renew|auto-?renew(?:al|s)?:? (?:no|none|n/a)\b`)
)

var (
	// a renewal both parties must agree to: "may be renewed for successive
	// one (1) year terms pursuant to mutual written agreement"
	// a continuance that needs an approval each year (funds' advisory
	// agreements): "shall continue ... only if such continuation shall be
	// specifically approved at least annually by the Board"
	approvalRenewRe = regexp.MustCompile(`(?:continu|renew)[a-z]*[^.;]*?(?:only if|provided|so long as) (?:that )?(?:such )?(?:continu|renew)[a-z]* (?:is|shall be|are) (?:specifically )?approved`)
	mutualRenewRe   = regexp.MustCompile(`(?:may|can) be (?:renewed|extended)[^.;]{0,80}(?:mutual|by agreement of|written agreement of|agreed)|(?:renew|extend)[a-z]*(?: for [^.;,]{0,60})? (?:pursuant to|by|upon|with|subject to) (?:the )?mutual`)
	// said to happen automatically, whatever else the sentence allows
	explicitAutoRe = regexp.MustCompile(`automatic(?:ally)?(?: be)? (?:renew|extend|continue)|continu(?:e|es|ed) automatically|renew(?:s|ed)? automatically`)
)

func approvalRenewed(s string) bool {
	return strings.Contains(s, "approved") && approvalRenewRe.MatchString(s)
}

func mutualRenewed(s string) bool {
	return has(s, "mutual", "agree") && mutualRenewRe.MatchString(s)
}

// autoRenewAt is where autoRenewRe matches sentence i, or nil; several
// rules ask, so the answer is kept.
func (v *view) autoRenewAt(i int) []int {
	if v.renewAt == nil {
		v.renewAt = make([][]int, len(v.sents))
		v.renewDone = make([]bool, len(v.sents))
	}
	if !v.renewDone[i] {
		v.renewDone[i] = true
		s := v.sents[i].text
		if has(s, "renew", "extend", "extension", "continu", "roll", "tacit", "remain", "automatic") {
			v.renewAt[i] = autoRenewRe.FindStringIndex(s)
		}
		if v.renewAt[i] == nil && strings.Contains(s, "evergreen") {
			v.renewAt[i] = evergreenRe.FindStringIndex(s)
		}
		if v.renewAt[i] == nil && strings.Contains(s, "renewal") && strings.Contains(s, "unless") {
			v.renewAt[i] = unlessNonRenewRe.FindStringIndex(s)
		}
	}
	return v.renewAt[i]
}

// deadlineRe: "shall automatically be extended by the number of days",
// "for a period equal to the delay".
var deadlineRe = regexp.MustCompile(`^[a-z ]{0,40}(?:extended|extend) (?:by (?:the|a|an|such)\b|for a period equal|until \d|pursuant to (?:section|clause|paragraph))`)

func autoRenewal(v *view) finding {
	var f finding
	for i, st := range v.sents {
		if st.isHeading || st.note {
			continue
		}
		s := st.text
		if !has(s, "renew", "evergreen", "extend", "extension", "continu", "roll", "tacit", "remain") {
			continue
		}
		if label := fieldLabel(s); strings.Contains(label, "renew") {
			// "Automatic renewal ....... no"
			switch value := strings.Trim(s[len(label):], " .:"); {
			case value == "no" || strings.HasPrefix(value, "no ") || strings.HasPrefix(value, "none") || strings.HasPrefix(value, "n/a"):
				val, n := yesNo(false)
				f.add(val, n, 0.8, i)
				continue
			case value == "yes" || strings.HasPrefix(value, "yes "):
				val, n := yesNo(true)
				f.add(val, n, 0.8, i)
				continue
			}
		}
		if noRenewRe.MatchString(s) || approvalRenewed(s) || mutualRenewed(s) && !explicitAutoRe.MatchString(s) {
			val, n := yesNo(false)
			f.add(val, n, 0.85, i)
			continue
		}
		if m := v.autoRenewAt(i); m != nil {
			if deadlineRe.MatchString(s[m[0]:]) || strings.Contains(s, "force majeure") {
				continue // a deadline moved by a delay, not the contract renewing
			}
			if negatedBefore(s, m[0], 20) {
				val, n := yesNo(false)
				f.add(val, n, 0.8, i)
				continue
			}
			val, n := yesNo(true)
			f.add(val, n, 0.9, i)
		}
	}
	return f
}

// optionRenewRe: a party may choose to renew ("shall have the option to
// renew", "may, at its option, renew", "may be renewed for one additional
// year").
var optionRenewRe = regexp.MustCompile(`(?:option|right|opportunity) to (?:renew|extend)|\b(?:may|can)(?:,? at (?:its|their) (?:sole )?option,?)? (?:be )?(?:renew|extend)|renewable`)

var renewWordRe = regexp.MustCompile(`\b(?:renew(?:s|ed|al)?|extend(?:s|ed)?|extension|successive|consecutive|continu(?:e|es|ed) automatically)\b`)

func renewalTerm(v *view) finding {
	var f finding
	for i, st := range v.sents {
		if st.isHeading || st.note {
			continue
		}
		s := st.text
		if !has(s, "renew", "exten", "successive", "consecutive", "continu") {
			continue
		}
		m := renewWordRe.FindStringIndex(s)
		if m == nil || strings.Contains(s, "upon renewal") && v.autoRenewAt(i) == nil {
			continue
		}
		if v.autoRenewAt(i) == nil && !has(s, "renewal term", "renewal period", "renewed for", "extended for", "renew for", "renewal shall be for") {
			continue
		}
		if noRenewRe.MatchString(s) || approvalRenewed(s) || (optionRenewRe.MatchString(s) || mutualRenewed(s)) && !explicitAutoRe.MatchString(s) {
			continue // an option to renew, or a renewal both must agree to, has no renewal term of its own
		}
		ds, blank := valued(durations(s[m[0]:]), "months", "years")
		var pick *duration
		for k := range ds {
			before := s[max(0, m[0]+ds[k].pos-25) : m[0]+ds[k].pos]
			if strings.Contains(before, "initial") {
				continue
			}
			if strings.Contains(s[m[0]+ds[k].end:min(len(s), m[0]+ds[k].end+30)], "prior to") ||
				strings.Contains(s[m[0]+ds[k].end:min(len(s), m[0]+ds[k].end+30)], "before") {
				continue // a notice period, not the renewal length
			}
			pick = &ds[k]
			break
		}
		if pick == nil {
			if blank || has(s, "renewal term", "successive") {
				f.mention(i, blank)
			}
			continue
		}
		conf := 0.85
		if v.autoRenewAt(i) == nil {
			conf = 0.7
		}
		f.add(pick.String(), pick.normalized(), conf, i)
	}
	return f
}

var nonRenewRe = regexp.MustCompile(`non-?renewal|\bunless\b[^.]{0,140}(?:before|prior to|in advance|no later than|not later than|ahead of)|unless (?:it is |this agreement is |the agreement is )?(?:terminated|cancell?ed)|unless [a-z' ]{0,30}?(?:terminates|cancels|ends) (?:it|this|the)|(?:unless|if|until) [a-z' ]{0,30}?(?:gives|provides|notifies|delivers|serves|sends|tells|informs|is given|is provided|is delivered|is sent|is served)|(?:stop|prevent|avoid|block|cancel) (?:the |any |an? )?(?:automatic )?(?:renewal|extension)|not to renew|intent(?:ion)? not to|elects? not to (?:renew|extend)|(?:would|does|do) not (?:like|wish|want) to (?:renew|extend)|prevent (?:the )?(?:automatic )?(?:renewal|extension)|(?:unless|if) (?:either|a|one|the) party (?:gives|provides|notifies|delivers|serves|sends)|(?:cancel|terminate)[a-z]*[^.]{0,80}(?:renewal|end of the (?:then[- ]current|current|initial|applicable) (?:term|subscription|period))|opt(?:s)? out of (?:the )?(?:automatic )?renewal|until terminated`)

// notAboutContractRe: an insurance policy's cancellation or non-renewal,
// or a proposal for renewal terms, is no notice to stop the contract
// renewing.
var notAboutContractRe = regexp.MustCompile(`insur|\bpolic(?:y|ies)\b|proposal|renewal notice`)

func nonRenewalNotice(v *view) finding {
	var f finding
	pending := -10  // a sentence about non-renewal that gave no period
	renewing := -10 // the last sentence that renews the contract
	for i, st := range v.sents {
		if st.isHeading || st.note {
			continue
		}
		s := st.text
		if i-renewing == 1 && renewAfterRe.MatchString(s) && !causeRe.MatchString(otherThanBreachRe.ReplaceAllString(s, "")) && !notAboutContractRe.MatchString(s) {
			// "This agreement will be automatically renewed ... A six (6)
			// months notice must be given by either party of their intention
			// to terminate relations"
			if d, ok := noticePeriod(s, true); ok {
				f.add(d.String(), d.normalized(), 0.7, renewing, i)
				continue
			}
		}
		if v.autoRenewAt(i) != nil {
			renewing = i
		}
		if i-pending <= 1 && strings.Contains(s, "notice") && !notAboutContractRe.MatchString(s) && !tfcLeadRe.MatchString(s) && !causeRe.MatchString(s) {
			// "... its intention not to renew. Such notice must be given
			// ninety (90) days prior to expiration."
			if d, ok := noticePeriod(s, false); ok {
				f.add(d.String(), d.normalized(), 0.75, pending, i)
				continue
			}
		}
		if !has(s, "renew", "cancel", "terminat", "extend", "continu", " end ") || !has(s, "notice", "notif", "writing", "written", "unless") {
			continue
		}
		renews := v.autoRenewAt(i) != nil
		if anyTimeAfterRe.MatchString(s) && !renews {
			continue // "at the end of the Initial Period or any time thereafter": a right to leave, not to stop a renewal
		}
		if !nonRenewRe.MatchString(s) || !has(s, "renew", "end of the", "expir", "extension") && !renews || notAboutContractRe.MatchString(s) {
			continue
		}
		// "may be terminated ... at the expiration of its term ... upon
		// thirty (30) days written notice": the notice's length is the period
		d, found := noticePeriod(s, renews || atTermEndRe.MatchString(s))
		if found {
			f.add(d.String(), d.normalized(), 0.85, i)
			continue
		}
		_, blank := valued(durations(s), "days", "business_days", "months", "weeks")
		if redactedRe.MatchString(s) && (renews || has(s, "renew", "extension", "extended")) && !causeRe.MatchString(s) {
			// "[***] prior to the end of the then-current Term": agreed,
			// but withheld from the filed copy
			f.add("Period redacted", map[string]any{"redacted": true}, 0.5, i)
			continue
		}
		f.mention(i, blank)
		pending = i
	}
	return f
}

var (
	// a termination that takes effect at the end of a term
	atTermEndRe    = regexp.MustCompile(`(?:at|upon|on|effective (?:on|at|as of)) (?:the )?(?:expiration|expiry|end|last day) of (?:its|the|this|any|each|such|a|then)[^.;]{0,20}(?:term|period)`)
	anyTimeAfterRe = regexp.MustCompile(`or (?:at )?any (?:time|date) thereafter`)
	// the sentence after a renewal that asks for notice to stop it
	renewAfterRe      = regexp.MustCompile(`notice[^.]{0,80}(?:intention|intent|wish|decision) (?:not to renew|to terminate|to end)|notice of (?:non-?renewal|termination) must`)
	otherThanBreachRe = regexp.MustCompile(`other than (?:a |for )?(?:material )?breach[^,.;]*`)
)

// noticePeriod is the period a "before"/"prior" follows most closely; in
// a sentence that renews the contract, also one said as the length of a
// notice ("unless either party gives 90 days' written notice", "upon
// written notice of at least 3 months").
func noticePeriod(s string, renews bool) (duration, bool) {
	ds, _ := valued(durations(s), "days", "business_days", "months", "weeks", "years")
	found, bestGap := false, 1<<30
	var pick duration
	for _, d := range ds {
		after := s[d.end:min(len(s), d.end+40)]
		gap := 1 << 30
		for _, w := range []string{"prior", "before", "in advance", "preceding", "ahead of"} {
			if k := strings.Index(after, w); k >= 0 && k < gap {
				gap = k
			}
		}
		before := s[max(0, d.pos-40):d.pos]
		if gap == 1<<30 && strings.Contains(before, "at least") {
			gap = 40
		}
		if gap == 1<<30 && renews {
			if k := strings.Index(after, "notice"); k >= 0 && k < 25 {
				gap = 41 + k
			} else if strings.Contains(before, "notice") {
				gap = 70
			}
		}
		if d.unit == "years" && gap > 40 {
			continue // "renew for successive one-year terms" is the renewal, not the notice
		}
		if strings.Contains(s[max(0, d.pos-25):d.pos], "initial") || strings.HasPrefix(after, " term") || strings.HasPrefix(after, " period") && gap > 40 {
			continue
		}
		if gap < bestGap {
			found, bestGap, pick = true, gap, d
		}
	}
	return pick, found
}

var (
	tfcRe = regexp.MustCompile(`(?:close|cancel) (?:your|its|the|their) (?:account|subscription)[^.]{0,40}(?:at any time|whenever|for any reason)|(?:end|cancel) (?:this|the) (?:agreement|contract|order form)[^.]{0,60}?(?:whenever|at any time|for any reason|for convenience|without cause)|terminat[a-z]*[^.]{0,160}?(?:for (?:its |their |its own )?convenience|for any reason or (?:for )?no reason|for any or no reason|for any reason|without cause|for non-cause|at will|at any time)|(?:for convenience|without cause|at any time)[^.]{0,60}terminat|(?:indefinite period|indefinite term)[^.]{0,60}(?:may|can) be (?:ended|terminated|cancell?ed) by`)
	// "neither party may terminate for convenience", "may only terminate for cause",
	// "may not be terminated by either Party at any time for its own convenience"
	tfcNoRe  = regexp.MustCompile(`(?:\b(?:neither party|no party|cannot|no right to|nor|only)\b[^.]{0,40}|\b(?:may|can|shall|will) not (?:[a-z]+ ){0,3}?)terminat[^.]{0,60}(?:for convenience|without cause|for any reason)|terminat[a-z]* only for cause|non-?cancell?able|may not be (?:cancell?ed|terminated) (?:for convenience|before|prior|during)|(?:may|shall|can) not be (?:cancell?ed|terminated)[^.;]{0,60}(?:for (?:its |their )?(?:own )?convenience|without cause)`)
	causeRe  = regexp.MustCompile(`\b(breach|insolven|bankrupt|fails? to|failure to|failed to|material|violat|default|change of control|winding up|force majeure|prevented|act of god|dissolution|liquidat|receiver|with cause|for cause|cured?\b|uncured)`)
	terminRe = regexp.MustCompile(`terminat|\bend\b|cancel`)
	// a right to end the contract, active or passive
	mayTerminateRe = regexp.MustCompile(`\b(?:may|can|right to|entitled to|is free to|are free to|option to|wish(?:es)? to|desires? to|elects? to|decides? to),?(?: [a-z0-9]+,?){0,12}? (?:terminat|end\b|cancel|close)|(?:may|can) be (?:ended|terminated|cancell?ed) by`)
	byEitherRe     = regexp.MustCompile(`(?:by|of) (?:either|each|any|one) (?:of the )?part(?:y|ies)|\b(?:either|each|any) party\b|\bboth parties\b|^(?:[^;:]{0,40} )?(?:either|each of) (?:the )?[a-z]+ (?:or|and) (?:the )?[a-z]+ (?:may|can|shall)`)
	neitherRe      = regexp.MustCompile(`\b(neither party|no party)\b`)

	// a right to end the contract on notice with no reason asked: "either
	// party may terminate this agreement by providing ninety days' written
	// notice", "this agreement may be terminated by licensee upon 180 days'
	// notice"
	noticeTermRe = regexp.MustCompile(`(?:(?:may|can|shall have the (?:absolute |sole |unilateral )?right to|has the right to|have the right to|is entitled to|reserves the right to),?(?: [a-z0-9,]+){0,12}? terminat(?:e|ion of) |(?:this|the) (?:agreement|contract|addendum)(?: [a-z]+){0,3}? (?:(?:may|can) (?:also |only |then )?be terminated|(?:shall|will) be terminable|(?:shall|will) terminate,? (?:\([a-z0-9]{1,3}\) )?at the option of (?:either|any|each) party))(?:[^.;:]|: \((?:i|a|1)\)){0,220}?(?:notice|notification)|(?:upon|on|by giving|with)[^.;:]{0,60}notice,? (?:[a-z]+ ){1,4}(?:may|can|shall have the right to) terminat(?:e|ion of) (?:this|the|such|its|any) [a-z]+`)
	// the object of "terminate" must be the contract, not a sub-agency,
	// a council or a purchase order line
	tfcObjectRe = regexp.MustCompile(`terminat(?:e|ion of|ed) (?:(?:this|the|such|its|any|their|all)(?: [a-z]+'s)? )?(?:[a-z-]+ ){0,2}?(?:agreement|contract|addendum|amendment|order|orders|order form|purchase orders?|work orders?|statement of work|scope of work|sow|subscription|account|licen[cs]e|arrangement|engagement|appointment|relationship|term|period|participation|project|plan|lease|alliance|collaboration|joint venture|partnership|employment)\b|(?:agreement|contract|addendum|licen[cs]e|arrangement|engagement|order|subscription|term|period|it)(?: [a-z]+){0,3}? (?:may|can|shall|will) (?:also |only |then |earlier |sooner )?(?:be (?:(?:earlier |sooner )?terminated|terminable|ended|cancell?ed)|terminate,? (?:\([a-z0-9]{1,3}\) )?at the option)|(?:close|cancel|end) (?:your|its|the|their|this) |terminat[a-z]* (?:for (?:its |their )?(?:own )?convenience|at any time|without cause|at will|for any reason)`)
	// the right depends on an event, refers elsewhere, or is a list's
	// introduction, or needs both parties' agreement
	tfcConditionRe = regexp.MustCompile(`\bif\b|\bin the event\b|\bupon the occurrence|\bfollowing events|as follows|in accordance with|pursuant to|\bmutual|by agreement|written agreement|by (?:the )?(?:written )?consent|consent of|agreement of the parties|\bunless\b|\bwhere\b|\bshould\b|in case of`)
	// a notice for the end of the term is a non-renewal notice
	tfcEndOfTermRe = regexp.MustCompile(`renew|(?:notice|days|months|weeks)\b[^.;]{0,20}(?:prior to|before|in advance of) (?:the )?(?:end|expir[a-z]+) of |(?:at|as of|effective|upon|on) (?:the )?(?:end|expir[a-z]+) of (?:the|its|this|any|such|each|a|then)|until terminated|continue[sd]?[^.]{0,60}until`)
	tocRe          = regexp.MustCompile(`\b\d{1,2}\.\d{1,2} [a-z][a-z ,'&-]{2,60} \d{1,3}\b`)
)

// isHeadingList: a table of contents run into one sentence ("7.6 Termination
// for Breach 51 7.7 Termination for Convenience by Customer 52") lists
// headings, it grants nothing.
func isHeadingList(s string) bool { return len(tocRe.FindAllStringIndex(s, 3)) >= 3 }

func terminationForConvenience(v *view) finding {
	var f finding
	intro := -100 // the last "may be terminated as follows:"
	for i, st := range v.sents {
		if st.isHeading || st.note {
			continue
		}
		if !has(st.text, "terminat", "terminab", "cancel", " end ", " ended ", " close ") && i-intro > 12 || isHeadingList(st.text) || isDefinition(st.text) {
			continue
		}
		for _, s := range listItems(st.text) {
			intro = v.tfcStatement(&f, s, i, intro)
		}
	}
	return f
}

// listItems cuts a sentence that runs lettered items together ("... upon
// Theismann's death. c. either party may ... d. Theismann shall have the
// right to terminate ...") into its items.
func listItems(s string) []string {
	cuts := itemBreakRe.FindAllStringIndex(s, -1)
	if len(cuts) == 0 {
		return []string{s}
	}
	var out []string
	from := 0
	for _, c := range cuts {
		out = append(out, s[from:c[0]+1])
		from = c[0] + 2
	}
	return append(out, s[from:])
}

var itemBreakRe = regexp.MustCompile(`\. (?:[a-h]|[ivx]{1,4})\. `)

// tfcStatement reads one statement for termination for convenience and
// returns the index of the last "may be terminated as follows:".
func (v *view) tfcStatement(f *finding, s string, i, intro int) int {
	// "unless sooner terminated", "without prejudice to X's right to
	// terminate for breach," set other rights aside; they make this one
	// neither conditional nor a termination for cause
	if has(s, "unless", "except as", "if not", "subject to", "without prejudice") {
		s = tfcAsideRe.ReplaceAllStringFunc(s, func(m string) string {
			if strings.HasSuffix(m, "as follows") {
				return m // "unless earlier terminated as follows:" introduces the rights
			}
			return strings.Repeat(" ", len(m))
		})
		s = strings.Join(strings.Fields(s), " ")
	}
	// "this will not constitute a termination without cause", "if the
	// Regulations do not apply to the termination" deny no right
	no := tfcDenial(s)
	if no == "other" {
		return intro // a denial about licences or orders says nothing of the contract, either way
	}
	if no != "" && !has(no, "constitut", "deem", "treat", "apply", "affect", "prejudice", "limit") && !(strings.HasPrefix(no, "non") && has(s, "order", "product", "purchase", "goods", "shipment")) || neitherRe.MatchString(s) && has(s, "for convenience") {
		// non-cancellable orders or goods say nothing of the contract itself
		val, n := yesNo(false)
		f.add(val, n, 0.8, i)
		return intro
	}
	if t, ok := noticeTermination(s); ok {
		who := v.tfcParty(s, t)
		conf := 0.75
		if has(s, "convenience", "any reason", "without cause", "no reason", "sole discretion") {
			conf = 0.85
		}
		f.add(tfcValue(who), tfcNormalized(who), conf, i)
		return intro
	}
	if who, ok := v.tfcAlternative(s); ok {
		f.add(tfcValue(who), tfcNormalized(who), 0.7, i)
		return intro
	}
	if who, ok := v.tfcDesire(s); ok {
		f.add(tfcValue(who), tfcNormalized(who), 0.7, i)
		return intro
	}
	if m := tfcIntroRe.FindStringIndex(s); m != nil {
		// the items may follow in the same sentence: "... as follows: (a)
		// by the Consultant giving not less than 3 months' notice; (b) ..."
		for _, it := range tfcInlineItemRe.FindAllStringSubmatchIndex(s[m[1]:], -1) {
			item := s[m[1]+it[2] : m[1]+it[3]]
			if causeRe.MatchString(item) || tfcConditionRe.MatchString(item) || tfcLeadRe.MatchString(item) {
				continue
			}
			who := "either"
			if a := itemAgentRe.FindStringSubmatch(item); a != nil {
				switch v.subjectIn(a[1]) {
				case vendorSide:
					who = "vendor"
				case customerSide:
					who = "customer"
				case unknown:
					who = ""
				}
			}
			f.add(tfcValue(who), tfcNormalized(who), 0.7, i)
			break
		}
		return i
	}
	if i-intro <= 12 && (tfcItemRe.MatchString(s) && !causeRe.MatchString(s) && !tfcConditionRe.MatchString(s) || freeItemIn(s, false)) {
		who := v.tfcParty(v.sents[intro].text, strings.Index(v.sents[intro].text, "terminat"))
		if strings.Contains(s, "party") {
			who = "either"
		}
		f.add(tfcValue(who), tfcNormalized(who), 0.7, i)
		return intro
	}
	m := tfcRe.FindStringIndex(s)
	if m == nil {
		return intro
	}
	phrase := s[m[0]:m[1]]
	if !strings.Contains(phrase, "convenience") && !mayTerminateRe.MatchString(s) {
		return intro // "upon termination for any reason, ..." describes an ending, it grants no right
	}
	explicit := has(s[m[0]:min(len(s), m[1]+120)], "convenience", "for any reason", "without cause", "for any or no reason", "at will", "non-cause", "sole discretion", "absolute discretion")
	if tfcLeadRe.MatchString(s[:m[1]]) {
		return intro // "if Tennessee terminates ...", "in the event this Agreement is terminated for any reason"
	}
	if !explicit && causeRe.MatchString(s) {
		return intro // "may terminate at any time if the other party breaches"
	}
	if !explicit && (tfcConditionRe.MatchString(s) || strings.HasSuffix(strings.TrimSpace(s), ":")) {
		return intro // "may terminate ... at any time as follows:", "by mutual consent"
	}
	if !explicit && has(s, "effect at the end of", "effective at the end of") || strings.Contains(s, "suspend") {
		// cancelling for the end of the term is not leaving early
		return intro
	}
	if !tfcObjectRe.MatchString(s) {
		return intro // ending a sub-agency or a council is not leaving the contract
	}
	t := terminRe.FindStringIndex(s)
	if t == nil {
		t = m
	}
	who := v.tfcParty(s, t[0])
	conf := 0.85
	if !explicit {
		conf = 0.7
	}
	f.add(tfcValue(who), tfcNormalized(who), conf, i)
	return intro
}

// noticeTermination finds a right to terminate on notice alone; it
// returns where "terminat" is. Alternatives after it ("; or (ii)
// immediately if the other party breaches") are other rights and do not
// make this one conditional; nor does an alternative before it ("by (a)
// the written agreement of the Parties or (b) by either Party upon 5
// days' notice").
func noticeTermination(s string) (int, bool) {
	m := noticeTermRe.FindStringIndex(s)
	if m == nil {
		return 0, false
	}
	end := m[1]
	rest := s[end:]
	cut := len(rest)
	for _, sep := range []string{";", ", or (", " or (", "(ii)", "(b)", ":"} {
		if k := strings.Index(rest, sep); k >= 0 && k < cut {
			cut = k
		}
	}
	if after := strings.TrimLeft(rest[cut:], " "); strings.HasPrefix(after, ":") || conditionAfterRe.MatchString(rest[:cut]) {
		return 0, false // "by giving written notice: (i) if the other party fails ..."
	}
	seg := s[:end+cut]
	from := 0
	for _, e := range enumRe.FindAllStringIndex(seg[:m[1]], -1) {
		from = e[0]
	}
	cond := seg[from:]
	if tfcLeadRe.MatchString(seg[:m[0]]) {
		return 0, false // "If the parties cannot agree, then either party may terminate ..."
	}
	if causeRe.MatchString(seg) || tfcConditionRe.MatchString(cond) || has(seg, "immediately", "not to terminate") || strings.Contains(s, "not to terminate") {
		return 0, false
	}
	if tfcEndOfTermRe.MatchString(seg) && !has(seg, "any time", "at any other time") || strings.Contains(seg, "renew") || strings.Contains(seg, "until terminated") {
		return 0, false // a notice for the end of the term is a non-renewal notice
	}
	if !tfcObjectRe.MatchString(seg) || has(seg, "effect at the end of", "effective at the end of", "suspend") {
		return 0, false
	}
	// a right that needs a notice period or a written notice, not a
	// notice "of breach"
	if len(durations(seg)) == 0 && !has(seg, "written notice", "prior notice", "notice in writing", "advance notice", "[") {
		return 0, false
	}
	return strings.Index(seg, "terminat"), true
}

var (
	// an event the right depends on, before the words that grant it
	tfcLeadRe        = regexp.MustCompile(`\bif\b|\bin the event\b|\bshould\b|\bupon the occurrence|\bin case of\b`)
	enumRe           = regexp.MustCompile(`\((?:[a-z]|[ivx]{1,4}|\d{1,2})\) `)
	conditionAfterRe = regexp.MustCompile(`^[^;:]{0,30}?\b(?:if|in the event|upon the occurrence|should|in case)\b`)
	// a list item under "may be terminated ... as follows:" that grants
	// a right on notice alone: "(d) By either party upon sixty (60) days
	// prior written notice", "(e) Without cause on seven days' notice"
	itemAgentRe     = regexp.MustCompile(`^by (?:the )?([a-z]+)`)
	tfcInlineItemRe = regexp.MustCompile(`\((?:[a-z]|[ivx]{1,4}|\d{1,2})\) ((?:by (?:either|any|each) party|by the [a-z]+(?: [a-z]+)?|at any time|without cause|for convenience)[^;:()]{0,80}?(?:notice|notification)[^;()]*)`)
	tfcItemRe       = regexp.MustCompile(`^(?:\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})[.)]|\d{1,2}(?:\.\d{1,2}){1,3}\.?) (?:by (?:either|any|each) party[a-z ]{0,10}|at any time|without cause|for convenience|for any reason)[^.;:]{0,160}?(?:notice|notification)`)
	tfcIntroRe      = regexp.MustCompile(`(?:may|can|right(?: \([a-z ]{1,40}\))? to) (?:be )?terminat[^.]{0,160}(?::$|as follows|the following\b|any of the following)|terminated as follows|right to terminate (?:this|the) (?:agreement|contract)[^.:;]{0,40}: \((?:a|i|1)\)`)
	// set-asides that belong to other rights
	tfcAsideRe = regexp.MustCompile(`(?:unless|except as|if not) (?:sooner|earlier|previously|otherwise) terminated(?: (?:as provided|in accordance with|pursuant to|under)[^,;]{0,60}| as follows)?|subject to (?:its |any )?(?:earlier|prior) termination(?: (?:as provided|in accordance with|pursuant to|under)[^,;]{0,60})?|without prejudice to [^,;]{0,300}?,`)
	// an item of a list of rights that asks no reason: "(y) at any time
	// upon sixty (60) days advance written notice", "(ii) upon sixty (60)
	// days' written notice by the Licensee", "2) without cause for any
	// reason or no reason"
	itemMarkRe   = regexp.MustCompile(`(?:^|[\s,;:])\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})\) |(?:^|[;:] (?:or |and )?)\d{1,2}(?:\.\d{1,2}){1,3}\.? `)
	tfcFreeRe    = regexp.MustCompile(`\bat any (?:other )?time\b|for any reason|for no reason|without cause|for (?:its |their )?(?:own )?convenience|\bat will\b`)
	bareNoticeRe = regexp.MustCompile(`^(?:by (?:either|any|each) party,? |by (?:the )?[a-z]+,? )?(?:at any (?:other )?time,? )?(?:upon|on|by giving|by providing|with|after giving|by serving)\b[^;]{0,80}?(?:notice|notification)`)
	tfcGrantRe   = regexp.MustCompile(`(?:may|can|shall have the (?:absolute |sole |unilateral )?right to|has the right to|have the right to|is entitled to|reserves the right to),?(?: [a-z0-9,]+){0,8}? terminat|(?:shall|will|may|can) (?:also |only |then )?be (?:terminable|earlier terminated|terminated)|termination by (?:either|any|each) party`)
	// "in the event that the Company desires to terminate the Agreement
	// ..., it shall provide AGI with at least 60 days prior written notice"
	tfcDesireRe = regexp.MustCompile(`(?:\bif|in the event(?: that)?|\bshould|\bwhere|\bwhen) (?:the )?[a-z0-9&.'-]+(?: [a-z0-9&.'-]+){0,2} (?:desires?|wish(?:es)?|wants?|elects?|decides?|chooses?) to terminate (?:this|the) (?:agreement|contract)`)
)

// tfcParty: who holds the right. A side named by its role is that side;
// "either party", "each of X and Y" or nobody named is either; a party
// the rules cannot place (two company names) is left open rather than
// guessed.
func (v *view) tfcParty(s string, t int) string {
	if byEitherRe.MatchString(s[:t]) {
		return "either"
	}
	switch v.actor(s, t) {
	case vendorSide:
		return "vendor"
	case customerSide:
		return "customer"
	case bothSides:
		return "either"
	}
	if byEitherRe.MatchString(s) {
		return "either"
	}
	if m := passiveAgentRe.FindStringSubmatch(s[t:]); m != nil {
		// "may be terminated at any time by the Board": the agent holds it
		switch v.subjectIn(m[1]) {
		case vendorSide:
			return "vendor"
		case customerSide:
			return "customer"
		case bothSides:
			return "either"
		}
		if !has(m[1], "giving", "providing", "notice", "written", "mutual", "agreement", "serving", "sending") {
			return ""
		}
	}
	if namedSubjectRe.MatchString(s[:t]) {
		return "" // "XFN may terminate": a party the rules cannot place
	}
	return "either"
}

// passiveAgentRe: the agent of "may be terminated ... by X".
var passiveAgentRe = regexp.MustCompile(`^terminated(?: [a-z,:()]+){0,16}? by ((?:the |a |an )?[a-z0-9&.'-]+(?: [a-z0-9&.'-]+)?)`)

// namedSubjectRe: a word before the modal that is no article or role
// ("eBix may", "Theismann shall have the right to").
var namedSubjectRe = regexp.MustCompile(`(?:^|[,;:] |\) )(?:[a-z0-9&.'-]+ ){0,3}?[a-z0-9&.'-]+ (?:may|can|shall|will|has|have|reserves|is entitled)\b`)

func tfcValue(who string) string {
	if who == "" {
		return "Yes"
	}
	return "Yes (" + who + ")"
}

func tfcNormalized(who string) map[string]any {
	if who == "" {
		return map[string]any{"present": true}
	}
	return map[string]any{"present": true, "party": who}
}

var cureRe = regexp.MustCompile(`\b(cure[sd]?|curing|uncured|remed(?:y|ied|ies)|rectif(?:y|ied|ies)|corrected|fixed|resolved|remediated|put (?:it |that |the (?:breach|default|failure) )?right|made good|make good)\b`)

func curePeriod(v *view) finding {
	var f finding
	for i, st := range v.sents {
		if st.isHeading || st.note {
			continue
		}
		s := st.text
		if !has(s, "breach", "break", "default", "fail") {
			continue
		}
		m := cureRe.FindStringIndex(s)
		if m == nil || !has(s, "breach", "break", "default", "failure", "fails", "failed", "violat") {
			continue
		}
		if has(s, "pay", "invoice", "undisputed", "fees") && !has(s, "material breach", "any breach", "breach of this", "breach of any") {
			continue // a payment grace period, not the general cure period
		}
		ds, blank := valued(durations(s), "days", "business_days", "weeks", "months")
		d, ok := nearest(ds, m[0], "days", "business_days", "weeks", "months")
		if !ok {
			f.mention(i, blank)
			continue
		}
		f.add(d.String(), d.normalized(), 0.85, i)
	}
	return f
}

// tfcDenial is tfcNoRe's match, looked for only where one of its key
// words is.
func tfcDenial(s string) string {
	if !has(s, "convenience", "without cause", "any reason", "only for cause", "cancel", "not be ") {
		return ""
	}
	m := tfcNoRe.FindStringIndex(s)
	if m == nil {
		return ""
	}
	if has(s[max(0, m[0]-80):m[0]], "licen", "order", "rights granted", "obligation", "provision", "section") {
		return "other" // "the licenses granted ... shall not terminate for any reason": not the contract
	}
	return s[m[0]:m[1]]
}

// itemTexts are the items of a list run into one sentence, each up to the
// next item or semicolon.
func itemTexts(s string) []string {
	var marks [][]int
	for _, m := range itemMarkRe.FindAllStringIndex(s, -1) {
		// "sixty (60) days" is a number, not an item
		if unitAfterRe.MatchString(s[m[1]:]) {
			continue
		}
		marks = append(marks, m)
	}
	var out []string
	for k, m := range marks {
		end := len(s)
		if k+1 < len(marks) {
			end = marks[k+1][0]
		}
		item := s[m[1]:end]
		if c := strings.IndexByte(item, ';'); c >= 0 {
			item = item[:c]
		}
		out = append(out, strings.TrimSpace(item))
	}
	return out
}

// freeItem: one item grants a right to end the contract with no reason
// asked, on notice.
func freeItem(item string, noticeElsewhere bool) bool {
	if causeRe.MatchString(item) || tfcConditionRe.MatchString(item) || has(item, "immediately", "not to terminate") {
		return false
	}
	if tfcEndOfTermRe.MatchString(item) && !has(item, "any time", "any other time") {
		return false // notice for the end of the term is a non-renewal notice
	}
	notice := has(item, "notice", "notification")
	if tfcFreeRe.MatchString(item) && (notice || noticeElsewhere) {
		return true
	}
	return bareNoticeRe.MatchString(item) && (len(durations(item)) > 0 || has(item, "written notice", "prior notice", "advance notice", "["))
}

// freeItemIn: some item of s (or s itself, a numbered item "13.1.3 By
// either party for any reason by providing ... notice") is free.
func freeItemIn(s string, noticeElsewhere bool) bool {
	for _, it := range itemTexts(s) {
		if freeItem(it, noticeElsewhere) {
			return true
		}
	}
	if m := numberedItemRe.FindStringIndex(s); m != nil {
		return freeItem(s[m[1]:], noticeElsewhere)
	}
	return false
}

var itemByRe = regexp.MustCompile(`\bby ((?:the |a |an )?[a-z0-9&.'-]+(?: [a-z0-9&.'-]+)?)`)

var unitAfterRe = regexp.MustCompile(`^(?:[a-z]+[ -])?(?:days?|weeks?|months?|years?|hours?|percent|%|calendar|business|working)\b`)

var numberedItemRe = regexp.MustCompile(`^\d{1,2}(?:\.\d{1,2}){1,3}\.? (?:by |at any time|for any reason|without cause|for convenience)`)

// tfcAlternative: a right to terminate the contract granted with a list
// of alternatives, one of which asks no reason: "Sekisui may terminate
// this Agreement upon prior written notice (a) if Company breaches, or (b)
// at any other time upon ninety (90) days' prior written notice".
func (v *view) tfcAlternative(s string) (string, bool) {
	items := itemTexts(s)
	if len(items) == 0 {
		return "", false
	}
	g := tfcGrantRe.FindStringIndex(s)
	if g == nil || tfcLeadRe.MatchString(s[:g[0]]) {
		return "", false
	}
	grant := s[g[0]:g[1]]
	if !tfcObjectRe.MatchString(s) && !(strings.HasPrefix(grant, "termination by") && strings.Contains(s[:g[0]], "agreement")) {
		return "", false
	}
	passive := strings.HasPrefix(grant, "termination by") || strings.Contains(grant, " be ")
	noticeElsewhere := has(s[g[0]:], "notice", "notification")
	var whos []string
	for _, it := range items {
		if freeItem(it, noticeElsewhere) {
			whos = append(whos, v.itemHolder(s, it, grant, g[0], passive))
		}
	}
	switch {
	case len(whos) == 0:
		return "", false
	case slices.Contains(whos, "vendor") && slices.Contains(whos, "customer"):
		return "either", true // each side has its own item
	}
	return whos[0], true
}

// itemHolder: who holds the right an item of a list grants.
func (v *view) itemHolder(s, it, grant string, g0 int, passive bool) string {
	if a := itemAgentRe.FindStringSubmatch(it); a != nil {
		switch v.subjectIn(a[1]) {
		case vendorSide:
			return "vendor"
		case customerSide:
			return "customer"
		}
	}
	if passive {
		// "(ii) upon sixty days' written notice by the Licensee"; nobody
		// named in a passive grant is either party
		if a := itemByRe.FindStringSubmatch(it); a != nil {
			switch v.subjectIn(a[1]) {
			case vendorSide:
				return "vendor"
			case customerSide:
				return "customer"
			case bothSides:
				return "either"
			}
			return ""
		}
		if strings.HasPrefix(grant, "termination by") {
			return v.tfcParty(s, g0)
		}
		return "either"
	}
	t := strings.Index(s, "terminat")
	if t < 0 {
		t = g0
	}
	return v.tfcParty(s, t)
}

// tfcDesire: "In the event that the Company desires to terminate the
// Agreement ..., it shall provide ... 60 days prior written notice": the
// party's wish is the only condition.
func (v *view) tfcDesire(s string) (string, bool) {
	if !has(s, "desire", "wish", "want", "elect", "decide", "choose") {
		return "", false
	}
	m := tfcDesireRe.FindStringIndex(s)
	if m == nil || !has(s, "notice", "notif") || causeRe.MatchString(s) || tfcEndOfTermRe.MatchString(s) || has(s, "immediately") {
		return "", false
	}
	if len(durations(s)) == 0 && !has(s, "written notice", "prior notice", "advance notice", "[") {
		return "", false
	}
	// the one who wishes holds the right
	switch v.subjectIn(s[m[0]:m[1]]) {
	case vendorSide:
		return "vendor", true
	case customerSide:
		return "customer", true
	case bothSides:
		return "either", true
	}
	return "", true
}
