package assessments

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/findings"
	"rampart/app/questionnaire"
	"rampart/app/scoring"
	"rampart/app/storage"
	"rampart/models"
)

// State is an assessment with everything needed to show or score it.
type State struct {
	Assessment *models.Assessment
	Template   *models.QuestionnaireTemplate
	Content    *questionnaire.Content
	Answers    map[string]*models.AssessmentAnswer
	Files      map[string]int
	// Evidence holds the library documents that answers are linked to,
	// by document id.
	Evidence map[string]models.EvidenceItem
	Result   questionnaire.Result
	// Invitation is the portal link the state was opened with, if any.
	Invitation *models.PortalInvitation
}

// FollowUps lists the questions sent back to the vendor.
func (st *State) FollowUps() []string {
	var out []string
	for k, a := range st.Answers {
		if a.Reopened {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// Load reads an assessment's template, answers and files and scores it.
func (s *Service) Load(ctx context.Context, db *gorm.DB, a *models.Assessment) (*State, error) {
	t, err := models.GetTemplate(ctx, db, a.TemplateID)
	if err != nil {
		return nil, err
	}
	c, err := Content(t)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", t.ID, err)
	}
	answers, err := models.Answers(ctx, db, a.ID)
	if err != nil {
		return nil, err
	}
	files, err := models.FileCounts(ctx, db, a.ID)
	if err != nil {
		return nil, err
	}
	var linked []string
	for _, ans := range answers {
		if ans.EvidenceDocumentID != nil {
			linked = append(linked, *ans.EvidenceDocumentID)
		}
	}
	docs, err := models.EvidenceByIDs(ctx, db, linked)
	if err != nil {
		return nil, err
	}
	st := &State{Assessment: a, Template: t, Content: c, Answers: answers, Files: files, Evidence: make(map[string]models.EvidenceItem, len(docs))}
	for _, d := range docs {
		st.Evidence[d.ID] = d
	}
	st.score(s.now())
	return st, nil
}

// fileVerdict is the verdict that scores a file question's answer: the
// linked document's review when there is one (an expired document counts
// as not accepted), else the reviewer's mark on the answer.
func (st *State) fileVerdict(row *models.AssessmentAnswer, today string) string {
	if row.EvidenceDocumentID != nil {
		d, ok := st.Evidence[*row.EvidenceDocumentID]
		if ok && d.Current.Status == questionnaire.FileAccepted && (d.Current.ExpiresOn == "" || d.Current.ExpiresOn >= today) {
			return questionnaire.FileAccepted
		}
		return ""
	}
	if row.ReviewStatus == questionnaire.ReviewAccepted {
		return questionnaire.FileAccepted
	}
	return ""
}

// given returns the answers (with file counts and verdicts) and review
// marks by question.
func (st *State) given(today time.Time) (map[string]questionnaire.Answer, map[string]string) {
	given := map[string]questionnaire.Answer{}
	reviews := map[string]string{}
	day := today.Format(time.DateOnly)
	for _, q := range st.Content.Questions() {
		a := questionnaire.Answer{Files: st.Files[q.Key]}
		if row := st.Answers[q.Key]; row != nil {
			a.Value, a.Stored = json.RawMessage(row.Value), true
			reviews[q.Key] = row.ReviewStatus
			if q.Type == questionnaire.File {
				a.Linked, a.Verdict = row.EvidenceDocumentID != nil, st.fileVerdict(row, day)
			}
		}
		given[q.Key] = a
	}
	return given, reviews
}

func (st *State) score(today time.Time) {
	given, reviews := st.given(today)
	st.Result = questionnaire.Effectiveness(st.Content, given, reviews, today)
}

// stored saves the current score on the assessment row.
func (st *State) stored() map[string]any {
	b, _ := json.Marshal(st.Result)
	return map[string]any{"effectiveness": st.Result.Overall, "result": string(b)}
}

// Portal opens the assessment behind a portal token, or ErrPortalClosed.
func (s *Service) Portal(ctx context.Context, token string) (*State, *models.PortalInvitation, error) {
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > 100 {
		return nil, nil, ErrPortalClosed
	}
	inv, err := models.InvitationByHash(ctx, s.DB, auth.LinkTokenHash(token))
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil, ErrPortalClosed
	} else if err != nil {
		return nil, nil, err
	}
	now := s.now()
	if inv.RevokedAt != nil || !now.Before(inv.ExpiresAt) {
		return nil, nil, ErrPortalClosed
	}
	a, err := models.GetAssessment(ctx, s.DB, inv.AssessmentID)
	if err != nil {
		return nil, nil, err
	}
	if a.Status == "draft" || a.Status == "cancelled" || a.Status == "expired" {
		return nil, nil, ErrPortalClosed
	}
	if inv.LastUsedAt == nil || now.Sub(*inv.LastUsedAt) > time.Minute {
		_ = models.TouchInvitation(ctx, s.DB, inv.ID, now)
	}
	st, err := s.Load(ctx, s.DB, a)
	if st != nil {
		st.Invitation = inv
	}
	return st, inv, err
}

// Editable reports whether the vendor may change the answer to key now:
// before submission, or, when the reviewer sent questions back, only those.
func (st *State) Editable(key string) bool {
	switch st.Assessment.Status {
	case "sent":
		return true
	case "in_progress":
		follow := st.FollowUps()
		return len(follow) == 0 || slices.Contains(follow, key)
	}
	return false
}

func portalEvent(inv *models.PortalInvitation, action, detail string) models.AuditEvent {
	return models.AuditEvent{ActorType: models.ActorPortal, ActorLabel: inv.ContactEmail, Action: action,
		ObjectType: "assessment", ObjectID: inv.AssessmentID, Detail: detail}
}

// PortalAnswer saves one answer (autosave). Whether the question may still
// change is decided again inside the transaction, on the locked
// assessment, so a save racing the submission is refused rather than
// written after it or moving the status back. A nil comment keeps the
// one saved, so saving the value alone never erases the vendor's words.
func (s *Service) PortalAnswer(ctx context.Context, token, key string, value json.RawMessage, comment *string, o auth.Origin) (*State, error) {
	st, inv, err := s.Portal(ctx, token)
	if err != nil {
		return nil, err
	}
	q := st.Content.Find(key)
	if q == nil || !st.InScope(inv, key) {
		return nil, models.ErrNotFound
	}
	if !st.Editable(key) {
		return nil, ErrLocked
	}
	norm := json.RawMessage("null")
	if len(value) > 0 && string(value) != "null" {
		if norm, err = questionnaire.Check(q, value); err != nil {
			return nil, models.Invalid("value", err.Error())
		}
	}
	if comment != nil && len([]rune(*comment)) > 5000 {
		return nil, models.Invalid("comment", "must be at most 5000 characters long")
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := s.lockEditable(ctx, tx, st.Assessment.ID, key)
		if err != nil {
			return err
		}
		before, text := "null", ""
		if prev := cur.Answers[key]; prev != nil {
			before, text = prev.Value, prev.Comment
		}
		if comment != nil {
			text = *comment
		}
		now := s.now()
		if err := models.SaveAnswer(ctx, tx, &models.AssessmentAnswer{AssessmentID: cur.Assessment.ID, QuestionKey: key, Value: string(norm), Comment: text,
			AnsweredInvitationID: &inv.ID, AnsweredByName: contactName(cur.Assessment, inv), AnsweredByEmail: inv.ContactEmail, AnsweredAt: &now}); err != nil {
			return err
		}
		if err := startAnswering(ctx, tx, cur.Assessment); err != nil {
			return err
		}
		e := portalEvent(inv, "assessment.answer", key)
		e.BeforeData, e.AfterData = models.AuditJSON(json.RawMessage(before)), models.AuditJSON(norm)
		e.RequestID, e.ClientIP = o.RequestID, o.ClientIP
		return models.AppendAudit(ctx, tx, &e)
	})
	if err != nil {
		return nil, err
	}
	st, _, err = s.Portal(ctx, token)
	return st, err
}

