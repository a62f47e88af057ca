package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// SCIMGroup is a group an identity provider pushed through SCIM; its
// members' roles come from the provider's role mappings.
type SCIMGroup struct {
	Base
	ProviderID  string `gorm:"not null"`
	DisplayName string `gorm:"not null"`
	ExternalID  string `gorm:"not null;default:''"`
}

// TableName keeps GORM from naming the table s_c_i_m_groups.
func (SCIMGroup) TableName() string { return "scim_groups" }

// SCIMGroupMember puts a user in a SCIM group.
type SCIMGroupMember struct {
	GroupID string `gorm:"primaryKey"`
	UserID  string `gorm:"primaryKey"`
}

// TableName keeps GORM from naming the table s_c_i_m_group_members.
func (SCIMGroupMember) TableName() string { return "scim_group_members" }

// SSOProviderBySCIMToken finds the provider whose SCIM token has this
// SHA-256 hash. Provisioning does not depend on the provider's sign-in
// being on: a directory often provisions accounts before people may use
// them, and provisioning has its own off switch (removing the token).
func SSOProviderBySCIMToken(ctx context.Context, db *gorm.DB, hash string) (*SSOProvider, error) {
	if hash == "" {
		return nil, ErrNotFound
	}
	var p SSOProvider
	err := db.WithContext(ctx).Where("scim_token_hash = ?", hash).Take(&p).Error
	return &p, translate(err)
}

// SetSCIMToken stores a provider's new SCIM token hash (or, with "", turns
// provisioning off) without touching the provider's version: the token is
// not part of what an administrator edits.
func SetSCIMToken(ctx context.Context, db *gorm.DB, providerID, hash, prefix string, now time.Time) error {
	set := map[string]any{"scim_token_hash": hash, "scim_token_prefix": prefix, "scim_token_created_at": &now, "scim_last_used_at": nil}
	if hash == "" {
		set["scim_token_created_at"] = nil
	}
	res := db.WithContext(ctx).Model(&SSOProvider{}).Where("id = ?", providerID).Updates(set)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// TouchSCIMToken records when the provider last used its token, at most
// once a minute so that a sync of many users writes once.
func TouchSCIMToken(ctx context.Context, db *gorm.DB, providerID string, now time.Time) error {
	return db.WithContext(ctx).Model(&SSOProvider{}).
		Where("id = ? AND (scim_last_used_at IS NULL OR scim_last_used_at < ?)", providerID, now.Add(-time.Minute)).
		Update("scim_last_used_at", now).Error
}
