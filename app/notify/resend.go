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
	actor := models.AuditEvent{RequestID: o.RequestID, ClientIP: o.ClientIP}
	actor.ActorType, actor.ActorID, actor.ActorLabel = p.Actor()
	return models.ResendMail(ctx, db, id, now, &actor)
}
