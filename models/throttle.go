package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// SignInThrottle counts sign-in attempts for one key (an account, an
// (account, address) pair or a client address) within a fixed window. It
// lives in the database so that every instance sees the same counts.
type SignInThrottle struct {
	Key           string    `gorm:"primaryKey"`
	Account       string    `gorm:"not null"` // the normalised email the counter is about; "" for an address
	Failures      int64     `gorm:"not null"`
	WindowStartAt time.Time `gorm:"not null"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// ThrottleKey names one counter and the account it belongs to.
type ThrottleKey struct{ Key, Account string }

// ThrottleCount is a counter as it stands after an attempt was counted.
type ThrottleCount struct {
	Failures  int64
	WindowEnd time.Time
}

// errRefused rolls back a reservation the caller refused.
var errRefused = errors.New("attempt refused")

// ReserveAttempt counts one attempt against every key, in one transaction,
// before the password is checked, so parallel attempts cannot all pass a
// check made on stale counts. decide sees the counts including this
// attempt (in keys' order); if it returns an error nothing is counted and
// that error is returned. Keys are locked in the order given: callers use
// one order everywhere.
func ReserveAttempt(ctx context.Context, db *gorm.DB, keys []ThrottleKey, now time.Time, window time.Duration, decide func([]ThrottleCount) error) error {
	var refusal error
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		counts := make([]ThrottleCount, len(keys))
		for i, k := range keys {
			var row struct {
				Failures      int64
				WindowStartAt time.Time
			}
			// One statement both counts and reads, so no other attempt can
			// slip between the read and the write; a window that has ended
			// starts again at 1.
			err := tx.Raw(`INSERT INTO sign_in_throttles (key, account, failures, window_start_at, created_at, updated_at)
VALUES (?, ?, 1, ?, ?, ?)
ON CONFLICT (key) DO UPDATE SET
  failures = CASE WHEN sign_in_throttles.window_start_at <= ? THEN 1 ELSE sign_in_throttles.failures + 1 END,
  window_start_at = CASE WHEN sign_in_throttles.window_start_at <= ? THEN excluded.window_start_at ELSE sign_in_throttles.window_start_at END,
  updated_at = excluded.updated_at
RETURNING failures, window_start_at`, k.Key, k.Account, now, now, now, now.Add(-window), now.Add(-window)).Scan(&row).Error
			if err != nil {
				return err
			}
			counts[i] = ThrottleCount{Failures: row.Failures, WindowEnd: row.WindowStartAt.UTC().Add(window)}
		}
		if refusal = decide(counts); refusal != nil {
			return errRefused
		}
		return nil
	})
	if errors.Is(err, errRefused) {
		return refusal
	}
	return err
}

// ReleaseAttempt takes back an attempt ReserveAttempt counted that turned
// out not to be a failure (the password was right, or it was never
// checked). Counters whose window has since ended are left alone.
func ReleaseAttempt(ctx context.Context, db *gorm.DB, keys []ThrottleKey, now time.Time, window time.Duration) error {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.Key
	}
	return db.WithContext(ctx).Model(&SignInThrottle{}).
		Where("key IN ? AND failures > 0 AND window_start_at > ?", names, now.Add(-window)).
		Updates(map[string]any{"failures": gorm.Expr("failures - 1"), "updated_at": now}).Error
}

// ThrottleState returns the attempts counted for key in the window that
// is current at now, and when that window ends.
func ThrottleState(ctx context.Context, db *gorm.DB, key string, now time.Time, window time.Duration) (int64, time.Time, error) {
	var t SignInThrottle
	err := db.WithContext(ctx).Where("key = ?", key).Limit(1).Find(&t).Error
	if err != nil || t.Key == "" || !now.Before(t.WindowStartAt.Add(window)) {
		return 0, time.Time{}, err
	}
	return t.Failures, t.WindowStartAt.UTC().Add(window), nil
}

// ClearAccountThrottles forgets every counter about account: its count
// across addresses and its count from each address.
func ClearAccountThrottles(ctx context.Context, db *gorm.DB, account string) (int64, error) {
	res := db.WithContext(ctx).Where("account = ?", account).Delete(&SignInThrottle{})
	return res.RowsAffected, res.Error
}

// DeleteStaleThrottles removes counters whose window ended before cutoff.
func DeleteStaleThrottles(ctx context.Context, db *gorm.DB, cutoff time.Time) (int64, error) {
	res := db.WithContext(ctx).Where("window_start_at < ?", cutoff).Delete(&SignInThrottle{})
	return res.RowsAffected, res.Error
}
