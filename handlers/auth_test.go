package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"

	"rampart/app/auth"
	"rampart/app/authz"
	"rampart/app/password"
	"rampart/models"
	"rampart/models/testdb"
)

const testPassword = "correct horse battery"

var testHash = sync.OnceValue(func() string {
	h, err := password.Hash(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// clock is a settable time source for session and throttling tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// fixture is a server on a fresh database with one user per role.
type fixture struct {
	t     *testing.T
	db    *models.DB
	srv   *Server
	clock *clock
	users map[models.Role]*models.User
	// peers gives the requests to a path (a portal link) a remote address
	// of their own, as different people's browsers have: the portal's rate
	// limit is per address, and a long scenario with several contacts
	// would otherwise spend one address's allowance.
	peers map[string]string
}

func (f *fixture) serve(rec *httptest.ResponseRecorder, req *http.Request) {
	for prefix, addr := range f.peers {
		if p := req.URL.Path; p == prefix || strings.HasPrefix(p, prefix+"/") {
			req.RemoteAddr = addr
		}
	}
	f.srv.ServeHTTP(rec, req)
}

func newFixture(t *testing.T, db *models.DB, mutate ...func(*Deps)) *fixture {
	t.Helper()
	f := &fixture{t: t, db: db, clock: &clock{t: time.Now().UTC()}, users: map[models.Role]*models.User{}}
	policy := auth.Policy{IdleTimeout: time.Hour, Lifetime: 8 * time.Hour, Window: 10 * time.Minute, MaxPerAccountAddr: 3, MaxPerClientAddr: 10, MaxPerAccount: 6}
	f.srv = newTestServer(t, db, append([]func(*Deps){func(d *Deps) {
		d.Auth = &auth.Service{DB: db.Gorm, Policy: policy, Now: f.clock.now}
		d.Now = f.clock.now
	}}, mutate...)...)
	for _, r := range models.Roles {
		u := &models.User{Email: string(r) + "@corp.test", Name: "The " + string(r), Role: r, Active: true, PasswordHash: testHash()}
		if err := models.CreateUser(context.Background(), db.Gorm, u); err != nil {
			t.Fatal(err)
		}
		f.users[r] = u
	}
	return f
}

// session is a signed-in browser: its cookie and CSRF token.
type session struct {
	cookie, csrf string
}

func (f *fixture) signIn(email, pw string) (session, response) {
	f.t.Helper()
	r := f.call(nil, "POST", "/api/v1/auth/login", fmt.Sprintf(`{"email":%q,"password":%q}`, email, pw))
	if r.Code != 200 {
		return session{}, r
	}
	var me meResponse
	if err := json.Unmarshal(r.Body.Bytes(), &me); err != nil {
		f.t.Fatal(err)
	}
	for _, c := range r.Result().Cookies() {
		if c.Name == SessionCookie {
			return session{cookie: c.Value, csrf: me.CSRFToken}, r
		}
	}
	f.t.Fatalf("sign-in set no %s cookie", SessionCookie)
	return session{}, r
}

func (f *fixture) as(role models.Role) session {
	f.t.Helper()
	s, r := f.signIn(f.users[role].Email, testPassword)
	if r.Code != 200 {
		f.t.Fatalf("sign in as %s: %d %s", role, r.Code, r.Body)
	}
	return s
}

// call sends a request with the session's cookie and CSRF token (if any)
// and JSON content; extra headers are name/value pairs.
func (f *fixture) call(s *session, method, path, body string, headers ...string) response {
	f.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if s != nil {
		req.AddCookie(&http.Cookie{Name: SessionCookie, Value: s.cookie})
		if !isSafeMethod(method) {
			req.Header.Set("X-CSRF-Token", s.csrf)
		}
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	rec := httptest.NewRecorder()
	f.serve(rec, req)
	return response{rec, f.t}
}

func decode[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %T: %v: %s", v, err, r.Body)
	}
	return v
}

// TestRoleRouteMatrix calls every registered API route anonymously and as
// each role, and checks the answer against the permission table: 401 for
// anonymous, 403 where the role lacks the permission, and otherwise
// anything but 401/403. Routes come from the router itself, so a route
// added without a table entry is caught here (and New refuses one with no
// permission at all).
func TestRoleRouteMatrix(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		// The scoped column: a risk manager scoped to unit A calls every
		// route with unit B's objects in place of :id.
		w := newUnitWorld(t, db)
		f := w.f
		table := map[string]route{}
		for _, rt := range f.srv.routes() {
			table[rt.method+" "+rt.path] = rt
		}
		sessions := map[models.Role]session{}
		for _, r := range models.Roles {
			sessions[r] = f.as(r)
		}
		checked := 0
		for _, er := range f.srv.Echo().Routes() {
			if er.Path == "/*" {
				continue
			}
			if er.Path == scimBase+"/*" {
				// SCIM opens to a provider's SCIM token only: no session of
				// any role, anonymous or not (TestSCIMProvisioning covers the
				// token itself).
				for _, path := range []string{scimBase + "/Users", scimBase + "/Groups/x", scimBase + "/ServiceProviderConfig"} {
					if r := f.call(nil, er.Method, path, "{}"); r.Code != 401 {
						t.Errorf("anonymous %s %s = %d, want 401", er.Method, path, r.Code)
					}
					for _, role := range models.Roles {
						s := sessions[role]
						if r := f.call(&s, er.Method, path, "{}"); r.Code != 401 {
							t.Errorf("%s %s %s = %d, want 401", role, er.Method, path, r.Code)
						}
						checked++
					}
				}
				continue
			}
			rt, ok := table[er.Method+" "+er.Path]
			if !ok {
				t.Errorf("%s %s is served but not in the route table (no permission entry)", er.Method, er.Path)
				continue
			}
			path := strings.NewReplacer(":id", f.users[models.RoleAuditor].ID).Replace(rt.path)
			body := ""
			if !isSafeMethod(rt.method) {
				body = "{}"
			}
			anon := f.call(nil, rt.method, path, body)
			if rt.perm == authz.Public {
				if anon.Code == 401 || anon.Code == 403 {
					t.Errorf("anonymous %s %s = %d on a public route", rt.method, rt.path, anon.Code)
				}
			} else if anon.Code != 401 {
				t.Errorf("anonymous %s %s = %d, want 401", rt.method, rt.path, anon.Code)
			}
			for _, role := range models.Roles {
				s := sessions[role]
				r := f.call(&s, rt.method, path, body)
				allowed := rt.perm == authz.Public || authz.Can(role, rt.perm)
				switch {
				case !allowed && r.Code != 403:
					t.Errorf("%s %s %s = %d, want 403", role, rt.method, rt.path, r.Code)
				case allowed && (r.Code == 401 || r.Code == 403):
					t.Errorf("%s %s %s = %d, want access (%s)", role, rt.method, rt.path, r.Code, r.Body)
				}
				if !allowed && strings.Contains(r.Body.String(), "@corp.test") {
					t.Errorf("%s %s %s leaked data in a refusal: %s", role, rt.method, rt.path, r.Body)
				}
				if strings.HasPrefix(rt.path, "/api/v1/auth/") && rt.method == post && rt.perm != authz.Public {
					sessions[role] = f.as(role) // that call may have ended the session
				}
				if strings.HasPrefix(rt.path, "/api/v1/users/:id/") && !isSafeMethod(rt.method) {
					// An administrator's reset or ending of sessions ended the auditor's.
					sessions[models.RoleAuditor] = f.as(models.RoleAuditor)
				}
				checked++
			}
			w.checkScoped(t, rt)
		}
		if checked < 5*15 {
			t.Fatalf("only %d role x route checks ran", checked)
		}
		var denied int64
		db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND outcome = ?", "access.denied", models.OutcomeDenied).Count(&denied)
		if denied == 0 {
			t.Error("refused requests were not recorded in the audit trail")
		}
	})
}

func TestSignInSessionAndCookie(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db, func(d *Deps) { d.CookieSecure = true })
		r := f.call(nil, "POST", "/api/v1/auth/login", `{"email":"ADMIN@corp.test","password":"`+testPassword+`"}`)
		if r.Code != 200 {
			t.Fatalf("login: %d %s", r.Code, r.Body)
		}
		var ck *http.Cookie
		for _, c := range r.Result().Cookies() {
			if c.Name == SessionCookie {
				ck = c
			}
		}
		if ck == nil || !ck.HttpOnly || !ck.Secure || ck.SameSite != http.SameSiteLaxMode || len(ck.Value) < 40 {
			t.Fatalf("session cookie %+v", ck)
		}
		me := decode[meResponse](t, r)
		if me.User.Email != "admin@corp.test" || me.CSRFToken == "" || me.User.LastLoginAt == nil || len(me.Permissions) == 0 {
			t.Fatalf("me = %+v", me)
		}
		// The cookie value is not what the database stores.
		var stored int64
		db.Gorm.Model(&models.Session{}).Where("id = ?", ck.Value).Count(&stored)
		if stored != 0 {
			t.Fatal("the session table holds the raw cookie value")
		}
		s := session{cookie: ck.Value, csrf: me.CSRFToken}
		if r := f.call(&s, "GET", "/api/v1/auth/me", ""); r.Code != 200 || decode[meResponse](t, r).CSRFToken != me.CSRFToken {
			t.Fatalf("me with the session: %d %s", r.Code, r.Body)
		}
		// Rotation: a second sign-in gets a different session.
		s2, _ := f.signIn("admin@corp.test", testPassword)
		if s2.cookie == s.cookie || s2.csrf == s.csrf {
			t.Fatal("sign-in reused a session id or CSRF token")
		}
		if r := f.call(&s, "POST", "/api/v1/auth/logout", ""); r.Code != 204 {
			t.Fatalf("logout: %d %s", r.Code, r.Body)
		}
		if r := f.call(&s, "GET", "/api/v1/auth/me", ""); r.Code != 401 {
			t.Fatalf("me after logout: %d", r.Code)
		}
		if r := f.call(&s2, "GET", "/api/v1/auth/me", ""); r.Code != 200 {
			t.Fatalf("the other session ended with this one: %d", r.Code)
		}
	})
}

