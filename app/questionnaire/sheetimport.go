package questionnaire

import (
	"errors"
	"fmt"
	"html"
	"slices"
	"strings"

	"rampart/app/sheet"
)

// Mapping says which spreadsheet column holds what. Columns are 0-based;
// nil means "not in this file".
type Mapping struct {
	Sheet string `json:"sheet" description:"the sheet whose headings the columns refer to"`
	// Sheets are further sheets imported with the same headings, each
	// as a section of its own (one tab = one section, as in HECVAT).
	Sheets    []string `json:"sheets" description:"further sheets imported with the same headings, one section each"`
	HeaderRow int      `json:"header_row" description:"1-based row of the column headings"`
	ID        *int     `json:"id"`
	Section   *int     `json:"section"`
	Question  *int     `json:"question"`
	Type      *int     `json:"type"`
	Choices   *int     `json:"choices"`
	// Answer is where the vendor answers: its drop-down list, when the
	// sheet has one, gives the question's choices.
	Answer   *int `json:"answer"`
	Help     *int `json:"help"`
	Required *int `json:"required" description:"required, mandatory or critical flags"`
	Weight   *int `json:"weight"`
	// Compliant holds the answer a reviewer wants ("Preferred response"),
	// e.g. "No" for "Do you store card numbers?".
	Compliant  *int  `json:"compliant"`
	ShowIf     *int  `json:"show_if"`
	Frameworks []int `json:"frameworks" description:"columns of framework references (CCM, ISO 27001, NIST...)"`
}

// Skipped is a row the import did not turn into a question, and why.
type Skipped struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	Reason string `json:"reason"`
}

