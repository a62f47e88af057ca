package assessments

import (
	"context"
	"encoding/json"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/notify"
	"rampart/app/questionnaire"
	"rampart/models"
)

// Delegation in the portal: the holder of the assessment's main link
// shares sections with colleagues. Each colleague gets a link of their own
// that sees and answers those sections only; everything else of the
// questionnaire is not found through it, as if it did not exist.
// Submitting stays with the main link, and a delegated link cannot share
// further.

// ErrNotPrimary refuses what only the main link may do.
var ErrNotPrimary = &models.ForbiddenError{Reason: "Only the contact the questionnaire was sent to can share sections or submit it; tell them when your sections are done."}

// ErrNotSharing refuses a delegation once the vendor no longer answers.
var ErrNotSharing = &models.ForbiddenError{Reason: "The questionnaire was submitted; sections can no longer be shared."}

// Scope returns the section keys a link may see, or nil for every section.
func Scope(inv *models.PortalInvitation) []string {
	if inv == nil || inv.DelegatedBy == nil {
		return nil
	}
	out := []string{}
	_ = json.Unmarshal([]byte(inv.Sections), &out)
	return out
}

// SectionOf returns the key of the section that asks question key.
func SectionOf(c *questionnaire.Content, key string) (string, bool) {
	for _, sec := range c.Sections {
		for _, q := range sec.Questions {
			if q.Key == key {
				return sec.Key, true
			}
		}
	}
	return "", false
}

// InScope reports whether the link may see the question key (a question
// the questionnaire does not ask is not).
func (st *State) InScope(inv *models.PortalInvitation, key string) bool {
	sec, ok := SectionOf(st.Content, key)
	if !ok {
		return false
	}
	scope := Scope(inv)
	return scope == nil || slices.Contains(scope, sec)
}

// ScopedProgress is the completion progress over the sections a link sees.
func (st *State) ScopedProgress(inv *models.PortalInvitation) (answered, visible, missing int) {
	scope := Scope(inv)
	if scope == nil {
		return st.Result.Answered, st.Result.Visible, st.Result.MissingRequired
	}
	given, _ := st.given(time.Time{})
	for _, sec := range st.Content.Sections {
		if !slices.Contains(scope, sec.Key) {
			continue
		}
		for i := range sec.Questions {
			q := &sec.Questions[i]
			if !questionnaire.Visible(q, given) {
				continue
			}
			visible++
			switch {
			case questionnaire.Answered(q, given[q.Key]):
				answered++
			case q.Required:
				missing++
			}
		}
	}
	return answered, visible, missing
}

// Delegate is what sharing sections takes.
type Delegate struct {
	Name, Email, Message string
	Sections             []string
}

// checkSections validates section keys against the questionnaire and
// returns them without repeats, in the questionnaire's order.
func checkSections(c *questionnaire.Content, keys []string) ([]string, []models.FieldError) {
	if len(keys) == 0 {
		return nil, []models.FieldError{{Field: "sections", Message: "choose at least one section to share"}}
	}
	var bad []models.FieldError
	for i, k := range keys {
		if !slices.ContainsFunc(c.Sections, func(s questionnaire.Section) bool { return s.Key == k }) {
			bad = append(bad, models.FieldError{Field: fmt.Sprintf("sections[%d]", i), Message: "is not a section of this questionnaire"})
		}
	}
	if len(bad) > 0 {
		return nil, bad
	}
	out := []string{}
	for _, s := range c.Sections {
		if slices.Contains(keys, s.Key) {
			out = append(out, s.Key)
		}
	}
	return out, nil
}

func checkText(field, v string, max int, required bool) *models.FieldError {
	switch {
	case !utf8.ValidString(v):
		return &models.FieldError{Field: field, Message: "must be valid UTF-8 text"}
	case required && strings.TrimSpace(v) == "":
		return &models.FieldError{Field: field, Message: "is required"}
	case utf8.RuneCountInString(v) > max:
		return &models.FieldError{Field: field, Message: fmt.Sprintf("must be at most %d characters long", max)}
	}
	return nil
}

// primary opens the portal for a change only the main link may make while
// the vendor still answers.
func (s *Service) primary(ctx context.Context, token string) (*State, *models.PortalInvitation, error) {
	st, inv, err := s.Portal(ctx, token)
	if err != nil {
		return nil, nil, err
	}
	if inv.DelegatedBy != nil {
		return nil, nil, ErrNotPrimary
	}
	return st, inv, nil
}