// lockEditable locks the assessment for the rest of transaction tx and
// returns it with its answers when the vendor may still change key;
// otherwise ErrChangedMeanwhile (the caller checked before and it was).
func (s *Service) lockEditable(ctx context.Context, tx *gorm.DB, id, key string) (*State, error) {
	a, err := models.LockAssessment(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	answers, err := models.Answers(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	cur := &State{Assessment: a, Answers: answers}
	if !cur.Editable(key) {
		return nil, ErrChangedMeanwhile
	}
	return cur, nil
}

// startAnswering moves a sent assessment to in progress. The caller holds
// the assessment locked, and the version check keeps the move from ever
// applying to a newer state.
func startAnswering(ctx context.Context, tx *gorm.DB, a *models.Assessment) error {
	if a.Status != "sent" {
		return nil
	}
	_, err := models.UpdateAssessment(ctx, tx, a.ID, a.Version, map[string]any{"status": "in_progress"})
	if errors.Is(err, models.ErrConflict) {
		return ErrChangedMeanwhile
	}
	return err
}

// missingForSubmit lists the shown required questions without an answer
// and the prefilled answers the vendor has not confirmed.
func (st *State) missingForSubmit() []models.FieldError {
	var missing []models.FieldError
	given, _ := st.given(time.Time{}) // only whether each is answered matters here, not verdicts
	for _, q := range st.Content.Questions() {
		if !questionnaire.Visible(q, given) {
			continue
		}
		switch a := st.Answers[q.Key]; {
		case q.Required && !questionnaire.Answered(q, given[q.Key]):
			missing = append(missing, models.FieldError{Field: q.Key, Message: "is required"})
		case a != nil && !a.Confirmed:
			missing = append(missing, models.FieldError{Field: q.Key, Message: "was prefilled from your last answers: confirm or change it"})
		}
	}
	return missing
}

// PortalSubmit locks the answers once every shown required question is
// answered. The check and the status change run on the locked assessment,
// so the answers it records are exactly those it checked.
func (s *Service) PortalSubmit(ctx context.Context, token string, o auth.Origin) (*State, error) {
	st, inv, err := s.Portal(ctx, token)
	if err != nil {
		return nil, err
	}
	if inv.DelegatedBy != nil {
		return nil, ErrNotPrimary
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := models.LockAssessment(ctx, tx, st.Assessment.ID)
		if err != nil {
			return err
		}
		if a.Status != "sent" && a.Status != "in_progress" {
			return ErrLocked
		}
		cur, err := s.Load(ctx, tx, a)
		if err != nil {
			return err
		}
		if missing := cur.missingForSubmit(); len(missing) > 0 {
			return &models.ValidationError{Errors: missing}
		}
		// A follow-up mark leaves its question out of the score until it
		// is answered again; resubmitting clears the marks, so the score
		// stored (the list's, and the one completing feeds into the
		// vendor's risk) is taken after they are cleared.
		if len(cur.FollowUps()) > 0 {
			if err := models.CloseFollowUps(ctx, tx, a.ID); err != nil {
				return err
			}
			if cur, err = s.Load(ctx, tx, a); err != nil {
				return err
			}
		}
		set := cur.stored()
		now := s.now()
		set["status"], set["submitted_at"] = "submitted", now
		if _, err := models.UpdateAssessment(ctx, tx, a.ID, a.Version, set); err != nil {
			return err
		}
		if err := s.noticeSubmitted(ctx, tx, a, now); err != nil {
			return err
		}
		e := portalEvent(inv, "assessment.submit", fmt.Sprintf("%d of %d questions answered", cur.Result.Answered, cur.Result.Visible))
		e.RequestID, e.ClientIP = o.RequestID, o.ClientIP
		return models.AppendAudit(ctx, tx, &e)
	})
	if err != nil {
		return nil, err
	}
	a, err := models.GetAssessment(ctx, s.DB, st.Assessment.ID)
	if err != nil {
		return nil, err
	}
	out, err := s.Load(ctx, s.DB, a)
	if out != nil {
		out.Invitation = inv
	}
	return out, err
}

// current loads the assessment as it now stands, after a change committed.
func (s *Service) current(ctx context.Context, id string) (*State, error) {
	a, err := models.GetAssessment(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	return s.Load(ctx, s.DB, a)
}

// underReview loads the assessment for a reviewer's change to its answers:
// refused before the vendor has submitted and once it is completed.
func (s *Service) underReview(ctx context.Context, db *gorm.DB, id string) (*State, error) {
	a, err := models.GetAssessment(ctx, db, id)
	if err != nil {
		return nil, err
	}
	if err := refuseClosed(a); err != nil {
		return nil, err
	}
	if a.Status != "submitted" && a.Status != "in_review" {
		return nil, models.Invalid("status", "answers are reviewed once the vendor has submitted")
	}
	return s.Load(ctx, db, a)
}

// Review marks one answer: accepted, follow_up (sent back to the vendor
// with the comment), finding, or "" to clear the mark.
//
// findingTitle, for a finding, is the title the reviewer gave it; empty
// takes the proposed one (findings.AnswerTitle).
func (s *Service) Review(ctx context.Context, p *auth.Principal, id, key, mark, comment, findingTitle string, o auth.Origin) (*State, error) {
	if !slices.Contains([]string{questionnaire.ReviewPending, questionnaire.ReviewAccepted, questionnaire.ReviewFollowUp, questionnaire.ReviewFinding}, mark) {
		return nil, models.Invalid("status", "must be one of: accepted, follow_up, finding, or empty")
	}
	if mark == questionnaire.ReviewFollowUp && strings.TrimSpace(comment) == "" {
		return nil, models.Invalid("comment", "tell the vendor what to add or change")
	}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st, err := s.underReview(ctx, tx, id)
		if err != nil {
			return err
		}
		a := st.Assessment
		if st.Content.Find(key) == nil {
			return models.ErrNotFound
		}
		now := s.now()
		if err := models.ReviewAnswer(ctx, tx, id, key, mark, strings.TrimSpace(comment), p.User.ID, now); err != nil {
			return err
		}
		if mark == questionnaire.ReviewFinding {
			q := st.Content.Find(key)
			fs := &findings.Service{DB: tx, Now: s.Now, Notify: s.Notify}
			answer := ""
			if ans := st.Answers[key]; ans != nil {
				answer = questionnaire.AnswerText(q, json.RawMessage(ans.Value))
			}
			if err := fs.FromAnswer(ctx, tx, p, a, key, questionnaire.PlainText(q.Text), answer, findingTitle, strings.TrimSpace(comment), o); err != nil {
				return err
			}
		}
		return s.reviewed(ctx, tx, p, o, a, "assessment.review", key+": "+orDash(mark))
	})
	if err != nil {
		return nil, err
	}
	return s.current(ctx, id)
}

