package notify_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"rampart/app/mail"
	"rampart/app/mail/mailtest"
	"rampart/app/notify"
	"rampart/models"
	"rampart/models/testdb"
)

// slowServer delivers through the real SMTP sender and, before each
// message, lets a test move the clock (a slow mail server) and act.
type slowServer struct {
	mail.Sender
	before func(n int)
	n      int
}

func (s *slowServer) Send(ctx context.Context, m mail.Message) error {
	s.n++
	s.before(s.n)
	return s.Sender.Send(ctx, m)
}

// A worker claims a batch under one lease but sends it one message at a
// time: with a slow server the later messages of the batch outlive the
// batch's lease while one of them is being sent, and another instance
// would send that one too. Each send renews the lease first, so the other
// instance takes only a message not yet started, which the first then
// skips: each arrives once.
func TestEachSendStartsWithAFullLease(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		cfg, err := mail.ParseURL(srv.URL(), "Vendor Risk <risk@corp.test>")
		if err != nil {
			t.Fatal(err)
		}
		clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		n := &notify.Notifier{Mode: notify.MailOn, BaseURL: "https://rampart.corp.test", Now: clk.Now}
		for i := range 3 {
			emit(t, db, n, notify.Event{Kind: "vendor.reminder", Key: fmt.Sprint("lease:", i), Title: fmt.Sprint("Reminder ", i),
				Body: "Due soon.", To: []notify.Recipient{{Email: fmt.Sprintf("c%d@acme.test", i)}}})
		}
		const lease = time.Minute
		real := mail.SMTP{Config: cfg}
		other := &notify.Worker{DB: db.Gorm, Sender: real, Instance: "b", Now: clk.Now, Lease: lease}
		tookOver := 0
		slow := &slowServer{Sender: real, before: func(int) {
			// Each delivery takes 60% of the lease: by the second, the
			// batch's claim has lapsed, but not the renewed lease.
			clk.Add(lease * 6 / 10)
			got, err := other.RunOnce(ctx)
			if err != nil {
				t.Error(err)
			}
			tookOver += got
		}}
		w := &notify.Worker{DB: db.Gorm, Sender: slow, Instance: "a", Now: clk.Now, Lease: lease}
		if got, err := w.RunOnce(ctx); err != nil || got != 3 {
			t.Fatalf("claimed %d, %v; want the 3 messages in one batch", got, err)
		}
		// The third message's claim lapsed before the first worker began it.
		if tookOver != 1 {
			t.Errorf("the other instance took over %d messages, want 1 (the one not yet started)", tookOver)
		}
		srv.WaitFor(3, 5*time.Second)
		time.Sleep(100 * time.Millisecond) // a second copy would arrive meanwhile
		msgs := srv.Messages()
		if len(msgs) != 3 {
			t.Fatalf("%d messages arrived, want 3: %v", len(msgs), msgs)
		}
		for i := range 3 {
			if got := mailtest.To(msgs, fmt.Sprintf("c%d@acme.test", i)); len(got) != 1 {
				t.Errorf("c%d: %d messages", i, len(got))
			}
		}
		if c, _ := models.MailCounts(ctx, db.Gorm); c[models.MailSent] != 3 {
			t.Errorf("outbox: %v", c)
		}
	})
}

// The limit decision 0003 states: an instance that dies after the server
// took a message but before it marked it sent leaves it to be sent again
// once its lease lapses. The second copy carries the same Message-ID and
// thread, so that mail programs show one message.
func TestACrashAfterTheServerTookAMessageResendsItUnderTheSameMessageID(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		cfg, err := mail.ParseURL(srv.URL(), "Vendor Risk <risk@corp.test>")
		if err != nil {
			t.Fatal(err)
		}
		clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		n := &notify.Notifier{Mode: notify.MailOn, BaseURL: "https://rampart.corp.test", Now: clk.Now}
		emit(t, db, n, notify.Event{Kind: "vendor.reminder", Key: "crash:1", Title: "Reminder", Body: "Due soon.",
			Thread: "assessment:a1", To: []notify.Recipient{{Email: "sec@acme.test"}}})
		// Instance a claims the message and the server takes it; then a
		// dies, before recording anything.
		const lease = time.Minute
		claimed, err := models.ClaimMail(ctx, db.Gorm, "a", clk.Now(), lease, 10)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %d, %v", len(claimed), err)
		}
		m := claimed[0]
		if err := (mail.SMTP{Config: cfg}).Send(ctx, mail.Message{To: m.ToEmail, Subject: m.Subject, Text: m.TextBody,
			MessageID: m.MessageID, ThreadID: m.ThreadID}); err != nil {
			t.Fatal(err)
		}
		b := &notify.Worker{DB: db.Gorm, Sender: mail.SMTP{Config: cfg}, Instance: "b", Now: clk.Now, Lease: lease}
		if got, _ := b.RunOnce(ctx); got != 0 {
			t.Fatalf("instance b took a message under a's live lease")
		}
		clk.Add(lease + time.Second)
		if got, err := b.RunOnce(ctx); err != nil || got != 1 {
			t.Fatalf("after the lease: %d, %v", got, err)
		}
		msgs := srv.WaitFor(2, 5*time.Second)
		if len(msgs) != 2 || msgs[0].MessageID() != msgs[1].MessageID() || msgs[1].MessageID() != m.MessageID ||
			msgs[0].Header.Get("In-Reply-To") != msgs[1].Header.Get("In-Reply-To") {
			t.Fatalf("want the same message twice under one Message-ID and thread: %v", msgs)
		}
		if got, _, _ := models.GetMail(ctx, db.Gorm, m.ID); got.Status != models.MailSent || got.Attempts != 2 {
			t.Errorf("outbox row: %s after %d tries", got.Status, got.Attempts)
		}
	})
}
