package soc2

import (
	"regexp"
	"strings"
	"unicode"
)

var (
	// "X uses [a subservice organization,] Name [("N")][, a subservice
	// organization,] to provide / for ..."
	usesRe      = regexp.MustCompile(`\b(?:uses|utilizes|utilises|relies on|relies upon|engages|outsources [a-z ]{1,40} to) (?:a |the )?(?:subservice organizations?,? |third[- ]party (?:service )?providers?,? )?([a-z0-9][a-z0-9&.,' -]{1,60}?)(?: \([^)]{1,30}\))?(?:,? (?:a|its|the) subservice organization)?,? (?:to provide|to host|to perform|for)\b`)
	andAlsoRe   = regexp.MustCompile(`^[a-z ,]{0,80}? and ([a-z0-9][a-z0-9&.,' -]{1,60}?)(?: \([^)]{1,30}\))? (?:to provide|to host|for)\b`)
	subCtxRe    = regexp.MustCompile(`subservice|carve|carved|inclusive method`)
	carveRe     = regexp.MustCompile(`carve-? ?out|carved[- ]out|carved out|excludes? (?:the )?(?:control objectives|controls|services)|did not include the services|not include the controls|does not disclose the actual controls`)
	inclusiveRe = regexp.MustCompile(`inclusive|includes? (?:those elements of )?(?:the )?(?:control objectives and related )?controls of|included (?:the )?(?:controls|services) (?:of|provided by)|controls (?:are|were) included|our examination included`)
	subHeadRe   = regexp.MustCompile(`subservice organi[sz]ations?`)
	cellSplitRe = regexp.MustCompile(` {2,}| ?\| ?| - `)
	orgSuffixRe = regexp.MustCompile(`[,.]? (?:inc|llc|ltd|limited|corp|corporation|incorporated|plc|gmbh|co|company|l\.l\.c)\.?$`)
)

// subservice lists subservice organizations named in a sentence that
// says what they do for the service organization, or in the rows of a
// table under a "Subservice Organizations" heading, each with the method
// its own paragraph or row states, else the one the report states for
// all of them.
func (v *view) subservice() List[Subservice] {
	out := List[Subservice]{Items: []Subservice{}}
	add := func(s, e int, method string, ev Evidence) {
		name := strings.Trim(v.original(s, e), " ,\"'")
		if name == "" || !unicode.IsUpper([]rune(name)[0]) && !unicode.IsDigit([]rune(name)[0]) {
			return // "a third party" or a lower-case phrase is no name
		}
		low := strings.ToLower(name)
		if strings.HasPrefix(low, "the ") || strings.HasPrefix(low, "a ") || strings.Contains(low, "subservice") {
			return
		}
		for i, it := range out.Items {
			a, b := orgKey(it.Name), orgKey(name)
			if strings.Contains(a, b) || strings.Contains(b, a) {
				if out.Items[i].Method == "" {
					out.Items[i].Method = method
				}
				if len(out.Items[i].Evidence) < maxEvidence {
					out.Items[i].Evidence = append(out.Items[i].Evidence, ev)
				}
				return
			}
		}
		out.Items = append(out.Items, Subservice{Name: name, Method: method, Evidence: []Evidence{ev}})
	}
	for _, p := range v.paras {
		text := v.flatText(p)
		if !subCtxRe.MatchString(text) {
			continue
		}
		out.Found = true
		method := paraMethod(text)
		for _, m := range usesRe.FindAllStringSubmatchIndex(text, -1) {
			s, e := v.sentence(p.s+m[0], p.s+m[1])
			ev := v.evidence(s, e)
			add(p.s+m[2], p.s+m[3], method, ev)
			if a := andAlsoRe.FindStringSubmatchIndex(text[m[1]:]); a != nil {
				add(p.s+m[1]+a[2], p.s+m[1]+a[3], method, ev)
			}
		}
	}
	// tables and lists under a "Subservice Organizations" heading
	for k, ln := range v.lines {
		t := strings.TrimSpace(v.text(ln))
		if len(t) > 70 || !subHeadRe.MatchString(t) || strings.HasSuffix(t, ".") {
			continue
		}
		out.Found = true
		for j := k + 1; j < len(v.lines) && j < k+12; j++ {
			row := v.lines[j]
			rt := v.text(row)
			trimmed := strings.TrimSpace(rt)
			if trimmed == "" {
				continue
			}
			if isSectionHeading(trimmed) {
				break
			}
			cells := cellSplitRe.Split(trimmed, -1)
			if len(cells) < 2 || len(cells[0]) > 60 || subHeadRe.MatchString(cells[0]) || strings.Contains(cells[0], "organization") {
				continue
			}
			method := ""
			for _, c := range cells[1:] {
				switch {
				case carveRe.MatchString(c):
					method = CarveOut
				case strings.Contains(c, "inclusive"):
					method = Inclusive
				}
			}
			if method == "" {
				method = paraMethod(v.flatText(v.paraAt(ln.s)))
			}
			off := row.s + strings.Index(rt, trimmed)
			name := cells[0]
			if i := strings.Index(name, " ("); i > 0 {
				name = name[:i]
			}
			add(off, off+len(name), method, v.evidence(row.s, row.e))
		}
	}
	// a method the report states once for every organization
	doc := ""
	switch c, i := carveRe.MatchString(v.flat), inclusiveRe.MatchString(v.flat); {
	case c && !i:
		doc = CarveOut
	case i && !c:
		doc = Inclusive
	}
	for i := range out.Items {
		if out.Items[i].Method == "" {
			out.Items[i].Method = doc
		}
	}
	return out
}

