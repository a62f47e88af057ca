package models

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Webhook delivery statuses.
const (
	WebhookPending   = "pending"
	WebhookDelivered = "delivered"
	WebhookFailed    = "failed" // gave up after the retry window
)

// WebhookPing is the event type of an endpoint's test delivery; it is sent
// only when asked for, to that endpoint, whatever its subscriptions.
const WebhookPing = "ping"

// WebhookEventType is one kind of event an endpoint can subscribe to.
type WebhookEventType struct {
	Type        string `json:"type"`
	Label       string `json:"label"`
	Description string `json:"description"`
}

// WebhookEventTypes is every event webhooks carry. Types are part of the
// payload's contract with receivers: never rename one.
var WebhookEventTypes = []WebhookEventType{
	{"vendor.created", "Vendor created", "A vendor was added, by hand, by import or from an approved request"},
	{"vendor.approved", "Vendor approved", "A vendor's status became approved"},
	{"vendor.terminated", "Vendor terminated", "A vendor's status became terminated"},
	{"request.submitted", "Request submitted", "Someone filed a request for a new vendor or tool"},
	{"request.decided", "Request decided", "A request was approved, approved with conditions or rejected"},
	{"assessment.submitted", "Assessment submitted", "A vendor submitted its questionnaire through the portal"},
	{"assessment.completed", "Assessment completed", "A reviewer completed an assessment"},
	{"finding.opened", "Finding opened", "A finding was raised"},
	{"finding.closed", "Finding closed", "A finding was resolved"},
	{"finding.overdue", "Finding overdue", "An open finding passed its due date (once per due date)"},
	{"exception.granted", "Exception granted", "A risk exception was approved"},
	{"exception.expired", "Exception expired", "A risk exception ended and its finding reopened"},
	{"contract.cancel_by_approaching", "Contract cancel-by date approaching", "A contract's cancel-by date is 60, 30 or 7 days away (once each)"},
	{"incident.opened", "Incident opened", "A vendor incident was recorded by staff or reported by the vendor through a report link"},
}

// WebhookEventKnown says whether t is a type endpoints can subscribe to.
func WebhookEventKnown(t string) bool {
	return slices.ContainsFunc(WebhookEventTypes, func(e WebhookEventType) bool { return e.Type == t })
}

// WebhookEndpoint is a receiver an admin registered.
type WebhookEndpoint struct {
	Base
	URL                 string     `gorm:"column:url;not null"`
	Description         string     `gorm:"not null;default:''"`
	Events              StringList `gorm:"type:text;not null"`
	Secret              string     `gorm:"not null"`
	Active              bool       `gorm:"not null"`
	AllowPrivate        bool       `gorm:"not null"`
	DisabledReason      string     `gorm:"not null;default:''"`
	DisabledAt          *time.Time
	ConsecutiveFailures int64 `gorm:"not null;default:0"`
	LastDeliveryAt      *time.Time
	LockedBy            string `gorm:"not null;default:''"`
	LockedUntil         *time.Time
	Version             int64 `gorm:"not null;default:1"`
	CreatedBy           *string
}

// WebhookEvent is one occurrence, with the body every endpoint receives.
type WebhookEvent struct {
	Base
	EventKey   string `gorm:"not null"`
	Type       string `gorm:"not null"`
	ObjectType string `gorm:"not null;default:''"`
	ObjectID   string `gorm:"not null;default:''"`
	Payload    string `gorm:"not null"`
}

// WebhookDelivery is one event on its way to one endpoint.
type WebhookDelivery struct {
	Base
	EndpointID     string    `gorm:"not null"`
	EventID        string    `gorm:"not null"`
	EventType      string    `gorm:"not null"`
	Status         string    `gorm:"not null"`
	Attempts       int64     `gorm:"not null;default:0"`
	NextAttemptAt  time.Time `gorm:"not null"`
	RetryFrom      time.Time `gorm:"not null"`
	LastStatusCode int64     `gorm:"not null;default:0"`
	LastError      string    `gorm:"not null;default:''"`
	DeliveredAt    *time.Time
}

