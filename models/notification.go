package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Notification is one notice in a person's bell.
type Notification struct {
	Base
	UserID     string `gorm:"not null"`
	EventKey   string `gorm:"not null"`
	Kind       string `gorm:"not null"`
	Title      string `gorm:"not null"`
	Body       string `gorm:"not null;default:''"`
	Link       string `gorm:"not null;default:''"`
	ObjectType string `gorm:"not null;default:''"`
	ObjectID   string `gorm:"not null;default:''"`
	Digest     bool   `gorm:"not null;default:false"`
	DigestedAt *time.Time
	ReadAt     *time.Time
}

// NotificationPreference is one person's channel for one kind of notice.
type NotificationPreference struct {
	UserID    string `gorm:"primaryKey"`
	Kind      string `gorm:"primaryKey"`
	Channel   string `gorm:"not null"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Mail statuses.
const (
	MailQueued  = "queued"
	MailSending = "sending"
	MailSent    = "sent"
	MailFailed  = "failed"
	// MailHeld is a message kept in the demo outbox instead of being sent.
	MailHeld = "held"
)

// MailMessage is one message in the outbox.
type MailMessage struct {
	Base
	EventKey       string `gorm:"not null"`
	Kind           string `gorm:"not null"`
	ToEmail        string `gorm:"not null"`
	ToName         string `gorm:"not null;default:''"`
	UserID         *string
	ReplyTo        string `gorm:"not null;default:''"`
	Subject        string `gorm:"not null"`
	TextBody       string `gorm:"not null"`
	HTMLBody       string `gorm:"column:html_body;not null;default:''"`
	MessageID      string `gorm:"not null"`
	ThreadID       string `gorm:"not null;default:''"`
	UnsubscribeURL string `gorm:"not null;default:''"`
	ObjectType     string `gorm:"not null;default:''"`
	ObjectID       string `gorm:"not null;default:''"`
	Status         string `gorm:"not null"`
	Attempts       int    `gorm:"not null;default:0"`
	NextAttemptAt  time.Time
	LastError      string `gorm:"not null;default:''"`
	LockedBy       string `gorm:"not null;default:''"`
	LockedUntil    *time.Time
	SentAt         *time.Time
}

// MailAttempt is one line of the delivery log.
type MailAttempt struct {
	Base
	MessageID string `gorm:"not null"`
	Instance  string `gorm:"not null"`
	Outcome   string `gorm:"not null"`
	Error     string `gorm:"not null;default:''"`
}

// MailBounce is an address the mail server refused for good.
type MailBounce struct {
	Email     string `gorm:"primaryKey"`
	Reason    string `gorm:"not null"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Schedule is one of the clock's recurring tasks.
type Schedule struct {
	Name           string `gorm:"primaryKey"`
	NextRunAt      time.Time
	LockedBy       string `gorm:"not null;default:''"`
	LockedUntil    *time.Time
	LastStartedAt  *time.Time
	LastFinishedAt *time.Time
	LastError      string `gorm:"not null;default:''"`
	Runs           int64  `gorm:"not null;default:0"`
}

// AddNotifications stores notices, skipping any event a person already
// has: scans repeat and instances race, and a notice must land once.
func AddNotifications(ctx context.Context, db *gorm.DB, ns []Notification) error {
	if len(ns) == 0 {
		return nil
	}
	return db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&ns).Error
}

// QueueMail stores outbox messages, skipping any (event, address) already
// queued, so that no one gets the same notice twice.
func QueueMail(ctx context.Context, db *gorm.DB, ms []MailMessage) error {
	if len(ms) == 0 {
		return nil
	}
	return db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&ms).Error
}

// NotificationPreferences returns a person's channels by kind (kinds not
// set take their default).
func NotificationPreferences(ctx context.Context, db *gorm.DB, userIDs ...string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []NotificationPreference
	if err := db.WithContext(ctx).Where("user_id IN ?", userIDs).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		if out[r.UserID] == nil {
			out[r.UserID] = map[string]string{}
		}
		out[r.UserID][r.Kind] = r.Channel
	}
	return out, nil
}

// SetNotificationPreferences replaces a person's channels for the kinds
// given.
func SetNotificationPreferences(ctx context.Context, db *gorm.DB, userID string, channels map[string]string) error {
	if len(channels) == 0 {
		return nil
	}
	rows := make([]NotificationPreference, 0, len(channels))
	for k, c := range channels {
		rows = append(rows, NotificationPreference{UserID: userID, Kind: k, Channel: c})
	}
	return db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "user_id"}, {Name: "kind"}},
		DoUpdates: clause.AssignmentColumns([]string{"channel", "updated_at"}),
	}).Create(&rows).Error
}

