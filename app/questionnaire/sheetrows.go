package questionnaire

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"rampart/app/sheet"
)

// rowReader turns the rows under a sheet's headings into questions,
// noting every change it makes. Weights and show-if rules are settled in
// finish, once every question is known.
type rowReader struct {
	imp   *Import
	multi bool // several tabs: one tab is one section
	// keys maps each question's key as published to the key it was given.
	keys       map[string]string
	taken      map[string]bool
	sections   map[string]bool
	pending    []pendingQuestion
	required   bool // some sheet maps a required column
	generatedN int
	described  int // questions typed as free text from their wording
}

// pendingQuestion is where a question sits and what is settled later.
type pendingQuestion struct {
	sec, idx         int
	sheet            string
	weight, showIf   string
	weightAt, showAt string
}

func newReader(imp *Import, multi bool) *rowReader {
	return &rowReader{imp: imp, multi: multi, keys: map[string]string{}, taken: map[string]bool{}, sections: map[string]bool{}}
}

func (r *rowReader) question(p pendingQuestion) *Question {
	return &r.imp.Content.Sections[p.sec].Questions[p.idx]
}

func (r *rowReader) sheet(s *sheet.Sheet, header int, m Mapping) {
	cell := func(row []string, col *int) string { return cellOf(row, col) }
	at := func(row int, col *int) string {
		if col == nil {
			return sheet.CellName(row, 0)
		}
		return sheet.CellName(row, *col)
	}
	heads := s.Rows[header]
	answerLists := m.Answer != nil && slices.ContainsFunc(s.Lists, func(l sheet.List) bool {
		return slices.ContainsFunc(l.Ranges, func(rg sheet.Range) bool { return *m.Answer >= rg.FromCol && *m.Answer <= rg.ToCol })
	})
	if m.Required != nil {
		r.required = true
	}
	current := "General"
	if r.multi {
		current = s.Name
	}
	for row := header + 1; row < len(s.Rows); row++ {
		cells := s.Rows[row]
		skip := func(reason string) { r.imp.skip(s.Name, row+1, reason) }
		if blank(cells) {
			continue
		}
		if sameHeadings(cells, heads) {
			skip("the headings repeated")
			continue
		}
		text := CleanText(cell(cells, m.Question))
		if headingRow(cells, m) && (text == "" || (!strings.HasSuffix(text, "?") && cell(cells, m.ID) == "" && len(text) < 100)) {
			if r.multi {
				skip("sub-heading within the tab: " + firstCell(cells))
			} else {
				current = firstCell(cells)
				skip("section heading: " + current)
			}
			continue
		}
		if text == "" {
			skip("no question text")
			continue
		}
		section := current
		if v := cell(cells, m.Section); v != "" && !r.multi {
			section = strings.Join(strings.Fields(CleanText(v)), " ")
		}
		q := Question{Text: text, Help: CleanText(cell(cells, m.Help)), Weight: 3, Choices: []Choice{}, Expected: []string{}, Frameworks: []string{}}
		q.Key = r.key(cell(cells, m.ID), s.Name, at(row, m.ID))

		typeCell := cell(cells, m.Type)
		choices := splitChoices(cell(cells, m.Choices))
		if len(choices) == 0 && m.Answer != nil {
			choices = dedupe(s.ListAt(row, *m.Answer))
		}
		q.Type = typeFrom(typeCell, len(choices) > 0)
		switch {
		case typeCell == "" && len(choices) == 0 && answerLists:
			// The other answers are drop-downs; this one is written.
			q.Type = LongText
		case typeCell == "" && yesNoList(choices):
			q.Type = YesNoNA
		case typeCell == "" && len(choices) == 0 && asksForWords(text):
			// "Describe how…", "List the…": not a yes/no question.
			q.Type = LongText
			r.described++
		}
		r.scoring(&q, choices, cell(cells, m.Compliant), s.Name, at(row, m.Compliant))
		if m.Required != nil {
			q.Required = truthy(cell(cells, m.Required))
		}
		q.Frameworks = r.frameworks(cells, heads, m.Frameworks, q.Key, s.Name, at(row, nil))
		sec := r.section(section, s.Name, row)
		r.imp.Content.Sections[sec].Questions = append(r.imp.Content.Sections[sec].Questions, q)
		r.pending = append(r.pending, pendingQuestion{sec: sec, idx: len(r.imp.Content.Sections[sec].Questions) - 1, sheet: s.Name,
			weight: cell(cells, m.Weight), weightAt: at(row, m.Weight), showIf: cell(cells, m.ShowIf), showAt: at(row, m.ShowIf)})
	}
}

