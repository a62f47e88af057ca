package seeds

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"rampart/app/notify"
	"rampart/models"
)

// DemoNotices fills the demo users' bells and the demo outbox with a few
// realistic notices, written through the Notifier as real events are, so
// a newcomer sees the bell and what mail would say. Mail is always held
// (demo mode), even when an SMTP server is set: demo addresses are not
// real people.
func DemoNotices(ctx context.Context, db *gorm.DB, base notify.Notifier) error {
	n := base
	n.Mode = notify.MailDemo
	now := time.Now().UTC()
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		org := n.Org(ctx, tx)
		users := map[models.Role]*models.User{}
		for _, d := range DemoUsers {
			u, err := models.UserByEmail(ctx, tx, d.Email)
			if err != nil {
				return err
			}
			users[d.Role] = u
		}
		risk, admin, legal, head := users[models.RoleRiskManager], users[models.RoleAdmin], users[models.RoleLegal], users[models.RoleRequester]
		var events []notify.Event
		ago := map[string]time.Duration{}
		add := func(d time.Duration, ev notify.Event) {
			ev.Key = "demo:" + ev.Key
			ago[ev.Key] = d
			events = append(events, ev)
		}

		var submitted models.Assessment
		if err := first(tx.Where("status IN ?", []string{"submitted", "in_review"}).Order("title, id"), &submitted); err != nil {
			return err
		}
		if submitted.ID != "" {
			name := vendorName(tx, submitted.VendorID)
			add(3*time.Hour, notify.Event{Kind: "assessment.submitted", Key: "assessment.submitted:" + submitted.ID, ObjectType: "assessment", ObjectID: submitted.ID,
				Link: "/assessments/" + submitted.ID, Title: fmt.Sprintf("%s submitted %q", name, submitted.Title),
				Body: "The vendor submitted its answers. Review them and mark each answer accepted, for follow-up or as a finding.",
				To:   []notify.Recipient{{UserID: risk.ID}}})
		}

		var sent models.Assessment
		if err := first(tx.Where("status = ? AND contact_email <> ''", "sent").Order("title, id"), &sent); err != nil {
			return err
		}
		if sent.ID != "" {
			name := vendorName(tx, sent.VendorID)
			add(26*time.Hour, notify.Event{Kind: "vendor.reminder", Key: "vendor.reminder:" + sent.ID, ObjectType: "assessment", ObjectID: sent.ID,
				Title: fmt.Sprintf("Reminder: %s security questionnaire for %s", org, name),
				Body: fmt.Sprintf("%s asked %s to answer the security questionnaire %q by %s.\n\nUse the link in the first message of this thread. "+
					"If it no longer works, reply to this message to ask for a new one.", risk.Name, name, sent.Title, sent.DueDate),
				To: []notify.Recipient{{Email: sent.ContactEmail, Name: sent.ContactName}}, ReplyTo: &notify.Recipient{Email: risk.Email, Name: risk.Name},
				Thread: "assessment:" + sent.ID})
		}

		var waiting models.ToolRequest
		if err := first(tx.Where("status IN ?", []string{"submitted", "triage"}).Order("title, id"), &waiting); err != nil {
			return err
		}
		if waiting.ID != "" {
			add(5*time.Hour, notify.Event{Kind: "request.awaiting", Key: "request.awaiting:" + waiting.ID, ObjectType: "request", ObjectID: waiting.ID,
				Link: "/requests/" + waiting.ID, Title: fmt.Sprintf("Request waiting for triage: %s", waiting.Title),
				Body: "A department asked for a new tool. Assign a reviewer, link the vendor and move it on.",
				To:   []notify.Recipient{{UserID: risk.ID}, {UserID: admin.ID}}})
		}

		var decided models.ToolRequest
		if err := first(tx.Where("status IN ? AND requester_id = ?", []string{"approved", "approved_with_conditions", "rejected"}, head.ID).Order("title, id"), &decided); err != nil {
			return err
		}
		if decided.ID != "" {
			add(30*time.Hour, notify.Event{Kind: "request.decided", Key: "request.decided:" + decided.ID, ObjectType: "request", ObjectID: decided.ID,
				Link: "/requests/" + decided.ID, Title: fmt.Sprintf("Your request was decided: %s", decided.Title),
				Body: "The risk team decided on your request. Open it to read the decision and any conditions.",
				To:   []notify.Recipient{{UserID: head.ID}}})
		}

		var overdue models.Finding
		if err := first(tx.Where("status = ? AND due_date <> '' AND due_date < ?", "open", now.Format(time.DateOnly)).Order("due_date, id"), &overdue); err != nil {
			return err
		}
		if overdue.ID == "" {
			if err := first(tx.Where("status = ?", "open").Order("title, id"), &overdue); err != nil {
				return err
			}
		}
		if overdue.ID != "" {
			add(2*time.Hour, notify.Event{Kind: "finding.overdue", Key: "finding.overdue:" + overdue.ID, ObjectType: "finding", ObjectID: overdue.ID,
				Link: "/findings/" + overdue.ID, Title: fmt.Sprintf("Finding overdue: %s", overdue.Title),
				Body: "This finding is past its due date. Update its status, agree a new date with the vendor, or request an exception.",
				To:   []notify.Recipient{{UserID: risk.ID}}})
		}

		var expiring models.RiskException
		if err := first(tx.Where("status = ?", "approved").Order("expires_on, id"), &expiring); err != nil {
			return err
		}
		if expiring.ID != "" {
			link := "/findings/exceptions"
			if expiring.FindingID != nil {
				link = "/findings/" + *expiring.FindingID
			}
			add(20*time.Hour, notify.Event{Kind: "exception.expiring", Key: "exception.expiring:" + expiring.ID, ObjectType: "exception", ObjectID: expiring.ID,
				Link: link, Title: fmt.Sprintf("Exception expires on %s", expiring.ExpiresOn),
				Body: "An accepted risk runs out within 14 days. At expiry the finding reopens and the vendor's score is recomputed; renew the exception or close the finding before then.",
				To:   []notify.Recipient{{UserID: risk.ID}, {UserID: admin.ID}}})
		}

		var contract models.Contract
		if err := first(tx.Where("cancel_by <> '' AND cancel_by >= ?", now.Format(time.DateOnly)).Order("cancel_by, id"), &contract); err != nil {
			return err
		}
		if contract.ID != "" {
			to := []notify.Recipient{{UserID: legal.ID}}
			if contract.OwnerID != nil {
				to = append(to, notify.Recipient{UserID: *contract.OwnerID})
			}
			add(50*time.Hour, notify.Event{Kind: "contract.cancel_by", Key: "contract.cancel_by:" + contract.ID, ObjectType: "contract", ObjectID: contract.ID,
				Link: "/contracts/" + contract.ID, Title: fmt.Sprintf("Cancel by %s: %s", contract.CancelBy, contract.Title),
				Body: "The last day to give notice is near. Decide whether to renew; after that date the contract renews on its terms.",
				To:   to})
		}

		for _, ev := range events {
			if err := n.Emit(ctx, tx, ev); err != nil {
				return err
			}
			at := now.Add(-ago[ev.Key])
			for _, m := range []any{&models.Notification{}, &models.MailMessage{}} {
				if err := tx.Model(m).Where("event_key = ?", ev.Key).Updates(map[string]any{"created_at": at, "updated_at": at}).Error; err != nil {
					return err
				}
			}
		}
		// The oldest notices were seen already, so the bell shows both kinds.
		return tx.Model(&models.Notification{}).Where("event_key LIKE ? AND created_at < ?", "demo:%", now.Add(-24*time.Hour)).
			Update("read_at", now.Add(-12*time.Hour)).Error
	})
}

// first loads the first row of q into dst, leaving dst empty when there is
// none (the demo data may change shape; a missing example is not an error).
func first(q *gorm.DB, dst any) error {
	err := q.Limit(1).Take(dst).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	return err
}

func vendorName(tx *gorm.DB, id string) string {
	var v models.Vendor
	if err := tx.Select("name").Where("id = ?", id).Take(&v).Error; err != nil {
		return "The vendor"
	}
	return v.Name
}
