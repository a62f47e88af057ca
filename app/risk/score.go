package risk

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Profile is what inherent risk is computed from.
type Profile struct {
	DataTypes          []string `json:"data_types"`
	AccessLevel        string   `json:"access_level"`
	IntegrationMethods []string `json:"integration_methods"`
	Criticality        string   `json:"criticality"`
	AnnualSpend        int64    `json:"annual_spend"`
	InternalUsers      int64    `json:"internal_users"`
	HostingRegions     []string `json:"hosting_regions"`
}

// Factor is one contribution to a score, with the value that caused it:
// Value holds the codes (what changes are detected on), Text the same in
// words for people.
type Factor struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Value  string `json:"value"`
	Text   string `json:"text,omitempty"`
	Points int    `json:"points"`
}

// Words is the factor's value as people read it (older entries have no Text).
func (f Factor) Words() string {
	if f.Text != "" {
		return f.Text
	}
	return f.Value
}

// Inherent is the risk before any control is considered.
type Inherent struct {
	Score   int      `json:"score"` // 0-100
	Tier    int      `json:"tier"`
	Factors []Factor `json:"factors"`
}

// Inherent scores a profile: the sum of its factors' points, at most 100.
func (m *Model) Inherent(p Profile) Inherent {
	var fs []Factor
	add := func(key, label, value, text string, points int) {
		fs = append(fs, Factor{Key: key, Label: label, Value: value, Text: text, Points: points})
	}
	labels := func(table string, codes []string) string {
		words := make([]string, len(codes))
		for i, c := range codes {
			words[i] = m.Label(table, c)
		}
		return orNone(strings.Join(words, ", "))
	}

	// Data: the most sensitive kind counts fully, each other kind a little.
	types := slices.Clone(p.DataTypes)
	slices.SortFunc(types, func(a, b string) int { return m.DataTypes[b] - m.DataTypes[a] })
	dataPts := 0
	for i, t := range types {
		if i == 0 {
			dataPts = m.DataTypes[t]
		} else if m.DataTypes[t] > 0 {
			dataPts += m.ExtraDataTypePoints
		}
	}
	dataPts = min(dataPts, m.MaxDataTypePoints)
	add("data_types", "Data handled", orNone(strings.Join(p.DataTypes, ", ")), labels("data_types", p.DataTypes), dataPts)
	add("access_level", "Access to our systems", orNone(p.AccessLevel), labels("access_levels", nonEmpty(p.AccessLevel)), m.AccessLevels[p.AccessLevel])

	integ := 0
	for _, im := range p.IntegrationMethods {
		integ += m.IntegrationMethods[im]
	}
	add("integration_methods", "Integration", orNone(strings.Join(p.IntegrationMethods, ", ")), labels("integration_methods", p.IntegrationMethods),
		min(integ, m.MaxIntegrationPoints))
	add("criticality", "Business criticality", orNone(p.Criticality), labels("criticalities", nonEmpty(p.Criticality)), m.Criticalities[p.Criticality])
	add("annual_spend", "Annual spend", fmt.Sprint(p.AnnualSpend), thousands(p.AnnualSpend), band(m.AnnualSpend, float64(p.AnnualSpend)))
	add("internal_users", "Internal users", fmt.Sprint(p.InternalUsers), thousands(p.InternalUsers), band(m.InternalUsers, float64(p.InternalUsers)))
	regionPts := 0
	for _, r := range p.HostingRegions {
		if !slices.ContainsFunc(m.SafeRegions, func(s string) bool { return strings.EqualFold(s, r) }) {
			regionPts = m.OtherRegionPoints
		}
	}
	regions := orNone(strings.Join(p.HostingRegions, ", "))
	add("hosting_regions", "Hosting regions", regions, regions, regionPts)

	total := 0
	for _, f := range fs {
		total += f.Points
	}
	total = min(total, 100)
	return Inherent{Score: total, Tier: m.TierOf(total), Factors: fs}
}

func nonEmpty(code string) []string {
	if code == "" {
		return nil
	}
	return []string{code}
}

// thousands writes 1234567 as "1,234,567".
func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func band(bands []Band, v float64) int {
	for _, b := range bands {
		if b.Max == nil || v <= *b.Max {
			return b.Points
		}
	}
	return 0
}

// TierOf maps an inherent score to its tier.
func (m *Model) TierOf(score int) int {
	for _, t := range m.Tiers {
		if score >= t.MinScore {
			return t.Tier
		}
	}
	return len(m.Tiers)
}

