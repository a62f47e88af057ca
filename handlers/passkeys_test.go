package handlers

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
	"github.com/pquerna/otp/totp"

	"rampart/models"
	"rampart/models/testdb"
)

// softKey is a software authenticator holding one passkey: an ECDSA P-256
// key answering WebAuthn ceremonies as the spec says an authenticator and
// a browser together do (attestation "none", ES256 assertions).
type softKey struct {
	t          *testing.T
	key        *ecdsa.PrivateKey
	credID     []byte
	userHandle []byte
	count      uint32
	rpID       string
	origin     string
}

const testOrigin = "http://localhost:8080"

func newSoftKey(t *testing.T) *softKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 32)
	_, _ = rand.Read(id)
	return &softKey{t: t, key: k, credID: id, rpID: "localhost", origin: testOrigin}
}

var b64 = base64.RawURLEncoding

// Authenticator data flags (WebAuthn §6.1).
const (
	flagUP = 0x01
	flagUV = 0x04
	flagAT = 0x40
)

func (k *softKey) authData(flags byte, attested bool) []byte {
	h := sha256.Sum256([]byte(k.rpID))
	out := append([]byte{}, h[:]...)
	out = append(out, flags)
	out = binary.BigEndian.AppendUint32(out, k.count)
	if attested {
		out = append(out, make([]byte, 16)...) // AAGUID: all zeros, as with attestation "none"
		out = binary.BigEndian.AppendUint16(out, uint16(len(k.credID)))
		out = append(out, k.credID...)
		x, y := k.key.X.FillBytes(make([]byte, 32)), k.key.Y.FillBytes(make([]byte, 32))
		cose, err := webauthncbor.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: x, -3: y})
		if err != nil {
			k.t.Fatal(err)
		}
		out = append(out, cose...)
	}
	return out
}

func (k *softKey) clientData(typ, challenge string) []byte {
	b, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": k.origin, "crossOrigin": false})
	return b
}

// beginOptions reads a begin answer's challenge and, for a registration,
// the user handle.
func beginOptions(t *testing.T, r response) (ceremony, challenge string, pk map[string]any) {
	t.Helper()
	if r.Code != 200 {
		t.Fatalf("begin: %d %s", r.Code, r.Body)
	}
	b := decode[passkeyBeginResponse](t, r)
	pk, _ = b.Options["publicKey"].(map[string]any)
	challenge, _ = pk["challenge"].(string)
	if b.CeremonyID == "" || challenge == "" {
		t.Fatalf("begin answer: %s", r.Body)
	}
	return b.CeremonyID, challenge, pk
}

// create answers a registration's options.
func (k *softKey) create(pk map[string]any, challenge string) map[string]any {
	user, _ := pk["user"].(map[string]any)
	id, _ := user["id"].(string)
	handle, err := b64.DecodeString(id)
	if err != nil {
		k.t.Fatalf("user.id %q: %v", id, err)
	}
	k.userHandle = handle
	att, err := webauthncbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": k.authData(flagUP|flagUV|flagAT, true)})
	if err != nil {
		k.t.Fatal(err)
	}
	return map[string]any{"id": b64.EncodeToString(k.credID), "rawId": b64.EncodeToString(k.credID), "type": "public-key",
		"authenticatorAttachment": "platform", "clientExtensionResults": map[string]any{},
		"response": map[string]any{"clientDataJSON": b64.EncodeToString(k.clientData("webauthn.create", challenge)),
			"attestationObject": b64.EncodeToString(att), "transports": []string{"internal"}}}
}

// get answers an assertion's challenge, counting one more signature.
func (k *softKey) get(challenge string) map[string]any {
	k.count++
	return k.sign(challenge)
}

// sign answers without advancing the counter (a copy of the key would).
func (k *softKey) sign(challenge string) map[string]any {
	ad := k.authData(flagUP|flagUV, false)
	cd := k.clientData("webauthn.get", challenge)
	h := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, ad...), h[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, k.key, digest[:])
	if err != nil {
		k.t.Fatal(err)
	}
	return map[string]any{"id": b64.EncodeToString(k.credID), "rawId": b64.EncodeToString(k.credID), "type": "public-key",
		"authenticatorAttachment": "platform", "clientExtensionResults": map[string]any{},
		"response": map[string]any{"clientDataJSON": b64.EncodeToString(cd), "authenticatorData": b64.EncodeToString(ad),
			"signature": b64.EncodeToString(sig), "userHandle": b64.EncodeToString(k.userHandle)}}
}