// reviewed stores the score after review marks changed, moves the
// assessment into review and records action.
func (s *Service) reviewed(ctx context.Context, tx *gorm.DB, p *auth.Principal, o auth.Origin, a *models.Assessment, action, detail string) error {
	a.Status = "in_review"
	st, err := s.Load(ctx, tx, a)
	if err != nil {
		return err
	}
	set := st.stored()
	set["status"] = "in_review"
	if _, err := models.UpdateAssessment(ctx, tx, a.ID, 0, set); err != nil {
		return err
	}
	return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: action, ObjectType: "assessment", ObjectID: a.ID, Detail: detail})
}

// MaxBulkAccept bounds one bulk accept: more keys than any real
// questionnaire has questions.
const MaxBulkAccept = 5000

// AcceptAnswers accepts, in one step, the answers named by keys that the
// vendor gave and nobody has marked yet: what a reviewer does with the
// rest once the weak and changed answers have been looked at. Answers
// already marked, hidden or not given are left as they are; the count
// accepted is returned with the assessment.
func (s *Service) AcceptAnswers(ctx context.Context, p *auth.Principal, id string, keys []string, o auth.Origin) (*State, int, error) {
	if len(keys) == 0 || len(keys) > MaxBulkAccept {
		return nil, 0, models.Invalid("keys", fmt.Sprintf("name between 1 and %d questions", MaxBulkAccept))
	}
	accepted := 0
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		st, err := s.underReview(ctx, tx, id)
		if err != nil {
			return err
		}
		a := st.Assessment
		var bad []models.FieldError
		for i, key := range keys {
			if st.Content.Find(key) == nil {
				bad = append(bad, models.FieldError{Field: fmt.Sprintf("keys[%d]", i), Message: "is not a question of this questionnaire"})
			}
		}
		if len(bad) > 0 {
			return &models.ValidationError{Errors: bad}
		}
		now := s.now()
		given, marks := st.given(now)
		for _, key := range slices.Compact(slices.Sorted(slices.Values(keys))) {
			if marks[key] != questionnaire.ReviewPending || !st.Result.Questions[key].Visible || !questionnaire.Answered(st.Content.Find(key), given[key]) {
				continue
			}
			if err := models.ReviewAnswer(ctx, tx, id, key, questionnaire.ReviewAccepted, "", p.User.ID, now); err != nil {
				return err
			}
			accepted++
		}
		if accepted == 0 {
			return models.Invalid("keys", "none of these answers is waiting for a mark: each is already marked, hidden or not answered")
		}
		return s.reviewed(ctx, tx, p, o, a, "assessment.review_bulk", fmt.Sprintf("accepted %d answers", accepted))
	})
	if err != nil {
		return nil, 0, err
	}
	st, err := s.current(ctx, id)
	return st, accepted, err
}

