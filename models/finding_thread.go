package models

import (
	"context"

	"gorm.io/gorm"
)

// FindingComment is one remark in a finding's thread.
type FindingComment struct {
	Base
	FindingID string `gorm:"not null"`
	AuthorID  string `gorm:"not null"`
	Body      string `gorm:"not null"`
}

// FindingAttachment is an evidence file attached to a finding.
type FindingAttachment struct {
	Base
	FindingID   string `gorm:"not null"`
	UploadedBy  string `gorm:"not null"`
	Filename    string `gorm:"not null"`
	ContentType string `gorm:"not null"`
	Size        int64  `gorm:"not null"`
	Sha256      string `gorm:"column:sha256;not null"`
	StorageKey  string `gorm:"not null"`
}

// FindingComments lists a finding's comments, oldest first.
func FindingComments(ctx context.Context, db *gorm.DB, findingID string) ([]FindingComment, error) {
	out := []FindingComment{}
	err := db.WithContext(ctx).Where("finding_id = ?", findingID).Order("created_at, id").Limit(1000).Find(&out).Error
	return out, err
}

// AddFindingComment stores a comment.
func AddFindingComment(ctx context.Context, db *gorm.DB, c *FindingComment) error {
	return db.WithContext(ctx).Create(c).Error
}

// FindingAttachments lists a finding's files, oldest first.
func FindingAttachments(ctx context.Context, db *gorm.DB, findingID string) ([]FindingAttachment, error) {
	out := []FindingAttachment{}
	err := db.WithContext(ctx).Where("finding_id = ?", findingID).Order("created_at, id").Limit(MaxLimit).Find(&out).Error
	return out, err
}

// CreateFindingAttachment stores the attachment's record.
func CreateFindingAttachment(ctx context.Context, db *gorm.DB, a *FindingAttachment) error {
	return db.WithContext(ctx).Create(a).Error
}

// FindingAttachmentByID returns one file of the given finding.
func FindingAttachmentByID(ctx context.Context, db *gorm.DB, findingID, id string) (*FindingAttachment, error) {
	var a FindingAttachment
	if err := db.WithContext(ctx).Where("id = ? AND finding_id = ?", id, findingID).Take(&a).Error; err != nil {
		return nil, translate(err)
	}
	return &a, nil
}

// PendingException returns the finding's exception request still waiting
// for a decision, or nil.
func PendingException(ctx context.Context, db *gorm.DB, findingID string) (*RiskException, error) {
	var e RiskException
	err := db.WithContext(ctx).Where("finding_id = ? AND status = ?", findingID, "requested").Limit(1).Find(&e).Error
	if err != nil || e.ID == "" {
		return nil, err
	}
	return &e, nil
}

// UserNames maps user ids to names, for threads that show who wrote what.
func UserNames(ctx context.Context, db *gorm.DB, ids []string) (map[string]string, error) {
	return namesByID(ctx, db, &User{}, "name", ids)
}