func jsonBody(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// registerPasskey adds a passkey to the session's user and returns it.
func (f *fixture) registerPasskey(s *session, name string) (*softKey, passkeyResponse) {
	f.t.Helper()
	k := newSoftKey(f.t)
	cer, ch, pk := beginOptions(f.t, f.call(s, "POST", "/api/v1/auth/passkeys/register/begin", "", "Origin", testOrigin))
	r := f.call(s, "POST", "/api/v1/auth/passkeys/register/finish",
		jsonBody(f.t, map[string]any{"ceremony_id": cer, "name": name, "credential": k.create(pk, ch)}), "Origin", testOrigin)
	if r.Code != 201 {
		f.t.Fatalf("register: %d %s", r.Code, r.Body)
	}
	return k, decode[passkeyResponse](f.t, r)
}

func (f *fixture) passkeySignIn(k *softKey) response {
	f.t.Helper()
	cer, ch, _ := beginOptions(f.t, f.call(nil, "POST", "/api/v1/auth/login/passkey/begin", "", "Origin", testOrigin))
	return f.call(nil, "POST", "/api/v1/auth/login/passkey/finish",
		jsonBody(f.t, map[string]any{"ceremony_id": cer, "credential": k.get(ch)}), "Origin", testOrigin)
}

func TestPasskeyRegisterAndPasswordlessSignIn(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		if m := decode[metaResponse](t, f.call(nil, "GET", "/api/v1/meta", "")); !m.Passkeys {
			t.Fatal("meta does not offer passkeys")
		}
		k, pk := f.registerPasskey(&risk, "Laptop")
		if pk.Name != "Laptop" || pk.LastUsedAt != nil || len(pk.Transports) != 1 || pk.Transports[0] != "internal" {
			t.Fatalf("registered: %+v", pk)
		}
		if f.auditCount("passkey.register") != 1 {
			t.Fatal("registration not audited")
		}
		list := decode[passkeysResponse](t, f.call(&risk, "GET", "/api/v1/auth/passkeys", ""))
		if len(list.Items) != 1 || list.Items[0].ID != pk.ID {
			t.Fatalf("list: %+v", list)
		}
		st := decode[mfaStatusResponse](t, f.call(&risk, "GET", "/api/v1/auth/mfa", ""))
		if st.Passkeys != 1 || st.Enabled || !st.PasskeysAvailable {
			t.Fatalf("MFA status: %+v", st)
		}

		// Passwordless: the passkey alone opens a session.
		r := f.passkeySignIn(k)
		if r.Code != 200 {
			t.Fatalf("passkey sign-in: %d %s", r.Code, r.Body)
		}
		s := sessionFrom(t, r)
		if me := decode[meResponse](t, f.call(&s, "GET", "/api/v1/auth/me", "")); me.User.Email != f.users[models.RoleRiskManager].Email {
			t.Fatalf("signed in as %+v", me.User)
		}
		list = decode[passkeysResponse](t, f.call(&s, "GET", "/api/v1/auth/passkeys", ""))
		if list.Items[0].LastUsedAt == nil {
			t.Fatal("last use not recorded")
		}

		// Rename, then the password with a passkey needs the passkey step.
		if r := f.call(&s, "PATCH", "/api/v1/auth/passkeys/"+pk.ID, `{"name":"Work laptop","version":1}`); r.Code != 200 || decode[passkeyResponse](t, r).Name != "Work laptop" {
			t.Fatalf("rename: %d %s", r.Code, r.Body)
		}
		if r := f.call(&s, "PATCH", "/api/v1/auth/passkeys/"+pk.ID, `{"name":"Old laptop","version":1}`); r.Code != 409 || !strings.Contains(r.Body.String(), "Work laptop") {
			t.Fatalf("stale rename: %d %s", r.Code, r.Body)
		}
		if f.auditCount("passkey.rename") != 1 {
			t.Fatal("rename not audited")
		}
		r = f.call(nil, "POST", "/api/v1/auth/login", fmt.Sprintf(`{"email":%q,"password":%q}`, f.users[models.RoleRiskManager].Email, testPassword))
		if r.Code != 202 || !strings.Contains(r.Body.String(), `"methods":["passkey"]`) {
			t.Fatalf("password of a passkey user: %d %s", r.Code, r.Body)
		}
		if r := f.call(&s, "DELETE", "/api/v1/auth/passkeys/"+pk.ID, ""); r.Code != 204 {
			t.Fatalf("delete: %d %s", r.Code, r.Body)
		}
		if f.auditCount("passkey.delete") != 1 {
			t.Fatal("delete not audited")
		}
		if r := f.passkeySignIn(k); r.Code != 422 {
			t.Fatalf("removed passkey signed in: %d %s", r.Code, r.Body)
		}
	})
}