func orDash(s string) string {
	if s == "" {
		return "cleared"
	}
	return s
}

// moveEvents are the audit actions of Move's actions.
var moveEvents = map[string]string{
	"follow_up": "assessment.follow_up",
	"complete":  "assessment.complete",
	"cancel":    "assessment.cancel",
}

// Move changes an assessment's status by a reviewer's action:
// "follow_up" reopens the questions marked for follow-up in the portal,
// "complete" records the final score, "cancel" closes it and its links.
func (s *Service) Move(ctx context.Context, p *auth.Principal, id string, version int64, action string, o auth.Origin) (*State, error) {
	var out *models.Assessment
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := models.GetAssessment(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := refuseClosed(a); err != nil {
			return err
		}
		if a.Version != version {
			out = a
			return models.ErrConflict
		}
		st, err := s.Load(ctx, tx, a)
		if err != nil {
			return err
		}
		now := s.now()
		set := st.stored()
		switch action {
		case "follow_up":
			if a.Status != "in_review" || len(st.FollowUps()) == 0 {
				return models.Invalid("action", "mark at least one answer for follow-up during the review first")
			}
			set["status"] = "in_progress"
		case "complete":
			if a.Status != "submitted" && a.Status != "in_review" {
				return models.Invalid("action", "only a submitted assessment can be completed")
			}
			if len(st.FollowUps()) > 0 {
				return models.Invalid("action", "answers are still marked for follow-up; send them to the vendor or change the marks")
			}
			set["status"], set["completed_at"] = "completed", now
		case "cancel":
			if a.Status == "completed" || a.Status == "cancelled" {
				return models.Invalid("action", "the assessment is already "+a.Status)
			}
			live, err := liveInvitations(ctx, tx, id, now)
			if err != nil {
				return err
			}
			if err := models.RevokeInvitations(ctx, tx, id, now); err != nil {
				return err
			}
			if err := s.noticeRevoked(ctx, tx, p, a, live, "The questionnaire was cancelled; nothing more is needed from you."); err != nil {
				return err
			}
			set["status"] = "cancelled"
		default:
			return models.Invalid("action", "must be one of: follow_up, complete, cancel")
		}
		if out, err = models.UpdateAssessment(ctx, tx, id, version, set); err != nil {
			return err
		}
		if action == "follow_up" {
			if err := s.noticeFollowUp(ctx, tx, p, st); err != nil {
				return err
			}
		}
		if action == "complete" {
			if _, err := scoring.Recompute(ctx, tx, a.VendorID, scoring.CauseAssessmentCompleted); err != nil {
				return err
			}
		}
		detail := ""
		if st.Result.Overall != nil {
			detail = fmt.Sprintf("control effectiveness %.1f", *st.Result.Overall)
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: moveEvents[action], ObjectType: "assessment", ObjectID: id, Detail: detail})
	})
	if err != nil {
		if errors.Is(err, models.ErrConflict) && out != nil {
			st, lerr := s.Load(ctx, s.DB, out)
			if lerr == nil {
				return st, err
			}
		}
		return nil, err
	}
	return s.Load(ctx, s.DB, out)
}

