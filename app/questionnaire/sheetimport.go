package questionnaire

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"rampart/app/sheet"
)

// Mapping says which spreadsheet column holds what. Columns are 0-based;
// nil means "not in this file".
type Mapping struct {
	Sheet     string `json:"sheet"`
	HeaderRow int    `json:"header_row" description:"1-based row of the column headings"`
	ID        *int   `json:"id"`
	Section   *int   `json:"section"`
	Question  *int   `json:"question"`
	Type      *int   `json:"type"`
	Choices   *int   `json:"choices"`
	Help      *int   `json:"help"`
	Required  *int   `json:"required"`
	Weight    *int   `json:"weight"`
}

// Skipped is a row the import did not turn into a question, and why.
type Skipped struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	Reason string `json:"reason"`
}

// SheetInfo describes one sheet of the workbook.
type SheetInfo struct {
	Name   string `json:"name"`
	Hidden bool   `json:"hidden"`
	Rows   int    `json:"rows"`
}

// Note is one thing an import changed on the way in (a key, a weight, a
// type) or could not take, with where it was: the sheet and cell of a
// workbook, or the line of a JSON file.
type Note struct {
	Sheet    string `json:"sheet,omitempty"`
	Cell     string `json:"cell,omitempty" description:"A1-style cell, or \"line N\" in a text file"`
	Question string `json:"question,omitempty" description:"the question's key"`
	Message  string `json:"message"`
}

// Import is what an uploaded questionnaire would become: its format, the
// mapping used for a spreadsheet (guessed or given), the questions, every
// row skipped with its reason and every change made on the way in. It is
// the report shown before anything is saved.
type Import struct {
	Format      string      `json:"format" description:"rampart, caiq, hecvat, vsaq or sheet"`
	Name        string      `json:"name"`
	Description string      `json:"description"`
	Sheets      []SheetInfo `json:"sheets"`
	Columns     []string    `json:"columns"`
	Preview     [][]string  `json:"preview" description:"the first rows under the headings of the mapped sheet, as read"`
	Mapping     Mapping     `json:"mapping"`
	Content     Content     `json:"content"`
	Skipped     []Skipped   `json:"skipped"`
	Changes     []Note      `json:"changes"`
	Warnings    []string    `json:"warnings"`
}

// NewImport returns an empty report of the given format.
func NewImport(format string) *Import {
	return &Import{Format: format, Sheets: []SheetInfo{}, Columns: []string{}, Preview: [][]string{}, Skipped: []Skipped{}, Changes: []Note{}, Warnings: []string{}}
}

// Change records a change made on the way in.
func (imp *Import) Change(n Note) { imp.Changes = append(imp.Changes, n) }

// headerWords are the headings each field is recognised by.
var headerWords = map[string][]string{
	"id":       {"id", "#", "no", "no.", "nr", "number", "ref", "reference", "question id", "control id", "item"},
	"section":  {"section", "category", "domain", "area", "topic", "control area", "group"},
	"question": {"question", "questions", "requirement", "control question", "question text", "query"},
	"type":     {"type", "answer type", "response type", "format", "answer format"},
	"choices":  {"choices", "options", "answers", "possible answers", "answer options", "allowed values", "values"},
	"help":     {"help", "guidance", "notes", "hint", "explanation", "comments", "instructions"},
	"required": {"required", "mandatory"},
	"weight":   {"weight", "importance", "priority"},
}

func headerField(cell string) string {
	c := strings.ToLower(strings.Join(strings.Fields(cell), " "))
	c = strings.TrimSuffix(c, ":")
	for field, words := range headerWords {
		if slices.Contains(words, c) {
			return field
		}
	}
	return ""
}

// columnNames makes headings unique, as sheets often repeat one
// ("Comments", "Comments"): the second becomes "Comments (2)".
func columnNames(row []string) []string {
	out := make([]string, len(row))
	seen := map[string]int{}
	for i, h := range row {
		h = strings.Join(strings.Fields(h), " ")
		if h == "" {
			h = "Column " + strconv.Itoa(i+1)
		}
		seen[strings.ToLower(h)]++
		if n := seen[strings.ToLower(h)]; n > 1 {
			h = fmt.Sprintf("%s (%d)", h, n)
		}
		out[i] = h
	}
	return out
}

