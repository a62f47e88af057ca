package models_test

import (
	"context"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

// laterUserColumns are the users columns later migrations add: a test
// that creates a user on a database migrated only part of the way leaves
// them out.
// laterVendorColumns are the vendors columns added by later migrations
// (00065 and 00066, the DORA register), left out when a test writes a vendor into an
// older schema.
var laterVendorColumns = []string{"lei", "dora_country", "dora_person_type", "dora_parent_lei", "dora_intra_group"}

// laterContractColumns are the contracts columns added by 00065.
var laterContractColumns = []string{"dora_in_scope", "dora_reference", "dora_governing_law", "dora_provider_notice_days", "dora_termination_reason", "dora_ict_service_type", "dora_function_id", "dora_function_name", "dora_licensed_activity", "dora_criticality", "dora_criticality_reason", "dora_criticality_assessed_on", "dora_rto_hours", "dora_rpo_hours", "dora_function_impact", "dora_stores_data", "dora_storage_location", "dora_processing_location", "dora_data_sensitiveness", "dora_reliance", "dora_substitutability", "dora_substitution_reason", "dora_last_audit", "dora_exit_plan", "dora_reintegration", "dora_discontinuing_impact", "dora_alternatives", "dora_alternative_providers"}

var laterUserColumns = []string{"totp_secret", "totp_pending", "totp_enabled_at", "totp_last_step", "must_change_password",
	"scim_provider_id", "scim_external_id", "scim_active"}

// TestSCIMMigration: users and identity providers that exist before 00058
// come through it managed here (no provider), with provisioning off; a
// provider's groups and memberships go with the provider, and an account
// it managed stays, managed here again.
func TestSCIMMigration(t *testing.T) {
	for _, d := range []models.Dialect{models.SQLite, models.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := testdb.OpenEmpty(t, d)
			if err := db.MigrateUpTo(ctx, 57); err != nil {
				t.Fatal(err)
			}
			g := db.Gorm
			u := &models.User{Email: "r@corp.test", Name: "R", Role: models.RoleRiskManager, Active: true, PasswordHash: "x"}
			p := &models.SSOProvider{Slug: "corp", DisplayName: "Corp", Issuer: "https://idp.test", ClientID: "c", Scopes: models.StringList{"openid"},
				RoleMappings: models.RoleMappings{}, Enabled: true}
			must(t, g.Omit("scim_provider_id", "scim_external_id", "scim_active").Create(u).Error,
				g.Omit(append([]string{"scim_token_hash", "scim_token_prefix", "scim_token_created_at", "scim_last_used_at"}, laterProviderColumns...)...).Create(p).Error)
			if _, err := db.Migrate(ctx, quiet); err != nil {
				t.Fatal(err)
			}
			got, err := models.UserByID(ctx, g, u.ID)
			if err != nil || got.SCIMProviderID != nil || got.SCIMActive || !got.Active {
				t.Fatalf("user after migration: %+v %v", got, err)
			}
			if _, err := models.SSOProviderBySCIMToken(ctx, g, ""); err != models.ErrNotFound {
				t.Fatalf("a provider without a token was found by the empty hash: %v", err)
			}
			must(t, models.SetSCIMToken(ctx, g, p.ID, "h", "rsc_abc", got.CreatedAt))
			if found, err := models.SSOProviderBySCIMToken(ctx, g, "h"); err != nil || found.ID != p.ID || found.SCIMTokenPrefix != "rsc_abc" {
				t.Fatalf("by token: %+v %v", found, err)
			}
			grp := &models.SCIMGroup{ProviderID: p.ID, DisplayName: "Risk"}
			must(t, g.Create(grp).Error, g.Model(got).Update("scim_provider_id", p.ID).Error,
				g.Create(&models.SCIMGroupMember{GroupID: grp.ID, UserID: u.ID}).Error)
			must(t, models.DeleteSSOProvider(ctx, g, p.ID))
			var groups, members int64
			g.Model(&models.SCIMGroup{}).Count(&groups)
			g.Model(&models.SCIMGroupMember{}).Count(&members)
			after, err := models.UserByID(ctx, g, u.ID)
			if groups != 0 || members != 0 || err != nil || after.SCIMProviderID != nil {
				t.Fatalf("after the provider went: %d groups, %d members, user %+v %v", groups, members, after, err)
			}
		})
	}
}
