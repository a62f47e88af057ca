package app

import (
	"bytes"
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

// TestJobsCommand runs `rampart jobs` on an outbox the real worker worked
// through against a real SMTP server: one message sent, one refused for
// good, one waiting for a server that is down; and a scheduled task, one
// round of which is held by an instance. Then `jobs resend` queues the
// refused message again and the audit trail says who asked.
func TestJobsCommand(t *testing.T) {
	for _, d := range []models.Dialect{models.SQLite, models.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			target := testdb.Target(t, d)
			dbURL := target.DSN
			if d == models.SQLite {
				dbURL = "sqlite:" + target.Path
			}
			run := func(args ...string) (int, string, string) {
				var out, errOut bytes.Buffer
				full := append([]string{"rampart", "--data-dir", dir, "--database-url", dbURL, "--log-level", "error"}, args...)
				code := Main(ctx, full, strings.NewReader(""), &out, &errOut)
				return code, out.String(), errOut.String()
			}
			if code, _, msg := run("migrate"); code != 0 {
				t.Fatalf("migrate: %s", msg)
			}
			code, out, _ := run("jobs")
			if code != 0 || !strings.Contains(out, "none yet") || !strings.Contains(out, "queued 0  sending 0  sent 0  failed 0  held 0") ||
				!strings.Contains(out, "No message is due, being sent or failed.") {
				t.Fatalf("jobs on an empty database: %d\n%s", code, out)
			}

			db, err := models.Open(ctx, target, models.DefaultPool)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			srv := mailtest.Start(t)
			cfg, err := mail.ParseURL(srv.URL(), "Vendor Risk <risk@corp.test>")
			if err != nil {
				t.Fatal(err)
			}
			cfg.Timeout = 2 * time.Second
			n := &notify.Notifier{Mode: notify.MailOn, BaseURL: "https://rampart.corp.test", OrgName: "Corp"}
			w := &notify.Worker{DB: db.Gorm, Sender: mail.SMTP{Config: cfg}, Instance: "host-a/101/aa"}
			send := func(key, to, title string) {
				t.Helper()
				ev := notify.Event{Kind: "vendor.reminder", Key: key, Title: title, Body: "Due in 3 days.",
					Link: "https://rampart.corp.test/portal", To: []notify.Recipient{{Email: to}}}
				if err := n.Emit(ctx, db.Gorm, ev); err != nil {
					t.Fatal(err)
				}
				if _, err := w.RunOnce(ctx); err != nil {
					t.Fatal(err)
				}
			}
			srv.Refuse("gone@acme.test")
			send("r1", "sec@acme.test", "Reminder one")
			send("r2", "gone@acme.test", "Reminder\r\ntwo")
			srv.Stop()
			send("r3", "sec@beta.test", "Reminder three")

			if err := models.EnsureSchedule(ctx, db.Gorm, "reminders", time.Now().Add(-time.Minute)); err != nil {
				t.Fatal(err)
			}
			if ok, err := models.ClaimSchedule(ctx, db.Gorm, "reminders", "host-b/202/bb", time.Now(), 10*time.Minute); err != nil || !ok {
				t.Fatalf("claim: %v %v", ok, err)
			}

			code, out, errOut := run("jobs")
			if code != 0 {
				t.Fatalf("jobs: %d %s", code, errOut)
			}
			lines := strings.Split(out, "\n")
			find := func(sub string) string {
				for _, l := range lines {
					if strings.Contains(l, sub) {
						return l
					}
				}
				t.Fatalf("no line with %q in:\n%s", sub, out)
				return ""
			}
			if l := find("reminders"); !strings.Contains(l, "host-b/202/bb until ") {
				t.Errorf("task line does not name the holder: %q", l)
			}
			if l := find("queued 1"); !strings.Contains(l, "sent 1") || !strings.Contains(l, "failed 1") {
				t.Errorf("counts: %q", l)
			}
			failed := find("gone@acme.test")
			if !strings.Contains(failed, "failed") || !strings.Contains(failed, "550") || !strings.Contains(failed, "Reminder two") {
				t.Errorf("failed line lacks status, the server's reason or the subject on one line: %q", failed)
			}
			waiting := find("sec@beta.test")
			if !strings.Contains(waiting, "queued") || !strings.Contains(waiting, "vendor.reminder") || strings.HasSuffix(strings.TrimSpace(waiting), " -") {
				t.Errorf("queued line lacks its status or the connection error: %q", waiting)
			}
			if strings.Contains(out, "sec@acme.test") {
				t.Errorf("a sent message is listed as due or failed:\n%s", out)
			}
			// Newest first: the message waiting for the server was made last.
			if strings.Index(out, "sec@beta.test") > strings.Index(out, "gone@acme.test") {
				t.Errorf("not newest first:\n%s", out)
			}
			if _, out, _ := run("jobs", "--limit", "1"); !strings.Contains(out, "(1 of 2; --limit shows more)") {
				t.Errorf("--limit 1:\n%s", out)
			}

			failedID := strings.Fields(failed)[0]
			waitingID := strings.Fields(waiting)[0]
			if code, _, msg := run("jobs", "resend", waitingID); code != 1 || !strings.Contains(msg, "is queued; only a failed or sent message") {
				t.Errorf("resend of a queued message: %d %q", code, msg)
			}
			if code, _, msg := run("jobs", "resend", "no-such-id"); code != 1 || !strings.Contains(msg, "no message no-such-id") {
				t.Errorf("resend of an unknown message: %d %q", code, msg)
			}
			if code, _, msg := run("jobs", "resend"); code != 1 || !strings.Contains(msg, "name one message ID") {
				t.Errorf("resend without an id: %d %q", code, msg)
			}
			code, out, errOut = run("jobs", "resend", failedID)
			if code != 0 || !strings.Contains(out, "to gone@acme.test") || !strings.Contains(out, "it was failed") {
				t.Fatalf("resend: %d %q %q", code, out, errOut)
			}
			m, _, err := models.GetMail(ctx, db.Gorm, failedID)
			if err != nil || m.Status != models.MailQueued || m.LastError != "" || m.NextAttemptAt.After(time.Now()) {
				t.Fatalf("after resend: %+v %v", m, err)
			}
			events, _, err := models.ListAudit(ctx, db.Gorm, models.AuditFilter{Action: "mail.resend"})
			if err != nil || len(events) != 1 || events[0].ActorLabel != "rampart jobs resend" || events[0].ObjectID != failedID ||
				events[0].ObjectType != "mail" || !strings.Contains(events[0].Detail, "to gone@acme.test after failed: Reminder") {
				t.Fatalf("audit: %+v %v", events, err)
			}
			if models.AuditActionLabel("mail.resend") != "Sent mail again" {
				t.Errorf("no label for mail.resend")
			}
		})
	}
}