func TestCSRFAndCrossSiteRequests(t *testing.T) {
	f := newFixture(t, testdb.Open(t, models.SQLite))
	s := f.as(models.RoleAdmin)
	body := `{"name":"New name","version":1}`
	for _, c := range []struct {
		name    string
		headers []string
		want    int
	}{
		{"no CSRF header", []string{"X-CSRF-Token", ""}, 403},
		{"wrong CSRF header", []string{"X-CSRF-Token", "forged"}, 403},
		{"cross-site origin", []string{"Origin", "https://evil.example"}, 403},
		{"null origin", []string{"Origin", "null"}, 403},
		{"cross-site fetch metadata", []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"form content type", []string{"Content-Type", "text/plain"}, 415},
		{"same origin with token", []string{"Origin", "http://localhost:8080", "Sec-Fetch-Site", "same-origin"}, 200},
	} {
		r := f.call(&s, "PATCH", "/api/v1/auth/me", body, c.headers...)
		if r.Code != c.want {
			t.Errorf("%s: %d, want %d (%s)", c.name, r.Code, c.want, r.Body)
		}
		if r.Code == 200 {
			body = `{"name":"New name","version":2}`
		}
	}
	// A forged sign-in from another site (login CSRF) is refused too.
	r := f.call(nil, "POST", "/api/v1/auth/login", `{"email":"admin@corp.test","password":"`+testPassword+`"}`, "Origin", "https://evil.example")
	if r.Code != 403 {
		t.Errorf("cross-site sign-in: %d", r.Code)
	}
}

