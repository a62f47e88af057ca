package sso

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/models"
)

// Fields are a provider's settings as an admin gives them; nil leaves one
// unchanged on update. An empty ClientSecret on update keeps the stored one.
type Fields struct {
	Slug         *string
	DisplayName  *string
	Issuer       *string
	ClientID     *string
	ClientSecret *string
	Scopes       *[]string
	GroupsClaim  *string
	RoleMappings *models.RoleMappings
	DefaultRole  *models.Role
	AllowCreate  *bool
	TrustEmail   *bool
	Enabled      *bool
	// Protocol is oidc (the default) or saml, fixed at creation.
	Protocol *string
	// SAML: the IdP metadata, pasted or fetched from SAMLMetadataURL when
	// no XML is given; the attributes carrying email and name (GroupsClaim
	// names the groups attribute); IdP-initiated sign-in.
	SAMLMetadataURL       *string
	SAMLIdPMetadata       *string
	SAMLEmailAttribute    *string
	SAMLNameAttribute     *string
	SAMLAllowIdPInitiated *bool
}

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// apply validates f onto p, naming each bad field.
func apply(p *models.SSOProvider, f Fields) error {
	trim := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	trim(&p.Slug, f.Slug)
	trim(&p.DisplayName, f.DisplayName)
	trim(&p.Issuer, f.Issuer)
	trim(&p.ClientID, f.ClientID)
	if f.ClientSecret != nil && *f.ClientSecret != "" {
		p.ClientSecret = *f.ClientSecret
	}
	trim(&p.GroupsClaim, f.GroupsClaim)
	trim(&p.SAMLMetadataURL, f.SAMLMetadataURL)
	// Empty metadata keeps the stored one (as an empty client secret does).
	if f.SAMLIdPMetadata != nil && strings.TrimSpace(*f.SAMLIdPMetadata) != "" {
		p.SAMLIdPMetadata = strings.TrimSpace(*f.SAMLIdPMetadata)
	}
	trim(&p.SAMLEmailAttribute, f.SAMLEmailAttribute)
	trim(&p.SAMLNameAttribute, f.SAMLNameAttribute)
	if f.SAMLAllowIdPInitiated != nil {
		p.SAMLAllowIdPInitiated = *f.SAMLAllowIdPInitiated
	}
	if f.Scopes != nil {
		p.Scopes = models.StringList{"openid"}
		for _, s := range *f.Scopes {
			if s = strings.TrimSpace(s); s != "" && !slices.Contains(p.Scopes, s) {
				p.Scopes = append(p.Scopes, s)
			}
		}
	}
	if f.RoleMappings != nil {
		p.RoleMappings = *f.RoleMappings
	}
	if f.DefaultRole != nil {
		p.DefaultRole = *f.DefaultRole
	}
	if f.AllowCreate != nil {
		p.AllowCreate = *f.AllowCreate
	}
	if f.TrustEmail != nil {
		p.TrustEmail = *f.TrustEmail
	}
	if f.Enabled != nil {
		p.Enabled = *f.Enabled
	}
	var errs []models.FieldError
	bad := func(field, msg string) { errs = append(errs, models.FieldError{Field: field, Message: msg}) }
	if !slugPattern.MatchString(p.Slug) {
		bad("slug", "must be 1 to 40 lower-case letters, digits and hyphens, starting with a letter or digit (it is part of the callback URL)")
	}
	if p.DisplayName == "" || len([]rune(p.DisplayName)) > 80 {
		bad("display_name", "is required, at most 80 characters (the sign-in button says “Sign in with” it)")
	}
	if p.IsSAML() {
		checkSAML(p, bad)
	} else {
		if msg := checkIssuer(p.Issuer); msg != "" {
			bad("issuer", msg)
		}
		if p.ClientID == "" || len(p.ClientID) > 500 {
			bad("client_id", "is required, at most 500 characters")
		}
	}
	if len(p.ClientSecret) > 2000 {
		bad("client_secret", "must be at most 2000 characters")
	}
	if len(p.Scopes) > 20 {
		bad("scopes", "must be at most 20")
	}
	if p.GroupsClaim == "" || len(p.GroupsClaim) > 100 {
		bad("groups_claim", "is required, at most 100 characters (often groups, or roles)")
	}
	if len(p.RoleMappings) > 50 {
		bad("role_mappings", "must be at most 50")
	}
	for i, m := range p.RoleMappings {
		at := "role_mappings[" + strconv.Itoa(i) + "]"
		if strings.TrimSpace(m.Group) == "" || len(m.Group) > 200 {
			bad(at+".group", "is required, at most 200 characters")
		}
		if !m.Role.Valid() {
			bad(at+".role", "is not a role")
		}
	}
	if p.DefaultRole != "" && !p.DefaultRole.Valid() {
		bad("default_role", "must be a role, or empty to refuse people no group maps")
	}
	if len(errs) > 0 {
		return &models.ValidationError{Errors: errs}
	}
	return nil
}

