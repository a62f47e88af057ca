package notify_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"rampart/app/mail"
	"rampart/app/mail/mailtest"
	"rampart/app/notify"
	"rampart/models"
	"rampart/models/testdb"
)

// clock is a time tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newUser(t *testing.T, db *models.DB, email, name string) *models.User {
	t.Helper()
	u := &models.User{Email: email, Name: name, Role: models.RoleRiskManager, Active: true, PasswordHash: "x"}
	if err := models.CreateUser(context.Background(), db.Gorm, u); err != nil {
		t.Fatal(err)
	}
	return u
}

func emit(t *testing.T, db *models.DB, n *notify.Notifier, ev notify.Event) {
	t.Helper()
	if err := n.Emit(context.Background(), db.Gorm, ev); err != nil {
		t.Fatal(err)
	}
}

func TestNoticesReachTheBellAndTheMailServerOnceByPreference(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		cfg, err := mail.ParseURL(srv.URL(), "Vendor Risk <risk@corp.test>")
		if err != nil {
			t.Fatal(err)
		}
		clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		n := &notify.Notifier{Mode: notify.MailOn, BaseURL: "https://rampart.corp.test", OrgName: "Corp", Now: clk.Now}
		w := &notify.Worker{DB: db.Gorm, Sender: mail.SMTP{Config: cfg}, Instance: "a", Now: clk.Now}

		ann := newUser(t, db, "ann@corp.test", "Ann")
		bob := newUser(t, db, "bob@corp.test", "Bob")
		cat := newUser(t, db, "cat@corp.test", "Cat")
		if err := models.SetNotificationPreferences(ctx, db.Gorm, bob.ID, map[string]string{"finding.assigned": notify.InApp}); err != nil {
			t.Fatal(err)
		}
		if err := models.SetNotificationPreferences(ctx, db.Gorm, cat.ID, map[string]string{"finding.assigned": notify.Off}); err != nil {
			t.Fatal(err)
		}
		ev := notify.Event{Kind: "finding.assigned", Key: "finding.assigned:f1:ann", ObjectType: "finding", ObjectID: "f1",
			Link: "/findings/f1", Title: "Finding assigned to you: Backups never restored", Body: "Due 2026-04-01.",
			To: []notify.Recipient{{UserID: ann.ID}, {UserID: bob.ID}, {UserID: cat.ID}, {UserID: ann.ID}}}
		emit(t, db, n, ev)
		emit(t, db, n, ev) // a scan that runs twice raises nothing new

		for _, c := range []struct {
			u    *models.User
			want int64
		}{{ann, 1}, {bob, 1}, {cat, 0}} {
			got, err := models.UnreadNotifications(ctx, db.Gorm, c.u.ID)
			if err != nil || got != c.want {
				t.Errorf("%s unread = %d, %v; want %d", c.u.Name, got, err, c.want)
			}
		}
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		msgs := srv.WaitFor(1, 5*time.Second)
		if len(msgs) != 1 {
			t.Fatalf("%d mails arrived, want 1 (Ann's): %v", len(msgs), msgs)
		}
		m := msgs[0]
		if m.To[0] != "ann@corp.test" || m.Subject() != ev.Title {
			t.Errorf("mail = %v", m)
		}
		if !strings.Contains(m.Text, "https://rampart.corp.test/findings/f1") || !strings.Contains(m.HTML, `href="https://rampart.corp.test/findings/f1"`) {
			t.Errorf("mail lacks the link in both parts:\n%s\n%s", m.Text, m.HTML)
		}
		if got := m.Header.Get("List-Unsubscribe"); got != "<https://rampart.corp.test/settings/notifications>" {
			t.Errorf("List-Unsubscribe = %q", got)
		}
		if n, _ := w.RunOnce(ctx); n != 0 {
			t.Errorf("a sent message was claimed again (%d)", n)
		}
		page, err := models.ListMail(ctx, db.Gorm, models.MailFilter{})
		if err != nil || len(page.Items) != 1 || page.Items[0].Status != models.MailSent {
			t.Fatalf("outbox = %+v, %v", page.Items, err)
		}
	})
}

