package assessments

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/questionnaire"
	"rampart/app/storage"
	"rampart/models"
)

// Problems lists what keeps a draft from being published (empty when it
// can be).
func Problems(t *models.QuestionnaireTemplate) []questionnaire.Problem {
	c, err := Content(t)
	if err != nil {
		return []questionnaire.Problem{{Message: "content is not valid JSON: " + err.Error()}}
	}
	tpl := questionnaire.Template{Key: t.Key, Name: t.Name, Description: t.Description, Content: *c}
	var ve *questionnaire.ValidationError
	if err := tpl.Validate(); errors.As(err, &ve) {
		return ve.Problems
	}
	return []questionnaire.Problem{}
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slug makes a template key from a name: "Cloud vendors v2" -> "cloud-vendors-v2".
func slug(name string) string {
	return strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(name), "-"), "-")
}

// CreateTemplate stores a new questionnaire as draft revision 1. Drafts may
// be incomplete; publishing checks them.
// src, when not nil, is the stored file the questionnaire was imported
// from; it is kept with the new draft.
func (s *Service) CreateTemplate(ctx context.Context, p *auth.Principal, t questionnaire.Template, src *models.TemplateSource, o auth.Origin) (*models.QuestionnaireTemplate, error) {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		return nil, models.Invalid("name", "is required")
	}
	if t.Key == "" {
		t.Key = slug(t.Name)
	}
	if t.Key == "" || t.Key != slug(t.Key) {
		return nil, models.Invalid("key", "must be lower-case words joined by hyphens")
	}
	if t.Sections == nil {
		t.Sections = []questionnaire.Section{}
	}
	content, err := json.Marshal(t.Content)
	if err != nil {
		return nil, err
	}
	row := &models.QuestionnaireTemplate{Key: t.Key, Name: t.Name, Description: strings.TrimSpace(t.Description), Revision: 1,
		Status: "draft", Content: string(content), QuestionCount: int64(len(t.Questions())), CreatedBy: &p.User.ID}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&models.QuestionnaireTemplate{}).Where("key = ?", t.Key).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return models.Invalid("key", "is used by another questionnaire; pick another name or key")
		}
		if err := tx.Create(row).Error; err != nil {
			return err
		}
		detail := fmt.Sprintf("%s, %d questions", row.Key, row.QuestionCount)
		if src != nil {
			src.TemplateID, src.UploadedBy = row.ID, p.User.ID
			if err := tx.Create(src).Error; err != nil {
				return err
			}
			detail += fmt.Sprintf(", imported from %s (%s, sha256 %s)", src.Filename, src.Format, src.Sha256)
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "questionnaire.create", ObjectType: "questionnaire", ObjectID: row.ID, Detail: detail})
	})
	return row, err
}

// ImportTemplate saves an imported questionnaire as a draft, keeping the
// file it came from with it.
func (s *Service) ImportTemplate(ctx context.Context, files storage.Store, p *auth.Principal, name, fileName string, data []byte, imp *questionnaire.Import, o auth.Origin) (*models.QuestionnaireTemplate, error) {
	if len(imp.Content.Questions()) == 0 {
		return nil, models.Invalid("file", "no question rows were found; check the sheet and the column mapping")
	}
	typ, _, err := storage.Sniff(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	key, size, sum, err := files.Put(ctx, bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	src := &models.TemplateSource{Filename: storage.CleanName(fileName), ContentType: typ, Format: imp.Format, Size: size, Sha256: sum, StorageKey: key}
	return s.CreateTemplate(ctx, p, questionnaire.Template{Name: name, Description: imp.Description, Content: imp.Content}, src, o)
}

// UpdateDraft replaces a draft's name, description or content.
func (s *Service) UpdateDraft(ctx context.Context, p *auth.Principal, id string, version int64, name, description *string, content *questionnaire.Content, o auth.Origin) (*models.QuestionnaireTemplate, error) {
	var out *models.QuestionnaireTemplate
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := models.GetTemplate(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Status != "draft" {
			return models.Invalid("status", "a published revision never changes; make a new revision to edit it")
		}
		set := map[string]any{}
		if name != nil {
			if strings.TrimSpace(*name) == "" {
				return models.Invalid("name", "must not be empty")
			}
			set["name"] = strings.TrimSpace(*name)
		}
		if description != nil {
			set["description"] = strings.TrimSpace(*description)
		}
		if content != nil {
			b, err := json.Marshal(content)
			if err != nil {
				return err
			}
			set["content"], set["question_count"] = string(b), len(content.Questions())
		}
		if out, err = models.UpdateTemplate(ctx, tx, id, version, set); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "questionnaire.update", ObjectType: "questionnaire", ObjectID: id})
	})
	return out, err
}

// Publish freezes a draft once it passes every check; earlier published
// revisions of the same questionnaire are retired (assessments keep them).
func (s *Service) Publish(ctx context.Context, p *auth.Principal, id string, version int64, o auth.Origin) (*models.QuestionnaireTemplate, error) {
	var out *models.QuestionnaireTemplate
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := models.GetTemplate(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Status != "draft" {
			return models.Invalid("status", "only a draft can be published")
		}
		if probs := Problems(cur); len(probs) > 0 {
			errs := make([]models.FieldError, 0, len(probs))
			for _, pr := range probs {
				field := "content"
				if pr.Question != "" {
					field = "questions." + pr.Question
				} else if pr.Section != "" {
					field = "sections." + pr.Section
				}
				errs = append(errs, models.FieldError{Field: field, Message: pr.Message})
			}
			return &models.ValidationError{Errors: errs}
		}
		now := s.now()
		if err := tx.Model(&models.QuestionnaireTemplate{}).Where("key = ? AND status = ? AND id <> ?", cur.Key, "published", id).
			Updates(map[string]any{"status": "retired", "updated_at": now}).Error; err != nil {
			return err
		}
		if out, err = models.UpdateTemplate(ctx, tx, id, version, map[string]any{"status": "published", "published_at": now}); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "questionnaire.publish", ObjectType: "questionnaire", ObjectID: id,
			Detail: fmt.Sprintf("%s revision %d", cur.Key, cur.Revision)})
	})
	return out, err
}

// Revise starts a new draft revision from a published one. A
// questionnaire has at most one draft at a time.
func (s *Service) Revise(ctx context.Context, p *auth.Principal, id string, o auth.Origin) (*models.QuestionnaireTemplate, error) {
	var out *models.QuestionnaireTemplate
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := models.GetTemplate(ctx, tx, id)
		if err != nil {
			return err
		}
		var drafts, last int64
		if err := tx.Model(&models.QuestionnaireTemplate{}).Where("key = ? AND status = ?", cur.Key, "draft").Count(&drafts).Error; err != nil {
			return err
		}
		if drafts > 0 {
			return models.Invalid("status", "this questionnaire already has a draft revision; edit that one")
		}
		if err := tx.Model(&models.QuestionnaireTemplate{}).Where("key = ?", cur.Key).Select("COALESCE(MAX(revision), 0)").Scan(&last).Error; err != nil {
			return err
		}
		out = &models.QuestionnaireTemplate{Key: cur.Key, Name: cur.Name, Description: cur.Description, Revision: last + 1, Status: "draft",
			Content: cur.Content, QuestionCount: cur.QuestionCount, CreatedBy: &p.User.ID}
		if err := tx.Create(out).Error; err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "questionnaire.revise", ObjectType: "questionnaire", ObjectID: out.ID,
			Detail: fmt.Sprintf("%s revision %d from revision %d", cur.Key, out.Revision, cur.Revision)})
	})
	return out, err
}
