package questionnaire

import (
	"fmt"
	"slices"
	"strings"
)

// noneOfTheAbove is the choice VSAQ appends to a group with
// "defaultChoice": true.
const noneOfTheAbove = "none_of_the_above"

// choices fills a choice question's choices from the item; false means
// the item was skipped.
func (b *vsaqBuilder) choices(vq *vsaqQuestion, it *vsaqItem) bool {
	q := &vq.q
	switch it.Type {
	case "yesno":
		q.Choices = []Choice{{Value: "yes", Label: orDefault(CleanText(it.Yes), "Yes")}, {Value: "no", Label: orDefault(CleanText(it.No), "No")}}
		return true
	case "check":
		q.Choices = []Choice{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}}
		return true
	case "radiogroup", "checkgroup":
	default:
		return true
	}
	if it.Type == "checkgroup" && len(it.Choices) == 1 && !it.DefaultChoice {
		// A group of one checkbox is a yes/no statement (VSAQ's "options"
		// blocks); its text is the statement.
		c := it.Choices[0]
		vq.kind, q.Type = "check", YesNoNA
		q.Choices = []Choice{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}}
		vq.help = append([]string{q.Text}, vq.help...)
		q.Text = orDefault(CleanText(mustText(c.Value)), q.Text)
		vq.choiceIDs[c.Key] = "yes"
		b.imp.Change(Note{Cell: lineCell(vq.line), Question: it.ID, Message: fmt.Sprintf("a checkgroup with the single choice %q became a yes/no question", c.Key)})
		return true
	}
	seen := map[string]bool{}
	for _, c := range it.Choices {
		v := c.Key
		if !choiceValueRE.MatchString(v) {
			v = choiceValue(c.Key)
		}
		for base, n := v, 2; seen[v]; n++ {
			v = fmt.Sprintf("%s_%d", base, n)
		}
		if v != c.Key {
			b.imp.Change(Note{Cell: lineCell(b.lines.name(c.Key)), Question: it.ID, Message: fmt.Sprintf("choice id %q became the value %q (choice values are lower-case snake_case)", c.Key, v)})
		}
		seen[v] = true
		vq.choiceIDs[c.Key] = v
		label := orDefault(CleanText(mustText(c.Value)), strings.TrimSpace(c.Key))
		q.Choices = append(q.Choices, Choice{Value: v, Label: orDefault(label, fmt.Sprintf("Choice %d", len(q.Choices)+1))})
	}
	if it.DefaultChoice && !seen[noneOfTheAbove] {
		vq.noneKey = noneOfTheAbove
		q.Choices = append(q.Choices, Choice{Value: noneOfTheAbove, Label: "None of the above."})
	}
	if len(q.Choices) < 2 {
		b.skip(it, fmt.Sprintf("a %s needs at least two choices, has %d", it.Type, len(q.Choices)))
		return false
	}
	for _, cc := range it.ChoicesConds {
		if cond := strings.TrimSpace(mustText(cc.Value)); cond != "" {
			b.imp.Change(Note{Cell: lineCell(b.lines.name(cc.Key)), Question: it.ID, Message: fmt.Sprintf("VSAQ offers the choice %q only when %q; here it is always offered", cc.Key, cond)})
		}
	}
	if it.Type == "checkgroup" {
		q.Scoring = ScoringMax
	}
	return true
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func mustText(raw []byte) string {
	s, _ := textOf(raw)
	return s
}

// vsaqCond is a VSAQ condition as far as Rampart can follow it.
type vsaqCond struct {
	// Refs are the ids of an expression that holds when any of them
	// holds ("a", "a || b", "q/no").
	Refs []string
	// Negated is set for "!a": true when a is not given.
	Negated bool
	// Why says what puts the expression beyond a show_if rule, or "".
	Why string
	// IDs lists every id the expression mentions.
	IDs []string
}

// parseVSAQCond reads a condition as vsaq/static/questionnaire/utils.js
// tokenizes it: ids, && || ! ( ) and function calls such as
// matches(id/value, "regexp").
func parseVSAQCond(s string) vsaqCond {
	var c vsaqCond
	var and, or, fn bool
	negs := 0
	for i := 0; i < len(s); {
		switch ch := s[i]; {
		case ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == ')':
			i++
		case ch == '(':
			if len(c.IDs) > 0 && i > 0 && !strings.ContainsRune(" ()!&|,", rune(s[i-1])) {
				fn = true
			}
			i++
		case ch == '!':
			negs++
			i++
		case ch == '&':
			and = true
			i += 2
		case ch == '|':
			or = true
			i += 2
		case ch == ',':
			fn = true
			i++
		case ch == '"': // a function's argument, such as a pattern
			fn = true
			end := strings.IndexByte(s[i+1:], '"')
			if end < 0 {
				end = len(s) - i - 1
			}
			i += end + 2
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" ()!&|,\"\t\n\r", rune(s[j])) {
				j++
			}
			c.IDs = append(c.IDs, s[i:j])
			i = j
		}
	}
	c.Refs = c.IDs
	switch {
	case len(c.IDs) == 0:
		c.Why = "it is empty or malformed"
	case fn:
		c.Why = "it calls a function (matches, contains) on an answer"
	case and:
		c.Why = "it needs several answers at once (&&)"
	case negs == 1 && len(c.IDs) == 1 && !or:
		c.Negated = true
		c.Why = "it holds when an answer is not given (!)"
	case negs > 0:
		c.Why = "it negates answers (!)"
	}
	for _, id := range c.IDs {
		switch {
		case c.Why != "":
		case strings.HasPrefix(id, "^"):
			c.Why = "it depends on whether another item is visible (^)"
		case strings.HasSuffix(id, "/value"):
			c.Why = "it compares the text of an answer (/value)"
		case id == "false" || id == "true":
			c.Why = "it is the constant " + id
		}
	}
	return c
}

