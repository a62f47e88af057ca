package sso

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"

	"gorm.io/gorm"

	"rampart/models"
)

// FileProvider is one provider in the file --sso-providers-file names, for
// infrastructure as code: the same settings as the Settings page, and the
// client secret either inline or, better, in an environment variable.
type FileProvider struct {
	Slug            string              `json:"slug"`
	DisplayName     string              `json:"display_name"`
	Issuer          string              `json:"issuer"`
	ClientID        string              `json:"client_id"`
	ClientSecret    string              `json:"client_secret"`
	ClientSecretEnv string              `json:"client_secret_env"`
	Scopes          []string            `json:"scopes"`
	GroupsClaim     string              `json:"groups_claim"`
	RoleMappings    models.RoleMappings `json:"role_mappings"`
	DefaultRole     models.Role         `json:"default_role"`
	AllowCreate     bool                `json:"allow_create"`
	TrustEmail      bool                `json:"trust_email"`
	Enabled         *bool               `json:"enabled"`
}

// LoadFile reads and checks a providers file: a JSON array of
// FileProvider. Unknown keys are errors (a typo must not pass silently).
func LoadFile(path string) ([]FileProvider, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var list []FileProvider
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("not a JSON array of providers: %w", err)
	}
	seen := map[string]bool{}
	for i := range list {
		p := &list[i]
		if p.ClientSecretEnv != "" {
			v, ok := os.LookupEnv(p.ClientSecretEnv)
			if !ok {
				return nil, fmt.Errorf("provider %d (%s): the environment variable %s is not set", i+1, p.Slug, p.ClientSecretEnv)
			}
			p.ClientSecret = v
		}
		if seen[p.Slug] {
			return nil, fmt.Errorf("provider %d: slug %q is used twice", i+1, p.Slug)
		}
		seen[p.Slug] = true
		if err := apply(&models.SSOProvider{}, p.fields()); err != nil {
			var ve *models.ValidationError
			if errors.As(err, &ve) {
				return nil, fmt.Errorf("provider %d (%s): %s %s", i+1, p.Slug, ve.Errors[0].Field, ve.Errors[0].Message)
			}
			return nil, err
		}
	}
	return list, nil
}

func (p *FileProvider) fields() Fields {
	enabled := p.Enabled == nil || *p.Enabled
	scopes := p.Scopes
	if scopes == nil {
		scopes = []string{"email", "profile"}
	}
	claim := p.GroupsClaim
	if claim == "" {
		claim = "groups"
	}
	maps := p.RoleMappings
	if maps == nil {
		maps = models.RoleMappings{}
	}
	return Fields{Slug: &p.Slug, DisplayName: &p.DisplayName, Issuer: &p.Issuer, ClientID: &p.ClientID, ClientSecret: &p.ClientSecret,
		Scopes: &scopes, GroupsClaim: &claim, RoleMappings: &maps, DefaultRole: &p.DefaultRole, AllowCreate: &p.AllowCreate,
		TrustEmail: &p.TrustEmail, Enabled: &enabled}
}

// Sync makes the stored providers match list, by slug: missing ones are
// created and differing ones updated, each audited as the configuration's
// doing; providers not in the file are left alone. It returns how many
// changed.
func (s *Service) Sync(ctx context.Context, list []FileProvider) (int, error) {
	changed := 0
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for i := range list {
			fp := &list[i]
			var cur models.SSOProvider
			err := tx.Where("slug = ?", fp.Slug).Take(&cur).Error
			if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
				return err
			}
			if cur.IsSAML() {
				return fmt.Errorf("provider #%d (%s): %q is a SAML provider, and the file configures OpenID Connect providers only", i+1, fp.Slug, fp.Slug)
			}
			next := cur
			if errors.Is(err, gorm.ErrRecordNotFound) {
				next = models.SSOProvider{Protocol: models.ProtocolOIDC, Version: 1}
			}
			if err := apply(&next, fp.fields()); err != nil {
				return err
			}
			action := "sso.provider_update"
			var before map[string]any
			if cur.ID == "" {
				action = "sso.provider_create"
				if err := models.CreateSSOProvider(ctx, tx, &next); err != nil {
					return err
				}
			} else {
				before = view(&cur)
				if fmt.Sprint(before) == fmt.Sprint(view(&next)) && cur.ClientSecret == next.ClientSecret {
					continue
				}
				if err := tx.Model(&models.SSOProvider{}).Where("id = ?", cur.ID).Updates(map[string]any{"display_name": next.DisplayName,
					"issuer": next.Issuer, "client_id": next.ClientID, "client_secret": next.ClientSecret, "scopes": next.Scopes,
					"groups_claim": next.GroupsClaim, "role_mappings": next.RoleMappings, "default_role": next.DefaultRole,
					"allow_create": next.AllowCreate, "trust_email": next.TrustEmail, "enabled": next.Enabled,
					"version": gorm.Expr("version + 1"), "updated_at": s.now()}).Error; err != nil {
					return err
				}
				s.Forget(cur.Issuer)
			}
			changed++
			b, a := models.AuditDiff(before, view(&next))
			if before == nil {
				a = models.AuditJSON(view(&next))
			}
			if err := models.AppendAudit(ctx, tx, &models.AuditEvent{ActorType: models.ActorSystem, ActorLabel: "configuration (--sso-providers-file)",
				Action: action, ObjectType: "sso_provider", ObjectID: next.ID, BeforeData: b, AfterData: a, Detail: next.DisplayName + " #" + strconv.Itoa(i+1)}); err != nil {
				return err
			}
		}
		return nil
	})
	return changed, err
}