func TestSessionTimeouts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		s := f.as(models.RoleLegal)
		f.clock.add(50 * time.Minute)
		if r := f.call(&s, "GET", "/api/v1/auth/me", ""); r.Code != 200 {
			t.Fatalf("active session within the idle timeout: %d", r.Code)
		}
		f.clock.add(61 * time.Minute)
		r := f.call(&s, "GET", "/api/v1/auth/me", "")
		if r.Code != 401 {
			t.Fatalf("after the idle timeout: %d", r.Code)
		}
		r.problem()

		// Absolute lifetime: active every 30 minutes, still ends after 8 hours.
		s = f.as(models.RoleLegal)
		for i := 0; i < 15; i++ {
			f.clock.add(30 * time.Minute)
			if r := f.call(&s, "GET", "/api/v1/auth/me", ""); r.Code != 200 {
				t.Fatalf("active session ended after %d half-hours: %d", i+1, r.Code)
			}
		}
		f.clock.add(31 * time.Minute)
		if r := f.call(&s, "GET", "/api/v1/auth/me", ""); r.Code != 401 {
			t.Fatalf("after the absolute lifetime: %d", r.Code)
		}
	})
}

func TestPasswordChangeRevokesOtherSessions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		a, b := f.as(models.RoleRiskManager), f.as(models.RoleRiskManager)
		for body, field := range map[string]string{
			`{"current_password":"wrong password!!","new_password":"a brand new passphrase"}`: "current_password",
			`{"current_password":"` + testPassword + `","new_password":"short"}`:              "new_password",
			`{"current_password":"` + testPassword + `","new_password":"password1234"}`:       "new_password",
		} {
			r := f.call(&a, "POST", "/api/v1/auth/password", body)
			if r.Code != 422 || len(r.problem().Errors) != 1 || r.problem().Errors[0].Field != field {
				t.Fatalf("%s: %d %s", body, r.Code, r.Body)
			}
		}
		r := f.call(&a, "POST", "/api/v1/auth/password", `{"current_password":"`+testPassword+`","new_password":"a brand new passphrase"}`)
		if r.Code != 200 {
			t.Fatalf("change: %d %s", r.Code, r.Body)
		}
		var fresh session
		for _, c := range r.Result().Cookies() {
			if c.Name == SessionCookie {
				fresh = session{cookie: c.Value, csrf: decode[meResponse](t, r).CSRFToken}
			}
		}
		for name, s := range map[string]session{"old session": a, "other session": b} {
			if r := f.call(&s, "GET", "/api/v1/auth/me", ""); r.Code != 401 {
				t.Errorf("%s after the password change: %d", name, r.Code)
			}
		}
		if r := f.call(&fresh, "GET", "/api/v1/auth/me", ""); r.Code != 200 {
			t.Errorf("rotated session: %d", r.Code)
		}
		if _, r := f.signIn("risk_manager@corp.test", testPassword); r.Code != 401 {
			t.Errorf("old password still works: %d", r.Code)
		}
		if _, r := f.signIn("risk_manager@corp.test", "a brand new passphrase"); r.Code != 200 {
			t.Errorf("new password refused: %d", r.Code)
		}
		// Sign out everywhere ends this session too.
		if r := f.call(&fresh, "POST", "/api/v1/auth/logout-everywhere", ""); r.Code != 204 {
			t.Fatalf("logout-everywhere: %d", r.Code)
		}
		if r := f.call(&fresh, "GET", "/api/v1/auth/me", ""); r.Code != 401 {
			t.Errorf("session survived sign-out everywhere: %d", r.Code)
		}
	})
}

