package handlers

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"rampart/app/authz"
	"rampart/app/notify"
	"rampart/models"
	"rampart/models/testdb"
)

// enrol turns MFA on for the session's user and returns the secret and
// the recovery codes.
func (f *fixture) enrol(s *session) (string, []string) {
	f.t.Helper()
	r := f.call(s, "POST", "/api/v1/auth/mfa/totp/setup", "")
	if r.Code != 200 {
		f.t.Fatalf("setup: %d %s", r.Code, r.Body)
	}
	setup := decode[totpSetupResponse](f.t, r)
	if !strings.HasPrefix(setup.QRCode, "data:image/png;base64,") || !strings.HasPrefix(setup.OtpauthURL, "otpauth://totp/") {
		f.t.Fatalf("setup answer: %+v", setup)
	}
	code, _ := totp.GenerateCode(setup.Secret, f.clock.now())
	r = f.call(s, "POST", "/api/v1/auth/mfa/totp/confirm", fmt.Sprintf(`{"code":%q}`, code))
	if r.Code != 200 {
		f.t.Fatalf("confirm: %d %s", r.Code, r.Body)
	}
	codes := decode[recoveryCodesResponse](f.t, r).RecoveryCodes
	if len(codes) != 10 {
		f.t.Fatalf("recovery codes: %v", codes)
	}
	return setup.Secret, codes
}

// passwordStep signs in with the password and returns the MFA cookie.
func (f *fixture) passwordStep(email string) string {
	f.t.Helper()
	r := f.call(nil, "POST", "/api/v1/auth/login", fmt.Sprintf(`{"email":%q,"password":%q}`, email, testPassword))
	if r.Code != 202 || !strings.Contains(r.Body.String(), `"mfa_required":true`) {
		f.t.Fatalf("password step: %d %s", r.Code, r.Body)
	}
	for _, c := range r.Result().Cookies() {
		if c.Name == SessionCookie {
			f.t.Fatal("the password step alone set a session cookie")
		}
		if c.Name == MFACookie {
			return c.Value
		}
	}
	f.t.Fatal("no MFA cookie")
	return ""
}

func (f *fixture) codeStep(challenge, code string) response {
	f.t.Helper()
	return f.call(nil, "POST", "/api/v1/auth/login/mfa", fmt.Sprintf(`{"code":%q}`, code), "Cookie", MFACookie+"="+challenge)
}

func sessionFrom(t *testing.T, r response) session {
	t.Helper()
	for _, c := range r.Result().Cookies() {
		if c.Name == SessionCookie {
			return session{cookie: c.Value, csrf: decode[meResponse](t, r).CSRFToken}
		}
	}
	t.Fatalf("no session cookie: %d %s", r.Code, r.Body)
	return session{}
}

func (f *fixture) auditCount(action string) int64 {
	var n int64
	if err := f.db.Gorm.Model(&models.AuditEvent{}).Where("action = ?", action).Count(&n).Error; err != nil {
		f.t.Fatal(err)
	}
	return n
}

