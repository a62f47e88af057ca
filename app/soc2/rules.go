package soc2

import (
	"regexp"
	"slices"
	"strings"
)

// maxEvidence bounds the quotes kept for one answer.
const maxEvidence = 3

var (
	reportSignRe = regexp.MustCompile(`independent service auditor|service auditor's report|\bsoc ?\)? ?[12]\b|ssae|at-c (?:320|205)|trust services criteria|complementary user entity`)
	bridgeRe     = regexp.MustCompile(`\bbridge letter\b|\bgap letter\b|\bbridge period\b|\bthis letter covers\b`)
)

// kind tells a report from a bridge letter: a letter names itself and
// carries no auditor's opinion.
func (v *view) kind() string {
	head := v.flat[:min(len(v.flat), 4000)]
	hasOpinion := strings.Contains(v.flat, "in our opinion") || strings.Contains(v.flat, "disclaimer of opinion")
	if bridgeRe.MatchString(head) && !hasOpinion {
		return KindBridgeLetter
	}
	if hasOpinion || len(reportSignRe.FindAllStringIndex(v.flat, 3)) >= 2 {
		return KindReport
	}
	return KindNotAReport
}

// sentence is the sentence of flat around [s, e): within its paragraph,
// from after the previous ". " to the next one, at most some 600 bytes.
func (v *view) sentence(s, e int) (int, int) {
	p := v.paraAt(s)
	if p.e == 0 {
		p = span{0, len(v.flat)}
	}
	from := p.s
	if k := strings.LastIndex(v.flat[max(p.s, s-400):s], ". "); k >= 0 {
		from = max(p.s, s-400) + k + 2
	}
	to := min(p.e, e+400)
	if k := strings.Index(v.flat[e:to], ". "); k >= 0 {
		to = e + k + 1
	}
	return from, max(to, e)
}

var (
	socRe        = regexp.MustCompile(`\bsoc ?\)? ?([12])\b|\bservice organization control(?:s)? (?:\(soc\) )?([12])\b|system and organization controls (?:\(soc\) )?([12])\b`)
	typeRe       = regexp.MustCompile(`\btype ?(1|2|ii|i)\b`)
	typeIIHintRe = regexp.MustCompile(`operating effectiveness|operated effectively`)
)

// reportType reads the framework from the first "SOC 1"/"SOC 2" and the
// type from a "Type I/II" next to it; without a type, a report that
// speaks of operating effectiveness is a Type II.
func (v *view) reportType() Field {
	f := Field{Evidence: []Evidence{}}
	framework, typ := "", ""
	ev := -1
	for _, m := range socRe.FindAllStringSubmatchIndex(v.flat, -1) {
		n := ""
		for g := 2; g < len(m); g += 2 {
			if m[g] >= 0 {
				n = v.flat[m[g]:m[g+1]]
			}
		}
		if framework == "" {
			framework, ev = "SOC "+n, m[0]
		}
		win := v.flat[max(0, m[0]-20):min(len(v.flat), m[1]+20)]
		if t := typeRe.FindStringSubmatch(win); t != nil && "SOC "+n == framework {
			typ = map[string]string{"1": "Type I", "i": "Type I", "2": "Type II", "ii": "Type II"}[t[1]]
			ev = m[0]
			break
		}
	}
	if framework == "" {
		switch {
		case strings.Contains(v.flat, "trust services criteria"):
			framework = "SOC 2"
			ev = strings.Index(v.flat, "trust services criteria")
		case strings.Contains(v.flat, "control objectives"):
			framework = "SOC 1"
			ev = strings.Index(v.flat, "control objectives")
		default:
			return f
		}
	}
	if typ == "" {
		typ = "Type I"
		if typeIIHintRe.MatchString(v.flat) {
			typ = "Type II"
		}
	}
	f.Found = true
	f.Value = framework + " " + typ
	f.Normalized = map[string]any{"framework": framework, "type": typ}
	f.Evidence = append(f.Evidence, v.evidence(v.lineSpan(ev)))
	return f
}