func TestNoAccountEnumerationAndThrottling(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		strip := func(r response) string {
			p := r.problem()
			p.RequestID = ""
			b, _ := json.Marshal(p)
			return fmt.Sprint(r.Code, string(b))
		}
		_, unknown := f.signIn("nobody@corp.test", testPassword)
		_, wrong := f.signIn("legal@corp.test", "not the password")
		if unknown.Code != 401 || strip(unknown) != strip(wrong) {
			t.Fatalf("unknown email %s vs wrong password %s", strip(unknown), strip(wrong))
		}
		if !strings.Contains(unknown.problem().Detail, "Email or password is incorrect") {
			t.Fatalf("detail %q", unknown.problem().Detail)
		}
		// Limit is 3 failures per account; legal@ has had one.
		for i := 2; i <= 3; i++ {
			if _, r := f.signIn("legal@corp.test", "not the password"); r.Code != 401 {
				t.Fatalf("failure %d: %d", i, r.Code)
			}
		}
		_, r := f.signIn("legal@corp.test", testPassword)
		if r.Code != 429 || r.Header().Get("Retry-After") == "" {
			t.Fatalf("throttled account with the right password: %d Retry-After %q", r.Code, r.Header().Get("Retry-After"))
		}
		// X-Forwarded-For from a peer that is not a trusted proxy does not
		// change the address, so it does not reach a fresh counter.
		r = f.call(nil, "POST", "/api/v1/auth/login", `{"email":"legal@corp.test","password":"`+testPassword+`"}`, "X-Forwarded-For", "203.0.113.5")
		if r.Code != 429 {
			t.Fatalf("throttled address behind a forged X-Forwarded-For: %d", r.Code)
		}
		f.clock.add(11 * time.Minute)
		if _, r := f.signIn("legal@corp.test", testPassword); r.Code != 200 {
			t.Fatalf("after the window: %d %s", r.Code, r.Body)
		}
		// Per-address limit (10): failures across many accounts.
		for i := 0; i < 10; i++ {
			f.signIn(fmt.Sprintf("spray%d@corp.test", i), "guess guess guess")
		}
		if _, r := f.signIn("auditor@corp.test", testPassword); r.Code != 429 {
			t.Fatalf("address over its limit: %d", r.Code)
		}
	})
}

