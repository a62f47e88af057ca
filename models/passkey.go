package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Passkey is a registered WebAuthn credential of a user.
type Passkey struct {
	Base
	UserID            string `gorm:"not null"`
	CredentialID      string `gorm:"not null"` // base64url of the raw credential id
	PublicKey         []byte `gorm:"not null"` // COSE key
	SignCount         int64  `gorm:"not null;default:0"`
	Transports        string `gorm:"not null;default:''"` // comma-separated
	AAGUID            string `gorm:"column:aaguid;not null;default:''"`
	AttestationType   string `gorm:"not null;default:''"`
	AttestationFormat string `gorm:"not null;default:''"`
	UserVerified      bool   `gorm:"not null;default:false"`
	BackupEligible    bool   `gorm:"not null;default:false"`
	BackupState       bool   `gorm:"not null;default:false"`
	Name              string `gorm:"not null;default:''"`
	Version           int64  `gorm:"not null;default:1"`
	LastUsedAt        *time.Time
}

// WebAuthnCeremony is a WebAuthn registration or assertion between its
// begin and finish. Its id is the SHA-256 of the id the browser holds.
type WebAuthnCeremony struct {
	ID          string    `gorm:"primaryKey"`
	Kind        string    `gorm:"not null"`
	UserID      string    `gorm:"not null;default:''"`
	ChallengeID string    `gorm:"not null;default:''"`
	SessionData string    `gorm:"not null"`
	ExpiresAt   time.Time `gorm:"not null"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// TableName keeps the table's name readable (GORM would say web_authn_ceremonies).
func (WebAuthnCeremony) TableName() string { return "webauthn_ceremonies" }

// UserPasskeys lists the user's passkeys, oldest first.
func UserPasskeys(ctx context.Context, db *gorm.DB, userID string) ([]Passkey, error) {
	out := []Passkey{}
	err := db.WithContext(ctx).Where("user_id = ?", userID).Order("created_at, id").Find(&out).Error
	return out, err
}

// CountPasskeys counts the user's passkeys.
func CountPasskeys(ctx context.Context, db *gorm.DB, userID string) (int64, error) {
	var n int64
	err := db.WithContext(ctx).Model(&Passkey{}).Where("user_id = ?", userID).Count(&n).Error
	return n, err
}

// PasskeyByCredentialID returns the passkey with the base64url credential id.
func PasskeyByCredentialID(ctx context.Context, db *gorm.DB, credentialID string) (*Passkey, error) {
	var p Passkey
	if err := db.WithContext(ctx).Where("credential_id = ?", credentialID).Take(&p).Error; err != nil {
		return nil, translate(err)
	}
	return &p, nil
}

// UserPasskey returns the user's passkey id; ErrNotFound for another
// user's, so one cannot tell them from unknown ids.
func UserPasskey(ctx context.Context, db *gorm.DB, userID, id string) (*Passkey, error) {
	var p Passkey
	if err := db.WithContext(ctx).Where("id = ? AND user_id = ?", id, userID).Take(&p).Error; err != nil {
		return nil, translate(err)
	}
	return &p, nil
}

// CreatePasskey stores p; a credential id already registered is ErrConflict.
func CreatePasskey(ctx context.Context, db *gorm.DB, p *Passkey) error {
	return translate(db.WithContext(ctx).Create(p).Error)
}

// RenamePasskey changes the name of the user's passkey id if it is still
// at version; otherwise ErrConflict with the stored passkey.
func RenamePasskey(ctx context.Context, db *gorm.DB, userID, id, name string, version int64) (*Passkey, error) {
	if _, err := UserPasskey(ctx, db, userID, id); err != nil {
		return nil, err
	}
	return updateVersioned[Passkey](ctx, db, id, version, map[string]any{"name": name}, true)
}

// DeletePasskey removes the user's passkey id.
func DeletePasskey(ctx context.Context, db *gorm.DB, userID, id string) error {
	res := db.WithContext(ctx).Where("id = ? AND user_id = ?", id, userID).Delete(&Passkey{})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return ErrNotFound
	}
	return nil
}

// DeleteUserPasskeys removes every passkey of the user.
func DeleteUserPasskeys(ctx context.Context, db *gorm.DB, userID string) (int64, error) {
	res := db.WithContext(ctx).Where("user_id = ?", userID).Delete(&Passkey{})
	return res.RowsAffected, res.Error
}

// UsePasskey records an accepted assertion: the new signature counter and
// when. The update holds only while the stored counter is still the one
// the assertion was checked against, so two concurrent assertions with one
// counter cannot both pass; false means another request got there first.
func UsePasskey(ctx context.Context, db *gorm.DB, id string, oldCount, newCount int64, backupState bool, now time.Time) (bool, error) {
	res := db.WithContext(ctx).Model(&Passkey{}).Where("id = ? AND sign_count = ?", id, oldCount).
		Updates(map[string]any{"sign_count": newCount, "backup_state": backupState, "last_used_at": now, "updated_at": now})
	return res.RowsAffected == 1, res.Error
}

// CreateWebAuthnCeremony stores c.
func CreateWebAuthnCeremony(ctx context.Context, db *gorm.DB, c *WebAuthnCeremony) error {
	return db.WithContext(ctx).Create(c).Error
}

// TakeWebAuthnCeremony deletes the ceremony id of kind and returns it, so
// that it is answered at most once, also by concurrent requests;
// ErrNotFound when it is unknown, of another kind or already taken.
// Expiry is the caller's to check.
func TakeWebAuthnCeremony(ctx context.Context, db *gorm.DB, id, kind string) (*WebAuthnCeremony, error) {
	var c WebAuthnCeremony
	if err := db.WithContext(ctx).Where("id = ? AND kind = ?", id, kind).Take(&c).Error; err != nil {
		return nil, translate(err)
	}
	res := db.WithContext(ctx).Where("id = ?", id).Delete(&WebAuthnCeremony{})
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected != 1 {
		return nil, ErrNotFound
	}
	return &c, nil
}

// DeleteExpiredWebAuthnCeremonies removes ceremonies past their expiry.
func DeleteExpiredWebAuthnCeremonies(ctx context.Context, db *gorm.DB, now time.Time) (int64, error) {
	res := db.WithContext(ctx).Where("expires_at <= ?", now).Delete(&WebAuthnCeremony{})
	return res.RowsAffected, res.Error
}