// resolve finds the question and choice values an id names: "q" (a
// yes/no or checkbox: yes), "q/no", a choice id, or a group (any choice).
func (b *vsaqBuilder) resolve(id string) (*vsaqQuestion, []string, string) {
	id = strings.TrimPrefix(id, "^")
	id = strings.TrimSuffix(id, "/value")
	suffix := ""
	if base, s, ok := strings.Cut(id, "/"); ok && (s == "yes" || s == "no") {
		id, suffix = base, s
	}
	r, ok := b.refs[id]
	if !ok {
		return nil, nil, fmt.Sprintf("it names %q, which is not a question or choice in the file", id)
	}
	vq := b.byKey[r.Question]
	switch {
	case r.Value != "":
		return vq, []string{r.Value}, ""
	case r.Kind == "yesno" && suffix == "no":
		return vq, []string{"no"}, ""
	case r.Kind == "yesno" || r.Kind == "check":
		return vq, []string{"yes"}, ""
	case r.Kind == "radiogroup" || r.Kind == "checkgroup":
		var all []string
		for _, c := range vq.q.Choices {
			if c.Value != vq.noneKey {
				all = append(all, c.Value)
			}
		}
		return vq, all, ""
	}
	return vq, nil, fmt.Sprintf("it depends on the text of %s, and only choice answers can show a question", r.Question)
}

// applyTips turns tips into help and scores: the choices a warning tip is
// shown for are poor answers, those advice is shown for middling ones.
func (b *vsaqBuilder) applyTips() {
	for _, t := range b.tips {
		it := t.item
		warn := yesWord(it.Warn)
		c := parseVSAQCond(it.Cond)
		var target *vsaqQuestion
		if it.Cond != "" && c.Why == "" {
			for _, ref := range c.Refs {
				vq, values, why := b.resolve(ref)
				if why != "" || vq == nil {
					continue
				}
				target = cmpOr(target, vq)
				if r := b.refs[ref]; r.Value == "" && (r.Kind == "radiogroup" || r.Kind == "checkgroup") {
					continue // the group itself (any answer): no choice to mark
				}
				for _, v := range values {
					mark := markAdvice
					if warn {
						mark = markBad
						vq.q.Weight = max(vq.q.Weight, severityWeight(it.Severity))
					}
					vq.marks[v] = max(vq.marks[v], mark)
				}
			}
		}
		for _, id := range c.IDs {
			if target != nil {
				break
			}
			target, _, _ = b.resolve(id)
		}
		target = cmpOr(target, t.prev)
		if target == nil {
			b.skip(it, "a tip with no question to attach it to")
			continue
		}
		if it.Name != "" {
			target.help = append(target.help, tipHeader(it, warn), it.Text, it.Why)
		} else {
			target.help = append(target.help, tipHeader(it, warn)+": "+it.Text, it.Why)
		}
	}
}

func cmpOr(a, b *vsaqQuestion) *vsaqQuestion {
	if a != nil {
		return a
	}
	return b
}

func tipHeader(it *vsaqItem, warn bool) string {
	h := "Tip"
	if warn {
		h = "Warning"
		if it.Severity != "" {
			h += " (" + it.Severity + ")"
		}
	}
	if it.Name != "" {
		h += ": " + it.Name
	}
	return h
}

// severityWeight maps a VSAQ warning's severity onto a question weight.
func severityWeight(s string) int {
	switch s {
	case "critical":
		return 5
	case "high":
		return 4
	case "low":
		return 2
	}
	return 3
}

// applyConditions turns conditions into show_if rules where one rule can
// say the same, and notes each one dropped.
func (b *vsaqBuilder) applyConditions() {
	for _, vq := range b.questions {
		vq.q.Required = vq.q.Type != MultipleChoice || vq.noneKey != ""
		if len(vq.conds) == 0 {
			continue
		}
		target, values, why := b.showIf(vq)
		if why == "" {
			vq.q.ShowIf = &ShowIf{Question: target.q.Key, Equals: values}
			continue
		}
		vq.q.Required = false
		b.imp.Change(Note{Cell: lineCell(vq.line), Question: vq.q.Key, Message: fmt.Sprintf(
			"VSAQ shows this question only when %s; that condition was dropped because %s, so the question is always shown and not required",
			quoteConds(vq.conds), why)})
	}
}

