package evidence

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/notify"
	"rampart/app/risk"
	"rampart/app/storage"
	"rampart/models"
)

// Evidence requested from the vendor (docs/evidence.md): staff ask a
// vendor contact for a document of a kind by a due date, through a link
// of its own; the contact's upload becomes a version in the library
// (received, read like a staff upload), and the request is then uploaded.
// A request is requested, uploaded or cancelled; requested past its due
// date it shows as overdue.
const (
	RequestOpen      = "requested"
	RequestUploaded  = "uploaded"
	RequestCancelled = "cancelled"
)

// RequestTokenPrefix starts every document request link's token.
const RequestTokenPrefix = "rpe_"

// MaxRequestMessage caps a request's message, in characters.
const MaxRequestMessage = 5000

// requestGrace keeps a link working this long past its due date, so a
// late document still arrives through it.
const requestGrace = 30 * 24 * time.Hour

// ErrRequestLinkClosed means the link is unknown, cancelled or expired (or
// its vendor archived); the portal answers 404 for all alike.
var ErrRequestLinkClosed = errors.New("this link is not valid")

// RequestURL is the address the vendor contact opens with token.
func RequestURL(baseURL, token string) string {
	return strings.TrimRight(baseURL, "/") + "/portal/evidence/" + token
}

// Request asks the vendor's contact for a document of kind by due and
// mails the link. The token is returned once; only its hash is stored.
func (s *Service) Request(ctx context.Context, p *auth.Principal, vendorID, kind, email, due, message string, o auth.Origin) (*models.EvidenceRequest, string, error) {
	var errs []models.FieldError
	if risk.EvidenceLabel(kind) == "" {
		errs = append(errs, models.FieldError{Field: "kind", Message: "must be one of " + strings.Join(risk.EvidenceKindKeys(), ", ")})
	}
	email = models.NormalizeEmail(email)
	if a, err := mail.ParseAddress(email); email == "" || err != nil || a.Address != email {
		errs = append(errs, models.FieldError{Field: "contact_email", Message: "must be an email address"})
	}
	today := s.now().Format(time.DateOnly)
	d, err := time.Parse(time.DateOnly, due)
	if err != nil || d.Format(time.DateOnly) != due {
		errs = append(errs, models.FieldError{Field: "due_date", Message: "must be a date such as 2027-01-31"})
	} else if due < today {
		errs = append(errs, models.FieldError{Field: "due_date", Message: "must not be in the past"})
	}
	message = strings.TrimSpace(message)
	if !utf8.ValidString(message) || strings.ContainsRune(message, 0) {
		errs = append(errs, models.FieldError{Field: "message", Message: "must be plain text"})
	} else if utf8.RuneCountInString(message) > MaxRequestMessage {
		errs = append(errs, models.FieldError{Field: "message", Message: fmt.Sprintf("must be at most %d characters long", MaxRequestMessage)})
	}
	if len(errs) > 0 {
		return nil, "", &models.ValidationError{Errors: errs}
	}
	token, hash := auth.NewLinkToken(RequestTokenPrefix)
	expires := d.Add(24*time.Hour + requestGrace)
	if min := s.now().Add(requestGrace); expires.Before(min) {
		expires = min
	}
	r := &models.EvidenceRequest{VendorID: vendorID, Kind: kind, ContactEmail: email, Message: message, DueDate: due, Status: RequestOpen,
		TokenHash: hash, ExpiresAt: expires, CreatedBy: &p.User.ID}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		v, err := models.GetVendor(ctx, tx, vendorID)
		if err != nil {
			return err
		}
		if err := models.CreateEvidenceRequest(ctx, tx, r); err != nil {
			return err
		}
		if err := s.mailRequest(ctx, tx, p, v.Name, r, RequestURL(s.BaseURL, token)); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "evidence.request", ObjectType: "vendor", ObjectID: vendorID,
			Detail:    fmt.Sprintf("%s requested from %s, due %s", risk.EvidenceLabel(kind), email, due),
			AfterData: models.AuditJSON(map[string]any{"request_id": r.ID, "kind": kind, "contact_email": email, "due_date": due, "message": message})})
	})
	if err != nil {
		return nil, "", err
	}
	return r, token, nil
}

// CancelRequest withdraws a request still waiting for the vendor; its link
// stops working.
func (s *Service) CancelRequest(ctx context.Context, p *auth.Principal, vendorID, id string, o auth.Origin) (*models.EvidenceRequest, error) {
	var out *models.EvidenceRequest
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := models.GetEvidenceRequest(ctx, tx, vendorID, id)
		if err != nil {
			return err
		}
		if r.Status != RequestOpen {
			return &models.StateError{Reason: "Only a request still waiting for the vendor can be cancelled; this one is " + r.Status + "."}
		}
		if out, err = models.UpdateEvidenceRequest(ctx, tx, r.ID, r.Version, map[string]any{"status": RequestCancelled, "cancelled_at": s.now()}); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "evidence.request_cancel", ObjectType: "vendor", ObjectID: vendorID,
			Detail: fmt.Sprintf("%s request to %s", risk.EvidenceLabel(r.Kind), r.ContactEmail)})
	})
	return out, err
}