// A vendor's chasers thread under the invitation, and nothing a vendor
// typed can add a header.
func TestVendorMailsThreadAndResistHeaderInjection(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		cfg, _ := mail.ParseURL(srv.URL(), "Vendor Risk <risk@corp.test>")
		n := &notify.Notifier{Mode: notify.MailOn, BaseURL: "https://rampart.corp.test", OrgName: "Corp"}
		w := &notify.Worker{DB: db.Gorm, Sender: mail.SMTP{Config: cfg}, Instance: "a"}
		hostile := "Acme\r\nBcc: victim@evil.test\r\nX-Injected: 1"
		to := []notify.Recipient{{Email: "Sec@Acme.test", Name: hostile}}
		reply := &notify.Recipient{Email: "ann@corp.test", Name: "Ann\nBcc: x@evil.test"}
		emit(t, db, n, notify.Event{Kind: "vendor.invitation", Key: "inv:a1", Thread: "assessment:a1", StartsThread: true,
			Title: "Security questionnaire from Corp for " + hostile, Body: "Please answer.", Link: "https://rampart.corp.test/portal/x", To: to, ReplyTo: reply})
		emit(t, db, n, notify.Event{Kind: "vendor.reminder", Key: "rem:a1:7", Thread: "assessment:a1",
			Title: "Reminder: questionnaire due in 7 days", Body: "Use the link in the first message.", To: to, ReplyTo: reply})
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		msgs := srv.WaitFor(2, 5*time.Second)
		if len(msgs) != 2 {
			t.Fatalf("%d mails, want 2", len(msgs))
		}
		for _, m := range msgs {
			if len(m.To) != 1 || m.To[0] != "sec@acme.test" {
				t.Errorf("recipients %v: a header was injected", m.To)
			}
			if m.Header.Get("X-Injected") != "" || m.Header.Get("Bcc") != "" {
				t.Errorf("header injected: %v", m.Header)
			}
			if !strings.Contains(m.Header.Get("Reply-To"), "ann@corp.test") {
				t.Errorf("Reply-To = %q", m.Header.Get("Reply-To"))
			}
		}
		inv, rem := msgs[0], msgs[1]
		if inv.Subject() == rem.Subject() {
			inv, rem = rem, inv
		}
		if !strings.HasPrefix(inv.Subject(), "Security questionnaire") {
			inv, rem = rem, inv
		}
		if got := strings.Trim(rem.Header.Get("In-Reply-To"), "<>"); got != inv.MessageID() || got == "" {
			t.Errorf("reminder In-Reply-To %q, invitation Message-ID %q", got, inv.MessageID())
		}
	})
}

