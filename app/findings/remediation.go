package findings

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dustin/go-humanize"
	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/notify"
	"rampart/app/scoring"
	"rampart/app/storage"
	"rampart/models"
)

// Remediation with the vendor (docs/risk-scoring.md, "Remediation with the vendor"). A finding shared with a
// vendor contact gets a remediation whose status moves:
//
//	requested          -> plan_proposed (the vendor proposes a plan and target date)
//	plan_proposed      -> plan_accepted (owner) | changes_requested (owner, with a comment)
//	                      | plan_proposed (the vendor revises before a decision)
//	changes_requested  -> plan_proposed (the vendor proposes again)
//	plan_accepted      -> vendor_marked_done (the vendor, with a progress update)
//	vendor_marked_done -> plan_accepted (owner: not done yet, with a comment)
//	any but plan_proposed and accepted_closed -> accepted_closed (owner accepts the
//	                      remediation as complete; the finding is resolved)
//
// Progress updates do not change the status (except marking done). While
// a remediation is open its finding cannot be resolved by editing it: the
// owner closes it by accepting the remediation as complete, and not while
// a proposed plan waits for a decision.
const (
	RemRequested        = "requested"
	RemPlanProposed     = "plan_proposed"
	RemChangesRequested = "changes_requested"
	RemPlanAccepted     = "plan_accepted"
	RemVendorDone       = "vendor_marked_done"
	RemClosed           = "accepted_closed"
)

// RemediationStatuses lists them in order.
var RemediationStatuses = []string{RemRequested, RemPlanProposed, RemChangesRequested, RemPlanAccepted, RemVendorDone, RemClosed}

// RemediationTokenPrefix starts every remediation link's token.
const RemediationTokenPrefix = "rpr_"

// Limits on what goes through a remediation link.
const (
	// MaxRemediationText caps a plan, a progress update, a request message
	// and an owner's comment, in characters.
	MaxRemediationText = 5000
	// RemediationMaxFiles and RemediationMaxBytes cap what the vendor
	// uploads to one remediation, as the questionnaire portal's quota does.
	RemediationMaxFiles = 20
	RemediationMaxBytes = 100 << 20
	// DefaultRemediationLifetime is how long a link works unless revoked.
	DefaultRemediationLifetime = 90 * 24 * time.Hour
)

// ErrRemediationLinkClosed means the link is unknown, revoked or expired
// (or its vendor archived); the portal answers 404 for all alike.
var ErrRemediationLinkClosed = errors.New("this link is not valid")

// RemediationURL is the address the vendor contact opens with token.
func RemediationURL(baseURL, token string) string {
	return strings.TrimRight(baseURL, "/") + "/portal/remediation/" + token
}

// RemediationOpen says whether the remediation still governs its
// finding's closure.
func RemediationOpen(r *models.FindingRemediation) bool {
	return r != nil && r.Status != RemClosed
}

func checkEmail(field, email string) (string, error) {
	email = models.NormalizeEmail(email)
	if a, err := mail.ParseAddress(email); email == "" || err != nil || a.Address != email {
		return "", models.Invalid(field, "must be an email address")
	}
	return email, nil
}

func checkText(field, v string, required bool) (string, *models.FieldError) {
	v = strings.TrimSpace(v)
	switch {
	case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
		return v, &models.FieldError{Field: field, Message: "must be plain text"}
	case required && v == "":
		return v, &models.FieldError{Field: field, Message: "is required"}
	case utf8.RuneCountInString(v) > MaxRemediationText:
		return v, &models.FieldError{Field: field, Message: fmt.Sprintf("must be at most %d characters long", MaxRemediationText)}
	}
	return v, nil
}

