package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Authors of an answer message.
const (
	AuthorStaff  = "staff"
	AuthorVendor = "vendor"
)

// AnswerMessage is one message in the conversation on a question of an
// assessment, written by a staff member (AuthorID) or the vendor contact
// through a portal link (InvitationID, with the contact's name and
// address as invited).
type AnswerMessage struct {
	Base
	AssessmentID string  `gorm:"not null"`
	QuestionKey  string  `gorm:"not null"`
	AuthorKind   string  `gorm:"not null"`
	AuthorID     *string ``
	InvitationID *string ``
	AuthorName   string  `gorm:"not null;default:''"`
	AuthorEmail  string  `gorm:"not null;default:''"`
	Body         string  `gorm:"not null"`
}

// AnswerMessageFile is a file sent with a message.
type AnswerMessageFile struct {
	Base
	MessageID    string `gorm:"not null"`
	AssessmentID string `gorm:"not null"`
	// UploadedVia is "staff" or "portal"; portal files count towards the
	// assessment's upload quota.
	UploadedVia string `gorm:"not null"`
	Filename    string `gorm:"not null"`
	ContentType string `gorm:"not null"`
	Size        int64  `gorm:"not null"`
	Sha256      string `gorm:"column:sha256;not null"`
	StorageKey  string `gorm:"not null"`
}

// AnswerThreadRead is how far one staff member has read one thread.
type AnswerThreadRead struct {
	Base
	AssessmentID string    `gorm:"not null"`
	QuestionKey  string    `gorm:"not null"`
	UserID       string    `gorm:"not null"`
	ReadAt       time.Time `gorm:"not null"`
}

// MaxThreadMessages caps one thread's listing.
const MaxThreadMessages = 1000

// AnswerMessages lists the thread on one question, oldest first.
func AnswerMessages(ctx context.Context, db *gorm.DB, assessmentID, key string) ([]AnswerMessage, error) {
	out := []AnswerMessage{}
	err := db.WithContext(ctx).Where("assessment_id = ? AND question_key = ?", assessmentID, key).
		Order("created_at, id").Limit(MaxThreadMessages).Find(&out).Error
	return out, err
}

// AnswerMessageFiles returns the files of the given messages of one
// assessment, by message id.
func AnswerMessageFiles(ctx context.Context, db *gorm.DB, assessmentID string, messageIDs []string) (map[string][]AnswerMessageFile, error) {
	out := map[string][]AnswerMessageFile{}
	if len(messageIDs) == 0 {
		return out, nil
	}
	var rows []AnswerMessageFile
	if err := db.WithContext(ctx).Where("assessment_id = ? AND message_id IN ?", assessmentID, messageIDs).
		Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, f := range rows {
		out[f.MessageID] = append(out[f.MessageID], f)
	}
	return out, nil
}

// AnswerMessageFileByID returns one message file of the given assessment.
func AnswerMessageFileByID(ctx context.Context, db *gorm.DB, assessmentID, id string) (*AnswerMessageFile, error) {
	var f AnswerMessageFile
	if err := db.WithContext(ctx).Where("id = ? AND assessment_id = ?", id, assessmentID).Take(&f).Error; err != nil {
		return nil, translate(err)
	}
	return &f, nil
}

// PortalMessageUploads counts the files vendors sent with messages on an
// assessment and their total size.
func PortalMessageUploads(ctx context.Context, db *gorm.DB, assessmentID string) (n, bytes int64, err error) {
	var row struct{ N, Total int64 }
	err = db.WithContext(ctx).Model(&AnswerMessageFile{}).Select("COUNT(*) AS n, COALESCE(SUM(size), 0) AS total").
		Where("assessment_id = ? AND uploaded_via = ?", assessmentID, "portal").Scan(&row).Error
	return row.N, row.Total, err
}

// ThreadCount is the size of one question's thread: every message, and
// those from the vendor a staff member has not read.
type ThreadCount struct {
	Total  int `json:"total"`
	Unread int `json:"unread"`
}

// ThreadCounts counts each question's messages of an assessment and, for
// userID, the vendor's messages newer than the user's read mark.
func ThreadCounts(ctx context.Context, db *gorm.DB, assessmentID, userID string) (map[string]ThreadCount, error) {
	var msgs []struct {
		QuestionKey string
		AuthorKind  string
		CreatedAt   time.Time
	}
	if err := db.WithContext(ctx).Model(&AnswerMessage{}).Select("question_key, author_kind, created_at").
		Where("assessment_id = ?", assessmentID).Scan(&msgs).Error; err != nil {
		return nil, err
	}
	out := map[string]ThreadCount{}
	if len(msgs) == 0 {
		return out, nil
	}
	var reads []AnswerThreadRead
	if err := db.WithContext(ctx).Where("assessment_id = ? AND user_id = ?", assessmentID, userID).Find(&reads).Error; err != nil {
		return nil, err
	}
	readAt := map[string]time.Time{}
	for _, r := range reads {
		readAt[r.QuestionKey] = r.ReadAt
	}
	for _, m := range msgs {
		c := out[m.QuestionKey]
		c.Total++
		if m.AuthorKind == AuthorVendor && m.CreatedAt.After(readAt[m.QuestionKey]) {
			c.Unread++
		}
		out[m.QuestionKey] = c
	}
	return out, nil
}

// MarkThreadRead records that userID has read the thread on key up to at.
func MarkThreadRead(ctx context.Context, db *gorm.DB, assessmentID, key, userID string, at time.Time) error {
	r := &AnswerThreadRead{AssessmentID: assessmentID, QuestionKey: key, UserID: userID, ReadAt: at}
	r.ID, r.CreatedAt, r.UpdatedAt = NewID(), at, at
	return db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "assessment_id"}, {Name: "question_key"}, {Name: "user_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"read_at", "updated_at"}),
	}).Create(r).Error
}

// MaxAssessmentMessages caps the messages read for one assessment at once
// (the portal shows every thread of its questionnaire).
const MaxAssessmentMessages = 5000

// AssessmentMessages lists every message on an assessment, oldest first.
func AssessmentMessages(ctx context.Context, db *gorm.DB, assessmentID string) ([]AnswerMessage, error) {
	out := []AnswerMessage{}
	err := db.WithContext(ctx).Where("assessment_id = ?", assessmentID).
		Order("created_at, id").Limit(MaxAssessmentMessages).Find(&out).Error
	return out, err
}

// MessageQuestion returns the question key of a message of the assessment.
func MessageQuestion(ctx context.Context, db *gorm.DB, assessmentID, messageID string) (string, error) {
	var m AnswerMessage
	if err := db.WithContext(ctx).Select("question_key").Where("id = ? AND assessment_id = ?", messageID, assessmentID).Take(&m).Error; err != nil {
		return "", translate(err)
	}
	return m.QuestionKey, nil
}