// paraMethod is the method a paragraph states, "" when it states none or
// both.
func paraMethod(text string) string {
	c, i := carveRe.MatchString(text), inclusiveRe.MatchString(text)
	switch {
	case c && !i:
		return CarveOut
	case i && !c:
		return Inclusive
	}
	return ""
}

// orgKey compares organization names: lower case, without a legal
// suffix or an abbreviation in parentheses.
func orgKey(name string) string {
	k := strings.ToLower(name)
	if i := strings.Index(k, " ("); i > 0 {
		k = k[:i]
	}
	for {
		n := orgSuffixRe.ReplaceAllString(k, "")
		if n == k {
			break
		}
		k = n
	}
	return strings.Trim(k, " ,.")
}

var (
	sectionHeadRe = regexp.MustCompile(`^(?:section|part)\b|^(?:[ivx]{1,4}|\d{1,2})[.)]? [a-z]|^complementary|^user entity|^control objective|^tests? of|^trust services`)
	cuecHeadRe    = regexp.MustCompile(`^(?:[\d.]+ |[ivx]+\. )?(?:complementary user[- ]entity controls?(?: \(cuecs?\))?|user entity (?:control )?responsibilities|complementary user[- ]entity control considerations|cuecs):?$`)
	itemRe        = regexp.MustCompile(`^(?:\(?\d{1,2}[.)]|\(?[a-z][.)]|[-*]|cuec[- ]?\d{1,3}:?|\d{1,2}\.\d{1,2}) +`)
)

// isSectionHeading: a short line that opens another part of the report.
func isSectionHeading(t string) bool {
	return len(t) < 90 && !strings.HasSuffix(t, ".") && sectionHeadRe.MatchString(t)
}

// cuecs are the list items under a "Complementary User Entity Controls"
// heading; an item wrapped over several lines is one control.
func (v *view) cuecs() List[CUEC] {
	out := List[CUEC]{Items: []CUEC{}}
	for k := 0; k < len(v.lines); k++ {
		if !cuecHeadRe.MatchString(strings.TrimSpace(v.text(v.lines[k]))) {
			continue
		}
		out.Found = true
		started := false
		cur := -1 // the line where the current item starts
		curEnd := 0
		flush := func() {
			if cur < 0 {
				return
			}
			ln := v.lines[cur]
			t := v.text(ln)
			m := itemRe.FindStringIndex(strings.TrimLeft(t, " "))
			s := ln.s + (len(t) - len(strings.TrimLeft(t, " "))) + m[1]
			ev := v.evidence(s, curEnd)
			text := strings.Join(strings.Fields(ev.Quote), " ")
			if text != "" {
				out.Items = append(out.Items, CUEC{Text: text, Evidence: ev})
			}
			cur = -1
		}
		j := k + 1
		for ; j < len(v.lines) && j < k+120; j++ {
			t := strings.TrimSpace(v.text(v.lines[j]))
			switch {
			case t == "":
				continue // items may have blank lines between them
			case itemRe.MatchString(t):
				flush()
				started, cur, curEnd = true, j, v.lines[j].e
			case started && cur >= 0 && !isSectionHeading(t) && !looksHeading(t):
				curEnd = v.lines[j].e // a wrapped item
			case started:
				flush()
				j = len(v.lines) // the list is over
			case isSectionHeading(t) || j > k+25:
				j = len(v.lines) // a heading with no list under it
			}
		}
		flush()
	}
	return out
}

