package reminders

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"rampart/app/findings"
	"rampart/app/notify"
	"rampart/models"
)

// StaffDueDates tells people of their dates: findings due soon or overdue
// (owner), exceptions ending soon (requester and approver) and contracts
// near their cancel-by date (owner and legal). Closed findings, decided or
// expired exceptions and ended or archived contracts are not listed.
func (s *Scans) StaffDueDates(ctx context.Context, now time.Time) error {
	today := day(now)
	for _, scan := range []func(context.Context, string) error{s.findingDates, s.exceptionsExpiring, s.cancelBy} {
		if err := scan(ctx, today); err != nil {
			return err
		}
	}
	return nil
}

// findingDates: "due" within FindingDays (once per due date), "overdue"
// the day after (once per due date: moving the date re-arms both).
func (s *Scans) findingDates(ctx context.Context, today string) error {
	fs, err := models.OwnedFindingsDue(ctx, s.DB, "", addDays(today, s.opts().FindingDays))
	if err != nil {
		return err
	}
	for _, f := range fs {
		v, err := models.GetVendor(ctx, s.DB, f.VendorID)
		if err != nil {
			return err
		}
		ev := notify.Event{ObjectType: "finding", ObjectID: f.ID, Link: "/findings/" + f.ID, To: []notify.Recipient{{UserID: *f.OwnerID}}}
		left, _ := daysBetween(today, f.DueDate)
		if left < 0 {
			ev.Kind, ev.Key = "finding.overdue", "finding.overdue:"+f.ID+":"+f.DueDate
			ev.Title = "Finding overdue: " + f.Title
			ev.Body = fmt.Sprintf("This %s finding at %s was due on %s and is still %s. Update its status or its due date.",
				f.Severity, v.Name, f.DueDate, words(f.Status))
		} else {
			ev.Kind, ev.Key = "finding.due", "finding.due:"+f.ID+":"+f.DueDate
			ev.Title = "Finding due " + inDays(left) + ": " + f.Title
			ev.Body = fmt.Sprintf("This %s finding at %s you own is due on %s.", f.Severity, v.Name, f.DueDate)
		}
		if err := s.emit(ctx, ev); err != nil {
			return err
		}
	}
	return nil
}

// exceptionsExpiring: once per exception and expiry date, ExceptionDays
// ahead.
func (s *Scans) exceptionsExpiring(ctx context.Context, today string) error {
	es, err := models.ExceptionsExpiring(ctx, s.DB, today, addDays(today, s.opts().ExceptionDays))
	if err != nil {
		return err
	}
	for i := range es {
		e := &es[i]
		what, link, err := findings.ExceptionSubject(ctx, s.DB, e)
		if err != nil {
			return err
		}
		left, _ := daysBetween(today, e.ExpiresOn)
		body := fmt.Sprintf("The accepted risk for %s ends on %s. After that day the finding reopens and counts in the vendor's score again.\n\n"+
			"Remediate it before then, or request a new exception.", what, e.ExpiresOn)
		if err := s.emit(ctx, notify.Event{Kind: "exception.expiring", Key: "exception.expiring:" + e.ID + ":" + e.ExpiresOn,
			ObjectType: "exception", ObjectID: e.ID, Link: link, Title: "Exception ends " + inDays(left) + ": " + what, Body: body,
			To: findings.ExceptionRecipients(e)}); err != nil {
			return err
		}
	}
	return nil
}

// cancelBy: the contract's owner and every legal reviewer, at each of
// CancelByDays before the cancel-by date (only the step in force, once).
func (s *Scans) cancelBy(ctx context.Context, today string) error {
	o := s.opts()
	cs, err := models.ContractsCancelBy(ctx, s.DB, today, addDays(today, o.CancelByDays[len(o.CancelByDays)-1]))
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return nil
	}
	legal, err := models.ActiveUserIDsByRole(ctx, s.DB, models.RoleLegal)
	if err != nil {
		return err
	}
	for _, c := range cs {
		left, _ := daysBetween(today, c.CancelBy)
		step := stage(o.CancelByDays, left)
		if step == 0 {
			continue
		}
		v, err := models.GetVendor(ctx, s.DB, c.VendorID)
		if err != nil {
			return err
		}
		var to []notify.Recipient
		if c.OwnerID != nil {
			to = append(to, notify.Recipient{UserID: *c.OwnerID})
		}
		for _, id := range legal {
			to = append(to, notify.Recipient{UserID: id})
		}
		body := fmt.Sprintf("%s with %s renews by itself unless notice is given by %s (%s). "+
			"Decide whether to renew, renegotiate or cancel before then.", c.Title, v.Name, c.CancelBy, inDays(left))
		if c.CurrentTermEnd != "" {
			body += "\n\nThe current term ends on " + c.CurrentTermEnd + "."
		}
		if err := s.emit(ctx, notify.Event{Kind: "contract.cancel_by", Key: "contract.cancel_by:" + c.ID + ":" + c.CancelBy + ":" + strconv.Itoa(step),
			ObjectType: "contract", ObjectID: c.ID, Link: "/contracts/" + c.ID,
			Title: fmt.Sprintf("Cancel-by %s: %s (%s)", inDays(left), c.Title, v.Name), Body: body, To: to}); err != nil {
			return err
		}
	}
	return nil
}

func inDays(n int) string {
	switch n {
	case 0:
		return "today"
	case 1:
		return "tomorrow"
	}
	return fmt.Sprintf("in %d days", n)
}

func words(status string) string {
	if status == "in_progress" {
		return "in remediation"
	}
	return status
}
