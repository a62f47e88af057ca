// Package assessments runs due diligence: an assessment sends one
// questionnaire revision to one vendor, the vendor answers through a
// portal link, a reviewer marks each answer, and control effectiveness is
// computed from the answers and the marks.
package assessments

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/notify"
	"rampart/app/questionnaire"
	"rampart/app/scoring"
	"rampart/models"
)

// Statuses of an assessment.
var Statuses = []string{"draft", "sent", "in_progress", "submitted", "in_review", "completed", "cancelled", "expired"}

// ErrPortalClosed means the portal link is unknown, revoked, expired, or
// its assessment no longer takes answers; the portal answers 404 so a
// token's existence is not revealed.
var ErrPortalClosed = errors.New("this link is not valid")

// ErrLocked means the questionnaire was submitted and cannot be changed
// through the portal.
var ErrLocked = &models.ForbiddenError{Reason: "The questionnaire was submitted and can no longer be changed."}

// ErrChangedMeanwhile means the questionnaire was submitted (or its
// follow-ups were closed) between reading it and saving a change: the
// change was not saved. It is a conflict (409), not ErrLocked, because the
// vendor's page still showed the question as open.
var ErrChangedMeanwhile = fmt.Errorf("%w: the questionnaire was submitted while the change was being saved", models.ErrConflict)

// TokenPrefix starts every portal token.
const TokenPrefix = "rpt_"

// DefaultLinkLifetime is how long a portal link works.
const DefaultLinkLifetime = 30 * 24 * time.Hour

// Service changes assessments; every change is audited in its transaction.
type Service struct {
	DB  *gorm.DB
	Now func() time.Time
	// Quota caps what vendors may upload to one assessment through its
	// portal links; zero fields take the defaults.
	Quota Quota
	// Notify writes notices and mails with the changes; nil: none.
	Notify *notify.Notifier
	// BaseURL is the public address, for portal links in mails.
	BaseURL string
}

// Quota limits the evidence vendors upload to one assessment through its
// portal links (every link of the assessment together, so replacing a
// link does not reset it).
type Quota struct {
	MaxFiles int
	MaxBytes int64
}

// DefaultQuota leaves room for a full questionnaire's evidence (a SOC 2
// report, policies, certificates) while stopping a link from being used
// as free storage.
var DefaultQuota = Quota{MaxFiles: 50, MaxBytes: 100 << 20}