// Share shares a finding with a vendor contact: it starts the remediation
// (or updates its contact and message when the finding was shared before),
// revokes earlier links, makes a new one valid for lifetime and mails it.
// The token is returned once; only its hash is stored.
func (s *Service) Share(ctx context.Context, p *auth.Principal, findingID, email, message string, lifetime time.Duration, o auth.Origin) (*models.FindingRemediation, *models.RemediationLink, string, error) {
	var errs []models.FieldError
	email, err := checkEmail("contact_email", email)
	if err != nil {
		var ve *models.ValidationError
		errors.As(err, &ve)
		errs = append(errs, ve.Errors...)
	}
	message, fe := checkText("message", message, false)
	if fe != nil {
		errs = append(errs, *fe)
	}
	if len(errs) > 0 {
		return nil, nil, "", &models.ValidationError{Errors: errs}
	}
	if lifetime <= 0 {
		lifetime = DefaultRemediationLifetime
	}
	token, hash := auth.NewLinkToken(RemediationTokenPrefix)
	now := s.now()
	var rem *models.FindingRemediation
	var link *models.RemediationLink
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		f, err := models.GetFinding(ctx, tx, findingID)
		if err != nil {
			return err
		}
		if f.Status == "resolved" || f.Status == "risk_accepted" {
			return &models.StateError{Reason: "The finding is " + strings.ReplaceAll(f.Status, "_", " ") + ": reopen it before sharing it with the vendor."}
		}
		rem, err = models.RemediationForFinding(ctx, tx, f.ID)
		switch {
		case errors.Is(err, models.ErrNotFound):
			rem = &models.FindingRemediation{FindingID: f.ID, Status: RemRequested, ContactEmail: email, Message: message, CreatedBy: &p.User.ID}
			if err := models.CreateRemediation(ctx, tx, rem); err != nil {
				return err
			}
		case err != nil:
			return err
		case rem.Status == RemClosed:
			return &models.StateError{Reason: "The remediation was accepted as complete; the finding cannot be shared again."}
		default:
			if rem, err = models.UpdateRemediation(ctx, tx, rem.ID, 0, map[string]any{"contact_email": email, "message": message}); err != nil {
				return err
			}
			if _, err := models.RevokeRemediationLinks(ctx, tx, rem.ID, "", now); err != nil {
				return err
			}
		}
		link = &models.RemediationLink{RemediationID: rem.ID, TokenHash: hash, ContactEmail: email, ExpiresAt: now.Add(lifetime), CreatedBy: &p.User.ID}
		if err := models.CreateRemediationLink(ctx, tx, link); err != nil {
			return err
		}
		text := "Shared with " + email
		if message != "" {
			text += ": " + message
		}
		if err := models.AddRemediationEvent(ctx, tx, &models.RemediationEvent{RemediationID: rem.ID, At: now, AuthorID: &p.User.ID,
			AuthorLabel: p.User.Name, Kind: "shared", Text: text}); err != nil {
			return err
		}
		if err := s.mailShared(ctx, tx, p, f, rem, link, RemediationURL(s.BaseURL, token)); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "finding.remediation_share", ObjectType: "finding", ObjectID: f.ID,
			Detail:    "remediation link valid until " + link.ExpiresAt.Format(time.DateOnly) + " for " + email,
			AfterData: models.AuditJSON(map[string]any{"remediation_id": rem.ID, "link_id": link.ID, "contact_email": email, "message": message})})
	})
	if err != nil {
		return nil, nil, "", err
	}
	return rem, link, token, nil
}

// RevokeRemediationLink stops one of the finding's remediation links.
func (s *Service) RevokeRemediationLink(ctx context.Context, p *auth.Principal, findingID, linkID string, o auth.Origin) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		rem, err := models.RemediationForFinding(ctx, tx, findingID)
		if err != nil {
			return err
		}
		n, err := models.RevokeRemediationLinks(ctx, tx, rem.ID, linkID, s.now())
		if err != nil {
			return err
		}
		if n == 0 {
			return models.ErrNotFound
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "finding.remediation_link_revoke", ObjectType: "finding", ObjectID: findingID, Detail: "link " + linkID})
	})
}

// Portal is what a live remediation link opens.
type Portal struct {
	Link        *models.RemediationLink
	Remediation *models.FindingRemediation
	Finding     *models.Finding
	VendorName  string
}

// OpenRemediation returns what the live link behind token reaches, or
// ErrRemediationLinkClosed.
func (s *Service) OpenRemediation(ctx context.Context, db *gorm.DB, token string) (*Portal, error) {
	if !strings.HasPrefix(token, RemediationTokenPrefix) || len(token) > 100 {
		return nil, ErrRemediationLinkClosed
	}
	l, err := models.RemediationLinkByHash(ctx, db, auth.LinkTokenHash(token))
	if errors.Is(err, models.ErrNotFound) {
		return nil, ErrRemediationLinkClosed
	} else if err != nil {
		return nil, err
	}
	now := s.now()
	if l.RevokedAt != nil || !now.Before(l.ExpiresAt) {
		return nil, ErrRemediationLinkClosed
	}
	rem, err := models.GetRemediation(ctx, db, l.RemediationID)
	if err != nil {
		return nil, err
	}
	f, err := models.GetFinding(ctx, db, rem.FindingID)
	if err != nil {
		return nil, err
	}
	v, err := models.GetVendor(ctx, db, f.VendorID)
	if err != nil || v.ArchivedAt != nil {
		return nil, ErrRemediationLinkClosed
	}
	if l.LastUsedAt == nil || now.Sub(*l.LastUsedAt) > time.Minute {
		_ = models.TouchRemediationLink(ctx, db, l.ID, now)
	}
	return &Portal{Link: l, Remediation: rem, Finding: f, VendorName: v.Name}, nil
}

