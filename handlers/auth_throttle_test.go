package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"rampart/app/password"
	"rampart/models"
	"rampart/models/testdb"
)

// trustTestPeer believes X-Forwarded-For from httptest's peer address, so
// a test can send requests from many client addresses.
func trustTestPeer(d *Deps) {
	_, n, _ := net.ParseCIDR("192.0.2.1/32")
	d.TrustedProxies = []*net.IPNet{n}
}

func (f *fixture) signInFrom(addr, email, pw string) response {
	f.t.Helper()
	return f.call(nil, "POST", "/api/v1/auth/login", fmt.Sprintf(`{"email":%q,"password":%q}`, email, pw), "X-Forwarded-For", addr)
}

// TestThrottleStopsTheAttackerNotTheOwner: an attacker who exhausts the
// limit from one address, and then guesses from many, is stopped; the
// owner still signs in from an address with no failures; an administrator
// sees the failures and clears them.
func TestThrottleStopsTheAttackerNotTheOwner(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db, trustTestPeer)
		victim := f.users[models.RoleLegal]
		const attacker = "203.0.113.66"
		for i := 1; i <= 3; i++ { // MaxPerAccountAddr is 3
			if r := f.signInFrom(attacker, victim.Email, "guess guess "+fmt.Sprint(i)); r.Code != 401 {
				t.Fatalf("attacker guess %d: %d", i, r.Code)
			}
		}
		r := f.signInFrom(attacker, victim.Email, testPassword)
		if r.Code != 429 || r.Header().Get("Retry-After") == "" {
			t.Fatalf("attacker's address after the limit, right password: %d Retry-After %q", r.Code, r.Header().Get("Retry-After"))
		}
		if r := f.signInFrom("198.51.100.20", victim.Email, testPassword); r.Code != 200 {
			t.Fatalf("owner from a clean address after the attacker's guesses: %d %s", r.Code, r.Body)
		}

		// A distributed guess: one failure from each of four more
		// addresses takes the account past MaxPerAccount (6) ...
		for i := 1; i <= 4; i++ {
			if r := f.signInFrom(fmt.Sprintf("203.0.113.%d", i), victim.Email, "distributed guess"); r.Code != 401 {
				t.Fatalf("distributed guess %d: %d", i, r.Code)
			}
		}
		// ... after which an address that has failed on the account may
		// not try again, even with the right password ...
		if r := f.signInFrom("203.0.113.4", victim.Email, testPassword); r.Code != 429 {
			t.Fatalf("second attempt of a failed address on an account under attack: %d", r.Code)
		}
		// ... while an address with no failure on it still gets in.
		if r := f.signInFrom("198.51.100.21", victim.Email, testPassword); r.Code != 200 {
			t.Fatalf("owner from a clean address on an account under attack: %d %s", r.Code, r.Body)
		}

		admin := f.as(models.RoleAdmin)
		view := decode[userResponse](t, f.call(&admin, "GET", "/api/v1/users/"+victim.ID, ""))
		if view.SignInFailures == nil || *view.SignInFailures != 7 {
			t.Fatalf("admin's view of the failures: %v", view.SignInFailures)
		}
		rm := f.as(models.RoleRiskManager)
		if r := f.call(&rm, "GET", "/api/v1/users/"+victim.ID, ""); strings.Contains(r.Body.String(), "sign_in_failures") {
			t.Fatalf("a non-administrator sees the failures: %s", r.Body)
		}
		if r := f.call(&rm, "POST", "/api/v1/users/"+victim.ID+"/unlock-sign-in", ""); r.Code != 403 {
			t.Fatalf("non-administrator unlock: %d", r.Code)
		}
		r = f.call(&admin, "POST", "/api/v1/users/"+victim.ID+"/unlock-sign-in", "")
		if r.Code != 200 {
			t.Fatalf("unlock: %d %s", r.Code, r.Body)
		}
		if v := decode[userResponse](t, r); v.SignInFailures == nil || *v.SignInFailures != 0 {
			t.Fatalf("failures after unlock: %v", v.SignInFailures)
		}
		var ev models.AuditEvent
		if err := db.Gorm.Where("action = ? AND object_id = ?", "user.unlock_sign_in", victim.ID).Take(&ev).Error; err != nil || ev.ActorID != f.users[models.RoleAdmin].ID {
			t.Fatalf("unlock audit event: %+v %v", ev, err)
		}
		if r := f.signInFrom(attacker, victim.Email, testPassword); r.Code != 200 {
			t.Fatalf("right password from the once-throttled address after unlock: %d", r.Code)
		}
		if r := f.call(&admin, "POST", "/api/v1/users/nope/unlock-sign-in", ""); r.Code != 404 {
			t.Fatalf("unlock of an unknown user: %d", r.Code)
		}
	})
}