// A server that is down delays mail and loses none; an address the server
// refuses for good is marked as bounced and not tried again.
func TestMailWaitsForAServerThatIsDownAndMarksBounces(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		cfg, _ := mail.ParseURL(srv.URL(), "risk@corp.test")
		cfg.Timeout = 2 * time.Second
		clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		n := &notify.Notifier{Mode: notify.MailOn, BaseURL: "https://rampart.corp.test", Now: clk.Now}
		w := &notify.Worker{DB: db.Gorm, Sender: mail.SMTP{Config: cfg}, Instance: "a", Now: clk.Now}
		srv.Stop()
		for i, addr := range []string{"one@acme.test", "two@acme.test", "gone@acme.test"} {
			emit(t, db, n, notify.Event{Kind: "vendor.follow_up", Key: "fu:" + addr, Title: "Follow-up " + string(rune('A'+i)), Body: "More, please.",
				To: []notify.Recipient{{Email: addr}}})
		}
		if tried, err := w.RunOnce(ctx); err != nil || tried != 3 {
			t.Fatalf("tried %d, %v", tried, err)
		}
		all, _ := models.ListMail(ctx, db.Gorm, models.MailFilter{})
		for _, m := range all.Items {
			t.Logf("%s %s %q", m.ToEmail, m.Status, m.LastError)
		}
		page, _ := models.ListMail(ctx, db.Gorm, models.MailFilter{Status: models.MailQueued})
		if len(page.Items) != 3 || page.Items[0].LastError == "" {
			t.Fatalf("after a failed try every message stays queued with the error: %+v", page.Items)
		}
		if tried, _ := w.RunOnce(ctx); tried != 0 {
			t.Errorf("retried before the backoff (%d)", tried)
		}
		srv.Restart()
		srv.Refuse("gone@acme.test")
		clk.Add(notify.Retry[0])
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		msgs := srv.WaitFor(2, 5*time.Second)
		if len(msgs) != 2 {
			t.Fatalf("%d arrived, want 2", len(msgs))
		}
		bounced, err := models.Bounces(ctx, db.Gorm, []string{"gone@acme.test", "one@acme.test"})
		if err != nil || len(bounced) != 1 || !strings.Contains(bounced["gone@acme.test"], "550") {
			t.Errorf("bounces = %v, %v", bounced, err)
		}
		clk.Add(48 * time.Hour)
		if tried, _ := w.RunOnce(ctx); tried != 0 {
			t.Errorf("a sent or bounced message was tried again (%d)", tried)
		}
		failed, _ := models.ListMail(ctx, db.Gorm, models.MailFilter{Status: models.MailFailed})
		if len(failed.Items) != 1 {
			t.Fatalf("failed = %+v", failed.Items)
		}
		_, log, err := models.GetMail(ctx, db.Gorm, failed.Items[0].ID)
		if err != nil || len(log) != 2 || log[0].Outcome != "retry" || log[1].Outcome != "failed" {
			t.Errorf("delivery log = %+v, %v", log, err)
		}
	})
}

// With mail off, notices still reach the bell and no mail is written.
func TestMailOffKeepsTheBell(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		n := &notify.Notifier{Mode: notify.MailOff}
		ann := newUser(t, db, "ann@corp.test", "Ann")
		emit(t, db, n, notify.Event{Kind: "finding.overdue", Key: "k", Title: "Overdue", To: []notify.Recipient{{UserID: ann.ID}, {Email: "v@acme.test"}}})
		if got, _ := models.UnreadNotifications(ctx, db.Gorm, ann.ID); got != 1 {
			t.Errorf("unread = %d", got)
		}
		if c, _ := models.MailCounts(ctx, db.Gorm); len(c) != 0 {
			t.Errorf("mail written with mail off: %v", c)
		}
	})
}

// The SMTP URL's user and password sign in to the server, and a wrong
// password keeps the message queued with the server's answer.
func TestMailSignsInToTheServer(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		srv.Username, srv.Password = "rampart", "s3cret"
		n := &notify.Notifier{Mode: notify.MailOn, BaseURL: "https://rampart.corp.test"}
		emit(t, db, n, notify.Event{Kind: "vendor.follow_up", Key: "fu:1", Title: "Follow-up", Body: "More.", To: []notify.Recipient{{Email: "v@acme.test"}}})

		wrong, err := mail.ParseURL(strings.Replace(srv.URL(), "s3cret", "wrong", 1), "risk@corp.test")
		if err != nil {
			t.Fatal(err)
		}
		w := &notify.Worker{DB: db.Gorm, Sender: mail.SMTP{Config: wrong}, Instance: "a"}
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if got := srv.Messages(); len(got) != 0 {
			t.Fatalf("delivered with a wrong password: %v", got)
		}
		page, _ := models.ListMail(ctx, db.Gorm, models.MailFilter{})
		if len(page.Items) != 1 || page.Items[0].Status != models.MailQueued || !strings.Contains(page.Items[0].LastError, "535") {
			t.Fatalf("after a refused sign-in: %+v", page.Items)
		}
		// The server refused Rampart, not the address: no bounce.
		if b, _ := models.Bounces(ctx, db.Gorm, []string{"v@acme.test"}); len(b) != 0 {
			t.Fatalf("a sign-in failure marked the recipient bounced: %v", b)
		}

		right, _ := mail.ParseURL(srv.URL(), "risk@corp.test")
		db.Gorm.Model(&models.MailMessage{}).Where("id = ?", page.Items[0].ID).Updates(map[string]any{"status": models.MailQueued, "next_attempt_at": time.Now().UTC().Add(-time.Minute)})
		w.Sender = mail.SMTP{Config: right}
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if got := srv.WaitFor(1, 5*time.Second); len(got) != 1 {
			t.Fatalf("with the right password %d arrived", len(got))
		}
	})
}