// TierInfo returns a tier's settings.
func (m *Model) TierInfo(tier int) Tier {
	if tier >= 1 && tier <= len(m.Tiers) {
		return m.Tiers[tier-1]
	}
	return Tier{}
}

// Residual is the risk left after controls and open findings, and its
// place on the 5x5 matrix.
type Residual struct {
	Score      int      `json:"score"`
	Likelihood int      `json:"likelihood"` // 1-5
	Impact     int      `json:"impact"`     // 1-5
	Factors    []Factor `json:"factors"`
}

// Residual computes residual risk:
//
//	residual = inherent × (1 − control_weight × effectiveness / 100) + finding points
//
// clamped to 0-100, where effectiveness is the latest completed
// assessment's control effectiveness (0 when there is none) and finding
// points add up per open finding by severity, capped.
func (m *Model) Residual(in Inherent, effectiveness *float64, openFindings map[string]int) Residual {
	eff := 0.0
	effText := "no completed assessment"
	if effectiveness != nil {
		eff = *effectiveness
		effText = fmt.Sprintf("%.1f%%", eff)
	}
	reduction := int(math.Round(float64(in.Score) * m.ControlWeight * eff / 100))
	fp := 0
	var parts []string
	for _, sev := range []string{"critical", "high", "medium", "low"} {
		if n := openFindings[sev]; n > 0 {
			fp += n * m.FindingPoints[sev]
			parts = append(parts, fmt.Sprintf("%d %s", n, sev))
		}
	}
	fp = min(fp, m.MaxFindingPoints)
	score := min(max(in.Score-reduction+fp, 0), 100)
	r := Residual{Score: score, Factors: []Factor{
		{Key: "inherent", Label: "Inherent risk", Value: fmt.Sprintf("tier %d", in.Tier), Text: fmt.Sprintf("tier %d (%s)", in.Tier, m.TierInfo(in.Tier).Name), Points: in.Score},
		{Key: "controls", Label: "Control effectiveness", Value: effText, Text: effText, Points: -reduction},
		{Key: "findings", Label: "Open findings", Value: orNone(strings.Join(parts, ", ")), Text: orNone(strings.Join(parts, ", ")), Points: fp},
	}}
	// Impact: how much the vendor could hurt us; likelihood: how weak its
	// controls are, raised by open critical or high findings.
	r.Impact = clamp(int(math.Ceil(float64(in.Score)/20)), 1, 5)
	r.Likelihood = clamp(int(math.Ceil((100-eff)/20)), 1, 5)
	if openFindings["critical"] > 0 {
		r.Likelihood = clamp(r.Likelihood+2, 1, 5)
	} else if openFindings["high"] > 0 {
		r.Likelihood = clamp(r.Likelihood+1, 1, 5)
	}
	return r
}

func clamp(v, lo, hi int) int { return min(max(v, lo), hi) }

// Diff explains how factors changed between two scorings, largest change
// first, in words: "Access to our systems changed from read-only to
// administrative: +14". A change is a different code or different points.
func Diff(before, after []Factor) []string {
	prev := map[string]Factor{}
	for _, f := range before {
		prev[f.Key] = f
	}
	type change struct {
		text  string
		delta int
	}
	var cs []change
	for _, f := range after {
		p, ok := prev[f.Key]
		if ok && p.Value == f.Value && p.Points == f.Points {
			continue
		}
		delta := f.Points - p.Points
		sign := "+"
		if delta < 0 {
			sign = ""
		}
		if !ok {
			cs = append(cs, change{fmt.Sprintf("%s is %s: %s%d", f.Label, f.Words(), sign, delta), delta})
			continue
		}
		cs = append(cs, change{fmt.Sprintf("%s changed from %s to %s: %s%d", f.Label, p.Words(), f.Words(), sign, delta), delta})
	}
	// A factor that applies only while something lasts (open incidents)
	// goes away with it; say so rather than let the score move unexplained.
	for _, p := range before {
		if p.Key == "incidents" && !slices.ContainsFunc(after, func(f Factor) bool { return f.Key == p.Key }) {
			cs = append(cs, change{fmt.Sprintf("%s no longer apply (were %s): %d", p.Label, p.Words(), -p.Points), -p.Points})
		}
	}
	slices.SortStableFunc(cs, func(a, b change) int { return abs(b.delta) - abs(a.delta) })
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.text
	}
	return out
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
