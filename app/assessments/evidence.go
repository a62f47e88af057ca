package assessments

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/evidence"
	"rampart/app/questionnaire"
	"rampart/app/storage"
	"rampart/models"
)

// LinkEvidence stands the answer to the file question key on a document of
// the vendor's evidence library (documentID "" takes the link away). The
// answer then scores 100 only while that document's current version is
// accepted and not expired; until a reviewer gives that verdict it scores
// 0, whatever files are attached.
func (s *Service) LinkEvidence(ctx context.Context, p *auth.Principal, id, key, documentID string, o auth.Origin) (*State, error) {
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st, err := s.underReview(ctx, tx, id)
		if err != nil {
			return err
		}
		a := st.Assessment
		q := st.Content.Find(key)
		if q == nil {
			return models.ErrNotFound
		}
		if q.Type != questionnaire.File {
			return models.Invalid("key", "only the answer to a file question can stand on an evidence document")
		}
		var link *string
		detail := key + ": link removed"
		if documentID != "" {
			d, err := models.GetEvidence(ctx, tx, a.VendorID, documentID)
			if err != nil {
				if errors.Is(err, models.ErrNotFound) {
					return models.Invalid("document_id", "is not a document in this vendor's evidence library")
				}
				return err
			}
			link, detail = &d.ID, fmt.Sprintf("%s: %s", key, d.Title)
		}
		if err := models.LinkAnswerEvidence(ctx, tx, id, key, link, s.now()); err != nil {
			return err
		}
		return s.reviewed(ctx, tx, p, o, a, "assessment.evidence_link", detail)
	})
	if err != nil {
		return nil, err
	}
	return s.current(ctx, id)
}

// FileIntoLibrary copies a file the vendor attached to a question into the
// vendor's evidence library as a new document of kind (the library keeps
// its own copy, with its own review) and stands the answer on it.
func (s *Service) FileIntoLibrary(ctx context.Context, files storage.Store, p *auth.Principal, id, fileID string, meta evidence.Meta, o auth.Origin) (*State, *evidence.Upload, error) {
	st, err := s.underReview(ctx, s.DB, id)
	if err != nil {
		return nil, nil, err
	}
	a := st.Assessment
	f, err := models.AssessmentFileByID(ctx, s.DB, id, fileID)
	if err != nil {
		return nil, nil, err
	}
	if q := st.Content.Find(f.QuestionKey); q == nil || q.Type != questionnaire.File {
		return nil, nil, models.Invalid("file_id", "is not attached to a file question")
	}
	body, err := files.Open(ctx, f.StorageKey)
	if err != nil {
		return nil, nil, err
	}
	defer body.Close()
	lib := &evidence.Service{DB: s.DB, Now: s.Now}
	up, err := lib.Add(ctx, files, p, a.VendorID, "", 0, f.Filename, body, meta, o)
	if err != nil {
		return nil, nil, err
	}
	st, err = s.LinkEvidence(ctx, p, id, f.QuestionKey, up.Item.ID, o)
	return st, up, err
}

// RescoreCiting stores again the score of every open or completed
// assessment with an answer standing on the document: its review changed,
// and with it what those answers are worth.
func (s *Service) RescoreCiting(ctx context.Context, tx *gorm.DB, documentID string) error {
	ids, err := models.AssessmentsCitingEvidence(ctx, tx, documentID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		a, err := models.GetAssessment(ctx, tx, id)
		if err != nil {
			return err
		}
		switch a.Status {
		case "submitted", "in_review", "completed":
		default:
			continue
		}
		st, err := s.Load(ctx, tx, a)
		if err != nil {
			return err
		}
		if _, err := models.UpdateAssessment(ctx, tx, a.ID, 0, st.stored()); err != nil {
			return err
		}
	}
	return nil
}