// A message the server refuses for good is failed at once, but only an
// address refused at RCPT counts as a bounce.
func TestARefusedMessageIsNotABounce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		srv.RefuseMessages()
		cfg, _ := mail.ParseURL(srv.URL(), "risk@corp.test")
		n := &notify.Notifier{Mode: notify.MailOn, BaseURL: "https://rampart.corp.test"}
		emit(t, db, n, notify.Event{Kind: "vendor.follow_up", Key: "fu:1", Title: "Follow-up", Body: "More.", To: []notify.Recipient{{Email: "v@acme.test"}}})
		w := &notify.Worker{DB: db.Gorm, Sender: mail.SMTP{Config: cfg}, Instance: "a"}
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		page, _ := models.ListMail(ctx, db.Gorm, models.MailFilter{})
		if len(page.Items) != 1 || page.Items[0].Status != models.MailFailed || !strings.Contains(page.Items[0].LastError, "554") {
			t.Fatalf("after a 554 at DATA: %+v", page.Items)
		}
		if b, _ := models.Bounces(ctx, db.Gorm, []string{"v@acme.test"}); len(b) != 0 {
			t.Fatalf("a refused message marked the address bounced: %v", b)
		}
	})
}

// The company's name in vendor mails is the one set in Settings, read at
// each mail (so every instance uses a change at once), else the option's.
func TestOrgNameFromSettingsElseTheOption(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		n := &notify.Notifier{Mode: notify.MailOn, BaseURL: "https://rampart.corp.test", OrgName: "Corp"}
		if got := n.Org(ctx, db.Gorm); got != "Corp" {
			t.Fatalf("before any: %q", got)
		}
		footer := func(key string) string {
			t.Helper()
			emit(t, db, n, notify.Event{Kind: "vendor.invitation", Key: key, Title: "Questionnaire", Body: "Please answer.",
				To: []notify.Recipient{{Email: "sec@acme.test"}}})
			var m models.MailMessage
			if err := db.Gorm.Where("event_key = ?", key).Take(&m).Error; err != nil {
				t.Fatal(err)
			}
			return m.TextBody
		}
		if body := footer("org:1"); !strings.Contains(body, "Sent by Corp's vendor risk program") {
			t.Fatalf("footer with the option's name: %s", body)
		}
		admin := newUser(t, db, "admin@corp.test", "Ada Admin")
		if _, err := models.SaveOrganizationName(ctx, db.Gorm, 1, "Acme Holdings", admin.ID); err != nil {
			t.Fatal(err)
		}
		if got := n.Org(ctx, db.Gorm); got != "Acme Holdings" {
			t.Fatalf("after set: %q", got)
		}
		if body := footer("org:2"); !strings.Contains(body, "Sent by Acme Holdings's vendor risk program") {
			t.Fatalf("footer with the stored name: %s", body)
		}
		if _, err := models.SaveOrganizationName(ctx, db.Gorm, 1, "Stale", admin.ID); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("stale save: %v", err)
		}
	})
}
