package assessments

import (
	"context"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/notify"
	"rampart/app/storage"
	"rampart/models"
)

// MaxMessage caps one message on an answer, in characters.
const MaxMessage = 5000

// MaxMessageFile caps a file sent with a message, as evidence on a
// question.
const MaxMessageFile = MaxEvidence

// Message is one message of an answer's thread with its files.
type Message struct {
	models.AnswerMessage
	Files []models.AnswerMessageFile
}

// Upload is a file sent with a message: its name as sent and its bytes,
// read once.
type Upload struct {
	Name string
	Body io.Reader
}

// ErrThreadClosed refuses a vendor's message once the assessment is
// complete: the conversation is over.
var ErrThreadClosed = &models.ForbiddenError{Reason: "The assessment is complete; messages can no longer be added."}

// checkMessage trims a message and refuses an empty one (unless a file
// goes with it), one too long, or one with a NUL.
func checkMessage(body string, withFile bool) (string, error) {
	body = strings.TrimSpace(body)
	switch {
	case strings.ContainsRune(body, 0):
		return "", models.Invalid("body", "must not contain NUL characters (U+0000)")
	case !utf8.ValidString(body):
		return "", models.Invalid("body", "must be valid UTF-8 text")
	case body == "" && !withFile:
		return "", models.Invalid("body", "is required: write a message or attach a file")
	case utf8.RuneCountInString(body) > MaxMessage:
		return "", models.Invalid("body", fmt.Sprintf("must be at most %d characters long", MaxMessage))
	}
	return body, nil
}

// Messages returns the messages on one question of an assessment, oldest
// first, each with its files.
func Messages(ctx context.Context, db *gorm.DB, assessmentID, key string) ([]Message, error) {
	msgs, err := models.AnswerMessages(ctx, db, assessmentID, key)
	if err != nil {
		return nil, err
	}
	return withFiles(ctx, db, assessmentID, msgs)
}

// AllMessages returns every thread of an assessment by question key.
func AllMessages(ctx context.Context, db *gorm.DB, assessmentID string) (map[string][]Message, error) {
	msgs, err := models.AssessmentMessages(ctx, db, assessmentID)
	if err != nil {
		return nil, err
	}
	all, err := withFiles(ctx, db, assessmentID, msgs)
	if err != nil {
		return nil, err
	}
	out := map[string][]Message{}
	for _, m := range all {
		out[m.QuestionKey] = append(out[m.QuestionKey], m)
	}
	return out, nil
}

func withFiles(ctx context.Context, db *gorm.DB, assessmentID string, msgs []models.AnswerMessage) ([]Message, error) {
	ids := make([]string, 0, len(msgs))
	for _, m := range msgs {
		ids = append(ids, m.ID)
	}
	files, err := models.AnswerMessageFiles(ctx, db, assessmentID, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Message, 0, len(msgs))
	for _, m := range msgs {
		fs := files[m.ID]
		if fs == nil {
			fs = []models.AnswerMessageFile{}
		}
		out = append(out, Message{AnswerMessage: m, Files: fs})
	}
	return out, nil
}

// Asked returns the assessment if its questionnaire asks the question
// key, else ErrNotFound.
func (s *Service) Asked(ctx context.Context, id, key string) (*models.Assessment, error) {
	a, err := models.GetAssessment(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	t, err := models.GetTemplate(ctx, s.DB, a.TemplateID)
	if err != nil {
		return nil, err
	}
	c, err := Content(t)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", t.ID, err)
	}
	if c.Find(key) == nil {
		return nil, models.ErrNotFound
	}
	return a, nil
}

