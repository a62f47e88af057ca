package answermatch

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	// A catalogue ID: capitals, a separator, digits ("A&A-01.1", "IAM-01",
	// "APPL-01", "GOV_3"). The separator keeps "SOC2" and "TLS1.2" in an
	// answer from reading as IDs.
	codeID = `[A-Z][A-Z&]{0,9}(?:[-.][A-Z]{1,6})?[-_.]\d{1,4}(?:\.\d{1,4})*[a-z]?`
	// A section number ("1.2", "3.1.4") or a list number ("7.", "7)").
	numID   = `\d{1,3}(?:\.\d{1,4})+\.?|\d{1,3}[.)]`
	qID     = `Q(?:uestion)?\s?\d{1,4}(?:\.\d{1,4})*`
	idStart = regexp.MustCompile(`^(?:(` + codeID + `)|(` + qID + `)|(` + numID + `))(?:\s*[:.)\]–—-]\s*|\s+)(\S.*)$`)
	idOnly  = regexp.MustCompile(`^(?:` + codeID + `|` + qID + `|` + numID + `|\d{1,3})$`)

	questionLabel = regexp.MustCompile(`(?i)^(?:question|q)\s*(\d{1,4}(?:\.\d{1,4})*)?\s*[:：]\s*(.*)$`)
	answerLabel   = regexp.MustCompile(`(?i)^(?:answer|ans|a|response|vendor response|reply)\s*[:：]\s*(.*)$`)
	commentLabel  = regexp.MustCompile(`(?i)^(?:comments?|notes?|remarks|additional (?:information|info|comments?)|explanation)\s*[:：]\s*(.*)$`)
	// An answer given on the question's own line: "Is MFA enforced? Yes, ..."
	sameLineAnswer = regexp.MustCompile(`(?i)^(.*?\?)\s+((?:yes|no|n/?a|not applicable|true|false)\b.*)$`)
	inlineAnswer   = regexp.MustCompile(`(?i)^(.*?)\s+(?:answer|response)\s*[:：]\s*(.*)$`)
	headingMark    = regexp.MustCompile(`^#{1,6}\s+`)
	listMark       = regexp.MustCompile(`^(?:[-*+•]\s+|>\s*)`)
	tableRule      = regexp.MustCompile(`^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$`)
)

func looksLikeID(s string) bool { return idOnly.MatchString(strings.TrimSpace(s)) }

// splitID takes a leading ID off a question: "A&A-01.1 Are policies…"
// gives "A&A-01.1" and the rest. Plain list numbers are dropped.
func splitID(q string) (string, string) {
	m := idStart.FindStringSubmatch(q)
	if m == nil {
		return "", q
	}
	switch {
	case m[1] != "":
		return m[1], m[4]
	case m[2] != "":
		return strings.Join(strings.Fields(m[2]), ""), m[4]
	}
	if strings.Contains(m[3], ".") && !strings.HasSuffix(m[3], ".") {
		return m[3], m[4]
	}
	return strings.TrimRight(m[3], ".)"), m[4]
}

// unwrap strips the Markdown around a line: list and quote marks, and
// emphasis wrapped around the whole line or its start.
func unwrap(line string) string {
	line = listMark.ReplaceAllString(line, "")
	for _, m := range []string{"**", "__"} {
		if strings.HasPrefix(line, m) && strings.HasSuffix(line, m) && len(line) > 2*len(m) && !strings.Contains(line[len(m):len(line)-len(m)], m) {
			line = line[len(m) : len(line)-len(m)]
		}
	}
	return strings.TrimSpace(line)
}

type lineKind int

const (
	plain lineKind = iota
	questionLine
	answerLine
	commentLine
	sectionLine
)

type classified struct {
	kind     lineKind
	id, text string
	answer   string // an answer on the question's own line
	labelled bool   // "Question:" starts it: the question may go on over lines
}

// isQuestion tells a question from a sentence of an answer: it ends with a
// question mark, or it starts with a catalogue ID or a "Q" number.
func isQuestion(id, text, raw string) bool {
	if strings.Contains(text, "?") {
		return true
	}
	m := idStart.FindStringSubmatch(raw)
	return m != nil && (m[1] != "" || m[2] != "")
}

