package handlers

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

// scimList is a SCIM list response.
type scimList struct {
	TotalResults int              `json:"totalResults"`
	Resources    []map[string]any `json:"Resources"`
}

// TestSCIMProvisioning plays an identity provider's SCIM client: the
// requests Entra ID and Okta send (look-up by userName filter, create,
// PATCH with Entra's "False" string, group membership by value path and by
// list), and checks what Rampart does with each: accounts created or taken
// over by email, roles from the provider's role mappings, deactivation
// ending sessions, the last administrator kept, one provider never seeing
// another's accounts, and the token's life (made once, replaced, revoked).
func TestSCIMProvisioning(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		admin := f.as(models.RoleAdmin)
		provider := func(slug string) ssoProviderResponse {
			body := fmt.Sprintf(`{"slug":%q,"display_name":"Corp Entra","issuer":"https://idp.test/%s","client_id":"c","default_role":"requester",`+
				`"role_mappings":[{"group":"Rampart Risk","role":"risk_manager"},{"group":"0b5e-admins-oid","role":"admin"}]}`, slug, slug)
			r := f.call(&admin, "POST", "/api/v1/settings/sso-providers", body)
			if r.Code != 201 {
				t.Fatalf("provider: %d %s", r.Code, r.Body)
			}
			return decode[ssoProviderResponse](t, r)
		}
		entra := provider("entra")
		tokenFor := func(p ssoProviderResponse) string {
			r := f.call(&admin, "POST", "/api/v1/settings/sso-providers/"+p.ID+"/scim-token", "")
			if r.Code != 201 {
				t.Fatalf("scim token: %d %s", r.Code, r.Body)
			}
			tok := decode[scimTokenResponse](t, r)
			if !strings.HasPrefix(tok.Token, "rsc_") || !strings.HasSuffix(tok.BaseURL, "/scim/v2") || !strings.HasPrefix(tok.Token, tok.Prefix) {
				t.Fatalf("token = %+v", tok)
			}
			return tok.Token
		}
		rm := f.as(models.RoleRiskManager)
		if r := f.call(&rm, "POST", "/api/v1/settings/sso-providers/"+entra.ID+"/scim-token", ""); r.Code != 403 {
			t.Fatalf("a risk manager made a SCIM token: %d", r.Code)
		}
		token := tokenFor(entra)
		sc := func(tok, method, path, body string) response {
			t.Helper()
			return f.call(nil, method, "/scim/v2"+path, body, "Authorization", "Bearer "+tok, "Content-Type", "application/scim+json")
		}
		patch := func(ops string) string {
			return `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":` + ops + `}`
		}
		userRow := func(id string) models.User {
			var u models.User
			if err := db.Gorm.Where("id = ?", id).Take(&u).Error; err != nil {
				t.Fatal(err)
			}
			return u
		}

		// The token opens SCIM and nothing else; nothing else opens SCIM.
		if r := sc("rsc_forged", "GET", "/Users", ""); r.Code != 401 || !strings.Contains(r.Body.String(), "urn:ietf:params:scim:api:messages:2.0:Error") {
			t.Fatalf("forged token: %d %s", r.Code, r.Body)
		}
		if r := f.call(nil, "GET", "/api/v1/vendors", "", "Authorization", "Bearer "+token); r.Code != 401 {
			t.Fatalf("the SCIM token opened the API: %d", r.Code)
		}
		if r := sc(token, "GET", "/ServiceProviderConfig", ""); r.Code != 200 || !strings.Contains(r.Body.String(), `"patch":{"supported":true}`) {
			t.Fatalf("service provider config: %d %s", r.Code, r.Body)
		}

		// Entra ID looks a person up by userName before creating them.
		lookup := func(tok, email string) scimList {
			t.Helper()
			r := sc(tok, "GET", "/Users?filter=userName+eq+%22"+email+"%22", "")
			if r.Code != 200 {
				t.Fatalf("lookup: %d %s", r.Code, r.Body)
			}
			var l scimList
			if err := json.Unmarshal(r.Body.Bytes(), &l); err != nil {
				t.Fatal(err)
			}
			return l
		}
		if l := lookup(token, "alice@corp.test"); l.TotalResults != 0 {
			t.Fatalf("before create: %+v", l)
		}
		alice := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"externalId":"a-1","userName":"Alice@Corp.test","active":true,` +
			`"displayName":"Alice Example","name":{"givenName":"Alice","familyName":"Example"},` +
			`"emails":[{"primary":true,"type":"work","value":"alice@corp.test"}]}`
		r := sc(token, "POST", "/Users", alice)
		if r.Code != 201 {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		var created map[string]any
		_ = json.Unmarshal(r.Body.Bytes(), &created)
		aliceID, _ := created["id"].(string)
		if u := userRow(aliceID); u.Email != "alice@corp.test" || u.Name != "Alice Example" || u.Role != models.RoleRequester || !u.Active ||
			u.SCIMProviderID == nil || *u.SCIMProviderID != entra.ID || u.SCIMExternalID != "a-1" {
			t.Fatalf("created %+v", u)
		}
		if r := sc(token, "POST", "/Users", alice); r.Code != 409 {
			t.Fatalf("second create: %d %s", r.Code, r.Body)
		}
		if l := lookup(token, "alice@corp.test"); l.TotalResults != 1 || l.Resources[0]["id"] != aliceID {
			t.Fatalf("after create: %+v", l)
		}
		for body, why := range map[string]string{
			`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"not an address"}`:                                               "userName not an email",
			`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"b@corp.test","active":"maybe"}`:                                 "active not a boolean",
			`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"b@corp.test","displayName":"` + strings.Repeat("n", 201) + `"}`: "name too long",
			`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":`:                                                                "broken JSON",
		} {
			if r := sc(token, "POST", "/Users", body); r.Code != 400 {
				t.Errorf("%s: %d %s", why, r.Code, r.Body)
			}
		}
		// Hostile text is kept as text.
		r = sc(token, "PATCH", "/Users/"+aliceID, patch(`[{"op":"replace","value":{"displayName":"<img src=x onerror=alert(1)>"}}]`))
		if r.Code != 200 || userRow(aliceID).Name != "<img src=x onerror=alert(1)>" {
			t.Fatalf("hostile name: %d %s", r.Code, r.Body)
		}

		// A group mapped to a role gives it to its members, by name…
		r = sc(token, "POST", "/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Rampart Risk","externalId":"g-1",`+
			`"members":[{"value":"`+aliceID+`"}]}`)
		if r.Code != 201 {
			t.Fatalf("group: %d %s", r.Code, r.Body)
		}
		var group map[string]any
		_ = json.Unmarshal(r.Body.Bytes(), &group)
		groupID, _ := group["id"].(string)
		if u := userRow(aliceID); u.Role != models.RoleRiskManager {
			t.Fatalf("member role = %s", u.Role)
		}
		var audited int64
		db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND object_id = ? AND actor_label = ?", "user.role_change", aliceID, "scim:entra").Count(&audited)
		if audited != 1 {
			t.Fatalf("role change audited %d times", audited)
		}
		// …and Okta's removal by value path takes it back to the default.
		r = sc(token, "PATCH", "/Groups/"+groupID, patch(`[{"op":"remove","path":"members[value eq \"`+aliceID+`\"]"}]`))
		if r.Code != 200 && r.Code != 204 {
			t.Fatalf("remove member: %d %s", r.Code, r.Body)
		}
		if u := userRow(aliceID); u.Role != models.RoleRequester {
			t.Fatalf("after leaving, role = %s", u.Role)
		}
		// Entra ID adds with "Add" and a list; its groups claim names
		// groups by object id, which a mapping may use.
		sc(token, "PATCH", "/Groups/"+groupID, patch(`[{"op":"Add","path":"members","value":[{"value":"`+aliceID+`"}]}]`))
		if u := userRow(aliceID); u.Role != models.RoleRiskManager {
			t.Fatalf("after joining again, role = %s", u.Role)
		}
		if r := sc(token, "POST", "/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Admins","externalId":"0b5e-admins-oid",`+
			`"members":[{"value":"no-such-user"}]}`); r.Code != 400 {
			t.Fatalf("a member the provider does not manage: %d %s", r.Code, r.Body)
		}

		// An account made here is taken over by email; deactivating it with
		// Entra's string boolean ends its sessions.
		legal := f.as(models.RoleLegal)
		legalEmail := f.users[models.RoleLegal].Email
		r = sc(token, "POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"`+legalEmail+`","active":true}`)
		if r.Code != 201 || !strings.Contains(r.Body.String(), f.users[models.RoleLegal].ID) {
			t.Fatalf("take over: %d %s", r.Code, r.Body)
		}
		if r := f.call(&legal, "GET", "/api/v1/auth/me", ""); r.Code != 200 {
			t.Fatalf("the session ended on take-over: %d", r.Code)
		}
		if got := decode[userResponse](t, f.call(&admin, "GET", "/api/v1/users/"+f.users[models.RoleLegal].ID, "")); got.ProvisionedBy == nil || *got.ProvisionedBy != "Corp Entra" {
			t.Fatalf("the user page does not name the provider: %+v", got)
		}
		r = sc(token, "PATCH", "/Users/"+f.users[models.RoleLegal].ID, patch(`[{"op":"Replace","path":"active","value":"False"}]`))
		if r.Code != 200 {
			t.Fatalf("deactivate: %d %s", r.Code, r.Body)
		}
		if u := userRow(f.users[models.RoleLegal].ID); u.Active || u.SCIMActive {
			t.Fatalf("still active: %+v", u)
		}
		if r := f.call(&legal, "GET", "/api/v1/auth/me", ""); r.Code != 401 {
			t.Fatalf("the session outlived deactivation: %d", r.Code)
		}
		// The last active administrator stays one.
		adminID := f.users[models.RoleAdmin].ID
		sc(token, "POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"`+f.users[models.RoleAdmin].Email+`"}`)
		if u := userRow(adminID); u.Role != models.RoleAdmin || !u.Active {
			t.Fatalf("the last administrator lost access on take-over: %+v", u)
		}
		if r := sc(token, "PATCH", "/Users/"+adminID, patch(`[{"op":"replace","path":"active","value":false}]`)); r.Code != 400 ||
			!strings.Contains(r.Body.String(), "last active administrator") {
			t.Fatalf("deactivating the last administrator: %d %s", r.Code, r.Body)
		}
		if u := userRow(adminID); !u.Active {
			t.Fatal("the last administrator was deactivated")
		}

		// Another provider sees none of this one's accounts or groups.
		other := tokenFor(provider("okta"))
		if l := lookup(other, "alice@corp.test"); l.TotalResults != 0 {
			t.Fatalf("the other provider sees %+v", l)
		}
		if r := sc(other, "GET", "/Users/"+aliceID, ""); r.Code != 404 {
			t.Fatalf("the other provider read an account: %d", r.Code)
		}
		if r := sc(other, "DELETE", "/Groups/"+groupID, ""); r.Code != 404 {
			t.Fatalf("the other provider deleted a group: %d", r.Code)
		}

		// Deprovisioning deactivates the account and keeps it.
		if r := sc(token, "DELETE", "/Users/"+aliceID, ""); r.Code != 204 {
			t.Fatalf("delete: %d %s", r.Code, r.Body)
		}
		if r := sc(token, "GET", "/Users/"+aliceID, ""); r.Code != 404 {
			t.Fatalf("after delete: %d", r.Code)
		}
		if u := userRow(aliceID); u.Active || u.SCIMProviderID != nil {
			t.Fatalf("after delete: %+v", u)
		}

		// Settings show provisioning; replacing the token ends the old one,
		// revoking turns provisioning off.
		got := decode[ssoProviderResponse](t, f.call(&admin, "GET", "/api/v1/settings/sso-providers/"+entra.ID, ""))
		if !got.SCIM.Enabled || got.SCIM.LastUsedAt == nil || got.SCIM.Users != 2 {
			t.Fatalf("scim status %+v", got.SCIM)
		}
		fresh := tokenFor(entra)
		if r := sc(token, "GET", "/Users", ""); r.Code != 401 {
			t.Fatalf("the replaced token still works: %d", r.Code)
		}
		if r := f.call(&admin, "DELETE", "/api/v1/settings/sso-providers/"+entra.ID+"/scim-token", ""); r.Code != 204 {
			t.Fatalf("revoke: %d", r.Code)
		}
		if r := sc(fresh, "GET", "/Users", ""); r.Code != 401 {
			t.Fatalf("the revoked token still works: %d", r.Code)
		}
		var tokenEvents int64
		db.Gorm.Model(&models.AuditEvent{}).Where("action IN ?", []string{"scim.token_create", "scim.token_revoke"}).Count(&tokenEvents)
		if tokenEvents != 4 {
			t.Fatalf("token events = %d, want 4 (three made, one revoked)", tokenEvents)
		}
	})
}
