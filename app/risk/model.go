// Package risk scores vendors: inherent risk from the vendor's profile,
// residual risk after controls and open findings, the 5x5 matrix cell,
// and the tier that sets the questionnaire and the review cadence. The
// model is data (versioned, editable by admins); every score lists the
// factors that produced it, so any score can be explained and recomputed.
package risk

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Model is one version of the scoring model.
type Model struct {
	Version int `json:"version"`
	// DataTypes gives points per kind of data; a vendor scores its most
	// sensitive kind plus ExtraDataTypePoints for each other sensitive one.
	DataTypes           map[string]int `json:"data_types"`
	ExtraDataTypePoints int            `json:"extra_data_type_points"`
	MaxDataTypePoints   int            `json:"max_data_type_points"`
	AccessLevels        map[string]int `json:"access_levels"`
	// IntegrationMethods add up, to at most MaxIntegrationPoints.
	IntegrationMethods   map[string]int `json:"integration_methods"`
	MaxIntegrationPoints int            `json:"max_integration_points"`
	Criticalities        map[string]int `json:"criticalities"`
	AnnualSpend          []Band         `json:"annual_spend"`
	InternalUsers        []Band         `json:"internal_users"`
	// SafeRegions are hosting regions that add no points; any other
	// region adds OtherRegionPoints once.
	SafeRegions       []string `json:"safe_regions"`
	OtherRegionPoints int      `json:"other_region_points"`
	// Tiers, most critical first: the first whose MinScore the inherent
	// score reaches.
	Tiers []Tier `json:"tiers"`
	// ControlWeight is how much of the inherent risk fully effective
	// controls remove (0-1).
	ControlWeight float64 `json:"control_weight"`
	// FindingPoints add residual risk per open finding by severity, up to
	// MaxFindingPoints.
	FindingPoints    map[string]int `json:"finding_points"`
	MaxFindingPoints int            `json:"max_finding_points"`
	// RemediationDays sets a new finding's due date by severity.
	RemediationDays map[string]int `json:"remediation_days"`
}

// Band gives points to values up to Max (nil: any larger value).
type Band struct {
	Max    *float64 `json:"max"`
	Points int      `json:"points"`
}

// Tier is one tier's threshold and what it implies.
type Tier struct {
	Tier                 int    `json:"tier"`
	Name                 string `json:"name"`
	MinScore             int    `json:"min_score"`
	ReviewMonths         int    `json:"review_months"`
	DefaultQuestionnaire string `json:"default_questionnaire"`
}

// Decode parses a model strictly and validates it.
func Decode(data []byte) (*Model, error) {
	var m Model
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	return &m, m.Validate()
}

// Validate checks that the model can score every vendor.
func (m *Model) Validate() error {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if len(m.Tiers) == 0 {
		bad("tiers: at least one tier is needed")
	}
	for i, t := range m.Tiers {
		if t.Tier != i+1 {
			bad("tiers[%d]: tiers must be numbered 1, 2, ... in order", i)
		}
		if i > 0 && t.MinScore >= m.Tiers[i-1].MinScore {
			bad("tiers[%d]: min_score must fall from tier to tier", i)
		}
		if t.ReviewMonths < 1 || t.ReviewMonths > 60 {
			bad("tiers[%d]: review_months must be 1-60", i)
		}
	}
	if len(m.Tiers) > 0 && m.Tiers[len(m.Tiers)-1].MinScore != 0 {
		bad("tiers: the last tier must start at score 0 so every vendor gets one")
	}
	for name, bands := range map[string][]Band{"annual_spend": m.AnnualSpend, "internal_users": m.InternalUsers} {
		if len(bands) == 0 || bands[len(bands)-1].Max != nil {
			bad("%s: the last band must have no max", name)
		}
		for i := 1; i < len(bands); i++ {
			if bands[i-1].Max == nil || (bands[i].Max != nil && *bands[i].Max <= *bands[i-1].Max) {
				bad("%s[%d]: band maxima must rise", name, i)
			}
		}
	}
	if m.ControlWeight < 0 || m.ControlWeight > 1 {
		bad("control_weight must be between 0 and 1")
	}
	for name, table := range map[string]map[string]int{"data_types": m.DataTypes, "access_levels": m.AccessLevels,
		"integration_methods": m.IntegrationMethods, "criticalities": m.Criticalities, "finding_points": m.FindingPoints} {
		for k, v := range table {
			if v < 0 || v > 100 {
				bad("%s.%s: points must be 0-100", name, k)
			}
		}
	}
	for _, sev := range []string{"critical", "high", "medium", "low"} {
		if d := m.RemediationDays[sev]; d < 1 || d > 730 {
			bad("remediation_days.%s must be 1-730", sev)
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return fmt.Errorf("the risk model is not valid: %s", strings.Join(problems, "; "))
	}
	return nil
}

// Criticalities are ordered from least to most critical; vendors store
// the position (1-4) so that sorting puts critical first.
var Criticalities = []string{"low", "medium", "high", "critical"}

// CriticalityRank maps a criticality to its stored rank (0 if unknown).
func CriticalityRank(c string) int {
	return slices.Index(Criticalities, c) + 1
}

// CriticalityName maps a stored rank back to its name.
func CriticalityName(rank int) string {
	if rank < 1 || rank > len(Criticalities) {
		return ""
	}
	return Criticalities[rank-1]
}