// TestHashingIsBounded: with one hashing slot, sign-ins never hash two at
// a time, and callers who cannot get the slot within the wait get a 503
// problem with Retry-After, without the attempt counting as a failure.
func TestHashingIsBounded(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		limiter := password.NewLimiter(1, 300*time.Millisecond)
		f := newFixture(t, db, func(d *Deps) { d.Auth.Hasher = limiter })
		signInAll := func(n int) []response {
			out := make([]response, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					out[i] = f.call(nil, "POST", "/api/v1/auth/login", fmt.Sprintf(`{"email":%q,"password":%q}`, f.users[models.Roles[i%len(models.Roles)]].Email, testPassword))
				}()
			}
			close(start)
			wg.Wait()
			return out
		}

		// The only slot is taken: every caller waits out the queue and is refused.
		release, err := limiter.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range signInAll(6) {
			if r.Code != 503 || r.Header().Get("Retry-After") == "" || r.problem().Type != typeUnavailable {
				t.Fatalf("sign-in %d with the slot taken: %d Retry-After %q %s", i, r.Code, r.Header().Get("Retry-After"), r.Body)
			}
		}
		release()
		if n, _, err := f.srv.deps.Auth.SignInFailures(context.Background(), f.users[models.RoleAdmin].Email); err != nil || n != 0 {
			t.Fatalf("refused sign-ins counted as failures: %d %v", n, err)
		}

		ok := 0
		for i, r := range signInAll(8) {
			switch r.Code {
			case 200:
				ok++
			case 503:
				r.problem()
			default:
				t.Fatalf("sign-in %d: %d %s", i, r.Code, r.Body)
			}
		}
		if limiter.Peak() != 1 || ok == 0 || limiter.Completed() != int64(ok) {
			t.Fatalf("peak %d concurrent hashes (limit 1), %d signed in, %d hashes completed", limiter.Peak(), ok, limiter.Completed())
		}
	})
}

