package models

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// RoleMapping gives the users in an identity provider's group a role.
type RoleMapping struct {
	Group string `json:"group"`
	Role  Role   `json:"role"`
}

// RoleMappings is stored as a JSON array; the first match wins.
type RoleMappings []RoleMapping

// Value implements driver.Valuer.
func (m RoleMappings) Value() (driver.Value, error) {
	if m == nil {
		m = RoleMappings{}
	}
	b, err := json.Marshal(m)
	return string(b), err
}

// Scan implements sql.Scanner.
func (m *RoleMappings) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("role mappings: cannot scan %T", src)
	}
	return json.Unmarshal(b, m)
}

// Protocols an identity provider speaks.
const (
	ProtocolOIDC = "oidc"
	ProtocolSAML = "saml"
)

// SSOProvider is an identity provider people sign in with, over OpenID
// Connect or SAML 2.0 (Protocol). A SAML provider's Issuer is its entity id
// and GroupsClaim names its groups attribute.
type SSOProvider struct {
	Base
	Protocol     string       `gorm:"not null;default:'oidc'"`
	Slug         string       `gorm:"not null"`
	DisplayName  string       `gorm:"not null"`
	Issuer       string       `gorm:"not null"`
	ClientID     string       `gorm:"not null"`
	ClientSecret string       `gorm:"not null;default:''"`
	Scopes       StringList   `gorm:"type:text;not null"`
	GroupsClaim  string       `gorm:"not null;default:'groups'"`
	RoleMappings RoleMappings `gorm:"type:text;not null"`
	DefaultRole  Role         `gorm:"not null;default:''"`
	AllowCreate  bool         `gorm:"not null"`
	TrustEmail   bool         `gorm:"not null"`
	Enabled      bool         `gorm:"not null"`
	Version      int64        `gorm:"not null;default:1"`
	// SCIM provisioning: the SHA-256 of the provider's bearer token ("" when
	// provisioning is off) and the token's first characters, shown to tell
	// tokens apart.
	SCIMTokenHash      string     `gorm:"column:scim_token_hash;not null;default:''"`
	SCIMTokenPrefix    string     `gorm:"column:scim_token_prefix;not null;default:''"`
	SCIMTokenCreatedAt *time.Time `gorm:"column:scim_token_created_at"`
	SCIMLastUsedAt     *time.Time `gorm:"column:scim_last_used_at"`
	// SAML: the identity provider's metadata (as fetched from
	// SAMLMetadataURL, or pasted), the attributes carrying email and name,
	// whether the provider may start a sign-in, and this service
	// provider's key pair for it (PEM; the key is never shown).
	SAMLMetadataURL       string `gorm:"column:saml_metadata_url;not null;default:''"`
	SAMLIdPMetadata       string `gorm:"column:saml_idp_metadata;not null;default:''"`
	SAMLEmailAttribute    string `gorm:"column:saml_email_attribute;not null;default:''"`
	SAMLNameAttribute     string `gorm:"column:saml_name_attribute;not null;default:''"`
	SAMLAllowIdPInitiated bool   `gorm:"column:saml_allow_idp_initiated;not null"`
	SAMLSPKey             string `gorm:"column:saml_sp_key;not null;default:''"`
	SAMLSPCertificate     string `gorm:"column:saml_sp_certificate;not null;default:''"`
}

// IsSAML says whether the provider speaks SAML 2.0.
func (p *SSOProvider) IsSAML() bool { return p.Protocol == ProtocolSAML }

// TableName keeps GORM from naming the table s_s_o_providers.
func (SSOProvider) TableName() string { return "sso_providers" }

// SSOLogin is a sign-in that left for the provider and has not come back.
type SSOLogin struct {
	ID         string `gorm:"primaryKey"`
	ProviderID string `gorm:"not null"`
	Nonce      string `gorm:"not null"`
	Verifier   string `gorm:"not null"`
	ReturnTo   string `gorm:"not null"`
	ExpiresAt  time.Time
	CreatedAt  time.Time
}

// TableName keeps GORM from naming the table s_s_o_logins.
func (SSOLogin) TableName() string { return "sso_logins" }

// UserIdentity links a user to their subject at a provider.
type UserIdentity struct {
	Base
	UserID     string `gorm:"not null"`
	ProviderID string `gorm:"not null"`
	Subject    string `gorm:"not null"`
	Email      string `gorm:"not null;default:''"`
	LastUsedAt *time.Time
}

