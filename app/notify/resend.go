package notify

import (
	"context"
	"time"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/models"
)

// Resend puts a failed or sent message back in the queue, recorded in the
// audit trail as done by p. A bounced address stays marked: sending again
// is the admin's call after the address was fixed.
func Resend(ctx context.Context, db *gorm.DB, p *auth.Principal, o auth.Origin, id string, now time.Time) (*models.MailMessage, error) {
	var out *models.MailMessage
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		m, _, err := models.GetMail(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := models.RequeueMail(ctx, tx, id, now); err != nil {
			return err
		}
		if out, _, err = models.GetMail(ctx, tx, id); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "mail.resend", ObjectType: "mail", ObjectID: id,
			Detail: "to " + m.ToEmail + " after " + m.Status + ": " + m.Subject})
	})
	return out, err
}
