// Package findings tracks problems found at vendors to closure, and
// exceptions: risks accepted for a time, with a justification and an
// approver who is not the requester. Each change rescores the vendor.
package findings

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/authz"
	"rampart/app/customfields"
	"rampart/app/notify"
	"rampart/app/scoring"
	"rampart/models"
)

// Vocabularies.
var (
	Severities = []string{"critical", "high", "medium", "low"}
	Sources    = []string{"assessment", "contract", "manual", "incident", "soc2_review"}
	Statuses   = []string{"open", "in_progress", "resolved", "risk_accepted"}
)

// Service changes findings and exceptions.
type Service struct {
	DB  *gorm.DB
	Now func() time.Time
	// Notify writes notices with the changes; nil: none.
	Notify *notify.Notifier
	// BaseURL is the public address, for the links mailed to vendors.
	BaseURL string
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// New is a finding to raise.
type New struct {
	VendorID, AssessmentID, QuestionKey, Title, Description, Severity, Source string
	OwnerID, VendorContact, DueDate, RemediationPlan                          string
	// BusinessUnitIDs, when given, replace the vendor's units as the
	// finding's.
	BusinessUnitIDs *[]string
	// CustomFields are custom field values by key; see vendors.Input.
	CustomFields map[string]json.RawMessage
}

// Create raises a finding; without a due date it gets the model's
// remediation deadline for its severity.
func (s *Service) Create(ctx context.Context, p *auth.Principal, n New, o auth.Origin) (*models.Finding, error) {
	var out *models.Finding
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		f, err := s.create(ctx, tx, p, n, o)
		out = f
		return err
	})
	return out, err
}

// CreateIn raises a finding inside the caller's transaction, so the
// finding and what links to it are saved together.
func (s *Service) CreateIn(ctx context.Context, tx *gorm.DB, p *auth.Principal, n New, o auth.Origin) (*models.Finding, error) {
	return s.create(ctx, tx, p, n, o)
}

func (s *Service) create(ctx context.Context, tx *gorm.DB, p *auth.Principal, n New, o auth.Origin) (*models.Finding, error) {
	var errs []models.FieldError
	if _, err := models.GetVendor(ctx, tx, n.VendorID); err != nil {
		errs = append(errs, models.FieldError{Field: "vendor_id", Message: "is not a vendor"})
	}
	if strings.TrimSpace(n.Title) == "" {
		errs = append(errs, models.FieldError{Field: "title", Message: "is required"})
	}
	if !slices.Contains(Severities, n.Severity) {
		errs = append(errs, models.FieldError{Field: "severity", Message: "must be one of: " + strings.Join(Severities, ", ")})
	}
	if n.Source == "" {
		n.Source = "manual"
	}
	if !slices.Contains(Sources, n.Source) {
		errs = append(errs, models.FieldError{Field: "source", Message: "must be one of: " + strings.Join(Sources, ", ")})
	}
	if n.DueDate != "" {
		if _, err := time.Parse(time.DateOnly, n.DueDate); err != nil {
			errs = append(errs, models.FieldError{Field: "due_date", Message: "must be a date such as 2027-01-31"})
		}
	}
	var owner *string
	if n.OwnerID != "" {
		if u, err := models.UserByID(ctx, tx, n.OwnerID); err != nil || !u.Active {
			errs = append(errs, models.FieldError{Field: "owner_id", Message: "is not an active user"})
		} else if !authz.Can(u.Role, authz.FindingsWrite) {
			errs = append(errs, models.FieldError{Field: "owner_id", Message: ownerRefusal})
		} else {
			owner = &u.ID
		}
	}
	custom, err := checkCustom(ctx, tx, n.CustomFields, nil, &errs)
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, &models.ValidationError{Errors: errs}
	}
	if n.DueDate == "" {
		dues, err := s.dueDates(ctx, tx)
		if err != nil {
			return nil, err
		}
		n.DueDate = dues[n.Severity].Date
	}
	f := &models.Finding{VendorID: n.VendorID, QuestionKey: n.QuestionKey, Title: strings.TrimSpace(n.Title), Description: n.Description,
		Severity: n.Severity, Source: n.Source, Status: "open", OwnerID: owner, VendorContact: n.VendorContact, DueDate: n.DueDate,
		RemediationPlan: n.RemediationPlan, CreatedBy: &p.User.ID}
	if n.AssessmentID != "" {
		f.AssessmentID = &n.AssessmentID
	}
	if f.UnitIDs, err = models.UnitsForNew(ctx, tx, n.BusinessUnitIDs); err != nil {
		return nil, err
	}
	if err := models.CreateFinding(ctx, tx, f); err != nil {
		return nil, err
	}
	if custom != nil {
		f.CustomFields = custom.Values
		if err := customfields.Save(ctx, tx, "finding", f.ID, custom); err != nil {
			return nil, err
		}
	}
	if _, err := scoring.Recompute(ctx, tx, f.VendorID, scoring.CauseFindingOpened); err != nil {
		return nil, err
	}
	if err := s.noticeAssigned(ctx, tx, p, f); err != nil {
		return nil, err
	}
	return f, auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "finding.create", ObjectType: "finding", ObjectID: f.ID,
		AfterData: models.AuditJSON(map[string]any{"vendor_id": f.VendorID, "title": f.Title, "severity": f.Severity, "due_date": f.DueDate,
			"custom_fields": map[string]any(f.CustomFields)})})
}

