package handlers

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"rampart/app/sso"
	"rampart/app/sso/ssotest"
	"rampart/models"
	"rampart/models/testdb"
)

// ssoWorld is Rampart on a real port (the provider sends the browser back
// to it) and a real OpenID provider (zitadel's) that knows four people.
type ssoWorld struct {
	f      *fixture
	base   string
	idp    *ssotest.Provider
	admin  session
	server *httptest.Server
}

func newSSOWorld(t *testing.T, db *models.DB, clientID string) *ssoWorld {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	f := newFixture(t, db, func(d *Deps) { d.BaseURL = base })
	srv := httptest.NewUnstartedServer(f.srv)
	_ = srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	idp := ssotest.Start(t, []ssotest.User{
		{ID: "u-ana", Username: "ana", Password: "pw-ana", Email: "ana@corp.test", EmailVerified: true, First: "Ana", Last: "Lima", Groups: []string{"rampart-risk"}},
		{ID: "u-risk", Username: "riskmgr", Password: "pw-risk", Email: "risk_manager@corp.test", EmailVerified: true, First: "Risky", Last: "Manager",
			Groups: []string{"rampart-auditors"}},
		{ID: "u-eve", Username: "eve", Password: "pw-eve", Email: "eve@corp.test", EmailVerified: false, First: "Eve", Groups: []string{"rampart-risk"}},
		{ID: "u-out", Username: "outsider", Password: "pw-out", Email: "out@corp.test", EmailVerified: true, First: "Out", Groups: []string{"marketing"}},
	}, ssotest.Client{ID: "rampart", Secret: "s3cret", Redirect: sso.CallbackURL(base, "corp")})
	w := &ssoWorld{f: f, base: base, idp: idp, server: srv, admin: f.as(models.RoleAdmin)}
	body := `{"slug":"corp","display_name":"Corp SSO","issuer":"` + idp.Issuer + `","client_id":"` + clientID + `","client_secret":"s3cret",
		"scopes":["email","profile","` + ssotest.GroupsScope + `"],"groups_claim":"groups",
		"role_mappings":[{"group":"rampart-risk","role":"risk_manager"},{"group":"rampart-auditors","role":"auditor"}],"allow_create":true}`
	if r := f.call(&w.admin, "POST", "/api/v1/settings/sso-providers", body); r.Code != 201 {
		t.Fatalf("provider: %d %s", r.Code, r.Body)
	}
	return w
}

// browser is a client with its own cookies.
func browser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

