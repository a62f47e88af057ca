package handlers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/vendors"
	"rampart/models"
)

type tierOverrideRequest struct {
	ID      string `json:"-" path:"id"`
	Version int64  `json:"version" validate:"required,gte=1"`
	Tier    int64  `json:"tier" minimum:"1" maximum:"4" description:"1 critical ... 4 low"`
	Until   string `json:"until" description:"last day the override is in force (YYYY-MM-DD), after today and at most a year ahead"`
	Reason  string `json:"reason" description:"why; required, at most 2000 characters"`
}

// tierOverrideDTO is a manual tier with who set it and why.
type tierOverrideDTO struct {
	Tier   int64     `json:"tier"`
	Until  string    `json:"until"`
	Reason string    `json:"reason"`
	SetBy  *ownerRef `json:"set_by"`
	SetAt  time.Time `json:"set_at"`
	// InForce is false once until has passed (the override lapsed by itself).
	InForce bool `json:"in_force"`
}

// setTierOverride sets a vendor's manual tier (risk managers and admins).
func (s *Server) setTierOverride(c echo.Context) error {
	var req tierOverrideRequest
	if err := bindJSON(c, &req); err != nil {
		return withDomainRules(err, func() error {
			return vendors.CheckOverride(vendors.OverrideInput{Tier: req.Tier, Until: req.Until, Reason: req.Reason}, s.deps.Now())
		})
	}
	in := &vendors.OverrideInput{Tier: req.Tier, Until: req.Until, Reason: req.Reason}
	rec, err := s.vendorService().SetTierOverride(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, in, s.deps.Now(), s.origin(c))
	return s.vendorResult(c, rec, err)
}

// clearTierOverride returns a vendor to its computed tier.
func (s *Server) clearTierOverride(c echo.Context) error {
	var req versionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	rec, err := s.vendorService().SetTierOverride(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, nil, s.deps.Now(), s.origin(c))
	return s.vendorResult(c, rec, err)
}

// tierOverrideOf describes v's override (nil when none) and the
// explanation line the Risk tab shows.
func (s *Server) tierOverrideOf(ctx context.Context, v *models.VendorRecord, day string) (*tierOverrideDTO, string, error) {
	if v.OverrideTier == nil {
		return nil, "", nil
	}
	o := &tierOverrideDTO{Tier: *v.OverrideTier, Until: v.OverrideUntil, Reason: v.OverrideReason, InForce: v.OverrideInForce(day)}
	if v.OverrideAt != nil {
		o.SetAt = *v.OverrideAt
	}
	name := "someone"
	if v.OverrideBy != nil {
		u, err := models.UserByID(ctx, s.deps.DB.Gorm, *v.OverrideBy)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return nil, "", err
		}
		if u != nil {
			o.SetBy, name = &ownerRef{ID: u.ID, Name: u.Name, Email: u.Email}, u.Name
		}
	}
	if !o.InForce {
		return o, fmt.Sprintf("Tier override to %d ended on %s; computed tier %d applies", o.Tier, o.Until, v.Tier), nil
	}
	return o, fmt.Sprintf("Tier set to %d by %s until %s: %s (computed: %d)", o.Tier, name, o.Until, o.Reason, v.Tier), nil
}

// lapsedEntry is the history entry of an override that ran out by
// itself: nothing is written when a date passes, so the history shows it
// from the record until someone sets or clears the override, which
// writes it for good.
func lapsedEntry(v *models.VendorRecord, o *tierOverrideDTO, last riskHistoryEntry) riskHistoryEntry {
	at, _ := time.Parse(time.DateOnly, o.Until)
	return riskHistoryEntry{At: at.AddDate(0, 0, 1).UTC(), Cause: models.CauseTierOverrideExpired, ModelVersion: last.ModelVersion,
		InherentScore: last.InherentScore, Tier: last.Tier, ResidualScore: last.ResidualScore,
		Changes: []string{fmt.Sprintf("Tier override to %d ended on %s (computed: %d)", o.Tier, o.Until, v.Tier)}}
}
