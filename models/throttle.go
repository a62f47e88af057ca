package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// SignInThrottle counts failed sign-ins for one key (an account or a
// client address) within a fixed window. It lives in the database so that
// every instance sees the same counts.
type SignInThrottle struct {
	Key           string    `gorm:"primaryKey"`
	Failures      int64     `gorm:"not null"`
	WindowStartAt time.Time `gorm:"not null"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// ThrottleState returns the failures counted for key in the window that
// is current at now, and when that window ends.
func ThrottleState(ctx context.Context, db *gorm.DB, key string, now time.Time, window time.Duration) (int64, time.Time, error) {
	var t SignInThrottle
	err := db.WithContext(ctx).Where("key = ?", key).Limit(1).Find(&t).Error
	if err != nil || t.Key == "" || !now.Before(t.WindowStartAt.Add(window)) {
		return 0, time.Time{}, err
	}
	return t.Failures, t.WindowStartAt.Add(window), nil
}

// RecordFailure counts one failure for key, starting a new window when the
// previous one has ended.
func RecordFailure(ctx context.Context, db *gorm.DB, key string, now time.Time, window time.Duration) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var t SignInThrottle
		err := tx.Clauses(lockForUpdate(tx)...).Where("key = ?", key).Limit(1).Find(&t).Error
		if err != nil {
			return err
		}
		if t.Key == "" {
			return tx.Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "key"}},
				DoUpdates: clause.Assignments(map[string]any{"failures": gorm.Expr("sign_in_throttles.failures + 1"), "updated_at": now}),
			}).Create(&SignInThrottle{Key: key, Failures: 1, WindowStartAt: now}).Error
		}
		updates := map[string]any{"failures": gorm.Expr("failures + 1"), "updated_at": now}
		if !now.Before(t.WindowStartAt.Add(window)) {
			updates = map[string]any{"failures": 1, "window_start_at": now, "updated_at": now}
		}
		return tx.Model(&SignInThrottle{}).Where("key = ?", key).Updates(updates).Error
	})
}

// ClearThrottle forgets the failures of key (after a successful sign-in).
func ClearThrottle(ctx context.Context, db *gorm.DB, key string) error {
	return db.WithContext(ctx).Where("key = ?", key).Delete(&SignInThrottle{}).Error
}

// lockForUpdate locks the selected rows on PostgreSQL; SQLite's immediate
// transactions already hold the write lock.
func lockForUpdate(db *gorm.DB) []clause.Expression {
	if db.Dialector.Name() == "postgres" {
		return []clause.Expression{clause.Locking{Strength: "UPDATE"}}
	}
	return nil
}

// DeleteStaleThrottles removes counters whose window ended before cutoff.
func DeleteStaleThrottles(ctx context.Context, db *gorm.DB, cutoff time.Time) (int64, error) {
	res := db.WithContext(ctx).Where("window_start_at < ?", cutoff).Delete(&SignInThrottle{})
	return res.RowsAffected, res.Error
}
