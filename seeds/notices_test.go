package seeds_test

import (
	"context"
	"testing"

	"rampart/app/notify"
	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

func TestDemoNoticesFillTheBellsAndHoldTheirMail(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		if _, err := seeds.Demo(ctx, db.Gorm); err != nil {
			t.Fatal(err)
		}
		// Even with mail on, demo notices never go out to demo addresses.
		if err := seeds.DemoNotices(ctx, db.Gorm, notify.Notifier{Mode: notify.MailOn, BaseURL: "http://localhost:8080"}); err != nil {
			t.Fatal(err)
		}
		for _, email := range []string{"risk@example.com", "admin@example.com", "legal@example.com", "head@example.com"} {
			u, err := models.UserByEmail(ctx, db.Gorm, email)
			if err != nil {
				t.Fatal(err)
			}
			page, err := models.ListNotifications(ctx, db.Gorm, u.ID, false, "", 50)
			if err != nil || page.Total == 0 {
				t.Errorf("%s has %d notices (%v)", email, page.Total, err)
			}
			for _, n := range page.Items {
				if n.Title == "" || n.Link == "" {
					t.Errorf("%s: notice without title or link: %+v", email, n)
				}
			}
		}
		risk, _ := models.UserByEmail(ctx, db.Gorm, "risk@example.com")
		if unread, _ := models.UnreadNotifications(ctx, db.Gorm, risk.ID); unread < 3 {
			t.Errorf("risk manager's bell shows %d unread", unread)
		}
		counts, err := models.MailCounts(ctx, db.Gorm)
		if err != nil || counts[models.MailHeld] < 3 || counts[models.MailQueued] != 0 {
			t.Fatalf("demo outbox: %v %v", counts, err)
		}
		var vendorMail int64
		db.Gorm.Model(&models.MailMessage{}).Where("kind = ? AND status = ?", "vendor.reminder", models.MailHeld).Count(&vendorMail)
		if vendorMail != 1 {
			t.Errorf("%d held vendor reminders", vendorMail)
		}
	})
}