// sameHeadings reports whether a row repeats the heading row, as SIG
// sheets do under each section's title.
func sameHeadings(row, heads []string) bool {
	same, filled := 0, 0
	for i, c := range row {
		if c = normHeading(c); c == "" {
			continue
		}
		filled++
		if i < len(heads) && c == normHeading(heads[i]) {
			same++
		}
	}
	return filled >= 2 && same == filled
}

// section returns the index of the section a question goes in. A title
// that comes back after another section starts a section of its own, so
// questions stay in the sheet's order.
func (r *rowReader) section(title, sheetName string, row int) int {
	c := &r.imp.Content
	if n := len(c.Sections); n > 0 && c.Sections[n-1].Title == title {
		return n - 1
	}
	if r.sections[title] {
		r.imp.Change(Note{Sheet: sheetName, Cell: sheet.CellName(row, 0), Message: fmt.Sprintf("section %q comes back after another section; its questions from here on are a section of their own, so the sheet's order is kept", title)})
	}
	r.sections[title] = true
	c.Sections = append(c.Sections, Section{Key: sectionKey(title, len(c.Sections)), Title: title, Questions: []Question{}})
	return len(c.Sections) - 1
}

// key keeps a question's id exactly as published; only what cannot be a
// key changes, and the change is noted.
func (r *rowReader) key(raw, sheetName, cellRef string) string {
	note := func(key, msg string) {
		r.imp.Change(Note{Sheet: sheetName, Cell: cellRef, Question: key, Message: msg})
	}
	k := strings.Join(strings.FieldsFunc(raw, func(c rune) bool { return unicode.IsSpace(c) || unicode.IsControl(c) }), " ")
	k = strings.Map(func(c rune) rune {
		if c == utf8.RuneError || !(unicode.IsLetter(c) || unicode.IsDigit(c) || unicode.IsPunct(c) || unicode.IsSymbol(c) || unicode.IsMark(c) || c == ' ') {
			return -1
		}
		return c
	}, k)
	if k != raw && k != "" {
		note(k, fmt.Sprintf("id %q has line breaks, spaces or characters a key cannot hold; the key is %q", raw, k))
	}
	if utf8.RuneCountInString(k) > MaxKeyLength {
		short := string([]rune(k)[:MaxKeyLength-6])
		note(short, fmt.Sprintf("id %q is longer than %d characters; it was shortened", k, MaxKeyLength))
		k = short
	}
	if k == "" {
		for {
			r.generatedN++
			if k = fmt.Sprintf("Q-%03d", r.generatedN); !r.taken[k] {
				break
			}
		}
		note(k, "the row has no id; the question was given the key "+k)
	}
	base := k
	for n := 2; r.taken[k]; n++ {
		k = fmt.Sprintf("%s (%d)", base, n)
	}
	if k != base {
		note(k, fmt.Sprintf("id %q is used by an earlier question; this one is %q", base, k))
	}
	r.taken[k] = true
	if _, seen := r.keys[raw]; !seen && raw != "" {
		r.keys[strings.TrimSpace(raw)] = k
	}
	return k
}

