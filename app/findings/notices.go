package findings

import (
	"context"
	"fmt"
	"strconv"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/notify"
	"rampart/models"
)

// noticeAssigned tells a finding's owner it is theirs, unless they gave it
// to themselves. The key names the owner and the finding's version, so a
// finding given back to someone later tells them again, once.
func (s *Service) noticeAssigned(ctx context.Context, tx *gorm.DB, p *auth.Principal, f *models.Finding) error {
	if s.Notify == nil || f.OwnerID == nil || (p != nil && p.User != nil && p.User.ID == *f.OwnerID) {
		return nil
	}
	v, err := models.GetVendor(ctx, tx, f.VendorID)
	if err != nil {
		return err
	}
	by := "Someone"
	if p != nil && p.User != nil {
		by = p.User.Name
	}
	body := fmt.Sprintf("%s made you the owner of this %s finding at %s.", by, f.Severity, v.Name)
	if f.DueDate != "" {
		body += "\n\nIt is due on " + f.DueDate + "."
	}
	return s.Notify.Emit(ctx, tx, notify.Event{Kind: "finding.assigned",
		Key:        "finding.assigned:" + f.ID + ":" + *f.OwnerID + ":" + strconv.FormatInt(f.Version, 10),
		ObjectType: "finding", ObjectID: f.ID, Link: "/findings/" + f.ID,
		Title: "Finding assigned to you: " + f.Title, Body: body, To: []notify.Recipient{{UserID: *f.OwnerID}}})
}

// ExceptionRecipients are the people who hear of an exception: whoever
// asked for it and whoever approved it.
func ExceptionRecipients(e *models.RiskException) []notify.Recipient {
	to := []notify.Recipient{{UserID: e.RequestedBy}}
	if e.ApproverID != nil {
		to = append(to, notify.Recipient{UserID: *e.ApproverID})
	}
	return to
}

// ExceptionSubject names what an exception covers: its finding's title,
// or the vendor for a vendor-wide one, and where to open it.
func ExceptionSubject(ctx context.Context, db *gorm.DB, e *models.RiskException) (what, link string, err error) {
	v, err := models.GetVendor(ctx, db, e.VendorID)
	if err != nil {
		return "", "", err
	}
	if e.FindingID == nil {
		return v.Name, "/vendors/" + v.ID, nil
	}
	f, err := models.GetFinding(ctx, db, *e.FindingID)
	if err != nil {
		return "", "", err
	}
	return fmt.Sprintf("%q at %s", f.Title, v.Name), "/findings/" + f.ID, nil
}

// noticeExpired tells the requester and the approver that an accepted
// risk ended and its finding is open again.
func (s *Service) noticeExpired(ctx context.Context, tx *gorm.DB, e *models.RiskException) error {
	if s.Notify == nil {
		return nil
	}
	what, link, err := ExceptionSubject(ctx, tx, e)
	if err != nil {
		return err
	}
	body := "The accepted risk for " + what + " ended on " + e.ExpiresOn + "."
	if e.FindingID != nil {
		body += "\n\nThe finding is open again and counts in the vendor's risk score. Remediate it, or request a new exception."
	} else {
		body += "\n\nThe vendor's score no longer counts the exception."
	}
	return s.Notify.Emit(ctx, tx, notify.Event{Kind: "exception.expired", Key: "exception.expired:" + e.ID,
		ObjectType: "exception", ObjectID: e.ID, Link: link,
		Title: "Exception expired: " + what, Body: body, To: ExceptionRecipients(e)})
}
