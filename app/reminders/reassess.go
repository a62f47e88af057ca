package reminders

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"rampart/app/assessments"
	"rampart/app/auth"
	"rampart/app/notify"
	"rampart/app/risk"
	"rampart/app/scoring"
	"rampart/models"
)

// ScheduleActor is how the audit trail names reassessments the schedule
// started.
const ScheduleActor = "reassessment schedule"

// Reassessments acts on vendors, assessed before, whose next review is
// within their tier's lead time and that have no assessment under way:
// per the tier's setting, it tells the vendor's owner the review is due,
// or starts the reassessment itself (created from the tier's
// questionnaire with the last answers prefilled, and sent to the vendor's
// security contact). Either way the owner hears once per review date.
func (s *Scans) Reassessments(ctx context.Context, now time.Time) error {
	m, _, err := scoring.Current(ctx, s.DB)
	if err != nil {
		return err
	}
	lead := 0
	for _, t := range m.Tiers {
		lead = max(lead, t.Lead())
	}
	today := day(now)
	vs, err := models.VendorsForReview(ctx, s.DB, addDays(today, lead))
	if err != nil {
		return err
	}
	var errs []error
	for i := range vs {
		v := &vs[i]
		// The cadence follows the computed tier (docs/risk-scoring.md).
		tier := m.TierInfo(int(v.Tier))
		if today < addDays(v.NextReviewOn, -tier.Lead()) {
			continue
		}
		if open, err := models.OpenAssessment(ctx, s.DB, v.ID); err != nil {
			return err
		} else if open != nil {
			continue
		}
		// One vendor's failure is reported with the round and tried again
		// next round; it does not hold up the others.
		if err := s.review(ctx, m, tier, v, now); err != nil {
			if ctx.Err() != nil {
				return err
			}
			errs = append(errs, fmt.Errorf("vendor %s: %w", v.ID, err))
		}
	}
	return errors.Join(errs...)
}

// review starts or announces one vendor's reassessment. When the tier
// says start but it cannot (no contact, nobody to send it, no published
// questionnaire), the owner is told why instead.
func (s *Scans) review(ctx context.Context, m *risk.Model, tier risk.Tier, v *models.Vendor, now time.Time) error {
	key := "reassessment.due:" + v.ID + ":" + v.NextReviewOn
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Locked and checked again: a reassessment someone started by hand
		// meanwhile is the review, and none is started twice.
		if _, err := models.LockVendor(ctx, tx, v.ID); err != nil {
			return err
		}
		if open, err := models.OpenAssessment(ctx, tx, v.ID); err != nil || open != nil {
			return err
		}
		to, err := notify.OwnerOrRiskManagers(ctx, tx, v.OwnerID)
		if err != nil {
			return err
		}
		body := fmt.Sprintf("%s (tier %d, %s) is due for its review on %s.", v.Name, tier.Tier, tier.Name, v.NextReviewOn)
		if tier.StartsReassessment() {
			a, contact, why, err := s.start(ctx, tx, m, v, now)
			if err != nil {
				return err
			}
			if a != nil {
				return s.Notify.Emit(ctx, tx, notify.Event{Kind: "reassessment.due", Key: key, ObjectType: "assessment", ObjectID: a.ID,
					Link: "/assessments/" + a.ID, Title: "Reassessment started: " + v.Name,
					Body: body + "\n\nThe risk model starts this tier's reviews by itself: the reassessment was created and sent to " +
						contact + ", due " + a.DueDate + ".", To: to})
			}
			body += "\n\nThe risk model starts this tier's reviews by itself, but this one could not start: " + why + ". Start it by hand."
		} else {
			body += "\n\nStart the reassessment from the vendor's page; the last answers can be prefilled for the vendor to confirm."
		}
		return s.Notify.Emit(ctx, tx, notify.Event{Kind: "reassessment.due", Key: key, ObjectType: "vendor", ObjectID: v.ID,
			Link: "/vendors/" + v.ID, Title: "Reassessment due: " + v.Name, Body: body, To: to})
	})
}