// guessHeader finds the heading row among the first rows of a sheet and
// maps the columns it names (the first of repeated headings wins).
func guessHeader(rows [][]string) (int, Mapping, bool) {
	for r := 0; r < len(rows) && r < 30; r++ {
		var m Mapping
		found := 0
		for i, cell := range rows[r] {
			i := i
			var dst **int
			switch headerField(cell) {
			case "id":
				dst = &m.ID
			case "section":
				dst = &m.Section
			case "question":
				dst = &m.Question
			case "type":
				dst = &m.Type
			case "choices":
				dst = &m.Choices
			case "help":
				dst = &m.Help
			case "required":
				dst = &m.Required
			case "weight":
				dst = &m.Weight
			}
			if dst != nil && *dst == nil {
				*dst = &i
				found++
			}
		}
		if m.Question != nil && found >= 2 {
			m.HeaderRow = r + 1
			return r, m, true
		}
	}
	return 0, Mapping{}, false
}

// FromSheets reads a questionnaire out of a workbook as it comes in the
// wild: instruction rows above the headings, section headings between
// questions, multi-line cells, repeated headings, hidden and several
// sheets. With m nil the mapping is guessed.
func FromSheets(sheets []sheet.Sheet, m *Mapping) (*Import, error) {
	out := NewImport("sheet")
	for _, s := range sheets {
		out.Sheets = append(out.Sheets, SheetInfo{Name: s.Name, Hidden: s.Hidden, Rows: len(s.Rows)})
	}
	var chosen *sheet.Sheet
	var mapping Mapping
	header := -1
	if m != nil {
		for i := range sheets {
			if sheets[i].Name == m.Sheet || (m.Sheet == "" && !sheets[i].Hidden) {
				chosen = &sheets[i]
				break
			}
		}
		if chosen == nil {
			return nil, fmt.Errorf("the workbook has no sheet %q", m.Sheet)
		}
		mapping, header = *m, m.HeaderRow-1
		if header < 0 || header >= len(chosen.Rows) {
			return nil, fmt.Errorf("header_row %d is outside the sheet's %d rows", m.HeaderRow, len(chosen.Rows))
		}
		if mapping.Question == nil {
			return nil, fmt.Errorf("map the column that holds the questions")
		}
	} else {
		best := -1
		for i := range sheets {
			if sheets[i].Hidden {
				continue
			}
			if r, gm, ok := guessHeader(sheets[i].Rows); ok && len(sheets[i].Rows)-r > best {
				chosen, mapping, header, best = &sheets[i], gm, r, len(sheets[i].Rows)-r
			}
		}
		if chosen == nil {
			return nil, fmt.Errorf("no visible sheet has a heading row with a question column (such as \"Question\"); map the columns yourself")
		}
	}
	mapping.Sheet = chosen.Name
	mapping.HeaderRow = header + 1
	out.Mapping = mapping
	out.Columns = columnNames(chosen.Rows[header])
	for _, s := range sheets {
		if s.Name != chosen.Name && len(s.Rows) > 0 {
			reason := "another sheet"
			if s.Hidden {
				reason = "hidden sheet"
			}
			out.Skipped = append(out.Skipped, Skipped{Sheet: s.Name, Reason: reason + ", not imported"})
		}
	}
	for r := 0; r < header; r++ {
		if !blank(chosen.Rows[r]) {
			out.Skipped = append(out.Skipped, Skipped{Sheet: chosen.Name, Row: r + 1, Reason: "instruction row above the headings"})
		}
	}
	out.Content = readQuestions(chosen, header, mapping, out)
	if len(out.Content.Questions()) == 0 {
		out.Warnings = append(out.Warnings, "no question rows were found under the headings")
	}
	return out, nil
}

var keyChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func readQuestions(s *sheet.Sheet, header int, m Mapping, out *Import) Content {
	cell := func(row []string, col *int) string {
		if col == nil || *col < 0 || *col >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[*col])
	}
	var c Content
	sectionIndex := map[string]int{}
	current := "General"
	keys := map[string]bool{}
	for r := header + 1; r < len(s.Rows); r++ {
		row := s.Rows[r]
		skip := func(reason string) {
			out.Skipped = append(out.Skipped, Skipped{Sheet: s.Name, Row: r + 1, Reason: reason})
		}
		if blank(row) {
			continue
		}
		text := cell(row, m.Question)
		if headingRow(row, m) && (text == "" || (!strings.HasSuffix(text, "?") && cell(row, m.ID) == "" && len(text) < 100)) {
			current = firstCell(row)
			skip("section heading: " + current)
			continue
		}
		if text == "" {
			skip("no question text")
			continue
		}
		section := cell(row, m.Section)
		if section == "" {
			section = current
		}
		key := keyChars.ReplaceAllString(cell(row, m.ID), "-")
		key = strings.Trim(key, "-.")
		if len(key) > 40 {
			key = key[:40]
		}
		if key == "" {
			key = fmt.Sprintf("Q-%03d", len(keys)+1)
		}
		for base, n := key, 2; keys[key]; n++ {
			key = fmt.Sprintf("%s-%d", base, n)
		}
		keys[key] = true
		q := Question{Key: key, Text: text, Help: cell(row, m.Help), Weight: 3, Choices: []Choice{}, Expected: []string{}, Frameworks: []string{}}
		choices := splitChoices(cell(row, m.Choices))
		q.Type = typeFrom(cell(row, m.Type), len(choices) > 0)
		switch {
		case q.Type == YesNoNA:
			q.Choices = []Choice{{Value: "yes", Label: "Yes", Score: score(100)}, {Value: "no", Label: "No", Score: score(0)}, {Value: "na", Label: "Not applicable"}}
			q.Expected = []string{"yes"}
		case HasChoices(q.Type):
			for _, label := range choices {
				q.Choices = append(q.Choices, Choice{Value: choiceValue(label), Label: label})
			}
			if q.Type == MultipleChoice {
				q.Scoring = ScoringMax
			}
		case q.Type == Number:
			q.Thresholds = []Threshold{{Score: 100}}
		case q.Type == Date:
			q.MaxAgeDays = 365
		}
		if req := strings.ToLower(cell(row, m.Required)); slices.Contains([]string{"yes", "y", "true", "x", "required", "mandatory", "1"}, req) {
			q.Required = true
		}
		if w, err := strconv.Atoi(cell(row, m.Weight)); err == nil && w >= 1 && w <= 5 {
			q.Weight = w
		}
		i, ok := sectionIndex[section]
		if !ok {
			i = len(c.Sections)
			sectionIndex[section] = i
			c.Sections = append(c.Sections, Section{Key: sectionKey(section, i), Title: section, Questions: []Question{}})
		}
		c.Sections[i].Questions = append(c.Sections[i].Questions, q)
	}
	return c
}

func score(v float64) *float64 { return &v }

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

func blank(row []string) bool { return nonEmpty(row) == 0 }

func nonEmpty(row []string) int {
	n := 0
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

func firstCell(row []string) string {
	for _, c := range row {
		if c = strings.TrimSpace(c); c != "" {
			return strings.Join(strings.Fields(c), " ")
		}
	}
	return ""
}

func splitChoices(v string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == ';' || r == '|' }) {
		if part = strings.TrimSpace(part); part != "" && !slices.Contains(out, part) {
			out = append(out, part)
		}
	}
	return out
}

// typeFrom maps the answer-type words spreadsheets use onto question types.
func typeFrom(v string, hasChoices bool) string {
	v = strings.ToLower(v)
	switch {
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
	if k == "" || k[0] < 'a' || k[0] > 'z' {
		k = "section_" + k
	}
	return strings.TrimSuffix(k, "_") + "_" + strconv.Itoa(i+1)
}
