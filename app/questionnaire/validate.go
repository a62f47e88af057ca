package questionnaire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Template is a whole questionnaire: its identity and its content. It is
// the shape of the built-in library's files and of JSON imports.
type Template struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Content
}

// How a multiple_choice answer combines the scores of its choices.
const (
	ScoringMax     = "max"     // the best selected choice
	ScoringAverage = "average" // the mean of the selected choices that have a score
)

// HasChoices reports whether answers to the type are picked from choices.
func HasChoices(typ string) bool {
	return typ == YesNoNA || typ == SingleChoice || typ == MultipleChoice
}

// Decode parses one questionnaire strictly (unknown fields and
// trailing data are errors) and validates it.
func Decode(data []byte) (Template, error) {
	var q Template
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		return Template{}, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Template{}, errors.New("unexpected data after the questionnaire")
	}
	q.fillEmptyLists()
	return q, q.ValidateLibrary()
}

// fillEmptyLists turns absent lists into empty ones, so that they encode
// as [] rather than null.
func (q *Template) fillEmptyLists() {
	for i := range q.Sections {
		s := &q.Sections[i]
		if s.Questions == nil {
			s.Questions = []Question{}
		}
		for j := range s.Questions {
			qu := &s.Questions[j]
			if qu.Choices == nil {
				qu.Choices = []Choice{}
			}
			if qu.Expected == nil {
				qu.Expected = []string{}
			}
			if qu.Frameworks == nil {
				qu.Frameworks = []string{}
			}
		}
	}
	if q.Sections == nil {
		q.Sections = []Section{}
	}
}

// Problem is one rule a questionnaire breaks. Question is the question's
// key, or empty when the problem is with the questionnaire or a section.
type Problem struct {
	Section  string `json:"section,omitempty"`
	Question string `json:"question,omitempty"`
	// Field names the part of the question or section at fault (key,
	// text, help, type, weight, frameworks, choices, expected, scoring,
	// thresholds, max_age_days, show_if; title, description, questions),
	// so an editor can show the message next to it.
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	switch {
	case p.Question != "":
		return p.Question + ": " + p.Message
	case p.Section != "":
		return "section " + p.Section + ": " + p.Message
	}
	return p.Message
}

// ValidationError lists every problem found in one questionnaire.
type ValidationError struct {
	Questionnaire string
	Problems      []Problem
}

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.String()
	}
	return fmt.Sprintf("questionnaire %q has %d problem(s): %s", e.Questionnaire, len(e.Problems), strings.Join(msgs, "; "))
}

var (
	questionnaireKeyRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	sectionKeyRE       = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	questionKeyRE      = regexp.MustCompile(`^[A-Z]{2,5}-[0-9]{2,3}$`)
	choiceValueRE      = regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)
)

// MaxFrameworks is the most framework references a library question
// carries; MaxImportedFrameworks bounds other questionnaires, whose
// publishers map one question to many catalogues (CAIQ, HECVAT).
const (
	MaxFrameworks         = 4
	MaxImportedFrameworks = 40
	// MaxKeyLength is the longest question key, in characters: long
	// enough for every published catalogue's ids.
	MaxKeyLength = 100
)

// ValidKey reports whether k can be a question key: 1 to MaxKeyLength
// letters, digits, punctuation, symbols or inner spaces of any script, as
// catalogues publish them (CAIQ's "A&A-01.1", HECVAT's "HFIH-01"), never
// control characters or surrounding spaces.
func ValidKey(k string) bool {
	n := utf8.RuneCountInString(k)
	if n == 0 || n > MaxKeyLength || !utf8.ValidString(k) || strings.TrimSpace(k) != k {
		return false
	}
	for _, r := range k {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsPunct(r) && !unicode.IsSymbol(r) && !unicode.IsMark(r) && r != ' ' {
			return false
		}
	}
	return true
}

// Validate checks what publishing requires and returns a
// *ValidationError listing every problem, or nil.
func (q Template) Validate() error { return q.validate(false) }

// ValidateLibrary also requires what the built-in library promises on
// top: help text and framework references on every question, and
// descriptions for the questionnaire and each section.
func (q Template) ValidateLibrary() error { return q.validate(true) }