func vendorLabel(email string) string { return email + " (vendor)" }

// vendorStep runs one vendor action in a transaction on the link's
// remediation as it is in that transaction.
func (s *Service) vendorStep(ctx context.Context, token string, step func(tx *gorm.DB, pt *Portal) error) (*Portal, error) {
	var out *Portal
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		pt, err := s.OpenRemediation(ctx, tx, token)
		if err != nil {
			return err
		}
		out = pt
		return step(tx, pt)
	})
	return out, err
}

func portalAudit(pt *Portal, o auth.Origin, action, detail string, after map[string]any) *models.AuditEvent {
	after["remediation_id"] = pt.Remediation.ID
	return &models.AuditEvent{ActorType: models.ActorPortal, ActorLabel: pt.Link.ContactEmail, Action: action, ObjectType: "finding",
		ObjectID: pt.Finding.ID, RequestID: o.RequestID, ClientIP: o.ClientIP, Detail: "through remediation link " + pt.Link.ID + ": " + detail,
		AfterData: models.AuditJSON(after)}
}

// ProposePlan records the vendor's plan and target date, which waits for
// the owner's decision.
func (s *Service) ProposePlan(ctx context.Context, token, plan, target string, o auth.Origin) (*Portal, error) {
	if _, err := s.OpenRemediation(ctx, s.DB, token); err != nil {
		return nil, err
	}
	var errs []models.FieldError
	plan, fe := checkText("plan", plan, true)
	if fe != nil {
		errs = append(errs, *fe)
	}
	today := s.now().Format(time.DateOnly)
	if d, err := time.Parse(time.DateOnly, target); err != nil || d.Format(time.DateOnly) != target {
		errs = append(errs, models.FieldError{Field: "target_date", Message: "must be a date such as 2027-01-31"})
	} else if target < today {
		errs = append(errs, models.FieldError{Field: "target_date", Message: "must not be in the past"})
	}
	if len(errs) > 0 {
		return nil, &models.ValidationError{Errors: errs}
	}
	return s.vendorStep(ctx, token, func(tx *gorm.DB, pt *Portal) error {
		switch pt.Remediation.Status {
		case RemRequested, RemChangesRequested, RemPlanProposed:
		case RemClosed:
			return &models.StateError{Reason: "The remediation was accepted as complete; nothing more can be changed."}
		default:
			return &models.StateError{Reason: "Your plan was accepted: post progress updates instead of a new plan."}
		}
		rem, err := models.UpdateRemediation(ctx, tx, pt.Remediation.ID, pt.Remediation.Version,
			map[string]any{"plan": plan, "target_date": target, "status": RemPlanProposed})
		if err != nil {
			return err
		}
		pt.Remediation = rem
		if err := models.AddRemediationEvent(ctx, tx, &models.RemediationEvent{RemediationID: rem.ID, At: s.now(),
			AuthorLabel: vendorLabel(pt.Link.ContactEmail), Kind: "plan_proposed", Text: plan, TargetDate: target}); err != nil {
			return err
		}
		if err := s.noticeVendorWork(ctx, tx, pt, "proposed a remediation plan (target "+target+")", plan); err != nil {
			return err
		}
		return models.AppendAudit(ctx, tx, portalAudit(pt, o, "finding.remediation_plan", "plan proposed, target "+target,
			map[string]any{"plan": plan, "target_date": target}))
	})
}

// Upload is a file arriving with a progress update.
type Upload struct {
	Name string
	Body io.Reader
}