// checkSAML checks a SAML provider's settings; the IdP's entity id in
// its metadata becomes the provider's issuer.
func checkSAML(p *models.SSOProvider, bad func(field, msg string)) {
	if p.SAMLIdPMetadata == "" {
		bad("saml_idp_metadata", "is required: paste the identity provider's metadata XML, or give its metadata URL")
	} else if md, err := ParseIdPMetadata(p.SAMLIdPMetadata); err != nil {
		bad("saml_idp_metadata", err.Error())
	} else if len(md.EntityID) > 1000 {
		bad("saml_idp_metadata", "has an entity id longer than 1000 characters")
	} else {
		p.Issuer = md.EntityID
	}
	if len(p.SAMLMetadataURL) > 2048 {
		bad("saml_metadata_url", "must be at most 2048 characters")
	}
	if len(p.SAMLEmailAttribute) > 1000 {
		bad("saml_email_attribute", "must be at most 1000 characters")
	}
	if len(p.SAMLNameAttribute) > 1000 {
		bad("saml_name_attribute", "must be at most 1000 characters")
	}
}

// fetchMetadata fills in the IdP metadata from its URL when an admin gives
// the URL and no XML.
func (s *Service) fetchMetadata(ctx context.Context, f *Fields) error {
	if f.SAMLMetadataURL == nil || strings.TrimSpace(*f.SAMLMetadataURL) == "" || (f.SAMLIdPMetadata != nil && strings.TrimSpace(*f.SAMLIdPMetadata) != "") {
		return nil
	}
	xml, msg := s.FetchIdPMetadata(ctx, strings.TrimSpace(*f.SAMLMetadataURL))
	if msg != "" {
		return models.Invalid("saml_metadata_url", msg)
	}
	f.SAMLIdPMetadata = &xml
	return nil
}

// checkIssuer wants https, or http on this machine (a provider under test).
func checkIssuer(raw string) string {
	u, err := url.Parse(raw)
	if raw == "" || err != nil || !u.IsAbs() || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "must be the provider's issuer URL, e.g. https://login.example.com/realms/staff"
	}
	host := u.Hostname()
	local := host == "localhost" || host == "127.0.0.1" || host == "::1"
	if u.Scheme != "https" && !(u.Scheme == "http" && local) {
		return "must use https (http only on this machine)"
	}
	return ""
}

// view is what the audit trail keeps of a provider: never the secret.
func view(p *models.SSOProvider) map[string]any {
	if p.IsSAML() {
		sum := sha256.Sum256([]byte(p.SAMLIdPMetadata))
		return map[string]any{"protocol": p.Protocol, "slug": p.Slug, "display_name": p.DisplayName, "issuer": p.Issuer,
			"saml_metadata_url": p.SAMLMetadataURL, "saml_idp_metadata_sha256": hex.EncodeToString(sum[:]),
			"saml_email_attribute": p.SAMLEmailAttribute, "saml_name_attribute": p.SAMLNameAttribute, "groups_claim": p.GroupsClaim,
			"role_mappings": p.RoleMappings, "default_role": p.DefaultRole, "allow_create": p.AllowCreate,
			"saml_allow_idp_initiated": p.SAMLAllowIdPInitiated, "enabled": p.Enabled}
	}
	return map[string]any{"slug": p.Slug, "display_name": p.DisplayName, "issuer": p.Issuer, "client_id": p.ClientID,
		"scopes": p.Scopes, "groups_claim": p.GroupsClaim, "role_mappings": p.RoleMappings, "default_role": p.DefaultRole,
		"allow_create": p.AllowCreate, "trust_email": p.TrustEmail, "enabled": p.Enabled}
}

func slugTaken(err error) error {
	if errors.Is(err, models.ErrConflict) {
		return models.Invalid("slug", "is already used by another provider")
	}
	return err
}