func (q Template) validate(strict bool) error {
	v := validator{seen: map[string]Question{}, strict: strict}
	if !questionnaireKeyRE.MatchString(q.Key) {
		v.add("", "", "key", "key %q must be lower-case words joined by hyphens", q.Key)
	}
	if strings.TrimSpace(q.Name) == "" {
		v.add("", "", "name", "name is empty")
	}
	if strict && strings.TrimSpace(q.Description) == "" {
		v.add("", "", "description", "description is empty")
	}
	if len(q.Sections) == 0 {
		v.add("", "", "sections", "has no sections")
	}
	sectionKeys := map[string]bool{}
	for i, s := range q.Sections {
		label := s.Key
		if label == "" {
			label = fmt.Sprintf("#%d", i+1)
		}
		if !sectionKeyRE.MatchString(s.Key) {
			v.add(label, "", "key", "key %q must be snake_case", s.Key)
		} else if sectionKeys[s.Key] {
			v.add(label, "", "key", "key %q is used by another section", s.Key)
		}
		sectionKeys[s.Key] = true
		if strings.TrimSpace(s.Title) == "" {
			v.add(label, "", "title", "title is empty")
		}
		if strict && strings.TrimSpace(s.Description) == "" {
			v.add(label, "", "description", "description is empty")
		}
		if len(s.Questions) == 0 {
			v.add(label, "", "questions", "has no questions")
		}
		for j, qu := range s.Questions {
			v.question(label, j, qu)
		}
	}
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Questionnaire: q.Key, Problems: v.problems}
}

// validator collects problems; seen holds the questions already checked,
// which are the ones a show_if may refer to.
type validator struct {
	problems []Problem
	seen     map[string]Question
	strict   bool
}

