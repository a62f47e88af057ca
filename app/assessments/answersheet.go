package assessments

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"rampart/app/questionnaire"
	"rampart/app/sheet"
)

// headingRows is how far down a sheet its heading row is looked for:
// HECVAT and SIG tabs carry instructions, logos and legends above it.
const headingRows = 50

// Headings of answer files, as normalised by heading(): ours (export) and
// those of the usual questionnaires (CAIQ, HECVAT, SIG, home-made ones),
// best first, so that a sheet with both "#" and "Question ID" keys on the
// ID and a CAIQ sheet with both "CSP CAIQ Answer" and "CSP Implementation
// Description" takes the description as the comment.
var (
	keyHeadings = []string{"question id", "control id", "key", "id", "qid", "q id", "ques num", "question num", "question number",
		"question no", "question #", "q #", "ref", "ref #", "ref no", "reference", "item #", "no", "nr", "#"}
	answerHeadings = []string{"csp caiq answer", "caiq answer", "vendor response", "vendor answer", "your answer", "your response",
		"answer", "answers", "response", "responses"}
	commentHeadings = []string{"csp implementation description", "implementation description", "additional information",
		"additional info", "additional comments", "supporting information", "vendor comments", "vendor comment", "vendor notes",
		"comments", "comment", "explanation", "notes", "note", "remarks"}
)

var parenthesised = regexp.MustCompile(`\([^)]*\)`)

// heading normalises a heading cell so that case, spacing, punctuation and
// a parenthesised hint do not matter: "Vendor Response (Yes/No/N/A)",
// "vendor_response:" and "VENDOR  RESPONSE" are all "vendor response"; "#"
// stays a word of its own ("Ref#" is "ref #").
func heading(cell string) string {
	cell = parenthesised.ReplaceAllString(strings.ToLower(cell), " ")
	cell = strings.Map(func(r rune) rune {
		if r == '#' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return ' '
	}, strings.ReplaceAll(cell, "#", " # "))
	return strings.Join(strings.Fields(cell), " ")
}

// columns are the columns of an answer sheet (0-based; -1 when absent).
type columns struct{ key, answer, comment int }

// bestColumn returns the column whose heading comes first in names,
// skipping the columns in taken; -1 when none matches.
func bestColumn(row []string, names []string, taken ...int) int {
	norm := make([]string, len(row))
	for i, c := range row {
		norm[i] = heading(c)
	}
	for _, n := range names {
		for i, h := range norm {
			if h == n && !slices.Contains(taken, i) {
				return i
			}
		}
	}
	return -1
}

// findHeadings finds the heading row among a sheet's first rows: the first
// that names both a key column and an answer column.
func findHeadings(rows [][]string) (int, columns, bool) {
	for r := 0; r < len(rows) && r < headingRows; r++ {
		key := bestColumn(rows[r], keyHeadings)
		if key < 0 {
			continue
		}
		answer := bestColumn(rows[r], answerHeadings, key)
		if answer < 0 {
			continue
		}
		return r, columns{key: key, answer: answer, comment: bestColumn(rows[r], commentHeadings, key, answer)}, true
	}
	return 0, columns{}, false
}

// cellRef names a cell as a spreadsheet does ("Answers!C14",
// "'Data Security'!D7"); a CSV file has no sheet names.
func cellRef(sh *sheet.Sheet, csv bool, col, row int) string {
	cell, err := excelize.CoordinatesToCellName(col+1, row+1)
	if err != nil {
		return fmt.Sprintf("row %d", row+1)
	}
	if csv {
		return cell
	}
	name := sh.Name
	if strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '.' }) {
		name = "'" + strings.ReplaceAll(name, "'", "''") + "'"
	}
	return name + "!" + cell
}

// keyIndex finds questions by the key a row gives: exactly as published,
// or, failing that, ignoring case and surrounding spaces.
type keyIndex struct {
	exact map[string]*questionnaire.Question
	loose map[string][]*questionnaire.Question
}

func newKeyIndex(c *questionnaire.Content) keyIndex {
	ix := keyIndex{exact: map[string]*questionnaire.Question{}, loose: map[string][]*questionnaire.Question{}}
	for _, q := range c.Questions() {
		ix.exact[q.Key] = q
		ix.loose[looseKey(q.Key)] = append(ix.loose[looseKey(q.Key)], q)
	}
	return ix
}

func looseKey(k string) string { return strings.ToLower(strings.TrimSpace(k)) }

// find returns the question for key, whether it matched only loosely, and
// a message when it matched none or several.
func (ix keyIndex) find(key string) (q *questionnaire.Question, loose bool, problem string) {
	if q := ix.exact[key]; q != nil {
		return q, false, ""
	}
	switch qs := ix.loose[looseKey(key)]; len(qs) {
	case 0:
		return nil, false, fmt.Sprintf("no question in this questionnaire has the ID %q", strings.TrimSpace(key))
	case 1:
		return qs[0], true, ""
	default:
		keys := make([]string, len(qs))
		for i, q := range qs {
			keys[i] = q.Key
		}
		return nil, false, fmt.Sprintf("the ID %q could be any of %s (they differ only in capital letters); write it exactly as the questionnaire does",
			strings.TrimSpace(key), strings.Join(keys, ", "))
	}
}

