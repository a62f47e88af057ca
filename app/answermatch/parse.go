package answermatch

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"

	"rampart/app/questionnaire"
)

// Parsed is a free-text answer read for one question's type.
type Parsed struct {
	// Value is the answer as the question stores it, null when the text
	// could not be read as one (then it is kept as the comment).
	Value   json.RawMessage `json:"value"`
	Comment string          `json:"comment"`
	// Problem says why the text was kept as a comment only.
	Problem string `json:"problem"`
}

// MaxComment is the longest comment an answer keeps (as the portal).
const MaxComment = 5000

var (
	leadingYesNo  = regexp.MustCompile(`(?i)^(yes|no|n/a|n\.a\.|na|not applicable|true|false|y|n)\b[\s,.;:!–—-]*(.*)$`)
	leadingNumber = regexp.MustCompile(`^[<>≤≥~]?\s*(-?\d[\d,]*(?:\.\d+)?)\b[\s,.;:–—-]*(.*)$`)
	yesNoValues   = map[string]string{"yes": "yes", "y": "yes", "true": "yes", "no": "no", "n": "no", "false": "no",
		"n/a": "na", "n.a.": "na", "na": "na", "not applicable": "na"}
)

// ParseFree reads a vendor's free-text answer for q: the leading Yes, No or
// N/A of a yes/no question, a choice whose label starts the text, a number
// or date that starts it; the rest of the text becomes the comment. Text
// that does not fit the question's type is kept whole as the comment, with
// the reason in Problem.
func ParseFree(q *questionnaire.Question, answer, comment string) Parsed {
	answer, comment = strings.TrimSpace(answer), strings.TrimSpace(comment)
	value, rest, problem := readValue(q, answer)
	if value == nil {
		rest = answer
	}
	p := Parsed{Value: value, Comment: joinText(rest, comment), Problem: problem}
	if p.Value == nil {
		p.Value = json.RawMessage("null")
	}
	if r := []rune(p.Comment); len(r) > MaxComment {
		p.Comment = string(r[:MaxComment-1]) + "…"
		p.Problem = joinSentence(p.Problem, "the comment was shortened to 5000 characters")
	}
	return p
}

func joinText(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n\n" + b
}

func joinSentence(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// readValue returns the value the text starts with and the rest of the
// text, or nil and why not.
func readValue(q *questionnaire.Question, text string) (json.RawMessage, string, string) {
	if text == "" {
		return nil, "", "no answer given"
	}
	switch q.Type {
	case questionnaire.YesNoNA:
		if m := leadingYesNo.FindStringSubmatch(text); m != nil {
			v := yesNoValues[strings.ToLower(m[1])]
			if raw, err := questionnaire.Check(q, mustJSON(v)); err == nil {
				return raw, sentence(m[2]), ""
			}
			return nil, "", "“" + m[1] + "” is not one of this question's choices (" + labels(q) + "); kept as a comment"
		}
		return nil, "", "does not start with Yes, No or N/A; kept as a comment"
	case questionnaire.SingleChoice:
		if v, rest, ok := leadingChoice(q, text); ok {
			return mustJSON(v), rest, ""
		}
		return nil, "", "does not start with one of the choices (" + labels(q) + "); kept as a comment"
	case questionnaire.MultipleChoice:
		first, rest, _ := strings.Cut(text, "\n")
		if raw, err := questionnaire.ParseAnswer(q, first); err == nil && raw != nil {
			return raw, strings.TrimSpace(rest), ""
		}
		if v, rest, ok := leadingChoice(q, text); ok {
			return mustJSON([]string{v}), rest, ""
		}
		return nil, "", "is not a list of the choices (" + labels(q) + "); kept as a comment"
	case questionnaire.Number:
		if m := leadingNumber.FindStringSubmatch(text); m != nil {
			if raw, err := questionnaire.ParseAnswer(q, m[1]); err == nil {
				return raw, keepContext(text, m[2]), ""
			}
		}
		return nil, "", "does not start with a number; kept as a comment"
	case questionnaire.Date:
		first := strings.Fields(text)[0]
		for _, cand := range []string{text, strings.TrimRight(first, ",.;")} {
			if raw, err := questionnaire.ParseAnswer(q, cand); err == nil && raw != nil {
				rest := strings.TrimSpace(strings.TrimPrefix(text, cand))
				return raw, keepContext(text, rest), ""
			}
		}
		return nil, "", "does not start with a date; kept as a comment"
	case questionnaire.ShortText, questionnaire.LongText:
		raw, err := questionnaire.Check(q, mustJSON(text))
		if err != nil {
			return nil, "", "the answer " + err.Error() + "; kept as a comment"
		}
		return raw, "", ""
	case questionnaire.File:
		return nil, "", "file questions are answered by uploading the file; kept as a comment"
	}
	return nil, "", "the question has an unknown type"
}

// keepContext keeps the whole text as the comment when more than the
// value was written ("90 days" says what the 90 is).
func keepContext(text, rest string) string {
	if strings.TrimSpace(rest) == "" {
		return ""
	}
	return text
}

// sentence capitalises what is left after the leading answer word.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	r := []rune(s)
	if r[0] >= 'a' && r[0] <= 'z' {
		r[0] -= 'a' - 'A'
	}
	return string(r)
}

// leadingChoice finds the choice whose label (or value) starts the text,
// the longest first so "Yes, for all users" wins over "Yes".
func leadingChoice(q *questionnaire.Question, text string) (string, string, bool) {
	type cand struct{ value, label string }
	var cands []cand
	for _, c := range q.Choices {
		cands = append(cands, cand{c.Value, c.Label}, cand{c.Value, c.Value})
	}
	byValue := func(c cand) bool { return c.label == c.value && !strings.EqualFold(c.label, labelOf(q, c.value)) }
	sort.SliceStable(cands, func(i, j int) bool { return len(cands[i].label) > len(cands[j].label) })
	low := strings.ToLower(text)
	for _, c := range cands {
		l := strings.ToLower(strings.TrimSpace(c.label))
		if l == "" || !strings.HasPrefix(low, l) {
			continue
		}
		rest := text[len(l):]
		// The label must end at a word boundary: "No" does not start "None".
		if rest != "" && isWordByte(rest[0]) {
			continue
		}
		if byValue(c) {
			// "Quarterly restore tests" names the choice "quarterly" by its
			// value: the words around it still say something.
			return c.value, text, true
		}
		return c.value, sentence(strings.TrimLeft(rest, " ,.;:–—-")), true
	}
	return "", "", false
}

func labelOf(q *questionnaire.Question, value string) string {
	for _, c := range q.Choices {
		if c.Value == value {
			return c.Label
		}
	}
	return ""
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b >= 0x80
}

func labels(q *questionnaire.Question) string {
	out := make([]string, len(q.Choices))
	for i, c := range q.Choices {
		out[i] = c.Label
	}
	return strings.Join(out, ", ")
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}
