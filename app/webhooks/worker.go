package webhooks

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"rampart/app/notify"
	"rampart/models"
)

// Defaults of the Worker's settings.
const (
	DefaultTimeout     = 10 * time.Second
	DefaultFirstRetry  = 30 * time.Second
	DefaultMaxRetry    = 4 * time.Hour
	DefaultGiveUpAfter = 24 * time.Hour
)

// Worker delivers pending webhook deliveries. Any number of instances may
// run one: an endpoint is leased to one instance at a time, which sends its
// deliveries oldest first and stops at the first that fails, so a receiver
// gets events in the order they happened.
type Worker struct {
	DB       *gorm.DB
	Instance string
	Now      func() time.Time
	// Lease is how long a claimed endpoint is held; it must exceed Timeout.
	Lease   time.Duration
	Timeout time.Duration
	// FirstRetry is the wait after a first failed try; each later wait
	// doubles, up to MaxRetry. After GiveUpAfter of failures the delivery
	// fails and the endpoint is turned off (an admin is told).
	FirstRetry, MaxRetry, GiveUpAfter time.Duration
	Notify                            *notify.Notifier
	UserAgent                         string
	Log                               *slog.Logger

	once    sync.Once
	clients map[bool]*http.Client
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now().UTC()
	}
	return time.Now().UTC()
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Wait is how long after the tries-th failed try the next one goes.
func (w *Worker) Wait(tries int64) time.Duration {
	d, limit := orDefault(w.FirstRetry, DefaultFirstRetry), orDefault(w.MaxRetry, DefaultMaxRetry)
	for i := int64(1); i < tries && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

// RunOnce sends what is due on the endpoints it can claim; it returns how
// many endpoints it claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	w.once.Do(func() {
		timeout := orDefault(w.Timeout, DefaultTimeout)
		w.clients = map[bool]*http.Client{false: NewClient(false, timeout), true: NewClient(true, timeout)}
	})
	eps, err := models.ClaimWebhookEndpoints(ctx, w.DB, w.Instance, w.now(), w.lease(), 10)
	if err != nil {
		return 0, err
	}
	for i := range eps {
		if ctx.Err() != nil {
			break
		}
		w.drain(ctx, &eps[i])
	}
	return len(eps), nil
}

func (w *Worker) lease() time.Duration {
	return orDefault(w.Lease, orDefault(w.Timeout, DefaultTimeout)+time.Minute)
}