// PostProgress records the vendor's progress update, optionally with a
// file (type from the content, within the remediation's upload quota) and
// optionally marking the work done, which needs an accepted plan.
func (s *Service) PostProgress(ctx context.Context, files storage.Store, token, text string, done bool, up *Upload, o auth.Origin) (*Portal, error) {
	pt, err := s.OpenRemediation(ctx, s.DB, token)
	if err != nil {
		return nil, err
	}
	text, fe := checkText("body", text, up == nil && !done)
	if fe != nil {
		return nil, &models.ValidationError{Errors: []models.FieldError{*fe}}
	}
	if err := progressAllowed(pt.Remediation.Status, done); err != nil {
		return nil, err
	}
	var stored *storage.Stored
	var file *models.RemediationFile
	if up != nil {
		n, total, err := models.RemediationUploads(ctx, s.DB, pt.Remediation.ID)
		if err != nil {
			return nil, err
		}
		if err := remediationQuota(n, total, 0); err != nil {
			return nil, err
		}
		st, err := storage.PutEvidence(ctx, files, up.Name, up.Body, MaxAttachment)
		if err != nil {
			return nil, err
		}
		stored = &st
		file = &models.RemediationFile{RemediationID: pt.Remediation.ID, Filename: storage.CleanName(up.Name), ContentType: st.Type,
			Size: st.Size, Sha256: st.Sha256, StorageKey: st.Key}
	}
	out, err := s.vendorStep(ctx, token, func(tx *gorm.DB, pt *Portal) error {
		if err := progressAllowed(pt.Remediation.Status, done); err != nil {
			return err
		}
		kind, action := "progress", "finding.remediation_progress"
		if done {
			kind, action = "marked_done", "finding.remediation_done"
		}
		ev := &models.RemediationEvent{RemediationID: pt.Remediation.ID, At: s.now(), AuthorLabel: vendorLabel(pt.Link.ContactEmail), Kind: kind, Text: text}
		if err := models.AddRemediationEvent(ctx, tx, ev); err != nil {
			return err
		}
		after := map[string]any{"text": text}
		if file != nil {
			n, total, err := models.RemediationUploads(ctx, tx, pt.Remediation.ID)
			if err != nil {
				return err
			}
			if err := remediationQuota(n, total, file.Size); err != nil {
				return err
			}
			file.EventID = ev.ID
			if err := models.CreateRemediationFile(ctx, tx, file); err != nil {
				return err
			}
			after["file"] = map[string]any{"id": file.ID, "filename": file.Filename, "content_type": file.ContentType, "size": file.Size, "sha256": file.Sha256}
		}
		rem, err := models.UpdateRemediation(ctx, tx, pt.Remediation.ID, pt.Remediation.Version, statusAfterProgress(pt.Remediation.Status, done))
		if err != nil {
			return err
		}
		pt.Remediation = rem
		what := "posted a progress update"
		if done {
			what = "marked the remediation done"
		}
		body := text
		if file != nil {
			body += "\n\nAttached: " + file.Filename
		}
		if err := s.noticeVendorWork(ctx, tx, pt, what, body); err != nil {
			return err
		}
		return models.AppendAudit(ctx, tx, portalAudit(pt, o, action, what, after))
	})
	if err != nil && stored != nil {
		_ = files.Delete(context.WithoutCancel(ctx), stored.Key)
	}
	return out, err
}

func statusAfterProgress(status string, done bool) map[string]any {
	if done {
		return map[string]any{"status": RemVendorDone}
	}
	return map[string]any{"status": status}
}

func progressAllowed(status string, done bool) error {
	switch {
	case status == RemClosed:
		return &models.StateError{Reason: "The remediation was accepted as complete; nothing more can be added."}
	case done && status == RemVendorDone:
		return &models.StateError{Reason: "The remediation is already marked done; it waits for the owner's acceptance."}
	case done && status != RemPlanAccepted:
		return &models.StateError{Reason: "The work can be marked done once your plan is accepted."}
	}
	return nil
}

func remediationQuota(n, total, size int64) error {
	if n >= RemediationMaxFiles {
		return models.Invalid("file", fmt.Sprintf("this remediation already has %d uploaded files, the most one remediation link accepts; combine files or ask your contact", RemediationMaxFiles))
	}
	if total+size > RemediationMaxBytes {
		return models.Invalid("file", fmt.Sprintf("would take this remediation's uploads past %s, the most one remediation link accepts (%s used); upload smaller files",
			humanize.IBytes(uint64(RemediationMaxBytes)), humanize.IBytes(uint64(total))))
	}
	return nil
}

// Decisions the owner takes on a shared finding.
const (
	DecideAcceptPlan     = "accept_plan"
	DecideRequestChanges = "request_changes"
	DecideAcceptComplete = "accept_complete"
)