// MaxEvidence caps one evidence file.
const MaxEvidence = 25 << 20

// PortalUpload attaches an evidence file to a file question through the
// portal. The type is detected from the content; a refused or interrupted
// upload leaves neither file nor record. The quota is checked on the
// locked assessment in the transaction that adds the file, so concurrent
// uploads cannot together pass it.
func (s *Service) PortalUpload(ctx context.Context, files storage.Store, token, key, name string, body io.Reader, o auth.Origin) (*models.AssessmentFile, error) {
	st, inv, err := s.Portal(ctx, token)
	if err != nil {
		return nil, err
	}
	q := st.Content.Find(key)
	if q != nil && !st.InScope(inv, key) {
		return nil, models.ErrNotFound
	}
	// Any question the reviewer sent back takes a file: the vendor may
	// answer a follow-up with evidence even where a choice was asked.
	if q == nil || (q.Type != questionnaire.File && !slices.Contains(st.FollowUps(), key)) {
		return nil, models.Invalid("question_key", "is not a file question of this questionnaire, nor one sent back for follow-up")
	}
	if !st.Editable(key) {
		return nil, ErrLocked
	}
	quota := s.quota()
	// Refuse early when the quota is already used up, before reading a
	// byte; the transaction below is what enforces it.
	if n, total, err := s.portalUsage(ctx, s.DB, st.Assessment.ID); err != nil {
		return nil, err
	} else if err := quota.check(n, total, 0); err != nil {
		return nil, err
	}
	refuse := storage.Refusal{Name: name, Accepted: storage.EvidenceKinds}
	typ, rest, err := storage.Sniff(body)
	if err != nil {
		return nil, err
	}
	if typ == "" {
		return nil, models.Invalid("file", refuse.Empty())
	}
	if _, ok := storage.Evidence[typ]; !ok {
		return nil, models.Invalid("file", refuse.WrongType(typ))
	}
	stored, size, sum, err := files.Put(ctx, rest, MaxEvidence)
	if errors.Is(err, storage.ErrTooLarge) {
		return nil, models.Invalid("file", refuse.TooLarge("25 MB"))
	} else if err != nil {
		return nil, err
	}
	f := &models.AssessmentFile{AssessmentID: st.Assessment.ID, QuestionKey: key, Filename: storage.CleanName(name),
		ContentType: typ, Size: size, Sha256: sum, StorageKey: stored, UploadedVia: "portal"}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := s.lockEditable(ctx, tx, st.Assessment.ID, key)
		if err != nil {
			return err
		}
		n, total, err := s.portalUsage(ctx, tx, cur.Assessment.ID)
		if err != nil {
			return err
		}
		if err := quota.check(n, total, size); err != nil {
			return err
		}
		if err := tx.Create(f).Error; err != nil {
			return err
		}
		if err := startAnswering(ctx, tx, cur.Assessment); err != nil {
			return err
		}
		e := portalEvent(inv, "assessment.evidence", key+": "+f.Filename)
		e.AfterData = models.AuditJSON(map[string]any{"filename": f.Filename, "content_type": typ, "size": size, "sha256": sum})
		e.RequestID, e.ClientIP = o.RequestID, o.ClientIP
		return models.AppendAudit(ctx, tx, &e)
	})
	if err != nil {
		_ = files.Delete(context.WithoutCancel(ctx), stored)
		return nil, err
	}
	return f, nil
}

