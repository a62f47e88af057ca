package auth_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"rampart/app/auth"
	"rampart/app/password"
	"rampart/models"
	"rampart/models/testdb"
)

const rightPassword = "correct horse battery"

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newService(t *testing.T, db *models.DB, p auth.Policy) (*auth.Service, *clock, *models.User) {
	t.Helper()
	h, err := password.Hash(rightPassword)
	if err != nil {
		t.Fatal(err)
	}
	u := &models.User{Email: "owner@corp.test", Name: "Owner", Role: models.RoleRiskManager, Active: true, PasswordHash: h}
	if err := models.CreateUser(context.Background(), db.Gorm, u); err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Now().UTC()}
	return &auth.Service{DB: db.Gorm, Policy: p, Now: c.now, Hasher: password.NewLimiter(4, 10*time.Minute)}, c, u
}

func countAudit(t *testing.T, db *models.DB, action, outcome string) int64 {
	t.Helper()
	var n int64
	if err := db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND outcome = ?", action, outcome).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestParallelSignInsCannotOutrunTheThrottle: 100 attempts at once on one
// account from one address (99 wrong, 1 right) evaluate at most the
// limit of wrong passwords; every other attempt is refused as throttled.
func TestParallelSignInsCannotOutrunTheThrottle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		const limit = 5
		svc, _, _ := newService(t, db, auth.Policy{IdleTimeout: time.Hour, Lifetime: 8 * time.Hour, Window: 15 * time.Minute,
			MaxPerAccountAddr: limit, MaxPerClientAddr: 30, MaxPerAccount: 10})
		const n = 100
		results := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				pw := fmt.Sprintf("wrong guess %03d", i)
				if i == n/2 {
					pw = rightPassword
				}
				<-start
				_, results[i] = svc.SignIn(context.Background(), "owner@corp.test", pw, auth.Origin{ClientIP: "198.51.100.7"})
			}()
		}
		close(start)
		wg.Wait()
		var ok, bad, throttled int64
		for i, err := range results {
			var te *auth.ThrottledError
			switch {
			case err == nil:
				ok++
			case errors.Is(err, auth.ErrBadCredentials):
				bad++
			case errors.As(err, &te):
				throttled++
			default:
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		// A right password gives its count back, so at most one more
		// attempt than the limit is evaluated, never more wrong ones.
		if bad > limit || ok > 1 || ok+bad+throttled != n {
			t.Fatalf("%d wrong passwords evaluated (limit %d), %d signed in, %d throttled", bad, limit, ok, throttled)
		}
		if got := svc.Hasher.Completed(); got != ok+bad {
			t.Fatalf("%d password checks ran, want %d", got, ok+bad)
		}
		if got := countAudit(t, db, "auth.sign_in_failed", models.OutcomeFailure); got != bad {
			t.Fatalf("%d failed sign-ins audited, want %d", got, bad)
		}
		if got := countAudit(t, db, "auth.sign_in_failed", models.OutcomeDenied); got != throttled {
			t.Fatalf("%d throttled sign-ins audited, want %d", got, throttled)
		}
	})
}

// TestShortIdleTimeoutKeepsActiveSessions: with a one-minute idle timeout
// a session used every 30 seconds stays open; the last-seen time must be
// refreshed more often than the idle timeout.
func TestShortIdleTimeoutKeepsActiveSessions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		svc, c, _ := newService(t, db, auth.Policy{IdleTimeout: time.Minute, Lifetime: time.Hour, Window: time.Minute,
			MaxPerAccountAddr: 5, MaxPerClientAddr: 30, MaxPerAccount: 10})
		ctx := context.Background()
		signed, err := svc.SignIn(ctx, "owner@corp.test", rightPassword, auth.Origin{ClientIP: "198.51.100.7"})
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 10; i++ {
			c.add(30 * time.Second)
			if _, err := svc.Session(ctx, signed.Cookie); err != nil {
				t.Fatalf("session used every 30 s ended after %d uses: %v", i, err)
			}
		}
		c.add(61 * time.Second)
		if _, err := svc.Session(ctx, signed.Cookie); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Fatalf("after a minute idle: %v", err)
		}
	})
}