// WebhookAttempt is one try of a delivery: the delivery log.
type WebhookAttempt struct {
	Base
	DeliveryID string `gorm:"not null"`
	Instance   string `gorm:"not null"`
	StatusCode int64  `gorm:"not null;default:0"`
	Error      string `gorm:"not null;default:''"`
	Response   string `gorm:"not null;default:''"`
	DurationMS int64  `gorm:"column:duration_ms;not null;default:0"`
}

// WebhookPayload is the JSON body of every delivery.
type WebhookPayload struct {
	ID        string         `json:"id" description:"the event's id: the same in every delivery and redelivery of it, for receivers to drop duplicates"`
	Type      string         `json:"type" description:"the event type, e.g. vendor.approved"`
	CreatedAt time.Time      `json:"created_at" description:"when the change happened"`
	Object    WebhookObject  `json:"object"`
	Actor     *WebhookActor  `json:"actor" description:"who made the change; null for the clock's own events"`
	Summary   string         `json:"summary" description:"one line for people"`
	Data      map[string]any `json:"data" description:"the fields the change set, as the audit trail records them (for the clock's events: title and text of the notice)"`
}

// WebhookObject names what the event is about.
type WebhookObject struct {
	Type string `json:"type" description:"vendor, request, assessment, finding, exception, contract, incident or webhook"`
	ID   string `json:"id"`
}

// WebhookActor is who made the change.
type WebhookActor struct {
	Type  string `json:"type" enum:"user,token,system,anonymous,portal"`
	Label string `json:"label"`
}

// WebhookEventInput is an event to send.
type WebhookEventInput struct {
	// Key names the occurrence; a second event with the same key is
	// dropped (scans repeat, instances race).
	Key        string
	Type       string
	ObjectType string
	ObjectID   string
	Actor      *WebhookActor
	Summary    string
	Data       map[string]any
	// At is when it happened; deliveries start then unless QueueAt is set.
	At      time.Time
	QueueAt time.Time
	// Endpoint, when set, sends to that endpoint only, subscribed or not
	// (the test delivery).
	Endpoint string
}

// EnqueueWebhook writes the event and a pending delivery for each active
// endpoint subscribed to it, in tx: the event leaves only if the change
// commits. No endpoint, no event.
func EnqueueWebhook(ctx context.Context, tx *gorm.DB, in WebhookEventInput) (*WebhookEvent, error) {
	tx = tx.WithContext(ctx)
	var eps []WebhookEndpoint
	q := tx.Select("id", "events").Where("active = ?", true)
	if in.Endpoint != "" {
		q = q.Where("id = ?", in.Endpoint)
	}
	if err := q.Find(&eps).Error; err != nil {
		return nil, err
	}
	if in.Endpoint == "" {
		eps = slices.DeleteFunc(eps, func(e WebhookEndpoint) bool { return !slices.Contains(e.Events, in.Type) })
	}
	if len(eps) == 0 {
		return nil, nil
	}
	at := in.At.UTC()
	if at.IsZero() {
		at = time.Now().UTC()
	}
	data := in.Data
	if data == nil {
		data = map[string]any{}
	}
	ev := WebhookEvent{Base: Base{ID: NewID()}, EventKey: in.Key, Type: in.Type, ObjectType: in.ObjectType, ObjectID: in.ObjectID}
	body, err := json.Marshal(WebhookPayload{ID: ev.ID, Type: in.Type, CreatedAt: at, Object: WebhookObject{in.ObjectType, in.ObjectID},
		Actor: in.Actor, Summary: in.Summary, Data: data})
	if err != nil {
		return nil, err
	}
	ev.Payload = string(body)
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&ev)
	if res.Error != nil || res.RowsAffected == 0 {
		return nil, res.Error
	}
	queue := in.QueueAt.UTC()
	if queue.IsZero() {
		queue = at
	}
	ds := make([]WebhookDelivery, len(eps))
	for i, e := range eps {
		ds[i] = WebhookDelivery{EndpointID: e.ID, EventID: ev.ID, EventType: in.Type, Status: WebhookPending, NextAttemptAt: queue, RetryFrom: queue}
	}
	return &ev, tx.Create(&ds).Error
}

