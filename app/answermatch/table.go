package answermatch

import (
	"strconv"
	"strings"

	"rampart/app/sheet"
)

// columns says which column of a table holds what; -1 when none does.
type columns struct{ id, question, answer, comment int }

func normHeading(c string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.Trim(c, " *_:#")), " "))
}

// Headings as CAIQ ("Question ID", "Question", "CSP CAIQ Answer", "CSP
// Implementation Description"), HECVAT ("Vendor Answers", "Additional
// Information"), SIG ("Ques Num", "Question/Request", "Response") and our
// own export ("key", "question", "answer", "comment") write them.
func headingRole(c string) string {
	h := normHeading(c)
	switch {
	case h == "":
		return ""
	case h == "id" || h == "#" || h == "key" || h == "ref" || h == "reference" || h == "no" || h == "no." || h == "nr" ||
		h == "number" || h == "item" || h == "ques num" || strings.HasSuffix(h, " id") || strings.HasSuffix(h, " number") ||
		strings.HasSuffix(h, " ref") || strings.HasSuffix(h, " no."):
		return "id"
	case strings.Contains(h, "answer") || strings.Contains(h, "response") || h == "reply":
		if strings.Contains(h, "question") {
			return ""
		}
		return "answer"
	case strings.Contains(h, "question") || h == "request" || h == "requirement" || h == "control" || h == "control specification":
		return "question"
	case strings.Contains(h, "comment") || strings.Contains(h, "note") || strings.Contains(h, "additional") || strings.Contains(h, "remark") ||
		strings.Contains(h, "explanation") || strings.Contains(h, "description") || h == "details" || h == "evidence":
		return "comment"
	}
	return ""
}

// headingColumns reads a heading row; ok when it names an answer column
// and a question or ID column. The first column of each role wins.
func headingColumns(row []string) (columns, bool) {
	c := columns{-1, -1, -1, -1}
	for i, cell := range row {
		switch headingRole(cell) {
		case "id":
			if c.id < 0 {
				c.id = i
			}
		case "question":
			if c.question < 0 {
				c.question = i
			}
		case "answer":
			if c.answer < 0 {
				c.answer = i
			}
		case "comment":
			if c.comment < 0 {
				c.comment = i
			}
		}
	}
	return c, c.answer >= 0 && (c.question >= 0 || c.id >= 0)
}

func cell(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i]
}

// FromSheets reads pairs from every visible sheet of a workbook (or a
// CSV): below the first row, within the first 50, whose headings name a
// question or ID column and an answer column. Hidden sheets hold lookup
// lists in CAIQ and HECVAT, not answers.
func FromSheets(sheets []sheet.Sheet) []Pair {
	var out []Pair
	for _, sh := range sheets {
		if sh.Hidden {
			continue
		}
		for h := 0; h < len(sh.Rows) && h < maxHeadingScan; h++ {
			cols, ok := headingColumns(sh.Rows[h])
			if !ok {
				continue
			}
			for r := h + 1; r < len(sh.Rows) && len(out) < MaxPairs; r++ {
				p, ok := rowPair(sh.Rows[r], cols)
				if !ok {
					continue
				}
				p.Ref = sh.Name + "!" + colName(cols.answer) + strconv.Itoa(r+1)
				out = append(out, p)
			}
			break
		}
	}
	return out
}

// rowPair reads one table row; rows without an answer (section titles,
// questions left blank) yield nothing.
func rowPair(row []string, cols columns) (Pair, bool) {
	p := Pair{ID: clean(cell(row, cols.id), 100), Question: Clean(cell(row, cols.question)),
		Answer: Clean(cell(row, cols.answer)), Comment: Clean(cell(row, cols.comment))}
	if p.Question == "" && p.ID == "" || p.Answer == "" && p.Comment == "" {
		return Pair{}, false
	}
	if p.Answer == "" {
		p.Answer, p.Comment = p.Comment, ""
	}
	return p, true
}

// colName is a spreadsheet column's letters: 0 is A, 26 is AA.
func colName(i int) string {
	if i < 0 {
		return "?"
	}
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// tableRows reads a block of table lines (Markdown pipes, or the tabs
// doctext puts between a Word table's cells): with a heading row as a
// sheet, else two columns as question and answer, or an ID column first.
func tableRows(rows [][]string, lines []int) []Pair {
	var out []Pair
	cols, start := columns{-1, -1, -1, -1}, -1
	for i, row := range rows {
		if c, ok := headingColumns(row); ok {
			cols, start = c, i+1
			break
		}
	}
	if start < 0 {
		start = 0
		width := 0
		for _, row := range rows {
			width = max(width, len(row))
		}
		switch {
		case width == 2:
			cols = columns{-1, 0, 1, -1}
		case width >= 3 && looksLikeID(cell(rows[0], 0)):
			cols = columns{0, 1, 2, -1}
			if width >= 4 {
				cols.comment = 3
			}
		default:
			return nil
		}
	}
	for i := start; i < len(rows); i++ {
		p, ok := rowPair(rows[i], cols)
		if !ok {
			continue
		}
		if p.ID == "" {
			p.ID, p.Question = splitID(p.Question)
		}
		p.Ref = "line " + strconv.Itoa(lines[i])
		out = append(out, p)
	}
	return out
}