// signIn goes through the provider as username and returns where Rampart
// sent the browser and whether it holds a working session.
func (w *ssoWorld) signIn(t *testing.T, b *http.Client, username, password, returnTo string) (string, *userResponse) {
	t.Helper()
	start := w.base + "/api/v1/auth/sso/corp/start"
	if returnTo != "" {
		start += "?return_to=" + url.QueryEscape(returnTo)
	}
	resp, err := ssotest.SignIn(b, start, username, password)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	loc := resp.Header.Get("Location")
	if loc == "" {
		loc = resp.Request.URL.String()
	}
	me, err := b.Get(w.base + "/api/v1/auth/me")
	if err != nil {
		t.Fatal(err)
	}
	defer me.Body.Close()
	if me.StatusCode != 200 {
		return loc, nil
	}
	var out meResponse
	if err := json.NewDecoder(me.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return loc, &out.User
}

// TestSSOSignInThroughARealProvider: a person the provider vouches for is
// signed in (created at first sign-in with the role their group maps to,
// matched by subject after), lands on the path they asked for but never
// off-site, an existing user is matched by verified email and takes their
// group's role, and an unverified email, an unmapped group, a forged or
// replayed callback and a token for another client are all refused and
// audited.
func TestSSOSignInThroughARealProvider(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		w := newSSOWorld(t, db, "rampart")
		ctx := context.Background()

		buttons := decode[ssoButtonsResponse](t, w.f.call(nil, "GET", "/api/v1/auth/sso/providers", ""))
		if len(buttons.Items) != 1 || buttons.Items[0].DisplayName != "Corp SSO" {
			t.Fatalf("sign-in buttons: %+v", buttons)
		}

		b := browser(t)
		loc, me := w.signIn(t, b, "ana", "pw-ana", "/vendors?tier=1")
		if me == nil || me.Email != "ana@corp.test" || me.Role != models.RoleRiskManager || me.Name != "Ana Lima" {
			t.Fatalf("ana signed in as %+v", me)
		}
		if loc != "/vendors?tier=1" {
			t.Errorf("landed on %q", loc)
		}
		ana, err := models.UserByEmail(ctx, db.Gorm, "ana@corp.test")
		if err != nil {
			t.Fatal(err)
		}
		// A second sign-in finds her by subject: no second account.
		if _, me := w.signIn(t, browser(t), "ana", "pw-ana", "https://evil.test/phish"); me == nil || me.ID != ana.ID {
			t.Fatalf("second sign-in: %+v", me)
		}
		if loc, _ := w.signIn(t, browser(t), "ana", "pw-ana", "//evil.test/x"); loc != "/" {
			t.Errorf("a scheme-relative return_to led to %q", loc)
		}
		// A password sign-in is impossible for an account made by SSO.
		if r := w.f.call(nil, "POST", "/api/v1/auth/login", `{"email":"ana@corp.test","password":"!sso"}`); r.Code != 401 {
			t.Errorf("password sign-in of an SSO account: %d", r.Code)
		}

		// The fixture's risk manager exists; the provider's groups make them an auditor.
		if _, me := w.signIn(t, browser(t), "riskmgr", "pw-risk", ""); me == nil || me.ID != w.f.users[models.RoleRiskManager].ID || me.Role != models.RoleAuditor {
			t.Fatalf("existing user matched by email: %+v", me)
		}

		refusedWith := func(username, password, want string) {
			t.Helper()
			loc, me := w.signIn(t, browser(t), username, password, "")
			if me != nil || !strings.HasPrefix(loc, "/sign-in?sso_error=") {
				t.Fatalf("%s: landed on %q signed in as %+v", username, loc, me)
			}
			msg, _ := url.QueryUnescape(strings.TrimPrefix(loc, "/sign-in?sso_error="))
			if !strings.Contains(msg, want) {
				t.Errorf("%s: message %q, want %q", username, msg, want)
			}
		}
		refusedWith("eve", "pw-eve", "did not confirm your email")
		refusedWith("outsider", "pw-out", "in no group")

		// A callback this browser did not start (login CSRF), and a replay.
		b2 := browser(t)
		start, err := b2.Get(w.base + "/api/v1/auth/sso/corp/start")
		if err != nil {
			t.Fatal(err)
		}
		_ = start.Body.Close()
		for _, q := range []string{"?state=forged&code=x", "?code=x"} {
			r := w.f.call(nil, "GET", "/api/v1/auth/sso/corp/callback"+q, "")
			if r.Code != 303 || !strings.Contains(r.Header().Get("Location"), "sso_error=") {
				t.Errorf("callback %s: %d %s", q, r.Code, r.Header().Get("Location"))
			}
		}
		r := w.f.call(nil, "GET", "/api/v1/auth/sso/corp/callback?state=s1&code=x", "", "Cookie", ssoCookie+"=s1")
		if loc := r.Header().Get("Location"); !strings.Contains(loc, "expired+or+was+already+used") {
			t.Errorf("a state nobody started: %s", loc)
		}
		if r := w.f.call(nil, "GET", "/api/v1/auth/sso/nobody/start", ""); r.Code != 303 || !strings.Contains(r.Header().Get("Location"), "sso_error=") {
			t.Errorf("unknown provider: %d %s", r.Code, r.Header().Get("Location"))
		}

		var failures int64
		db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND actor_label = ?", "auth.sign_in_failed", "oidc:corp").Count(&failures)
		if failures < 5 {
			t.Errorf("%d refused SSO sign-ins audited, want at least 5", failures)
		}
		var ok []models.AuditEvent
		db.Gorm.Where("action = ? AND object_id = ?", "auth.sign_in", ana.ID).Find(&ok)
		if len(ok) != 3 || !strings.Contains(ok[0].Detail, "Corp SSO") {
			t.Errorf("ana's sign-ins audited: %+v", ok)
		}
		var roleChanges int64
		db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND object_id = ?", "user.role_change", w.f.users[models.RoleRiskManager].ID).Count(&roleChanges)
		if roleChanges != 1 {
			t.Errorf("%d role changes audited for the mapped user", roleChanges)
		}
	})
}