func TestTOTPEnrolAndTwoStepSignIn(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		email := f.users[models.RoleRiskManager].Email
		secret, codes := f.enrol(&risk)
		if f.auditCount("mfa.enrol") != 1 {
			t.Fatal("enrolment not audited")
		}

		// The password alone opens no session.
		ch := f.passwordStep(email)
		if r := f.call(nil, "GET", "/api/v1/auth/me", "", "Cookie", MFACookie+"="+ch); r.Code != 401 {
			t.Fatalf("MFA cookie as a session: %d", r.Code)
		}
		// The code of the enrolment step was used up: the next step signs in.
		f.clock.add(30 * time.Second)
		code, _ := totp.GenerateCode(secret, f.clock.now())
		r := f.codeStep(ch, code)
		if r.Code != 200 {
			t.Fatalf("code step: %d %s", r.Code, r.Body)
		}
		s := sessionFrom(t, r)
		if r := f.call(&s, "GET", "/api/v1/vendors", ""); r.Code != 200 {
			t.Fatalf("signed in with TOTP: %d", r.Code)
		}
		// The challenge is spent.
		if r := f.codeStep(ch, code); r.Code != 401 || r.problem().Type != typeMFAChallengeExpired {
			t.Fatalf("challenge reused: %d %s", r.Code, r.Body)
		}

		// Replay: the same code in a new sign-in within its window is refused.
		ch = f.passwordStep(email)
		if r := f.codeStep(ch, code); r.Code != 422 {
			t.Fatalf("replayed code: %d %s", r.Code, r.Body)
		}
		var ev models.AuditEvent
		db.Gorm.Where("action = ?", "auth.mfa_failed").Order("id DESC").Take(&ev)
		if ev.Detail != "authenticator code already used" {
			t.Fatalf("replay audit: %+v", ev)
		}

		// A recovery code works once.
		if r := f.codeStep(ch, strings.ToUpper(codes[0])); r.Code != 200 {
			t.Fatalf("recovery code: %d %s", r.Code, r.Body)
		}
		if f.auditCount("mfa.recovery_code_used") != 1 {
			t.Fatal("recovery code use not audited")
		}
		ch = f.passwordStep(email)
		if r := f.codeStep(ch, codes[0]); r.Code != 422 {
			t.Fatalf("recovery code reused: %d", r.Code)
		}
		if r := f.codeStep(ch, codes[1]); r.Code != 200 {
			t.Fatalf("second recovery code: %d %s", r.Code, r.Body)
		}

		// The challenge expires.
		ch = f.passwordStep(email)
		f.clock.add(6 * time.Minute)
		code, _ = totp.GenerateCode(secret, f.clock.now())
		if r := f.codeStep(ch, code); r.Code != 401 {
			t.Fatalf("expired challenge: %d", r.Code)
		}
	})
}

func TestMFAWrongCodesAreThrottled(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		legal := f.as(models.RoleLegal)
		secret, _ := f.enrol(&legal)
		email := f.users[models.RoleLegal].Email
		ch := f.passwordStep(email)
		for i := range 5 {
			if r := f.codeStep(ch, "000000"); r.Code != 422 {
				t.Fatalf("wrong code %d: %d %s", i, r.Code, r.Body)
			}
		}
		f.clock.add(30 * time.Second)
		code, _ := totp.GenerateCode(secret, f.clock.now())
		r := f.codeStep(ch, code)
		if r.Code != 429 || r.Header().Get("Retry-After") == "" {
			t.Fatalf("sixth try, right code: %d %s", r.Code, r.Body)
		}
		if f.auditCount("auth.mfa_failed") < 6 {
			t.Fatal("failed verifications not audited")
		}
		// The window ends; a fresh sign-in with the right code works.
		f.clock.add(11 * time.Minute)
		ch = f.passwordStep(email)
		code, _ = totp.GenerateCode(secret, f.clock.now())
		if r := f.codeStep(ch, code); r.Code != 200 {
			t.Fatalf("after the window: %d %s", r.Code, r.Body)
		}
	})
}

