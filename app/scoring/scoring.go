// Package scoring keeps every vendor's risk scores current: it applies the
// published risk model to a vendor's profile, latest completed assessment
// and open findings, stores the result on the vendor, and appends a
// history entry saying what changed and why.
package scoring

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"rampart/app/risk"
	"rampart/models"
)

// Causes of a score change, as the history records them.
const (
	CauseCreated             = "created"
	CauseProfileEdit         = "profile_edit"
	CauseAssessmentCompleted = "assessment_completed"
	CauseModelChange         = "model_change"
	CauseFindingOpened       = "finding_opened"
	CauseFindingClosed       = "finding_closed"
	CauseExceptionGranted    = "exception_granted"
	CauseExceptionExpired    = "exception_expired"
	// CauseEvidence: a document uploaded, reviewed or expired.
	CauseEvidence = "evidence_changed"
	// CauseIncident: an incident recorded, reported, reclassified or closed.
	CauseIncident = "incident_changed"
)

// Install stores the default model (seeds.RiskModelJSON) as version 1
// when there is none; migrate calls it.
func Install(ctx context.Context, db *gorm.DB, defaultModel []byte) error {
	if _, err := risk.Decode(defaultModel); err != nil {
		return err
	}
	_, err := models.InstallRiskModel(ctx, db, 1, string(defaultModel))
	return err
}

// Current returns the published model and its version.
func Current(ctx context.Context, db *gorm.DB) (*risk.Model, int64, error) {
	row, err := models.PublishedRiskModel(ctx, db)
	if errors.Is(err, models.ErrNotFound) {
		return nil, 0, errors.New("no published risk model: run rampart migrate")
	}
	if err != nil {
		return nil, 0, err
	}
	m, err := risk.Decode([]byte(row.Content))
	if err != nil {
		return nil, 0, fmt.Errorf("risk model %d: %w", row.Version, err)
	}
	return m, row.Version, nil
}

// Inputs are what a score was computed from, kept so any score can be
// recomputed and explained.
type Inputs struct {
	Profile       risk.Profile   `json:"profile"`
	Effectiveness *float64       `json:"effectiveness"`
	OpenFindings  map[string]int `json:"open_findings"`
	// Evidence is what the vendor held, when its tier requires any.
	Evidence *risk.EvidenceGaps `json:"evidence,omitempty"`
	// OpenIncidents counts open or contained incidents by severity, when
	// there are any.
	OpenIncidents map[string]int `json:"open_incidents,omitempty"`
	// SOCReview is the checklist of the vendor's newest SOC report, when
	// it has one.
	SOCReview *models.SOCReviewSummary `json:"soc_review,omitempty"`
}

// Factors are both halves of a score's explanation.
type Factors struct {
	Inherent []risk.Factor `json:"inherent"`
	Residual []risk.Factor `json:"residual"`
}

// ProfileOf reads the risk-relevant fields of a vendor.
func ProfileOf(v *models.VendorRecord) risk.Profile {
	return risk.Profile{DataTypes: v.DataTypes, AccessLevel: v.AccessLevel, IntegrationMethods: v.IntegrationMethods,
		Criticality: risk.CriticalityName(int(v.Criticality)), AnnualSpend: v.AnnualSpend, InternalUsers: v.InternalUsers,
		HostingRegions: v.HostingRegions}
}

