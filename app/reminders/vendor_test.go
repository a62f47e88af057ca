package reminders_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"rampart/app/mail/mailtest"
	"rampart/app/notify"
	"rampart/app/reminders"
	"rampart/models"
	"rampart/models/testdb"
)

// Forty days of a questionnaire's life, scanned twice a day: the contact
// gets reminders 7, 3 and 1 days ahead and five chasers once it is late,
// each once, threaded under the invitation and without the link; a
// questionnaire submitted, an address that bounced and an invitation sent
// late get only what they should.
func TestVendorRemindersAndChasers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		wd := newWorld(t, db)
		due := day(start.AddDate(0, 0, 10))
		vA := wd.vendor("Acme", nil)
		vB := wd.vendor("Bolt", nil)
		vC := wd.vendor("Crane", nil)
		vD := wd.vendor("Delta", nil)
		wd.send(vA, due, "sec@acme.test")
		b := wd.send(vB, due, "sec@bolt.test")
		if err := models.RecordBounce(wd.ctx, db.Gorm, "sec@crane.test", "550 no such user"); err != nil {
			t.Fatal(err)
		}
		wd.send(vC, due, "sec@crane.test")
		wd.deliver()

		for d := 0; d <= 40; d++ {
			switch d {
			case 6: // Bolt submits after its first reminder.
				if _, err := models.UpdateAssessment(wd.ctx, db.Gorm, b.ID, 0, map[string]any{"status": "submitted"}); err != nil {
					t.Fatal(err)
				}
			case 8: // Delta gets its questionnaire two days before it is due.
				wd.send(vD, due, "sec@delta.test")
			}
			for range 2 {
				if err := wd.scans.VendorReminders(wd.ctx, wd.clk.Now()); err != nil {
					t.Fatal(err)
				}
			}
			wd.deliver()
			wd.clk.AddDays(1)
		}

		msgs := wd.deliver()
		kinds := func(addr string) map[string]int {
			var rows []models.MailMessage
			db.Gorm.Where("to_email = ?", addr).Find(&rows)
			out := map[string]int{}
			for _, m := range rows {
				out[m.Kind]++
			}
			return out
		}
		for addr, want := range map[string]map[string]int{
			"sec@acme.test":  {"vendor.invitation": 1, "vendor.reminder": 3, "vendor.overdue": 5},
			"sec@bolt.test":  {"vendor.invitation": 1, "vendor.reminder": 1},
			"sec@crane.test": {"vendor.invitation": 1},
			"sec@delta.test": {"vendor.invitation": 1, "vendor.reminder": 1, "vendor.overdue": 5},
		} {
			got := kinds(addr)
			if len(got) != len(want) {
				t.Errorf("%s got %v, want %v", addr, got, want)
			}
			for k, n := range want {
				if got[k] != n {
					t.Errorf("%s got %v, want %v", addr, got, want)
				}
			}
		}

		toA := mailtest.To(msgs, "sec@acme.test")
		if len(toA) != 9 {
			t.Fatalf("%d mails reached Acme, want 9 (invitation, 3 reminders, 5 chasers)", len(toA))
		}
		inv := toA[0]
		if !strings.Contains(inv.Text, "/portal/rpt_") {
			t.Fatalf("the first mail is not the invitation: %s", inv)
		}
		for _, m := range toA[1:] {
			if got := strings.Trim(m.Header.Get("In-Reply-To"), "<>"); got != inv.MessageID() {
				t.Errorf("%q: In-Reply-To %q, want the invitation's %q", m.Subject(), got, inv.MessageID())
			}
			if !strings.Contains(m.Header.Get("References"), inv.MessageID()) {
				t.Errorf("%q: References %q lacks the invitation", m.Subject(), m.Header.Get("References"))
			}
			if !strings.Contains(m.Header.Get("Reply-To"), "riley@corp.test") {
				t.Errorf("%q: Reply-To %q, want the sender", m.Subject(), m.Header.Get("Reply-To"))
			}
			if !strings.Contains(m.Subject(), "Corp") || !strings.Contains(m.Text, "Riley at Corp") {
				t.Errorf("the asking company and sender are not named: %q\n%s", m.Subject(), m.Text)
			}
			if strings.Contains(m.Text, "/portal/") || strings.Contains(m.HTML, "/portal/") {
				t.Errorf("a reminder carries the portal link:\n%s", m.Text)
			}
			if !strings.Contains(m.Text, "first message of this thread") {
				t.Errorf("a reminder does not point back to the invitation:\n%s", m.Text)
			}
		}
		var overdue []models.MailMessage
		db.Gorm.Where("to_email = ? AND kind = ?", "sec@acme.test", "vendor.overdue").Order("next_attempt_at").Find(&overdue)
		want := []string{"2026-03-13", "2026-03-16", "2026-03-19", "2026-03-22", "2026-03-25"}
		for i, m := range overdue {
			if got := day(m.NextAttemptAt.UTC()); i < len(want) && got != want[i] {
				t.Errorf("chaser %d written on %s, want %s", i+1, got, want[i])
			}
		}
		var reminders []models.MailMessage
		db.Gorm.Where("to_email = ? AND kind = ?", "sec@acme.test", "vendor.reminder").Order("next_attempt_at").Find(&reminders)
		for i, w := range []string{"2026-03-05", "2026-03-09", "2026-03-11"} {
			if i < len(reminders) && day(reminders[i].NextAttemptAt.UTC()) != w {
				t.Errorf("reminder %d written on %s, want %s", i+1, day(reminders[i].NextAttemptAt.UTC()), w)
			}
		}
	})
}

// Two instances running the clock's tasks at the same moment on one
// database deliver each reminder once.
func TestTwoSchedulersDeliverEachReminderOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		wd := newWorld(t, db)
		due := day(start.AddDate(0, 0, 10))
		for _, name := range []string{"Acme", "Bolt", "Crane"} {
			v := wd.vendor(name, nil)
			wd.send(v, due, "sec@"+strings.ToLower(name)+".test")
		}
		wd.deliver()
		wd.clk.AddDays(3) // the 7-day reminders are due
		tasks := append(notify.Tasks(db.Gorm, wd.n), reminders.Tasks(db.Gorm, wd.n, reminders.Options{}, nil)...)
		for round := 0; round < 3; round++ {
			var wg sync.WaitGroup
			for _, name := range []string{"one", "two"} {
				s := &notify.Scheduler{DB: db.Gorm, Instance: name, Now: wd.clk.Now, Tasks: tasks}
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := s.RunDue(context.Background()); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			wd.clk.Set(wd.clk.Now().Add(2 * time.Hour)) // the next hourly round is due
		}
		msgs := wd.deliver()
		reminders := 0
		for _, m := range msgs {
			if strings.HasPrefix(m.Subject(), "Reminder:") {
				reminders++
			}
		}
		if reminders != 3 {
			t.Fatalf("%d reminders arrived, want 3 (one per questionnaire)", reminders)
		}
		scheds, _ := models.Schedules(wd.ctx, db.Gorm)
		for _, s := range scheds {
			if s.Name == "vendor-reminders" && s.Runs != 3 {
				t.Errorf("vendor-reminders ran %d times over three rounds on two instances, want 3", s.Runs)
			}
		}
	})
}