// ListNotifications returns a person's notices, newest first.
func ListNotifications(ctx context.Context, db *gorm.DB, userID string, unreadOnly bool, cur string, limit int) (Page[Notification], error) {
	q := db.WithContext(ctx).Model(&Notification{}).Where("user_id = ?", userID)
	if unreadOnly {
		q = q.Where("read_at IS NULL")
	}
	return paginate[Notification](q, map[string]SortColumn{"created_at": {Column: "created_at", Kind: SortTime}}, "", "-created_at", cur, limit)
}

// UnreadNotifications counts a person's unread notices.
func UnreadNotifications(ctx context.Context, db *gorm.DB, userID string) (int64, error) {
	var n int64
	err := db.WithContext(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
	return n, err
}

// MarkNotificationsRead marks the given notices of a person read (all of
// them when ids is empty) and returns how many changed.
func MarkNotificationsRead(ctx context.Context, db *gorm.DB, userID string, ids []string, at time.Time) (int64, error) {
	q := db.WithContext(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID)
	if len(ids) > 0 {
		q = q.Where("id IN ?", ids)
	}
	res := q.Updates(map[string]any{"read_at": at, "updated_at": at})
	return res.RowsAffected, res.Error
}

// ClaimMail takes up to n messages due at now for instance, holding each
// for lease. On PostgreSQL rows another instance is claiming are skipped
// (SKIP LOCKED); SQLite has one writer, so its claims cannot overlap.
func ClaimMail(ctx context.Context, db *gorm.DB, instance string, now time.Time, lease time.Duration, n int) ([]MailMessage, error) {
	lock := ""
	if db.Dialector.Name() == "postgres" {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var out []MailMessage
	err := db.WithContext(ctx).Raw(`UPDATE mail_messages
SET status = ?, locked_by = ?, locked_until = ?, attempts = attempts + 1, updated_at = ?
WHERE id IN (SELECT id FROM mail_messages
             WHERE status IN ('queued', 'sending') AND next_attempt_at <= ?
               AND (locked_until IS NULL OR locked_until < ?)
             ORDER BY next_attempt_at LIMIT ?`+lock+`)
RETURNING *`, MailSending, instance, now.Add(lease), now, now, now, n).Scan(&out).Error
	return out, err
}

// RenewMailLease extends instance's hold on a claimed message to until,
// just before it is sent: a batch is claimed at once but sent one by one,
// and each send must start with a whole lease ahead of it. False when the
// lease already lapsed (another instance may have the message now).
func RenewMailLease(ctx context.Context, db *gorm.DB, id, instance string, now, until time.Time) (bool, error) {
	res := db.WithContext(ctx).Model(&MailMessage{}).
		Where("id = ? AND locked_by = ? AND status = ? AND locked_until >= ?", id, instance, MailSending, now).
		Updates(map[string]any{"locked_until": until, "updated_at": now})
	return res.RowsAffected == 1, res.Error
}

// FinishMail records the outcome of one delivery try by instance: status
// sent or failed, or queued again for next. It changes nothing when the
// lease passed to another instance meanwhile (fenced by locked_by).
func FinishMail(ctx context.Context, db *gorm.DB, m *MailMessage, instance, status, errText string, next, now time.Time) error {
	outcome := map[string]string{MailSent: "sent", MailQueued: "retry", MailFailed: "failed"}[status]
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		set := map[string]any{"status": status, "locked_by": "", "locked_until": nil, "last_error": errText, "updated_at": now, "next_attempt_at": next}
		if status == MailSent {
			set["sent_at"] = now
		}
		res := tx.Model(&MailMessage{}).Where("id = ? AND locked_by = ?", m.ID, instance).Updates(set)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return tx.Create(&MailAttempt{MessageID: m.ID, Instance: instance, Outcome: outcome, Error: errText}).Error
	})
}

// RecordBounce remembers that the mail server refused address for good.
func RecordBounce(ctx context.Context, db *gorm.DB, email, reason string) error {
	return db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "email"}},
		DoUpdates: clause.AssignmentColumns([]string{"reason", "updated_at"}),
	}).Create(&MailBounce{Email: NormalizeEmail(email), Reason: reason}).Error
}