// webhookFromAudit sends the event an audited change stands for, when it
// stands for one: the audit trail already names every change in the
// transaction that makes it, so webhooks hear of exactly what committed.
func webhookFromAudit(ctx context.Context, tx *gorm.DB, e *AuditEvent) error {
	if e.Outcome != OutcomeSuccess {
		return nil
	}
	after := map[string]any{}
	if e.AfterData != nil {
		_ = json.Unmarshal([]byte(*e.AfterData), &after)
	}
	status, _ := after["status"].(string)
	var typ string
	switch e.Action {
	case "vendor.create":
		typ = "vendor.created"
	case "vendor.status_change":
		typ = map[string]string{"approved": "vendor.approved", "terminated": "vendor.terminated"}[status]
	case "request.create":
		typ = "request.submitted"
	case "request.decide":
		typ = "request.decided"
	case "assessment.submit":
		typ = "assessment.submitted"
	case "assessment.complete":
		typ = "assessment.completed"
	case "finding.create":
		typ = "finding.opened"
	case "finding.update":
		if status == "resolved" {
			typ = "finding.closed"
		}
	case "exception.approve":
		typ = "exception.granted"
	case "exception.expire":
		typ = "exception.expired"
	case "incident.create", "incident.report":
		typ = "incident.opened"
	}
	if typ == "" {
		return nil
	}
	summary := AuditActionLabel(e.Action)
	if e.Detail != "" {
		summary += ": " + e.Detail
	}
	_, err := EnqueueWebhook(ctx, tx, WebhookEventInput{Key: "audit:" + e.ID, Type: typ, ObjectType: e.ObjectType, ObjectID: e.ObjectID,
		Actor: &WebhookActor{Type: e.ActorType, Label: e.ActorLabel}, Summary: summary, Data: after, At: e.OccurredAt})
	return err
}