// scoring gives a question its choices and how they score. A preferred
// (compliant) answer scores 100 and the others 0; a yes/no question
// prefers yes unless the sheet says no. A choice question without a
// preferred answer scores every choice 100, so it does not move the score
// until a reviewer sets the scores.
func (r *rowReader) scoring(q *Question, choices []string, compliant, sheetName, cellRef string) {
	switch {
	case q.Type == YesNoNA:
		q.Choices = []Choice{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}, {Value: "na", Label: "Not applicable"}}
		if yesNoList(choices) {
			for i := range q.Choices {
				for _, l := range choices {
					if yesWords[strings.ToLower(l)] == q.Choices[i].Value {
						q.Choices[i].Label = l
					}
				}
			}
		}
	case HasChoices(q.Type):
		values := map[string]bool{}
		for _, label := range choices {
			label = strings.Join(strings.Fields(CleanText(label)), " ")
			v := choiceValue(label)
			for base, n := v, 2; values[v]; n++ {
				v = fmt.Sprintf("%s_%d", base, n)
			}
			values[v] = true
			q.Choices = append(q.Choices, Choice{Value: v, Label: label})
		}
		if q.Type == MultipleChoice {
			q.Scoring = ScoringMax
		}
	case q.Type == Number:
		q.Thresholds = []Threshold{{Score: 100}}
	case q.Type == Date:
		q.MaxAgeDays = 365
	}
	r.prefer(q, compliant, sheetName, cellRef)
}

// prefer scores a question's choices around its preferred answer.
func (r *rowReader) prefer(q *Question, compliant, sheetName, cellRef string) {
	if !HasChoices(q.Type) {
		return
	}
	compliant = strings.TrimSpace(compliant)
	preferred := ""
	if compliant != "" {
		if v, ok := q.matchChoice(compliant); ok {
			preferred = v
		} else {
			r.imp.Change(Note{Sheet: sheetName, Cell: cellRef, Question: q.Key, Message: fmt.Sprintf("preferred answer %q is not one of the choices; it was not used", compliant)})
		}
	}
	if preferred == "" && q.Type == YesNoNA {
		preferred = "yes"
	}
	q.Expected = []string{}
	for i := range q.Choices {
		c := &q.Choices[i]
		switch {
		case q.Type == YesNoNA && c.Value == "na":
			c.Score = nil
		case preferred == "" || c.Value == preferred:
			c.Score = score(100)
			q.Expected = append(q.Expected, c.Value)
		default:
			c.Score = score(0)
		}
	}
}

// frameworks reads the framework-reference columns: each cell may hold
// several references; the column's heading names the framework unless it
// is a generic "Frameworks" or "Mapping".
func (r *rowReader) frameworks(cells, heads []string, cols []int, key, sheetName, cellRef string) []string {
	out := []string{}
	for _, c := range cols {
		heading := cellOf(heads, &c)
		if strings.Contains(strings.ToLower(heading), "lite") {
			// A subset flag such as "CAIQ Lite": the heading is the reference.
			if truthy(cellOf(cells, &c)) && !slices.Contains(out, heading) {
				out = append(out, heading)
			}
			continue
		}
		prefix := frameworkPrefix(heading)
		for _, ref := range strings.FieldsFunc(CleanText(cellOf(cells, &c)), func(r rune) bool { return r == '\n' || r == ';' || r == ',' }) {
			ref = strings.Join(strings.Fields(ref), " ")
			if ref == "" {
				continue
			}
			if prefix != "" && !strings.HasPrefix(strings.ToLower(ref), strings.ToLower(prefix)) {
				ref = prefix + " " + ref
			}
			if !slices.Contains(out, ref) {
				out = append(out, ref)
			}
		}
	}
	if len(out) > MaxImportedFrameworks {
		r.imp.Change(Note{Sheet: sheetName, Cell: cellRef, Question: key, Message: fmt.Sprintf("%d framework references; the first %d were kept", len(out), MaxImportedFrameworks)})
		out = out[:MaxImportedFrameworks]
	}
	return out
}

var frameworkSuffix = regexp.MustCompile(`(?i)\s*(\(.*\)|control ids?|ids?|mappings?|refs?|references?|controls?)\s*$`)

func frameworkPrefix(heading string) string {
	h := strings.Join(strings.Fields(heading), " ")
	for {
		t := frameworkSuffix.ReplaceAllString(h, "")
		if t == h {
			break
		}
		h = t
	}
	switch strings.ToLower(h) {
	case "", "framework", "frameworks", "framework references", "mapped", "standard", "standards":
		return ""
	}
	return h
}