// Bounces returns, of the addresses given, those that bounced, with why.
func Bounces(ctx context.Context, db *gorm.DB, emails []string) (map[string]string, error) {
	out := map[string]string{}
	if len(emails) == 0 {
		return out, nil
	}
	var rows []MailBounce
	if err := db.WithContext(ctx).Where("email IN ?", emails).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, b := range rows {
		out[b.Email] = b.Reason
	}
	return out, nil
}

// ClearBounce forgets a bounce (the address was fixed or works again).
func ClearBounce(ctx context.Context, db *gorm.DB, email string) error {
	return db.WithContext(ctx).Where("email = ?", NormalizeEmail(email)).Delete(&MailBounce{}).Error
}

// MailFilter narrows the delivery log.
type MailFilter struct {
	Status     string
	ObjectType string
	ObjectID   string
	Cursor     string
	Limit      int
}

// ListMail returns outbox messages, newest first.
func ListMail(ctx context.Context, db *gorm.DB, f MailFilter) (Page[MailMessage], error) {
	q := db.WithContext(ctx).Model(&MailMessage{})
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.ObjectType != "" {
		q = q.Where("object_type = ? AND object_id = ?", f.ObjectType, f.ObjectID)
	}
	return paginate[MailMessage](q, map[string]SortColumn{"created_at": {Column: "created_at", Kind: SortTime}}, "", "-created_at", f.Cursor, f.Limit)
}

// GetMail returns one outbox message with its delivery log, oldest try
// first.
func GetMail(ctx context.Context, db *gorm.DB, id string) (*MailMessage, []MailAttempt, error) {
	var m MailMessage
	if err := db.WithContext(ctx).Where("id = ?", id).Take(&m).Error; err != nil {
		return nil, nil, translate(err)
	}
	var log []MailAttempt
	err := db.WithContext(ctx).Where("message_id = ?", id).Order("created_at, id").Limit(MaxLimit).Find(&log).Error
	return &m, log, err
}

// RequeueMail puts a failed (or sent, to resend) message back in the
// queue to go at now.
func RequeueMail(ctx context.Context, db *gorm.DB, id string, now time.Time) error {
	res := db.WithContext(ctx).Model(&MailMessage{}).Where("id = ? AND status IN ?", id, []string{MailFailed, MailSent}).
		Updates(map[string]any{"status": MailQueued, "next_attempt_at": now, "last_error": "", "updated_at": now})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return Invalid("status", "only a failed or sent message can be sent again")
	}
	return nil
}

// MailCounts counts the outbox by status.
func MailCounts(ctx context.Context, db *gorm.DB) (map[string]int64, error) {
	var rows []struct {
		Status string
		N      int64
	}
	err := db.WithContext(ctx).Model(&MailMessage{}).Select("status, count(*) AS n").Group("status").Scan(&rows).Error
	out := map[string]int64{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, err
}

// EnsureSchedule adds a recurring task the first time it is known.
func EnsureSchedule(ctx context.Context, db *gorm.DB, name string, first time.Time) error {
	return db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&Schedule{Name: name, NextRunAt: first}).Error
}

// ClaimSchedule takes the task's round due at now for instance, holding it
// for lease; false when it is not due or another instance holds it.
func ClaimSchedule(ctx context.Context, db *gorm.DB, name, instance string, now time.Time, lease time.Duration) (bool, error) {
	res := db.WithContext(ctx).Model(&Schedule{}).
		Where("name = ? AND next_run_at <= ? AND (locked_until IS NULL OR locked_until < ?)", name, now, now).
		Updates(map[string]any{"locked_by": instance, "locked_until": now.Add(lease), "last_started_at": now})
	return res.RowsAffected == 1, res.Error
}

// FinishSchedule ends instance's round of the task and sets the next one.
func FinishSchedule(ctx context.Context, db *gorm.DB, name, instance string, next, now time.Time, errText string) error {
	return db.WithContext(ctx).Model(&Schedule{}).Where("name = ? AND locked_by = ?", name, instance).
		Updates(map[string]any{"locked_by": "", "locked_until": nil, "next_run_at": next, "last_finished_at": now,
			"last_error": errText, "runs": gorm.Expr("runs + 1")}).Error
}

// Schedules lists the recurring tasks by name.
func Schedules(ctx context.Context, db *gorm.DB) ([]Schedule, error) {
	var out []Schedule
	err := db.WithContext(ctx).Order("name").Find(&out).Error
	return out, err
}