// looksHeading: a short line without a full stop that is not running
// text.
func looksHeading(t string) bool {
	return len(t) < 70 && !strings.ContainsAny(t[len(t)-1:], ".,;:") && !strings.Contains(t, "  ")
}

var (
	exceptionRe  = regexp.MustCompile(`\b(?:exceptions?|deviations?) (?:was |were )?noted\b|\bthe following (?:exceptions?|deviations?) (?:was|were) noted|\b(?:exception|deviation):`)
	noExceptRe   = regexp.MustCompile(`(?:\bno|\bnot|without) (?:\w+ ){0,2}$`)
	noneAfterRe  = regexp.MustCompile(`^[.:]? ?(?:none|n/a|nil)\b`)
	controlIDRe  = regexp.MustCompile(`^(?:control (?:no\.?|#|id)?:? ?)?((?:cc|pi|a|c|p)\d{1,2}\.\d{1,2}(?:\.\d{1,2})?|\d{1,2}\.\d{1,2}(?:\.\d{1,2})?|[a-z]{2,6}-\d{1,3}(?:\.\d{1,2})?)\b`)
	lineBreakRe  = regexp.MustCompile(`\n\s*`)
	resultSignRe = regexp.MustCompile(`no (?:exceptions?|deviations?) (?:were )?noted|tests? of (?:operating )?effectiveness|results? of tests?|test results`)
)

// exceptions are the results of tests that report a deviation ("Exception
// noted. For 3 of 25 ..."); "No exceptions noted" is none. The control is
// the identifier the row starts with, or the last one above it when a
// control's test and result are on lines of their own.
func (v *view) exceptions() List[Exception] {
	out := List[Exception]{Items: []Exception{}}
	out.Found = resultSignRe.MatchString(v.flat)
	for k, ln := range v.lines {
		t := v.text(ln)
		for _, m := range exceptionRe.FindAllStringIndex(t, -1) {
			if noExceptRe.MatchString(t[max(0, m[0]-20):m[0]]) || noneAfterRe.MatchString(t[m[1]:]) {
				continue
			}
			if strings.Contains(t[max(0, m[0]-40):m[0]], "response") {
				continue // management's response to an exception
			}
			out.Found = true
			end := ln.e
			// a result wrapped onto the next lines of its cell
			for j := k + 1; j < len(v.lines) && j < k+6; j++ {
				nt := v.text(v.lines[j])
				tr := strings.TrimSpace(nt)
				if tr == "" || controlIDRe.MatchString(tr) || exceptionRe.MatchString(nt) || isSectionHeading(tr) ||
					strings.HasPrefix(tr, "test") || strings.HasPrefix(tr, "result") || strings.HasPrefix(tr, "management") {
					break
				}
				end = v.lines[j].e
			}
			ev := v.evidence(ln.s+m[0], end)
			wording := ev.Quote
			if cells := lineBreakRe.Split(wording, -1); len(cells) > 1 {
				// keep the last column of wrapped table lines
				parts := []string{cells[0]}
				for _, c := range cells[1:] {
					cs := cellSplitRe.Split(strings.TrimSpace(c), -1)
					parts = append(parts, cs[len(cs)-1])
				}
				wording = strings.Join(parts, " ")
			}
			out.Items = append(out.Items, Exception{Control: v.controlFor(k), Wording: strings.Join(strings.Fields(wording), " "), Evidence: ev})
		}
	}
	return out
}

// controlFor is the control identifier of the row on line k, or of the
// nearest line above that starts with one.
func (v *view) controlFor(k int) string {
	for j := k; j >= 0 && j > k-8; j-- {
		ln := v.lines[j]
		t := v.text(ln)
		tr := strings.TrimLeft(t, " ")
		if m := controlIDRe.FindStringSubmatchIndex(tr); m != nil {
			off := ln.s + len(t) - len(tr)
			return strings.ToUpper(v.original(off+m[2], off+m[3]))
		}
	}
	return ""
}