// ClaimWebhookEndpoints leases up to n active endpoints that have a
// delivery due at now, for instance. Holding the endpoint, not the
// delivery, keeps each endpoint's deliveries in order and one at a time.
func ClaimWebhookEndpoints(ctx context.Context, db *gorm.DB, instance string, now time.Time, lease time.Duration, n int) ([]WebhookEndpoint, error) {
	lock := ""
	if db.Dialector.Name() == "postgres" {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var out []WebhookEndpoint
	err := db.WithContext(ctx).Raw(`UPDATE webhook_endpoints SET locked_by = ?, locked_until = ?
WHERE id IN (SELECT e.id FROM webhook_endpoints e
             WHERE e.active = ? AND (e.locked_until IS NULL OR e.locked_until < ?)
               AND EXISTS (SELECT 1 FROM webhook_deliveries d
                           WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.next_attempt_at <= ?)
             ORDER BY e.id LIMIT ?`+lock+`)
RETURNING *`, instance, now.Add(lease), true, now, now, n).Scan(&out).Error
	return out, err
}

// RenewWebhookLease extends instance's hold on an endpoint to until; false
// when the lease lapsed and another instance may hold it now.
func RenewWebhookLease(ctx context.Context, db *gorm.DB, endpointID, instance string, now, until time.Time) (bool, error) {
	res := db.WithContext(ctx).Model(&WebhookEndpoint{}).
		Where("id = ? AND locked_by = ? AND locked_until >= ? AND active = ?", endpointID, instance, now, true).
		Update("locked_until", until)
	return res.RowsAffected == 1, res.Error
}

// ReleaseWebhookEndpoint lets go of an endpoint instance holds.
func ReleaseWebhookEndpoint(ctx context.Context, db *gorm.DB, endpointID, instance string) error {
	return db.WithContext(ctx).Model(&WebhookEndpoint{}).Where("id = ? AND locked_by = ?", endpointID, instance).
		Updates(map[string]any{"locked_by": "", "locked_until": nil}).Error
}

// NextWebhookDelivery returns an endpoint's oldest pending delivery with
// its event, or nil when none is pending.
func NextWebhookDelivery(ctx context.Context, db *gorm.DB, endpointID string) (*WebhookDelivery, *WebhookEvent, error) {
	var d WebhookDelivery
	err := db.WithContext(ctx).Where("endpoint_id = ? AND status = ?", endpointID, WebhookPending).Order("event_id").Take(&d).Error
	if err != nil {
		if err == gorm.ErrRecordNotFound {
			return nil, nil, nil
		}
		return nil, nil, err
	}
	var ev WebhookEvent
	if err := db.WithContext(ctx).Where("id = ?", d.EventID).Take(&ev).Error; err != nil {
		return nil, nil, err
	}
	return &d, &ev, nil
}

// WebhookOutcome is how one try of a delivery ended.
type WebhookOutcome struct {
	Attempt WebhookAttempt
	// Status is delivered, pending (try again at Next) or failed.
	Status string
	Next   time.Time
	// Disable, when set, turns the endpoint off with this reason.
	Disable string
}

// FinishWebhookAttempt records one try of d by instance. It changes
// nothing when instance no longer holds the endpoint (fenced by locked_by).
// A delivery to try again holds back the endpoint's later ones, so that
// they arrive after it.
func FinishWebhookAttempt(ctx context.Context, db *gorm.DB, d *WebhookDelivery, instance string, o WebhookOutcome, now time.Time) (bool, error) {
	held := false
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ep := map[string]any{}
		switch o.Status {
		case WebhookDelivered:
			ep["consecutive_failures"], ep["last_delivery_at"] = 0, now
		default:
			ep["consecutive_failures"] = gorm.Expr("consecutive_failures + 1")
		}
		if o.Disable != "" {
			ep["active"], ep["disabled_reason"], ep["disabled_at"] = false, o.Disable, now
			ep["locked_by"], ep["locked_until"] = "", nil
		}
		res := tx.Model(&WebhookEndpoint{}).Where("id = ? AND locked_by = ?", d.EndpointID, instance).Updates(ep)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		held = true
		set := map[string]any{"status": o.Status, "attempts": gorm.Expr("attempts + 1"), "last_status_code": o.Attempt.StatusCode,
			"last_error": o.Attempt.Error, "updated_at": now}
		switch o.Status {
		case WebhookDelivered:
			set["delivered_at"] = now
		case WebhookPending:
			set["next_attempt_at"] = o.Next
		}
		if err := tx.Model(&WebhookDelivery{}).Where("id = ?", d.ID).Updates(set).Error; err != nil {
			return err
		}
		if o.Status == WebhookPending {
			err := tx.Model(&WebhookDelivery{}).Where("endpoint_id = ? AND status = ? AND event_id > ? AND next_attempt_at < ?",
				d.EndpointID, WebhookPending, d.EventID, o.Next).Update("next_attempt_at", o.Next).Error
			if err != nil {
				return err
			}
		}
		a := o.Attempt
		a.DeliveryID = d.ID
		return tx.Create(&a).Error
	})
	return held, err
}

// ListWebhookEndpoints returns every endpoint, oldest first (an instance
// has a handful).
func ListWebhookEndpoints(ctx context.Context, db *gorm.DB, cur string, limit int) (Page[WebhookEndpoint], error) {
	return paginate[WebhookEndpoint](db.WithContext(ctx).Model(&WebhookEndpoint{}),
		map[string]SortColumn{"created_at": {Column: "created_at", Kind: SortTime}}, "", "created_at", cur, limit)
}

// GetWebhookEndpoint returns one endpoint.
func GetWebhookEndpoint(ctx context.Context, db *gorm.DB, id string) (*WebhookEndpoint, error) {
	var e WebhookEndpoint
	return &e, translate(db.WithContext(ctx).Where("id = ?", id).Take(&e).Error)
}

// UpdateWebhookEndpoint applies set when version is current.
func UpdateWebhookEndpoint(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*WebhookEndpoint, error) {
	return updateVersioned[WebhookEndpoint](ctx, db, id, version, set, true)
}

// DeleteWebhookEndpoint removes an endpoint with its deliveries and their
// log; events other endpoints share stay.
func DeleteWebhookEndpoint(ctx context.Context, db *gorm.DB, id string) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		sub := tx.Model(&WebhookDelivery{}).Select("id").Where("endpoint_id = ?", id)
		if err := tx.Where("delivery_id IN (?)", sub).Delete(&WebhookAttempt{}).Error; err != nil {
			return err
		}
		if err := tx.Where("endpoint_id = ?", id).Delete(&WebhookDelivery{}).Error; err != nil {
			return err
		}
		res := tx.Where("id = ?", id).Delete(&WebhookEndpoint{})
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrNotFound
		}
		return res.Error
	})
}

