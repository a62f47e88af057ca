package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/mail"
	"os"
	"time"

	"gorm.io/gorm"

	rmail "rampart/app/mail"
	"rampart/models"
)

// Retry waits before each new try of a message the server did not take:
// after the last, the message is failed and stays in the delivery log
// for an admin to send again.
var Retry = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour}

// RetryFrom is Retry scaled so that its first wait is first (the
// --mail-retry-after setting): the same shape, faster or slower.
func RetryFrom(first time.Duration) []time.Duration {
	out := make([]time.Duration, len(Retry))
	for i, d := range Retry {
		out[i] = time.Duration(float64(d) * float64(first) / float64(Retry[0]))
	}
	return out
}

// Worker sends the outbox. Any number of instances may run one: each
// message is claimed under a lease before it is sent (docs/decisions/0003).
type Worker struct {
	DB       *gorm.DB
	Sender   rmail.Sender
	Instance string
	Now      func() time.Time
	// Lease is how long a claimed message is held; an instance that dies
	// mid-send lets it go after this. It must exceed the SMTP timeout.
	Lease time.Duration
	Batch int
	// Retry replaces the package's Retry schedule when set.
	Retry []time.Duration
	Log   *slog.Logger
}

// InstanceID names this process in claims and the delivery log.
func InstanceID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

func (w *Worker) now() time.Time { return utcNow(w.Now) }

// RunOnce claims the messages due now and sends them one by one; it
// returns how many it tried.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	lease, batch := w.Lease, w.Batch
	if lease <= 0 {
		lease = 2 * time.Minute
	}
	if batch <= 0 {
		batch = 20
	}
	msgs, err := models.ClaimMail(ctx, w.DB, w.Instance, w.now(), lease, batch)
	if err != nil {
		return 0, err
	}
	for i := range msgs {
		if ctx.Err() != nil {
			break
		}
		// The batch shares one lease, but a slow server can make the last
		// message wait for the others: each send starts with a full lease
		// of its own, or not at all (another instance may have it by now).
		now := w.now()
		ok, err := models.RenewMailLease(ctx, w.DB, msgs[i].ID, w.Instance, now, now.Add(lease))
		if err != nil || !ok {
			if err != nil {
				w.warn("mail outbox: renewing the lease failed", &msgs[i], err)
			}
			continue
		}
		w.deliver(ctx, &msgs[i])
	}
	return len(msgs), nil
}

// Run sends until ctx ends, looking for due messages every poll.
func (w *Worker) Run(ctx context.Context, poll time.Duration) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		for {
			n, err := w.RunOnce(ctx)
			if err != nil && ctx.Err() == nil && w.Log != nil {
				w.Log.Warn("mail outbox: claim failed", "error", err.Error())
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

func (w *Worker) deliver(ctx context.Context, m *models.MailMessage) {
	msg := rmail.Message{To: m.ToEmail, ToName: m.ToName, Subject: m.Subject, Text: m.TextBody, HTML: m.HTMLBody,
		MessageID: m.MessageID, ThreadID: m.ThreadID, UnsubscribeURL: m.UnsubscribeURL}
	if a, err := mail.ParseAddress(m.ReplyTo); err == nil {
		msg.ReplyTo, msg.ReplyToName = a.Address, a.Name
	}
	retry := w.Retry
	if len(retry) == 0 {
		retry = Retry
	}
	sendErr := w.Sender.Send(ctx, msg)
	// The outcome is written even when ctx ended meanwhile: a message the
	// server took must be marked sent, or it would go again.
	wctx := context.WithoutCancel(ctx)
	now := w.now()
	status, errText, next := models.MailSent, "", now
	switch {
	case sendErr == nil:
	case rmail.IsPermanent(sendErr):
		status, errText = models.MailFailed, sendErr.Error()
		if rmail.IsBounce(sendErr) {
			if err := models.RecordBounce(wctx, w.DB, m.ToEmail, errText); err != nil {
				w.warn("mail outbox: recording a bounce failed", m, err)
			}
		}
	case m.Attempts > len(retry):
		status, errText = models.MailFailed, sendErr.Error()
	default:
		status, errText, next = models.MailQueued, sendErr.Error(), now.Add(retry[max(m.Attempts-1, 0)])
	}
	if err := models.FinishMail(wctx, w.DB, m, w.Instance, status, errText, next, now); err != nil {
		w.warn("mail outbox: recording the outcome failed", m, err)
	}
	if sendErr != nil {
		w.warn("mail not delivered", m, sendErr, "next", status)
	}
}

func (w *Worker) warn(msg string, m *models.MailMessage, err error, kv ...any) {
	if w.Log != nil {
		w.Log.Warn(msg, append([]any{"mail_id", m.ID, "kind", m.Kind, "attempt", m.Attempts, "error", err.Error()}, kv...)...)
	}
}
