package reminders_test

import (
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

// assessed gives v a completed assessment answered by contact and its
// next review on next, at tier.
func (wd *world) assessed(v *models.VendorRecord, contact, next string, tier int) *models.Assessment {
	wd.t.Helper()
	tpl, err := models.PublishedTemplate(wd.ctx, wd.db.Gorm, "rampart-lite")
	if err != nil {
		wd.t.Fatal(err)
	}
	done := start.AddDate(-3, 0, 0)
	a := &models.Assessment{VendorID: v.ID, TemplateID: tpl.ID, Title: "Last review", Status: "completed", ContactEmail: contact,
		ContactName: "Former contact", CompletedAt: &done, Result: "{}", CreatedBy: &wd.users["sam"].ID}
	if err := models.CreateAssessment(wd.ctx, wd.db.Gorm, a); err != nil {
		wd.t.Fatal(err)
	}
	if err := wd.db.Gorm.Model(&models.Vendor{}).Where("id = ?", v.ID).Updates(map[string]any{"next_review_on": next, "tier": tier}).Error; err != nil {
		wd.t.Fatal(err)
	}
	return a
}

func (wd *world) assessmentsOf(v *models.VendorRecord) []models.Assessment {
	var out []models.Assessment
	wd.db.Gorm.Where("vendor_id = ? AND status <> ?", v.ID, "completed").Find(&out)
	return out
}

// A tier set to start reassessments creates and sends exactly one, to the
// vendor's security contact, audited as the schedule's; a tier set to
// remind tells the owner; a vendor the schedule cannot start for, one not
// yet due and one never assessed get what they should.
func TestReassessmentOnCadence(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		wd := newWorld(t, db)
		wd.publishTiers(func(i int, tier map[string]any) {
			if i == 3 { // tier 4 starts its reviews 30 days ahead; the others remind
				tier["reassessment"] = "start"
			}
		})
		riley, sam := wd.users["riley"], wd.users["sam"]
		in20, in45 := day(start.AddDate(0, 0, 20)), day(start.AddDate(0, 0, 45))
		acme := wd.vendor("Acme", riley, models.VendorContact{Name: "Billing desk", Email: "billing@acme.test", Role: "Billing"},
			models.VendorContact{Name: "Jane Doe", Email: "Jane@Acme.test", Role: "Security officer"})
		prev := wd.assessed(acme, "old@acme.test", in20, 4)
		bolt := wd.vendor("Bolt", sam, models.VendorContact{Name: "Sec", Email: "sec@bolt.test", Role: "Security"})
		wd.assessed(bolt, "sec@bolt.test", in20, 3)
		crane := wd.vendor("Crane", riley, models.VendorContact{Name: "Sec", Email: "sec@crane.test", Role: "Security"})
		wd.assessed(crane, "sec@crane.test", in45, 4)
		delta := wd.vendor("Delta", riley)
		wd.assessed(delta, "", in20, 4)
		echo := wd.vendor("Echo", riley, models.VendorContact{Name: "Sec", Email: "sec@echo.test", Role: "Security"})
		if err := db.Gorm.Model(&models.Vendor{}).Where("id = ?", echo.ID).Update("next_review_on", day(start)).Error; err != nil {
			t.Fatal(err)
		}

		// Two instances' scans at once, then another round: one reassessment.
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := (&reminders.Scans{DB: db.Gorm, Notify: wd.n}).Reassessments(wd.ctx, wd.clk.Now()); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if err := wd.scans.Reassessments(wd.ctx, wd.clk.Now()); err != nil {
			t.Fatal(err)
		}

		started := wd.assessmentsOf(acme)
		if len(started) != 1 {
			t.Fatalf("Acme has %d new assessments, want 1: %+v", len(started), started)
		}
		a := started[0]
		if a.Status != "sent" || a.ContactEmail != "jane@acme.test" || a.PreviousID == nil || *a.PreviousID != prev.ID || a.DueDate != in20 ||
			a.CreatedBy == nil || *a.CreatedBy != riley.ID {
			t.Errorf("started %+v; want sent to the security contact, due on the review date, from the last answers, for the owner", a)
		}
		msgs := wd.deliver()
		toJane := mailtest.To(msgs, "jane@acme.test")
		if len(toJane) != 1 || !strings.Contains(toJane[0].Text, "https://rampart.corp.test/portal/rpt_") ||
			!strings.Contains(toJane[0].Header.Get("Reply-To"), "riley@corp.test") {
			t.Fatalf("the security contact got %v", toJane)
		}
		for _, addr := range []string{"billing@acme.test", "old@acme.test", "sec@bolt.test", "sec@crane.test", "sec@echo.test"} {
			if got := mailtest.To(msgs, addr); len(got) != 0 {
				t.Errorf("%s got %d mails", addr, len(got))
			}
		}
		var events []models.AuditEvent
		db.Gorm.Where("object_id = ? AND action IN ?", a.ID, []string{"assessment.create", "assessment.send", "assessment.schedule_start"}).Find(&events)
		if len(events) != 3 {
			t.Fatalf("audit events %+v", events)
		}
		for _, e := range events {
			if e.ActorType != models.ActorSystem || !strings.Contains(e.ActorLabel, reminders.ScheduleActor) {
				t.Errorf("%s recorded as %s %q, want the schedule", e.Action, e.ActorType, e.ActorLabel)
			}
		}

		for _, v := range []*models.VendorRecord{bolt, crane, delta, echo} {
			if got := wd.assessmentsOf(v); len(got) != 0 {
				t.Errorf("%s got an assessment: %+v", v.Name, got)
			}
		}
		ownerNotices := func(u *models.User, vendorName string) []models.Notification {
			var out []models.Notification
			for _, n := range wd.notices(u, "reassessment.due") {
				if strings.Contains(n.Title, vendorName) {
					out = append(out, n)
				}
			}
			return out
		}
		if got := ownerNotices(riley, "Acme"); len(got) != 1 || !strings.HasPrefix(got[0].Title, "Reassessment started") || !strings.Contains(got[0].Body, "jane@acme.test") {
			t.Errorf("Acme's owner was told %+v", got)
		}
		if got := ownerNotices(sam, "Bolt"); len(got) != 1 || !strings.HasPrefix(got[0].Title, "Reassessment due") {
			t.Errorf("Bolt's owner (tier 3 reminds) was told %+v", got)
		}
		if got := ownerNotices(riley, "Delta"); len(got) != 1 || !strings.Contains(got[0].Body, "could not start") {
			t.Errorf("Delta's owner (no contact) was told %+v", got)
		}
		if got := ownerNotices(riley, "Crane"); len(got) != 0 {
			t.Errorf("Crane, 45 days from its review, was told of already: %+v", got)
		}
		if got := ownerNotices(riley, "Echo"); len(got) != 0 {
			t.Errorf("Echo, never assessed, is not up for a reassessment: %+v", got)
		}

		// Fifteen days on, Crane's review is within its lead time.
		wd.clk.Set(start.AddDate(0, 0, 15).Add(time.Hour))
		if err := wd.scans.Reassessments(wd.ctx, wd.clk.Now()); err != nil {
			t.Fatal(err)
		}
		if got := wd.assessmentsOf(crane); len(got) != 1 {
			t.Errorf("Crane has %d assessments after its lead time began, want 1", len(got))
		}
		if got := wd.assessmentsOf(acme); len(got) != 1 {
			t.Errorf("Acme has %d assessments after another round, want still 1", len(got))
		}
	})
}

// With mail off the schedule cannot send a link, so it reminds instead.
func TestReassessmentWithMailOffReminds(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		wd := newWorld(t, db)
		wd.n.Mode = notify.MailOff
		wd.publishTiers(func(_ int, tier map[string]any) { tier["reassessment"] = "start" })
		acme := wd.vendor("Acme", wd.users["riley"], models.VendorContact{Name: "Jane", Email: "jane@acme.test", Role: "Security"})
		wd.assessed(acme, "", day(start.AddDate(0, 0, 5)), 4)
		if err := wd.scans.Reassessments(wd.ctx, wd.clk.Now()); err != nil {
			t.Fatal(err)
		}
		if got := wd.assessmentsOf(acme); len(got) != 0 {
			t.Errorf("started with mail off: %+v", got)
		}
		if got := wd.notices(wd.users["riley"], "reassessment.due"); len(got) != 1 || !strings.Contains(got[0].Body, "mail is off") {
			t.Errorf("owner told %+v", got)
		}
	})
}
