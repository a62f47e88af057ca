package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"rampart/app/mail"
	"rampart/app/mail/mailtest"
	"rampart/app/notify"
	"rampart/models"
	"rampart/models/testdb"
)

// The daily digest groups each person's waiting notices by kind in one
// mail, once a day, and leaves what arrives after it for the next day's.
func TestDailyDigestGroupsWhatIsWaitingOncePerDay(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		cfg, _ := mail.ParseURL(srv.URL(), "risk@corp.test")
		clk := &clock{t: time.Date(2026, 3, 2, 6, 30, 0, 0, time.UTC)}
		n := &notify.Notifier{Mode: notify.MailOn, BaseURL: "https://rampart.corp.test", Now: clk.Now}
		w := &notify.Worker{DB: db.Gorm, Sender: mail.SMTP{Config: cfg}, Instance: "a", Now: clk.Now}
		sam := newUser(t, db, "sam@corp.test", "Sam")
		eve := newUser(t, db, "eve@corp.test", "Eve")
		if err := models.SetNotificationPreferences(ctx, db.Gorm, sam.ID, map[string]string{"exception.expiring": notify.Digest}); err != nil {
			t.Fatal(err)
		}
		if err := models.SetNotificationPreferences(ctx, db.Gorm, eve.ID, map[string]string{"finding.due": notify.InApp}); err != nil {
			t.Fatal(err)
		}
		notice := func(kind, id, title string) {
			emit(t, db, n, notify.Event{Kind: kind, Key: kind + ":" + id, ObjectType: "finding", ObjectID: id, Link: "/findings/" + id,
				Title: title, To: []notify.Recipient{{UserID: sam.ID}, {UserID: eve.ID}}})
		}
		notice("finding.due", "f1", "Finding due in 7 days: Backups never restored")
		notice("finding.due", "f2", "Finding due in 7 days: Old TLS")
		notice("exception.expiring", "e1", "Exception ends in 14 days: No SSO")
		notice("finding.assigned", "f3", "Finding assigned to you: Weak passwords") // email, not digest

		s := &notify.Scheduler{DB: db.Gorm, Instance: "one", Now: clk.Now, Tasks: notify.Tasks(db.Gorm, n)}
		runs := func() {
			t.Helper()
			if _, err := s.RunDue(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := w.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
		}
		runs() // 06:30, first start: the digest waits for 07:00
		for _, m := range srv.WaitFor(2, 2*time.Second) {
			if strings.Contains(m.Subject(), "waiting for you") {
				t.Fatalf("a digest went out at first start, before 07:00: %v", m)
			}
		}
		clk.Add(time.Hour)
		runs()                                                            // 07:30: sent; not due again until tomorrow 07:00
		if _, err := n.SendDigests(ctx, db.Gorm, clk.Now()); err != nil { // and a stray second run the same day
			t.Fatal(err)
		}
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		msgs := srv.WaitFor(4, 5*time.Second)
		digests := mailtest.To(msgs, "sam@corp.test")
		var digest []mailtest.Received
		for _, m := range digests {
			if strings.Contains(m.Subject(), "waiting for you") {
				digest = append(digest, m)
			}
		}
		if len(digest) != 1 {
			t.Fatalf("Sam got %d digests, want 1: %v", len(digest), msgs)
		}
		text := digest[0].Text
		for _, want := range []string{"3 notices waiting", "Finding due in 7 days (2)", "Exception expiring in 14 days (1)",
			"Backups never restored: https://rampart.corp.test/findings/f1", "Old TLS", "No SSO"} {
			if !strings.Contains(digest[0].Subject()+"\n"+text, want) {
				t.Errorf("digest lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "Weak passwords") {
			t.Errorf("an email notice is in the digest too:\n%s", text)
		}
		eveGot := mailtest.To(msgs, "eve@corp.test")
		for _, m := range eveGot {
			if strings.Contains(m.Subject(), "waiting") {
				t.Errorf("Eve (finding.due in the bell only, the rest by email) got a digest: %v", eveGot)
			}
		}
		if len(eveGot) != 2 {
			t.Errorf("Eve got %v, want the exception and the assignment by email", eveGot)
		}
		var waiting int64
		db.Gorm.Model(&models.Notification{}).Where("digest = ? AND digested_at IS NULL", true).Count(&waiting)
		if waiting != 0 {
			t.Errorf("%d notices still wait after the digest", waiting)
		}

		notice("finding.due", "f4", "Finding due in 7 days: Shared admin account")
		if _, err := n.SendDigests(ctx, db.Gorm, clk.Now()); err != nil {
			t.Fatal(err)
		}
		db.Gorm.Model(&models.Notification{}).Where("digest = ? AND digested_at IS NULL", true).Count(&waiting)
		if waiting != 1 {
			t.Errorf("a notice raised after today's digest was settled without being sent (%d waiting)", waiting)
		}
		clk.Add(24 * time.Hour)
		runs()
		msgs = srv.WaitFor(5, 5*time.Second)
		var second []mailtest.Received
		for _, m := range mailtest.To(msgs, "sam@corp.test") {
			if strings.Contains(m.Subject(), "waiting for you") {
				second = append(second, m)
			}
		}
		if len(second) != 2 || !strings.Contains(second[1].Text, "Shared admin account") || strings.Contains(second[1].Text, "Old TLS") {
			t.Fatalf("the next day's digest: %v", second)
		}
	})
}
