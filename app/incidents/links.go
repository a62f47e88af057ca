package incidents

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/notify"
	"rampart/models"
)

// TokenPrefix starts every incident report token; it differs from the
// questionnaire portal's, so neither kind of link opens the other's page.
const TokenPrefix = "rpi_"

// DefaultLinkLifetime is how long a report link works unless revoked.
const DefaultLinkLifetime = 90 * 24 * time.Hour

// ErrLinkClosed means the report link is unknown, revoked or expired; the
// portal answers 404 for all three alike.
var ErrLinkClosed = errors.New("this link is not valid")

// LinkURL is the address a vendor contact opens with token.
func LinkURL(baseURL, token string) string {
	return strings.TrimRight(baseURL, "/") + "/portal/incident/" + token
}

// CreateLink makes a report link for the vendor, for the contact whose
// email is given (may be empty), valid for lifetime. The token is
// returned once; only its hash is stored.
func (s *Service) CreateLink(ctx context.Context, p *auth.Principal, vendorID, email string, lifetime time.Duration, o auth.Origin) (*models.IncidentLink, string, error) {
	email = models.NormalizeEmail(email)
	if email != "" {
		if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
			return nil, "", models.Invalid("contact_email", "must be an email address")
		}
	}
	if lifetime <= 0 {
		lifetime = DefaultLinkLifetime
	}
	token, hash := auth.NewLinkToken(TokenPrefix)
	l := &models.IncidentLink{VendorID: vendorID, TokenHash: hash, ContactEmail: email, ExpiresAt: s.now().Add(lifetime), CreatedBy: &p.User.ID}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := models.GetVendor(ctx, tx, vendorID); err != nil {
			return err
		}
		if err := models.CreateIncidentLink(ctx, tx, l); err != nil {
			return err
		}
		detail := "incident report link valid until " + l.ExpiresAt.Format(time.DateOnly)
		if email != "" {
			detail += " for " + email
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "incident.link_create", ObjectType: "vendor", ObjectID: vendorID, Detail: detail})
	})
	if err != nil {
		return nil, "", err
	}
	return l, token, nil
}

// RevokeLink stops one of the vendor's report links.
func (s *Service) RevokeLink(ctx context.Context, p *auth.Principal, vendorID, linkID string, o auth.Origin) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.RevokeIncidentLink(ctx, tx, vendorID, linkID, s.now()); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "incident.link_revoke", ObjectType: "vendor", ObjectID: vendorID, Detail: "link " + linkID})
	})
}

// OpenLink returns the live link behind token and its vendor's name, or
// ErrLinkClosed.
func (s *Service) OpenLink(ctx context.Context, token string) (*models.IncidentLink, string, error) {
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > 100 {
		return nil, "", ErrLinkClosed
	}
	l, err := models.IncidentLinkByHash(ctx, s.DB, auth.LinkTokenHash(token))
	if errors.Is(err, models.ErrNotFound) {
		return nil, "", ErrLinkClosed
	} else if err != nil {
		return nil, "", err
	}
	now := s.now()
	if l.RevokedAt != nil || !now.Before(l.ExpiresAt) {
		return nil, "", ErrLinkClosed
	}
	v, err := models.GetVendor(ctx, s.DB, l.VendorID)
	if err != nil || v.ArchivedAt != nil {
		return nil, "", ErrLinkClosed
	}
	if l.LastUsedAt == nil || now.Sub(*l.LastUsedAt) > time.Minute {
		_ = models.TouchIncidentLink(ctx, s.DB, l.ID, now)
	}
	return l, v.Name, nil
}

// Report is what a vendor contact tells through a report link.
type Report struct {
	Title, Description, Kind, Severity, OccurredAt, DetectedAt string
	AffectedServices, DataTypes                                []string
	RecordsAffected                                            *int64
	ContactName, ContactEmail                                  string
}

// ReportIncident records the incident a vendor contact reports: notified
// now, reported by the contact, audited with the portal as the actor. The
// vendor's severity is taken as given (staff may change it); without one
// it is medium.
func (s *Service) ReportIncident(ctx context.Context, token string, r Report, o auth.Origin) (*models.Incident, error) {
	l, _, err := s.OpenLink(ctx, token)
	if err != nil {
		return nil, err
	}
	var errs []models.FieldError
	name, email := strings.TrimSpace(r.ContactName), models.NormalizeEmail(r.ContactEmail)
	if name == "" {
		errs = append(errs, models.FieldError{Field: "contact_name", Message: "is required"})
	}
	if a, err := mail.ParseAddress(email); email == "" || err != nil || a.Address != email {
		errs = append(errs, models.FieldError{Field: "contact_email", Message: "must be an email address"})
	}
	if r.Severity == "" {
		r.Severity = "medium"
	}
	var out *models.Incident
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		i, verr := s.validate(ctx, tx, New{VendorID: l.VendorID, Title: r.Title, Description: r.Description, Kind: r.Kind, Severity: r.Severity,
			OccurredAt: r.OccurredAt, DetectedAt: r.DetectedAt, NotifiedAt: s.now().Format(time.RFC3339),
			AffectedServices: r.AffectedServices, DataTypes: r.DataTypes, RecordsAffected: r.RecordsAffected})
		var ve *models.ValidationError
		if errors.As(verr, &ve) {
			errs = append(errs, ve.Errors...)
		} else if verr != nil {
			return verr
		}
		if len(errs) > 0 {
			return &models.ValidationError{Errors: errs}
		}
		i.ReportedBy, i.ReportedVia = name+" <"+email+">", "portal"
		label := name + " <" + email + "> (vendor portal)"
		if err := s.store(ctx, tx, i, nil, label, "Reported by the vendor through an incident report link"); err != nil {
			return err
		}
		out = i
		if err := s.noticeReported(ctx, tx, i, name, email); err != nil {
			return err
		}
		return models.AppendAudit(ctx, tx, &models.AuditEvent{ActorType: models.ActorPortal, ActorLabel: email, Action: "incident.report",
			ObjectType: "incident", ObjectID: i.ID, RequestID: o.RequestID, ClientIP: o.ClientIP,
			Detail: "through report link " + l.ID, AfterData: models.AuditJSON(view(i))})
	})
	return out, err
}

// noticeReported tells the vendor's owner (the risk managers when it has
// none, or the owner left) that the vendor reported an incident.
func (s *Service) noticeReported(ctx context.Context, tx *gorm.DB, i *models.Incident, name, email string) error {
	if s.Notify == nil {
		return nil
	}
	v, err := models.GetVendor(ctx, tx, i.VendorID)
	if err != nil {
		return err
	}
	to, err := notify.OwnerOrRiskManagers(ctx, tx, v.OwnerID)
	if err != nil {
		return err
	}
	body := fmt.Sprintf("%s <%s> reported a %s %s at %s through an incident report link: %s", name, email, i.Severity, i.Kind, v.Name, i.Title)
	return s.Notify.Emit(ctx, tx, notify.Event{Kind: "incident.reported", Key: "incident.reported:" + i.ID, ObjectType: "incident", ObjectID: i.ID,
		Link: "/incidents/" + i.ID, Title: "Incident reported by " + v.Name + ": " + i.Title, Body: body, To: to})
}
