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
	// EvidencePoints add residual risk per required evidence kind of the
	// vendor's tier (Tier.RequiredEvidence) that is missing or expired, up
	// to MaxEvidencePoints.
	EvidencePoints    int `json:"evidence_points,omitempty" minimum:"0" maximum:"100" description:"residual points per required evidence kind missing or expired"`
	MaxEvidencePoints int `json:"max_evidence_points,omitempty" minimum:"0" maximum:"100" description:"cap on the evidence points"`
	// IncidentPoints add residual risk per open (or contained) incident by
	// severity, up to MaxIncidentPoints; absent: DefaultIncidentPoints and
	// DefaultMaxIncidentPoints.
	IncidentPoints    map[string]int `json:"incident_points,omitempty" description:"residual points per open incident by severity (default critical 25, high 15, medium 8, low 3)"`
	MaxIncidentPoints int            `json:"max_incident_points,omitempty" minimum:"0" maximum:"100" description:"cap on the incident points (default 40)"`
	// Labels are the words people read for the codes above; a code
	// without a label is shown with its underscores as spaces.
	Labels *Labels `json:"labels,omitempty"`
}

// Labels name the model's codes and the matrix's steps for people.
type Labels struct {
	DataTypes          map[string]string `json:"data_types,omitempty"`
	AccessLevels       map[string]string `json:"access_levels,omitempty"`
	IntegrationMethods map[string]string `json:"integration_methods,omitempty"`
	Criticalities      map[string]string `json:"criticalities,omitempty"`
	// Likelihood and Impact name the matrix's steps 1-5, lowest first.
	Likelihood []string `json:"likelihood,omitempty"`
	Impact     []string `json:"impact,omitempty"`
}

// Label returns the label of code in one of the model's tables
// ("access_levels", "data_types", ...), or the code made readable.
func (m *Model) Label(table, code string) string {
	if m.Labels != nil {
		var t map[string]string
		switch table {
		case "data_types":
			t = m.Labels.DataTypes
		case "access_levels":
			t = m.Labels.AccessLevels
		case "integration_methods":
			t = m.Labels.IntegrationMethods
		case "criticalities":
			t = m.Labels.Criticalities
		}
		if l := t[code]; l != "" {
			return l
		}
	}
	return strings.ReplaceAll(code, "_", " ")
}

// Problem is one thing wrong with a model, at a field path such as
// "tiers[1].min_score".
type Problem struct {
	Field   string
	Message string
}

// Problems are everything wrong with a model, sorted by field.
type Problems []Problem

func (ps Problems) Error() string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Field + ": " + p.Message
	}
	return "the risk model is not valid: " + strings.Join(parts, "; ")
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
	// Reassessment is what happens as a vendor of the tier nears its next
	// review: ReassessRemind (also when empty) tells the vendor's owner;
	// ReassessStart creates the reassessment from the tier's questionnaire
	// and sends it to the vendor's security contact.
	Reassessment string `json:"reassessment,omitempty" enum:"remind,start" description:"remind: tell the vendor's owner the review is due (default); start: create the reassessment and send it to the vendor's security contact"`
	// LeadDays is how many days before the next-review date the owner is
	// told or the reassessment starts (0: DefaultLeadDays).
	LeadDays int `json:"lead_days,omitempty" minimum:"0" maximum:"180" description:"days before the next-review date to remind or start (0 or absent: 30)"`
	// RequiredEvidence are the evidence kinds (EvidenceKinds) a vendor of
	// the tier must hold accepted and unexpired.
	RequiredEvidence []string `json:"required_evidence,omitempty" description:"evidence kinds a vendor of the tier must hold, accepted and not expired (soc2_type2, pentest_summary, ...)"`
}

// What a tier does as a review comes due.
const (
	ReassessRemind = "remind"
	ReassessStart  = "start"
)

// DefaultLeadDays leaves a vendor a month to answer before its review is
// due.
const DefaultLeadDays = 30

// Lead is the tier's lead time in days.
func (t Tier) Lead() int {
	if t.LeadDays > 0 {
		return t.LeadDays
	}
	return DefaultLeadDays
}

// StartsReassessment reports whether the schedule starts the tier's
// reassessments by itself.
func (t Tier) StartsReassessment() bool { return t.Reassessment == ReassessStart }

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

