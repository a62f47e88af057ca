// Package terms proposes a contract's key terms (governing law, renewal,
// notice periods, data protection commitments, liability cap, SLA...)
// from its plain text, each with a normalized value, a confidence and the
// exact quotes that support it, so a reviewer can check every proposal
// against the contract instead of trusting it.
package terms

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
	out := make([]Term, len(Keys))
	for i, k := range Keys {
		out[i] = Term{Key: k, Evidence: []Evidence{}, Confidence: 0.5}
	}
	return out
}
