package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Session is a signed-in browser. Its id is the SHA-256 of the cookie
// value, so a copy of the database does not hand out live sessions.
type Session struct {
	ID         string    `gorm:"primaryKey"`
	UserID     string    `gorm:"not null"`
	CSRFToken  string    `gorm:"column:csrf_token;not null"`
	ClientIP   string    `gorm:"column:client_ip;not null;default:''"`
	UserAgent  string    `gorm:"not null;default:''"`
	LastSeenAt time.Time `gorm:"not null"`
	ExpiresAt  time.Time `gorm:"not null"`
	// SignInMethod is "password" or "oidc:<provider slug>".
	SignInMethod string `gorm:"not null;default:'password'"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// CreateSession stores s.
func CreateSession(ctx context.Context, db *gorm.DB, s *Session) error {
	return db.WithContext(ctx).Create(s).Error
}

// sessionRow is a session read with its user in one query: every API
// call starts with it.
type sessionRow struct {
	Session
	User User `gorm:"foreignKey:UserID"`
}

func (sessionRow) TableName() string { return "sessions" }

// SessionByID returns the session and its user.
func SessionByID(ctx context.Context, db *gorm.DB, id string) (*Session, *User, error) {
	var r sessionRow
	if err := db.WithContext(ctx).InnerJoins("User").Where("sessions.id = ?", id).Take(&r).Error; err != nil {
		return nil, nil, translate(err)
	}
	return &r.Session, &r.User, nil
}

// TouchSession records activity, for the idle timeout.
func TouchSession(ctx context.Context, db *gorm.DB, id string, at time.Time) error {
	return db.WithContext(ctx).Model(&Session{}).Where("id = ?", id).
		Updates(map[string]any{"last_seen_at": at, "updated_at": at}).Error
}

// DeleteSession revokes one session.
func DeleteSession(ctx context.Context, db *gorm.DB, id string) error {
	return db.WithContext(ctx).Where("id = ?", id).Delete(&Session{}).Error
}

// DeleteUserSessions revokes every session of a user except keepID (which
// may be empty) and reports how many it revoked.
func DeleteUserSessions(ctx context.Context, db *gorm.DB, userID, keepID string) (int64, error) {
	q := db.WithContext(ctx).Where("user_id = ?", userID)
	if keepID != "" {
		q = q.Where("id <> ?", keepID)
	}
	res := q.Delete(&Session{})
	return res.RowsAffected, res.Error
}

// DeleteExpiredSessions removes sessions past their absolute or idle limit.
func DeleteExpiredSessions(ctx context.Context, db *gorm.DB, now time.Time, idle time.Duration) (int64, error) {
	res := db.WithContext(ctx).Where("expires_at <= ? OR last_seen_at <= ?", now, now.Add(-idle)).Delete(&Session{})
	return res.RowsAffected, res.Error
}