// Decide applies the owner's decision at version: accept the proposed
// plan (the finding goes in progress and takes the plan), ask for changes
// (a comment is required; to a proposed plan it sends the vendor back to
// proposing, to work marked done back to the accepted plan), or accept the
// remediation as complete, which resolves the finding. The vendor is
// mailed the decision.
func (s *Service) Decide(ctx context.Context, p *auth.Principal, findingID string, version int64, decision, comment string, o auth.Origin) (*models.FindingRemediation, error) {
	comment, fe := checkText("comment", comment, decision == DecideRequestChanges)
	if fe != nil {
		return nil, &models.ValidationError{Errors: []models.FieldError{*fe}}
	}
	if !slices.Contains([]string{DecideAcceptPlan, DecideRequestChanges, DecideAcceptComplete}, decision) {
		return nil, models.Invalid("decision", "must be one of: accept_plan, request_changes, accept_complete")
	}
	var out *models.FindingRemediation
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		f, err := models.GetFinding(ctx, tx, findingID)
		if err != nil {
			return err
		}
		rem, err := models.RemediationForFinding(ctx, tx, f.ID)
		if err != nil {
			return err
		}
		if rem.Version != version {
			out = rem
			return models.ErrConflict
		}
		var next, kind, action string
		switch decision {
		case DecideAcceptPlan:
			if rem.Status != RemPlanProposed {
				return &models.StateError{Reason: "There is no proposed plan waiting for a decision."}
			}
			next, kind, action = RemPlanAccepted, "plan_accepted", "finding.remediation_accept_plan"
		case DecideRequestChanges:
			switch rem.Status {
			case RemPlanProposed:
				next, kind = RemChangesRequested, "changes_requested"
			case RemVendorDone:
				next, kind = RemPlanAccepted, "reopened"
			default:
				return &models.StateError{Reason: "Changes can be asked for on a proposed plan or on work marked done."}
			}
			action = "finding.remediation_request_changes"
		case DecideAcceptComplete:
			switch rem.Status {
			case RemPlanProposed:
				return &models.StateError{Reason: "The vendor's proposed plan is not accepted yet: accept it or ask for changes before accepting the remediation as complete."}
			case RemClosed:
				return &models.StateError{Reason: "The remediation is already accepted as complete."}
			}
			next, kind, action = RemClosed, "accepted_closed", "finding.remediation_accept_complete"
		}
		after, err := models.UpdateRemediation(ctx, tx, rem.ID, version, map[string]any{"status": next})
		out = after
		if err != nil {
			return err
		}
		if err := models.AddRemediationEvent(ctx, tx, &models.RemediationEvent{RemediationID: rem.ID, At: s.now(), AuthorID: &p.User.ID,
			AuthorLabel: p.User.Name, Kind: kind, Text: comment}); err != nil {
			return err
		}
		if err := s.applyToFinding(ctx, tx, f, after, decision); err != nil {
			return err
		}
		if err := s.mailDecision(ctx, tx, p, f, after, kind, comment); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: action, ObjectType: "finding", ObjectID: f.ID,
			BeforeData: models.AuditJSON(map[string]any{"status": rem.Status}),
			AfterData:  models.AuditJSON(map[string]any{"status": next, "comment": comment, "plan": after.Plan, "target_date": after.TargetDate})})
	})
	if err != nil && !errors.Is(err, models.ErrConflict) {
		return nil, err
	}
	return out, err
}

// applyToFinding carries an owner's decision onto the finding: an
// accepted plan becomes its remediation plan and starts the work; an
// accepted remediation resolves it and rescores the vendor.
func (s *Service) applyToFinding(ctx context.Context, tx *gorm.DB, f *models.Finding, rem *models.FindingRemediation, decision string) error {
	set := map[string]any{}
	switch decision {
	case DecideAcceptPlan:
		set["remediation_plan"] = rem.Plan
		if f.Status == "open" {
			set["status"] = "in_progress"
		}
	case DecideAcceptComplete:
		set["status"], set["resolved_at"] = "resolved", s.now()
	default:
		return nil
	}
	after, err := models.UpdateFinding(ctx, tx, f.ID, f.Version, set)
	if err != nil {
		return err
	}
	if after.Status == "resolved" && f.Status != "resolved" {
		_, err = scoring.Recompute(ctx, tx, f.VendorID, scoring.CauseFindingClosed)
	}
	return err
}

