package sso_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rampart/app/sso"
	"rampart/models"
	"rampart/models/testdb"
)

func write(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "providers.json")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProvidersFileIsCheckedWhole(t *testing.T) {
	for body, want := range map[string]string{
		`{"slug":"x"}`: "not a JSON array",
		`[{"slug":"okta","display_name":"Okta","issuer":"https://o.test","client_id":"c","colour":"red"}]`:                                                      "unknown field",
		`[{"slug":"okta","display_name":"Okta","issuer":"http://o.test","client_id":"c"}]`:                                                                      "issuer must use https",
		`[{"slug":"okta","display_name":"Okta","issuer":"https://o.test","client_id":"c","client_secret_env":"RAMPART_TEST_NO_SUCH_VAR"}]`:                      "RAMPART_TEST_NO_SUCH_VAR is not set",
		`[{"slug":"a","display_name":"A","issuer":"https://a.test","client_id":"c"},{"slug":"a","display_name":"B","issuer":"https://b.test","client_id":"c"}]`: "used twice",
		`[{"slug":"okta","display_name":"Okta","issuer":"https://o.test","client_id":"c","role_mappings":[{"group":"g","role":"root"}]}]`:                       "role_mappings[0].role",
	} {
		if _, err := sso.LoadFile(write(t, body)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", body, err, want)
		}
	}
}

// The file's providers are created, then updated when the file changes,
// each change audited as the configuration's; an unchanged file changes
// nothing, and a provider added in Settings stays.
func TestProvidersFileSyncs(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		t.Setenv("RAMPART_TEST_OKTA_SECRET", "from-the-environment")
		svc := &sso.Service{DB: db.Gorm}
		if err := models.CreateSSOProvider(ctx, db.Gorm, &models.SSOProvider{Slug: "manual", DisplayName: "Manual", Issuer: "https://m.test",
			ClientID: "m", Scopes: models.StringList{"openid"}, GroupsClaim: "groups", RoleMappings: models.RoleMappings{}, Enabled: true, Version: 1}); err != nil {
			t.Fatal(err)
		}
		file := `[{"slug":"okta","display_name":"Okta","issuer":"https://corp.okta.test","client_id":"0oa1","client_secret_env":"RAMPART_TEST_OKTA_SECRET",
			"scopes":["email","profile","groups"],"role_mappings":[{"group":"rampart-admins","role":"admin"}],"default_role":"requester","allow_create":true}]`
		list, err := sso.LoadFile(write(t, file))
		if err != nil {
			t.Fatal(err)
		}
		for round, want := range []int{1, 0} {
			if n, err := svc.Sync(ctx, list); err != nil || n != want {
				t.Fatalf("round %d: %d changed (%v), want %d", round, n, err, want)
			}
		}
		p, err := models.SSOProviderBySlug(ctx, db.Gorm, "okta")
		if err != nil {
			t.Fatal(err)
		}
		if p.ClientSecret != "from-the-environment" || strings.Join(p.Scopes, " ") != "openid email profile groups" || p.DefaultRole != models.RoleRequester ||
			len(p.RoleMappings) != 1 || !p.AllowCreate || !p.Enabled {
			t.Fatalf("synced: %+v", p)
		}
		list[0].DisplayName = "Okta (staff)"
		if n, err := svc.Sync(ctx, list); err != nil || n != 1 {
			t.Fatalf("after a change: %d %v", n, err)
		}
		if p, _ := models.SSOProviderBySlug(ctx, db.Gorm, "okta"); p.DisplayName != "Okta (staff)" || p.Version != 2 {
			t.Fatalf("updated: %+v", p)
		}
		all, _ := models.ListSSOProviders(ctx, db.Gorm, false)
		if len(all) != 2 {
			t.Fatalf("%d providers, want the file's and the manual one", len(all))
		}
		var actions []string
		db.Gorm.Model(&models.AuditEvent{}).Where("object_type = ?", "sso_provider").Order("seq").Pluck("action", &actions)
		if strings.Join(actions, ",") != "sso.provider_create,sso.provider_update" {
			t.Errorf("audited: %v", actions)
		}
		var leaked int64
		db.Gorm.Model(&models.AuditEvent{}).Where("after_data LIKE ?", "%from-the-environment%").Count(&leaked)
		if leaked != 0 {
			t.Error("the secret is in the audit trail")
		}
		if p.Protocol != models.ProtocolOIDC {
			t.Errorf("a file provider's protocol: %q", p.Protocol)
		}
		// A file entry with a SAML provider's slug stops the start and
		// changes nothing.
		if err := db.Gorm.Model(&models.SSOProvider{}).Where("slug = ?", "manual").Update("protocol", models.ProtocolSAML).Error; err != nil {
			t.Fatal(err)
		}
		list[0].Slug = "manual"
		if _, err := svc.Sync(ctx, list); err == nil || !strings.Contains(err.Error(), "is a SAML provider") {
			t.Errorf("a file entry over a SAML provider: %v", err)
		}
		if m, err := models.SAMLProviderBySlug(ctx, db.Gorm, "manual"); err != nil || m.Issuer != "https://m.test" || m.Version != 1 {
			t.Errorf("the SAML provider after the refused sync: %+v %v", m, err)
		}
	})
}