// Validate checks that the model can score every vendor; a failure is
// Problems, one per field.
func (m *Model) Validate() error {
	var problems Problems
	bad := func(field, format string, args ...any) {
		problems = append(problems, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if len(m.Tiers) == 0 {
		bad("tiers", "at least one tier is needed")
	}
	for i, t := range m.Tiers {
		if t.Tier != i+1 {
			bad(fmt.Sprintf("tiers[%d].tier", i), "tiers must be numbered 1, 2, ... in order")
		}
		if t.MinScore < 0 || t.MinScore > 100 {
			bad(fmt.Sprintf("tiers[%d].min_score", i), "must be 0-100")
		} else if i > 0 && t.MinScore >= m.Tiers[i-1].MinScore {
			bad(fmt.Sprintf("tiers[%d].min_score", i), "must be lower than tier %d's (%d)", i, m.Tiers[i-1].MinScore)
		}
		if t.ReviewMonths < 1 || t.ReviewMonths > 60 {
			bad(fmt.Sprintf("tiers[%d].review_months", i), "must be 1-60")
		}
		if len(t.Name) > 40 {
			bad(fmt.Sprintf("tiers[%d].name", i), "must be at most 40 characters")
		}
		if t.Reassessment != "" && t.Reassessment != ReassessRemind && t.Reassessment != ReassessStart {
			bad(fmt.Sprintf("tiers[%d].reassessment", i), "must be remind or start")
		}
		if t.LeadDays < 0 || t.LeadDays > 180 {
			bad(fmt.Sprintf("tiers[%d].lead_days", i), "must be 0-180 days")
		}
		for j, k := range t.RequiredEvidence {
			if EvidenceLabel(k) == "" {
				bad(fmt.Sprintf("tiers[%d].required_evidence[%d]", i, j), "must be one of %s", strings.Join(EvidenceKindKeys(), ", "))
			} else if slices.Index(t.RequiredEvidence, k) != j {
				bad(fmt.Sprintf("tiers[%d].required_evidence[%d]", i, j), "names %s twice", k)
			}
		}
		if t.Reassessment == ReassessStart && t.DefaultQuestionnaire == "" {
			bad(fmt.Sprintf("tiers[%d].reassessment", i), "needs the tier's questionnaire to start reassessments")
		}
	}
	if n := len(m.Tiers); n > 0 && m.Tiers[n-1].MinScore != 0 {
		bad(fmt.Sprintf("tiers[%d].min_score", n-1), "the last tier must start at 0 so every vendor gets one")
	}
	for _, name := range []string{"annual_spend", "internal_users"} {
		bands := m.AnnualSpend
		if name == "internal_users" {
			bands = m.InternalUsers
		}
		if len(bands) == 0 || bands[len(bands)-1].Max != nil {
			bad(name, "the last band must have no max")
		}
		for i, b := range bands {
			if b.Points < 0 || b.Points > 100 {
				bad(fmt.Sprintf("%s[%d].points", name, i), "must be 0-100")
			}
			if i > 0 && (bands[i-1].Max == nil || (b.Max != nil && *b.Max <= *bands[i-1].Max)) {
				bad(fmt.Sprintf("%s[%d].max", name, i), "band maxima must rise")
			}
		}
	}
	if m.ControlWeight < 0 || m.ControlWeight > 1 {
		bad("control_weight", "must be between 0 and 1")
	}
	for _, n := range []struct {
		field string
		v     int
	}{{"extra_data_type_points", m.ExtraDataTypePoints}, {"max_data_type_points", m.MaxDataTypePoints},
		{"max_integration_points", m.MaxIntegrationPoints}, {"other_region_points", m.OtherRegionPoints}, {"max_finding_points", m.MaxFindingPoints},
		{"evidence_points", m.EvidencePoints}, {"max_evidence_points", m.MaxEvidencePoints}, {"max_incident_points", m.MaxIncidentPoints}} {
		if n.v < 0 || n.v > 100 {
			bad(n.field, "must be 0-100")
		}
	}
	for _, t := range []struct {
		name  string
		table map[string]int
	}{{"data_types", m.DataTypes}, {"access_levels", m.AccessLevels}, {"integration_methods", m.IntegrationMethods},
		{"criticalities", m.Criticalities}, {"finding_points", m.FindingPoints}, {"incident_points", m.IncidentPoints}} {
		for k, v := range t.table {
			if v < 0 || v > 100 {
				bad(t.name+"."+k, "points must be 0-100")
			}
		}
	}
	for _, sev := range []string{"critical", "high", "medium", "low"} {
		if d := m.RemediationDays[sev]; d < 1 || d > 730 {
			bad("remediation_days."+sev, "must be 1-730 days")
		}
	}
	if l := m.Labels; l != nil {
		for _, axis := range []struct {
			field string
			names []string
		}{{"labels.likelihood", l.Likelihood}, {"labels.impact", l.Impact}} {
			if len(axis.names) != 0 && len(axis.names) != 5 {
				bad(axis.field, "must name the 5 steps, lowest first")
			}
			for i, n := range axis.names {
				if n == "" || len(n) > 80 {
					bad(fmt.Sprintf("%s[%d]", axis.field, i), "must be 1-80 characters")
				}
			}
		}
		for _, t := range []struct {
			field string
			names map[string]string
		}{{"labels.data_types", l.DataTypes}, {"labels.access_levels", l.AccessLevels},
			{"labels.integration_methods", l.IntegrationMethods}, {"labels.criticalities", l.Criticalities}} {
			for k, n := range t.names {
				if len(n) > 80 {
					bad(t.field+"."+k, "must be at most 80 characters")
				}
			}
		}
	}
	if len(problems) > 0 {
		slices.SortStableFunc(problems, func(a, b Problem) int { return strings.Compare(a.Field, b.Field) })
		return problems
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
