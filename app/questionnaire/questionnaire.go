// Package questionnaire holds security questionnaires as data: their
// sections and questions, which questions are shown given the answers so
// far, and how answers score. It is pure: no database, no HTTP.
package questionnaire

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// Question types.
const (
	YesNoNA        = "yes_no_na"
	SingleChoice   = "single_choice"
	MultipleChoice = "multiple_choice"
	ShortText      = "short_text"
	LongText       = "long_text"
	Number         = "number"
	Date           = "date"
	File           = "file"
)

// Types lists every question type.
var Types = []string{YesNoNA, SingleChoice, MultipleChoice, ShortText, LongText, Number, Date, File}

// Content is a questionnaire's sections and questions.
type Content struct {
	Sections []Section `json:"sections"`
}

// Section groups questions under a title.
type Section struct {
	Key         string     `json:"key"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Questions   []Question `json:"questions"`
}

// Question is one question with how its answers score.
type Question struct {
	Key      string   `json:"key"`
	Text     string   `json:"text"`
	Help     string   `json:"help"`
	Type     string   `json:"type"`
	Required bool     `json:"required"`
	Weight   int      `json:"weight"`
	Choices  []Choice `json:"choices"`
	// Expected lists the choice values a reviewer considers satisfactory.
	Expected []string `json:"expected"`
	ShowIf   *ShowIf  `json:"show_if"`
	// Frameworks are free-text control ids, e.g. "ISO 27001:2022 A.5.23".
	Frameworks []string `json:"frameworks"`
	// Scoring combines a multiple-choice answer's choices: "max" or "average".
	Scoring string `json:"scoring,omitempty"`
	// Thresholds score a number answer: the first whose Max is at least
	// the answer (nil Max: any value) gives the score.
	Thresholds []Threshold `json:"thresholds,omitempty"`
	// MaxAgeDays scores a date answer 100 when at most this old, else 0.
	MaxAgeDays int `json:"max_age_days,omitempty"`
}

// Choice is one possible answer; a nil Score means "not applicable".
type Choice struct {
	Value string   `json:"value"`
	Label string   `json:"label"`
	Score *float64 `json:"score"`
}

// ShowIf shows a question only when another question's answer is one of
// Equals.
type ShowIf struct {
	Question string   `json:"question"`
	Equals   []string `json:"equals"`
}

// Threshold is one band of a number question's scoring.
type Threshold struct {
	Max   *float64 `json:"max"`
	Score float64  `json:"score"`
}

// Scored reports whether answers to q count towards the score.
func (q *Question) Scored() bool {
	return q.Type != ShortText && q.Type != LongText
}

// Questions returns every question in order.
func (c Content) Questions() []*Question {
	var out []*Question
	for i := range c.Sections {
		for j := range c.Sections[i].Questions {
			out = append(out, &c.Sections[i].Questions[j])
		}
	}
	return out
}

// Find returns the question with key, or nil.
func (c Content) Find(key string) *Question {
	for _, q := range c.Questions() {
		if q.Key == key {
			return q
		}
	}
	return nil
}

// Answer is what a vendor answered: a choice value, several values, a
// number, a date (YYYY-MM-DD), text, or for file questions the number of
// files attached, whether the answer stands on a document of the evidence
// library, and the reviewer's verdict on it.
type Answer struct {
	Value  json.RawMessage
	Files  int
	Stored bool
	Linked bool
	// Verdict is FileAccepted when a reviewer accepted the files or the
	// linked document (accepted and not expired); anything else scores a
	// file question 0, so that uploading a file never raises a score by
	// itself.
	Verdict string
}

// FileAccepted is the verdict that scores a file question 100.
const FileAccepted = "accepted"

// Values returns the answer as a list of strings (choice values).
func (a Answer) Values() []string {
	var one string
	if json.Unmarshal(a.Value, &one) == nil {
		if one == "" {
			return nil
		}
		return []string{one}
	}
	var many []string
	_ = json.Unmarshal(a.Value, &many)
	return many
}

// Visible reports whether q is shown given the answers.
func Visible(q *Question, answers map[string]Answer) bool {
	if q.ShowIf == nil {
		return true
	}
	for _, v := range answers[q.ShowIf.Question].Values() {
		if slices.Contains(q.ShowIf.Equals, v) {
			return true
		}
	}
	return false
}

// Answered reports whether a gives q an answer.
func Answered(q *Question, a Answer) bool {
	switch q.Type {
	case File:
		return a.Files > 0 || a.Linked
	case Number:
		var f float64
		return json.Unmarshal(a.Value, &f) == nil
	default:
		return len(a.Values()) > 0
	}
}

// Check validates a raw answer value for q and returns it normalised.
func Check(q *Question, raw json.RawMessage) (json.RawMessage, error) {
	switch q.Type {
	case YesNoNA, SingleChoice:
		var v string
		if json.Unmarshal(raw, &v) != nil || (v != "" && !q.hasChoice(v)) {
			return nil, fmt.Errorf("must be one of the question's choices")
		}
		return json.Marshal(v)
	case MultipleChoice:
		var vs []string
		if json.Unmarshal(raw, &vs) != nil {
			return nil, fmt.Errorf("must be a list of the question's choices")
		}
		out := []string{}
		for _, v := range vs {
			if !q.hasChoice(v) {
				return nil, fmt.Errorf("%q is not one of the question's choices", v)
			}
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return json.Marshal(out)
	case Number:
		var f float64
		if json.Unmarshal(raw, &f) != nil || math.IsInf(f, 0) || math.IsNaN(f) || math.Abs(f) > 1e12 {
			return nil, fmt.Errorf("must be a number")
		}
		return json.Marshal(f)
	case Date:
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil, fmt.Errorf("must be a date such as 2026-03-31")
		}
		if s != "" {
			if _, err := time.Parse(time.DateOnly, s); err != nil {
				return nil, fmt.Errorf("must be a date such as 2026-03-31")
			}
		}
		return json.Marshal(s)
	case ShortText, LongText:
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil, fmt.Errorf("must be text")
		}
		limit := 500
		if q.Type == LongText {
			limit = 10000
		}
		if len([]rune(s)) > limit {
			return nil, fmt.Errorf("must be at most %s characters", strconv.Itoa(limit))
		}
		return json.Marshal(s)
	case File:
		return nil, fmt.Errorf("is answered by uploading a file")
	}
	return nil, fmt.Errorf("has an unknown type")
}

func (q *Question) hasChoice(v string) bool {
	for _, c := range q.Choices {
		if c.Value == v {
			return true
		}
	}
	return false
}

func (q *Question) choiceScore(v string) (float64, bool) {
	for _, c := range q.Choices {
		if c.Value == v {
			if c.Score == nil {
				return 0, false
			}
			return *c.Score, true
		}
	}
	return 0, false
}

// Score scores one answer from 0 to 100. ok is false when the answer does
// not count: unscored question, not applicable, or no answer.
func Score(q *Question, a Answer, today time.Time) (score float64, ok bool) {
	if !q.Scored() || !Answered(q, a) {
		return 0, false
	}
	switch q.Type {
	case YesNoNA, SingleChoice:
		return q.choiceScore(a.Values()[0])
	case MultipleChoice:
		var scores []float64
		for _, v := range a.Values() {
			if s, ok := q.choiceScore(v); ok {
				scores = append(scores, s)
			}
		}
		if len(scores) == 0 {
			return 0, false
		}
		if q.Scoring == "average" {
			sum := 0.0
			for _, s := range scores {
				sum += s
			}
			return sum / float64(len(scores)), true
		}
		return slices.Max(scores), true
	case Number:
		var f float64
		_ = json.Unmarshal(a.Value, &f)
		for _, t := range q.Thresholds {
			if t.Max == nil || f <= *t.Max {
				return t.Score, true
			}
		}
		return 0, len(q.Thresholds) > 0
	case Date:
		var s string
		_ = json.Unmarshal(a.Value, &s)
		d, err := time.Parse(time.DateOnly, s)
		if err != nil || q.MaxAgeDays == 0 {
			return 0, false
		}
		if today.Sub(d) <= time.Duration(q.MaxAgeDays)*24*time.Hour {
			return 100, true
		}
		return 0, true
	case File:
		if a.Verdict == FileAccepted {
			return 100, true
		}
		return 0, true
	}
	return 0, false
}