// Recompute scores one vendor inside tx and, when anything changed,
// stores the scores and appends one history entry with the cause and the
// factor changes in words. It returns the entry (nil when unchanged).
func Recompute(ctx context.Context, tx *gorm.DB, vendorID, cause string) (*models.VendorRiskHistory, error) {
	// A vendor's score counts all its findings, incidents and evidence,
	// whoever's change caused the recomputation: a person scoped to some
	// business units must not store a score from only their units' part.
	ctx = models.Unscoped(ctx)
	tx = tx.WithContext(ctx)
	m, version, err := Current(ctx, tx)
	if err != nil {
		return nil, err
	}
	v, err := models.GetVendor(ctx, tx, vendorID)
	if err != nil {
		return nil, err
	}
	last, err := models.LatestCompleted(ctx, tx, vendorID)
	if err != nil {
		return nil, err
	}
	open, err := models.OpenFindingCounts(ctx, tx, vendorID, time.Now().UTC().Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	prev, err := models.LatestRisk(ctx, tx, vendorID)
	if err != nil {
		return nil, err
	}
	held, err := models.VendorHeldEvidence(ctx, tx, vendorID, time.Now().UTC().Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	incidents, err := models.OpenIncidentCounts(ctx, tx, vendorID)
	if err != nil {
		return nil, err
	}
	oldNext, oldGaps := v.NextReviewOn, v.EvidenceGaps
	h := Score(m, version, v, last, open, held, incidents, prev, cause)
	if v.NextReviewOn != oldNext {
		if err := models.SetNextReview(ctx, tx, vendorID, v.NextReviewOn); err != nil {
			return nil, err
		}
	}
	if v.EvidenceGaps != oldGaps {
		if err := models.SetEvidenceGaps(ctx, tx, vendorID, v.EvidenceGaps); err != nil {
			return nil, err
		}
	}
	if h == nil {
		return nil, nil
	}
	// The vendor row first: its lock orders concurrent scorings of one
	// vendor, which AppendRiskHistory's month mark relies on.
	if err := models.SetVendorRisk(ctx, tx, vendorID, h); err != nil {
		return nil, err
	}
	return h, models.AppendRiskHistory(ctx, tx, h)
}

// Score applies model m (at version) to vendor v, given its latest
// completed assessment, open findings, the evidence it holds, its open
// incidents by severity and its latest history entry (each may be nil or empty), without touching the
// database. It sets v's next review date, its evidence gaps and, when the
// scores or their explanation changed, its scores, and returns the
// history entry to store (nil when unchanged).
// Recompute and bulk writers (vendor import) share it.
func Score(m *risk.Model, version int64, v *models.VendorRecord, last *models.Assessment, open map[string]int,
	held models.HeldEvidence, incidents map[string]int, prev *models.VendorRiskHistory, cause string) *models.VendorRiskHistory {
	var eff *float64
	reviewedFrom := v.CreatedAt
	if last != nil {
		eff = last.Effectiveness
		if last.CompletedAt != nil {
			reviewedFrom = *last.CompletedAt
		}
	}
	if open == nil {
		open = map[string]int{}
	}
	in := Inputs{Profile: ProfileOf(v), Effectiveness: eff, OpenFindings: open}
	inherent := m.Inherent(in.Profile)
	residual := m.Residual(inherent, eff, in.OpenFindings)
	// Required evidence is the inherent tier's: the tier the model gives,
	// as the review cadence uses.
	gaps := m.TierInfo(inherent.Tier).Gaps(held.Current, held.Expired)
	v.EvidenceGaps = int64(gaps.Count())
	if len(gaps.Required) > 0 {
		in.Evidence = &gaps
		residual = m.EvidenceFactor(residual, gaps)
	}
	if rv := held.SOCReview; rv != nil {
		in.SOCReview = rv
		residual = m.SOCReviewFactor(residual, &risk.SOCReview{Framework: rv.Framework, Open: rv.Status != "completed", Total: rv.Total,
			Decided: rv.Decided, Opinion: rv.Opinion, OpinionDecision: rv.OpinionDecision, PeriodDecision: rv.PeriodDecision,
			ExceptionsAccepted: rv.ExceptionsAccepted, ExceptionFindings: rv.ExceptionFindings, CUECs: rv.CUECs, CUECsMapped: rv.CUECsMapped,
			CUECsNotApplicable: rv.CUECsNotApplicable, CarveOutsFlagged: rv.CarveOutsFlagged})
	}
	if len(incidents) > 0 {
		in.OpenIncidents = incidents
		residual = m.IncidentFactor(residual, incidents)
	}
	// A vendor never assessed is due now; otherwise its tier's cadence
	// after the last completed assessment.
	v.NextReviewOn = time.Now().UTC().Format(time.DateOnly)
	if last != nil {
		v.NextReviewOn = reviewedFrom.AddDate(0, m.TierInfo(inherent.Tier).ReviewMonths, 0).Format(time.DateOnly)
	}
	f := Factors{Inherent: inherent.Factors, Residual: residual.Factors}
	var changes []string
	if prev != nil {
		var pf Factors
		_ = json.Unmarshal([]byte(prev.Factors), &pf)
		changes = append(risk.Diff(pf.Inherent, f.Inherent), risk.Diff(pf.Residual[1:], f.Residual[1:])...)
		if prev.ModelVersion != version {
			changes = append([]string{fmt.Sprintf("Risk model changed from version %d to %d", prev.ModelVersion, version)}, changes...)
		}
		same := prev.InherentScore == int64(inherent.Score) && prev.ResidualScore == int64(residual.Score) &&
			prev.Tier == int64(inherent.Tier) && prev.Likelihood == int64(residual.Likelihood) && prev.Impact == int64(residual.Impact)
		if same && len(changes) == 0 {
			return nil
		}
	} else {
		cause = CauseCreated
	}
	if changes == nil {
		changes = []string{}
	}
	fj, _ := json.Marshal(f)
	ij, _ := json.Marshal(in)
	cj, _ := json.Marshal(changes)
	h := &models.VendorRiskHistory{VendorID: v.ID, ModelVersion: version, InherentScore: int64(inherent.Score), Tier: int64(inherent.Tier),
		ResidualScore: int64(residual.Score), Likelihood: int64(residual.Likelihood), Impact: int64(residual.Impact),
		Factors: string(fj), Inputs: string(ij), Cause: cause, Changes: string(cj)}
	v.InherentScore, v.Tier, v.ResidualScore = h.InherentScore, h.Tier, h.ResidualScore
	v.Likelihood, v.Impact, v.RiskModelVersion = h.Likelihood, h.Impact, h.ModelVersion
	return h
}
