package risk_test

import (
	"testing"

	"rampart/app/risk"
)

// TestSOCReviewFactor: the explanation line says what the checklist came
// to, and the points fall only on a report that does not stand as
// evidence (still open, a failing opinion or period accepted as it is).
func TestSOCReviewFactor(t *testing.T) {
	m := model(t)
	for name, c := range map[string]struct {
		in   risk.SOCReview
		text string
		pts  int
	}{
		"open": {risk.SOCReview{Framework: "SOC 2", Open: true, Total: 12, Decided: 7, Opinion: "unqualified", ExceptionFindings: 2, CUECs: 3, CUECsMapped: 2},
			"SOC 2 review: open, 7 of 12 decided, 2 exceptions turned into findings, 1 CUEC unmapped", m.EvidencePoints},
		"all passed": {risk.SOCReview{Framework: "SOC 2", Total: 4, Decided: 4, Opinion: "unqualified", OpinionDecision: "pass", PeriodDecision: "pass", CUECs: 2, CUECsMapped: 2},
			"SOC 2 review: all passed", 0},
		"findings only": {risk.SOCReview{Framework: "SOC 1", Opinion: "unqualified", ExceptionFindings: 1, ExceptionsAccepted: 2},
			"SOC 1 review: 1 exception turned into a finding, 2 exceptions accepted", 0},
		"qualified accepted": {risk.SOCReview{Framework: "SOC 2", Opinion: "qualified", OpinionDecision: "accepted", PeriodDecision: "bridge_letter"},
			"SOC 2 review: qualified opinion accepted, period bridged by a bridge letter", m.EvidencePoints},
		"period accepted": {risk.SOCReview{Framework: "SOC 2", Opinion: "unqualified", PeriodDecision: "accepted", CarveOutsFlagged: 2},
			"SOC 2 review: period not current, accepted, 2 carved-out organizations flagged", m.EvidencePoints},
		"no opinion": {risk.SOCReview{Framework: "SOC 2"}, "SOC 2 review: no opinion read", m.EvidencePoints},
	} {
		r := m.SOCReviewFactor(risk.Residual{Score: 50}, &c.in)
		if len(r.Factors) != 1 {
			t.Fatalf("%s: factors %+v", name, r.Factors)
		}
		f := r.Factors[0]
		if f.Key != "soc_review" || f.Text != c.text || f.Points != c.pts || r.Score != 50+c.pts {
			t.Errorf("%s: %+v score %d, want %q %d", name, f, r.Score, c.text, c.pts)
		}
	}
	if r := m.SOCReviewFactor(risk.Residual{Score: 50}, nil); len(r.Factors) != 0 || r.Score != 50 {
		t.Errorf("no checklist: %+v", r)
	}
}