func TestPasskeyMFAStep(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		email := f.users[models.RoleLegal].Email
		legal := f.as(models.RoleLegal)
		secret, _ := f.enrol(&legal)
		k, _ := f.registerPasskey(&legal, "Phone")

		ch := f.passwordStep(email)
		mfaCookie := MFACookie + "=" + ch
		cer, chal, pk := beginOptions(t, f.call(nil, "POST", "/api/v1/auth/login/mfa/passkey/begin", "", "Cookie", mfaCookie, "Origin", testOrigin))
		allow, _ := pk["allowCredentials"].([]any)
		if len(allow) != 1 {
			t.Fatalf("allowCredentials: %v", pk["allowCredentials"])
		}
		r := f.call(nil, "POST", "/api/v1/auth/login/mfa/passkey/finish", jsonBody(t, map[string]any{"ceremony_id": cer, "credential": k.get(chal)}),
			"Cookie", mfaCookie, "Origin", testOrigin)
		if r.Code != 200 {
			t.Fatalf("passkey step: %d %s", r.Code, r.Body)
		}
		s := sessionFrom(t, r)
		if r := f.call(&s, "GET", "/api/v1/vendors", ""); r.Code != 200 {
			t.Fatalf("signed in with a passkey step: %d", r.Code)
		}
		var ev models.AuditEvent
		if err := db.Gorm.Where("action = ?", "auth.sign_in").Order("id DESC").Take(&ev).Error; err != nil || !strings.Contains(ev.Detail, `second factor: passkey "Phone"`) {
			t.Fatalf("sign-in audit: %+v %v", ev, err)
		}
		// The challenge is spent.
		if r := f.call(nil, "POST", "/api/v1/auth/login/mfa/passkey/begin", "", "Cookie", mfaCookie, "Origin", testOrigin); r.Code != 400 || r.problem().Type != typeMFAChallengeExpired {
			t.Fatalf("spent challenge: %d %s", r.Code, r.Body)
		}

		// TOTP still works as the other choice.
		ch = f.passwordStep(email)
		f.clock.add(30 * time.Second)
		code, _ := totp.GenerateCode(secret, f.clock.now())
		if r := f.codeStep(ch, code); r.Code != 200 {
			t.Fatalf("TOTP beside a passkey: %d %s", r.Code, r.Body)
		}
	})
}