// answerReader reads the answers out of the sheets of one file.
type answerReader struct {
	ix   keyIndex
	csv  bool
	res  *AnswerImport
	plan []planned
	// seen maps a question's key to its answer in plan.
	seen map[string]int
}

func newAnswerReader(c *questionnaire.Content, csv bool) *answerReader {
	return &answerReader{ix: newKeyIndex(c), csv: csv, seen: map[string]int{},
		res: &AnswerImport{Sheets: []SheetReport{}, Unmatched: []RowNote{}, Invalid: []RowNote{}, Notes: []RowNote{}}}
}

// sheet reads one sheet's answers, or says why it was not read.
func (rd *answerReader) sheet(sh *sheet.Sheet) SheetReport {
	rep := SheetReport{Name: sh.Name, Hidden: sh.Hidden}
	if sh.Hidden {
		rep.Note = "hidden sheet: not read (unhide it in the spreadsheet if it holds answers)"
		return rep
	}
	h, cols, ok := findHeadings(sh.Rows)
	if !ok {
		rep.Note = "no heading row with a question ID column and an answer column in its first 50 rows"
		return rep
	}
	rep.Read, rep.HeadingRow = true, h+1
	before := len(rd.plan)
	for r := h + 1; r < len(sh.Rows); r++ {
		rd.row(sh, cols, h, r)
	}
	rep.Answers = len(rd.plan) - before
	return rep
}

// row reads row r of sh (h is the heading row): an answer planned, or a
// note on why not.
func (rd *answerReader) row(sh *sheet.Sheet, cols columns, h, r int) {
	row := sh.Rows[r]
	key := cellAt(row, cols.key)
	answer := strings.TrimSpace(cellAt(row, cols.answer))
	comment := strings.TrimSpace(cellAt(row, cols.comment))
	if strings.TrimSpace(key) == "" || (answer == "" && comment == "") {
		return // an instruction, a section title or an unanswered question
	}
	if heading(key) == heading(sh.Rows[h][cols.key]) && heading(answer) == heading(sh.Rows[h][cols.answer]) {
		return // the headings repeated further down
	}
	note := func(col int, msg string) RowNote {
		if col < 0 {
			col = cols.answer
		}
		return RowNote{Sheet: sh.Name, Row: r + 1, Cell: cellRef(sh, rd.csv, col, r), Key: strings.TrimSpace(key), Message: msg}
	}
	q, loose, problem := rd.ix.find(key)
	if q == nil {
		rd.res.Unmatched = append(rd.res.Unmatched, note(cols.key, problem))
		return
	}
	value, comment, choice, err := takeAnswer(q, answer, comment)
	switch {
	case err != nil:
		rd.res.Invalid = append(rd.res.Invalid, note(cols.answer, err.Error()))
		return
	case utf8.RuneCountInString(comment) > maxComment:
		rd.res.Invalid = append(rd.res.Invalid, note(cols.comment, fmt.Sprintf("the comment is longer than %d characters; shorten it", maxComment)))
		return
	}
	if i, dup := rd.seen[q.Key]; dup {
		if first := rd.plan[i]; string(first.value) != string(value) || first.comment != comment {
			rd.res.Invalid = append(rd.res.Invalid, note(cols.answer, fmt.Sprintf(
				"question %s is answered again here, differently; the answer at %s is taken", q.Key, first.cell)))
		}
		return
	}
	if loose {
		rd.res.Notes = append(rd.res.Notes, note(cols.key, fmt.Sprintf(
			"the ID differs from the questionnaire's %q in capital letters or spaces; taken as that question", q.Key)))
	}
	if choice != "" {
		msg := fmt.Sprintf("the answer is read as %q", choice)
		if comment != "" {
			msg += "; the words after it are kept in the comment"
		}
		rd.res.Notes = append(rd.res.Notes, note(cols.answer, msg))
	}
	rd.seen[q.Key] = len(rd.plan)
	rd.plan = append(rd.plan, planned{key: q.Key, value: value, comment: comment, cell: cellRef(sh, rd.csv, cols.answer, r)})
	rd.res.Matched++
}

// takeAnswer reads a cell's answer to q. A worded answer to a yes/no or
// choice question ("Yes, logs are kept 90 days") is kept: its leading
// choice is the answer (returned as choice) and the rest goes to the
// comment, ahead of the comment column's text.
func takeAnswer(q *questionnaire.Question, answer, comment string) (value json.RawMessage, fullComment, choice string, err error) {
	value, err = questionnaire.ParseAnswer(q, answer)
	if err == nil {
		return value, comment, "", nil
	}
	lead, rest, ok := questionnaire.LeadingChoice(q, answer)
	if !ok {
		return nil, "", "", err
	}
	value, lerr := questionnaire.ParseAnswer(q, lead)
	if lerr != nil {
		return nil, "", "", err
	}
	return value, strings.TrimSpace(rest + "\n" + comment), lead, nil
}
