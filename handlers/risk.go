package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/risk"
	"rampart/app/scoring"
	"rampart/models"
)

type riskHistoryEntry struct {
	At            time.Time `json:"at"`
	Cause         string    `json:"cause" enum:"created,profile_edit,assessment_completed,finding_opened,finding_closed,exception_granted,exception_expired,model_change,tier_override_set,tier_override_cleared,tier_override_expired"`
	ModelVersion  int64     `json:"model_version"`
	InherentScore int64     `json:"inherent_score"`
	Tier          int64     `json:"tier"`
	ResidualScore int64     `json:"residual_score"`
	Changes       []string  `json:"changes"`
}

type riskResponse struct {
	VendorID      string `json:"vendor_id"`
	ModelVersion  int64  `json:"model_version"`
	InherentScore int64  `json:"inherent_score"`
	// Tier is the effective tier: the override while in force.
	Tier         int64            `json:"tier"`
	ComputedTier int64            `json:"computed_tier"`
	TierOverride *tierOverrideDTO `json:"tier_override"`
	// TierExplanation says where the tier comes from when overridden:
	// "Tier set to 2 by Riley Chen until 2027-03-31: <reason> (computed: 3)".
	TierExplanation string `json:"tier_explanation"`
	TierName        string `json:"tier_name"`
	ResidualScore   int64  `json:"residual_score"`
	Likelihood      int64  `json:"likelihood"`
	Impact          int64  `json:"impact"`
	// The matrix steps in the model's words ("Likely", "Major").
	LikelihoodLabel string          `json:"likelihood_label"`
	ImpactLabel     string          `json:"impact_label"`
	Factors         scoring.Factors `json:"factors"`
	Inputs          scoring.Inputs  `json:"inputs"`
	// ReviewMonths and DefaultQuestionnaire follow from the tier.
	ReviewMonths         int                `json:"review_months"`
	DefaultQuestionnaire string             `json:"default_questionnaire"`
	History              []riskHistoryEntry `json:"history"`
}

// vendorRisk explains a vendor's scores: the factors and points behind
// them, where it sits on the matrix, and every change with its cause.
func (s *Server) vendorRisk(c echo.Context) error {
	v, err := models.GetVendor(c.Request().Context(), s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	out, err := s.riskOf(c.Request().Context(), v)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) riskOf(ctx context.Context, v *models.VendorRecord) (riskResponse, error) {
	m, _, err := scoring.Current(ctx, s.deps.DB.Gorm)
	if err != nil {
		return riskResponse{}, err
	}
	hist, err := models.RiskHistory(ctx, s.deps.DB.Gorm, v.ID, models.MaxLimit)
	if err != nil {
		return riskResponse{}, err
	}
	day := s.deps.Now().UTC().Format(time.DateOnly)
	out := riskResponse{VendorID: v.ID, ModelVersion: v.RiskModelVersion, InherentScore: v.InherentScore, Tier: v.EffectiveTier(day),
		ComputedTier: v.Tier, ResidualScore: v.ResidualScore, Likelihood: v.Likelihood, Impact: v.Impact, History: []riskHistoryEntry{}}
	if out.TierOverride, out.TierExplanation, err = s.tierOverrideOf(ctx, v, day); err != nil {
		return riskResponse{}, err
	}
	// The questionnaire follows the effective tier; the review cadence
	// stays with the computed one (docs/risk-scoring.md says why).
	tier := m.TierInfo(int(out.Tier))
	out.TierName, out.DefaultQuestionnaire = tier.Name, tier.DefaultQuestionnaire
	out.ReviewMonths = m.TierInfo(int(v.Tier)).ReviewMonths
	if l := m.Labels; l != nil {
		out.LikelihoodLabel, out.ImpactLabel = step(l.Likelihood, v.Likelihood), step(l.Impact, v.Impact)
	}
	out.Factors = scoring.Factors{Inherent: []risk.Factor{}, Residual: []risk.Factor{}}
	if len(hist) > 0 {
		_ = json.Unmarshal([]byte(hist[0].Factors), &out.Factors)
		_ = json.Unmarshal([]byte(hist[0].Inputs), &out.Inputs)
	}
	for _, h := range hist {
		e := riskHistoryEntry{At: h.CreatedAt, Cause: h.Cause, ModelVersion: h.ModelVersion, InherentScore: h.InherentScore,
			Tier: h.Tier, ResidualScore: h.ResidualScore, Changes: []string{}}
		_ = json.Unmarshal([]byte(h.Changes), &e.Changes)
		out.History = append(out.History, e)
	}
	if o := out.TierOverride; o != nil && !o.InForce && len(out.History) > 0 {
		out.History = append([]riskHistoryEntry{lapsedEntry(v, o, out.History[0])}, out.History...)
	}
	return out, nil
}

func step(names []string, n int64) string {
	if n < 1 || int(n) > len(names) {
		return ""
	}
	return names[n-1]
}