func TestPasskeyRefusals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		legal := f.as(models.RoleLegal)
		k, pk := f.registerPasskey(&risk, "Laptop")
		other, otherPK := f.registerPasskey(&legal, "Legal's key")

		finishSignIn := func(cer string, cred map[string]any) response {
			return f.call(nil, "POST", "/api/v1/auth/login/passkey/finish", jsonBody(t, map[string]any{"ceremony_id": cer, "credential": cred}), "Origin", testOrigin)
		}
		begin := func() (string, string) {
			cer, ch, _ := beginOptions(t, f.call(nil, "POST", "/api/v1/auth/login/passkey/begin", "", "Origin", testOrigin))
			return cer, ch
		}

		t.Run("wrong origin", func(t *testing.T) {
			cer, ch := begin()
			k.origin = "https://evil.test"
			defer func() { k.origin = testOrigin }()
			if r := finishSignIn(cer, k.get(ch)); r.Code != 422 {
				t.Fatalf("wrong origin: %d %s", r.Code, r.Body)
			}
		})
		t.Run("page at another address", func(t *testing.T) {
			// The same host as the request's (so not cross-site), but not the public base URL.
			r := f.call(nil, "POST", "/api/v1/auth/login/passkey/begin", "", "Origin", "http://example.com")
			if r.Code != 400 || r.problem().Type != typePasskeyOrigin {
				t.Fatalf("begin from another address: %d %s", r.Code, r.Body)
			}
		})
		t.Run("wrong challenge", func(t *testing.T) {
			cer, _ := begin()
			if r := finishSignIn(cer, k.get(b64.EncodeToString([]byte("not the challenge at all, no")))); r.Code != 422 {
				t.Fatalf("wrong challenge: %d %s", r.Code, r.Body)
			}
		})
		t.Run("replayed ceremony", func(t *testing.T) {
			cer, ch := begin()
			if r := finishSignIn(cer, k.get(ch)); r.Code != 200 {
				t.Fatalf("sign-in: %d %s", r.Code, r.Body)
			}
			r := finishSignIn(cer, k.get(ch))
			if r.Code != 400 || r.problem().Type != typePasskeyCeremony {
				t.Fatalf("replayed ceremony: %d %s", r.Code, r.Body)
			}
		})
		t.Run("expired ceremony", func(t *testing.T) {
			cer, ch := begin()
			f.clock.add(6 * time.Minute)
			r := finishSignIn(cer, k.get(ch))
			if r.Code != 400 || r.problem().Type != typePasskeyCeremony {
				t.Fatalf("expired ceremony: %d %s", r.Code, r.Body)
			}
		})
		t.Run("cloned authenticator", func(t *testing.T) {
			stored, err := models.PasskeyByCredentialID(t.Context(), db.Gorm, b64.EncodeToString(k.credID))
			if err != nil {
				t.Fatal(err)
			}
			k.count = uint32(stored.SignCount) // a copy of the key, behind the original
			cer, ch := begin()
			if r := finishSignIn(cer, k.sign(ch)); r.Code != 422 { // the counter did not grow
				t.Fatalf("cloned authenticator: %d %s", r.Code, r.Body)
			}
			var ev models.AuditEvent
			if err := db.Gorm.Where("action = ? AND detail LIKE ?", "auth.sign_in_failed", "%copied%").Take(&ev).Error; err != nil {
				t.Fatalf("clone not audited: %v", err)
			}
		})
		t.Run("another user's credential", func(t *testing.T) {
			// Legal's key answering for the risk manager's user handle.
			other.userHandle = k.userHandle
			cer, ch := begin()
			if r := finishSignIn(cer, other.get(ch)); r.Code != 422 {
				t.Fatalf("another user's credential: %d %s", r.Code, r.Body)
			}
			// In the MFA step of the risk manager, legal's passkey is refused.
			ch2 := f.passwordStep(f.users[models.RoleRiskManager].Email)
			cookie := MFACookie + "=" + ch2
			mcer, mch, _ := beginOptions(t, f.call(nil, "POST", "/api/v1/auth/login/mfa/passkey/begin", "", "Cookie", cookie, "Origin", testOrigin))
			r := f.call(nil, "POST", "/api/v1/auth/login/mfa/passkey/finish", jsonBody(t, map[string]any{"ceremony_id": mcer, "credential": other.get(mch)}),
				"Cookie", cookie, "Origin", testOrigin)
			if r.Code != 422 {
				t.Fatalf("another user's passkey as the second factor: %d %s", r.Code, r.Body)
			}
			// Nor can the risk manager rename, remove or list it.
			if r := f.call(&risk, "PATCH", "/api/v1/auth/passkeys/"+otherPK.ID, `{"name":"mine","version":1}`); r.Code != 404 {
				t.Fatalf("rename another's passkey: %d", r.Code)
			}
			if r := f.call(&risk, "DELETE", "/api/v1/auth/passkeys/"+otherPK.ID, ""); r.Code != 404 {
				t.Fatalf("delete another's passkey: %d", r.Code)
			}
			if r := f.call(&risk, "DELETE", "/api/v1/users/"+f.users[models.RoleRiskManager].ID+"/passkeys/"+otherPK.ID, ""); r.Code != 403 {
				t.Fatalf("non-admin on the admin route: %d", r.Code)
			}
			admin := f.as(models.RoleAdmin)
			if r := f.call(&admin, "DELETE", "/api/v1/users/"+f.users[models.RoleRiskManager].ID+"/passkeys/"+otherPK.ID, ""); r.Code != 404 {
				t.Fatalf("another user's passkey under the wrong user: %d", r.Code)
			}
		})
		t.Run("malformed and oversized", func(t *testing.T) {
			cer, _ := begin()
			if r := finishSignIn(cer, map[string]any{"id": "x", "type": "public-key"}); r.Code != 400 {
				t.Fatalf("malformed credential: %d %s", r.Code, r.Body)
			}
			if r := f.call(nil, "POST", "/api/v1/auth/login/passkey/finish", `{"ceremony_id":`, "Origin", testOrigin); r.Code != 400 {
				t.Fatalf("broken JSON: %d", r.Code)
			}
			big := jsonBody(t, map[string]any{"ceremony_id": cer, "credential": map[string]any{"id": strings.Repeat("A", 8000)}})
			if r := f.call(nil, "POST", "/api/v1/auth/login/passkey/finish", big, "Origin", testOrigin); r.Code != 413 {
				t.Fatalf("oversized body: %d", r.Code)
			}
			cer, _ = begin()
			if r := finishSignIn(cer, map[string]any{}); r.Code != 400 {
				t.Fatalf("empty credential: %d %s", r.Code, r.Body)
			}
			if r := f.call(&risk, "POST", "/api/v1/auth/passkeys/register/finish", `{"ceremony_id":"nope","credential":{"id":"x"}}`); r.Code != 400 {
				t.Fatalf("unknown registration ceremony: %d %s", r.Code, r.Body)
			}
		})
		t.Run("registration answered for another's ceremony", func(t *testing.T) {
			cer, ch, opts := beginOptions(t, f.call(&risk, "POST", "/api/v1/auth/passkeys/register/begin", "", "Origin", testOrigin))
			r := f.call(&legal, "POST", "/api/v1/auth/passkeys/register/finish",
				jsonBody(t, map[string]any{"ceremony_id": cer, "credential": newSoftKey(t).create(opts, ch)}))
			if r.Code != 400 || r.problem().Type != typePasskeyCeremony {
				t.Fatalf("another's registration ceremony: %d %s", r.Code, r.Body)
			}
			// The same authenticator twice is refused (and excluded up front).
			cer, ch, opts = beginOptions(t, f.call(&risk, "POST", "/api/v1/auth/passkeys/register/begin", "", "Origin", testOrigin))
			if ex, _ := opts["excludeCredentials"].([]any); len(ex) != 1 {
				t.Fatalf("excludeCredentials: %v", opts["excludeCredentials"])
			}
			r = f.call(&risk, "POST", "/api/v1/auth/passkeys/register/finish", jsonBody(t, map[string]any{"ceremony_id": cer, "credential": k.create(opts, ch)}))
			if r.Code != 422 {
				t.Fatalf("duplicate registration: %d %s", r.Code, r.Body)
			}
		})
		t.Run("throttled", func(t *testing.T) {
			var last response
			for range 8 {
				cer, _ := begin()
				last = finishSignIn(cer, k.get(b64.EncodeToString([]byte("wrong challenge for the throttle test"))))
			}
			if last.Code != 429 {
				t.Fatalf("after many failures: %d %s", last.Code, last.Body)
			}
		})
		_ = pk
	})
}

