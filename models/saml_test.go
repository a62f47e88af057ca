package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
)

// laterProviderColumns are the sso_providers columns 00059 adds: a test
// that creates a provider on a database migrated only part of the way
// leaves them out.
var laterProviderColumns = []string{"protocol", "saml_metadata_url", "saml_idp_metadata", "saml_email_attribute", "saml_name_attribute",
	"saml_allow_idp_initiated", "saml_sp_key", "saml_sp_certificate"}

// TestSAMLMigration: identity providers that exist before 00059 come
// through it as OpenID Connect providers with no SAML settings; an
// assertion is accepted once until it expires, and goes with its provider.
func TestSAMLMigration(t *testing.T) {
	for _, d := range []models.Dialect{models.SQLite, models.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := testdb.OpenEmpty(t, d)
			if err := db.MigrateUpTo(ctx, 58); err != nil {
				t.Fatal(err)
			}
			g := db.Gorm
			p := &models.SSOProvider{Slug: "corp", DisplayName: "Corp", Issuer: "https://idp.test", ClientID: "c", Scopes: models.StringList{"openid"},
				RoleMappings: models.RoleMappings{}, Enabled: true}
			must(t, g.Omit(laterProviderColumns...).Create(p).Error)
			if _, err := db.Migrate(ctx, quiet); err != nil {
				t.Fatal(err)
			}
			got, err := models.GetSSOProvider(ctx, g, p.ID)
			if err != nil || got.Protocol != models.ProtocolOIDC || got.IsSAML() || got.SAMLIdPMetadata != "" || got.SAMLAllowIdPInitiated || got.SAMLSPKey != "" {
				t.Fatalf("provider after migration: %+v %v", got, err)
			}
			if _, err := models.SAMLProviderBySlug(ctx, g, "corp"); !errors.Is(err, models.ErrNotFound) {
				t.Fatalf("an OIDC provider found as SAML: %v", err)
			}
			now := time.Now().UTC()
			must(t, models.ConsumeSAMLAssertion(ctx, g, "a1", p.ID, now.Add(time.Minute), now))
			if err := models.ConsumeSAMLAssertion(ctx, g, "a1", p.ID, now.Add(time.Minute), now); !errors.Is(err, models.ErrConflict) {
				t.Fatalf("second use of an assertion: %v", err)
			}
			// Once expired, the record is dropped (the assertion itself is
			// refused by its own NotOnOrAfter by then).
			must(t, models.ConsumeSAMLAssertion(ctx, g, "a1", p.ID, now.Add(3*time.Minute), now.Add(2*time.Minute)))
			must(t, models.DeleteSSOProvider(ctx, g, p.ID))
			var n int64
			g.Model(&models.SAMLAssertion{}).Count(&n)
			if n != 0 {
				t.Fatalf("%d assertions outlived their provider", n)
			}
		})
	}
}