func classify(line string) classified {
	heading := headingMark.MatchString(line)
	line = headingMark.ReplaceAllString(line, "")
	line = unwrap(line)
	// A bold question with its answer after it: "**1.2 Is MFA used?** Yes".
	bold := ""
	if strings.HasPrefix(line, "**") {
		if end := strings.Index(line[2:], "**"); end > 0 {
			bold, line = strings.TrimSpace(line[2:2+end]), strings.TrimSpace(line[2+end+2:])
		}
	}
	if bold != "" {
		c := classify(bold)
		rest := strings.TrimSpace(strings.TrimLeft(line, ":–—- "))
		switch {
		case c.kind == answerLine || c.kind == commentLine:
			c.answer = strings.TrimSpace(c.answer + " " + rest)
			return c
		case c.kind == questionLine:
			c.answer = strings.TrimSpace(strings.TrimSpace(c.answer+" ") + rest)
			return c
		case rest == "":
			return classified{kind: sectionLine}
		}
		line = bold + " " + line
	}
	if m := questionLabel.FindStringSubmatch(line); m != nil {
		c := classified{kind: questionLine, id: m[1], text: m[2], labelled: !strings.Contains(m[2], "?")}
		if m[1] != "" {
			c.id = "Q" + m[1]
		}
		if im := inlineAnswer.FindStringSubmatch(c.text); im != nil {
			c.text, c.answer, c.labelled = im[1], im[2], false
		} else if sm := sameLineAnswer.FindStringSubmatch(c.text); sm != nil {
			c.text, c.answer = sm[1], sm[2]
		}
		if c.id == "" {
			c.id, c.text = splitID(c.text)
		}
		return c
	}
	if m := answerLabel.FindStringSubmatch(line); m != nil {
		return classified{kind: answerLine, answer: m[1]}
	}
	if m := commentLabel.FindStringSubmatch(line); m != nil {
		return classified{kind: commentLine, answer: m[1]}
	}
	id, text := splitID(line)
	if isQuestion(id, text, line) {
		c := classified{kind: questionLine, id: id, text: text}
		if m := sameLineAnswer.FindStringSubmatch(text); m != nil {
			c.text, c.answer = m[1], m[2]
		}
		return c
	}
	if heading {
		return classified{kind: sectionLine}
	}
	return classified{kind: plain, text: line}
}

// building is the pair being read.
type building struct {
	Pair
	answer, comment []string
	size            int      // bytes of answer and comment so far
	mode            lineKind // what the next plain line adds to
	gap             bool     // a blank line since the last line read
}

// paragraph is the run of plain lines read since the last blank line or
// question: a numbered question wrapped over lines (as a PDF gives it)
// reads as plain lines until the line with its question mark.
type paragraph struct {
	lines    []string
	start    int  // line number of the first
	numbered bool // the first starts with a number or ID
	inAnswer bool // the lines were added to the current pair's answer
	added    int  // how many of them the answer kept
}

// maxWrap is the most lines a wrapped question is read from.
const maxWrap = 8