// answering refuses a delegation change once the vendor submitted.
func answering(a *models.Assessment) error {
	if a.Status != "sent" && a.Status != "in_progress" {
		return ErrNotSharing
	}
	return nil
}

// DelegateSections creates a delegated link for a colleague of the main
// contact, valid as long as the main link, and mails it to them. The
// token is in that mail only.
func (s *Service) DelegateSections(ctx context.Context, token string, d Delegate, o auth.Origin) (*models.PortalInvitation, error) {
	st, inv, err := s.primary(ctx, token)
	if err != nil {
		return nil, err
	}
	if err := answering(st.Assessment); err != nil {
		return nil, err
	}
	var errs []models.FieldError
	if e := checkText("name", d.Name, 200, true); e != nil {
		errs = append(errs, *e)
	}
	email := models.NormalizeEmail(d.Email)
	if a, err := mail.ParseAddress(email); email == "" || err != nil || a.Address != email {
		errs = append(errs, models.FieldError{Field: "email", Message: "must be a valid email address"})
	} else if email == inv.ContactEmail {
		errs = append(errs, models.FieldError{Field: "email", Message: "is your own address: share with a colleague"})
	}
	if e := checkText("message", d.Message, 2000, false); e != nil {
		errs = append(errs, *e)
	}
	sections, bad := checkSections(st.Content, d.Sections)
	errs = append(errs, bad...)
	if len(errs) > 0 {
		return nil, &models.ValidationError{Errors: errs}
	}
	scope, _ := json.Marshal(sections)
	secret, hash := auth.NewLinkToken(TokenPrefix)
	del := &models.PortalInvitation{AssessmentID: st.Assessment.ID, TokenHash: hash, ContactEmail: email,
		ContactName: strings.TrimSpace(d.Name), ExpiresAt: inv.ExpiresAt, DelegatedBy: &inv.ID, Sections: string(scope),
		Message: strings.TrimSpace(d.Message), Version: 1}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := models.LockAssessment(ctx, tx, st.Assessment.ID)
		if err != nil {
			return err
		}
		if err := answering(a); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&models.PortalInvitation{}).Where("assessment_id = ? AND delegated_by IS NOT NULL", a.ID).Count(&n).Error; err != nil {
			return err
		}
		if n >= models.MaxDelegations {
			return models.Invalid("email", fmt.Sprintf("this questionnaire already has %d shared links, the most it takes; revoke one you no longer need", models.MaxDelegations))
		}
		if err := models.CreateInvitation(ctx, tx, del); err != nil {
			return err
		}
		if err := s.noticeDelegation(ctx, tx, a, inv, del, st.Content, PortalURL(s.BaseURL, secret)); err != nil {
			return err
		}
		e := portalEvent(inv, "assessment.delegate", email+": "+strings.Join(sections, ", "))
		e.AfterData = models.AuditJSON(map[string]any{"invitation_id": del.ID, "name": del.ContactName, "email": email, "sections": sections})
		e.RequestID, e.ClientIP = o.RequestID, o.ClientIP
		return models.AppendAudit(ctx, tx, &e)
	})
	if err != nil {
		return nil, err
	}
	return del, nil
}

// ChangeDelegation replaces the sections of a live delegation of the main
// link's assessment, if it is still at version.
func (s *Service) ChangeDelegation(ctx context.Context, token, id string, version int64, sections []string, o auth.Origin) (*models.PortalInvitation, error) {
	st, inv, err := s.primary(ctx, token)
	if err != nil {
		return nil, err
	}
	if err := answering(st.Assessment); err != nil {
		return nil, err
	}
	keys, bad := checkSections(st.Content, sections)
	if len(bad) > 0 {
		return nil, &models.ValidationError{Errors: bad}
	}
	var out *models.PortalInvitation
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		del, err := models.Delegation(ctx, tx, st.Assessment.ID, id)
		if err != nil {
			return err
		}
		if del.RevokedAt != nil {
			return &models.ForbiddenError{Reason: "This shared link was revoked; share the sections again instead."}
		}
		scope, _ := json.Marshal(keys)
		if out, err = models.UpdateInvitation(ctx, tx, id, version, map[string]any{"sections": string(scope)}); err != nil {
			return err
		}
		e := portalEvent(inv, "assessment.delegation_change", del.ContactEmail+": "+strings.Join(keys, ", "))
		e.BeforeData, e.AfterData = models.AuditJSON(json.RawMessage(orEmptyList(del.Sections))), models.AuditJSON(json.RawMessage(scope))
		e.RequestID, e.ClientIP = o.RequestID, o.ClientIP
		return models.AppendAudit(ctx, tx, &e)
	})
	return out, err
}

