package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Causes of the history entries a tier override writes.
const (
	CauseTierOverrideSet     = "tier_override_set"
	CauseTierOverrideCleared = "tier_override_cleared"
	CauseTierOverrideExpired = "tier_override_expired"
)

// OverrideInForce reports whether v's manual tier applies on day
// (YYYY-MM-DD). The until date is inclusive.
func (v *Vendor) OverrideInForce(day string) bool {
	return v.OverrideTier != nil && v.OverrideUntil != "" && v.OverrideUntil >= day
}

// OverrideLapsed reports whether v holds an override whose until date
// has passed on day: it no longer applies but nobody has cleared it.
func (v *Vendor) OverrideLapsed(day string) bool {
	return v.OverrideTier != nil && v.OverrideUntil != "" && v.OverrideUntil < day
}

// EffectiveTier is the tier every reader uses: the override while in
// force, else the computed tier.
func (v *Vendor) EffectiveTier(day string) int64 {
	if v.OverrideInForce(day) {
		return *v.OverrideTier
	}
	return v.Tier
}

// whereEffectiveTierIn filters on the effective tier, written as two
// groups of plain column conditions (not a CASE expression) so each half
// can use an index: the computed tier where no override is in force, the
// override tier where one is (migration 00039's partial index).
func whereEffectiveTierIn(q *gorm.DB, today time.Time, tiers []int64) *gorm.DB {
	if today.IsZero() {
		today = time.Now()
	}
	day := today.UTC().Format(time.DateOnly)
	return q.Where("(((override_tier IS NULL OR override_until < ?) AND tier IN ?) OR "+
		"(override_tier IS NOT NULL AND override_until >= ? AND override_tier IN ?))", day, tiers, day, tiers)
}

// effectiveTierColumn is the effective tier as a select expression, for
// aggregates that read every vendor anyway (the dashboard). The day is
// inlined because GROUP BY takes no arguments; it is a formatted date,
// never user text.
func effectiveTierColumn(day string) string {
	return fmt.Sprintf("CASE WHEN override_tier IS NOT NULL AND override_until >= '%s' THEN override_tier ELSE tier END", day)
}

// TierOverride is a manual tier to set on a vendor.
type TierOverride struct {
	Tier   int64
	Until  string // YYYY-MM-DD, inclusive
	Reason string
	By     string
	At     time.Time
}

// SetTierOverride stores o on the vendor at version (ErrConflict when
// stale, with the current record) and appends the history entries: the
// lapse of a previous override that ran out unnoticed, then the new one.
// o == nil clears the override.
func SetTierOverride(ctx context.Context, db *gorm.DB, id string, version int64, o *TierOverride, changes []string, lapsed []string) (*VendorRecord, error) {
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		set := map[string]any{"override_tier": nil, "override_until": "", "override_reason": "", "override_by": nil, "override_at": nil}
		cause := CauseTierOverrideCleared
		if o != nil {
			set = map[string]any{"override_tier": o.Tier, "override_until": o.Until, "override_reason": o.Reason, "override_by": o.By, "override_at": o.At}
			cause = CauseTierOverrideSet
		}
		if _, err := updateVersioned[Vendor](ctx, tx, id, version, set, true); err != nil {
			return err
		}
		if lapsed != nil {
			if err := appendTierEvent(ctx, tx, id, CauseTierOverrideExpired, lapsed); err != nil {
				return err
			}
		}
		return appendTierEvent(ctx, tx, id, cause, changes)
	})
	if err != nil && !errors.Is(err, ErrConflict) {
		return nil, err
	}
	rec, gerr := GetVendor(ctx, db, id)
	if gerr != nil {
		return nil, gerr
	}
	return rec, err
}

// appendTierEvent repeats the vendor's latest scores under a new cause so
// the history shows the override beside the scores it changed nothing of.
func appendTierEvent(ctx context.Context, tx *gorm.DB, id, cause string, changes []string) error {
	prev, err := LatestRisk(ctx, tx, id)
	if err != nil {
		return err
	}
	if prev == nil {
		return nil // never scored: nothing to repeat
	}
	cj, err := json.Marshal(changes)
	if err != nil {
		return err
	}
	h := &VendorRiskHistory{VendorID: id, ModelVersion: prev.ModelVersion, InherentScore: prev.InherentScore, Tier: prev.Tier,
		ResidualScore: prev.ResidualScore, Likelihood: prev.Likelihood, Impact: prev.Impact, Factors: prev.Factors,
		Inputs: prev.Inputs, Cause: cause, Changes: string(cj)}
	return AppendRiskHistory(ctx, tx, h)
}
