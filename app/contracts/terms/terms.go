// Package terms proposes a contract's key terms (governing law, renewal,
// notice periods, data protection commitments, liability cap, SLA...)
// from its plain text, each with a normalized value, a confidence and the
// exact quotes that support it, so a reviewer can check every proposal
// against the contract instead of trusting it.
package terms

import (
	"encoding/json"
	"slices"
	"sort"
)

// Keys, in this order, is the list of terms every Extract result holds.
var Keys = []string{"governing_law", "auto_renewal", "renewal_term", "non_renewal_notice",
	"termination_for_convenience", "cure_period", "data_return_deletion", "breach_notification",
	"audit_rights", "subprocessor_changes", "data_location", "transfer_mechanism", "liability_cap",
	"sla_uptime", "service_credits", "insurance", "confidentiality_survival"}

// Evidence is an exact quote of the text: Start and End are code point
// offsets into the text given to Extract (End exclusive), Page is 1-based
// when the text has pages.
type Evidence struct {
	Quote string `json:"quote"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Page  int    `json:"page,omitempty"`
}

// Candidate is a value proposed by another clause that disagrees with
// the chosen one.
type Candidate struct {
	Value      string         `json:"value"`
	Normalized map[string]any `json:"normalized,omitempty"`
	Confidence float64        `json:"confidence"`
	Evidence   Evidence       `json:"evidence"`
}

// Term is the answer for one key.
type Term struct {
	Key   string `json:"key"`
	Found bool   `json:"found"`
	// Value is human readable, "" when not found.
	Value      string         `json:"value"`
	Normalized map[string]any `json:"normalized,omitempty"`
	// Confidence is 0..1; when not found, how sure we are the term is absent.
	Confidence float64    `json:"confidence"`
	Evidence   []Evidence `json:"evidence"`
	// Conflicts are other clauses that disagree (a DPA body and its annex).
	Conflicts []Candidate `json:"conflicts,omitempty"`
}

// Extract reads a contract's plain text. pageStarts[i] is the code point
// offset where page i+1 starts (nil when the format has no pages).
func Extract(text string, pageStarts []int) []Term {
	v := newView(text)
	out := make([]Term, len(Keys))
	for i, k := range Keys {
		out[i] = v.decide(k, rules[k](v), pageStarts)
	}
	return out
}

// candidate is one clause's proposal for a term.
type candidate struct {
	value string
	norm  map[string]any
	conf  float64
	sents []int // supporting sentences, the first is the main one
}

// finding is what a rule saw: proposals, and sentences that speak of the
// term without a readable value (blank says one of them is a template slot).
type finding struct {
	cands    []candidate
	mentions []int
	blank    bool
}

func (f *finding) add(value string, norm map[string]any, conf float64, sents ...int) {
	f.cands = append(f.cands, candidate{value: value, norm: norm, conf: conf, sents: sents})
}

func (f *finding) mention(i int, blank bool) {
	if len(f.mentions) < 3 && !slices.Contains(f.mentions, i) {
		f.mentions = append(f.mentions, i)
	}
	f.blank = f.blank || blank
}

// Absence confidence: nothing said about the term at all, the term is
// talked about but no value could be read, or a template slot is unfilled.
const (
	absentSilent    = 0.85
	absentMentioned = 0.6
	absentBlank     = 0.4
	// conflictPenalty lowers the chosen value's confidence when another
	// clause disagrees with it.
	conflictPenalty = 0.15
	maxEvidence     = 3
)

// decide picks the value with the best support: proposals are grouped by
// normalized value; a group scores its best confidence plus a little for
// every further clause that agrees; ties go to the earlier clause. The
// best proposal of every other group becomes a conflict.
func (v *view) decide(key string, f finding, pageStarts []int) Term {
	t := Term{Key: key, Evidence: []Evidence{}}
	if len(f.cands) == 0 {
		t.Confidence = absentSilent
		if len(f.mentions) > 0 {
			t.Confidence = absentMentioned
		}
		if f.blank {
			t.Confidence = absentBlank
		}
		for _, i := range f.mentions {
			t.Evidence = append(t.Evidence, v.evidence(i, pageStarts))
		}
		return t
	}
	type group struct {
		best  candidate
		score float64
		sents []int
		first int
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, c := range f.cands {
		k := normKey(c.norm)
		g := byKey[k]
		if g == nil {
			g = &group{best: c, first: c.sents[0]}
			byKey[k] = g
			groups = append(groups, g)
		} else {
			g.score += 0.05
			if c.conf > g.best.conf {
				g.best = c
			}
		}
		for _, s := range c.sents {
			if !slices.Contains(g.sents, s) {
				g.sents = append(g.sents, s)
			}
		}
	}
	for _, g := range groups {
		g.score = min(g.score, 0.1) + g.best.conf
	}
	slices.SortStableFunc(groups, func(a, b *group) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return a.first - b.first
	})
	win := groups[0]
	t.Found = true
	t.Value = win.best.value
	t.Normalized = win.best.norm
	t.Confidence = win.best.conf
	main := win.best.sents
	for _, s := range win.sents {
		if !slices.Contains(main, s) {
			main = append(main, s)
		}
	}
	for _, s := range main[:min(len(main), maxEvidence)] {
		t.Evidence = append(t.Evidence, v.evidence(s, pageStarts))
	}
	for _, g := range groups[1:] {
		t.Conflicts = append(t.Conflicts, Candidate{Value: g.best.value, Normalized: g.best.norm,
			Confidence: round2(g.best.conf), Evidence: v.evidence(g.best.sents[0], pageStarts)})
	}
	if len(t.Conflicts) > 0 {
		t.Confidence -= conflictPenalty
	}
	t.Confidence = round2(max(0.05, min(t.Confidence, 0.99)))
	return t
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

// normKey is a stable key for a normalized value.
func normKey(m map[string]any) string {
	b, _ := json.Marshal(m) // maps marshal with sorted keys
	return string(b)
}

func (v *view) evidence(i int, pageStarts []int) Evidence {
	s, e := v.span(v.sents[i])
	ev := Evidence{Quote: string(v.orig[s:e]), Start: s, End: e}
	if len(pageStarts) > 0 {
		// the page is the last one starting at or before the quote
		p := sort.Search(len(pageStarts), func(i int) bool { return pageStarts[i] > s })
		ev.Page = max(p, 1)
	}
	return ev
}
