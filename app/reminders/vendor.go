package reminders

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"rampart/app/assessments"
	"rampart/app/notify"
	"rampart/models"
)

// VendorReminders reminds vendor contacts of questionnaires they have not
// submitted: before the due date (by default 7, 3 and 1 days ahead) and,
// once it passed, every ChaseEvery days at most ChaseMax times. Each
// message threads under the invitation holding the link and carries no
// link itself; replying reaches whoever sent the questionnaire.
//
// Skipped: assessments submitted, completed or cancelled (not listed),
// those whose link was revoked (a new one is on its way or none is
// wanted), and addresses that bounced.
func (s *Scans) VendorReminders(ctx context.Context, now time.Time) error {
	if s.Notify.Mode == notify.MailOff {
		return nil // vendor notices are mail only
	}
	o := s.opts()
	today := day(now)
	rows, err := models.AwaitingVendor(ctx, s.DB, addDays(today, o.ReminderDays[len(o.ReminderDays)-1]))
	if err != nil {
		return err
	}
	addrs := make([]string, 0, len(rows))
	for _, c := range rows {
		addrs = append(addrs, c.Invitation.ContactEmail)
	}
	bounced, err := s.bounced(ctx, addrs)
	if err != nil {
		return err
	}
	for _, c := range rows {
		a, inv := &c.Assessment, &c.Invitation
		if inv.RevokedAt != nil || inv.ContactEmail == "" {
			continue
		}
		if reason, ok := bounced[inv.ContactEmail]; ok {
			s.info("vendor reminder skipped: the address bounced", "assessment", a.ID, "to", inv.ContactEmail, "reason", reason)
			continue
		}
		left, ok := daysBetween(today, a.DueDate)
		if !ok {
			continue
		}
		var ev *notify.Event
		if left >= 0 {
			ev, err = s.reminder(ctx, a, inv, left, o)
		} else {
			ev, err = s.chaser(ctx, a, inv, -left, o)
		}
		if err != nil {
			return err
		}
		if ev == nil {
			continue
		}
		if err := s.emit(ctx, *ev); err != nil {
			return err
		}
	}
	return nil
}

// reminder is the reminder due left days before the due date, or nil. A
// step is skipped when the invitation went out on or after its day: the
// contact just got the questionnaire.
func (s *Scans) reminder(ctx context.Context, a *models.Assessment, inv *models.PortalInvitation, left int, o Options) (*notify.Event, error) {
	step := stage(o.ReminderDays, left)
	sent := inv.CreatedAt
	if a.SentAt != nil { // the newest invitation's, on the service's clock
		sent = *a.SentAt
	}
	if step == 0 || day(sent) >= addDays(a.DueDate, -step) {
		return nil, nil
	}
	when := fmt.Sprintf("in %d days", left)
	switch left {
	case 0:
		when = "today"
	case 1:
		when = "tomorrow"
	}
	return s.vendorEvent(ctx, a, inv, "vendor.reminder", "vendor.reminder:"+a.ID+":"+a.DueDate+":"+strconv.Itoa(step),
		"Reminder: %s security questionnaire for %s is due "+when,
		"This is a reminder that the security questionnaire %q that %s at %s sent you is due "+when+", on "+a.DueDate+".")
}

// chaser is the overdue chaser due over days after the due date, or nil.
// Chaser k goes out on day 1+(k-1)*ChaseEvery after the due date; past
// the last one, nothing more.
func (s *Scans) chaser(ctx context.Context, a *models.Assessment, inv *models.PortalInvitation, over int, o Options) (*notify.Event, error) {
	k := (over-1)/o.ChaseEvery + 1
	if k > o.ChaseMax {
		return nil, nil
	}
	return s.vendorEvent(ctx, a, inv, "vendor.overdue", "vendor.overdue:"+a.ID+":"+a.DueDate+":"+strconv.Itoa(k),
		"Overdue: %s security questionnaire for %s",
		"The security questionnaire %q that %s at %s sent you was due on "+a.DueDate+
			fmt.Sprintf(" (%d %s ago) and has not been submitted yet.", over, plural(over, "day", "days")))
}

// vendorEvent fills a reminder or chaser: subject (org, vendor) and first
// sentence (title, sender, org) from the formats, then the way back to
// the link.
func (s *Scans) vendorEvent(ctx context.Context, a *models.Assessment, inv *models.PortalInvitation, kind, key, subject, opening string) (*notify.Event, error) {
	v, err := models.GetVendor(ctx, s.DB, a.VendorID)
	if err != nil {
		return nil, err
	}
	sender, err := s.sender(ctx, s.DB, inv, a)
	if err != nil {
		return nil, err
	}
	who := "your contact"
	var reply *notify.Recipient
	if sender != nil {
		who = sender.Name
		reply = &notify.Recipient{Email: sender.Email, Name: sender.Name}
	}
	org := s.Notify.Org(ctx, s.DB)
	body := fmt.Sprintf(opening, a.Title, who, org) +
		"\n\nOpen it with the link in the first message of this thread; the answers you saved are kept. " +
		"If the link no longer works, reply to this message to ask for a new one."
	return &notify.Event{Kind: kind, Key: key, ObjectType: "assessment", ObjectID: a.ID,
		Title: fmt.Sprintf(subject, org, v.Name), Body: body,
		To: []notify.Recipient{{Email: inv.ContactEmail, Name: a.ContactName}}, ReplyTo: reply,
		Thread: assessments.InvitationThread(inv)}, nil
}

// sender is who vendor mail about an assessment names and replies reach:
// whoever sent the link, else the reviewer, while they are active.
func (s *Scans) sender(ctx context.Context, db *gorm.DB, inv *models.PortalInvitation, a *models.Assessment) (*models.User, error) {
	for _, id := range []*string{inv.CreatedBy, a.ReviewerID, a.CreatedBy} {
		if id == nil {
			continue
		}
		u, err := models.UserByID(ctx, db, *id)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return nil, err
		}
		if u != nil && u.Active {
			return u, nil
		}
	}
	return nil, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
