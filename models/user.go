package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
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
	Active       bool       `gorm:"not null"` // no GORM default: it would replace an explicit false
	PasswordHash string     `gorm:"not null;default:''"`
	LastLoginAt  *time.Time ``
	Version      int64      `gorm:"not null;default:1"`
	// TOTPSecret is the enrolled authenticator's secret, "" without MFA;
	// TOTPPending is one offered at enrolment and not yet confirmed.
	TOTPSecret    string     `gorm:"column:totp_secret;not null;default:''"`
	TOTPPending   string     `gorm:"column:totp_pending;not null;default:''"`
	TOTPEnabledAt *time.Time `gorm:"column:totp_enabled_at"`
	// TOTPLastStep is the last time step whose code was accepted: a code
	// of that step or an earlier one is refused (no replay).
	TOTPLastStep int64 `gorm:"column:totp_last_step;not null;default:0"`
	// MustChangePassword marks a temporary password an administrator set:
	// the user changes it before reaching anything else.
	MustChangePassword bool `gorm:"not null;default:false"`
	// SCIMProviderID names the identity provider that manages the account
	// through SCIM (nil: managed here); SCIMExternalID is its id there and
	// SCIMActive what it last said of the account, which Active follows
	// only while a mapped group gives the account a role.
	SCIMProviderID *string `gorm:"column:scim_provider_id"`
	SCIMExternalID string  `gorm:"column:scim_external_id;not null;default:''"`
	SCIMActive     bool    `gorm:"column:scim_active;not null"`
	// BusinessUnitCount is how many business units the person is scoped
	// to, kept by the database's triggers on user_business_units
	// (migration 00070); read-only here, so no save of a user row can
	// write a stale count over it.
	BusinessUnitCount int `gorm:"column:business_unit_count;->"`
}

// MFAEnabled reports whether the user signs in with a second factor.
func (u *User) MFAEnabled() bool { return u.TOTPSecret != "" }

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

// UserByID finds a user by id.
func UserByID(ctx context.Context, db *gorm.DB, id string) (*User, error) {
	var u User
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&u).Error; err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// UserFilter selects users; zero fields do not filter.
type UserFilter struct {
	Q      string // matches name or email, case-insensitively
	Roles  []Role
	Active *bool
	Sort   string // a key of UserSorts, "-" prefix for descending
	Cursor string
	Limit  int
}

// UserSorts are the columns users can be sorted by.
var UserSorts = map[string]SortColumn{
	"name":       {Column: "name", Kind: SortText},
	"email":      {Column: "email", Kind: SortText},
	"role":       {Column: "role", Kind: SortText},
	"department": {Column: "department", Kind: SortText},
	"created_at": {Column: "created_at", Kind: SortTime},
}

// ListUsers returns one page of users and the total matching count.
func ListUsers(ctx context.Context, db *gorm.DB, f UserFilter) (Page[User], error) {
	q := db.WithContext(ctx).Model(&User{})
	if f.Q != "" {
		like := "%" + escapeLike(strings.ToLower(f.Q)) + "%"
		q = q.Where("(LOWER(name) LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\')", like, like)
	}
	if len(f.Roles) > 0 {
		q = q.Where("role IN ?", f.Roles)
	}
	if f.Active != nil {
		q = q.Where("active = ?", *f.Active)
	}
	return paginate[User](q, UserSorts, f.Sort, "name", f.Cursor, f.Limit)
}

// UserChanges are the editable fields of a user; nil leaves a field as it is.
type UserChanges struct {
	Name         *string
	Role         *Role
	Department   *string
	Active       *bool
	PasswordHash *string
	// MustChangePassword is set with a temporary password and cleared by
	// the user's own change or a reset.
	MustChangePassword *bool
}

// UpdateUser applies changes if the stored version is still version, and
// returns the user as stored; a changed record is ErrConflict (with the
// current record returned). Version 0 skips the check.
func UpdateUser(ctx context.Context, db *gorm.DB, id string, version int64, c UserChanges) (*User, error) {
	set := map[string]any{}
	if c.Name != nil {
		set["name"] = *c.Name
	}
	if c.Role != nil {
		set["role"] = *c.Role
	}
	if c.Department != nil {
		set["department"] = *c.Department
	}
	if c.Active != nil {
		set["active"] = *c.Active
	}
	if c.PasswordHash != nil {
		set["password_hash"] = *c.PasswordHash
	}
	if c.MustChangePassword != nil {
		set["must_change_password"] = *c.MustChangePassword
	}
	return updateVersioned[User](ctx, db, id, version, set, true)
}

// RecordSignIn stores the sign-in time and, when the hash parameters
// changed, the rehashed password. It does not bump the version: a sign-in
// must not turn an admin's open edit of this user into a conflict.
func RecordSignIn(ctx context.Context, db *gorm.DB, id string, at time.Time, rehashed string) error {
	set := map[string]any{"last_login_at": at}
	if rehashed != "" {
		set["password_hash"] = rehashed
	}
	return db.WithContext(ctx).Model(&User{}).Where("id = ?", id).Updates(set).Error
}

// LockActiveAdmins counts active administrators, locking their rows on
// PostgreSQL so that two concurrent demotions cannot both pass the
// last-administrator check.
func LockActiveAdmins(ctx context.Context, db *gorm.DB) (int64, error) {
	var ids []string
	err := db.WithContext(ctx).Model(&User{}).Clauses(lockForUpdate(db)...).
		Where("role = ? AND active = ?", RoleAdmin, true).Pluck("id", &ids).Error
	return int64(len(ids)), err
}

// ActiveUsersByEmail maps each active user's email to their id.
func ActiveUsersByEmail(ctx context.Context, db *gorm.DB) (map[string]string, error) {
	var us []User
	if err := db.WithContext(ctx).Select("id", "email").Where("active = ?", true).Find(&us).Error; err != nil {
		return nil, err
	}
	out := make(map[string]string, len(us))
	for _, u := range us {
		out[u.Email] = u.ID
	}
	return out, nil
}

// lockForUpdate locks the selected rows on PostgreSQL; SQLite's immediate
// transactions already hold the write lock.
func lockForUpdate(db *gorm.DB) []clause.Expression {
	if db.Dialector.Name() == "postgres" {
		return []clause.Expression{clause.Locking{Strength: "UPDATE"}}
	}
	return nil
}

// UsersByIDs returns the users with the given ids (id, name and email
// only), keyed by id; unknown ids are left out.
func UsersByIDs(ctx context.Context, db *gorm.DB, ids []string) (map[string]User, error) {
	out := map[string]User{}
	if len(ids) == 0 {
		return out, nil
	}
	var us []User
	if err := db.WithContext(ctx).Select("id", "name", "email").Where("id IN ?", ids).Find(&us).Error; err != nil {
		return nil, err
	}
	for _, u := range us {
		out[u.ID] = u
	}
	return out, nil
}
