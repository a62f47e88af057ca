package seeds

import (
	"context"
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"rampart/app/questionnaire"
	"rampart/models"
)

// demoAssessment is one demo assessment: which vendor, which built-in
// questionnaire, how far it got, and how well the vendor answered.
type demoAssessment struct {
	vendor   int
	template string
	status   string
	answered float64 // share of questions answered
	quality  float64 // chance an answer is the best one
}

var demoAssessments = []demoAssessment{
	{0, "rampart-full", "completed", 1, 0.85},
	{1, "rampart-lite", "completed", 1, 0.6},
	{2, "rampart-lite", "completed", 1, 0.95},
	{3, "rampart-full", "submitted", 1, 0.7},
	{4, "rampart-lite", "in_progress", 0.5, 0.8},
	{5, "rampart-lite", "sent", 0, 0},
}

// seedAssessments gives the first demo vendors assessments at different
// stages, answered deterministically, and returns a working portal token
// for the one just sent so the demo can show the vendor's side.
func seedAssessments(ctx context.Context, tx *gorm.DB, vendorIDs []string, reviewer *models.User, now time.Time) (string, error) {
	if err := installIn(ctx, tx); err != nil {
		return "", err
	}
	templates := map[string]*models.QuestionnaireTemplate{}
	ts, err := models.ListTemplates(ctx, tx, false)
	if err != nil {
		return "", err
	}
	for _, t := range ts {
		full, err := models.GetTemplate(ctx, tx, t.ID)
		if err != nil {
			return "", err
		}
		templates[t.Key] = full
	}
	rng := rand.New(rand.NewPCG(demoSeed, 7))
	portalToken := ""
	for i, d := range demoAssessments {
		t := templates[d.template]
		var c questionnaire.Content
		if err := json.Unmarshal([]byte(t.Content), &c); err != nil {
			return "", err
		}
		started := now.AddDate(0, 0, -60+i*7)
		a := &models.Assessment{VendorID: vendorIDs[d.vendor], TemplateID: t.ID, Title: t.Name, Status: d.status,
			DueDate: started.AddDate(0, 0, 30).Format(time.DateOnly), ReviewerID: &reviewer.ID, ContactName: "Security team",
			ContactEmail: "security@vendor" + string(rune('a'+i)) + ".example", CreatedBy: &reviewer.ID, Result: "{}", SentAt: &started}
		if err := models.CreateAssessment(ctx, tx, a); err != nil {
			return "", err
		}
		answers := map[string]questionnaire.Answer{}
		for _, q := range c.Questions() {
			if !questionnaire.Visible(q, answers) || rng.Float64() >= d.answered {
				continue
			}
			v := demoAnswer(q, rng, d.quality, now)
			if v == nil {
				continue
			}
			answers[q.Key] = questionnaire.Answer{Value: v}
			if err := models.SaveAnswer(ctx, tx, &models.AssessmentAnswer{AssessmentID: a.ID, QuestionKey: q.Key, Value: string(v)}); err != nil {
				return "", err
			}
		}
		set := map[string]any{}
		if d.status == "completed" || d.status == "submitted" {
			r := questionnaire.Effectiveness(&c, answers, nil, now)
			b, _ := json.Marshal(r)
			submitted := started.AddDate(0, 0, 12)
			set["effectiveness"], set["result"], set["submitted_at"] = r.Overall, string(b), submitted
			if d.status == "completed" {
				set["completed_at"] = submitted.AddDate(0, 0, 5)
			}
		}
		if d.status == "sent" || d.status == "in_progress" {
			token := "rpt_" + demoToken()
			sum := sha256.Sum256([]byte(token))
			if err := models.CreateInvitation(ctx, tx, &models.PortalInvitation{AssessmentID: a.ID, TokenHash: hex.EncodeToString(sum[:]),
				ContactEmail: a.ContactEmail, ExpiresAt: now.AddDate(0, 0, 30), CreatedBy: &reviewer.ID}); err != nil {
				return "", err
			}
			if d.status == "sent" {
				portalToken = token
			}
		}
		if len(set) > 0 {
			if _, err := models.UpdateAssessment(ctx, tx, a.ID, 0, set); err != nil {
				return "", err
			}
		}
	}
	return portalToken, nil
}

// installIn installs the built-in questionnaires inside the demo's
// transaction (serve also installs them at migrate; this keeps Demo
// usable on its own, as in tests).
func installIn(ctx context.Context, tx *gorm.DB) error {
	_, err := InstallQuestionnaires(ctx, tx)
	return err
}

// demoAnswer picks the best choice with probability quality, else another.
func demoAnswer(q *questionnaire.Question, rng *rand.Rand, quality float64, now time.Time) json.RawMessage {
	pick := func() string {
		best, bestScore := "", -1.0
		for _, ch := range q.Choices {
			if ch.Score != nil && *ch.Score > bestScore {
				best, bestScore = ch.Value, *ch.Score
			}
		}
		if rng.Float64() < quality || len(q.Choices) == 0 {
			return best
		}
		return q.Choices[rng.IntN(len(q.Choices))].Value
	}
	var v any
	switch q.Type {
	case questionnaire.YesNoNA, questionnaire.SingleChoice:
		v = pick()
	case questionnaire.MultipleChoice:
		v = []string{pick()}
	case questionnaire.Number:
		v = []int{2, 8, 24, 48}[rng.IntN(4)]
	case questionnaire.Date:
		v = now.AddDate(0, -rng.IntN(18), 0).Format(time.DateOnly)
	case questionnaire.ShortText, questionnaire.LongText:
		v = "Documented in our security program; details available on request."
	default:
		return nil
	}
	b, _ := json.Marshal(v)
	return b
}

func demoToken() string {
	b := make([]byte, 32)
	_, _ = crand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