// ListSSOProviders returns every provider by name (an instance has a few).
func ListSSOProviders(ctx context.Context, db *gorm.DB, enabledOnly bool) ([]SSOProvider, error) {
	q := db.WithContext(ctx).Order("display_name, id").Limit(MaxLimit)
	if enabledOnly {
		q = q.Where("enabled = ?", true)
	}
	var out []SSOProvider
	return out, q.Find(&out).Error
}

// CreateSSOProvider stores p; a taken slug is ErrConflict.
func CreateSSOProvider(ctx context.Context, db *gorm.DB, p *SSOProvider) error {
	return translate(db.WithContext(ctx).Create(p).Error)
}

// GetSSOProvider returns a provider by id.
func GetSSOProvider(ctx context.Context, db *gorm.DB, id string) (*SSOProvider, error) {
	var p SSOProvider
	return &p, translate(db.WithContext(ctx).Where("id = ?", id).Take(&p).Error)
}

// SSOProviderBySlug returns an enabled provider by its slug.
func SSOProviderBySlug(ctx context.Context, db *gorm.DB, slug string) (*SSOProvider, error) {
	var p SSOProvider
	return &p, translate(db.WithContext(ctx).Where("slug = ? AND enabled = ?", slug, true).Take(&p).Error)
}

// SAMLProviderBySlug returns a SAML provider by its slug, enabled or not.
func SAMLProviderBySlug(ctx context.Context, db *gorm.DB, slug string) (*SSOProvider, error) {
	var p SSOProvider
	return &p, translate(db.WithContext(ctx).Where("slug = ? AND protocol = ?", slug, ProtocolSAML).Take(&p).Error)
}

// UpdateSSOProvider applies set when version is current.
func UpdateSSOProvider(ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any) (*SSOProvider, error) {
	return updateVersioned[SSOProvider](ctx, db, id, version, set, true)
}

// DeleteSSOProvider removes a provider, its pending sign-ins and its links
// to users (the users stay).
func DeleteSSOProvider(ctx context.Context, db *gorm.DB, id string) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("provider_id = ?", id).Delete(&SSOLogin{}).Error; err != nil {
			return err
		}
		if err := tx.Where("provider_id = ?", id).Delete(&UserIdentity{}).Error; err != nil {
			return err
		}
		res := tx.Where("id = ?", id).Delete(&SSOProvider{})
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrNotFound
		}
		return res.Error
	})
}

// TakeSSOLogin returns the pending sign-in with id and deletes it, so that
// it is used at most once: of two callbacks racing with the same state,
// one finds it. Expired ones are ErrNotFound.
func TakeSSOLogin(ctx context.Context, db *gorm.DB, id string, now time.Time) (*SSOLogin, error) {
	var l SSOLogin
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("id = ?", id).Take(&l).Error; err != nil {
			return err
		}
		res := tx.Where("id = ?", id).Delete(&SSOLogin{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return gorm.ErrRecordNotFound
		}
		return nil
	})
	if err != nil {
		return nil, translate(err)
	}
	if !now.Before(l.ExpiresAt) {
		return nil, ErrNotFound
	}
	return &l, nil
}

// PurgeSSOLogins deletes pending sign-ins that expired before now.
func PurgeSSOLogins(ctx context.Context, db *gorm.DB, now time.Time) error {
	return db.WithContext(ctx).Where("expires_at < ?", now).Delete(&SSOLogin{}).Error
}

// IdentityUser returns the user linked to subject at provider, or
// ErrNotFound.
func IdentityUser(ctx context.Context, db *gorm.DB, providerID, subject string) (*User, error) {
	var id UserIdentity
	if err := db.WithContext(ctx).Where("provider_id = ? AND subject = ?", providerID, subject).Take(&id).Error; err != nil {
		return nil, translate(err)
	}
	return UserByID(ctx, db, id.UserID)
}

// LinkIdentity records (or refreshes) that user is subject at provider.
func LinkIdentity(ctx context.Context, db *gorm.DB, userID, providerID, subject, email string, now time.Time) error {
	var id UserIdentity
	err := db.WithContext(ctx).Where("provider_id = ? AND subject = ?", providerID, subject).Take(&id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return db.WithContext(ctx).Create(&UserIdentity{UserID: userID, ProviderID: providerID, Subject: subject, Email: email, LastUsedAt: &now}).Error
	}
	if err != nil {
		return err
	}
	return db.WithContext(ctx).Model(&UserIdentity{}).Where("id = ?", id.ID).Updates(map[string]any{"email": email, "last_used_at": now, "updated_at": now}).Error
}