// SheetInfo describes one sheet of the workbook.
type SheetInfo struct {
	Name    string `json:"name"`
	Hidden  bool   `json:"hidden"`
	Rows    int    `json:"rows"`
	Problem string `json:"problem,omitempty"`
	// Questions is the row of headings the sheet seems to have (1-based,
	// 0 when none), so a picker can tell question tabs from the rest.
	HeaderRow int `json:"header_row"`
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

func (imp *Import) skip(sheet string, row int, reason string) {
	imp.Skipped = append(imp.Skipped, Skipped{Sheet: sheet, Row: row, Reason: reason})
}

// headerRows is how far down a sheet its headings are looked for: SIG and
// HECVAT put instructions, logos and version notes above them.
const headerRows = 50

// FromSheets reads a questionnaire out of a workbook as it comes in the
// wild: instruction rows above the headings, section headings between
// questions, multi-line cells, repeated headings, drop-down answer lists,
// hidden and several sheets. With m nil the mapping is guessed. Rampart's
// own export is recognised and read back exactly.
func FromSheets(sheets []sheet.Sheet, m *Mapping) (*Import, error) {
	if m == nil {
		if imp, ok := fromExport(sheets); ok {
			return imp, nil
		}
	}
	imp := NewImport("sheet")
	for _, s := range sheets {
		info := SheetInfo{Name: s.Name, Hidden: s.Hidden, Rows: len(s.Rows), Problem: s.Problem}
		if r, _, ok := guessHeader(s.Rows); ok {
			info.HeaderRow = r + 1
		}
		imp.Sheets = append(imp.Sheets, info)
	}
	main, mapping, err := chooseMapping(sheets, m)
	var none *noHeadings
	if errors.As(err, &none) {
		// Not a dead end: the report still shows the sheet's rows, so that
		// the heading row and the columns can be chosen by hand.
		imp.Mapping = Mapping{Sheet: none.sheet.Name, Sheets: []string{}, HeaderRow: none.header + 1, Frameworks: []int{}}
		imp.Columns = columnNames(none.sheet.Rows[min(none.header, len(none.sheet.Rows)-1)])
		for r := none.header + 1; r < len(none.sheet.Rows) && len(imp.Preview) < 8; r++ {
			imp.Preview = append(imp.Preview, none.sheet.Rows[r])
		}
		imp.Warnings = append(imp.Warnings, none.msg)
		return imp, nil
	}
	if err != nil {
		return nil, err
	}
	header := mapping.HeaderRow - 1
	imp.Mapping = mapping
	imp.Columns = columnNames(main.Rows[header])
	for r := header + 1; r < len(main.Rows) && len(imp.Preview) < 8; r++ {
		if !blank(main.Rows[r]) {
			imp.Preview = append(imp.Preview, main.Rows[r])
		}
	}
	imp.Format = formatOf(sheets, imp.Columns)

	// Sections follow the workbook's tab order.
	var chosen []string
	for _, s := range sheets {
		if s.Name == main.Name || slices.Contains(mapping.Sheets, s.Name) {
			chosen = append(chosen, s.Name)
		}
	}
	for _, name := range mapping.Sheets {
		if findSheet(sheets, name) == nil {
			return nil, fmt.Errorf("the workbook has no sheet %q", name)
		}
	}
	r := newReader(imp, len(chosen) > 1)
	for _, name := range chosen {
		s := findSheet(sheets, name)
		if s.Problem != "" {
			imp.Warnings = append(imp.Warnings, s.Problem)
		}
		h, cols := header, mapping
		if s != main {
			var ok bool
			if h, cols, ok = alignSheet(s, main.Rows[header], mapping); !ok {
				imp.Warnings = append(imp.Warnings, fmt.Sprintf("sheet %q has no row with the headings of %q; it was not imported", s.Name, main.Name))
				continue
			}
		}
		for row := 0; row < h; row++ {
			if !blank(s.Rows[row]) {
				imp.skip(s.Name, row+1, "instruction row above the headings")
			}
		}
		r.sheet(s, h, cols)
	}
	for _, s := range sheets {
		if !slices.Contains(chosen, s.Name) && len(s.Rows) > 0 && !r.lookup(&s) {
			reason := "another sheet"
			if s.Hidden {
				reason = "hidden sheet"
			}
			imp.skip(s.Name, 0, reason+", not imported")
		}
	}
	r.finish()
	if len(imp.Content.Questions()) == 0 {
		imp.Warnings = append(imp.Warnings, "no question rows were found under the headings")
	}
	return imp, nil
}

// noHeadings is a sheet where no question headings were found: the
// report still shows it, for the columns to be chosen by hand.
type noHeadings struct {
	sheet  *sheet.Sheet
	header int
	msg    string
}

func (e *noHeadings) Error() string { return e.msg }

func findSheet(sheets []sheet.Sheet, name string) *sheet.Sheet {
	for i := range sheets {
		if sheets[i].Name == name {
			return &sheets[i]
		}
	}
	return nil
}

// chooseMapping checks a given mapping, or guesses one: the visible sheet
// with the most rows under recognisable headings, plus every other
// visible sheet with the same kind of headings (a multi-tab
// questionnaire).
func chooseMapping(sheets []sheet.Sheet, m *Mapping) (*sheet.Sheet, Mapping, error) {
	if m != nil {
		var s *sheet.Sheet
		if m.Sheet == "" {
			for i := range sheets {
				if !sheets[i].Hidden && len(sheets[i].Rows) > 0 {
					s = &sheets[i]
					break
				}
			}
		} else {
			s = findSheet(sheets, m.Sheet)
		}
		if s == nil {
			return nil, Mapping{}, fmt.Errorf("the workbook has no sheet %q", m.Sheet)
		}
		if m.Question == nil {
			// A sheet (and maybe a heading row) chosen, columns not yet:
			// guess them there, as the wizard does when the sheet changes.
			rows := s.Rows
			if m.HeaderRow > 0 && m.HeaderRow <= len(rows) {
				rows = rows[m.HeaderRow-1 : m.HeaderRow]
			}
			r, gm, ok := guessHeader(rows)
			if !ok {
				return nil, Mapping{}, &noHeadings{sheet: s, header: max(m.HeaderRow-1, 0),
					msg: fmt.Sprintf("sheet %q has no row of headings with a question column where it was looked for; choose the heading row and the column that holds the questions", s.Name)}
			}
			if m.HeaderRow > 0 {
				r = m.HeaderRow - 1
			}
			gm.Sheet, gm.Sheets, gm.HeaderRow = s.Name, m.Sheets, r+1
			return s, gm, nil
		}
		if m.HeaderRow < 1 || m.HeaderRow > len(s.Rows) {
			return nil, Mapping{}, fmt.Errorf("header_row %d is outside sheet %q's %d rows", m.HeaderRow, s.Name, len(s.Rows))
		}
		out := *m
		out.Sheet = s.Name
		width := len(s.Rows[m.HeaderRow-1])
		for _, c := range append(out.columns(), out.Frameworks...) {
			if c < 0 || c >= width {
				return nil, Mapping{}, fmt.Errorf("column %d is outside sheet %q's %d columns", c+1, s.Name, width)
			}
		}
		return s, out, nil
	}
	var main *sheet.Sheet
	var mapping Mapping
	best := -1
	for i := range sheets {
		if sheets[i].Hidden {
			continue
		}
		if r, gm, ok := guessHeader(sheets[i].Rows); ok && len(sheets[i].Rows)-r > best {
			main, mapping, best = &sheets[i], gm, len(sheets[i].Rows)-r
			mapping.HeaderRow = r + 1
		}
	}
	if main == nil {
		for i := range sheets {
			if !sheets[i].Hidden && len(sheets[i].Rows) > 0 {
				return nil, Mapping{}, &noHeadings{sheet: &sheets[i],
					msg: fmt.Sprintf("no visible sheet has a row of headings with a question column (such as \"Question\") in its first %d rows; choose the sheet, the heading row and the columns below", headerRows)}
			}
		}
		return nil, Mapping{}, fmt.Errorf("the file has no rows")
	}
	mapping.Sheet = main.Name
	mapping.Sheets = []string{}
	for i := range sheets {
		if s := &sheets[i]; s != main && !s.Hidden {
			if _, _, ok := guessHeader(s.Rows); ok {
				mapping.Sheets = append(mapping.Sheets, s.Name)
			}
		}
	}
	return main, mapping, nil
}

func (m Mapping) columns() []int {
	var out []int
	for _, c := range []*int{m.ID, m.Section, m.Question, m.Type, m.Choices, m.Answer, m.Help, m.Required, m.Weight, m.Compliant, m.ShowIf} {
		if c != nil {
			out = append(out, *c)
		}
	}
	return out
}

// alignSheet finds, in another sheet, the row with the main sheet's
// headings and maps the same fields by heading name, so tabs whose
// columns sit in a different order still line up.
func alignSheet(s *sheet.Sheet, mainHead []string, m Mapping) (int, Mapping, bool) {
	norm := func(c string) string { return normHeading(c) }
	want := norm(cellOf(mainHead, m.Question))
	for r := 0; r < len(s.Rows) && r < headerRows; r++ {
		row := s.Rows[r]
		idx := map[string]int{}
		for i, c := range row {
			if _, seen := idx[norm(c)]; !seen && norm(c) != "" {
				idx[norm(c)] = i
			}
		}
		if _, ok := idx[want]; !ok {
			continue
		}
		out := m
		remap := func(col *int) *int {
			if col == nil {
				return nil
			}
			if i, ok := idx[norm(cellOf(mainHead, col))]; ok {
				return &i
			}
			return nil
		}
		out.ID, out.Section, out.Question, out.Type, out.Choices = remap(m.ID), remap(m.Section), remap(m.Question), remap(m.Type), remap(m.Choices)
		out.Answer, out.Help, out.Required, out.Weight = remap(m.Answer), remap(m.Help), remap(m.Required), remap(m.Weight)
		out.Compliant, out.ShowIf = remap(m.Compliant), remap(m.ShowIf)
		out.Frameworks = nil
		for _, f := range m.Frameworks {
			if p := remap(&f); p != nil {
				out.Frameworks = append(out.Frameworks, *p)
			}
		}
		return r, out, true
	}
	return 0, Mapping{}, false
}

func cellOf(row []string, col *int) string {
	if col == nil || *col < 0 || *col >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[*col])
}

// formatOf names the publisher's format when its headings or tabs give it
// away; it only labels the report.
func formatOf(sheets []sheet.Sheet, columns []string) string {
	for _, c := range columns {
		if n := normHeading(c); n == "csp caiq answer" || strings.HasPrefix(n, "ccm control") || strings.Contains(n, "consensus assessment") {
			return "caiq"
		}
	}
	for _, s := range sheets {
		for r := 0; r < len(s.Rows) && r < 10; r++ {
			for _, c := range s.Rows[r] {
				if strings.Contains(strings.ToUpper(c), "HECVAT") {
					return "hecvat"
				}
			}
		}
	}
	return "sheet"
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

// splitChoices reads a choices cell: one choice per line, or separated by
// ";" or "|". Entities are decoded first, so "&mdash;" is one dash, not a
// split.
func splitChoices(v string) []string {
	v = html.UnescapeString(v)
	var out []string
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == ';' || r == '|' }) {
		if part = strings.TrimSpace(part); part != "" && !slices.Contains(out, part) {
			out = append(out, part)
		}
	}
	return out
}