// finish settles weights and show-if rules, which need every question.
func (r *rowReader) finish() {
	r.weights()
	r.showIfs()
	if !r.required && len(r.pending) > 0 {
		for _, p := range r.pending {
			r.question(p).Required = true
		}
		r.imp.Change(Note{Message: "the sheet marks no question required or critical; " + count(len(r.pending), "question is required (untick it in the editor)", "questions are all required (untick any in the editor)")})
	}
	if r.described > 0 {
		r.imp.Change(Note{Message: count(r.described, "question without an answer type asks for words (\"Describe…\", \"List…\"); it is a free-text question", "questions without an answer type ask for words (\"Describe…\", \"List…\"); they are free-text questions")})
	}
	neutral := 0
	for _, p := range r.pending {
		if q := r.question(p); q.Type != YesNoNA && HasChoices(q.Type) && len(q.Choices) > 1 && len(q.Expected) == len(q.Choices) {
			neutral++
		}
	}
	if neutral > 0 {
		r.imp.Change(Note{Message: count(neutral, "choice question names no preferred answer; each of its choices scores 100 until you set the scores", "choice questions name no preferred answer; each of their choices scores 100 until you set the scores")})
	}
}

var weightWords = map[string]float64{"critical": 5, "very high": 5, "high": 4, "major": 4, "medium": 3, "moderate": 3, "normal": 3,
	"low": 2, "minor": 2, "very low": 1, "info": 1, "informational": 1}

// weights keeps weights of 1-5 as they are and rescales any other scale
// linearly onto 1-5, so that order is kept: 5/10/20 become 1/2/5.
func (r *rowReader) weights() {
	nums := map[int]float64{}
	lo, hi := math.Inf(1), math.Inf(-1)
	inScale := true
	for i, p := range r.pending {
		v := strings.ToLower(strings.TrimSpace(strings.TrimSuffix(p.weight, "%")))
		if v == "" {
			continue
		}
		if w, ok := weightWords[v]; ok {
			r.question(p).Weight = int(w)
			continue
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
			r.imp.Change(Note{Sheet: p.sheet, Cell: p.weightAt, Question: r.question(p).Key, Message: fmt.Sprintf("weight %q is not a number nor a level (low, medium, high, critical); weight 3 was used", p.weight)})
			continue
		}
		nums[i] = f
		lo, hi = math.Min(lo, f), math.Max(hi, f)
		if f != math.Trunc(f) || f < 1 || f > 5 {
			inScale = false
		}
	}
	if len(nums) == 0 {
		return
	}
	mapped := map[float64]int{}
	for i, f := range nums {
		w := int(f)
		if !inScale {
			w = 3
			if hi > lo {
				w = 1 + int(math.Round((f-lo)*4/(hi-lo)))
			}
			mapped[f] = w
		}
		r.question(r.pending[i]).Weight = w
	}
	if !inScale {
		var from []float64
		for f := range mapped {
			from = append(from, f)
		}
		slices.Sort(from)
		parts := make([]string, len(from))
		for i, f := range from {
			parts[i] = fmt.Sprintf("%s→%d", strconv.FormatFloat(f, 'f', -1, 64), mapped[f])
		}
		r.imp.Change(Note{Message: fmt.Sprintf("weights run from %s to %s; they were rescaled to 1-5 keeping their order: %s",
			strconv.FormatFloat(lo, 'f', -1, 64), strconv.FormatFloat(hi, 'f', -1, 64), strings.Join(parts, ", "))})
	}
}

var valueSep = regexp.MustCompile(`\s*(?:\||,|;|\s+or\s+)\s*`)

var showIfRE = regexp.MustCompile(`(?i)^\s*(?:show\s+)?(?:if|when|only if)?\s*(.+?)\s*(?:\s+in\s+|\s*==?\s*|\s+is\s+|\s+equals\s+)(.+?)\s*$`)