// lineSpan is the line of norm holding byte i.
func (v *view) lineSpan(i int) (int, int) {
	ln := v.lines[v.lineAt(i)]
	return ln.s, ln.e
}

var (
	rangeRe     = regexp.MustCompile(`(` + datePat + `),? (?:to|through|thru|until|and ending|ending|-|to and including) (` + datePat + `)`)
	yearRe      = regexp.MustCompile(`\b(?:19|20|21)\d\d\b`)
	asOfRe      = regexp.MustCompile(`\bas of (` + datePat + `)`)
	periodCtxRe = regexp.MustCompile(`period|covered|covering|throughout|from`)
	letterCtxRe = regexp.MustCompile(`letter|bridge|gap`)
)

// period is the most often stated period (a report repeats it in its
// title, scope and opinion); for a Type I, the "as of" date. In a bridge
// letter only a period said of the letter counts: the letter also names
// the report's period.
func (v *view) period(letter, typeI bool) Field {
	f := Field{Evidence: []Evidence{}}
	type cand struct {
		norm  map[string]any
		value string
		at    []int
	}
	var cands []*cand
	seen := map[string]*cand{}
	add := func(key, value string, norm map[string]any, at int) {
		c := seen[key]
		if c == nil {
			c = &cand{norm: norm, value: value}
			seen[key] = c
			cands = append(cands, c)
		}
		c.at = append(c.at, at)
	}
	// dates hold a year: only paragraphs with one are worth the date
	// patterns, which are slow to run over a whole report
	var dated []span
	for _, p := range v.paras {
		if yearRe.MatchString(v.flatText(p)) {
			dated = append(dated, p)
		}
	}
	if !typeI {
		for _, p := range dated {
			for _, m := range rangeRe.FindAllStringSubmatchIndex(v.flatText(p), -1) {
				for i := range m {
					m[i] += p.s
				}
				from, to := isoDate(v.flat[m[2]:m[3]]), isoDate(v.flat[m[4]:m[5]])
				if from == "" || to == "" || to <= from {
					continue
				}
				ctx := v.flat[max(0, m[0]-60):m[0]]
				if !periodCtxRe.MatchString(ctx) {
					continue
				}
				if letter {
					s, e := v.sentence(m[0], m[1])
					if !letterCtxRe.MatchString(v.flat[s:e]) {
						continue
					}
				}
				add(from+"/"+to, v.original(m[2], m[3])+" to "+v.original(m[4], m[5]), map[string]any{"from": from, "to": to}, m[0])
			}
		}
	}
	if len(cands) == 0 && !letter {
		for _, p := range dated {
			for _, m := range asOfRe.FindAllStringSubmatchIndex(v.flatText(p), -1) {
				for i := range m {
					m[i] += p.s
				}
				d := isoDate(v.flat[m[2]:m[3]])
				if d == "" {
					continue
				}
				add("as of "+d, "as of "+v.original(m[2], m[3]), map[string]any{"as_of": d}, m[0])
			}
		}
	}
	if len(cands) == 0 {
		return f
	}
	best := cands[0]
	for _, c := range cands[1:] {
		if len(c.at) > len(best.at) {
			best = c
		}
	}
	f.Found, f.Value, f.Normalized = true, best.value, best.norm
	for _, at := range best.at[:min(len(best.at), maxEvidence)] {
		f.Evidence = append(f.Evidence, v.evidence(v.sentence(at, at+1)))
	}
	return f
}

var (
	disclaimerRe = regexp.MustCompile(`disclaimer of opinion|(?:unable|not been able|not able) to obtain sufficient appropriate evidence to provide a basis for an opinion`)
	adverseRe    = regexp.MustCompile(`adverse opinion|does not (?:fairly )?present(?: fairly)?|do not (?:fairly )?present|were not suitably designed|did not operate effectively|because of the significance of the matters? described in the basis for adverse`)
	paraItemRe   = regexp.MustCompile(`^(?:[a-e]|[ivx]{1,3}|\d)[.)] `)
)

