package reminders

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"rampart/app/assessments"
	"rampart/app/notify"
	"rampart/app/risk"
	"rampart/app/scoring"
	"rampart/models"
)

// EvidenceDays: a vendor's owner hears this many days before an accepted
// evidence document expires, and again on the day it expires.
const EvidenceDays = 30

// EvidenceExpiring tells vendor owners (the risk managers when a vendor
// has none) of accepted evidence expiring within EvidenceDays and of
// evidence expiring today, once per document version and step; from the
// expiry day it also rescores the vendor, whose required evidence may now
// count as expired (the score's factor reads expiry by date).
func (s *Scans) EvidenceExpiring(ctx context.Context, now time.Time) error {
	today := day(now)
	// From yesterday: a round that missed the expiry day still rescores
	// and tells of the expiry (the key keeps it to once).
	es, err := models.EvidenceExpiring(ctx, s.DB, addDays(today, -1), addDays(today, EvidenceDays))
	if err != nil {
		return err
	}
	for _, e := range es {
		left, _ := daysBetween(today, e.ExpiresOn)
		v, err := models.GetVendor(ctx, s.DB, e.VendorID)
		if err != nil {
			return err
		}
		step, title := EvidenceDays, fmt.Sprintf("Evidence expires %s: %s (%s)", inDays(left), e.Title, v.Name)
		body := fmt.Sprintf("The accepted %s of %s (version %d) expires on %s. Ask the vendor for the current one and upload it as a new version.",
			risk.EvidenceLabel(e.Kind), v.Name, e.Number, e.ExpiresOn)
		if left <= 0 {
			step, title = 0, fmt.Sprintf("Evidence expired: %s (%s)", e.Title, v.Name)
			body = fmt.Sprintf("The accepted %s of %s (version %d) expires on %s. From then on it counts as expired in the vendor's required evidence and score until a current one is accepted.",
				risk.EvidenceLabel(e.Kind), v.Name, e.Number, e.ExpiresOn)
		}
		err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if left < 0 {
				// Answers standing on the document no longer count either.
				answers := &assessments.Service{DB: tx, Now: func() time.Time { return now }}
				if err := answers.RescoreCiting(ctx, tx, e.DocumentID); err != nil {
					return err
				}
				if _, err := scoring.Recompute(ctx, tx, v.ID, scoring.CauseEvidence); err != nil {
					return err
				}
			}
			to, err := notify.OwnerOrRiskManagers(ctx, tx, v.OwnerID)
			if err != nil || len(to) == 0 {
				return err
			}
			return s.Notify.Emit(ctx, tx, notify.Event{Kind: "evidence.expiring",
				Key:        "evidence.expiring:" + e.VersionID + ":" + e.ExpiresOn + ":" + strconv.Itoa(step),
				ObjectType: "vendor", ObjectID: v.ID, Link: "/vendors/" + v.ID, Title: title, Body: body, To: to})
		})
		if err != nil {
			return err
		}
	}
	return nil
}
