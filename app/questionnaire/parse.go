package questionnaire

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ParseAnswer reads an answer written in a spreadsheet cell: a choice by
// its value or label ("Yes", "y", "N/A"), several separated by ; or new
// lines, a number, a date, or text. An empty cell is no answer (nil).
func ParseAnswer(q *Question, cell string) (json.RawMessage, error) {
	cell = strings.TrimSpace(cell)
	if cell == "" {
		return nil, nil
	}
	switch q.Type {
	case YesNoNA, SingleChoice:
		v, ok := q.matchChoice(cell)
		if !ok {
			return nil, fmt.Errorf("%q is not one of: %s", cell, q.choiceLabels())
		}
		return json.Marshal(v)
	case MultipleChoice:
		var vs []string
		for _, part := range splitChoices(cell) {
			v, ok := q.matchChoice(part)
			if !ok {
				return nil, fmt.Errorf("%q is not one of: %s", part, q.choiceLabels())
			}
			vs = append(vs, v)
		}
		return Check(q, mustJSON(vs))
	case Number:
		f, err := strconv.ParseFloat(strings.NewReplacer(",", "", " ", "").Replace(cell), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", cell)
		}
		return Check(q, mustJSON(f))
	case Date:
		for _, layout := range []string{time.DateOnly, "2006-01-02 15:04:05", "02/01/2006", "01/02/2006", "2 Jan 2006", "January 2, 2006"} {
			if d, err := time.Parse(layout, cell); err == nil {
				return json.Marshal(d.Format(time.DateOnly))
			}
		}
		return nil, fmt.Errorf("%q is not a date (write 2026-03-31)", cell)
	case ShortText, LongText:
		return Check(q, mustJSON(cell))
	case File:
		return nil, fmt.Errorf("file questions are answered by uploading the file")
	}
	return nil, fmt.Errorf("unknown question type")
}

var yesWords = map[string]string{"y": "yes", "yes": "yes", "true": "yes", "x": "yes", "n": "no", "no": "no", "false": "no",
	"na": "na", "n/a": "na", "n.a.": "na", "not applicable": "na"}

func (q *Question) matchChoice(s string) (string, bool) {
	low := strings.ToLower(strings.TrimSpace(s))
	if q.Type == YesNoNA {
		if v, ok := yesWords[low]; ok && q.hasChoice(v) {
			return v, true
		}
	}
	for _, c := range q.Choices {
		if strings.ToLower(c.Value) == low || strings.ToLower(c.Label) == low {
			return c.Value, true
		}
	}
	return "", false
}

// LeadingChoice splits a worded answer to a yes/no or single-choice
// question ("Yes, Fleet Cloud logs are kept 90 days") into the choice it
// starts with ("Yes") and the rest ("Fleet Cloud logs are kept 90 days"),
// so that an importer can keep both: vendors explain in the answer cell as
// often as in a comment column. Single letters (Y, N, X) are not taken:
// "N/B" or "X-ray" would be misread. ok is false when the cell does not
// start with a whole choice word.
func LeadingChoice(q *Question, cell string) (choice, rest string, ok bool) {
	if q.Type != YesNoNA && q.Type != SingleChoice {
		return "", "", false
	}
	cell = strings.TrimSpace(cell)
	var words []string
	if q.Type == YesNoNA {
		for w, v := range yesWords {
			if utf8.RuneCountInString(w) > 1 && q.hasChoice(v) {
				words = append(words, w)
			}
		}
	}
	for _, c := range q.Choices {
		words = append(words, c.Value, c.Label)
	}
	// Longest first, so "N/A" wins over "No" and "Not applicable" over "No".
	slices.SortFunc(words, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	for _, w := range words {
		n := len(w)
		if utf8.RuneCountInString(w) < 2 || len(cell) <= n || !utf8.RuneStart(cell[n]) || !strings.EqualFold(cell[:n], w) {
			continue
		}
		if next, _ := utf8.DecodeRuneInString(cell[n:]); unicode.IsLetter(next) || unicode.IsDigit(next) {
			continue
		}
		rest = strings.TrimSpace(strings.TrimLeft(cell[n:], " \t\r\n,;:.-–—"))
		return cell[:n], rest, true
	}
	return "", "", false
}

func (q *Question) choiceLabels() string {
	labels := make([]string, len(q.Choices))
	for i, c := range q.Choices {
		labels[i] = c.Label
	}
	return strings.Join(labels, ", ")
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// AnswerText writes an answer the way a person reads it: choice labels,
// numbers, dates, text.
func AnswerText(q *Question, raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	label := func(v string) string {
		for _, c := range q.Choices {
			if c.Value == v {
				return c.Label
			}
		}
		return v
	}
	switch q.Type {
	case YesNoNA, SingleChoice, MultipleChoice:
		vals := Answer{Value: raw}.Values()
		out := make([]string, len(vals))
		for i, v := range vals {
			out[i] = label(v)
		}
		return strings.Join(out, "; ")
	case Number:
		var f float64
		_ = json.Unmarshal(raw, &f)
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}