// TestSSOWithAClientTheProviderDoesNotKnow: Rampart configured with a
// client id the provider did not register gets no one signed in: the
// provider refuses the request and never sends the browser back.
func TestSSOWithAClientTheProviderDoesNotKnow(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		w := newSSOWorld(t, db, "someone-else")
		if loc, me := w.signIn(t, browser(t), "ana", "pw-ana", ""); me != nil || strings.HasPrefix(loc, w.base) {
			t.Fatalf("signed in with a client the provider does not know: %q %+v", loc, me)
		}
		var n int64
		db.Gorm.Model(&models.User{}).Where("email = ?", "ana@corp.test").Count(&n)
		if n != 0 {
			t.Fatal("an account was created")
		}
	})
}

// TestSSOProviderSettings: admins configure providers with per-field
// errors, the secret is never shown, a stale edit is a 409, and others
// may not change them.
func TestSSOProviderSettings(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		admin, rm := f.as(models.RoleAdmin), f.as(models.RoleRiskManager)
		for body, field := range map[string]string{
			`{"slug":"Bad Slug","display_name":"X","issuer":"https://idp.test","client_id":"c"}`:                                                                "slug",
			`{"slug":"x","display_name":"X","issuer":"http://idp.test","client_id":"c"}`:                                                                        "issuer",
			`{"slug":"x","display_name":"X","issuer":"https://idp.test","client_id":""}`:                                                                        "client_id",
			`{"slug":"x","display_name":"X","issuer":"https://idp.test","client_id":"c","role_mappings":[{"group":"g","role":"emperor"}]}`:                      "role_mappings[0].role",
			`{"slug":"x","display_name":"X","issuer":"https://idp.test","client_id":"c","default_role":"emperor"}`:                                              "default_role",
			`{"slug":"x","display_name":"<script>","issuer":"https://idp.test","client_id":"c","colour":"red"}`:                                                 "colour",
			`{"slug":"x","display_name":"` + strings.Repeat("x", 81) + `","issuer":"https://idp.test","client_id":"c"}`:                                         "display_name",
			`{"slug":"x","display_name":"X","issuer":"https://idp.test","client_id":"c","role_mappings":[{"group":"","role":"auditor"}]}`:                       "role_mappings[0].group",
			`{"slug":"x","display_name":"X","issuer":"javascript:alert(1)","client_id":"c"}`:                                                                    "issuer",
			`{"slug":"x","display_name":"X","issuer":"https://idp.test","client_id":"c","scopes":["openid"],"groups_claim":"` + strings.Repeat("g", 101) + `"}`: "groups_claim",
		} {
			r := f.call(&admin, "POST", "/api/v1/settings/sso-providers", body)
			if r.Code != 422 {
				t.Fatalf("%s: %d %s", body, r.Code, r.Body)
			}
			if p := decode[Problem](t, r); len(p.Errors) == 0 || p.Errors[0].Field != field {
				t.Errorf("%s: %+v, want %s", body, p.Errors, field)
			}
		}
		body := `{"slug":"okta","display_name":"Okta","issuer":"https://corp.okta.test","client_id":"0oa1","client_secret":"hush","default_role":"requester"}`
		if r := f.call(&rm, "POST", "/api/v1/settings/sso-providers", body); r.Code != 403 {
			t.Fatalf("risk manager adds a provider: %d", r.Code)
		}
		r := f.call(&admin, "POST", "/api/v1/settings/sso-providers", body)
		if r.Code != 201 || strings.Contains(r.Body.String(), "hush") {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		p := decode[ssoProviderResponse](t, r)
		if !p.ClientSecretSet || p.CallbackURL != "http://localhost:8080/api/v1/auth/sso/okta/callback" || strings.Join(p.Scopes, " ") != "openid email profile" {
			t.Fatalf("created: %+v", p)
		}
		if r := f.call(&admin, "POST", "/api/v1/settings/sso-providers", body); r.Code != 422 || !strings.Contains(r.Body.String(), `"slug"`) {
			t.Fatalf("the same slug again: %d %s", r.Code, r.Body)
		}
		if r := f.call(&rm, "GET", "/api/v1/settings/sso-providers/"+p.ID, ""); r.Code != 200 || strings.Contains(r.Body.String(), "hush") {
			t.Fatalf("risk manager reads: %d %s", r.Code, r.Body)
		}
		up := f.call(&admin, "PATCH", "/api/v1/settings/sso-providers/"+p.ID, `{"version":1,"enabled":false,"client_secret":""}`)
		if up.Code != 200 || decode[ssoProviderResponse](t, up).Enabled || !decode[ssoProviderResponse](t, up).ClientSecretSet {
			t.Fatalf("disable: %d %s", up.Code, up.Body)
		}
		if r := f.call(&admin, "PATCH", "/api/v1/settings/sso-providers/"+p.ID, `{"version":1,"display_name":"Stale"}`); r.Code != 409 {
			t.Fatalf("stale edit: %d %s", r.Code, r.Body)
		}
		if l := decode[ssoButtonsResponse](t, f.call(nil, "GET", "/api/v1/auth/sso/providers", "")); len(l.Items) != 0 {
			t.Fatalf("a disabled provider is offered: %+v", l)
		}
		var leaked int64
		db.Gorm.Model(&models.AuditEvent{}).Where("after_data LIKE ? OR before_data LIKE ? OR detail LIKE ?", "%hush%", "%hush%", "%hush%").Count(&leaked)
		if leaked != 0 {
			t.Error("the client secret is in the audit trail")
		}
		if r := f.call(&admin, "DELETE", "/api/v1/settings/sso-providers/"+p.ID, ""); r.Code != 204 {
			t.Fatalf("delete: %d", r.Code)
		}
		if r := f.call(&admin, "GET", "/api/v1/settings/sso-providers/"+p.ID, ""); r.Code != 404 {
			t.Fatalf("after delete: %d", r.Code)
		}
	})
}