// showIfs reads "KEY in a|b" (Rampart's export), "KEY = Yes", "If KEY is
// Yes or N/A", or a bare KEY (shown when answered yes). A rule that
// cannot be kept is dropped, and the question is always shown.
func (r *rowReader) showIfs() {
	index := map[string]int{}
	for i, p := range r.pending {
		index[r.question(p).Key] = i
	}
	for i, p := range r.pending {
		if strings.TrimSpace(p.showIf) == "" {
			continue
		}
		q := r.question(p)
		rule, why := r.parseShowIf(p.showIf, i, index)
		if rule == nil {
			r.imp.Change(Note{Sheet: p.sheet, Cell: p.showAt, Question: q.Key, Message: fmt.Sprintf("condition %q was dropped (%s); the question is always shown", p.showIf, why)})
			continue
		}
		q.ShowIf = rule
	}
}

func (r *rowReader) parseShowIf(raw string, self int, index map[string]int) (*ShowIf, string) {
	ref, vals := strings.TrimSpace(raw), ""
	if m := showIfRE.FindStringSubmatch(raw); m != nil {
		ref, vals = m[1], m[2]
	}
	ref = strings.TrimPrefix(strings.TrimPrefix(ref, "If "), "if ")
	key, ok := r.keys[ref]
	if !ok {
		for raw, k := range r.keys {
			if strings.EqualFold(raw, ref) {
				key, ok = k, true
			}
		}
	}
	if !ok {
		if _, own := index[ref]; own {
			key, ok = ref, true
		}
	}
	if !ok {
		return nil, fmt.Sprintf("no question has the id %q", ref)
	}
	at := index[key]
	if at >= self {
		return nil, fmt.Sprintf("%s is not an earlier question", key)
	}
	target := r.question(r.pending[at])
	if !HasChoices(target.Type) {
		return nil, fmt.Sprintf("%s has no choices to depend on", key)
	}
	rule := &ShowIf{Question: key, Equals: []string{}}
	if vals == "" {
		if target.Type != YesNoNA {
			return nil, "it names no answer"
		}
		rule.Equals = []string{"yes"}
		return rule, ""
	}
	for _, v := range valueSep.Split(vals, -1) {
		v = strings.Trim(v, `"' `)
		val, ok := target.matchChoice(v)
		if !ok {
			return nil, fmt.Sprintf("%q is not an answer of %s", v, key)
		}
		if !slices.Contains(rule.Equals, val) {
			rule.Equals = append(rule.Equals, val)
		}
	}
	return rule, ""
}

func score(v float64) *float64 { return &v }

// count writes "1 question …" or "3 questions …".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

var wordsRE = regexp.MustCompile(`(?i)^(describe|explain|list|provide|outline|detail|specify|summari[sz]e|identify|name|what|which|how|why|when|where|who|please (describe|explain|list|provide))\b`)

// asksForWords reports whether a question asks for a description rather
// than a yes or no.
func asksForWords(text string) bool { return wordsRE.MatchString(strings.TrimSpace(PlainText(text))) }

