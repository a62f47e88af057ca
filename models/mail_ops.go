package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// UnsentMail returns the messages still to go (queued or being sent) and
// those that failed for good, newest first: what an operator looks at
// when mail is not arriving (`rampart jobs`).
func UnsentMail(ctx context.Context, db *gorm.DB, limit int) ([]MailMessage, int64, error) {
	q := db.WithContext(ctx).Model(&MailMessage{}).Where("status IN ?", []string{MailQueued, MailSending, MailFailed})
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []MailMessage
	err := q.Order("created_at DESC, id DESC").Limit(clampLimit(limit)).Find(&out).Error
	return out, total, err
}

// ResendMail puts a failed (or sent) message back in the queue, as
// RequeueMail does, and records who asked in the audit trail, in one
// transaction.
func ResendMail(ctx context.Context, db *gorm.DB, id string, now time.Time, actor *AuditEvent) (*MailMessage, error) {
	var m MailMessage
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("id = ?", id).Take(&m).Error; err != nil {
			return translate(err)
		}
		if err := RequeueMail(ctx, tx, id, now); err != nil {
			return err
		}
		// Worded as the admin API's resend records it.
		ev := *actor
		ev.Action, ev.ObjectType, ev.ObjectID = "mail.resend", "mail", m.ID
		ev.Detail = "to " + m.ToEmail + " after " + m.Status + ": " + m.Subject
		return AppendAudit(ctx, tx, &ev)
	})
	if err != nil {
		return nil, err
	}
	return &m, nil
}
