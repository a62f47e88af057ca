package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// APIToken lets a program call the API as its owner. Only the SHA-256 of
// the secret is stored; the secret is shown once, at creation.
type APIToken struct {
	Base
	UserID     string `gorm:"not null"`
	Name       string `gorm:"not null"`
	TokenHash  string `gorm:"not null"`
	Prefix     string `gorm:"not null"`
	ReadOnly   bool   `gorm:"not null;default:false"`
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// CreateAPIToken stores t.
func CreateAPIToken(ctx context.Context, db *gorm.DB, t *APIToken) error {
	return translate(db.WithContext(ctx).Create(t).Error)
}

// APITokenByHash returns a token and its owner, whether or not it is
// usable; the caller checks revocation and expiry.
func APITokenByHash(ctx context.Context, db *gorm.DB, hash string) (*APIToken, *User, error) {
	var r tokenRow
	if err := db.WithContext(ctx).InnerJoins("User").Where("api_tokens.token_hash = ?", hash).Take(&r).Error; err != nil {
		return nil, nil, translate(err)
	}
	return &r.APIToken, &r.User, nil
}

// tokenRow is an API token read with its user in one query.
type tokenRow struct {
	APIToken
	User User `gorm:"foreignKey:UserID"`
}

func (tokenRow) TableName() string { return "api_tokens" }

// APITokensOf lists a user's tokens, newest first.
func APITokensOf(ctx context.Context, db *gorm.DB, userID string) ([]APIToken, error) {
	out := []APIToken{}
	err := db.WithContext(ctx).Where("user_id = ?", userID).Order("created_at DESC, id DESC").Limit(MaxLimit).Find(&out).Error
	return out, err
}

// APITokenOf returns one of a user's tokens; another user's token is
// ErrNotFound.
func APITokenOf(ctx context.Context, db *gorm.DB, userID, id string) (*APIToken, error) {
	var t APIToken
	err := db.WithContext(ctx).Where("id = ? AND user_id = ?", id, userID).Take(&t).Error
	return &t, translate(err)
}

// RevokeAPIToken marks a token revoked; revoking twice changes nothing.
func RevokeAPIToken(ctx context.Context, db *gorm.DB, id string, at time.Time) error {
	return db.WithContext(ctx).Model(&APIToken{}).Where("id = ? AND revoked_at IS NULL", id).
		Updates(map[string]any{"revoked_at": at, "updated_at": at}).Error
}

// RevokeUserAPITokens revokes every live token of a user (deactivation).
func RevokeUserAPITokens(ctx context.Context, db *gorm.DB, userID string, at time.Time) error {
	return db.WithContext(ctx).Model(&APIToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).
		Updates(map[string]any{"revoked_at": at, "updated_at": at}).Error
}

// TouchAPIToken records use.
func TouchAPIToken(ctx context.Context, db *gorm.DB, id string, at time.Time) error {
	return db.WithContext(ctx).Model(&APIToken{}).Where("id = ?", id).
		Updates(map[string]any{"last_used_at": at}).Error
}