func (s *Service) quota() Quota {
	q := s.Quota
	if q.MaxFiles <= 0 {
		q.MaxFiles = DefaultQuota.MaxFiles
	}
	if q.MaxBytes <= 0 {
		q.MaxBytes = DefaultQuota.MaxBytes
	}
	return q
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Content decodes a template revision's questions.
func Content(t *models.QuestionnaireTemplate) (*questionnaire.Content, error) {
	var c questionnaire.Content
	if err := json.Unmarshal([]byte(t.Content), &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// NewAssessment is what creating an assessment takes.
type NewAssessment struct {
	VendorID, TemplateID, DueDate, ReviewerID, ContactName, ContactEmail string
	// PreviousID makes this a reassessment: the previous assessment's
	// answers and evidence are prefilled for the vendor to confirm or change.
	PreviousID string
	// BusinessUnitIDs, when given, replace the vendor's units as the
	// assessment's.
	BusinessUnitIDs *[]string
}

// Create adds a draft assessment of a vendor from a published template.
func (s *Service) Create(ctx context.Context, p *auth.Principal, n NewAssessment, o auth.Origin) (*models.Assessment, error) {
	var errs []models.FieldError
	v, err := models.GetVendor(ctx, s.DB, n.VendorID)
	if err != nil {
		errs = append(errs, models.FieldError{Field: "vendor_id", Message: "is not a vendor"})
	}
	if n.TemplateID == "" && v != nil {
		// No template chosen: the one the vendor's tier calls for.
		if m, _, err := scoring.Current(ctx, s.DB); err == nil {
			if def, err := models.PublishedTemplate(ctx, s.DB, m.TierInfo(int(v.EffectiveTier(time.Now().UTC().Format(time.DateOnly)))).DefaultQuestionnaire); err == nil {
				n.TemplateID = def.ID
			}
		}
	}
	t, err := models.GetTemplate(ctx, s.DB, n.TemplateID)
	if err != nil || t.Status != "published" {
		errs = append(errs, models.FieldError{Field: "template_id", Message: "is not a published questionnaire"})
	}
	if n.DueDate != "" {
		if _, err := time.Parse(time.DateOnly, n.DueDate); err != nil {
			errs = append(errs, models.FieldError{Field: "due_date", Message: "must be a date such as 2027-01-31"})
		}
	}
	var reviewer *string
	if n.ReviewerID != "" {
		u, err := models.UserByID(ctx, s.DB, n.ReviewerID)
		if err != nil || !u.Active || (u.Role != models.RoleRiskManager && u.Role != models.RoleAdmin) {
			errs = append(errs, models.FieldError{Field: "reviewer_id", Message: "must be an active risk manager or administrator"})
		} else {
			reviewer = &u.ID
		}
	}
	var previous *models.Assessment
	if n.PreviousID != "" {
		prev, err := models.GetAssessment(ctx, s.DB, n.PreviousID)
		switch {
		case err != nil || v == nil || prev.VendorID != v.ID:
			errs = append(errs, models.FieldError{Field: "previous_id", Message: "is not an assessment of this vendor"})
		case prev.Status != "completed" && prev.Status != "submitted" && prev.Status != "in_review":
			errs = append(errs, models.FieldError{Field: "previous_id", Message: "has no submitted answers to start from"})
		default:
			previous = prev
		}
	}
	if len(errs) > 0 {
		return nil, &models.ValidationError{Errors: errs}
	}
	a := &models.Assessment{VendorID: v.ID, TemplateID: t.ID, Title: t.Name + " — " + v.Name, Status: "draft", DueDate: n.DueDate,
		ReviewerID: reviewer, ContactName: strings.TrimSpace(n.ContactName), ContactEmail: models.NormalizeEmail(n.ContactEmail),
		CreatedBy: &p.User.ID, Result: "{}"}
	if a.UnitIDs, err = models.UnitsForNew(ctx, s.DB, n.BusinessUnitIDs); err != nil {
		return nil, err
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if previous != nil {
			a.PreviousID = &previous.ID
		}
		if err := models.CreateAssessment(ctx, tx, a); err != nil {
			return err
		}
		prefilled := 0
		if previous != nil {
			c, err := Content(t)
			if err != nil {
				return err
			}
			if prefilled, err = models.PrefillAnswers(ctx, tx, previous.ID, a.ID, func(k string) bool { return c.Find(k) != nil }); err != nil {
				return err
			}
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "assessment.create", ObjectType: "assessment", ObjectID: a.ID,
			AfterData: models.AuditJSON(map[string]any{"vendor_id": v.ID, "template": t.Key, "revision": t.Revision, "due_date": a.DueDate,
				"previous_id": n.PreviousID, "prefilled_answers": prefilled})})
	})
	return a, err
}

// Send opens the portal for the vendor contact: a new link (any earlier
// one stops working), valid for lifetime. An email given replaces the
// assessment's contact, with name (which may be empty); none keeps it. The
// token is returned once; only its hash is stored.
func (s *Service) Send(ctx context.Context, p *auth.Principal, id string, version int64, email, name string, lifetime time.Duration, o auth.Origin) (*models.Assessment, string, error) {
	token, hash := auth.NewLinkToken(TokenPrefix)
	var out *models.Assessment
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := models.GetAssessment(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := refuseClosed(a); err != nil {
			return err
		}
		if slices.Contains([]string{"submitted", "in_review"}, a.Status) {
			return models.Invalid("status", "an assessment that is "+a.Status+" cannot be sent")
		}
		email = models.NormalizeEmail(email)
		set := map[string]any{}
		switch {
		case email == "":
			email = a.ContactEmail
		case email != a.ContactEmail || strings.TrimSpace(name) != "":
			set["contact_name"] = strings.TrimSpace(name)
		}
		if email == "" {
			return models.Invalid("contact_email", "is required to send the questionnaire")
		}
		now := s.now()
		// A new main link replaces the old main link only: the colleagues
		// it delegated sections to keep answering with theirs.
		live, err := liveMain(ctx, tx, id, now)
		if err != nil {
			return err
		}
		if err := models.RevokeMainInvitations(ctx, tx, id, now); err != nil {
			return err
		}
		inv := &models.PortalInvitation{AssessmentID: id, TokenHash: hash,
			ContactEmail: email, ExpiresAt: now.Add(lifetime), CreatedBy: &p.User.ID}
		if err := models.CreateInvitation(ctx, tx, inv); err != nil {
			return err
		}
		set["contact_email"], set["sent_at"] = email, now
		if a.Status == "draft" || a.Status == "expired" {
			set["status"] = "sent"
		}
		if out, err = models.UpdateAssessment(ctx, tx, id, version, set); err != nil {
			return err
		}
		// The old contact hears the old link stopped working; the same
		// contact learns it from the new invitation instead.
		var elsewhere []models.PortalInvitation
		replaces := false
		for _, old := range live {
			if old.ContactEmail == email {
				replaces = true
			} else {
				elsewhere = append(elsewhere, old)
			}
		}
		if err := s.noticeInvitation(ctx, tx, p, out, inv, PortalURL(s.BaseURL, token), replaces); err != nil {
			return err
		}
		if err := s.noticeRevoked(ctx, tx, p, out, elsewhere, "A new link was sent to another contact, who answers it from now on."); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "assessment.send", ObjectType: "assessment", ObjectID: id,
			Detail: "portal link for " + email + ", valid until " + now.Add(lifetime).Format(time.DateOnly)})
	})
	if err != nil {
		if errors.Is(err, models.ErrConflict) {
			cur, _ := models.GetAssessment(ctx, s.DB, id)
			return cur, "", err
		}
		return nil, "", err
	}
	return out, token, nil
}

