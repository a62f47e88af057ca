package models

import (
	"context"

	"gorm.io/gorm"
)

// GetNotification returns one of a person's notices; another person's
// notice is ErrNotFound, as if it did not exist.
func GetNotification(ctx context.Context, db *gorm.DB, userID, id string) (*Notification, error) {
	var n Notification
	if err := db.WithContext(ctx).Where("id = ? AND user_id = ?", id, userID).Take(&n).Error; err != nil {
		return nil, translate(err)
	}
	return &n, nil
}

// ObjectMail returns the messages of the given kinds written about one
// object (an assessment's invitation and chasers), newest first, at most
// limit.
func ObjectMail(ctx context.Context, db *gorm.DB, objectType, objectID string, kinds []string, limit int) ([]MailMessage, error) {
	out := []MailMessage{}
	if len(kinds) == 0 {
		return out, nil
	}
	err := db.WithContext(ctx).Where("object_type = ? AND object_id = ? AND kind IN ?", objectType, objectID, kinds).
		Order("created_at DESC, id DESC").Limit(limit).Find(&out).Error
	return out, err
}