// A session that must enrol MFA or change its password reaches nothing
// but what finishes that state: every other route in the table is 403
// with the state's problem type.
func TestPendingStatesBlockEveryOtherRoute(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		admin := f.as(models.RoleAdmin)
		r := f.call(&admin, "PUT", "/api/v1/settings/security", `{"mfa_required_roles":["risk_manager"],"version":1}`)
		if r.Code != 200 {
			t.Fatalf("policy: %d %s", r.Code, r.Body)
		}
		if r := f.call(&admin, "PUT", "/api/v1/settings/security", `{"mfa_required_roles":["nope"],"version":2}`); r.Code != 422 {
			t.Fatalf("unknown role: %d", r.Code)
		}
		if r := f.call(&admin, "PUT", "/api/v1/settings/security", `{"mfa_required_roles":[],"version":1}`); r.Code != 409 {
			t.Fatalf("stale policy: %d", r.Code)
		}
		r = f.call(&admin, "POST", "/api/v1/users", `{"email":"temp@corp.test","name":"Temp","role":"requester","password":"a temporary passphrase"}`)
		if r.Code != 201 || !decode[userResponse](t, r).MustChangePassword {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}

		risk := f.as(models.RoleRiskManager)
		temp, r := f.signIn("temp@corp.test", "a temporary passphrase")
		if r.Code != 200 || decode[meResponse](t, r).Pending != "password_change" {
			t.Fatalf("temporary password sign-in: %d %s", r.Code, r.Body)
		}
		states := []struct {
			s       session
			typ     string
			allowed map[string]bool
		}{
			{risk, typeMFAEnrolmentRequired, map[string]bool{"GET /api/v1/auth/me": true, "POST /api/v1/auth/logout": true, "GET /api/v1/auth/mfa": true, "POST /api/v1/auth/mfa/totp/setup": true, "POST /api/v1/auth/mfa/totp/confirm": true,
				// A passkey satisfies the policy too.
				"GET /api/v1/auth/passkeys": true, "POST /api/v1/auth/passkeys/register/begin": true, "POST /api/v1/auth/passkeys/register/finish": true}},
			{temp, typePasswordChangeRequired, map[string]bool{"GET /api/v1/auth/me": true, "POST /api/v1/auth/logout": true, "POST /api/v1/auth/password": true}},
		}
		for _, st := range states {
			for _, rt := range f.srv.routes() {
				if rt.perm == authz.Public || !strings.HasPrefix(rt.path, "/api/") {
					continue
				}
				key := rt.method + " " + rt.path
				if st.allowed[key] {
					continue
				}
				body := ""
				if !isSafeMethod(rt.method) {
					body = "{}"
				}
				s := st.s
				r := f.call(&s, rt.method, strings.ReplaceAll(rt.path, ":id", f.users[models.RoleAuditor].ID), body)
				if r.Code != 403 || r.problem().Type != st.typ {
					t.Errorf("%s during %s: %d %s", key, st.typ, r.Code, r.Body)
				}
			}
		}

		// Enrolment lifts the block; the policy forbids turning MFA off.
		f.enrol(&risk)
		if r := f.call(&risk, "GET", "/api/v1/vendors", ""); r.Code != 200 {
			t.Fatalf("after enrolment: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "POST", "/api/v1/auth/mfa/totp/disable", fmt.Sprintf(`{"password":%q}`, testPassword)); r.Code != 422 {
			t.Fatalf("disable under policy: %d", r.Code)
		}
		// The forced change lifts the other.
		r = f.call(&temp, "POST", "/api/v1/auth/password", `{"current_password":"a temporary passphrase","new_password":"my very own passphrase"}`)
		if r.Code != 200 || decode[meResponse](t, r).Pending != "" {
			t.Fatalf("forced change: %d %s", r.Code, r.Body)
		}
		temp = sessionFrom(t, r)
		if r := f.call(&temp, "GET", "/api/v1/requests", ""); r.Code != 200 {
			t.Fatalf("after change: %d %s", r.Code, r.Body)
		}
	})
}

var linkToken = regexp.MustCompile(`/reset-password#token=([A-Za-z0-9_-]+)`)