// Due is the due date a new finding of one severity gets when none is given.
type Due struct {
	Days int    `json:"days" description:"the risk model's remediation deadline for the severity"`
	Date string `json:"date" description:"YYYY-MM-DD: today plus those days"`
}

// DefaultDueDates says, per severity, the due date a finding raised now
// would get, so a form can show it before saving.
func (s *Service) DefaultDueDates(ctx context.Context) (map[string]Due, error) {
	return s.dueDates(ctx, s.DB)
}

func (s *Service) dueDates(ctx context.Context, db *gorm.DB) (map[string]Due, error) {
	m, _, err := scoring.Current(ctx, db)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Due, len(Severities))
	for _, sev := range Severities {
		d := m.RemediationDays[sev]
		out[sev] = Due{Days: d, Date: s.now().AddDate(0, 0, d).Format(time.DateOnly)}
	}
	return out, nil
}

// ownerRefusal: an owner works on the finding, so it must be someone whose
// role may change findings (an auditor or a department head cannot).
const ownerRefusal = "cannot work on findings: choose a risk manager, legal reviewer or administrator"

// FromAnswer raises (once) a finding for an assessment answer a reviewer
// marked as a finding, inside the review's transaction. The title is the
// reviewer's when given, else one naming the problem (AnswerTitle).
func (s *Service) FromAnswer(ctx context.Context, tx *gorm.DB, p *auth.Principal, a *models.Assessment, key, question, answer, title, comment string, o auth.Origin) error {
	existing, err := models.FindingForAnswer(ctx, tx, a.ID, key)
	if err != nil || existing != nil {
		return err
	}
	if strings.TrimSpace(title) == "" {
		title = AnswerTitle(key, answer, question)
	}
	_, err = s.create(ctx, tx, p, New{VendorID: a.VendorID, AssessmentID: a.ID, QuestionKey: key, Title: title,
		Description: comment, Severity: "medium", Source: "assessment", OwnerID: p.User.ID, VendorContact: a.ContactEmail}, o)
	return err
}

// AnswerTitle is a finding's title for an answer: it names the problem
// ("IAM-01: answered No — Is multi-factor authentication enforced…")
// rather than repeating the question, on one line and within the title's
// 200 characters. The review page proposes the same title (findings.ts).
func AnswerTitle(key, answer, question string) string {
	said := "not answered"
	if a := oneLine(answer); a != "" {
		said = "answered " + clip(a, 40)
	}
	title := key + ": " + said
	if q := oneLine(question); q != "" {
		title += " — " + clip(q, 80)
	}
	return clip(title, 200)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// clip shortens s to at most n characters, at a word boundary when one is
// near, marking the cut with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n-1])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.—-") + "…"
}

// Changes are the editable fields of a finding; nil leaves a field as is.
type Changes struct {
	Title, Description, Severity, Status, OwnerID, VendorContact, DueDate, RemediationPlan *string
	CustomFields                                                                           map[string]json.RawMessage
	// BusinessUnitIDs, when given, are the finding's units (a scoped
	// editor's other units are kept: models.MergeUnits).
	BusinessUnitIDs *[]string
}

// checkCustom checks the custom field values given over stored, adding
// what is wrong to errs; nil when there is nothing to save.
func checkCustom(ctx context.Context, tx *gorm.DB, raw map[string]json.RawMessage, stored models.CustomValues, errs *[]models.FieldError) (*customfields.Checked, error) {
	if raw == nil {
		return nil, nil
	}
	k, err := customfields.NewChecker(ctx, tx, "finding")
	if err != nil {
		return nil, err
	}
	checked, err := k.Check(ctx, raw, stored, false)
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		*errs = append(*errs, ve.Errors...)
		return nil, nil
	}
	return checked, err
}

