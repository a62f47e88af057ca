package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Role names what a user may do; the permission table lives in handlers.
type Role string

const (
	RoleAdmin       Role = "admin"
	RoleRiskManager Role = "risk_manager"
	RoleLegal       Role = "legal"
	RoleRequester   Role = "requester"
	RoleAuditor     Role = "auditor"
)

// Roles lists every role, most privileged first.
var Roles = []Role{RoleAdmin, RoleRiskManager, RoleLegal, RoleRequester, RoleAuditor}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, known := range Roles {
		if r == known {
			return true
		}
	}
	return false
}

// User is a person who signs in to the web app or the API.
type User struct {
	Base
	Email        string     `gorm:"not null"`
	Name         string     `gorm:"not null"`
	Role         Role       `gorm:"not null"`
	Department   string     `gorm:"not null;default:''"`
	Active       bool       `gorm:"not null;default:true"`
	PasswordHash string     `gorm:"not null;default:''"`
	LastLoginAt  *time.Time ``
	Version      int64      `gorm:"not null;default:1"`
}

// NormalizeEmail is the form emails are stored and looked up in.
func NormalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

// CreateUser inserts u; a taken email is ErrConflict.
func CreateUser(ctx context.Context, db *gorm.DB, u *User) error {
	u.Email = NormalizeEmail(u.Email)
	if u.Version == 0 {
		u.Version = 1
	}
	return translate(db.WithContext(ctx).Create(u).Error)
}

// UserByEmail finds a user by email, case-insensitively.
func UserByEmail(ctx context.Context, db *gorm.DB, email string) (*User, error) {
	var u User
	err := db.WithContext(ctx).Where("email = ?", NormalizeEmail(email)).Take(&u).Error
	if err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// CountUsers counts every user, active or not.
func CountUsers(ctx context.Context, db *gorm.DB) (int64, error) {
	var n int64
	err := db.WithContext(ctx).Model(&User{}).Count(&n).Error
	return n, err
}