// FromText reads pairs from a document's text: numbered or ID-prefixed
// questions, lines ending in "?" with the answer in the paragraphs after
// them, "Question:"/"Answer:" labels, Markdown headings and bold
// questions, and tables (Markdown, or a Word table's tab-separated rows).
func FromText(text string) []Pair {
	lines := strings.Split(text, "\n")
	var out []Pair
	var cur *building
	var para paragraph
	flush := func() {
		if cur == nil {
			return
		}
		cur.Answer = Clean(strings.Join(cur.answer, "\n"))
		cur.Comment = Clean(strings.Join(cur.comment, "\n"))
		cur.Question = Clean(cur.Question)
		if cur.Answer == "" && cur.Comment != "" {
			cur.Answer, cur.Comment = cur.Comment, ""
		}
		if cur.Answer != "" && cur.Question != "" && len(out) < MaxPairs {
			out = append(out, cur.Pair)
		}
		cur = nil
	}
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if line == "" {
			if cur != nil {
				cur.gap = true
			}
			para = paragraph{}
			continue
		}
		if rows, nums := tableBlock(lines, i); rows != nil {
			flush()
			out = append(out, tableRows(rows, nums)...)
			out = out[:min(len(out), MaxPairs)]
			i = nums[len(nums)-1] - 1
			continue
		}
		c := classify(strings.ReplaceAll(line, "\t", " "))
		switch c.kind {
		case questionLine:
			if cur != nil && cur.mode == questionLine && len(cur.answer) == 0 && !cur.gap && !strings.Contains(cur.Question, "?") && c.id == "" {
				// The second line of a question wrapped over two.
				cur.Question += " " + c.text
				addAnswer(cur, c.answer)
				continue
			}
			wrapped := para.numbered && c.id == ""
			if wrapped && para.inAnswer && cur != nil {
				cur.answer = cur.answer[:len(cur.answer)-para.added]
			}
			flush()
			cur = &building{Pair: Pair{ID: c.id, Question: c.text, Ref: "line " + strconv.Itoa(i+1)}, mode: questionLine}
			if wrapped {
				id, first := splitID(strings.Join(para.lines, " "))
				cur.ID, cur.Question = id, first+" "+c.text
				cur.Ref = "line " + strconv.Itoa(para.start)
			}
			para = paragraph{}
			if !c.labelled {
				cur.mode = answerLine
			}
			addAnswer(cur, c.answer)
		case answerLine, commentLine:
			if cur != nil {
				cur.mode = c.kind
				addAnswer(cur, c.answer)
			}
		case sectionLine:
			flush()
		default:
			if para.start == 0 {
				_, rest := splitID(c.text)
				para = paragraph{start: i + 1, numbered: rest != c.text, inAnswer: cur != nil && cur.mode != questionLine}
			}
			if para.numbered && len(para.lines) < maxWrap {
				para.lines = append(para.lines, c.text)
			} else {
				para.numbered = false
			}
			if cur == nil {
				continue
			}
			if cur.mode == questionLine {
				if len(cur.Question) < 4*maxFieldRunes {
					cur.Question += " " + c.text
				}
				continue
			}
			if addAnswer(cur, c.text) {
				para.added++
			}
		}
		if c.kind != plain {
			para = paragraph{}
		}
		if cur != nil {
			cur.gap = false
		}
	}
	flush()
	return out
}

// addAnswer adds a line to the answer (or comment) and reports whether
// it was kept.
func addAnswer(b *building, s string) bool {
	s = strings.TrimSpace(s)
	// Past the longest field kept, more text is cut anyway.
	if s == "" || b.size > 4*maxFieldRunes {
		return false
	}
	b.size += len(s)
	if b.mode == commentLine {
		b.comment = append(b.comment, s)
		return false
	}
	if b.mode == questionLine {
		b.mode = answerLine
	}
	b.answer = append(b.answer, s)
	return true
}

// tableBlock reads the table starting at lines[i], if one does: Markdown
// rows ("| a | b |"), or two or more lines of tab-separated cells. It
// returns the rows and their 1-based line numbers.
func tableBlock(lines []string, i int) ([][]string, []int) {
	var rows [][]string
	var nums []int
	pipes := strings.HasPrefix(strings.TrimSpace(lines[i]), "|")
	for j := i; j < len(lines); j++ {
		l := strings.TrimSpace(lines[j])
		if pipes {
			if !strings.HasPrefix(l, "|") {
				break
			}
			if tableRule.MatchString(l) {
				continue
			}
			cells := strings.Split(strings.Trim(l, "|"), "|")
			for k := range cells {
				cells[k] = unwrap(strings.TrimSpace(cells[k]))
			}
			rows, nums = append(rows, cells), append(nums, j+1)
			continue
		}
		raw := strings.Trim(lines[j], " \r")
		if !strings.Contains(raw, "\t") {
			break
		}
		cells := strings.Split(raw, "\t")
		filled := 0
		for k := range cells {
			cells[k] = strings.TrimSpace(cells[k])
			if cells[k] != "" {
				filled++
			}
		}
		// "1.\tText" is a numbered paragraph, not a table row.
		if filled < 2 || len(cells) == 2 && looksLikeID(cells[0]) {
			break
		}
		rows, nums = append(rows, cells), append(nums, j+1)
	}
	if len(rows) == 0 || !pipes && len(rows) < 2 {
		return nil, nil
	}
	return rows, nums
}