// CreateProvider registers a provider.
func (s *Service) CreateProvider(ctx context.Context, p *auth.Principal, f Fields, o auth.Origin) (*models.SSOProvider, error) {
	pr := &models.SSOProvider{Protocol: models.ProtocolOIDC, Scopes: models.StringList{"openid", "email", "profile"}, GroupsClaim: "groups",
		RoleMappings: models.RoleMappings{}, Enabled: true, Version: 1}
	if f.Protocol != nil && *f.Protocol != "" {
		switch *f.Protocol {
		case models.ProtocolOIDC:
		case models.ProtocolSAML:
			pr.Protocol, pr.Scopes, pr.SAMLEmailAttribute, pr.SAMLNameAttribute = models.ProtocolSAML, models.StringList{}, "email", "name"
		default:
			return nil, models.Invalid("protocol", "must be oidc or saml")
		}
	}
	if pr.IsSAML() {
		if err := s.fetchMetadata(ctx, &f); err != nil {
			return nil, err
		}
	}
	if err := apply(pr, f); err != nil {
		return nil, err
	}
	if pr.IsSAML() {
		var err error
		if pr.SAMLSPKey, pr.SAMLSPCertificate, err = newSPKeyPair(pr.Slug, s.now()); err != nil {
			return nil, err
		}
	}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.CreateSSOProvider(ctx, tx, pr); err != nil {
			return slugTaken(err)
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "sso.provider_create", ObjectType: "sso_provider", ObjectID: pr.ID,
			AfterData: models.AuditJSON(view(pr)), Detail: pr.DisplayName})
	})
	return pr, err
}

// UpdateProvider changes a provider at version; on a stale version it
// returns the provider as stored with models.ErrConflict.
func (s *Service) UpdateProvider(ctx context.Context, p *auth.Principal, id string, version int64, f Fields, o auth.Origin) (*models.SSOProvider, error) {
	var out *models.SSOProvider
	if err := s.fetchMetadata(ctx, &f); err != nil {
		return nil, err
	}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := models.GetSSOProvider(ctx, tx, id)
		if err != nil {
			return err
		}
		if f.Protocol != nil && *f.Protocol != "" && *f.Protocol != before.Protocol {
			return models.Invalid("protocol", "cannot change: add another provider")
		}
		after := *before
		if err := apply(&after, f); err != nil {
			return err
		}
		out, err = models.UpdateSSOProvider(ctx, tx, id, version, map[string]any{"slug": after.Slug, "display_name": after.DisplayName,
			"issuer": after.Issuer, "client_id": after.ClientID, "client_secret": after.ClientSecret, "scopes": after.Scopes,
			"groups_claim": after.GroupsClaim, "role_mappings": after.RoleMappings, "default_role": after.DefaultRole,
			"allow_create": after.AllowCreate, "trust_email": after.TrustEmail, "enabled": after.Enabled,
			"saml_metadata_url": after.SAMLMetadataURL, "saml_idp_metadata": after.SAMLIdPMetadata, "saml_email_attribute": after.SAMLEmailAttribute,
			"saml_name_attribute": after.SAMLNameAttribute, "saml_allow_idp_initiated": after.SAMLAllowIdPInitiated})
		if err != nil {
			if out == nil {
				return slugTaken(err)
			}
			return err
		}
		s.Forget(before.Issuer)
		b, a := models.AuditDiff(view(before), view(out))
		detail := ""
		if f.ClientSecret != nil && *f.ClientSecret != "" {
			detail = "client secret changed"
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "sso.provider_update", ObjectType: "sso_provider", ObjectID: id,
			BeforeData: b, AfterData: a, Detail: detail})
	})
	if errors.Is(err, models.ErrConflict) && out == nil {
		out, _ = models.GetSSOProvider(ctx, s.DB, id)
	}
	return out, err
}

// DeleteProvider removes a provider; its users stay and sign in otherwise.
func (s *Service) DeleteProvider(ctx context.Context, p *auth.Principal, id string, o auth.Origin) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		pr, err := models.GetSSOProvider(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := models.DeleteSSOProvider(ctx, tx, id); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "sso.provider_delete", ObjectType: "sso_provider", ObjectID: id,
			BeforeData: models.AuditJSON(view(pr)), Detail: pr.DisplayName})
	})
}