func orEmptyList(s string) string {
	if s == "" {
		return "[]"
	}
	return s
}

// RevokeDelegation stops a delegated link, by the main link's holder.
func (s *Service) RevokeDelegation(ctx context.Context, token, id string, o auth.Origin) error {
	st, inv, err := s.primary(ctx, token)
	if err != nil {
		return err
	}
	return s.revokeDelegation(ctx, st.Assessment, id, inv.ContactEmail, func(tx *gorm.DB, e models.AuditEvent) error {
		ev := portalEvent(inv, e.Action, e.Detail)
		ev.RequestID, ev.ClientIP = o.RequestID, o.ClientIP
		return models.AppendAudit(ctx, tx, &ev)
	})
}

// StaffRevokeDelegation stops a delegated link, by a reviewer.
func (s *Service) StaffRevokeDelegation(ctx context.Context, p *auth.Principal, assessmentID, id string, o auth.Origin) error {
	a, err := models.GetAssessment(ctx, s.DB, assessmentID)
	if err != nil {
		return err
	}
	if a.Status == "cancelled" {
		return refuseClosed(a)
	}
	return s.revokeDelegation(ctx, a, id, p.User.Name, func(tx *gorm.DB, e models.AuditEvent) error {
		return auth.Record(ctx, tx, p, o, e)
	})
}

func (s *Service) revokeDelegation(ctx context.Context, a *models.Assessment, id, by string, record func(*gorm.DB, models.AuditEvent) error) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		del, err := models.Delegation(ctx, tx, a.ID, id)
		if err != nil {
			return err
		}
		if del.RevokedAt != nil {
			return nil
		}
		now := s.now()
		if _, err := models.UpdateInvitation(ctx, tx, id, 0, map[string]any{"revoked_at": now}); err != nil {
			return err
		}
		if now.Before(del.ExpiresAt) {
			if err := s.noticeDelegationRevoked(ctx, tx, a, del, by); err != nil {
				return err
			}
		}
		return record(tx, models.AuditEvent{Action: "assessment.delegation_revoke", ObjectType: "assessment", ObjectID: a.ID,
			Detail: del.ContactEmail + ": " + strings.Join(Scope(del), ", ")})
	})
}

// DelegationView is a delegated link as its lists show it.
type DelegationView struct {
	models.PortalInvitation
	Sections []string
	Answered int
}

// ListDelegations returns an assessment's delegations with the answers
// each link last saved.
func (s *Service) ListDelegations(ctx context.Context, assessmentID string) ([]DelegationView, error) {
	dels, err := models.Delegations(ctx, s.DB, assessmentID)
	if err != nil {
		return nil, err
	}
	counts, err := models.AnsweredBy(ctx, s.DB, assessmentID)
	if err != nil {
		return nil, err
	}
	out := make([]DelegationView, 0, len(dels))
	for _, d := range dels {
		out = append(out, DelegationView{PortalInvitation: d, Sections: Scope(&d), Answered: counts[d.ID]})
	}
	return out, nil
}

// StaffDelegations lists an assessment's delegations for its reviewers
// (an unknown assessment is not found).
func (s *Service) StaffDelegations(ctx context.Context, assessmentID string) ([]DelegationView, error) {
	if _, err := models.GetAssessment(ctx, s.DB, assessmentID); err != nil {
		return nil, err
	}
	return s.ListDelegations(ctx, assessmentID)
}

// PortalDelegations lists the delegations for the main link's holder.
func (s *Service) PortalDelegations(ctx context.Context, token string) ([]DelegationView, error) {
	st, _, err := s.primary(ctx, token)
	if err != nil {
		return nil, err
	}
	return s.ListDelegations(ctx, st.Assessment.ID)
}

