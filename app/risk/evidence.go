package risk

import (
	"fmt"
	"slices"
	"strings"
)

// EvidenceKind is a kind of document in a vendor's evidence library.
type EvidenceKind struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// EvidenceKinds is every kind, in the order people pick them. Keys are
// stored; do not rename them.
var EvidenceKinds = []EvidenceKind{
	{"soc2_type2", "SOC 2 Type II report"},
	{"soc2_type1", "SOC 2 Type I report"},
	{"soc1", "SOC 1 report"},
	{"bridge_letter", "SOC bridge letter"},
	{"iso27001", "ISO/IEC 27001 certificate"},
	{"iso27701", "ISO/IEC 27701 certificate"},
	{"pci_dss_aoc", "PCI DSS attestation of compliance"},
	{"pentest_summary", "penetration test summary"},
	{"insurance_certificate", "insurance certificate"},
	{"policy", "policy"},
	{"destruction_certificate", "certificate of destruction"},
	{"other", "other document"},
}

// EvidenceLabel names a kind in words ("" for an unknown key).
func EvidenceLabel(key string) string {
	for _, k := range EvidenceKinds {
		if k.Key == key {
			return k.Label
		}
	}
	return ""
}

// EvidenceKindKeys lists the keys.
func EvidenceKindKeys() []string {
	out := make([]string, len(EvidenceKinds))
	for i, k := range EvidenceKinds {
		out[i] = k.Key
	}
	return out
}

// EvidenceGaps are a tier's required kinds a vendor does not hold
// accepted and current: Missing (none accepted) and Expired (accepted
// ones all expired), each in the tier's order.
type EvidenceGaps struct {
	Required []string `json:"required"`
	Missing  []string `json:"missing"`
	Expired  []string `json:"expired"`
}

// Count is the number of kinds missing or expired.
func (g EvidenceGaps) Count() int { return len(g.Missing) + len(g.Expired) }

// Gaps compares a tier's required kinds with the kinds held current and
// those held only expired.
func (t Tier) Gaps(current, expired []string) EvidenceGaps {
	g := EvidenceGaps{Required: slices.Clone(t.RequiredEvidence), Missing: []string{}, Expired: []string{}}
	if g.Required == nil {
		g.Required = []string{}
	}
	for _, k := range t.RequiredEvidence {
		switch {
		case slices.Contains(current, k):
		case slices.Contains(expired, k):
			g.Expired = append(g.Expired, k)
		default:
			g.Missing = append(g.Missing, k)
		}
	}
	return g
}

// EvidenceFactor adds the required-evidence factor to a residual score:
// EvidencePoints per kind missing or expired, capped, with the kinds in
// words. A tier that requires nothing adds no factor, so models without
// required evidence explain scores as before.
func (m *Model) EvidenceFactor(r Residual, g EvidenceGaps) Residual {
	if len(g.Required) == 0 {
		return r
	}
	pts := min(g.Count()*m.EvidencePoints, m.maxEvidence())
	var codes, words []string
	if len(g.Missing) > 0 {
		codes = append(codes, "missing: "+strings.Join(g.Missing, ", "))
		words = append(words, "missing "+evidenceWords(g.Missing))
	}
	if len(g.Expired) > 0 {
		codes = append(codes, "expired: "+strings.Join(g.Expired, ", "))
		words = append(words, "expired "+evidenceWords(g.Expired))
	}
	value, text := strings.Join(codes, "; "), strings.Join(words, "; ")
	if value == "" {
		value = "complete"
		text = fmt.Sprintf("all %d required held", len(g.Required))
	}
	r.Factors = append(r.Factors, Factor{Key: "evidence", Label: "Required evidence", Value: value, Text: text, Points: pts})
	r.Score = min(max(r.Score+pts, 0), 100)
	return r
}

func (m *Model) maxEvidence() int {
	if m.MaxEvidencePoints > 0 {
		return m.MaxEvidencePoints
	}
	return 100
}

func evidenceWords(keys []string) string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = EvidenceLabel(k)
	}
	return strings.Join(out, ", ")
}