// PortalRemoveFile takes back a file the vendor attached through the
// portal, while its answer can still change. Files the company attached
// are not the vendor's to remove (not found). The bytes go after commit;
// if that fails the orphan sweep removes them.
func (s *Service) PortalRemoveFile(ctx context.Context, files storage.Store, token, fileID string, o auth.Origin) (*State, error) {
	st, inv, err := s.Portal(ctx, token)
	if err != nil {
		return nil, err
	}
	f, err := models.AssessmentFileByID(ctx, s.DB, st.Assessment.ID, fileID)
	if err != nil {
		return nil, err
	}
	if f.UploadedVia != "portal" || !st.InScope(inv, f.QuestionKey) {
		return nil, models.ErrNotFound
	}
	if !st.Editable(f.QuestionKey) {
		return nil, ErrLocked
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := s.lockEditable(ctx, tx, st.Assessment.ID, f.QuestionKey); err != nil {
			return err
		}
		res := tx.Where("id = ? AND assessment_id = ?", f.ID, st.Assessment.ID).Delete(&models.AssessmentFile{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.ErrNotFound
		}
		e := portalEvent(inv, "assessment.evidence_remove", f.QuestionKey+": "+f.Filename)
		e.BeforeData = models.AuditJSON(map[string]any{"filename": f.Filename, "content_type": f.ContentType, "size": f.Size, "sha256": f.Sha256})
		e.RequestID, e.ClientIP = o.RequestID, o.ClientIP
		return models.AppendAudit(ctx, tx, &e)
	})
	if err != nil {
		return nil, err
	}
	_ = files.Delete(context.WithoutCancel(ctx), f.StorageKey)
	a, err := models.GetAssessment(ctx, s.DB, st.Assessment.ID)
	if err != nil {
		return nil, err
	}
	out, err := s.Load(ctx, s.DB, a)
	if out != nil {
		out.Invitation = inv
	}
	return out, err
}

// check refuses one more file of size bytes when n files of total bytes
// are already stored.
func (q Quota) check(n, total, size int64) error {
	if n >= int64(q.MaxFiles) {
		return models.Invalid("file", fmt.Sprintf("this questionnaire already has %d uploaded files, the most one questionnaire link accepts; ask your contact to raise the limit or combine files", q.MaxFiles))
	}
	if total+size > q.MaxBytes {
		return models.Invalid("file", fmt.Sprintf("would take this questionnaire's uploads past %s, the most one questionnaire link accepts (%s used); ask your contact to raise the limit or upload smaller files",
			humanize.IBytes(uint64(q.MaxBytes)), humanize.IBytes(uint64(total))))
	}
	return nil
}