// Delegator is the main contact who shared a delegated link's sections.
func (s *Service) Delegator(ctx context.Context, st *State, inv *models.PortalInvitation) (name, email string, err error) {
	if inv.DelegatedBy == nil {
		return "", "", nil
	}
	var by models.PortalInvitation
	if err := s.DB.WithContext(ctx).Where("id = ?", *inv.DelegatedBy).Take(&by).Error; err != nil {
		return "", "", err
	}
	name = by.ContactName
	if name == "" && strings.EqualFold(by.ContactEmail, st.Assessment.ContactEmail) {
		name = st.Assessment.ContactName
	}
	return name, by.ContactEmail, nil
}

// contactName is the name a link's holder goes by: the colleague's as
// invited, the assessment's contact for its main link, else the address.
func contactName(a *models.Assessment, inv *models.PortalInvitation) string {
	switch {
	case inv.ContactName != "":
		return inv.ContactName
	case a.ContactName != "" && strings.EqualFold(inv.ContactEmail, a.ContactEmail):
		return a.ContactName
	}
	return inv.ContactEmail
}

// noticeDelegation mails the colleague their link, in a thread of its own.
func (s *Service) noticeDelegation(ctx context.Context, tx *gorm.DB, a *models.Assessment, by, del *models.PortalInvitation, c *questionnaire.Content, link string) error {
	if s.Notify == nil {
		return nil
	}
	v, err := models.GetVendor(ctx, tx, a.VendorID)
	if err != nil {
		return err
	}
	var titles []string
	for _, sec := range c.Sections {
		if slices.Contains(Scope(del), sec.Key) {
			titles = append(titles, "- "+sec.Title)
		}
	}
	from, org := contactName(a, by), s.Notify.Org(ctx, tx)
	body := fmt.Sprintf("%s asks you to answer these sections of %s's security questionnaire %q from %s:\n%s",
		from, v.Name, a.Title, org, strings.Join(titles, "\n"))
	if del.Message != "" {
		body += "\n\n" + from + " writes:\n" + del.Message
	}
	body += fmt.Sprintf("\n\nThe link below is personal to you and works until %s. Your answers are saved as you go; %s submits the questionnaire when everything is answered.\n\n"+
		"Questions about it? Reply to this message to reach %s.", del.ExpiresAt.Format("2 January 2006"), from, from)
	return s.Notify.Emit(ctx, tx, notify.Event{Kind: "vendor.invitation", Key: "vendor.invitation:" + del.ID,
		ObjectType: "assessment", ObjectID: a.ID, Link: link,
		Title: fmt.Sprintf("%s security questionnaire for %s: %s asks for your help", org, v.Name, from), Body: body,
		To: []notify.Recipient{{Email: del.ContactEmail, Name: del.ContactName}}, ReplyTo: &notify.Recipient{Email: by.ContactEmail, Name: from},
		Thread: InvitationThread(del), StartsThread: true})
}

// noticeDelegationRevoked tells the colleague their link stopped working.
func (s *Service) noticeDelegationRevoked(ctx context.Context, tx *gorm.DB, a *models.Assessment, del *models.PortalInvitation, by string) error {
	if s.Notify == nil {
		return nil
	}
	v, err := models.GetVendor(ctx, tx, a.VendorID)
	if err != nil {
		return err
	}
	body := fmt.Sprintf("The link to sections of %s's security questionnaire %q that was shared with you no longer works: %s revoked it. Nothing more is needed from you.",
		v.Name, a.Title, by)
	return s.Notify.Emit(ctx, tx, notify.Event{Kind: "vendor.link_revoked", Key: "vendor.link_revoked:" + del.ID,
		ObjectType: "assessment", ObjectID: a.ID,
		Title: fmt.Sprintf("%s security questionnaire for %s: link no longer valid", s.Notify.Org(ctx, tx), v.Name), Body: body,
		To: []notify.Recipient{{Email: del.ContactEmail, Name: del.ContactName}}, Thread: InvitationThread(del)})
}

// refuseClosed refuses a reviewer's change to a cancelled or completed
// assessment: what it holds is final, as the portal already treats it.
func refuseClosed(a *models.Assessment) error {
	switch a.Status {
	case "cancelled":
		return &models.ForbiddenError{Reason: "The assessment was cancelled; it can no longer be changed."}
	case "completed":
		return &models.ForbiddenError{Reason: "The assessment is completed; its answers, review and conversation can no longer be changed."}
	}
	return nil
}