// StaffMessage adds a reviewer's message (and file) to the thread on a
// question; the vendor contact hears of it by mail.
func (s *Service) StaffMessage(ctx context.Context, files storage.Store, p *auth.Principal, id, key, body string, up *Upload, o auth.Origin) (*Message, error) {
	a, err := s.Asked(ctx, id, key)
	if err != nil {
		return nil, err
	}
	if err := refuseClosed(a); err != nil {
		return nil, err
	}
	if body, err = checkMessage(body, up != nil); err != nil {
		return nil, err
	}
	m := &Message{AnswerMessage: models.AnswerMessage{AssessmentID: a.ID, QuestionKey: key, AuthorKind: models.AuthorStaff,
		AuthorID: &p.User.ID, AuthorName: p.User.Name, AuthorEmail: p.User.Email, Body: body}}
	err = s.postMessage(ctx, files, m, up, "staff", func(tx *gorm.DB, cur *models.Assessment) error {
		if err := refuseClosed(cur); err != nil {
			return err
		}
		if err := auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "assessment.message", ObjectType: "assessment", ObjectID: a.ID,
			Detail: key + ": " + excerpt(body, m.Files), AfterData: messageAudit(m)}); err != nil {
			return err
		}
		return s.noticeStaffMessage(ctx, tx, p, cur, m)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// PortalMessage adds the vendor's message (and file) to the thread on a
// question of the link's own assessment; another assessment's question is
// not found. The assessment's reviewer and creator hear of it.
func (s *Service) PortalMessage(ctx context.Context, files storage.Store, token, key, body string, up *Upload, o auth.Origin) (*Message, error) {
	st, inv, err := s.Portal(ctx, token)
	if err != nil {
		return nil, err
	}
	if !st.InScope(inv, key) {
		return nil, models.ErrNotFound
	}
	if st.Assessment.Status == "completed" {
		return nil, ErrThreadClosed
	}
	if body, err = checkMessage(body, up != nil); err != nil {
		return nil, err
	}
	quota := s.quota()
	if up != nil {
		if n, total, err := s.portalUsage(ctx, s.DB, st.Assessment.ID); err != nil {
			return nil, err
		} else if err := quota.check(n, total, 0); err != nil {
			return nil, err
		}
	}
	name := contactName(st.Assessment, inv)
	m := &Message{AnswerMessage: models.AnswerMessage{AssessmentID: st.Assessment.ID, QuestionKey: key, AuthorKind: models.AuthorVendor,
		InvitationID: &inv.ID, AuthorName: name, AuthorEmail: inv.ContactEmail, Body: body}}
	err = s.postMessage(ctx, files, m, up, "portal", func(tx *gorm.DB, cur *models.Assessment) error {
		if cur.Status == "completed" || cur.Status == "cancelled" || cur.Status == "expired" {
			return ErrThreadClosed
		}
		if len(m.Files) > 0 {
			n, total, err := s.portalUsage(ctx, tx, cur.ID)
			if err != nil {
				return err
			}
			// The usage already counts this file: check it as added to the rest.
			if err := quota.check(n-1, total-m.Files[0].Size, m.Files[0].Size); err != nil {
				return err
			}
		}
		e := portalEvent(inv, "assessment.vendor_message", key+": "+excerpt(body, m.Files))
		e.AfterData = messageAudit(m)
		e.RequestID, e.ClientIP = o.RequestID, o.ClientIP
		if err := models.AppendAudit(ctx, tx, &e); err != nil {
			return err
		}
		return s.noticeVendorMessage(ctx, tx, cur, m)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// portalUsage is what vendors uploaded to an assessment: evidence on
// questions and files sent with messages, together.
func (s *Service) portalUsage(ctx context.Context, db *gorm.DB, id string) (n, total int64, err error) {
	n1, t1, err := models.PortalUploads(ctx, db, id)
	if err != nil {
		return 0, 0, err
	}
	n2, t2, err := models.PortalMessageUploads(ctx, db, id)
	return n1 + n2, t1 + t2, err
}

// postMessage stores the file first (its type sniffed, its size capped),
// then the message, its file row and what then does (audit, notices) in
// one transaction on the locked assessment; a failure leaves neither rows
// nor bytes behind.
func (s *Service) postMessage(ctx context.Context, files storage.Store, m *Message, up *Upload, via string, then func(tx *gorm.DB, cur *models.Assessment) error) error {
	var stored *storage.Stored
	if up != nil {
		got, err := storage.PutEvidence(ctx, files, up.Name, up.Body, MaxMessageFile)
		if err != nil {
			return err
		}
		stored = &got
	}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := models.LockAssessment(ctx, tx, m.AssessmentID)
		if err != nil {
			return err
		}
		if err := tx.Create(&m.AnswerMessage).Error; err != nil {
			return err
		}
		m.Files = []models.AnswerMessageFile{}
		if stored != nil {
			f := models.AnswerMessageFile{MessageID: m.ID, AssessmentID: m.AssessmentID, UploadedVia: via, Filename: storage.CleanName(up.Name),
				ContentType: stored.Type, Size: stored.Size, Sha256: stored.Sha256, StorageKey: stored.Key}
			if err := tx.Create(&f).Error; err != nil {
				return err
			}
			m.Files = append(m.Files, f)
		}
		return then(tx, cur)
	})
	if err != nil && stored != nil {
		_ = files.Delete(context.WithoutCancel(ctx), stored.Key)
	}
	return err
}

func messageAudit(m *Message) *string {
	fs := make([]map[string]any, 0, len(m.Files))
	for _, f := range m.Files {
		fs = append(fs, map[string]any{"file_id": f.ID, "filename": f.Filename, "content_type": f.ContentType, "size": f.Size, "sha256": f.Sha256})
	}
	return models.AuditJSON(map[string]any{"message_id": m.ID, "question_key": m.QuestionKey, "body": m.Body, "files": fs})
}

// excerpt is a message as one short line for the audit trail's detail.
func excerpt(body string, files []models.AnswerMessageFile) string {
	line := strings.Join(strings.Fields(body), " ")
	if r := []rune(line); len(r) > 80 {
		line = string(r[:79]) + "…"
	}
	if line == "" && len(files) > 0 {
		line = files[0].Filename
	}
	return line
}

// noticeVendorMessage tells the assessment's reviewer and whoever created
// it that the vendor wrote on an answer.
func (s *Service) noticeVendorMessage(ctx context.Context, tx *gorm.DB, a *models.Assessment, m *Message) error {
	if s.Notify == nil {
		return nil
	}
	var to []notify.Recipient
	for _, id := range []*string{a.ReviewerID, a.CreatedBy} {
		if id != nil {
			to = append(to, notify.Recipient{UserID: *id})
		}
	}
	if len(to) == 0 {
		return nil
	}
	v, err := models.GetVendor(ctx, tx, a.VendorID)
	if err != nil {
		return err
	}
	body := fmt.Sprintf("%s (%s) wrote on question %s of %q:\n\n%s", m.AuthorName, v.Name, m.QuestionKey, a.Title, m.Body)
	for _, f := range m.Files {
		body += "\n\nAttached: " + f.Filename
	}
	return s.Notify.Emit(ctx, tx, notify.Event{Kind: "assessment.message", Key: "assessment.message:" + m.ID,
		ObjectType: "assessment", ObjectID: a.ID, Link: "/assessments/" + a.ID,
		Title: fmt.Sprintf("%s wrote on %s of %q", v.Name, m.QuestionKey, a.Title), Body: body, To: to})
}

// noticeStaffMessage mails the vendor contact a reviewer's message, in
// the invitation's thread. Like the reminders it carries no link.
func (s *Service) noticeStaffMessage(ctx context.Context, tx *gorm.DB, p *auth.Principal, a *models.Assessment, m *Message) error {
	if s.Notify == nil || a.Status == "draft" || a.Status == "cancelled" || a.Status == "expired" {
		return nil
	}
	to, thread, err := s.vendorRecipient(ctx, tx, a)
	if err != nil || to == "" {
		return err
	}
	v, err := models.GetVendor(ctx, tx, a.VendorID)
	if err != nil {
		return err
	}
	org := s.Notify.Org(ctx, tx)
	body := fmt.Sprintf("%s at %s wrote about question %s of %q:\n\n%s", p.User.Name, org, m.QuestionKey, a.Title, m.Body)
	if len(m.Files) > 0 {
		body += fmt.Sprintf("\n\n%d file(s) attached in the questionnaire.", len(m.Files))
	}
	body += "\n\nOpen the questionnaire with the link in the first message of this thread to read the conversation and reply under the question. " +
		"If the link no longer works, reply to this message to ask " + p.User.Name + " for a new one."
	return s.Notify.Emit(ctx, tx, notify.Event{Kind: "vendor.message", Key: "vendor.message:" + m.ID,
		ObjectType: "assessment", ObjectID: a.ID,
		Title: fmt.Sprintf("%s security questionnaire for %s: a message about %s", org, v.Name, m.QuestionKey), Body: body,
		To: []notify.Recipient{{Email: to, Name: a.ContactName}}, ReplyTo: &notify.Recipient{Email: p.User.Email, Name: p.User.Name},
		Thread: thread})
}
