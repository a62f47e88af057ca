package handlers

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/crewjam/saml"

	"rampart/app/sso"
	"rampart/app/sso/samltest"
	"rampart/models"
	"rampart/models/testdb"
)

// samlWorld is Rampart on a real port and a real SAML identity provider
// (crewjam/saml's) that reads Rampart's SP metadata from its URL.
type samlWorld struct {
	f     *fixture
	base  string
	idp   *samltest.IdP
	admin session
	id    string // the provider's id
}

func newSAMLWorld(t *testing.T, db *models.DB, idpInitiated bool, mutate ...func(*Deps)) *samlWorld {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	f := newFixture(t, db, append([]func(*Deps){func(d *Deps) { d.BaseURL = base }}, mutate...)...)
	srv := httptest.NewUnstartedServer(f.srv)
	_ = srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	iln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	idp, err := samltest.Serve(iln, []samltest.User{
		{Username: "ana", Email: "ana@corp.test", Name: "Ana Lima", Groups: []string{"rampart-risk"}},
		{Username: "riskmgr", Email: "risk_manager@corp.test", Name: "Risky Manager", Groups: []string{"rampart-auditors"}},
		{Username: "outsider", Email: "out@corp.test", Name: "Out", Groups: []string{"marketing"}},
		{Username: "mallory", Email: "admin@corp.test", Name: "Mallory", Groups: []string{"rampart-admins"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(idp.Close)
	w := &samlWorld{f: f, base: base, idp: idp, admin: f.as(models.RoleAdmin)}
	md, _ := json.Marshal(idp.Metadata)
	body := `{"protocol":"saml","slug":"corp","display_name":"Corp SAML","saml_idp_metadata":` + string(md) + `,"groups_claim":"eduPersonAffiliation",
		"role_mappings":[{"group":"rampart-risk","role":"risk_manager"},{"group":"rampart-auditors","role":"auditor"}],"allow_create":true,
		"saml_allow_idp_initiated":` + map[bool]string{true: "true", false: "false"}[idpInitiated] + `}`
	r := f.call(&w.admin, "POST", "/api/v1/settings/sso-providers", body)
	if r.Code != 201 {
		t.Fatalf("provider: %d %s", r.Code, r.Body)
	}
	w.id = decode[ssoProviderResponse](t, r).ID
	return w
}

// noFollow is a browser that stops at each redirect, so the test sees
// every hop.
func noFollow(t *testing.T) *http.Client {
	b := browser(t)
	b.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return b
}

// idpForm asks the IdP at u (its SSO or IdP-initiated address) for its
// answer page, signing in as user.
func (w *samlWorld) idpForm(t *testing.T, b *http.Client, u, user string) samltest.Form {
	t.Helper()
	w.idp.SignInAs(user)
	resp, err := b.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	form, err := samltest.ReadForm(string(body))
	if err != nil {
		t.Fatalf("%d: %v", resp.StatusCode, err)
	}
	return form
}

// startSP starts an SP-initiated sign-in in b and returns the IdP's form.
func (w *samlWorld) startSP(t *testing.T, b *http.Client, user, returnTo string) samltest.Form {
	t.Helper()
	start := w.base + "/api/v1/auth/saml/corp/start"
	if returnTo != "" {
		start += "?return_to=" + url.QueryEscape(returnTo)
	}
	resp, err := b.Get(start)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 302 || !strings.HasPrefix(loc, w.idp.URL+"/sso?") || !strings.Contains(loc, "Signature=") {
		t.Fatalf("start: %d %q", resp.StatusCode, loc)
	}
	return w.idpForm(t, b, loc, user)
}

// startIdP has the IdP start a sign-in for the SP entity id sp.
func (w *samlWorld) startIdP(t *testing.T, b *http.Client, sp, user, relay string) samltest.Form {
	t.Helper()
	return w.idpForm(t, b, w.idp.URL+"/start?"+url.Values{"sp": {sp}, "user": {user}, "relay": {relay}}.Encode(), user)
}

// post sends the form to the ACS as the IdP's page does (cross-site) and
// returns where Rampart sent the browser and who is signed in.
func (w *samlWorld) post(t *testing.T, b *http.Client, form samltest.Form) (string, *userResponse) {
	t.Helper()
	req, _ := http.NewRequest("POST", form.Action, strings.NewReader(url.Values{"SAMLResponse": {form.SAMLResponse}, "RelayState": {form.RelayState}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", w.idp.URL)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 303 {
		t.Fatalf("ACS answered %d", resp.StatusCode)
	}
	me, err := b.Get(w.base + "/api/v1/auth/me")
	if err != nil {
		t.Fatal(err)
	}
	defer me.Body.Close()
	if me.StatusCode != 200 {
		return resp.Header.Get("Location"), nil
	}
	var out meResponse
	if err := json.NewDecoder(me.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp.Header.Get("Location"), &out.User
}

func (w *samlWorld) refused(t *testing.T, what string, form samltest.Form, want string) {
	t.Helper()
	loc, me := w.post(t, noFollow(t), form)
	if me != nil || !strings.HasPrefix(loc, "/sign-in?sso_error=") {
		t.Fatalf("%s: landed on %q signed in as %+v", what, loc, me)
	}
	msg, _ := url.QueryUnescape(strings.TrimPrefix(loc, "/sign-in?sso_error="))
	if !strings.Contains(msg, want) {
		t.Errorf("%s: message %q, want %q", what, msg, want)
	}
}

func (w *samlWorld) spEntityID() string { return sso.SAMLMetadataURL(w.base, "corp") }

// TestSAMLSignInThroughARealIdP: SP-initiated sign-in end to end (signed
// AuthnRequest, the IdP's signed response posted cross-site to the ACS, a
// session with the mapped role, the account created at first sign-in,
// then matched by subject; an existing user matched by email), and the
// refusals: unsigned, replayed, InResponseTo unknown, expired, unmapped
// group, IdP-initiated when not allowed; each audited.
func TestSAMLSignInThroughARealIdP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		w := newSAMLWorld(t, db, false)
		ctx := context.Background()

		buttons := decode[ssoButtonsResponse](t, w.f.call(nil, "GET", "/api/v1/auth/sso/providers", ""))
		if len(buttons.Items) != 1 || buttons.Items[0].StartURL != "/api/v1/auth/saml/corp/start" {
			t.Fatalf("sign-in buttons: %+v", buttons)
		}
		md := w.f.call(nil, "GET", "/api/v1/auth/saml/corp/metadata", "")
		var ed saml.EntityDescriptor
		if md.Code != 200 || xml.Unmarshal(md.Body.Bytes(), &ed) != nil || ed.EntityID != w.spEntityID() ||
			len(ed.SPSSODescriptors) != 1 || ed.SPSSODescriptors[0].AssertionConsumerServices[0].Location != sso.SAMLACSURL(w.base, "corp") {
			t.Fatalf("SP metadata: %d %s", md.Code, md.Body)
		}
		if strings.Contains(md.Body.String(), "PRIVATE") {
			t.Fatal("the SP metadata shows the key")
		}

		b := noFollow(t)
		form := w.startSP(t, b, "ana", "/vendors?tier=1")
		if form.Action != sso.SAMLACSURL(w.base, "corp") {
			t.Fatalf("the IdP posts to %q", form.Action)
		}
		loc, me := w.post(t, b, form)
		if me == nil || me.Email != "ana@corp.test" || me.Role != models.RoleRiskManager || me.Name != "Ana Lima" {
			t.Fatalf("ana signed in as %+v (landed on %q)", me, loc)
		}
		if loc != "/vendors?tier=1" {
			t.Errorf("landed on %q", loc)
		}
		ana, err := models.UserByEmail(ctx, db.Gorm, "ana@corp.test")
		if err != nil {
			t.Fatal(err)
		}
		// The same response again: its request is used up.
		w.refused(t, "replayed SP-initiated response", form, "expired, was already used")

		// Second sign-in: found by subject, no second account.
		if _, me := w.post(t, noFollow(t), w.startSP(t, noFollow(t), "ana", "")); me == nil || me.ID != ana.ID {
			t.Fatalf("second sign-in: %+v", me)
		}
		// An existing user, matched by email, takes their group's role.
		if _, me := w.post(t, noFollow(t), w.startSP(t, noFollow(t), "riskmgr", "")); me == nil || me.ID != w.f.users[models.RoleRiskManager].ID || me.Role != models.RoleAuditor {
			t.Fatalf("existing user: %+v", me)
		}
		w.refused(t, "unmapped group", w.startSP(t, noFollow(t), "outsider", ""), "in no group")

		// Unsigned: every signature taken off.
		unsigned := w.startSP(t, noFollow(t), "ana", "")
		unsigned.SAMLResponse, err = samltest.Rewrite(unsigned.SAMLResponse, func(doc *etree.Document) {
			for _, sig := range doc.FindElements("//Signature") {
				sig.Parent().RemoveChild(sig)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		w.refused(t, "unsigned", unsigned, "could not be verified")

		// Signed assertion in an unsigned response: accepted.
		only := w.startSP(t, noFollow(t), "ana", "")
		only.SAMLResponse, _ = samltest.Rewrite(only.SAMLResponse, func(doc *etree.Document) {
			sig := doc.Root().SelectElement("Signature")
			doc.Root().RemoveChild(sig)
		})
		if _, me := w.post(t, noFollow(t), only); me == nil || me.ID != ana.ID {
			t.Fatalf("signed assertion in an unsigned response: %+v", me)
		}

		// InResponseTo that no pending sign-in has (expired, or started on
		// no instance).
		unknown := w.startSP(t, noFollow(t), "ana", "")
		db.Gorm.Where("1 = 1").Delete(&models.SSOLogin{})
		w.refused(t, "InResponseTo unknown", unknown, "expired, was already used, or was not started here")

		// Expired: posted an hour after the IdP issued it.
		late := w.startSP(t, noFollow(t), "ana", "")
		w.f.clock.add(time.Hour)
		w.refused(t, "expired", late, "expired")
		w.f.clock.add(-time.Hour)

		// IdP-initiated is off for this provider.
		w.refused(t, "IdP-initiated when off", w.startIdP(t, noFollow(t), w.spEntityID(), "ana", "/"), "are not accepted")

		var failures int64
		db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND actor_label = ?", "auth.sign_in_failed", "saml:corp").Count(&failures)
		if failures < 6 {
			t.Errorf("%d refused SAML sign-ins audited, want at least 6", failures)
		}
		var created models.AuditEvent
		if err := db.Gorm.Where("action = ? AND object_id = ?", "user.create", ana.ID).Take(&created).Error; err != nil || created.ActorLabel != "saml:corp" {
			t.Errorf("ana's creation audited: %+v %v", created, err)
		}
	})
}

// TestSAMLIdPInitiatedAndAttacks: IdP-initiated sign-in when the provider
// allows it (RelayState only a path here; an absolute or scheme-relative
// one lands on /), an assertion accepted once (a second post of the same
// response is refused), an assertion meant for another SP refused, and an
// XML signature wrapping attack: an unsigned assertion for another person
// put beside the signed one never signs that person in.
// TestSAMLSignInIsBoundToItsBrowser: with https (secure cookies), the
// start leaves the request's id in a SameSite=None cookie, and the ACS
// takes an answer to a sign-in started here only from the browser holding
// it: someone who starts a sign-in and has another person's browser post
// the answer for their own account (login CSRF) is refused.
func TestSAMLSignInIsBoundToItsBrowser(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		w := newSAMLWorld(t, db, false, func(d *Deps) { d.CookieSecure = true })
		start := func(user string) (samltest.Form, string) {
			t.Helper()
			b := noFollow(t)
			resp, err := b.Get(w.base + "/api/v1/auth/saml/corp/start")
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			var ck *http.Cookie
			for _, c := range resp.Cookies() {
				if c.Name == samlCookie {
					ck = c
				}
			}
			if ck == nil || ck.Value == "" || !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteNoneMode {
				t.Fatalf("start left no binding cookie: %+v", ck)
			}
			return w.idpForm(t, b, resp.Header.Get("Location"), user), ck.Value
		}
		acs := func(form samltest.Form, cookie string) string {
			t.Helper()
			req, _ := http.NewRequest("POST", form.Action, strings.NewReader(url.Values{"SAMLResponse": {form.SAMLResponse}, "RelayState": {form.RelayState}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			if cookie != "" {
				req.Header.Set("Cookie", samlCookie+"="+cookie)
			}
			resp, err := noFollow(t).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			loc, _ := url.QueryUnescape(resp.Header.Get("Location"))
			return loc
		}
		attackers, _ := start("outsider")
		victims, victimCookie := start("ana")
		if loc := acs(attackers, victimCookie); !strings.Contains(loc, "sso_error=") || !strings.Contains(loc, "another browser") {
			t.Fatalf("another sign-in's answer posted from the victim's browser: %q", loc)
		}
		if loc := acs(attackers, ""); !strings.Contains(loc, "another browser") {
			t.Fatalf("an answer posted from a browser that started nothing: %q", loc)
		}
		if loc := acs(victims, victimCookie); strings.Contains(loc, "sso_error") || !strings.HasPrefix(loc, "/") {
			t.Fatalf("the browser that started the sign-in was refused: %q", loc)
		}
		var refusals int64
		db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND detail LIKE ?", "auth.sign_in_failed", "%other_browser%").Count(&refusals)
		if refusals != 2 {
			t.Fatalf("%d refusals audited, want 2", refusals)
		}
	})
}

func TestSAMLIdPInitiatedAndAttacks(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		w := newSAMLWorld(t, db, true)

		form := w.startIdP(t, noFollow(t), w.spEntityID(), "ana", "/vendors")
		loc, me := w.post(t, noFollow(t), form)
		if me == nil || me.Email != "ana@corp.test" || loc != "/vendors" {
			t.Fatalf("IdP-initiated: %q %+v", loc, me)
		}
		w.refused(t, "replayed assertion", form, "already used")

		// The same response posted twice at once: one sign-in.
		twice := w.startIdP(t, noFollow(t), w.spEntityID(), "ana", "")
		signedIn := make(chan bool, 2)
		for range 2 {
			go func() {
				b := noFollow(t)
				req, _ := http.NewRequest("POST", twice.Action, strings.NewReader(url.Values{"SAMLResponse": {twice.SAMLResponse}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				resp, err := b.Do(req)
				if err != nil {
					signedIn <- false
					return
				}
				_ = resp.Body.Close()
				signedIn <- !strings.Contains(resp.Header.Get("Location"), "sso_error")
			}()
		}
		if a, b := <-signedIn, <-signedIn; a == b {
			t.Errorf("one response posted twice at once: signed in %v and %v", a, b)
		}

		for _, relay := range []string{"https://evil.test/phish", "//evil.test/x", "/\\evil.test"} {
			if loc, me := w.post(t, noFollow(t), w.startIdP(t, noFollow(t), w.spEntityID(), "ana", relay)); me == nil || loc != "/" {
				t.Errorf("RelayState %q led to %q (%+v)", relay, loc, me)
			}
		}

		// Another SP whose ACS is Rampart's: the audience is not Rampart.
		other := saml.EntityDescriptor{EntityID: "https://other.test/sp", SPSSODescriptors: []saml.SPSSODescriptor{{
			SSODescriptor:             saml.SSODescriptor{RoleDescriptor: saml.RoleDescriptor{ProtocolSupportEnumeration: "urn:oasis:names:tc:SAML:2.0:protocol"}},
			AssertionConsumerServices: []saml.IndexedEndpoint{{Binding: saml.HTTPPostBinding, Location: sso.SAMLACSURL(w.base, "corp"), Index: 1}},
		}}}
		w.idp.Register(&other)
		w.refused(t, "wrong audience", w.startIdP(t, noFollow(t), other.EntityID, "ana", ""), "meant for another application")

		// Signature wrapping: the response signature goes (it would break),
		// and an unsigned copy of the assertion naming Mallory, who would be
		// the administrator, is put first.
		wrapped := w.startIdP(t, noFollow(t), w.spEntityID(), "ana", "")
		var err error
		wrapped.SAMLResponse, err = samltest.Rewrite(wrapped.SAMLResponse, func(doc *etree.Document) {
			root := doc.Root()
			root.RemoveChild(root.SelectElement("Signature"))
			signed := root.SelectElement("Assertion")
			evil := signed.Copy()
			evil.CreateAttr("ID", "id-evil")
			evil.RemoveChild(evil.SelectElement("Signature"))
			for _, v := range evil.FindElements("//AttributeValue") {
				v.SetText(strings.ReplaceAll(strings.ReplaceAll(v.Text(), "ana@corp.test", "admin@corp.test"), "rampart-risk", "rampart-admins"))
			}
			evil.FindElement("./Subject/NameID").SetText("id-mallory")
			root.InsertChildAt(signed.Index(), evil)
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, me := w.post(t, noFollow(t), wrapped); me != nil && me.Email != "ana@corp.test" {
			t.Fatalf("signature wrapping signed in %+v", me)
		}
		// And the wrapped assertion inside the signed one's place.
		wrapped2 := w.startIdP(t, noFollow(t), w.spEntityID(), "ana", "")
		wrapped2.SAMLResponse, _ = samltest.Rewrite(wrapped2.SAMLResponse, func(doc *etree.Document) {
			root := doc.Root()
			root.RemoveChild(root.SelectElement("Signature"))
			signed := root.SelectElement("Assertion")
			evil := signed.Copy()
			evil.RemoveChild(evil.SelectElement("Signature"))
			evil.FindElement("./Subject/NameID").SetText("id-mallory")
			for _, v := range evil.FindElements("//AttributeValue") {
				v.SetText(strings.ReplaceAll(v.Text(), "ana@corp.test", "admin@corp.test"))
			}
			root.RemoveChild(signed)
			ext := etree.NewElement("samlp:Extensions")
			ext.AddChild(signed)
			root.AddChild(ext)
			root.AddChild(evil)
		})
		if _, me := w.post(t, noFollow(t), wrapped2); me != nil && me.Email != "ana@corp.test" {
			t.Fatalf("signature wrapping (moved) signed in %+v", me)
		}
		var admins int64
		db.Gorm.Model(&models.UserIdentity{}).Where("subject = ?", "id-mallory").Count(&admins)
		if admins != 0 {
			t.Fatal("the wrapped subject was linked")
		}
	})
}

// TestSAMLProviderSettings: SAML providers need usable metadata, a URL
// pointing at a private address is refused (SSRF), the protocol is fixed,
// the card says what to register, the key never shows, and the OIDC
// start refuses a SAML provider.
func TestSAMLProviderSettings(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		w := newSAMLWorld(t, db, false)
		f := w.f
		for body, field := range map[string]string{
			`{"protocol":"saml","slug":"x","display_name":"X"}`:                                                           "saml_idp_metadata",
			`{"protocol":"saml","slug":"x","display_name":"X","saml_idp_metadata":"<x/>"}`:                                "saml_idp_metadata",
			`{"protocol":"saml","slug":"x","display_name":"X","saml_metadata_url":"http://127.0.0.1:1/metadata"}`:         "saml_metadata_url",
			`{"protocol":"saml","slug":"x","display_name":"X","saml_metadata_url":"https://10.0.0.8/federationmetadata"}`: "saml_metadata_url",
			`{"protocol":"ldap","slug":"x","display_name":"X"}`:                                                           "protocol",
		} {
			r := f.call(&w.admin, "POST", "/api/v1/settings/sso-providers", body)
			if r.Code != 422 || !strings.Contains(r.Body.String(), `"`+field+`"`) {
				t.Errorf("%s: %d %s", body, r.Code, r.Body)
			}
		}
		got := decode[ssoProviderResponse](t, f.call(&w.admin, "GET", "/api/v1/settings/sso-providers/"+w.id, ""))
		if got.Protocol != "saml" || got.SAML == nil || got.SAML.SPEntityID != w.spEntityID() || got.SAML.ACSURL != sso.SAMLACSURL(w.base, "corp") ||
			got.SAML.IdPEntityID != w.idp.URL+"/metadata" || got.CallbackURL != got.SAML.ACSURL {
			t.Fatalf("card: %+v %+v", got, got.SAML)
		}
		r := f.call(&w.admin, "PATCH", "/api/v1/settings/sso-providers/"+w.id, `{"version":1,"protocol":"oidc"}`)
		if r.Code != 422 {
			t.Errorf("protocol change: %d %s", r.Code, r.Body)
		}
		r = f.call(&w.admin, "PATCH", "/api/v1/settings/sso-providers/"+w.id, `{"version":1,"saml_idp_metadata":"","saml_email_attribute":"mail","saml_allow_idp_initiated":true}`)
		if r.Code != 200 || !decode[ssoProviderResponse](t, r).SAML.AllowIdPInitiated {
			t.Fatalf("update: %d %s", r.Code, r.Body)
		}
		var audit []models.AuditEvent
		db.Gorm.Where("object_id = ?", w.id).Find(&audit)
		for _, a := range audit {
			if (a.AfterData != nil && strings.Contains(*a.AfterData, "PRIVATE KEY")) || (a.BeforeData != nil && strings.Contains(*a.BeforeData, "PRIVATE KEY")) {
				t.Fatal("the audit trail holds the SP key")
			}
		}
		if r := f.call(nil, "GET", "/api/v1/auth/sso/corp/start", ""); r.Code != 303 || !strings.Contains(r.Header().Get("Location"), "sso_error=") {
			t.Errorf("OIDC start of a SAML provider: %d %s", r.Code, r.Header().Get("Location"))
		}
		if r := f.call(nil, "GET", "/api/v1/auth/saml/nobody/metadata", ""); r.Code != 404 {
			t.Errorf("metadata of no provider: %d", r.Code)
		}
	})
}
