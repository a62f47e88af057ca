package assessments

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/gabriel-vasile/mimetype"
	"gorm.io/gorm"

	"rampart/app/answermatch"
	"rampart/app/auth"
	"rampart/app/doctext"
	"rampart/app/questionnaire"
	"rampart/app/sheet"
	"rampart/models"
)

// IntakeLimit caps a vendor's own questionnaire file.
const IntakeLimit = 20 << 20

// Origins of answers a reviewer brings in.
const (
	OriginDocument = "document"
	OriginReuse    = "reuse"
)

// IntakeProposal is a proposal of answers for the reviewer to confirm.
type IntakeProposal struct {
	answermatch.Proposal
	Origin string `json:"origin" enum:"document,reuse"`
	// Source is what the saved answers will say they came from.
	Source           string `json:"source"`
	FromAssessmentID string `json:"from_assessment_id"`
}

// answersOpen refuses an assessment whose answers the reviewer may not
// bring in: the rule of ImportAnswers, answers only before the vendor
// submits (afterwards they are the vendor's to change, through follow-ups).
func answersOpen(a *models.Assessment, field string) error {
	if err := refuseClosed(a); err != nil {
		return err
	}
	if !slices.Contains(models.AssessmentAwaitingVendor, a.Status) {
		return models.Invalid(field, "answers can be brought in only before the vendor submits")
	}
	return nil
}