// Run delivers until ctx ends, looking for due deliveries every poll.
func (w *Worker) Run(ctx context.Context, poll time.Duration) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		for {
			n, err := w.RunOnce(ctx)
			if err != nil && ctx.Err() == nil && w.Log != nil {
				w.Log.Warn("webhooks: claim failed", "error", err.Error())
			}
			if n == 0 || err != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// drain sends ep's due deliveries in event order, at most a batch, and
// lets the endpoint go.
func (w *Worker) drain(ctx context.Context, ep *models.WebhookEndpoint) {
	wctx := context.WithoutCancel(ctx)
	defer func() {
		if err := models.ReleaseWebhookEndpoint(wctx, w.DB, ep.ID, w.Instance); err != nil {
			w.warn("webhooks: releasing the endpoint failed", ep, err)
		}
	}()
	for range 50 {
		if ctx.Err() != nil {
			return
		}
		d, ev, err := models.NextWebhookDelivery(ctx, w.DB, ep.ID)
		if err != nil {
			w.warn("webhooks: reading the next delivery failed", ep, err)
			return
		}
		now := w.now()
		if d == nil || d.NextAttemptAt.After(now) {
			return
		}
		if ok, err := models.RenewWebhookLease(ctx, w.DB, ep.ID, w.Instance, now, now.Add(w.lease())); err != nil || !ok {
			return
		}
		o := w.send(ctx, ep, d, ev)
		// The outcome is written even when ctx ended meanwhile: a delivery
		// the receiver took must be marked delivered, or it would go again.
		held, err := models.FinishWebhookAttempt(wctx, w.DB, d, w.Instance, o, w.now())
		if err != nil {
			w.warn("webhooks: recording the outcome failed", ep, err)
			return
		}
		if !held {
			return
		}
		if o.Disable != "" {
			w.disabled(wctx, ep, o.Disable)
			return
		}
		if o.Status != models.WebhookDelivered {
			return
		}
	}
}

// send makes one try of d and says how it ended and what comes next.
func (w *Worker) send(ctx context.Context, ep *models.WebhookEndpoint, d *models.WebhookDelivery, ev *models.WebhookEvent) models.WebhookOutcome {
	body := []byte(ev.Payload)
	start := w.now()
	a := models.WebhookAttempt{Instance: w.Instance}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", w.UserAgent)
		req.Header.Set(HeaderEvent, ev.Type)
		req.Header.Set(HeaderDelivery, d.ID)
		req.Header.Set(HeaderSignature, Sign(ep.Secret, start, body))
		var resp *http.Response
		resp, err = w.clients[ep.AllowPrivate].Do(req)
		if err == nil {
			head, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			_ = resp.Body.Close()
			a.StatusCode, a.Response = int64(resp.StatusCode), clean(string(head))
			if resp.StatusCode < 200 || resp.StatusCode > 299 {
				a.Error = fmt.Sprintf("the endpoint answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
			}
		}
	}
	if err != nil {
		a.Error = clean(err.Error())
	}
	end := w.now()
	a.DurationMS = end.Sub(start).Milliseconds()
	o := models.WebhookOutcome{Attempt: a, Status: models.WebhookDelivered}
	if a.Error == "" {
		return o
	}
	next := end.Add(w.Wait(d.Attempts + 1))
	giveUp := orDefault(w.GiveUpAfter, DefaultGiveUpAfter)
	if next.Sub(d.RetryFrom) > giveUp {
		o.Status = models.WebhookFailed
		o.Disable = fmt.Sprintf("Deliveries failed for %s (last: %s); turned off on %s.", giveUp, a.Error, end.Format("2006-01-02 15:04 UTC"))
		return o
	}
	o.Status, o.Next = models.WebhookPending, next
	return o
}

// disabled records that ep was turned off and tells the administrators.
func (w *Worker) disabled(ctx context.Context, ep *models.WebhookEndpoint, reason string) {
	if w.Log != nil {
		w.Log.Warn("webhooks: endpoint turned off after a day of failed deliveries", "endpoint_id", ep.ID, "url", ep.URL, "reason", reason)
	}
	err := w.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := models.AppendAudit(ctx, tx, &models.AuditEvent{ActorType: models.ActorSystem, ActorLabel: "Webhook delivery",
			Action: "webhook.disable", ObjectType: "webhook", ObjectID: ep.ID, Detail: reason, OccurredAt: w.now()})
		if err != nil || w.Notify == nil {
			return err
		}
		admins, err := models.ActiveUserIDsByRole(ctx, tx, models.RoleAdmin)
		if err != nil {
			return err
		}
		var to []notify.Recipient
		for _, id := range admins {
			to = append(to, notify.Recipient{UserID: id})
		}
		return w.Notify.Emit(ctx, tx, notify.Event{Kind: "webhook.disabled", Key: "webhook.disabled:" + ep.ID + ":" + w.now().Format(time.RFC3339),
			ObjectType: "webhook", ObjectID: ep.ID, Link: "/settings/webhooks/" + ep.ID, To: to,
			Title: "Webhook endpoint turned off: " + ep.URL,
			Body:  reason + "\n\nFix the receiver, then turn the endpoint on again in Settings → Webhooks: the deliveries it missed go out in order."})
	})
	if err != nil {
		w.warn("webhooks: recording that an endpoint was turned off failed", ep, err)
	}
}

// clean makes text safe to store: valid UTF-8, no NUL (PostgreSQL's text
// refuses it), at most 1,000 bytes.
func clean(s string) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
	if len(s) > 1000 {
		s = strings.ToValidUTF8(s[:1000], "") + "…"
	}
	return s
}

func (w *Worker) warn(msg string, ep *models.WebhookEndpoint, err error) {
	if w.Log != nil {
		w.Log.Warn(msg, "endpoint_id", ep.ID, "error", err.Error())
	}
}
