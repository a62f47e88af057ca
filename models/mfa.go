package models

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// MFARecoveryCode is one single-use recovery code; only its SHA-256 is kept.
type MFARecoveryCode struct {
	Base
	UserID   string `gorm:"not null"`
	CodeHash string `gorm:"not null"`
	UsedAt   *time.Time
}

// MFAChallenge is the state between a right password and the second
// factor. Its id is the SHA-256 of the browser's cookie value.
type MFAChallenge struct {
	ID        string    `gorm:"primaryKey"`
	UserID    string    `gorm:"not null"`
	ClientIP  string    `gorm:"column:client_ip;not null;default:''"`
	ExpiresAt time.Time `gorm:"not null"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// PasswordReset is a reset link; only the SHA-256 of its token is kept.
type PasswordReset struct {
	Base
	UserID    string    `gorm:"not null"`
	TokenHash string    `gorm:"not null"`
	ExpiresAt time.Time `gorm:"not null"`
	UsedAt    *time.Time
	CreatedBy string `gorm:"not null;default:''"` // the admin's id for an admin-initiated reset
}

// SecurityPolicy is the one row of sign-in policy an administrator sets.
type SecurityPolicy struct {
	Base
	MFARequiredRoles string `gorm:"column:mfa_required_roles;not null;default:''"`
	// SSORequired refuses password sign-in to all but BreakGlassUserID.
	SSORequired      bool `gorm:"column:sso_required;not null;default:false"`
	BreakGlassUserID *string
	Version          int64 `gorm:"not null;default:1"`
}

// PasswordAllowed says whether u may sign in with a password.
func (p *SecurityPolicy) PasswordAllowed(userID string) bool {
	return !p.SSORequired || (p.BreakGlassUserID != nil && *p.BreakGlassUserID == userID)
}

// PolicyChange is a new security policy.
type PolicyChange struct {
	MFARequiredRoles []Role
	SSORequired      bool
	BreakGlassUserID *string
}

// Roles returns the roles that must use MFA.
func (p *SecurityPolicy) Roles() []Role {
	out := []Role{}
	for _, r := range strings.Split(p.MFARequiredRoles, ",") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, Role(r))
		}
	}
	return out
}

// RequiresMFA reports whether users of role must use MFA.
func (p *SecurityPolicy) RequiresMFA(role Role) bool { return slices.Contains(p.Roles(), role) }

// securityPolicyID is the id of the one policy row.
const securityPolicyID = "security-policy"

// GetSecurityPolicy returns the policy; before any save it is the empty
// policy at version 1.
func GetSecurityPolicy(ctx context.Context, db *gorm.DB) (*SecurityPolicy, error) {
	var p SecurityPolicy
	if err := db.WithContext(ctx).Where("id = ?", securityPolicyID).Limit(1).Find(&p).Error; err != nil {
		return nil, err
	}
	if p.ID == "" {
		return &SecurityPolicy{Base: Base{ID: securityPolicyID}, Version: 1}, nil
	}
	return &p, nil
}

// SaveSecurityPolicy stores ch if the policy is still at version;
// otherwise ErrConflict with the stored policy.
func SaveSecurityPolicy(ctx context.Context, db *gorm.DB, version int64, ch PolicyChange) (*SecurityPolicy, error) {
	names := make([]string, len(ch.MFARequiredRoles))
	for i, r := range ch.MFARequiredRoles {
		names[i] = string(r)
	}
	db = db.WithContext(ctx)
	now := time.Now().UTC()
	// The row appears on first save; a concurrent first save loses on the
	// primary key and is a conflict like any other.
	res := db.Exec(`INSERT INTO security_policies (id, mfa_required_roles, version, created_at, updated_at)
VALUES (?, '', 1, ?, ?) ON CONFLICT (id) DO NOTHING`, securityPolicyID, now, now)
	if res.Error != nil {
		return nil, res.Error
	}
	return updateVersioned[SecurityPolicy](ctx, db, securityPolicyID, version, map[string]any{"mfa_required_roles": strings.Join(names, ","),
		"sso_required": ch.SSORequired, "break_glass_user_id": ch.BreakGlassUserID}, true)
}

// ConsumeTOTPStep records step as the user's last accepted step unless
// that step (or a later one) was already used: false means a replay, even
// when two requests carry the same code at once.
func ConsumeTOTPStep(ctx context.Context, db *gorm.DB, userID string, step int64) (bool, error) {
	res := db.WithContext(ctx).Model(&User{}).Where("id = ? AND totp_last_step < ?", userID, step).
		Update("totp_last_step", step)
	return res.RowsAffected == 1, res.Error
}

// SetTOTPPending stores a secret offered at enrolment.
func SetTOTPPending(ctx context.Context, db *gorm.DB, userID, secret string) error {
	return db.WithContext(ctx).Model(&User{}).Where("id = ?", userID).Update("totp_pending", secret).Error
}

// EnableTOTP makes the pending secret the enrolled one, with step as the
// last used step (the confirming code cannot sign in again), and replaces
// the recovery codes with hashes.
func EnableTOTP(ctx context.Context, db *gorm.DB, userID, secret string, step int64, at time.Time, codeHashes []string) error {
	err := db.WithContext(ctx).Model(&User{}).Where("id = ?", userID).Updates(map[string]any{
		"totp_secret": secret, "totp_pending": "", "totp_enabled_at": at, "totp_last_step": step,
	}).Error
	if err != nil {
		return err
	}
	return ReplaceRecoveryCodes(ctx, db, userID, codeHashes)
}

// DisableTOTP removes the second factor and the recovery codes.
func DisableTOTP(ctx context.Context, db *gorm.DB, userID string) error {
	err := db.WithContext(ctx).Model(&User{}).Where("id = ?", userID).Updates(map[string]any{
		"totp_secret": "", "totp_pending": "", "totp_enabled_at": nil, "totp_last_step": 0,
	}).Error
	if err != nil {
		return err
	}
	return ReplaceRecoveryCodes(ctx, db, userID, nil)
}

// ReplaceRecoveryCodes deletes the user's codes and stores these hashes.
func ReplaceRecoveryCodes(ctx context.Context, db *gorm.DB, userID string, hashes []string) error {
	db = db.WithContext(ctx)
	if err := db.Where("user_id = ?", userID).Delete(&MFARecoveryCode{}).Error; err != nil {
		return err
	}
	if len(hashes) == 0 {
		return nil
	}
	rows := make([]MFARecoveryCode, len(hashes))
	for i, h := range hashes {
		rows[i] = MFARecoveryCode{UserID: userID, CodeHash: h}
	}
	return db.Create(&rows).Error
}

// UseRecoveryCode marks the user's unused code with hash as used; false
// when there is none (unknown or already used), also under concurrency.
func UseRecoveryCode(ctx context.Context, db *gorm.DB, userID, hash string, at time.Time) (bool, error) {
	res := db.WithContext(ctx).Model(&MFARecoveryCode{}).
		Where("user_id = ? AND code_hash = ? AND used_at IS NULL", userID, hash).
		Updates(map[string]any{"used_at": at, "updated_at": at})
	return res.RowsAffected == 1, res.Error
}

// RecoveryCodesLeft counts the user's unused recovery codes.
func RecoveryCodesLeft(ctx context.Context, db *gorm.DB, userID string) (int64, error) {
	var n int64
	err := db.WithContext(ctx).Model(&MFARecoveryCode{}).Where("user_id = ? AND used_at IS NULL", userID).Count(&n).Error
	return n, err
}

// CreateMFAChallenge stores c.
func CreateMFAChallenge(ctx context.Context, db *gorm.DB, c *MFAChallenge) error {
	return db.WithContext(ctx).Create(c).Error
}

// MFAChallengeByID returns a challenge; expired ones are the caller's to refuse.
func MFAChallengeByID(ctx context.Context, db *gorm.DB, id string) (*MFAChallenge, error) {
	var c MFAChallenge
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&c).Error; err != nil {
		return nil, translate(err)
	}
	return &c, nil
}

// DeleteMFAChallenge removes a challenge; false when it was already gone
// (another request finished it first).
func DeleteMFAChallenge(ctx context.Context, db *gorm.DB, id string) (bool, error) {
	res := db.WithContext(ctx).Where("id = ?", id).Delete(&MFAChallenge{})
	return res.RowsAffected == 1, res.Error
}

// DeleteExpiredMFAChallenges removes challenges past their expiry and
// reset links expired before cutoff.
func DeleteExpiredMFAChallenges(ctx context.Context, db *gorm.DB, now time.Time) (int64, error) {
	res := db.WithContext(ctx).Where("expires_at <= ?", now).Delete(&MFAChallenge{})
	return res.RowsAffected, res.Error
}

// CreatePasswordReset stores r.
func CreatePasswordReset(ctx context.Context, db *gorm.DB, r *PasswordReset) error {
	return db.WithContext(ctx).Create(r).Error
}

// UsePasswordReset marks the link with tokenHash used, if it is unused and
// unexpired at now, and returns it; ErrNotFound otherwise, so a used, an
// expired and an unknown link are one answer.
func UsePasswordReset(ctx context.Context, db *gorm.DB, tokenHash string, now time.Time) (*PasswordReset, error) {
	db = db.WithContext(ctx)
	var r PasswordReset
	if err := db.Where("token_hash = ?", tokenHash).Take(&r).Error; err != nil {
		return nil, translate(err)
	}
	res := db.Model(&PasswordReset{}).Where("id = ? AND used_at IS NULL AND expires_at > ?", r.ID, now).
		Updates(map[string]any{"used_at": now, "updated_at": now})
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected != 1 {
		return nil, ErrNotFound
	}
	return &r, nil
}

// ExpireUserPasswordResets makes every unused link of the user unusable:
// a new link, a changed password or a reset ends the older ones.
func ExpireUserPasswordResets(ctx context.Context, db *gorm.DB, userID string, now time.Time) error {
	return db.WithContext(ctx).Model(&PasswordReset{}).Where("user_id = ? AND used_at IS NULL", userID).
		Updates(map[string]any{"used_at": now, "updated_at": now}).Error
}

// UserSessions lists the user's sessions, most recently used first.
func UserSessions(ctx context.Context, db *gorm.DB, userID string) ([]Session, error) {
	out := []Session{}
	err := db.WithContext(ctx).Where("user_id = ?", userID).Order("last_seen_at DESC").Find(&out).Error
	return out, err
}