func TestAPITokens(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		s := f.as(models.RoleAdmin)
		create := func(body string) createdTokenResponse {
			r := f.call(&s, "POST", "/api/v1/api-tokens", body)
			if r.Code != 201 {
				t.Fatalf("create token %s: %d %s", body, r.Code, r.Body)
			}
			return decode[createdTokenResponse](t, r)
		}
		full := create(`{"name":"CI sync"}`)
		ro := create(`{"name":"Dashboard","read_only":true}`)
		if !strings.HasPrefix(full.Token, "rmp_") || full.Prefix != full.Token[:12] {
			t.Fatalf("token %q prefix %q", full.Token, full.Prefix)
		}
		bearer := func(tok, method, path, body string) response {
			return f.call(nil, method, path, body, "Authorization", "Bearer "+tok)
		}
		if r := bearer(full.Token, "GET", "/api/v1/users", ""); r.Code != 200 {
			t.Fatalf("token read: %d", r.Code)
		}
		// Tokens need no CSRF header and may write with the owner's rights.
		if r := bearer(full.Token, "POST", "/api/v1/users", `{"email":"new@corp.test","name":"New","role":"legal","password":"a long enough passphrase"}`); r.Code != 201 {
			t.Fatalf("token write: %d %s", r.Code, r.Body)
		}
		if r := bearer(ro.Token, "GET", "/api/v1/audit-events", ""); r.Code != 200 {
			t.Fatalf("read-only token read: %d", r.Code)
		}
		if r := bearer(ro.Token, "POST", "/api/v1/users", `{"email":"x@corp.test","name":"X","role":"legal","password":"a long enough passphrase"}`); r.Code != 403 {
			t.Fatalf("read-only token write: %d", r.Code)
		}
		list := decode[listResponse[tokenResponse]](t, f.call(&s, "GET", "/api/v1/api-tokens", ""))
		if list.Total != 2 || list.Items[0].LastUsedAt == nil || strings.Contains(fmt.Sprint(list), full.Token) {
			t.Fatalf("token list %+v", list)
		}
		// Another user cannot see or revoke the admin's tokens.
		other := f.as(models.RoleRiskManager)
		if l := decode[listResponse[tokenResponse]](t, f.call(&other, "GET", "/api/v1/api-tokens", "")); l.Total != 0 {
			t.Fatalf("another user sees %d tokens", l.Total)
		}
		if r := f.call(&other, "DELETE", "/api/v1/api-tokens/"+full.ID, ""); r.Code != 404 {
			t.Fatalf("revoking another user's token: %d", r.Code)
		}
		if r := f.call(&s, "DELETE", "/api/v1/api-tokens/"+full.ID, ""); r.Code != 204 {
			t.Fatalf("revoke: %d", r.Code)
		}
		if r := bearer(full.Token, "GET", "/api/v1/users", ""); r.Code != 401 {
			t.Fatalf("revoked token: %d", r.Code)
		}
		exp := create(fmt.Sprintf(`{"name":"Short","expires_at":%q}`, f.clock.now().Add(time.Hour).Format(time.RFC3339)))
		f.clock.add(2 * time.Hour)
		if r := bearer(exp.Token, "GET", "/api/v1/users", ""); r.Code != 401 {
			t.Fatalf("expired token: %d", r.Code)
		}
		for _, bad := range []string{"Bearer rmp_forged", "Basic YWRtaW46YWRtaW4=", "Bearer " + strings.Repeat("x", 500)} {
			if r := f.call(nil, "GET", "/api/v1/users", "", "Authorization", bad); r.Code != 401 {
				t.Errorf("%q: %d", bad[:12], r.Code)
			}
		}
		s = f.as(models.RoleAdmin)
		if r := f.call(&s, "POST", "/api/v1/api-tokens", `{"name":"Past","expires_at":"2001-01-01T00:00:00Z"}`); r.Code != 422 {
			t.Fatalf("token expiring in the past: %d", r.Code)
		}
	})
}

func TestSignInRehashesOldParameters(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		weak, err := argon2id.CreateHash(testPassword, &argon2id.Params{Memory: 8 * 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32})
		if err != nil {
			t.Fatal(err)
		}
		id := f.users[models.RoleLegal].ID
		db.Gorm.Model(&models.User{}).Where("id = ?", id).Update("password_hash", weak)
		if _, r := f.signIn("legal@corp.test", testPassword); r.Code != 200 {
			t.Fatalf("sign in with an old-parameter hash: %d", r.Code)
		}
		u, _ := models.UserByID(context.Background(), db.Gorm, id)
		if u.PasswordHash == weak || !strings.HasPrefix(u.PasswordHash, "$argon2id$v=19$m=19456,t=2,p=1$") || u.Version != 1 {
			t.Fatalf("hash after sign-in: %s (version %d)", u.PasswordHash[:30], u.Version)
		}
		if _, r := f.signIn("legal@corp.test", testPassword); r.Code != 200 {
			t.Fatal("the rehashed password no longer verifies")
		}
	})
}