// TestSSORefusesTamperedIDTokens: the provider's token answer carries an
// ID token that was forged (signed with another key), is for another
// audience, has expired, comes from another issuer or answers another
// sign-in (nonce): each is refused, nothing signs in, and the refusal is
// audited with its cause; the untouched token then works.
func TestSSORefusesTamperedIDTokens(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		w := newSSOWorld(t, db, "rampart")
		for name, tamper := range map[string]func(map[string]any) bool{
			"forged":        func(map[string]any) bool { return true },
			"audience":      func(c map[string]any) bool { c["aud"] = []string{"another-app"}; return false },
			"expired":       func(c map[string]any) bool { c["exp"] = time.Now().Add(-time.Hour).Unix(); return false },
			"issuer":        func(c map[string]any) bool { c["iss"] = "https://evil.test/"; return false },
			"nonce":         func(c map[string]any) bool { c["nonce"] = "someone-elses"; return false },
			"forged+fields": func(c map[string]any) bool { c["sub"] = "u-admin"; return true },
		} {
			w.idp.Tamper(tamper)
			loc, me := w.signIn(t, browser(t), "ana", "pw-ana", "")
			if me != nil || !strings.Contains(loc, "sso_error=") {
				t.Fatalf("%s ID token: landed on %q signed in as %+v", name, loc, me)
			}
		}
		var causes []string
		db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND actor_label = ?", "auth.sign_in_failed", "oidc:corp").Order("seq").Pluck("detail", &causes)
		joined := strings.Join(causes, "\n")
		for _, want := range []string{"id_token_invalid", "nonce_mismatch"} {
			if !strings.Contains(joined, want) {
				t.Errorf("no refusal audited as %s: %s", want, joined)
			}
		}
		if len(causes) != 6 {
			t.Errorf("%d refusals audited, want 6", len(causes))
		}
		var n int64
		db.Gorm.Model(&models.User{}).Where("email = ?", "ana@corp.test").Count(&n)
		if n != 0 {
			t.Fatal("a tampered token created an account")
		}
		w.idp.Tamper(nil)
		if _, me := w.signIn(t, browser(t), "ana", "pw-ana", ""); me == nil {
			t.Fatal("the untouched token did not sign in")
		}
	})
}
