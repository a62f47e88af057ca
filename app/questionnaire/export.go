package questionnaire

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"rampart/app/sheet"
)

// ExportSheet is one sheet of an exported questionnaire.
type ExportSheet struct {
	Name string
	Rows [][]string
}

// exportFormat names the layout on the About sheet, so that a later
// layout can still read this one.
const exportFormat = "rampart-questionnaire/1"

// exportHeadings are the columns of Rampart's questionnaire export: every
// field of every question, so that exporting and importing again gives
// the same questionnaire.
var exportHeadings = []string{"section_key", "section", "section_description", "key", "question", "help", "type", "required", "weight",
	"choices", "expected", "scoring", "thresholds", "max_age_days", "show_if", "frameworks"}

// Export lays a questionnaire out as a workbook a person can read and
// edit: one row per question (choices, thresholds and references one per
// line in their cell) and an About sheet with its name and description.
func Export(t Template) []ExportSheet {
	rows := [][]string{exportHeadings}
	for _, sec := range t.Sections {
		if len(sec.Questions) == 0 {
			rows = append(rows, []string{sec.Key, sec.Title, sec.Description, "", "", "", "", "", "", "", "", "", "", "", "", ""})
		}
		for _, q := range sec.Questions {
			var choices, thresholds []string
			for _, c := range q.Choices {
				choices = append(choices, c.Value+"="+scoreText(c.Score)+"="+c.Label)
			}
			for _, th := range q.Thresholds {
				max := "*"
				if th.Max != nil {
					max = strconv.FormatFloat(*th.Max, 'f', -1, 64)
				}
				thresholds = append(thresholds, max+"="+strconv.FormatFloat(th.Score, 'f', -1, 64))
			}
			showIf := ""
			if q.ShowIf != nil {
				showIf = q.ShowIf.Question + " in " + strings.Join(q.ShowIf.Equals, "|")
			}
			maxAge := ""
			if q.MaxAgeDays != 0 {
				maxAge = strconv.Itoa(q.MaxAgeDays)
			}
			rows = append(rows, []string{sec.Key, sec.Title, sec.Description, q.Key, q.Text, q.Help, q.Type, strconv.FormatBool(q.Required),
				strconv.Itoa(q.Weight), strings.Join(choices, "\n"), strings.Join(q.Expected, "\n"), q.Scoring, strings.Join(thresholds, "\n"),
				maxAge, showIf, strings.Join(q.Frameworks, "\n")})
		}
	}
	about := [][]string{{"field", "value"}, {"format", exportFormat}, {"key", t.Key}, {"name", t.Name}, {"description", t.Description}}
	return []ExportSheet{{Name: "Questionnaire", Rows: rows}, {Name: "About", Rows: about}}
}

// ExportXLSX writes Export's sheets as an XLSX workbook.
func ExportXLSX(w io.Writer, t Template) error {
	var x *sheet.XLSXWriter
	var err error
	for i, sh := range Export(t) {
		if i == 0 {
			x, err = sheet.NewXLSX(sh.Name)
		} else {
			err = x.NextSheet(sh.Name)
		}
		if err != nil {
			return err
		}
		for _, row := range sh.Rows {
			cells := make([]any, len(row))
			for j, v := range row {
				cells[j] = v
			}
			if err := x.Write(cells); err != nil {
				return err
			}
		}
	}
	return x.Finish(w)
}

func scoreText(s *float64) string {
	if s == nil {
		return ""
	}
	return strconv.FormatFloat(*s, 'f', -1, 64)
}

// oldExportHeadings are the columns of the export before it carried every
// field; such files are still read.
var oldExportHeadings = []string{"section", "key", "question", "help", "type", "required", "weight", "choices (value=label=score)", "expected", "show_if", "frameworks"}

// fromExport reads Rampart's own export back, field by field.
func fromExport(sheets []sheet.Sheet) (*Import, bool) {
	for _, s := range sheets {
		if len(s.Rows) == 0 {
			continue
		}
		head := s.Rows[0]
		current := equalHeadings(head, exportHeadings)
		if !current && !equalHeadings(head, oldExportHeadings) {
			continue
		}
		imp := NewImport("rampart")
		imp.Columns = columnNames(head)
		imp.Mapping = Mapping{Sheet: s.Name, HeaderRow: 1, Sheets: []string{}, Frameworks: []int{}}
		col := map[string]int{}
		for i, h := range head {
			col[strings.TrimSpace(h)] = i
		}
		for _, o := range sheets {
			imp.Sheets = append(imp.Sheets, SheetInfo{Name: o.Name, Hidden: o.Hidden, Rows: len(o.Rows), Problem: o.Problem})
			if o.Name == "About" {
				for _, row := range o.Rows {
					switch cellAt(row, 0) {
					case "name":
						imp.Name = cellAt(row, 1)
					case "description":
						imp.Description = cellAt(row, 1)
					}
				}
			}
		}
		for r := 1; r < len(s.Rows); r++ {
			readExportRow(imp, s.Name, r, s.Rows[r], col, current)
		}
		return imp, true
	}
	return nil, false
}