// opinion finds the opinion paragraph ("In our opinion, ...", or the
// paragraph that disclaims one) and names the opinion. It also returns
// where the paragraph ends: the auditor signs after it.
func (v *view) opinion() (Field, int) {
	f := Field{Evidence: []Evidence{}}
	at := strings.Index(v.flat, "in our opinion")
	disclaimed := disclaimerRe.FindStringIndex(v.flat)
	if disclaimed != nil {
		if k := strings.Index(v.flat[disclaimed[0]:], "do not express an opinion"); k >= 0 {
			at = disclaimed[0] + k
		} else if at < 0 {
			at = disclaimed[0]
		}
	}
	if at < 0 {
		return f, -1
	}
	p := v.paraAt(at)
	if p.e == 0 {
		p = span{at, min(len(v.flat), at+600)}
	}
	paras := []span{p}
	// "In our opinion, in all material respects," followed by items a. b. c.
	for k := slices.Index(v.paras, p) + 1; k > 0 && k < len(v.paras) && len(paras) < 4; k++ {
		if !paraItemRe.MatchString(v.flatText(v.paras[k])) {
			break
		}
		paras = append(paras, v.paras[k])
	}
	text := v.flat[paras[0].s:paras[len(paras)-1].e]
	op := Unqualified
	switch {
	case disclaimed != nil:
		op = Disclaimer
	case adverseRe.MatchString(text):
		op = Adverse
	case strings.Contains(text, "except for") || strings.Contains(v.flat, "basis for qualified opinion"):
		op = Qualified
	}
	f.Found = true
	f.Value = op
	f.Normalized = map[string]any{"opinion": op}
	f.Evidence = append(f.Evidence, v.evidence(paras[0].s, paras[len(paras)-1].e))
	return f, paras[len(paras)-1].e
}

var (
	firmRe    = regexp.MustCompile(`^(?:/s/ ?)?(\p{L}[\p{L}0-9&.,' -]{1,70}?(?:,? llp|,? l\.l\.p\.|,? llc|,? pllc|,? p\.c\.|,? pc|,? cpas?|cpa group(?:,? (?:llc|llp|inc\.?))?|chartered accountants|assurance(?:,? (?:llc|llp|inc\.?))?|,? & co\.?|& company|,? ltd\.?|,? inc\.?|associates(?:,? (?:p\.c\.|llc|llp))?))[.,]?$`)
	notFirmRe = regexp.MustCompile(`\b(?:report|to the|to:|uses|management|description|section|services?|solutions|software|technologies|systems?)\b`)
)

// auditor is the firm that signs the report: the first line after the
// opinion that is a firm's name, with a date or a place just below it.
func (v *view) auditor(after int) Field {
	f := Field{Evidence: []Evidence{}}
	if after < 0 {
		return f
	}
	first := v.lineAt(after)
	for k := first; k < len(v.lines) && k < first+40; k++ {
		ln := v.lines[k]
		t := strings.TrimSpace(v.text(ln))
		m := firmRe.FindStringSubmatchIndex(t)
		if m == nil || notFirmRe.MatchString(t) {
			continue
		}
		off := ln.s + strings.Index(v.text(ln), t)
		f.Found = true
		f.Value = v.original(off+m[2], off+m[3])
		f.Normalized = map[string]any{"name": f.Value}
		f.Evidence = append(f.Evidence, v.evidence(ln.s, ln.e))
		return f
	}
	return f
}

var (
	systemRe = regexp.MustCompile(`description of (?:its|the|their) (?:"|')?([a-z0-9][a-z0-9 &'/-]{2,80}?)(?:"|')?(?: \(| throughout| as of| for | found| titled| entitled| that|,|\.|;| and on | and the suitability)`)
	scopeRe  = regexp.MustCompile(`we have examined|we were engaged to examine|we have been engaged to examine`)
)