func (v *validator) add(section, question, field, format string, args ...any) {
	v.problems = append(v.problems, Problem{Section: section, Question: question, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) question(section string, index int, q Question) {
	key := q.Key
	if key == "" {
		key = fmt.Sprintf("%s question #%d", section, index+1)
	}
	bad := func(field, format string, args ...any) { v.add(section, key, field, format, args...) }

	switch {
	case v.strict && !questionKeyRE.MatchString(q.Key):
		bad("key", "key %q must look like PREFIX-NN (e.g. GOV-01)", q.Key)
	case !v.strict && !ValidKey(q.Key):
		bad("key", "key %q must be 1-%d letters, digits, punctuation or inner spaces", q.Key, MaxKeyLength)
	}
	if _, dup := v.seen[q.Key]; dup && q.Key != "" {
		bad("key", "key is used by another question")
	}
	if strings.TrimSpace(q.Text) == "" {
		bad("text", "text is empty")
	}
	if v.strict && strings.TrimSpace(q.Help) == "" {
		bad("help", "help is empty")
	}
	if !slices.Contains(Types, q.Type) {
		bad("type", "type %q is not one of %s", q.Type, strings.Join(Types, ", "))
	}
	if q.Weight < 1 || q.Weight > 5 {
		bad("weight", "weight %d is outside 1-5", q.Weight)
	}
	v.frameworks(bad, q.Frameworks)
	v.scoringRule(bad, q)
	if q.ShowIf != nil {
		v.showIf(bad, q)
	}
	if q.Key != "" {
		if _, dup := v.seen[q.Key]; !dup {
			v.seen[q.Key] = q
		}
	}
}

func (v *validator) frameworks(bad func(string, string, ...any), frameworks []string) {
	most := MaxImportedFrameworks
	if v.strict {
		most = MaxFrameworks
	}
	if (v.strict && len(frameworks) == 0) || len(frameworks) > most {
		bad("frameworks", "needs at most %d framework references (1-%d in the library), has %d", most, MaxFrameworks, len(frameworks))
	}
	seen := map[string]bool{}
	for _, f := range frameworks {
		switch {
		case strings.TrimSpace(f) == "":
			bad("frameworks", "has an empty framework reference")
		case seen[f]:
			bad("frameworks", "framework reference %q is listed twice", f)
		}
		seen[f] = true
	}
}

// scoringRule checks that the question carries exactly the scoring fields
// its type uses.
func (v *validator) scoringRule(bad func(string, string, ...any), q Question) {
	if HasChoices(q.Type) {
		v.choices(bad, q)
	} else {
		if len(q.Choices) > 0 {
			bad("choices", "a %s question has no choices", q.Type)
		}
		if len(q.Expected) > 0 {
			bad("expected", "a %s question has no expected values", q.Type)
		}
	}
	if q.Type == MultipleChoice {
		if q.Scoring != ScoringMax && q.Scoring != ScoringAverage {
			bad("scoring", "scoring %q must be %q or %q", q.Scoring, ScoringMax, ScoringAverage)
		}
	} else if q.Scoring != "" {
		bad("scoring", "scoring is only for multiple_choice questions")
	}
	if q.Type == Number {
		v.thresholds(bad, q.Thresholds)
	} else if len(q.Thresholds) > 0 {
		bad("thresholds", "thresholds are only for number questions")
	}
	if q.Type == Date {
		if q.MaxAgeDays < 1 {
			bad("max_age_days", "a date question needs max_age_days of at least 1")
		}
	} else if q.MaxAgeDays != 0 {
		bad("max_age_days", "max_age_days is only for date questions")
	}
}

func (v *validator) choices(bad func(string, string, ...any), q Question) {
	if len(q.Choices) < 2 {
		bad("choices", "a %s question needs at least 2 choices, has %d", q.Type, len(q.Choices))
	}
	values := map[string]bool{}
	scored := false
	for _, c := range q.Choices {
		if !choiceValueRE.MatchString(c.Value) {
			bad("choices", "choice value %q must be snake_case", c.Value)
		} else if values[c.Value] {
			bad("choices", "choice value %q is listed twice", c.Value)
		}
		values[c.Value] = true
		if strings.TrimSpace(c.Label) == "" {
			bad("choices", "choice %q has no label", c.Value)
		}
		if c.Score != nil {
			scored = true
			if *c.Score < 0 || *c.Score > 100 {
				bad("choices", "choice %q score %g is outside 0-100", c.Value, *c.Score)
			}
		}
	}
	if !scored && len(q.Choices) > 0 {
		bad("choices", "no choice has a score, so the question can never be scored")
	}
	if q.Type == YesNoNA {
		if !values["yes"] || !values["no"] {
			bad("choices", "a yes_no_na question needs the choices yes and no")
		}
		for _, c := range q.Choices {
			switch {
			case c.Value != "yes" && c.Value != "no" && c.Value != "na":
				bad("choices", "a yes_no_na question may only offer yes, no and na, not %q", c.Value)
			case c.Value == "na" && c.Score != nil:
				bad("choices", "choice na must have a null score")
			}
		}
	}
	if len(q.Expected) == 0 {
		bad("expected", "expected lists no satisfactory answer")
	}
	for _, e := range q.Expected {
		if !values[e] {
			bad("expected", "expected value %q is not one of the choices", e)
		}
	}
}

func (v *validator) thresholds(bad func(string, string, ...any), ts []Threshold) {
	if len(ts) == 0 {
		bad("thresholds", "a number question needs thresholds")
		return
	}
	for i, t := range ts {
		if t.Score < 0 || t.Score > 100 {
			bad("thresholds", "threshold %d score %g is outside 0-100", i+1, t.Score)
		}
		last := i == len(ts)-1
		switch {
		case t.Max == nil && !last:
			bad("thresholds", "threshold %d has no max, but only the last threshold may be open-ended", i+1)
		case t.Max != nil && last:
			bad("thresholds", "the last threshold must have a null max so that every answer gets a score")
		case t.Max != nil && i > 0 && ts[i-1].Max != nil && *t.Max <= *ts[i-1].Max:
			bad("thresholds", "threshold %d max %g is not above the previous max %g", i+1, *t.Max, *ts[i-1].Max)
		}
	}
}

func (v *validator) showIf(bad func(string, string, ...any), q Question) {
	s := q.ShowIf
	if s.Question == q.Key {
		bad("show_if", "show_if refers to the question itself")
		return
	}
	target, ok := v.seen[s.Question]
	if !ok {
		bad("show_if", "show_if refers to %q, which is not an earlier question", s.Question)
		return
	}
	if !HasChoices(target.Type) {
		bad("show_if", "show_if refers to %s, a %s question without choices", s.Question, target.Type)
		return
	}
	if len(s.Equals) == 0 {
		bad("show_if", "show_if lists no values")
	}
	for _, e := range s.Equals {
		if !slices.ContainsFunc(target.Choices, func(c Choice) bool { return c.Value == e }) {
			bad("show_if", "show_if value %q is not a choice of %s", e, s.Question)
		}
	}
}
