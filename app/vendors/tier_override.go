package vendors

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/models"
)

// MaxOverrideDays bounds how far ahead a tier override may run, so every
// override is looked at again within a year.
const MaxOverrideDays = 366

// OverrideInput is a manual tier as a client sends it.
type OverrideInput struct {
	Tier   int64
	Until  string // YYYY-MM-DD, inclusive
	Reason string
}

// OverrideView is what the audit trail records of an override.
type OverrideView struct {
	Tier   int64  `json:"tier"`
	Until  string `json:"until"`
	Reason string `json:"reason"`
}

// CheckOverride validates in against today (UTC), one message per field.
func CheckOverride(in OverrideInput, now time.Time) error {
	var errs []models.FieldError
	bad := func(f, m string) { errs = append(errs, models.FieldError{Field: f, Message: m}) }
	if in.Tier < 1 || in.Tier > 4 {
		bad("tier", "must be 1 (critical) to 4 (low)")
	}
	reason := strings.TrimSpace(in.Reason)
	switch {
	case reason == "":
		bad("reason", "is required")
	case utf8.RuneCountInString(reason) > 2000:
		bad("reason", "must be at most 2000 characters")
	}
	today := now.UTC().Truncate(24 * time.Hour)
	until, err := time.Parse(time.DateOnly, in.Until)
	switch {
	case in.Until == "":
		bad("until", "is required")
	case err != nil:
		bad("until", "must be a date (YYYY-MM-DD)")
	case !until.After(today):
		bad("until", "must be in the future")
	case until.After(today.AddDate(0, 0, MaxOverrideDays)):
		bad("until", fmt.Sprintf("must be at most a year ahead (%s)", today.AddDate(0, 0, MaxOverrideDays).Format(time.DateOnly)))
	}
	if len(errs) > 0 {
		return &models.ValidationError{Errors: errs}
	}
	return nil
}

// SetTierOverride sets (in != nil) or clears (in == nil) a vendor's manual
// tier at version, recording the change in the audit trail and the score
// history in one transaction. On a stale version it returns ErrConflict
// with the current record.
func (s *Service) SetTierOverride(ctx context.Context, p *auth.Principal, id string, version int64, in *OverrideInput, now time.Time, o auth.Origin) (*models.VendorRecord, error) {
	if in != nil {
		if err := CheckOverride(*in, now); err != nil {
			return nil, err
		}
	}
	day := now.UTC().Format(time.DateOnly)
	var out *models.VendorRecord
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := models.GetVendor(ctx, tx, id)
		if err != nil {
			return err
		}
		actor := p.User.Name
		var lapsed []string
		if before.OverrideLapsed(day) {
			lapsed = []string{fmt.Sprintf("Tier override to %d ended on %s (computed: %d)", *before.OverrideTier, before.OverrideUntil, before.Tier)}
		}
		var ov *models.TierOverride
		var changes []string
		action, after := "vendor.tier_override_clear", (*OverrideView)(nil)
		if in != nil {
			ov = &models.TierOverride{Tier: in.Tier, Until: in.Until, Reason: strings.TrimSpace(in.Reason), By: p.User.ID, At: now.UTC()}
			changes = []string{fmt.Sprintf("Tier set to %d by %s until %s: %s (computed: %d)", in.Tier, actor, in.Until, ov.Reason, before.Tier)}
			action, after = "vendor.tier_override_set", &OverrideView{Tier: in.Tier, Until: in.Until, Reason: ov.Reason}
		} else if before.OverrideInForce(day) {
			changes = []string{fmt.Sprintf("Tier override to %d cleared by %s (computed: %d)", *before.OverrideTier, actor, before.Tier)}
		} else {
			changes = []string{fmt.Sprintf("Tier override cleared by %s (computed: %d)", actor, before.Tier)}
		}
		rec, err := models.SetTierOverride(ctx, tx, id, version, ov, changes, lapsed)
		out = rec
		if err != nil {
			return err
		}
		var b *string
		if before.OverrideTier != nil {
			b = models.AuditJSON(OverrideView{Tier: *before.OverrideTier, Until: before.OverrideUntil, Reason: before.OverrideReason})
		}
		var a *string
		if after != nil {
			a = models.AuditJSON(after)
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: action, ObjectType: "vendor", ObjectID: id, BeforeData: b, AfterData: a})
	})
	if err != nil && !errors.Is(err, models.ErrConflict) {
		return nil, err
	}
	return out, err
}