// system is the system the description covers, read from the scope
// paragraph ("We have examined X's description of its Y throughout ..."),
// or from any such phrase when there is no scope paragraph.
func (v *view) system() Field {
	f := Field{Evidence: []Evidence{}}
	var m []int
	if s := scopeRe.FindStringIndex(v.flat); s != nil {
		if x := systemRe.FindStringSubmatchIndex(v.flat[s[0]:min(len(v.flat), s[0]+600)]); x != nil {
			for i := range x {
				x[i] += s[0]
			}
			m = x
		}
	}
	if m == nil {
		m = systemRe.FindStringSubmatchIndex(v.flat)
	}
	if m == nil {
		return f
	}
	f.Found = true
	f.Value = v.original(m[2], m[3])
	f.Normalized = map[string]any{"system": f.Value}
	f.Evidence = append(f.Evidence, v.evidence(v.sentence(m[0], m[1])))
	return f
}

var servicesHeadRe = regexp.MustCompile(`^(?:[\d.]+ )?(?:overview of (?:the )?(?:services|operations)|services provided|company overview|overview of services provided|services overview|description of services|scope of services|services in scope)$`)

// services is the first paragraph under a heading that introduces the
// services ("Overview of Services", "Services Provided").
func (v *view) services() Field {
	f := Field{Evidence: []Evidence{}}
	for k, ln := range v.lines {
		if !servicesHeadRe.MatchString(strings.TrimSpace(v.text(ln))) {
			continue
		}
		for j := k + 1; j < len(v.lines) && j < k+4; j++ {
			if strings.TrimSpace(v.text(v.lines[j])) == "" {
				continue
			}
			p := v.paraAt(v.lines[j].s)
			if p.e == 0 {
				break
			}
			f.Found = true
			f.Value = v.original(p.s, p.e)
			f.Evidence = append(f.Evidence, v.evidence(p.s, p.e))
			return f
		}
	}
	return f
}

const catPat = `(?:security|availability|processing integrity|confidentiality|privacy)`

var categoriesRe = regexp.MustCompile(`relevant to (?:the )?(` + catPat + `(?:(?:,|, and|,and| and|, &| &) ` + catPat + `){0,4})\b`)

// categories are the trust services categories the report covers, from
// "criteria relevant to security, availability, and confidentiality";
// the phrase said most often wins (the title and the scope agree).
func (v *view) categories() Field {
	f := Field{Evidence: []Evidence{}}
	count := map[string]int{}
	first := map[string][]int{}
	var order []string
	for _, m := range categoriesRe.FindAllStringSubmatchIndex(v.flat, -1) {
		list := v.flat[m[2]:m[3]]
		var cats []string
		for _, c := range Categories {
			if strings.Contains(list, strings.ReplaceAll(c, "_", " ")) {
				cats = append(cats, c)
			}
		}
		key := strings.Join(cats, ",")
		if count[key] == 0 {
			order = append(order, key)
		}
		count[key]++
		first[key] = append(first[key], m[0], m[1])
	}
	if len(order) == 0 {
		return f
	}
	best := order[0]
	for _, k := range order[1:] {
		if count[k] > count[best] {
			best = k
		}
	}
	cats := strings.Split(best, ",")
	names := make([]string, len(cats))
	anyCats := make([]any, len(cats))
	for i, c := range cats {
		names[i] = strings.ReplaceAll(c, "_", " ")
		anyCats[i] = c
	}
	f.Found = true
	f.Value = strings.Join(names, ", ")
	f.Normalized = map[string]any{"categories": anyCats}
	at := first[best]
	for i := 0; i+1 < len(at) && len(f.Evidence) < maxEvidence; i += 2 {
		f.Evidence = append(f.Evidence, v.evidence(v.sentence(at[i], at[i+1])))
	}
	return f
}