// TestSessionLastSeenIsWrittenAtMostOnceAMinute: requests within a minute
// of the stored last-seen time do not write the session (every request
// would otherwise queue on the database's one writer); the first request
// after that minute does, so the idle timeout counts from it.
func TestSessionLastSeenIsWrittenAtMostOnceAMinute(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		svc, c, u := newService(t, db, auth.Policy{IdleTimeout: time.Hour, Lifetime: 8 * time.Hour, Window: time.Minute,
			MaxPerAccountAddr: 5, MaxPerClientAddr: 30, MaxPerAccount: 10})
		ctx := context.Background()
		signed, err := svc.SignIn(ctx, "owner@corp.test", rightPassword, auth.Origin{ClientIP: "198.51.100.7"})
		if err != nil {
			t.Fatal(err)
		}
		stored := func() models.Session {
			t.Helper()
			var s models.Session
			if err := db.Gorm.Where("user_id = ?", u.ID).Take(&s).Error; err != nil {
				t.Fatal(err)
			}
			return s
		}
		signedInAt := stored()
		for range 5 {
			c.add(10 * time.Second)
			if _, err := svc.Session(ctx, signed.Cookie); err != nil {
				t.Fatal(err)
			}
		}
		if got := stored(); !got.LastSeenAt.Equal(signedInAt.LastSeenAt) || !got.UpdatedAt.Equal(signedInAt.UpdatedAt) {
			t.Fatalf("requests within a minute wrote the session: last seen %v -> %v", signedInAt.LastSeenAt, got.LastSeenAt)
		}
		c.add(11 * time.Second)
		p, err := svc.Session(ctx, signed.Cookie)
		if err != nil {
			t.Fatal(err)
		}
		// PostgreSQL keeps microseconds, SQLite nanoseconds.
		got, want := stored(), c.now()
		if got.LastSeenAt.Sub(want).Abs() >= time.Microsecond || !p.Session.LastSeenAt.Equal(want) {
			t.Fatalf("after 61 s last seen is %v (principal %v), want %v", got.LastSeenAt, p.Session.LastSeenAt, want)
		}
		// The idle hour counts from that write, not from the sign-in.
		c.add(time.Hour - time.Second)
		if _, err := svc.Session(ctx, signed.Cookie); err != nil {
			t.Fatalf("59:59 after the last write: %v", err)
		}
	})
}

// TestTokenCannotMintAStrongerToken: a token-authenticated request cannot
// create a token that outlives or outranks the calling token.
func TestTokenCannotMintAStrongerToken(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		svc, c, u := newService(t, db, auth.DefaultPolicy)
		ctx := context.Background()
		exp := c.now().Add(time.Hour)
		parent := &models.APIToken{UserID: u.ID, ReadOnly: true, ExpiresAt: &exp}
		p := &auth.Principal{User: u, Token: parent}
		var ve *models.ValidationError
		if _, _, err := svc.CreateToken(ctx, p, "write", false, nil, auth.Origin{}); !errors.As(err, &ve) || ve.Errors[0].Field != "read_only" {
			t.Fatalf("read-only token minting a writing token: %v", err)
		}
		later := exp.Add(time.Minute)
		if _, _, err := svc.CreateToken(ctx, p, "later", true, &later, auth.Origin{}); !errors.As(err, &ve) || ve.Errors[0].Field != "expires_at" {
			t.Fatalf("token minting a token that outlives it: %v", err)
		}
		tok, _, err := svc.CreateToken(ctx, p, "child", true, nil, auth.Origin{})
		if err != nil || tok.ExpiresAt == nil || tok.ExpiresAt.After(exp) || !tok.ReadOnly {
			t.Fatalf("child token: %+v %v", tok, err)
		}
	})
}