func equalHeadings(row, want []string) bool {
	if len(row) < len(want) {
		return false
	}
	for i, w := range want {
		if strings.TrimSpace(row[i]) != w {
			return false
		}
	}
	return true
}

func cellAt(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i]
}

func readExportRow(imp *Import, sheetName string, r int, row []string, col map[string]int, current bool) {
	get := func(name string) string {
		i, ok := col[name]
		if !ok {
			return ""
		}
		return cellAt(row, i)
	}
	bad := func(name, key, msg string) {
		imp.Change(Note{Sheet: sheetName, Cell: sheet.CellName(r, col[name]), Question: key, Message: msg})
	}
	if blank(row) {
		return
	}
	c := &imp.Content
	title := get("section")
	secKey := get("section_key")
	if !current {
		secKey = sectionKey(title, len(c.Sections))
		if n := len(c.Sections); n > 0 && c.Sections[n-1].Title == title {
			secKey = c.Sections[n-1].Key
		}
	}
	if n := len(c.Sections); n == 0 || c.Sections[n-1].Key != secKey {
		c.Sections = append(c.Sections, Section{Key: secKey, Title: title, Description: get("section_description"), Questions: []Question{}})
	}
	sec := &c.Sections[len(c.Sections)-1]
	key := get("key")
	if key == "" && get("question") == "" {
		return
	}
	q := Question{Key: key, Text: keepMarkup(get("question")), Help: keepMarkup(get("help")), Type: get("type"), Scoring: get("scoring"),
		Choices: []Choice{}, Expected: lines(get("expected")), Frameworks: lines(get("frameworks"))}
	q.Required = strings.EqualFold(get("required"), "true")
	w, err := strconv.Atoi(get("weight"))
	if err != nil {
		bad("weight", key, fmt.Sprintf("weight %q is not a whole number", get("weight")))
	}
	q.Weight = w
	if v := get("max_age_days"); v != "" {
		if q.MaxAgeDays, err = strconv.Atoi(v); err != nil {
			bad("max_age_days", key, fmt.Sprintf("max_age_days %q is not a whole number", v))
		}
	}
	if current {
		for _, line := range lines(get("choices")) {
			parts := strings.SplitN(line, "=", 3)
			if len(parts) != 3 {
				bad("choices", key, fmt.Sprintf("choice %q is not value=score=label", line))
				continue
			}
			q.Choices = append(q.Choices, Choice{Value: parts[0], Label: parts[2], Score: parseScore(parts[1])})
		}
	} else {
		q.Expected = splitList(get("expected"))
		q.Frameworks = splitList(get("frameworks"))
		for _, part := range strings.Split(get("choices (value=label=score)"), "; ") {
			if i, j := strings.Index(part, "="), strings.LastIndex(part, "="); i > 0 && j > i {
				q.Choices = append(q.Choices, Choice{Value: part[:i], Label: part[i+1 : j], Score: parseScore(part[j+1:])})
			}
		}
		if q.Type == MultipleChoice && q.Scoring == "" {
			q.Scoring = ScoringMax
		}
		switch q.Type {
		case Number:
			q.Thresholds = []Threshold{{Score: 100}}
		case Date:
			q.MaxAgeDays = 365
		}
	}
	for _, line := range lines(get("thresholds")) {
		max, sc, ok := strings.Cut(line, "=")
		f, err := strconv.ParseFloat(sc, 64)
		if !ok || err != nil {
			bad("thresholds", key, fmt.Sprintf("threshold %q is not max=score", line))
			continue
		}
		th := Threshold{Score: f}
		if max != "*" {
			m, err := strconv.ParseFloat(max, 64)
			if err != nil {
				bad("thresholds", key, fmt.Sprintf("threshold %q is not max=score", line))
				continue
			}
			th.Max = &m
		}
		q.Thresholds = append(q.Thresholds, th)
	}
	if v := get("show_if"); v != "" {
		i := strings.LastIndex(v, " in ")
		if i <= 0 {
			bad("show_if", key, fmt.Sprintf("show_if %q is not \"KEY in value|value\"", v))
		} else {
			q.ShowIf = &ShowIf{Question: v[:i], Equals: strings.Split(v[i+4:], "|")}
		}
	}
	sec.Questions = append(sec.Questions, q)
}

// keepMarkup keeps exported text as it was, only reducing markup to the
// safe subset; plain text is not decoded, so "&amp;" stays as written.
func keepMarkup(s string) string {
	if HasMarkup(s) {
		return richPolicy.Sanitize(s)
	}
	return s
}

func parseScore(s string) *float64 {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "n/a") {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil
	}
	return &f
}

func lines(s string) []string {
	out := []string{}
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func splitList(s string) []string {
	out := []string{}
	for _, l := range strings.Split(s, ";") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
