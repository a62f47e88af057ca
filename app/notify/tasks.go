package notify

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Tasks is this package's share of the clock's recurring work: the daily
// digest. The reminders and due-date scans, which need the domain
// services, are in app/reminders (reminders.Tasks); the server runs both.
func Tasks(db *gorm.DB, n *Notifier) []Task {
	return []Task{{Name: "digest", Next: DailyAt(DigestHour), AtNext: true, Run: func(ctx context.Context, now time.Time) error {
		_, err := n.SendDigests(ctx, db, now)
		return err
	}}}
}
