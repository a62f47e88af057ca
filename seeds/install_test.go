package seeds_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"rampart/app/questionnaire"
	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

// TestBuiltinQuestionnairesInstallOnceAndScore installs the library twice
// and checks that the engine reads what was stored: a perfect answer set
// scores 100.
func TestBuiltinQuestionnairesInstallOnceAndScore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		// testdb.Open installed the built-ins, as migrate does; again is a no-op.
		if n, err := seeds.InstallBuiltins(ctx, db.Gorm); err != nil || n != 0 {
			t.Fatalf("second install: %d %v", n, err)
		}
		ts, err := models.ListTemplates(ctx, db.Gorm, false)
		if err != nil || len(ts) != 2 {
			t.Fatalf("templates %v %v", ts, err)
		}
		for _, listed := range ts {
			tpl, _ := models.GetTemplate(ctx, db.Gorm, listed.ID)
			var c questionnaire.Content
			if err := json.Unmarshal([]byte(tpl.Content), &c); err != nil {
				t.Fatal(err)
			}
			if len(c.Questions()) != int(tpl.QuestionCount) || tpl.Status != "published" || !tpl.Builtin {
				t.Fatalf("%s: %d questions stored, count %d", tpl.Key, len(c.Questions()), tpl.QuestionCount)
			}
			// The best answer to every scored question gives 100.
			answers := map[string]questionnaire.Answer{}
			today := time.Now().UTC()
			for _, q := range c.Questions() {
				best := json.RawMessage("null")
				switch q.Type {
				case questionnaire.YesNoNA, questionnaire.SingleChoice, questionnaire.MultipleChoice:
					top, val := -1.0, ""
					for _, ch := range q.Choices {
						if ch.Score != nil && *ch.Score > top {
							top, val = *ch.Score, ch.Value
						}
					}
					best, _ = json.Marshal(val)
					if q.Type == questionnaire.MultipleChoice {
						best, _ = json.Marshal([]string{val})
					}
				case questionnaire.Number:
					best = json.RawMessage("0")
				case questionnaire.Date:
					best, _ = json.Marshal(today.Format(time.DateOnly))
				}
				// A file answer scores once a reviewer accepts it.
				answers[q.Key] = questionnaire.Answer{Value: best, Files: 1, Verdict: questionnaire.FileAccepted}
			}
			r := questionnaire.Effectiveness(&c, answers, nil, today)
			if r.Overall == nil || *r.Overall != 100 {
				t.Errorf("%s: best answers score %v", tpl.Key, r.Overall)
			}
		}
	})
}
