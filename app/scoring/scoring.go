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
	var eff *float64
	reviewedFrom := v.CreatedAt
	if last != nil {
		eff = last.Effectiveness
		if last.CompletedAt != nil {
			reviewedFrom = *last.CompletedAt
		}
	}
	open, err := models.OpenFindingCounts(ctx, tx, vendorID, time.Now().UTC().Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	in := Inputs{Profile: ProfileOf(v), Effectiveness: eff, OpenFindings: open}
	inherent := m.Inherent(in.Profile)
	residual := m.Residual(inherent, eff, in.OpenFindings)
	// A vendor never assessed is due now; otherwise its tier's cadence
	// after the last completed assessment.
	next := time.Now().UTC().Format(time.DateOnly)
	if last != nil {
		next = reviewedFrom.AddDate(0, m.TierInfo(inherent.Tier).ReviewMonths, 0).Format(time.DateOnly)
	}
	if next != v.NextReviewOn {
		if err := models.SetNextReview(ctx, tx, vendorID, next); err != nil {
			return nil, err
		}
	}
	f := Factors{Inherent: inherent.Factors, Residual: residual.Factors}

	prev, err := models.LatestRisk(ctx, tx, vendorID)
	if err != nil {
		return nil, err
	}
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
			return nil, nil
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
	h := &models.VendorRiskHistory{VendorID: vendorID, ModelVersion: version, InherentScore: int64(inherent.Score), Tier: int64(inherent.Tier),
		ResidualScore: int64(residual.Score), Likelihood: int64(residual.Likelihood), Impact: int64(residual.Impact),
		Factors: string(fj), Inputs: string(ij), Cause: cause, Changes: string(cj)}
	if err := tx.WithContext(ctx).Create(h).Error; err != nil {
		return nil, err
	}
	return h, models.SetVendorRisk(ctx, tx, vendorID, h)
}