// Update changes a finding at version; closing or reopening it rescores
// the vendor.
func (s *Service) Update(ctx context.Context, p *auth.Principal, id string, version int64, c Changes, o auth.Origin) (*models.Finding, error) {
	var out *models.Finding
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := models.GetFinding(ctx, tx, id)
		if err != nil {
			return err
		}
		set := map[string]any{}
		var errs []models.FieldError
		str := func(field string, v *string, allowed []string) {
			if v == nil {
				return
			}
			if allowed != nil && !slices.Contains(allowed, *v) {
				errs = append(errs, models.FieldError{Field: field, Message: "must be one of: " + strings.Join(allowed, ", ")})
				return
			}
			set[field] = strings.TrimSpace(*v)
		}
		str("title", c.Title, nil)
		str("description", c.Description, nil)
		str("severity", c.Severity, Severities)
		str("status", c.Status, Statuses)
		str("vendor_contact", c.VendorContact, nil)
		str("remediation_plan", c.RemediationPlan, nil)
		if c.DueDate != nil {
			if _, err := time.Parse(time.DateOnly, *c.DueDate); err != nil {
				errs = append(errs, models.FieldError{Field: "due_date", Message: "must be a date such as 2027-01-31"})
			}
			set["due_date"] = *c.DueDate
		}
		if c.OwnerID != nil {
			if *c.OwnerID == "" {
				set["owner_id"] = nil
			} else if u, err := models.UserByID(ctx, tx, *c.OwnerID); err != nil || !u.Active {
				errs = append(errs, models.FieldError{Field: "owner_id", Message: "is not an active user"})
			} else if !authz.Can(u.Role, authz.FindingsWrite) && (before.OwnerID == nil || *before.OwnerID != u.ID) {
				errs = append(errs, models.FieldError{Field: "owner_id", Message: ownerRefusal})
			} else {
				set["owner_id"] = u.ID
			}
		}
		if c.Status != nil && *c.Status == "risk_accepted" && before.Status != "risk_accepted" {
			errs = append(errs, models.FieldError{Field: "status", Message: "a risk is accepted by approving an exception, not by editing the finding"})
		}
		custom, err := checkCustom(ctx, tx, c.CustomFields, before.CustomFields, &errs)
		if err != nil {
			return err
		}
		if c.BusinessUnitIDs != nil {
			var ve *models.ValidationError
			if err := models.CheckUnits(ctx, tx, "business_unit_ids", *c.BusinessUnitIDs); errors.As(err, &ve) {
				errs = append(errs, ve.Errors...)
			} else if err != nil {
				return err
			}
		}
		if len(errs) > 0 {
			return &models.ValidationError{Errors: errs}
		}
		if before.Version != version {
			out = before
			return models.ErrConflict
		}
		if err := customfields.Save(ctx, tx, "finding", id, custom); err != nil {
			return err
		}
		var unitsBefore, unitsAfter []string
		if c.BusinessUnitIDs != nil {
			if unitsBefore, unitsAfter, err = models.ChangeUnits(ctx, tx, models.UnitFinding, id, *c.BusinessUnitIDs); err != nil {
				return err
			}
		}
		if c.Status != nil && *c.Status == "resolved" && before.Status != "resolved" {
			if err := closableByEdit(ctx, tx, id); err != nil {
				return err
			}
		}
		if c.Status != nil && *c.Status == "resolved" && before.Status != "resolved" {
			set["resolved_at"] = s.now()
		}
		after, err := models.UpdateFinding(ctx, tx, id, version, set)
		out = after
		if err != nil {
			return err
		}
		if before.Status != after.Status || before.Severity != after.Severity {
			cause := scoring.CauseFindingOpened
			if after.Status == "resolved" {
				cause = scoring.CauseFindingClosed
			}
			if _, err := scoring.Recompute(ctx, tx, after.VendorID, cause); err != nil {
				return err
			}
		}
		if after.OwnerID != nil && (before.OwnerID == nil || *before.OwnerID != *after.OwnerID) {
			if err := s.noticeAssigned(ctx, tx, p, after); err != nil {
				return err
			}
		}
		vb, va := view(before), view(after)
		if c.BusinessUnitIDs != nil {
			vb["business_unit_ids"], va["business_unit_ids"] = unitsBefore, unitsAfter
		}
		b, a := models.AuditDiff(vb, va)
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "finding.update", ObjectType: "finding", ObjectID: id, BeforeData: b, AfterData: a})
	})
	if err != nil && !errors.Is(err, models.ErrConflict) {
		return nil, err
	}
	return out, err
}

func view(f *models.Finding) map[string]any {
	owner := ""
	if f.OwnerID != nil {
		owner = *f.OwnerID
	}
	return map[string]any{"title": f.Title, "severity": f.Severity, "status": f.Status, "owner_id": owner, "due_date": f.DueDate,
		"remediation_plan": f.RemediationPlan, "vendor_contact": f.VendorContact, "custom_fields": map[string]any(f.CustomFields)}
}

// closableByEdit refuses to resolve a finding shared with the vendor by
// editing it: its owner closes it by accepting the remediation as
// complete, once any proposed plan is decided (remediation.go).
func closableByEdit(ctx context.Context, tx *gorm.DB, findingID string) error {
	rem, err := models.RemediationForFinding(ctx, tx, findingID)
	if errors.Is(err, models.ErrNotFound) || (err == nil && !RemediationOpen(rem)) {
		return nil
	} else if err != nil {
		return err
	}
	if rem.Status == RemPlanProposed {
		return &models.StateError{Reason: "The finding is shared with the vendor and their proposed remediation plan is not accepted yet: accept the plan or ask for changes, then close the finding by accepting the remediation as complete."}
	}
	return &models.StateError{Reason: "The finding is shared with the vendor: close it by accepting the remediation as complete on the finding page."}
}
