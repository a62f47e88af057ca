package answermatch

import (
	"sort"

	"rampart/app/questionnaire"
)

// Proposal is what a reviewer confirms: each pair with the question it
// seems to answer and its answer read for that question's type. Nothing in
// it is saved.
type Proposal struct {
	Pairs []Proposed `json:"pairs"`
	// UnmatchedTemplateQuestions are the questions no pair answers.
	UnmatchedTemplateQuestions []Target `json:"unmatched_template_questions"`
}

// Proposed is one pair of the vendor's file and what became of it.
type Proposed struct {
	SourceID       string `json:"source_id"`
	SourceQuestion string `json:"source_question"`
	SourceAnswer   string `json:"source_answer"`
	SourceComment  string `json:"source_comment"`
	SourceRef      string `json:"source_ref"`
	// SourceQuote is what the saved answer records as its source.
	SourceQuote string `json:"source_quote"`
	// Match is nil when the pair is unmatched; Note then says why.
	Match  *Match  `json:"match"`
	Parsed *Parsed `json:"parsed"`
	Note   string  `json:"note"`
	// Alternatives are the next most similar questions, for a reviewer
	// who thinks the match is wrong.
	Alternatives []Match `json:"alternatives"`
}

// Targets lists a questionnaire's questions for matching.
func Targets(c *questionnaire.Content) []Target {
	var out []Target
	for _, q := range c.Questions() {
		out = append(out, Target{Key: q.Key, Text: questionnaire.PlainText(q.Text), Upload: q.Type == questionnaire.File})
	}
	return out
}

// Propose matches pairs to c's questions and reads each matched answer.
func Propose(c *questionnaire.Content, pairs []Pair) Proposal {
	m := NewMatcher(Targets(c))
	results, open := m.Match(pairs)
	out := Proposal{Pairs: make([]Proposed, 0, len(results)), UnmatchedTemplateQuestions: open}
	for _, r := range results {
		p := Proposed{SourceID: r.Pair.ID, SourceQuestion: r.Pair.Question, SourceAnswer: r.Pair.Answer, SourceComment: r.Pair.Comment,
			SourceRef: r.Pair.Ref, SourceQuote: Quote(r.Pair), Match: r.Match, Note: r.Note, Alternatives: m.alternatives(r.Pair, r.Match, 4)}
		if r.Match != nil {
			parsed := ParseFree(c.Find(r.Match.QuestionKey), r.Pair.Answer, r.Pair.Comment)
			p.Parsed = &parsed
		}
		out.Pairs = append(out.Pairs, p)
	}
	return out
}

// alternatives are the n questions most similar to p's besides chosen.
func (m *Matcher) alternatives(p Pair, chosen *Match, n int) []Match {
	pv := m.vector(terms(p.Question))
	var out []Match
	for i, t := range m.targets {
		if chosen != nil && t.Key == chosen.QuestionKey {
			continue
		}
		s, shared := similarity(pv, m.vecs[i])
		if s <= 0 {
			continue
		}
		out = append(out, Match{QuestionKey: t.Key, QuestionText: t.Text, Similarity: round2(s), By: "text", SharedWords: shared})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Similarity > out[j].Similarity })
	if len(out) > n {
		out = out[:n]
	}
	if out == nil {
		out = []Match{}
	}
	return out
}
