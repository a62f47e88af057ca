package seeds

import (
	"cmp"
	"context"
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"gorm.io/gorm"

	"rampart/app/findings"
	"rampart/app/questionnaire"
	"rampart/models"
)

// demoAssessment is one demo assessment: which vendor, which built-in
// questionnaire, how far it got, how well the vendor answered, and how
// many days ago it was completed (or, while still open, sent).
type demoAssessment struct {
	vendor   int
	template string
	status   string
	answered float64 // share of questions answered
	quality  float64 // chance an answer is the best one
	daysAgo  int
}

// seedAssessments creates the planned assessments, answered
// deterministically, raises findings from the weakest answers of the
// completed ones (some since closed, some overdue), and returns a working
// portal token for the one just sent so the demo can show the vendor's
// side.
func seedAssessments(ctx context.Context, tx *gorm.DB, vendorIDs []string, plan []demoAssessment, reviewer *models.User, now time.Time) (string, error) {
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
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	portalToken := ""
	threaded, delegated := false, false
	for i, d := range plan {
		t := templates[d.template]
		var c questionnaire.Content
		if err := json.Unmarshal([]byte(t.Content), &c); err != nil {
			return "", err
		}
		// Completed ones were sent 17 days before completion; open ones
		// daysAgo.
		started := today.AddDate(0, 0, -d.daysAgo).Add(time.Duration(9+i%7) * time.Hour)
		if d.status == "completed" {
			started = started.AddDate(0, 0, -17)
		}
		answeredAt := started.AddDate(0, 0, 12)
		if answeredAt.After(now) || (d.status != "completed" && d.status != "submitted") {
			answeredAt = now
		}
		a := &models.Assessment{VendorID: vendorIDs[d.vendor], TemplateID: t.ID, Title: t.Name, Status: d.status,
			DueDate: started.AddDate(0, 0, 30).Format(time.DateOnly), ReviewerID: &reviewer.ID, ContactName: "Security team",
			ContactEmail: fmt.Sprintf("security@vendor%02d.example", d.vendor), CreatedBy: &reviewer.ID, Result: "{}", SentAt: &started}
		a.CreatedAt, a.UpdatedAt = started, started
		if err := models.CreateAssessment(ctx, tx, a); err != nil {
			return "", err
		}
		answers := map[string]questionnaire.Answer{}
		for _, q := range c.Questions() {
			if !questionnaire.Visible(q, answers) || rng.Float64() >= d.answered {
				continue
			}
			v := demoAnswer(q, rng, d.quality, answeredAt)
			if v == nil {
				continue
			}
			answers[q.Key] = questionnaire.Answer{Value: v}
			if err := models.SaveAnswer(ctx, tx, &models.AssessmentAnswer{AssessmentID: a.ID, QuestionKey: q.Key, Value: string(v)}); err != nil {
				return "", err
			}
		}
		if d.status == "submitted" && !threaded {
			if err := demoThread(ctx, tx, a, &c, answers, reviewer, answeredAt, now); err != nil {
				return "", err
			}
			threaded = true
		}
		set := map[string]any{}
		if d.status == "completed" || d.status == "submitted" {
			r := questionnaire.Effectiveness(&c, answers, nil, answeredAt)
			b, _ := json.Marshal(r)
			set["effectiveness"], set["result"], set["submitted_at"] = r.Overall, string(b), answeredAt
			if d.status == "completed" {
				done := answeredAt.AddDate(0, 0, 5)
				if done.After(now) {
					done = now.Add(-time.Hour)
				}
				set["completed_at"] = done
				if err := demoFindings(ctx, tx, rng, a, &c, answers, done, reviewer, today); err != nil {
					return "", err
				}
			}
		}
		if d.status == "sent" || d.status == "in_progress" {
			token := "rpt_" + demoToken()
			sum := sha256.Sum256([]byte(token))
			inv := &models.PortalInvitation{AssessmentID: a.ID, TokenHash: hex.EncodeToString(sum[:]),
				ContactEmail: a.ContactEmail, ExpiresAt: now.AddDate(0, 0, 30), CreatedBy: &reviewer.ID}
			if err := models.CreateInvitation(ctx, tx, inv); err != nil {
				return "", err
			}
			if d.status == "sent" {
				portalToken = token
			}
			if d.status == "in_progress" && !delegated {
				if err := demoDelegation(ctx, tx, a, inv, &c, answers, now); err != nil {
					return "", err
				}
				delegated = true
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

// demoDelegation shows sharing in the portal: the contact of an
// assessment the vendor is answering shared its last section with a
// colleague, who answered some of it; the other answers are the contact's.
func demoDelegation(ctx context.Context, tx *gorm.DB, a *models.Assessment, main *models.PortalInvitation, c *questionnaire.Content,
	answers map[string]questionnaire.Answer, now time.Time) error {
	if len(c.Sections) < 2 {
		return nil
	}
	sec := c.Sections[len(c.Sections)-1]
	scope, _ := json.Marshal([]string{sec.Key})
	sum := sha256.Sum256([]byte("rpt_" + demoToken()))
	del := &models.PortalInvitation{AssessmentID: a.ID, TokenHash: hex.EncodeToString(sum[:]), ContactEmail: "priya.patel" + a.ContactEmail[len("security"):],
		ContactName: "Priya Patel", ExpiresAt: main.ExpiresAt, DelegatedBy: &main.ID, Sections: string(scope),
		Message: "Priya, could you take the " + sec.Title + " questions? You know these systems best.", Version: 1}
	used := now.Add(-3 * time.Hour)
	del.LastUsedAt = &used
	del.CreatedAt, del.UpdatedAt = now.Add(-26*time.Hour), now.Add(-26*time.Hour)
	if err := models.CreateInvitation(ctx, tx, del); err != nil {
		return err
	}
	inSection := map[string]bool{}
	for _, q := range sec.Questions {
		inSection[q.Key] = true
	}
	for key := range answers {
		by, at := main, now.Add(-30*time.Hour)
		if inSection[key] {
			by, at = del, used
		}
		name := by.ContactName
		if name == "" {
			name = a.ContactName
		}
		if err := tx.WithContext(ctx).Model(&models.AssessmentAnswer{}).Where("assessment_id = ? AND question_key = ?", a.ID, key).
			Updates(map[string]any{"answered_invitation_id": by.ID, "answered_by_name": name, "answered_by_email": by.ContactEmail, "answered_at": at}).Error; err != nil {
			return err
		}
	}
	return nil
}

// demoThread writes a conversation on the first answered question of a
// submitted assessment: the reviewer asks in words, the vendor answers.
func demoThread(ctx context.Context, tx *gorm.DB, a *models.Assessment, c *questionnaire.Content, answers map[string]questionnaire.Answer,
	reviewer *models.User, answeredAt, now time.Time) error {
	key := ""
	for _, q := range c.Questions() {
		if _, ok := answers[q.Key]; ok && q.Type != questionnaire.File {
			key = q.Key
			break
		}
	}
	if key == "" {
		return nil
	}
	at := func(h int) time.Time {
		t := answeredAt.Add(time.Duration(h) * time.Hour)
		if t.After(now) {
			t = now.Add(time.Duration(h-48) * time.Minute)
		}
		return t
	}
	msgs := []models.AnswerMessage{
		{AssessmentID: a.ID, QuestionKey: key, AuthorKind: models.AuthorStaff, AuthorID: &reviewer.ID, AuthorName: reviewer.Name, AuthorEmail: reviewer.Email,
			Body: "Thanks for the answer. Does this also cover contractors and the support team's shared accounts? If there is a written policy, please attach it here."},
		{AssessmentID: a.ID, QuestionKey: key, AuthorKind: models.AuthorVendor, AuthorName: a.ContactName, AuthorEmail: a.ContactEmail,
			Body: "Yes: contractors are held to the same policy, and shared support accounts were retired last year.\nThe policy document follows once our legal team has cleared it for sharing."},
	}
	for i := range msgs {
		msgs[i].CreatedAt = at(2 + 20*i)
		msgs[i].UpdatedAt = msgs[i].CreatedAt
		if err := tx.WithContext(ctx).Create(&msgs[i]).Error; err != nil {
			return err
		}
	}
	return nil
}

// demoFindings raises findings from a completed assessment's weakest
// answers (a weighty question answered other than expected): none or one
// for a good assessment, up to three for a poor one. Older ones are mostly
// resolved, a few still open past their due date; recent ones mostly open.
func demoFindings(ctx context.Context, tx *gorm.DB, rng *rand.Rand, a *models.Assessment, c *questionnaire.Content,
	answers map[string]questionnaire.Answer, done time.Time, owner *models.User, today time.Time) error {
	type weak struct {
		q     *questionnaire.Question
		label string
		score float64
	}
	var gaps []weak
	for _, q := range c.Questions() {
		ans, ok := answers[q.Key]
		if !ok || q.Weight < 3 || len(q.Expected) == 0 || (q.Type != questionnaire.YesNoNA && q.Type != questionnaire.SingleChoice) {
			continue
		}
		var v string
		if json.Unmarshal(ans.Value, &v) != nil || slices.Contains(q.Expected, v) {
			continue
		}
		for _, ch := range q.Choices {
			if ch.Value == v && ch.Score != nil {
				gaps = append(gaps, weak{q, ch.Label, *ch.Score})
			}
		}
	}
	// The weightiest, worst answers first.
	slices.SortStableFunc(gaps, func(x, y weak) int {
		return cmp.Or(cmp.Compare(y.q.Weight, x.q.Weight), cmp.Compare(x.score, y.score))
	})
	limit := min(len(gaps), len(gaps)/5, 3)
	for _, g := range gaps[:limit] {
		severity := map[int]string{5: "high", 4: "high", 3: "medium"}[g.q.Weight]
		if g.q.Weight == 5 && g.score == 0 {
			severity = "critical"
		} else if g.q.Weight == 3 && g.score > 0 {
			severity = "low"
		}
		due := done.AddDate(0, 0, map[string]int{"critical": 30, "high": 60, "medium": 90, "low": 180}[severity])
		age := int(today.Sub(done).Hours() / 24)
		status := []string{"open", "in_progress", "resolved"}[weighted(rng, []int{45, 35, 20})]
		if age > 60 {
			status = []string{"open", "in_progress", "resolved"}[weighted(rng, []int{6, 6, 88})]
		}
		f := &models.Finding{VendorID: a.VendorID, AssessmentID: &a.ID, QuestionKey: g.q.Key, Title: findings.AnswerTitle(g.q.Key, g.label, questionnaire.PlainText(g.q.Text)),
			Severity: severity, Source: "assessment", Status: status, OwnerID: &owner.ID, DueDate: due.Format(time.DateOnly),
			Description: fmt.Sprintf("Answered \u201c%s\u201d in the %s review of %s.", g.label, a.Title, done.Format("January 2006")),
			CreatedBy:   &owner.ID}
		f.CreatedAt, f.UpdatedAt = done, done
		if status == "resolved" {
			closed := done.AddDate(0, 0, 15+rng.IntN(60))
			if !closed.Before(today) {
				f.Status = "in_progress"
			} else {
				f.ResolvedAt, f.UpdatedAt = &closed, closed
			}
		}
		if err := models.CreateFinding(ctx, tx, f); err != nil {
			return err
		}
	}
	return nil
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