func TestPasswordResetByLink(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db, func(d *Deps) {
			d.Notify = &notify.Notifier{Mode: notify.MailOn, BaseURL: d.BaseURL, Now: d.Now}
		})
		email := f.users[models.RoleLegal].Email
		old := f.as(models.RoleLegal)
		known := f.call(nil, "POST", "/api/v1/auth/password-reset", fmt.Sprintf(`{"email":%q}`, strings.ToUpper(email)))
		unknown := f.call(nil, "POST", "/api/v1/auth/password-reset", `{"email":"nobody@corp.test"}`)
		if known.Code != 202 || unknown.Code != 202 || known.Body.String() != unknown.Body.String() {
			t.Fatalf("answers differ: %d %s / %d %s", known.Code, known.Body, unknown.Code, unknown.Body)
		}
		if n := len(f.outbox("nobody@corp.test")); n != 0 {
			t.Fatal("mail to an unknown address")
		}
		mails := f.outbox(email)["account.password_reset"]
		if len(mails) != 1 {
			t.Fatalf("reset mails: %d", len(mails))
		}
		m := linkToken.FindStringSubmatch(mails[0].TextBody)
		if m == nil {
			t.Fatalf("no link in %q", mails[0].TextBody)
		}
		var stored models.PasswordReset
		db.Gorm.Take(&stored)
		if strings.Contains(stored.TokenHash, m[1]) || stored.TokenHash == m[1] {
			t.Fatal("token stored in clear")
		}
		confirm := func(token, pw string) response {
			return f.call(nil, "POST", "/api/v1/auth/password-reset/confirm", fmt.Sprintf(`{"token":%q,"new_password":%q}`, token, pw))
		}
		if r := confirm("unknown-token", "a brand new passphrase"); r.Code != 422 || r.problem().Errors[0].Field != "token" {
			t.Fatalf("unknown token: %d %s", r.Code, r.Body)
		}
		if r := confirm(m[1], "a brand new passphrase"); r.Code != 204 {
			t.Fatalf("reset: %d %s", r.Code, r.Body)
		}
		if r := f.call(&old, "GET", "/api/v1/auth/me", ""); r.Code != 401 {
			t.Fatalf("old session after reset: %d", r.Code)
		}
		if _, r := f.signIn(email, "a brand new passphrase"); r.Code != 200 {
			t.Fatalf("sign in with new password: %d", r.Code)
		}
		if r := confirm(m[1], "another new passphrase"); r.Code != 422 {
			t.Fatalf("link reused: %d", r.Code)
		}
		if f.auditCount("auth.password_reset") != 1 || f.auditCount("auth.password_reset_requested") != 2 {
			t.Fatal("reset not audited")
		}

		// A link expires after 30 minutes.
		f.call(nil, "POST", "/api/v1/auth/password-reset", fmt.Sprintf(`{"email":%q}`, email))
		mails = f.outbox(email)["account.password_reset"]
		m = linkToken.FindStringSubmatch(mails[len(mails)-1].TextBody)
		f.clock.add(31 * time.Minute)
		if r := confirm(m[1], "a third new passphrase"); r.Code != 422 {
			t.Fatalf("expired link: %d", r.Code)
		}
	})
}