// showIf expresses a question's innermost condition as one rule. The
// enclosing blocks' conditions may be left out when the question the rule
// depends on sits inside those same blocks, since it is only shown (and
// answered) when they hold.
func (b *vsaqBuilder) showIf(vq *vsaqQuestion) (*vsaqQuestion, []string, string) {
	inner := vq.conds[len(vq.conds)-1]
	c := parseVSAQCond(inner)
	if c.Why != "" {
		return nil, nil, c.Why
	}
	var target *vsaqQuestion
	var values []string
	for _, ref := range c.Refs {
		tq, vs, why := b.resolve(ref)
		if why != "" {
			return nil, nil, why
		}
		if target != nil && tq != target {
			return nil, nil, fmt.Sprintf("it depends on answers to two questions (%s and %s)", target.q.Key, tq.q.Key)
		}
		target = tq
		for _, v := range vs {
			if !slices.Contains(values, v) {
				values = append(values, v)
			}
		}
	}
	switch {
	case target == vq:
		return nil, nil, "it refers to the question itself"
	case target.index > vq.index:
		return nil, nil, fmt.Sprintf("it depends on %s, which comes later in the file", target.q.Key)
	}
	for _, outer := range vq.conds[:len(vq.conds)-1] {
		if !slices.Contains(target.conds, outer) {
			return nil, nil, fmt.Sprintf("a question can depend on one answer only, and %q does not imply the enclosing block's condition %q", inner, outer)
		}
	}
	return target, values, ""
}

func quoteConds(conds []string) string {
	q := make([]string, len(conds))
	for i, c := range conds {
		q[i] = fmt.Sprintf("%q", c)
	}
	return strings.Join(q, " and ")
}

// finish scores the choices, assembles help and fills the sections.
func (b *vsaqBuilder) finish() {
	unmarked := 0
	for _, vq := range b.questions {
		if HasChoices(vq.q.Type) && !b.score(vq) {
			unmarked++
		}
		vq.q.Help = richJoin(vq.help...)
		s := &b.sections[vq.section]
		s.Questions = append(s.Questions, vq.q)
	}
	used := map[string]bool{}
	sections := []Section{}
	for _, s := range b.sections {
		if len(s.Questions) == 0 {
			b.imp.Skipped = append(b.imp.Skipped, Skipped{Reason: fmt.Sprintf("block %q: nothing in it is asked", s.Title)})
			continue
		}
		s.Key = uniqueSectionKey(s.Key, s.Title, used)
		sections = append(sections, s)
	}
	b.imp.Content.Sections = sections
	if b.imp.Name == "" {
		b.imp.Name = "VSAQ questionnaire"
	}
	if unmarked > 0 {
		b.imp.Warnings = append(b.imp.Warnings, fmt.Sprintf("%d choice question(s) have no VSAQ tip marking a poor answer, so every one of their choices scores 100; review their scores", unmarked))
	}
	if w := unusedWarning(b.unused); w != "" {
		b.imp.Warnings = append(b.imp.Warnings, w)
	}
	if len(b.questions) == 0 {
		b.imp.Warnings = append(b.imp.Warnings, "no questions were found in the file")
	}
}

// score gives choices their scores and the question its expected
// answers; false means no tip said which answers are poor.
func (b *vsaqBuilder) score(vq *vsaqQuestion) bool {
	q := &vq.q
	marked := len(vq.marks) > 0
	markScore := func(m int) float64 {
		switch m {
		case markBad:
			return 0
		case markAdvice:
			return 50
		}
		return 100
	}
	if q.Type == YesNoNA {
		yes, no := 100.0, 0.0
		if vq.marks["yes"] > 0 && vq.marks["no"] == 0 {
			yes, no = markScore(vq.marks["yes"]), 100
		}
		q.Choices[0].Score, q.Choices[1].Score = score(yes), score(no)
		marked = true // yes is the good answer unless a tip says otherwise
	} else {
		for i := range q.Choices {
			if c := &q.Choices[i]; c.Value != vq.noneKey {
				c.Score = score(markScore(vq.marks[c.Value]))
			}
		}
	}
	best := -1.0
	for _, c := range q.Choices {
		if c.Score != nil && *c.Score > best {
			best = *c.Score
		}
	}
	for _, c := range q.Choices {
		if c.Score != nil && *c.Score == best {
			q.Expected = append(q.Expected, c.Value)
		}
	}
	return marked
}

// uniqueSectionKey keeps a publisher's block id when it is snake_case,
// else makes one from the title.
func uniqueSectionKey(key, title string, used map[string]bool) string {
	if !sectionKeyRE.MatchString(key) {
		key = strings.Trim(nonValue.ReplaceAllString(strings.ToLower(PlainText(title)), "_"), "_")
		if key == "" || key[0] < 'a' || key[0] > 'z' {
			key = "section_" + key
		}
		key = strings.TrimSuffix(key, "_")
		if len(key) > 60 {
			key = strings.TrimRight(key[:60], "_")
		}
	}
	for base, n := key, 2; used[key]; n++ {
		key = fmt.Sprintf("%s_%d", base, n)
	}
	used[key] = true
	return key
}