// TestCredentialsEndWithThePassword: a token cannot mint a token that
// outlives it; a password change revokes the calendar feed (and, when
// asked, API tokens); sign-out everywhere can revoke both.
func TestCredentialsEndWithThePassword(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		s := f.as(models.RoleRiskManager)
		newToken := func(by *session, bearer, body string) (createdTokenResponse, response) {
			var r response
			if bearer != "" {
				r = f.call(nil, "POST", "/api/v1/api-tokens", body, "Authorization", "Bearer "+bearer)
			} else {
				r = f.call(by, "POST", "/api/v1/api-tokens", body)
			}
			if r.Code != 201 {
				return createdTokenResponse{}, r
			}
			return decode[createdTokenResponse](t, r), r
		}
		works := func(tok string) bool {
			return f.call(nil, "GET", "/api/v1/auth/me", "", "Authorization", "Bearer "+tok).Code == 200
		}
		newFeed := func() string {
			r := f.call(&s, "POST", "/api/v1/calendar/feed", "")
			if r.Code != 201 {
				t.Fatalf("feed: %d %s", r.Code, r.Body)
			}
			var fr struct{ URL string }
			_ = json.Unmarshal(r.Body.Bytes(), &fr)
			return strings.TrimPrefix(fr.URL, "http://localhost:8080")
		}
		feedWorks := func(path string) bool { return f.call(nil, "GET", path, "").Code == 200 }

		exp := f.clock.now().Add(time.Hour).Truncate(time.Second)
		short, r := newToken(&s, "", fmt.Sprintf(`{"name":"short","expires_at":%q}`, exp.Format(time.RFC3339)))
		if r.Code != 201 {
			t.Fatalf("short token: %d %s", r.Code, r.Body)
		}
		child, r := newToken(nil, short.Token, `{"name":"child"}`)
		if r.Code != 201 || child.ExpiresAt == nil || child.ExpiresAt.After(exp) {
			t.Fatalf("token minted by a short-lived token: %d expires %v, want by %v", r.Code, child.ExpiresAt, exp)
		}
		if _, r := newToken(nil, short.Token, fmt.Sprintf(`{"name":"longer","expires_at":%q}`, exp.Add(time.Hour).Format(time.RFC3339))); r.Code != 422 || r.problem().Errors[0].Field != "expires_at" {
			t.Fatalf("token outliving its parent: %d %s", r.Code, r.Body)
		}

		// A password change revokes the feed; API tokens only when asked.
		full, _ := newToken(&s, "", `{"name":"ci"}`)
		feed := newFeed()
		if !feedWorks(feed) {
			t.Fatal("fresh feed does not answer")
		}
		change := func(from, to string, revoke bool) {
			t.Helper()
			r := f.call(&s, "POST", "/api/v1/auth/password", fmt.Sprintf(`{"current_password":%q,"new_password":%q,"revoke_tokens":%v}`, from, to, revoke))
			if r.Code != 200 {
				t.Fatalf("password change: %d %s", r.Code, r.Body)
			}
			s = session{cookie: cookieOf(t, r), csrf: decode[meResponse](t, r).CSRFToken}
		}
		change(testPassword, "a brand new passphrase", false)
		if feedWorks(feed) {
			t.Fatal("calendar feed survived a password change")
		}
		if !works(full.Token) {
			t.Fatal("API token revoked by a password change without revoke_tokens")
		}
		change("a brand new passphrase", "another new passphrase", true)
		if works(full.Token) || works(child.Token) {
			t.Fatal("API token survived a password change with revoke_tokens")
		}
		var ev models.AuditEvent
		if err := db.Gorm.Where("action = ?", "auth.password_change").Order("seq DESC").Take(&ev).Error; err != nil || !strings.Contains(ev.Detail, "API tokens revoked") {
			t.Fatalf("password change audit: %q %v", ev.Detail, err)
		}

		// Sign out everywhere: without the flag tokens stay, with it they go.
		tok, _ := newToken(&s, "", `{"name":"ci2"}`)
		feed = newFeed()
		if r := f.call(&s, "POST", "/api/v1/auth/logout-everywhere", ""); r.Code != 204 || !works(tok.Token) || !feedWorks(feed) {
			t.Fatalf("plain sign-out everywhere: %d, token works %v, feed works %v", r.Code, works(tok.Token), feedWorks(feed))
		}
		s = f.signInAs(models.RoleRiskManager, "another new passphrase")
		if r := f.call(&s, "POST", "/api/v1/auth/logout-everywhere", `{"revoke_tokens":true}`); r.Code != 204 {
			t.Fatalf("sign-out everywhere with revoke_tokens: %d %s", r.Code, r.Body)
		}
		if works(tok.Token) || feedWorks(feed) {
			t.Fatal("token or feed survived sign-out everywhere with revoke_tokens")
		}
		var out models.AuditEvent
		if err := db.Gorm.Where("action = ?", "auth.sign_out_everywhere").Order("seq DESC").Take(&out).Error; err != nil || !strings.Contains(out.Detail, "revoked") {
			t.Fatalf("sign-out everywhere audit: %q %v", out.Detail, err)
		}
	})
}

func (f *fixture) signInAs(role models.Role, pw string) session {
	f.t.Helper()
	s, r := f.signIn(f.users[role].Email, pw)
	if r.Code != 200 {
		f.t.Fatalf("sign in as %s: %d %s", role, r.Code, r.Body)
	}
	return s
}

func cookieOf(t *testing.T, r response) string {
	t.Helper()
	for _, c := range r.Result().Cookies() {
		if c.Name == SessionCookie {
			return c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}