func TestPasskeyUnavailable(t *testing.T) {
	db := testdb.Open(t, models.SQLite)
	for _, base := range []string{"", "http://127.0.0.1:8080", "http://rampart.example.com"} {
		f := newFixture(t, db, func(d *Deps) { d.BaseURL = base })
		if m := decode[metaResponse](t, f.call(nil, "GET", "/api/v1/meta", "")); m.Passkeys {
			t.Fatalf("%q: meta offers passkeys", base)
		}
		r := f.call(nil, "POST", "/api/v1/auth/login/passkey/begin", "")
		if r.Code != 503 || !strings.Contains(r.problem().Detail, "RAMPART_BASE_URL") {
			t.Fatalf("%q: begin: %d %s", base, r.Code, r.Body)
		}
		s := f.as(models.RoleAuditor)
		if r := f.call(&s, "POST", "/api/v1/auth/passkeys/register/begin", ""); r.Code != 503 {
			t.Fatalf("%q: register: %d %s", base, r.Code, r.Body)
		}
		db = testdb.Open(t, models.SQLite)
	}
}

func TestPasskeyMFAPolicy(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		admin := f.as(models.RoleAdmin)
		if r := f.call(&admin, "PUT", "/api/v1/settings/security", `{"mfa_required_roles":["risk_manager"],"version":1}`); r.Code != 200 {
			t.Fatalf("policy: %d %s", r.Code, r.Body)
		}
		risk := f.as(models.RoleRiskManager)
		if r := f.call(&risk, "GET", "/api/v1/vendors", ""); r.Code != 403 || r.problem().Type != typeMFAEnrolmentRequired {
			t.Fatalf("before enrolment: %d %s", r.Code, r.Body)
		}
		// A passkey satisfies the policy.
		k, pk := f.registerPasskey(&risk, "Key")
		if r := f.call(&risk, "GET", "/api/v1/vendors", ""); r.Code != 200 {
			t.Fatalf("after adding a passkey: %d %s", r.Code, r.Body)
		}
		// The only factor cannot be removed under the policy.
		if r := f.call(&risk, "DELETE", "/api/v1/auth/passkeys/"+pk.ID, ""); r.Code != 422 {
			t.Fatalf("removing the only factor: %d %s", r.Code, r.Body)
		}
		// With TOTP on as well, TOTP may go: the passkey remains.
		f.enrol(&risk)
		if r := f.call(&risk, "POST", "/api/v1/auth/mfa/totp/disable", fmt.Sprintf(`{"password":%q}`, testPassword)); r.Code != 204 {
			t.Fatalf("TOTP off with a passkey left: %d %s", r.Code, r.Body)
		}
		// An admin removing a passkey ends nothing else.
		k2, pk2 := f.registerPasskey(&risk, "Spare")
		rid := f.users[models.RoleRiskManager].ID
		if l := decode[passkeysResponse](t, f.call(&admin, "GET", "/api/v1/users/"+rid+"/passkeys", "")); len(l.Items) != 2 {
			t.Fatalf("admin list: %+v", l)
		}
		if r := f.call(&admin, "DELETE", "/api/v1/users/"+rid+"/passkeys/"+pk2.ID, ""); r.Code != 204 {
			t.Fatalf("admin delete: %d %s", r.Code, r.Body)
		}
		if f.auditCount("passkey.admin_delete") != 1 {
			t.Fatal("admin delete not audited")
		}
		if r := f.call(&risk, "GET", "/api/v1/vendors", ""); r.Code != 200 {
			t.Fatalf("session after an admin removed a passkey: %d", r.Code)
		}
		if r := f.passkeySignIn(k2); r.Code != 422 {
			t.Fatalf("removed passkey: %d", r.Code)
		}
		// The admin MFA reset removes passkeys and ends sessions.
		if r := f.call(&admin, "POST", "/api/v1/users/"+rid+"/mfa/reset", ""); r.Code != 200 {
			t.Fatalf("MFA reset: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "GET", "/api/v1/auth/me", ""); r.Code != 401 {
			t.Fatalf("session after the MFA reset: %d", r.Code)
		}
		if n, _ := models.CountPasskeys(t.Context(), db.Gorm, rid); n != 0 {
			t.Fatalf("%d passkeys after the MFA reset", n)
		}
		if r := f.passkeySignIn(k); r.Code != 422 {
			t.Fatalf("passkey after the MFA reset: %d", r.Code)
		}
		var ev models.AuditEvent
		if err := db.Gorm.Where("action = ?", "mfa.admin_reset").Take(&ev).Error; err != nil || !strings.Contains(ev.Detail, "1 passkey removed") {
			t.Fatalf("reset audit: %+v %v", ev, err)
		}
	})
}

// Two answers to one ceremony at once: the ceremony row is taken by one
// of them, so exactly one signs in.
func TestPasskeyCeremonyAnsweredOnceUnderConcurrency(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		k, _ := f.registerPasskey(&risk, "Laptop")
		for round := range 3 {
			cer, ch, _ := beginOptions(t, f.call(nil, "POST", "/api/v1/auth/login/passkey/begin", "", "Origin", testOrigin))
			bodies := []string{
				jsonBody(t, map[string]any{"ceremony_id": cer, "credential": k.get(ch)}),
				jsonBody(t, map[string]any{"ceremony_id": cer, "credential": k.get(ch)}),
			}
			codes := make(chan int, 2)
			start := make(chan struct{})
			for _, b := range bodies {
				go func() {
					<-start
					codes <- f.call(nil, "POST", "/api/v1/auth/login/passkey/finish", b, "Origin", testOrigin).Code
				}()
			}
			close(start)
			ok := 0
			for range 2 {
				if c := <-codes; c == 200 {
					ok++
				} else if c != 400 && c != 422 {
					t.Errorf("round %d: unexpected %d", round, c)
				}
			}
			if ok != 1 {
				t.Fatalf("round %d: %d sign-ins from one ceremony", round, ok)
			}
		}
	})
}