// start creates the reassessment and sends it, in tx, as the schedule
// acting for the vendor's owner (whom the vendor's replies reach). It
// returns the assessment and the contact, or why it could not start.
func (s *Scans) start(ctx context.Context, tx *gorm.DB, m *risk.Model, v *models.Vendor, now time.Time) (*models.Assessment, string, string, error) {
	if s.Notify.Mode == notify.MailOff {
		return nil, "", "mail is off, so the questionnaire link cannot be mailed", nil
	}
	rec, err := models.GetVendor(ctx, tx, v.ID)
	if err != nil {
		return nil, "", "", err
	}
	prev, err := models.LatestCompleted(ctx, tx, v.ID)
	if err != nil {
		return nil, "", "", err
	}
	bounced, err := s.bounced(ctx, contactEmails(rec, prev))
	if err != nil {
		return nil, "", "", err
	}
	name, email := securityContact(rec, prev, bounced)
	if email == "" {
		return nil, "", "the vendor has no contact with an email address that works", nil
	}
	sender, err := s.startedFor(ctx, tx, v, prev)
	if err != nil {
		return nil, "", "", err
	}
	if sender == nil {
		return nil, "", "the vendor has no active owner to send it", nil
	}
	tmpl, err := models.PublishedTemplate(ctx, tx, m.TierInfo(int(rec.EffectiveTier(day(now)))).DefaultQuestionnaire)
	if errors.Is(err, models.ErrNotFound) {
		return nil, "", "the tier's questionnaire is not published", nil
	} else if err != nil {
		return nil, "", "", err
	}
	// The vendor answers by the review date, given at least two weeks.
	due := v.NextReviewOn
	if d, _ := daysBetween(day(now), due); d < 14 {
		due = addDays(day(now), 14)
	}
	dueAt, _ := time.Parse(time.DateOnly, due)
	p := &auth.Principal{User: sender, System: ScheduleActor}
	svc := &assessments.Service{DB: tx, Now: func() time.Time { return now }, Notify: s.Notify, BaseURL: s.Notify.BaseURL}
	n := assessments.NewAssessment{VendorID: v.ID, TemplateID: tmpl.ID, DueDate: due, ReviewerID: reviewerOf(ctx, tx, sender, prev),
		ContactName: name, ContactEmail: email}
	if prev != nil {
		n.PreviousID = prev.ID
	}
	a, err := svc.Create(ctx, p, n, auth.Origin{})
	if why := refusal(err); why != "" {
		return nil, "", why, nil
	} else if err != nil {
		return nil, "", "", err
	}
	// The link outlives the due date by two weeks, for a late answer.
	a, _, err = svc.Send(ctx, p, a.ID, a.Version, email, name, dueAt.Add(14*24*time.Hour).Sub(now), auth.Origin{})
	if why := refusal(err); why != "" {
		return nil, "", why, nil
	} else if err != nil {
		return nil, "", "", err
	}
	err = auth.Record(ctx, tx, p, auth.Origin{}, models.AuditEvent{Action: "assessment.schedule_start", ObjectType: "assessment", ObjectID: a.ID,
		Detail: fmt.Sprintf("next review of %s due %s; sent to %s", v.Name, v.NextReviewOn, email)})
	return a, email, "", err
}

// refusal words a validation error of the assessments service (a
// reviewer who left, a contact address it refuses) for the owner; the
// savepoint it ran in is rolled back, so the round goes on.
func refusal(err error) string {
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		return "the assessment was refused (" + ve.Error() + ")"
	}
	return ""
}

// startedFor is the person a scheduled reassessment is sent for: the
// vendor's owner, else whoever ran the last assessment, while active.
func (s *Scans) startedFor(ctx context.Context, tx *gorm.DB, v *models.Vendor, prev *models.Assessment) (*models.User, error) {
	ids := []*string{v.OwnerID}
	if prev != nil {
		ids = append(ids, prev.ReviewerID, prev.CreatedBy)
	}
	for _, id := range ids {
		if id == nil {
			continue
		}
		u, err := models.UserByID(ctx, tx, *id)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return nil, err
		}
		if u != nil && u.Active {
			return u, nil
		}
	}
	return nil, nil
}

// reviewerOf keeps the last reviewer while they may still review, else
// the sender when they may.
func reviewerOf(ctx context.Context, tx *gorm.DB, sender *models.User, prev *models.Assessment) string {
	if prev != nil && prev.ReviewerID != nil {
		if u, err := models.UserByID(ctx, tx, *prev.ReviewerID); err == nil && u.Active &&
			(u.Role == models.RoleRiskManager || u.Role == models.RoleAdmin) {
			return u.ID
		}
	}
	if sender.Role == models.RoleRiskManager || sender.Role == models.RoleAdmin {
		return sender.ID
	}
	return ""
}

func contactEmails(v *models.VendorRecord, prev *models.Assessment) []string {
	var out []string
	for _, c := range v.Contacts {
		if e := models.NormalizeEmail(c.Email); e != "" {
			out = append(out, e)
		}
	}
	if prev != nil && prev.ContactEmail != "" {
		out = append(out, prev.ContactEmail)
	}
	return out
}

// securityContact is who answers a reassessment: the first contact whose
// role names security, else the first contact with an email, else whoever
// answered the last assessment; addresses that bounced are passed over.
func securityContact(v *models.VendorRecord, prev *models.Assessment, bounced map[string]string) (name, email string) {
	usable := func(e string) bool { _, gone := bounced[e]; return e != "" && !gone }
	for _, c := range v.Contacts {
		if e := models.NormalizeEmail(c.Email); usable(e) && strings.Contains(strings.ToLower(c.Role), "security") {
			return c.Name, e
		}
	}
	for _, c := range v.Contacts {
		if e := models.NormalizeEmail(c.Email); usable(e) {
			return c.Name, e
		}
	}
	if prev != nil && usable(prev.ContactEmail) {
		return prev.ContactName, prev.ContactEmail
	}
	return "", ""
}