// PortalURL is the address a vendor opens with token.
func PortalURL(baseURL, token string) string {
	return strings.TrimRight(baseURL, "/") + "/portal/" + token
}

// Revoke stops every portal link of the assessment.
func (s *Service) Revoke(ctx context.Context, p *auth.Principal, id string, o auth.Origin) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := models.GetAssessment(ctx, tx, id)
		if err != nil {
			return err
		}
		// Cancelling revoked every link already; a completed assessment's
		// links may still be stopped.
		if a.Status == "cancelled" {
			return refuseClosed(a)
		}
		live, err := liveInvitations(ctx, tx, id, s.now())
		if err != nil {
			return err
		}
		if err := models.RevokeInvitations(ctx, tx, id, s.now()); err != nil {
			return err
		}
		if err := s.noticeRevoked(ctx, tx, p, a, live, "If you still need to answer it, reply to this message to ask for a new link."); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "assessment.revoke_link", ObjectType: "assessment", ObjectID: id})
	})
}

// ChangeUnits puts an assessment in the units given, by the rules a
// contract's or finding's edit follows (models.CheckUnits and
// models.ChangeUnits: a scoped editor names only their own units and
// keeps the ones they do not hold). The version is checked and bumped so
// that two editors of the units cannot overwrite each other unseen; a
// closed assessment refuses it like every other staff write.
func (s *Service) ChangeUnits(ctx context.Context, p *auth.Principal, id string, version int64, units []string, o auth.Origin) (*State, error) {
	var out *models.Assessment
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := models.GetAssessment(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := refuseClosed(a); err != nil {
			return err
		}
		if err := models.CheckUnits(ctx, tx, "business_unit_ids", units); err != nil {
			return err
		}
		if a.Version != version {
			out = a
			return models.ErrConflict
		}
		before, after, err := models.ChangeUnits(ctx, tx, models.UnitAssessment, id, units)
		if err != nil {
			return err
		}
		if out, err = models.UpdateAssessment(ctx, tx, id, version, map[string]any{}); err != nil {
			return err
		}
		b, aft := models.AuditDiff(map[string]any{"business_unit_ids": before}, map[string]any{"business_unit_ids": after})
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "assessment.business_units", ObjectType: "assessment", ObjectID: id,
			BeforeData: b, AfterData: aft})
	})
	if err != nil {
		if errors.Is(err, models.ErrConflict) && out != nil {
			if st, lerr := s.Load(ctx, s.DB, out); lerr == nil {
				return st, err
			}
		}
		return nil, err
	}
	return s.Load(ctx, s.DB, out)
}