// OpenRequest returns the request behind a live link and its vendor's
// name, or ErrRequestLinkClosed. An uploaded request still opens, to
// say so.
func (s *Service) OpenRequest(ctx context.Context, db *gorm.DB, token string) (*models.EvidenceRequest, string, error) {
	if !strings.HasPrefix(token, RequestTokenPrefix) || len(token) > 100 {
		return nil, "", ErrRequestLinkClosed
	}
	r, err := models.EvidenceRequestByHash(ctx, db, auth.LinkTokenHash(token))
	if errors.Is(err, models.ErrNotFound) {
		return nil, "", ErrRequestLinkClosed
	} else if err != nil {
		return nil, "", err
	}
	now := s.now()
	if r.Status == RequestCancelled || !now.Before(r.ExpiresAt) {
		return nil, "", ErrRequestLinkClosed
	}
	v, err := models.GetVendor(ctx, db, r.VendorID)
	if err != nil || v.ArchivedAt != nil {
		return nil, "", ErrRequestLinkClosed
	}
	if r.LastUsedAt == nil || now.Sub(*r.LastUsedAt) > time.Minute {
		_ = models.TouchEvidenceRequest(ctx, db, r.ID, now)
	}
	return r, v.Name, nil
}

// FulfilRequest stores the vendor's file for the request: a new version of
// the vendor's newest document of the kind, or a new document when it has
// none, received and unreviewed, a SOC report read as on a staff upload.
// The audit names the contact; the version's uploader is the requester.
func (s *Service) FulfilRequest(ctx context.Context, files storage.Store, token, name string, body io.Reader, o auth.Origin) (*models.EvidenceRequest, *Upload, error) {
	r, _, err := s.OpenRequest(ctx, s.DB, token)
	if err != nil {
		return nil, nil, err
	}
	if r.Status != RequestOpen || r.CreatedBy == nil {
		return nil, nil, &models.StateError{Reason: "The document was already uploaded through this link; thank you."}
	}
	items, err := models.VendorEvidence(ctx, s.DB, r.VendorID)
	if err != nil {
		return nil, nil, err
	}
	var newest *models.EvidenceItem
	for i := range items {
		if items[i].Kind == r.Kind && (newest == nil || items[i].CreatedAt.After(newest.CreatedAt)) {
			newest = &items[i]
		}
	}
	docID := ""
	if newest != nil {
		docID = newest.ID
	}
	kind := r.Kind
	var out *models.EvidenceRequest
	u := uploader{userID: *r.CreatedBy,
		record: func(tx *gorm.DB, e models.AuditEvent) error {
			e.ActorType, e.ActorLabel, e.RequestID, e.ClientIP = models.ActorPortal, r.ContactEmail, o.RequestID, o.ClientIP
			e.Action, e.Detail = "evidence.request_upload", "through document request "+r.ID+": "+e.Detail
			return models.AppendAudit(ctx, tx, &e)
		},
		then: func(tx *gorm.DB, it *models.EvidenceItem) error {
			var err error
			out, err = models.UpdateEvidenceRequest(ctx, tx, r.ID, r.Version, map[string]any{"status": RequestUploaded,
				"document_id": it.ID, "version_number": it.CurrentVersion, "uploaded_at": s.now()})
			if errors.Is(err, models.ErrConflict) {
				return &models.StateError{Reason: "The request changed while the file was being uploaded (cancelled or already fulfilled); nothing was saved."}
			}
			return err
		}}
	up, err := s.add(ctx, files, u, r.VendorID, docID, 0, name, body, Meta{Kind: &kind})
	if err != nil {
		return nil, nil, err
	}
	return out, up, nil
}

// mailRequest mails the link to the contact: the only message with it.
func (s *Service) mailRequest(ctx context.Context, tx *gorm.DB, p *auth.Principal, vendorName string, r *models.EvidenceRequest, url string) error {
	if s.Notify == nil {
		return nil
	}
	org := s.Notify.Org(ctx, tx)
	label := risk.EvidenceLabel(r.Kind)
	body := fmt.Sprintf("%s at %s asks %s for its %s by %s.", p.User.Name, org, vendorName, label, r.DueDate)
	if r.Message != "" {
		body += "\n\n" + r.Message
	}
	body += fmt.Sprintf("\n\nUpload the document with the link below (PDF, image, Word, Excel or text; at most 25 MB). It is personal to you and works until %s."+
		"\n\nQuestions? Reply to this message to reach %s.", r.ExpiresAt.Format("2 January 2006"), p.User.Name)
	return s.Notify.Emit(ctx, tx, notify.Event{Kind: "vendor.evidence_request", Key: "vendor.evidence_request:" + r.ID,
		ObjectType: "vendor", ObjectID: r.VendorID, Link: url, Title: fmt.Sprintf("%s: %s requested from %s", org, label, vendorName), Body: body,
		To: []notify.Recipient{{Email: r.ContactEmail}}, ReplyTo: &notify.Recipient{Email: p.User.Email, Name: p.User.Name}})
}
