package seeds

import (
	"context"
	"time"

	"gorm.io/gorm"

	"rampart/app/webhooks"
	"rampart/models"
)

// seedWebhook registers the demo's webhook endpoint and queues for it the
// events of the portfolio's latest findings and exceptions, as if it had
// been there when they happened. Its address is in example.com, which
// takes no events: the running demo's delivery log shows real tries
// failing and the backoff between them (docs/webhooks.md).
func seedWebhook(ctx context.Context, tx *gorm.DB, admin *models.User) error {
	tx = tx.WithContext(ctx)
	ep := &models.WebhookEndpoint{
		URL:         "https://siem.example.com/services/collector/rampart",
		Description: "Security operations SIEM",
		Events: models.StringList{"vendor.approved", "vendor.terminated", "assessment.submitted", "finding.opened", "finding.overdue",
			"exception.granted", "exception.expired"},
		Secret: webhooks.NewSecret(), Active: true, Version: 1, CreatedBy: &admin.ID,
	}
	if err := tx.Create(ep).Error; err != nil {
		return err
	}
	var findings []models.Finding
	if err := tx.Order("created_at DESC").Limit(3).Find(&findings).Error; err != nil {
		return err
	}
	var exceptions []models.RiskException
	if err := tx.Where("status = ?", "approved").Order("created_at DESC").Limit(1).Find(&exceptions).Error; err != nil {
		return err
	}
	actor := &models.WebhookActor{Type: models.ActorSystem, Label: "demo data"}
	// Queued now: the retry window counts from when the endpoint heard of them.
	now := time.Now().UTC()
	var events []models.WebhookEventInput
	for i := len(findings) - 1; i >= 0; i-- {
		f := findings[i]
		events = append(events, models.WebhookEventInput{Key: "demo:finding:" + f.ID, Type: "finding.opened", ObjectType: "finding", ObjectID: f.ID,
			Actor: actor, Summary: "Raised finding", Data: map[string]any{"title": f.Title, "severity": f.Severity, "vendor_id": f.VendorID}, At: f.CreatedAt, QueueAt: now})
	}
	for _, e := range exceptions {
		events = append(events, models.WebhookEventInput{Key: "demo:exception:" + e.ID, Type: "exception.granted", ObjectType: "exception", ObjectID: e.ID,
			Actor: actor, Summary: "Approved exception", Data: map[string]any{"status": e.Status, "expires_on": e.ExpiresOn}, At: e.UpdatedAt, QueueAt: now})
	}
	for _, in := range events {
		if _, err := models.EnqueueWebhook(ctx, tx, in); err != nil {
			return err
		}
	}
	return nil
}
