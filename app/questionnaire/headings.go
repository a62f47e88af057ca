package questionnaire

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var nonAlnum = regexp.MustCompile(`[^\pL\pN#]+`)

// normHeading lowers a heading and keeps only its words: "Vendor
// Response:" and "vendor  response" read alike.
func normHeading(cell string) string {
	return strings.TrimSpace(nonAlnum.ReplaceAllString(strings.ToLower(cell), " "))
}

// Heading fields that are not template fields but are recognised, so that
// a comments column is not mistaken for help.
const (
	fieldComment = "comment"
	fieldIgnore  = "ignore"
)

// headingRules recognise a field from a heading's words, most specific
// first, because real sheets say "CSP CAIQ Answer", "Consensus Assessments
// Question ID", "Preferred Response" and "CCM Control ID".
var headingRules = []struct {
	field string
	match func(h string, words map[string]bool) bool
}{
	{"frameworks", func(h string, w map[string]bool) bool {
		return (w["ccm"] && (w["id"] || w["ref"] || w["control"] && !w["title"] && !w["specification"] && !w["domain"])) || w["framework"] || w["lite"] || w["frameworks"] || w["mapping"] || w["mappings"] || h == "references" || h == "framework references" ||
			w["iso"] || w["nist"] || w["soc"] || w["pci"] || w["cis"] || w["hipaa"] || w["gdpr"] || strings.HasPrefix(h, "iso ") || strings.HasPrefix(h, "nist ")
	}},
	{"type", func(h string, w map[string]bool) bool {
		return h == "type" || h == "format" || h == "answer type" || h == "response type" || h == "answer format" || h == "question type" || h == "input type"
	}},
	{"choices", func(h string, w map[string]bool) bool {
		return w["choices"] || w["options"] || h == "possible answers" || h == "allowed values" || h == "values" || h == "answers allowed" || h == "answer options"
	}},
	{"compliant", func(h string, w map[string]bool) bool {
		return w["preferred"] || w["compliant"] || w["expected"] || w["desired"] || w["ideal"] || h == "good answer"
	}},
	{"show_if", func(h string, w map[string]bool) bool {
		return h == "show if" || h == "show_if" || h == "condition" || h == "conditional" || h == "depends on" || h == "cond" || h == "only if"
	}},
	{"required", func(h string, w map[string]bool) bool {
		return w["required"] || w["mandatory"] || w["critical"] || h == "must answer"
	}},
	{"weight", func(h string, w map[string]bool) bool {
		return w["weight"] || w["weighting"] || w["importance"] || w["priority"] || w["severity"] || h == "risk level"
	}},
	{"id", func(h string, w map[string]bool) bool {
		return h == "#" || w["id"] || w["ref"] || w["reference"] || h == "no" || h == "nr" || h == "number" || h == "item" ||
			strings.HasSuffix(h, " num") || strings.HasSuffix(h, " number") || strings.HasSuffix(h, " no") || h == "key" || h == "serial"
	}},
	{fieldComment, func(h string, w map[string]bool) bool {
		return w["comment"] || w["comments"] || w["notes"] || w["remarks"] || w["additional"] || w["explanation"] ||
			w["implementation"] || w["responsibilities"] || w["ownership"] || h == "supporting information" || w["evidence"]
	}},
	{"answer", func(h string, w map[string]bool) bool {
		return w["answer"] || w["answers"] || w["response"] || w["responses"] || h == "yes no" || h == "vendor reply"
	}},
	{"question", func(h string, w map[string]bool) bool {
		return w["question"] || w["questions"] || w["requirement"] || h == "query" || h == "control question" || h == "control" || h == "text"
	}},
	{"section", func(h string, w map[string]bool) bool {
		return w["section"] || w["category"] || w["domain"] || w["area"] || w["topic"] || w["group"] || w["tab"] || h == "control family"
	}},
	{"help", func(h string, w map[string]bool) bool {
		return w["help"] || w["guidance"] || w["hint"] || w["instructions"] || w["specification"] || w["description"] || w["title"] || w["explanatory"]
	}},
}

// headerField names the field a heading is for, or "".
func headerField(cell string) string {
	h := normHeading(cell)
	if h == "" || len(h) > 80 {
		return ""
	}
	words := map[string]bool{}
	for _, w := range strings.Fields(h) {
		words[w] = true
	}
	for _, r := range headingRules {
		if r.match(h, words) {
			return r.field
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
// maps the columns it names (the first of repeated headings wins; every
// framework column is kept).
func guessHeader(rows [][]string) (int, Mapping, bool) {
	for r := 0; r < len(rows) && r < headerRows; r++ {
		m, found := mapHeadings(rows[r])
		if m.Question != nil && found >= 2 {
			m.HeaderRow = r + 1
			return r, m, true
		}
	}
	return 0, Mapping{}, false
}

func mapHeadings(row []string) (Mapping, int) {
	var m Mapping
	found := 0
	for i, cell := range row {
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
		case "answer":
			dst = &m.Answer
		case "help":
			dst = &m.Help
		case "required":
			dst = &m.Required
		case "weight":
			dst = &m.Weight
		case "compliant":
			dst = &m.Compliant
		case "show_if":
			dst = &m.ShowIf
		case "frameworks":
			m.Frameworks = append(m.Frameworks, i)
			found++
		case fieldComment:
			found++
		}
		if dst != nil && *dst == nil {
			*dst = &i
			found++
		}
	}
	if m.Frameworks == nil {
		m.Frameworks = []int{}
	}
	return m, found
}
