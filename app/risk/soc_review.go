package risk

import (
	"fmt"
	"strings"
)

// SOCReview is what scoring knows of the review checklist of a vendor's
// newest SOC report (app/evidence keeps it).
type SOCReview struct {
	Framework          string // "SOC 2", "SOC 1"
	Open               bool
	Total, Decided     int
	Opinion            string // unqualified, qualified, adverse, disclaimer; "" when none was read
	OpinionDecision    string
	PeriodDecision     string
	ExceptionsAccepted int
	ExceptionFindings  int
	CUECs, CUECsMapped int
	CUECsNotApplicable int
	CarveOutsFlagged   int
}

// SOCReviewFactor adds the SOC report review line to the residual score.
// A checklist still open, or completed with a failing opinion or period
// accepted as it is, adds EvidencePoints: the report does not yet (or
// only by the reviewer's leave) stand as evidence. Exceptions turned into
// findings add nothing here, since the findings count themselves. A
// vendor without a SOC report checklist gets no line.
func (m *Model) SOCReviewFactor(r Residual, s *SOCReview) Residual {
	if s == nil {
		return r
	}
	text, weak := s.Words()
	pts := 0
	if weak {
		pts = min(m.EvidencePoints, m.maxEvidence())
	}
	r.Factors = append(r.Factors, Factor{Key: "soc_review", Label: "SOC report review", Value: text, Text: text, Points: pts})
	r.Score = min(max(r.Score+pts, 0), 100)
	return r
}

// Words says what the checklist came to ("SOC 2 review: 2 exceptions
// turned into findings, 1 CUEC unmapped") and whether it leaves the
// report short of evidence.
func (s *SOCReview) Words() (string, bool) {
	fw := s.Framework
	if fw == "" {
		fw = "SOC"
	}
	var parts []string
	weak := s.Open
	if s.Open {
		parts = append(parts, fmt.Sprintf("open, %d of %d decided", s.Decided, s.Total))
	}
	switch {
	case s.Opinion == "":
		parts = append(parts, "no opinion read")
		weak = weak || s.OpinionDecision != "finding"
	case s.Opinion != "unqualified" && s.OpinionDecision == "accepted":
		parts = append(parts, s.Opinion+" opinion accepted")
		weak = true
	case s.Opinion != "unqualified" && s.OpinionDecision == "finding":
		parts = append(parts, s.Opinion+" opinion turned into a finding")
	case s.Opinion != "unqualified":
		parts = append(parts, s.Opinion+" opinion")
	}
	switch s.PeriodDecision {
	case "accepted":
		parts = append(parts, "period not current, accepted")
		weak = true
	case "finding":
		parts = append(parts, "period not current, turned into a finding")
	case "bridge_letter":
		parts = append(parts, "period bridged by a bridge letter")
	}
	if s.ExceptionFindings > 0 {
		if s.ExceptionFindings == 1 {
			parts = append(parts, "1 exception turned into a finding")
		} else {
			parts = append(parts, plural(s.ExceptionFindings, "exception")+" turned into findings")
		}
	}
	if s.ExceptionsAccepted > 0 {
		parts = append(parts, plural(s.ExceptionsAccepted, "exception")+" accepted")
	}
	if n := s.CUECs - s.CUECsMapped - s.CUECsNotApplicable; n > 0 {
		parts = append(parts, plural(n, "CUEC")+" unmapped")
	}
	if s.CarveOutsFlagged > 0 {
		parts = append(parts, plural(s.CarveOutsFlagged, "carved-out organization")+" flagged")
	}
	if len(parts) == 0 {
		parts = append(parts, "all passed")
	}
	return fw + " review: " + strings.Join(parts, ", "), weak
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