// WebhookDeliveryFilter narrows an endpoint's delivery log.
type WebhookDeliveryFilter struct {
	EndpointID string
	Status     string
	Cursor     string
	Limit      int
}

// ListWebhookDeliveries returns an endpoint's deliveries, newest first.
func ListWebhookDeliveries(ctx context.Context, db *gorm.DB, f WebhookDeliveryFilter) (Page[WebhookDelivery], error) {
	q := db.WithContext(ctx).Model(&WebhookDelivery{}).Where("endpoint_id = ?", f.EndpointID)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	return paginate[WebhookDelivery](q, map[string]SortColumn{"created_at": {Column: "created_at", Kind: SortTime}}, "", "-created_at", f.Cursor, f.Limit)
}

// WebhookDeliveryCounts counts an endpoint's deliveries by status.
func WebhookDeliveryCounts(ctx context.Context, db *gorm.DB, endpointIDs []string) (map[string]map[string]int64, error) {
	out := map[string]map[string]int64{}
	if len(endpointIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		EndpointID string
		Status     string
		N          int64
	}
	err := db.WithContext(ctx).Model(&WebhookDelivery{}).Select("endpoint_id, status, COUNT(*) AS n").
		Where("endpoint_id IN ?", endpointIDs).Group("endpoint_id, status").Scan(&rows).Error
	for _, r := range rows {
		if out[r.EndpointID] == nil {
			out[r.EndpointID] = map[string]int64{}
		}
		out[r.EndpointID][r.Status] = r.N
	}
	return out, err
}

// GetWebhookDelivery returns one of an endpoint's deliveries with its event
// and its tries, oldest first.
func GetWebhookDelivery(ctx context.Context, db *gorm.DB, endpointID, id string) (*WebhookDelivery, *WebhookEvent, []WebhookAttempt, error) {
	var d WebhookDelivery
	if err := db.WithContext(ctx).Where("id = ? AND endpoint_id = ?", id, endpointID).Take(&d).Error; err != nil {
		return nil, nil, nil, translate(err)
	}
	var ev WebhookEvent
	if err := db.WithContext(ctx).Where("id = ?", d.EventID).Take(&ev).Error; err != nil {
		return nil, nil, nil, err
	}
	var log []WebhookAttempt
	err := db.WithContext(ctx).Where("delivery_id = ?", id).Order("created_at, id").Limit(MaxLimit).Find(&log).Error
	return &d, &ev, log, err
}

// RedeliverWebhook queues a delivered or failed delivery to go again at
// now; it goes in its event's place, before later events.
func RedeliverWebhook(ctx context.Context, db *gorm.DB, endpointID, id string, now time.Time) error {
	res := db.WithContext(ctx).Model(&WebhookDelivery{}).
		Where("id = ? AND endpoint_id = ? AND status IN ?", id, endpointID, []string{WebhookDelivered, WebhookFailed}).
		Updates(map[string]any{"status": WebhookPending, "next_attempt_at": now, "retry_from": now, "updated_at": now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		if _, _, _, err := GetWebhookDelivery(ctx, db, endpointID, id); err != nil {
			return err
		}
		return Invalid("status", "is pending: the delivery is still being tried")
	}
	return nil
}

// WebhookTypesOf names the event types in s, trimmed, each once.
func WebhookTypesOf(s []string) StringList {
	out := StringList{}
	for _, t := range s {
		t = strings.TrimSpace(t)
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// ResumeWebhookEndpoint turns an endpoint back on: its pending deliveries
// go at now, each with a fresh retry window.
func ResumeWebhookEndpoint(ctx context.Context, tx *gorm.DB, id string, now time.Time) error {
	return tx.WithContext(ctx).Model(&WebhookDelivery{}).Where("endpoint_id = ? AND status = ?", id, WebhookPending).
		Updates(map[string]any{"next_attempt_at": now, "retry_from": now, "updated_at": now}).Error
}
