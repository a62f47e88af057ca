package webhooks

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/models"
)

// Service is what admins do with endpoints; every change is audited in its
// own transaction. The secret is never in the audit trail.
type Service struct {
	DB  *gorm.DB
	Now func() time.Time
	// Resolver looks up endpoint hosts for the private-address check (nil:
	// the system's).
	Resolver *net.Resolver
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Fields are an endpoint's settings as given; nil leaves one unchanged on
// update.
type Fields struct {
	URL          *string
	Description  *string
	Events       *[]string
	Active       *bool
	AllowPrivate *bool
}

// view is what the audit trail keeps of an endpoint.
func view(e *models.WebhookEndpoint) map[string]any {
	return map[string]any{"url": e.URL, "description": e.Description, "events": e.Events, "active": e.Active, "allow_private": e.AllowPrivate}
}

// check validates f against the endpoint as it would become.
func (s *Service) check(ctx context.Context, e *models.WebhookEndpoint, f Fields) error {
	if f.URL != nil {
		e.URL = strings.TrimSpace(*f.URL)
	}
	if f.Description != nil {
		e.Description = strings.TrimSpace(*f.Description)
	}
	if f.Events != nil {
		e.Events = models.WebhookTypesOf(*f.Events)
	}
	if f.Active != nil {
		e.Active = *f.Active
	}
	if f.AllowPrivate != nil {
		e.AllowPrivate = *f.AllowPrivate
	}
	var errs []models.FieldError
	if msg := CheckURL(ctx, e.URL, e.AllowPrivate, s.Resolver); msg != "" {
		errs = append(errs, models.FieldError{Field: "url", Message: msg})
	}
	if len([]rune(e.Description)) > 500 {
		errs = append(errs, models.FieldError{Field: "description", Message: "must be at most 500 characters"})
	}
	if len(e.Events) == 0 {
		errs = append(errs, models.FieldError{Field: "events", Message: "must name at least one event type"})
	}
	for i, t := range e.Events {
		if !models.WebhookEventKnown(t) {
			errs = append(errs, models.FieldError{Field: "events[" + strconv.Itoa(i) + "]", Message: "is not an event type (GET /api/v1/webhooks/event-types lists them)"})
		}
	}
	if len(errs) > 0 {
		return &models.ValidationError{Errors: errs}
	}
	return nil
}

// Create registers an endpoint and returns it with its new secret.
func (s *Service) Create(ctx context.Context, p *auth.Principal, f Fields, o auth.Origin) (*models.WebhookEndpoint, error) {
	e := &models.WebhookEndpoint{Active: true, Secret: NewSecret(), Version: 1}
	if err := s.check(ctx, e, f); err != nil {
		return nil, err
	}
	if p.User != nil {
		e.CreatedBy = &p.User.ID
	}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(e).Error; err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "webhook.create", ObjectType: "webhook", ObjectID: e.ID,
			AfterData: models.AuditJSON(view(e)), Detail: e.URL})
	})
	return e, err
}

// Update changes an endpoint when version is current; on a stale version it
// returns the endpoint as it stands with models.ErrConflict. Turning an
// endpoint back on clears why it was off and restarts its pending
// deliveries' retry window.
func (s *Service) Update(ctx context.Context, p *auth.Principal, id string, version int64, f Fields, o auth.Origin) (*models.WebhookEndpoint, error) {
	var out *models.WebhookEndpoint
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := models.GetWebhookEndpoint(ctx, tx, id)
		if err != nil {
			return err
		}
		after := *before
		if err := s.check(ctx, &after, f); err != nil {
			return err
		}
		set := map[string]any{"url": after.URL, "description": after.Description, "events": after.Events, "active": after.Active,
			"allow_private": after.AllowPrivate}
		resumed := after.Active && !before.Active
		if resumed {
			set["disabled_reason"], set["disabled_at"], set["consecutive_failures"] = "", nil, 0
		}
		out, err = models.UpdateWebhookEndpoint(ctx, tx, id, version, set)
		if err != nil {
			return err
		}
		if resumed {
			if err := models.ResumeWebhookEndpoint(ctx, tx, id, s.now()); err != nil {
				return err
			}
		}
		b, a := models.AuditDiff(view(before), view(out))
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "webhook.update", ObjectType: "webhook", ObjectID: id, BeforeData: b, AfterData: a})
	})
	if errors.Is(err, models.ErrConflict) && out == nil {
		out, _ = models.GetWebhookEndpoint(ctx, s.DB, id)
	}
	return out, err
}

// Delete removes an endpoint and its delivery log.
func (s *Service) Delete(ctx context.Context, p *auth.Principal, id string, o auth.Origin) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		e, err := models.GetWebhookEndpoint(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := models.DeleteWebhookEndpoint(ctx, tx, id); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "webhook.delete", ObjectType: "webhook", ObjectID: id,
			BeforeData: models.AuditJSON(view(e)), Detail: e.URL})
	})
}

// RotateSecret gives the endpoint a new secret and returns it; deliveries
// from now on are signed with it.
func (s *Service) RotateSecret(ctx context.Context, p *auth.Principal, id string, o auth.Origin) (*models.WebhookEndpoint, error) {
	var out *models.WebhookEndpoint
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if out, err = models.UpdateWebhookEndpoint(ctx, tx, id, 0, map[string]any{"secret": NewSecret()}); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "webhook.rotate_secret", ObjectType: "webhook", ObjectID: id, Detail: out.URL})
	})
	return out, err
}

// Ping queues a test event to the endpoint alone.
func (s *Service) Ping(ctx context.Context, p *auth.Principal, id string, o auth.Origin) (*models.WebhookEvent, error) {
	var ev *models.WebhookEvent
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		e, err := models.GetWebhookEndpoint(ctx, tx, id)
		if err != nil {
			return err
		}
		if !e.Active {
			return models.Invalid("active", "is off: turn the endpoint on to send it a test event")
		}
		typ, pid, label := p.Actor()
		ev, err = models.EnqueueWebhook(ctx, tx, models.WebhookEventInput{Key: "ping:" + models.NewID(), Type: models.WebhookPing,
			ObjectType: "webhook", ObjectID: id, Actor: &models.WebhookActor{Type: typ, Label: label}, Summary: "Test event from Rampart",
			Data: map[string]any{"url": e.URL, "requested_by": pid}, At: s.now(), Endpoint: id})
		if err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "webhook.ping", ObjectType: "webhook", ObjectID: id, Detail: e.URL})
	})
	return ev, err
}

// Redeliver queues a delivered or failed delivery again.
func (s *Service) Redeliver(ctx context.Context, p *auth.Principal, endpointID, id string, o auth.Origin) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.RedeliverWebhook(ctx, tx, endpointID, id, s.now()); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "webhook.redeliver", ObjectType: "webhook", ObjectID: endpointID, Detail: "delivery " + id})
	})
}
