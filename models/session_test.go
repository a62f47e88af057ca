package models_test

import (
	"context"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
)

func TestSweepsRemoveOnlyEndedRecords(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		u := &models.User{Email: "s@corp.test", Name: "S", Role: models.RoleLegal, Active: true}
		if err := models.CreateUser(ctx, db.Gorm, u); err != nil {
			t.Fatal(err)
		}
		for id, s := range map[string][2]time.Time{
			"live":      {now.Add(-time.Minute), now.Add(time.Hour)},
			"idle":      {now.Add(-3 * time.Hour), now.Add(time.Hour)},
			"past-life": {now.Add(-time.Minute), now.Add(-time.Second)},
		} {
			if err := models.CreateSession(ctx, db.Gorm, &models.Session{ID: id, UserID: u.ID, CSRFToken: "c", LastSeenAt: s[0], ExpiresAt: s[1]}); err != nil {
				t.Fatal(err)
			}
		}
		n, err := models.DeleteExpiredSessions(ctx, db.Gorm, now, 2*time.Hour)
		if err != nil || n != 2 {
			t.Fatalf("removed %d sessions (%v), want 2", n, err)
		}
		if _, _, err := models.SessionByID(ctx, db.Gorm, "live"); err != nil {
			t.Fatalf("live session removed: %v", err)
		}
		count := func(ctx context.Context, key string, at time.Time) {
			t.Helper()
			err := models.ReserveAttempt(ctx, db.Gorm, []models.ThrottleKey{{Key: key}}, at, time.Minute, func([]models.ThrottleCount) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
		}
		count(ctx, "ip:old", now.Add(-time.Hour))
		count(ctx, "ip:new", now)
		if n, err := models.DeleteStaleThrottles(ctx, db.Gorm, now.Add(-time.Minute)); err != nil || n != 1 {
			t.Fatalf("removed %d throttles (%v), want 1", n, err)
		}
		if n, _, _ := models.ThrottleState(ctx, db.Gorm, "ip:new", now, time.Minute); n != 1 {
			t.Fatalf("current throttle lost: %d", n)
		}
	})
}
