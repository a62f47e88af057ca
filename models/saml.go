package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// SAMLAssertion is an assertion a SAML identity provider sent and Rampart
// accepted, remembered until it expires so that it is accepted only once.
// ID is the hash of the provider id and the assertion's own id.
type SAMLAssertion struct {
	ID         string `gorm:"primaryKey"`
	ProviderID string `gorm:"not null"`
	ExpiresAt  time.Time
	CreatedAt  time.Time
}

// TableName keeps GORM from naming the table s_a_m_l_assertions.
func (SAMLAssertion) TableName() string { return "saml_assertions" }

// ConsumeSAMLAssertion records the assertion id as used until expiresAt;
// a second use, on this instance or another, is ErrConflict (the primary
// key decides between two at once). Expired records are dropped first.
func ConsumeSAMLAssertion(ctx context.Context, db *gorm.DB, id, providerID string, expiresAt, now time.Time) error {
	if err := db.WithContext(ctx).Where("expires_at < ?", now).Delete(&SAMLAssertion{}).Error; err != nil {
		return err
	}
	return translate(db.WithContext(ctx).Create(&SAMLAssertion{ID: id, ProviderID: providerID, ExpiresAt: expiresAt, CreatedAt: now}).Error)
}

// PeekSSOLogin returns the pending sign-in with id without using it up
// (a SAML response names the request it answers before it is verified).
func PeekSSOLogin(ctx context.Context, db *gorm.DB, id string, now time.Time) (*SSOLogin, error) {
	var l SSOLogin
	if err := db.WithContext(ctx).Where("id = ? AND expires_at > ?", id, now).Take(&l).Error; err != nil {
		return nil, translate(err)
	}
	return &l, nil
}