func dedupe(in []string) []string {
	var out []string
	for _, v := range in {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// yesNoList reports whether a drop-down offers yes and no (and maybe not
// applicable) and nothing else.
func yesNoList(choices []string) bool {
	seen := map[string]bool{}
	for _, c := range choices {
		v, ok := yesWords[strings.ToLower(strings.TrimSpace(c))]
		if !ok {
			return false
		}
		seen[v] = true
	}
	return seen["yes"] && seen["no"]
}

func truthy(v string) bool {
	return slices.Contains([]string{"yes", "y", "true", "x", "✓", "required", "mandatory", "critical", "1", "high"}, strings.ToLower(strings.TrimSpace(v)))
}

// headingRow reports whether a row is a section heading: one filled cell,
// in the first column or in the id, section or question column.
func headingRow(row []string, m Mapping) bool {
	if nonEmpty(row) != 1 {
		return false
	}
	for i, c := range row {
		if strings.TrimSpace(c) == "" {
			continue
		}
		for _, col := range []*int{m.ID, m.Section, m.Question} {
			if col != nil && *col == i {
				return true
			}
		}
		return i == 0
	}
	return false
}

// typeFrom maps the answer-type words spreadsheets use onto question types.
func typeFrom(v string, hasChoices bool) string {
	v = strings.ToLower(v)
	switch {
	case slices.Contains(Types, v):
		return v
	case strings.Contains(v, "multi") || strings.Contains(v, "checkbox") || strings.Contains(v, "select all"):
		return MultipleChoice
	case strings.Contains(v, "yes") || strings.Contains(v, "y/n") || strings.Contains(v, "boolean"):
		return YesNoNA
	case strings.Contains(v, "single") || strings.Contains(v, "choice") || strings.Contains(v, "select") || strings.Contains(v, "list") || strings.Contains(v, "dropdown"):
		return SingleChoice
	case strings.Contains(v, "file") || strings.Contains(v, "upload") || strings.Contains(v, "attach") || strings.Contains(v, "evidence") || strings.Contains(v, "document"):
		return File
	case strings.Contains(v, "date"):
		return Date
	case strings.Contains(v, "number") || strings.Contains(v, "numeric") || strings.Contains(v, "integer"):
		return Number
	case strings.Contains(v, "long") || strings.Contains(v, "paragraph") || strings.Contains(v, "free") || strings.Contains(v, "comment") || strings.Contains(v, "describe"):
		return LongText
	case strings.Contains(v, "text") || strings.Contains(v, "short"):
		return ShortText
	}
	if hasChoices {
		return SingleChoice
	}
	return YesNoNA
}

var nonValue = regexp.MustCompile(`[^a-z0-9]+`)

func choiceValue(label string) string {
	v := strings.Trim(nonValue.ReplaceAllString(strings.ToLower(label), "_"), "_")
	if v == "" {
		v = "option"
	}
	return v
}

func sectionKey(title string, i int) string {
	k := strings.Trim(nonValue.ReplaceAllString(strings.ToLower(title), "_"), "_")
	if len(k) > 40 {
		k = strings.TrimRight(k[:40], "_")
	}
	if k == "" || k[0] < 'a' || k[0] > 'z' {
		k = "section_" + k
	}
	return strings.TrimSuffix(k, "_") + "_" + strconv.Itoa(i+1)
}

// lookup reads a sheet that holds, per question id, what the question
// sheets leave out: the preferred answer, the weight or whether it is
// critical (HECVAT keeps these on a hidden scoring sheet). It reports
// whether the sheet was used.
func (r *rowReader) lookup(s *sheet.Sheet) bool {
	for h := 0; h < len(s.Rows) && h < headerRows; h++ {
		m, _ := mapHeadings(s.Rows[h])
		if m.ID == nil || m.Question != nil || (m.Compliant == nil && m.Weight == nil && m.Required == nil) {
			continue
		}
		at := map[string]int{}
		for i, p := range r.pending {
			at[r.question(p).Key] = i
		}
		used := 0
		for row := h + 1; row < len(s.Rows); row++ {
			cells := s.Rows[row]
			key, ok := r.keys[cellOf(cells, m.ID)]
			if !ok {
				continue
			}
			p := &r.pending[at[key]]
			q := r.question(*p)
			if m.Compliant != nil && cellOf(cells, m.Compliant) != "" {
				r.prefer(q, cellOf(cells, m.Compliant), s.Name, sheet.CellName(row, *m.Compliant))
			}
			if m.Weight != nil && p.weight == "" {
				p.weight, p.weightAt, p.sheet = cellOf(cells, m.Weight), sheet.CellName(row, *m.Weight), s.Name
			}
			if m.Required != nil {
				q.Required = q.Required || truthy(cellOf(cells, m.Required))
				r.required = true
			}
			used++
		}
		if used > 0 {
			r.imp.Change(Note{Sheet: s.Name, Message: fmt.Sprintf("preferred answers, weights or critical flags of %d questions were read from sheet %q", used, s.Name)})
		}
		return used > 0
	}
	return false
}
