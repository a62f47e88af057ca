package models_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

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

// countingLogger counts the statements a call sends.
type countingLogger struct {
	logger.Interface
	n atomic.Int64
}

func (l *countingLogger) Trace(context.Context, time.Time, func() (string, int64), error) { l.n.Add(1) }

// TestAuthenticationReadsOneRow: a session or an API token comes back with
// its user from one statement, every field of both in place.
func TestAuthenticationReadsOneRow(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)
		u := &models.User{Email: "one@corp.test", Name: "One Query", Role: models.RoleAuditor, Department: "Audit", Active: true}
		if err := models.CreateUser(ctx, db.Gorm, u); err != nil {
			t.Fatal(err)
		}
		if err := models.CreateSession(ctx, db.Gorm, &models.Session{ID: "sess", UserID: u.ID, CSRFToken: "csrf-1", UserAgent: "Firefox", LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := models.CreateAPIToken(ctx, db.Gorm, &models.APIToken{UserID: u.ID, Name: "ci", TokenHash: "hash-1", Prefix: "rmp_abc"}); err != nil {
			t.Fatal(err)
		}
		l := &countingLogger{Interface: logger.Discard}
		g := db.Gorm.Session(&gorm.Session{Logger: l})
		s, su, err := models.SessionByID(ctx, g, "sess")
		if err != nil || s.ID != "sess" || s.CSRFToken != "csrf-1" || s.UserAgent != "Firefox" || !s.LastSeenAt.Equal(now) ||
			su.ID != u.ID || su.Email != u.Email || su.Role != models.RoleAuditor || su.Department != "Audit" || !su.Active {
			t.Fatalf("session %+v, user %+v, %v", s, su, err)
		}
		tok, tu, err := models.APITokenByHash(ctx, g, "hash-1")
		if err != nil || tok.Name != "ci" || tok.UserID != u.ID || tu.ID != u.ID || tu.Name != "One Query" {
			t.Fatalf("token %+v, user %+v, %v", tok, tu, err)
		}
		if n := l.n.Load(); n != 2 {
			t.Errorf("%d statements for a session and a token, want one each", n)
		}
		if _, _, err := models.SessionByID(ctx, g, "missing"); err != models.ErrNotFound {
			t.Errorf("unknown session: %v", err)
		}
	})
}