func TestAdminResetsAndSessions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		admin := f.as(models.RoleAdmin)
		user := f.users[models.RoleRequester]
		a := f.as(models.RoleRequester)
		b, _ := f.signIn(user.Email, testPassword)

		// My sessions: two, one current; revoke the other.
		r := f.call(&a, "GET", "/api/v1/auth/sessions", "", "User-Agent", "")
		list := decode[sessionsResponse](t, r).Items
		if len(list) != 2 {
			t.Fatalf("sessions: %s", r.Body)
		}
		other := ""
		for _, s := range list {
			if !s.Current {
				other = s.ID
			}
		}
		if r := f.call(&a, "DELETE", "/api/v1/auth/sessions/"+other, ""); r.Code != 204 {
			t.Fatalf("revoke: %d %s", r.Code, r.Body)
		}
		if r := f.call(&b, "GET", "/api/v1/auth/me", ""); r.Code != 401 {
			t.Fatalf("revoked session: %d", r.Code)
		}
		if r := f.call(&a, "DELETE", "/api/v1/auth/sessions/"+other, ""); r.Code != 404 {
			t.Fatalf("revoke twice: %d", r.Code)
		}
		// Someone else's session id is not found for me.
		rs := f.as(models.RoleRiskManager)
		rsList := decode[sessionsResponse](t, f.call(&rs, "GET", "/api/v1/auth/sessions", "")).Items
		if r := f.call(&a, "DELETE", "/api/v1/auth/sessions/"+rsList[0].ID, ""); r.Code != 404 {
			t.Fatalf("revoke another's session: %d", r.Code)
		}
		b, _ = f.signIn(user.Email, testPassword)
		if r := f.call(&a, "POST", "/api/v1/auth/sessions/revoke-others", ""); r.Code != 204 {
			t.Fatalf("revoke others: %d", r.Code)
		}
		if r := f.call(&b, "GET", "/api/v1/auth/me", ""); r.Code != 401 {
			t.Fatal("other session survived")
		}
		if r := f.call(&a, "GET", "/api/v1/auth/me", ""); r.Code != 200 {
			t.Fatal("current session ended")
		}

		// Admin: list and end a user's sessions.
		path := "/api/v1/users/" + user.ID
		if n := len(decode[sessionsResponse](t, f.call(&admin, "GET", path+"/sessions", "")).Items); n != 1 {
			t.Fatalf("admin sees %d sessions", n)
		}
		if r := f.call(&admin, "POST", path+"/sessions/end", ""); r.Code != 204 {
			t.Fatalf("end sessions: %d", r.Code)
		}
		if r := f.call(&a, "GET", "/api/v1/auth/me", ""); r.Code != 401 {
			t.Fatal("session survived the admin")
		}

		// Admin MFA reset: the authenticator goes, sessions end.
		a = f.as(models.RoleRequester)
		f.enrol(&a)
		if r := f.call(&admin, "POST", path+"/mfa/reset", ""); r.Code != 200 || decode[userResponse](t, r).MFAEnabled {
			t.Fatalf("mfa reset: %d %s", r.Code, r.Body)
		}
		if r := f.call(&a, "GET", "/api/v1/auth/me", ""); r.Code != 401 {
			t.Fatal("session survived the MFA reset")
		}
		if f.auditCount("mfa.admin_reset") != 1 {
			t.Fatal("MFA reset not audited")
		}
		if _, r := f.signIn(user.Email, testPassword); r.Code != 200 {
			t.Fatalf("password alone after reset: %d", r.Code)
		}

		// Temporary password: must be changed, other sessions end.
		r = f.call(&admin, "POST", path+"/password-reset", `{"mode":"temporary","temporary_password":"short"}`)
		if r.Code != 422 {
			t.Fatalf("weak temporary password: %d", r.Code)
		}
		r = f.call(&admin, "POST", path+"/password-reset", `{"mode":"temporary","temporary_password":"a temporary passphrase"}`)
		if r.Code != 200 || !decode[userResponse](t, r).MustChangePassword {
			t.Fatalf("temporary password: %d %s", r.Code, r.Body)
		}
		if _, r := f.signIn(user.Email, testPassword); r.Code != 401 {
			t.Fatal("old password still works")
		}
		tmp, r := f.signIn(user.Email, "a temporary passphrase")
		if decode[meResponse](t, r).Pending != "password_change" {
			t.Fatalf("temporary sign-in: %s", r.Body)
		}
		if r := f.call(&tmp, "GET", "/api/v1/requests", ""); r.Code != 403 {
			t.Fatalf("temporary session reaches requests: %d", r.Code)
		}
		// Mail is off in this fixture: no link can be sent, and the form
		// says so for every address alike.
		if r := f.call(nil, "POST", "/api/v1/auth/password-reset", `{"email":"x@corp.test"}`); r.Code != 503 {
			t.Fatalf("mail off: %d", r.Code)
		}
		if r := f.call(&admin, "POST", path+"/password-reset", `{"mode":"link"}`); r.Code != 422 {
			t.Fatalf("link without mail: %d", r.Code)
		}
		for _, a := range []string{"user.sessions_end", "user.password_temporary", "auth.session_revoke", "auth.sessions_revoke_others"} {
			if f.auditCount(a) == 0 {
				t.Errorf("%s not audited", a)
			}
		}
	})
}