// Intake reads a vendor's own completed questionnaire (XLSX or CSV, Word,
// PDF, Markdown or text) and proposes answers to the assessment's
// questions. Nothing is saved.
func (s *Service) Intake(ctx context.Context, id string, data []byte, filename string) (*IntakeProposal, error) {
	a, err := models.GetAssessment(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if err := answersOpen(a, "file"); err != nil {
		return nil, err
	}
	st, err := s.Load(ctx, s.DB, a)
	if err != nil {
		return nil, err
	}
	pairs, err := readPairs(data, filename)
	if err != nil {
		return nil, err
	}
	if len(pairs) == 0 {
		return nil, models.Invalid("file", "no questions with answers were found: write each question on its own line (numbered, ending in \"?\", or after \"Question:\") with its answer after it, or use a sheet with Question and Answer columns")
	}
	return &IntakeProposal{Proposal: answermatch.Propose(st.Content, pairs), Origin: OriginDocument, Source: documentSource}, nil
}

const documentSource = "From the vendor's document"

func readPairs(data []byte, filename string) ([]answermatch.Pair, error) {
	ext := strings.ToLower(filepath.Ext(filename))
	mt := mimetype.Detect(data)
	if mt.Is("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") || ext == ".csv" || ext == ".xlsx" && mt.Is("application/zip") {
		sheets, err := sheet.Read(data)
		if err != nil {
			return nil, models.Invalid("file", err.Error())
		}
		return answermatch.FromSheets(sheets), nil
	}
	doc, err := doctext.Extract(data, filename)
	switch {
	case errors.Is(err, doctext.ErrUnsupported):
		return nil, models.Invalid("file", "is not a file Rampart reads; upload XLSX, CSV, Word (.docx), PDF, Markdown or text")
	case err != nil:
		return nil, models.Invalid("file", err.Error())
	}
	return answermatch.FromText(doc.Text), nil
}

// ReuseProposal offers the answers of an earlier submitted assessment of
// the same vendor, matched to this assessment's questions as a vendor's
// own file is: by question key, then by the questions' words. It serves
// an earlier assessment on another questionnaire (one on the same
// questionnaire is carried over when the reassessment is created).
func (s *Service) ReuseProposal(ctx context.Context, id, fromID string) (*IntakeProposal, error) {
	a, err := models.GetAssessment(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if err := answersOpen(a, "from_assessment_id"); err != nil {
		return nil, err
	}
	from, err := s.earlier(ctx, a, fromID)
	if err != nil {
		return nil, err
	}
	st, err := s.Load(ctx, s.DB, a)
	if err != nil {
		return nil, err
	}
	fst, err := s.Load(ctx, s.DB, from)
	if err != nil {
		return nil, err
	}
	var pairs []answermatch.Pair
	for _, q := range fst.Content.Questions() {
		ans := fst.Answers[q.Key]
		if ans == nil || ans.Value == "null" && ans.Comment == "" {
			continue
		}
		pairs = append(pairs, answermatch.Pair{ID: q.Key, Question: questionnaire.PlainText(q.Text),
			Answer: questionnaire.AnswerText(q, json.RawMessage(ans.Value)), Comment: ans.Comment, Ref: q.Key})
	}
	if len(pairs) == 0 {
		return nil, models.Invalid("from_assessment_id", "has no answers to reuse")
	}
	return &IntakeProposal{Proposal: answermatch.Propose(st.Content, pairs), Origin: OriginReuse, Source: reuseSource(from), FromAssessmentID: from.ID}, nil
}

// earlier finds an assessment of a's vendor whose answers were submitted.
func (s *Service) earlier(ctx context.Context, a *models.Assessment, fromID string) (*models.Assessment, error) {
	from, err := models.GetAssessment(ctx, s.DB, fromID)
	switch {
	case errors.Is(err, models.ErrNotFound) || err == nil && (from.VendorID != a.VendorID || from.ID == a.ID):
		return nil, models.Invalid("from_assessment_id", "is not an earlier assessment of this vendor")
	case err != nil:
		return nil, err
	case from.SubmittedAt == nil || !slices.Contains([]string{"submitted", "in_review", "completed"}, from.Status):
		return nil, models.Invalid("from_assessment_id", "has no submitted answers to reuse")
	}
	return from, nil
}

func reuseSource(from *models.Assessment) string {
	when := ""
	if from.SubmittedAt != nil {
		when = ", submitted " + from.SubmittedAt.UTC().Format(time.DateOnly)
	}
	return "Carried over from " + from.Title + when
}

// ConfirmedAnswer is one answer the reviewer confirmed. Value is the
// answer as the question stores it; when it is absent, AnswerText (the
// vendor's words) is read for the question's type, as a proposal does,
// which serves a pair the reviewer moved to another question.
type ConfirmedAnswer struct {
	QuestionKey string
	Value       json.RawMessage
	AnswerText  *string
	Comment     string
	SourceQuote string
}

// IntakeConfirmation is what confirming a proposal saves.
type IntakeConfirmation struct {
	Origin           string
	FromAssessmentID string
	Version          int64
	Matches          []ConfirmedAnswer
}

// IntakeNote tells what became of one confirmed answer whose text could
// not be read as an answer to its question (kept as a comment).
type IntakeNote struct {
	QuestionKey string `json:"question_key"`
	Problem     string `json:"problem"`
}

// IntakeSaved reports a confirmation.
type IntakeSaved struct {
	Saved int          `json:"saved"`
	Notes []IntakeNote `json:"notes"`
}

const maxQuote = 1000

// ConfirmIntake saves the confirmed answers as the vendor's, each with its
// source, all or none, audited. Every answer is checked first and every
// problem reported by its place in the request.
func (s *Service) ConfirmIntake(ctx context.Context, p *auth.Principal, id string, in IntakeConfirmation, o auth.Origin) (*IntakeSaved, *models.Assessment, error) {
	a, err := models.GetAssessment(ctx, s.DB, id)
	if err != nil {
		return nil, nil, err
	}
	if in.Version != 0 && in.Version != a.Version {
		return nil, a, models.ErrConflict
	}
	if err := answersOpen(a, "matches"); err != nil {
		return nil, nil, err
	}
	st, err := s.Load(ctx, s.DB, a)
	if err != nil {
		return nil, nil, err
	}
	prefix := documentSource
	switch in.Origin {
	case "", OriginDocument:
	case OriginReuse:
		from, err := s.earlier(ctx, a, in.FromAssessmentID)
		if err != nil {
			return nil, nil, err
		}
		prefix = reuseSource(from)
	default:
		return nil, nil, models.Invalid("origin", "must be document or reuse")
	}
	rows, res, err := checkConfirmed(st.Content, in.Matches, prefix, id)
	if err != nil {
		return nil, nil, err
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := models.LockAssessment(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := answersOpen(cur, "matches"); err != nil {
			return err
		}
		after := map[string]any{}
		for _, r := range rows {
			if err := models.SaveAnswer(ctx, tx, r); err != nil {
				return err
			}
			after[r.QuestionKey] = map[string]any{"value": json.RawMessage(r.Value), "comment": r.Comment, "source": r.Source}
		}
		action := "assessment.intake"
		if in.Origin == OriginReuse {
			action = "assessment.reuse_answers"
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: action, ObjectType: "assessment", ObjectID: id,
			Detail: fmt.Sprintf("%d answers: %s", len(rows), prefix), AfterData: models.AuditJSON(after)})
	})
	if err != nil {
		return nil, nil, err
	}
	return res, nil, nil
}

// checkConfirmed validates the confirmed answers and turns them into rows.
func checkConfirmed(c *questionnaire.Content, matches []ConfirmedAnswer, prefix, assessmentID string) ([]*models.AssessmentAnswer, *IntakeSaved, error) {
	var errs []models.FieldError
	bad := func(i int, field, msg string) {
		errs = append(errs, models.FieldError{Field: fmt.Sprintf("matches[%d].%s", i, field), Message: msg})
	}
	if len(matches) == 0 {
		return nil, nil, models.Invalid("matches", "confirm at least one answer")
	}
	if len(matches) > answermatch.MaxPairs {
		return nil, nil, models.Invalid("matches", fmt.Sprintf("at most %d answers at a time", answermatch.MaxPairs))
	}
	res := &IntakeSaved{Notes: []IntakeNote{}}
	var rows []*models.AssessmentAnswer
	seen := map[string]bool{}
	for i, m := range matches {
		q := c.Find(m.QuestionKey)
		switch {
		case q == nil:
			bad(i, "question_key", "is not a question of this questionnaire")
			continue
		case seen[m.QuestionKey]:
			bad(i, "question_key", "is answered twice; keep one answer per question")
			continue
		}
		seen[m.QuestionKey] = true
		for field, v := range map[string]string{"comment": m.Comment, "source_quote": m.SourceQuote, "answer_text": deref(m.AnswerText)} {
			if hasControl(v) {
				bad(i, field, "must not contain control or text-direction characters")
			}
		}
		if len([]rune(m.SourceQuote)) > maxQuote {
			bad(i, "source_quote", fmt.Sprintf("must be at most %d characters long", maxQuote))
		}
		value, comment := json.RawMessage("null"), strings.TrimSpace(m.Comment)
		switch {
		case len(m.Value) > 0 && string(m.Value) != "null":
			norm, err := questionnaire.Check(q, m.Value)
			if err != nil {
				bad(i, "value", err.Error())
				continue
			}
			value = norm
		case m.AnswerText != nil:
			parsed := answermatch.ParseFree(q, *m.AnswerText, comment)
			value, comment = parsed.Value, parsed.Comment
			if parsed.Problem != "" {
				res.Notes = append(res.Notes, IntakeNote{QuestionKey: q.Key, Problem: parsed.Problem})
			}
		}
		if len([]rune(comment)) > answermatch.MaxComment {
			bad(i, "comment", fmt.Sprintf("must be at most %d characters long", answermatch.MaxComment))
		}
		if string(value) == "null" && comment == "" {
			bad(i, "value", "give an answer or a comment")
		}
		source := prefix
		if quote := strings.TrimSpace(m.SourceQuote); quote != "" {
			source += ": " + quote
		}
		rows = append(rows, &models.AssessmentAnswer{AssessmentID: assessmentID, QuestionKey: q.Key, Value: string(value), Comment: comment, Source: source})
	}
	if len(errs) > 0 {
		return nil, nil, &models.ValidationError{Errors: errs}
	}
	res.Saved = len(rows)
	return rows, res, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// hasControl finds characters that have no place in an answer and can
// hide what it says: control characters (but tab and newline) and the
// bidirectional overrides and isolates.
func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return r != '\n' && r != '\t' && r != '\r' && unicode.IsControl(r) || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
	})
}