// noticeVendorWork tells the finding's owner (the risk managers when it
// has none or the owner left) what the vendor did.
func (s *Service) noticeVendorWork(ctx context.Context, tx *gorm.DB, pt *Portal, what, text string) error {
	if s.Notify == nil {
		return nil
	}
	to, err := notify.OwnerOrRiskManagers(ctx, tx, pt.Finding.OwnerID)
	if err != nil {
		return err
	}
	return s.Notify.Emit(ctx, tx, notify.Event{Kind: "finding.remediation", Key: "finding.remediation:" + pt.Remediation.ID + ":" + models.NewID(),
		ObjectType: "finding", ObjectID: pt.Finding.ID, Link: "/findings/" + pt.Finding.ID,
		Title: fmt.Sprintf("%s %s on %q", pt.VendorName, what, pt.Finding.Title),
		Body:  fmt.Sprintf("%s at %s %s on the finding %q:\n\n%s", pt.Link.ContactEmail, pt.VendorName, what, pt.Finding.Title, text), To: to})
}

func remediationThread(rem *models.FindingRemediation) string { return "remediation:" + rem.ID }

// mailShared mails the link to the vendor contact: the only message with
// it, which the decisions' mails thread under.
func (s *Service) mailShared(ctx context.Context, tx *gorm.DB, p *auth.Principal, f *models.Finding, rem *models.FindingRemediation, l *models.RemediationLink, url string) error {
	if s.Notify == nil {
		return nil
	}
	v, err := models.GetVendor(ctx, tx, f.VendorID)
	if err != nil {
		return err
	}
	org := s.Notify.Org(ctx, tx)
	body := fmt.Sprintf("%s at %s asks %s to remediate a %s finding: %q", p.User.Name, org, v.Name, f.Severity, f.Title)
	if f.DueDate != "" {
		body += ", due " + f.DueDate
	}
	body += "."
	if rem.Message != "" {
		body += "\n\n" + rem.Message
	}
	body += fmt.Sprintf("\n\nWith the link below you can propose a remediation plan and a target date, and post progress with evidence. "+
		"It is personal to you and works until %s.\n\nQuestions? Reply to this message to reach %s.", l.ExpiresAt.Format("2 January 2006"), p.User.Name)
	return s.Notify.Emit(ctx, tx, notify.Event{Kind: "vendor.remediation", Key: "vendor.remediation:" + l.ID,
		ObjectType: "finding", ObjectID: f.ID, Link: url, Title: fmt.Sprintf("%s: remediation requested from %s", org, v.Name), Body: body,
		To: []notify.Recipient{{Email: l.ContactEmail}}, ReplyTo: &notify.Recipient{Email: p.User.Email, Name: p.User.Name},
		Thread: remediationThread(rem), StartsThread: true})
}

// mailDecision mails the owner's decision to the contact, in the link's
// thread; like the questionnaire's reminders it carries no link.
func (s *Service) mailDecision(ctx context.Context, tx *gorm.DB, p *auth.Principal, f *models.Finding, rem *models.FindingRemediation, kind, comment string) error {
	if s.Notify == nil {
		return nil
	}
	org := s.Notify.Org(ctx, tx)
	what := map[string]string{
		"plan_accepted":     "accepted your remediation plan",
		"changes_requested": "asks for changes to your remediation plan",
		"reopened":          "does not consider the remediation complete yet",
		"accepted_closed":   "accepted the remediation as complete; the finding is closed",
	}[kind]
	body := fmt.Sprintf("%s at %s %s for the finding %q.", p.User.Name, org, what, f.Title)
	if comment != "" {
		body += "\n\n" + comment
	}
	if kind != "accepted_closed" {
		body += "\n\nOpen the remediation with the link in the first message of this thread to reply. If it no longer works, reply to this message to ask " + p.User.Name + " for a new one."
	}
	return s.Notify.Emit(ctx, tx, notify.Event{Kind: "vendor.remediation_reply", Key: "vendor.remediation_reply:" + rem.ID + ":" + models.NewID(),
		ObjectType: "finding", ObjectID: f.ID, Title: fmt.Sprintf("%s: %s", org, f.Title), Body: body,
		To: []notify.Recipient{{Email: rem.ContactEmail}}, ReplyTo: &notify.Recipient{Email: p.User.Email, Name: p.User.Name},
		Thread: remediationThread(rem)})
}
