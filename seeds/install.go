package seeds

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"rampart/app/scoring"
	"rampart/models"
)

// InstallBuiltins installs what every database starts with: the
// questionnaire library and the default risk model. migrate runs it.
func InstallBuiltins(ctx context.Context, db *gorm.DB) (questionnaires int, err error) {
	if questionnaires, err = InstallQuestionnaires(ctx, db); err != nil {
		return questionnaires, err
	}
	return questionnaires, scoring.Install(ctx, db, RiskModelJSON())
}

// InstallQuestionnaires stores the built-in questionnaires as published
// revision 1 of their keys, once; later revisions are the admins' own.
// It runs at every migrate, so an upgrade brings new built-ins.
func InstallQuestionnaires(ctx context.Context, db *gorm.DB) (int, error) {
	qs, err := Questionnaires()
	if err != nil {
		return 0, err
	}
	installed := 0
	now := time.Now().UTC()
	for _, q := range qs {
		content, err := json.Marshal(q.Content)
		if err != nil {
			return installed, err
		}
		n := len(q.Questions())
		t := &models.QuestionnaireTemplate{Key: q.Key, Name: q.Name, Description: q.Description, Revision: 1, Status: "published",
			Builtin: true, Content: string(content), QuestionCount: int64(n), PublishedAt: &now}
		added, err := models.UpsertBuiltinTemplate(ctx, db, t)
		if err != nil {
			return installed, fmt.Errorf("questionnaire %s: %w", q.Key, err)
		}
		if added {
			installed++
		}
	}
	return installed, nil
}
