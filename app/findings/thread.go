package findings

import (
	"context"
	"io"
	"strings"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/storage"
	"rampart/models"
)

// MaxAttachment caps one evidence file on a finding, as on requests.
const MaxAttachment = 20 << 20

// MaxComment caps one comment, in characters.
const MaxComment = 10000

// Comment adds a remark to a finding's thread.
func (s *Service) Comment(ctx context.Context, p *auth.Principal, findingID, body string, o auth.Origin) (*models.FindingComment, error) {
	f, err := models.GetFinding(ctx, s.DB, findingID)
	if err != nil {
		return nil, err
	}
	body = strings.TrimSpace(body)
	switch {
	case body == "":
		return nil, models.Invalid("body", "is required")
	case len([]rune(body)) > MaxComment:
		return nil, models.Invalid("body", "must be at most 10000 characters long")
	}
	c := &models.FindingComment{FindingID: f.ID, AuthorID: p.User.ID, Body: body}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.AddFindingComment(ctx, tx, c); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "finding.comment", ObjectType: "finding", ObjectID: f.ID,
			AfterData: models.AuditJSON(map[string]any{"comment_id": c.ID, "body": body})})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Attach stores an evidence file on a finding: the type comes from the
// content, and a failed save leaves neither the row nor the file behind.
func (s *Service) Attach(ctx context.Context, files storage.Store, p *auth.Principal, findingID, name string, body io.Reader, o auth.Origin) (*models.FindingAttachment, error) {
	f, err := models.GetFinding(ctx, s.DB, findingID)
	if err != nil {
		return nil, err
	}
	up, err := storage.PutEvidence(ctx, files, name, body, MaxAttachment)
	if err != nil {
		return nil, err
	}
	a := &models.FindingAttachment{FindingID: f.ID, UploadedBy: p.User.ID, Filename: storage.CleanName(name),
		ContentType: up.Type, Size: up.Size, Sha256: up.Sha256, StorageKey: up.Key}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.CreateFindingAttachment(ctx, tx, a); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "finding.attach", ObjectType: "finding", ObjectID: f.ID,
			AfterData: models.AuditJSON(map[string]any{"attachment_id": a.ID, "filename": a.Filename, "content_type": up.Type, "size": up.Size, "sha256": up.Sha256})})
	})
	if err != nil {
		_ = files.Delete(context.WithoutCancel(ctx), up.Key)
		return nil, err
	}
	return a, nil
}
