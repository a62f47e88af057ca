// Package incidents records vendor incidents (breaches, outages) from
// notice to closure: their timeline, the findings they led to, the check of
// the vendor's notice against its contracts' confirmed breach-notification
// term, and the links through which a vendor reports one. An incident
// still open raises the vendor's residual risk (app/risk.IncidentFactor),
// so each change that could move it rescores the vendor.
package incidents

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/notify"
	"rampart/app/scoring"
	"rampart/app/vendors"
	"rampart/models"
)

// Vocabularies.
var (
	Kinds      = []string{"breach", "outage", "other"}
	Severities = []string{"critical", "high", "medium", "low"}
	Statuses   = []string{"open", "contained", "resolved", "closed"}
	EventKinds = []string{"note", "status_change"}
)

// Limits on what one incident holds.
const (
	MaxServices = 50
	MaxItemLen  = 200
)

// Service changes incidents.
type Service struct {
	DB  *gorm.DB
	Now func() time.Time
	// Notify tells staff of incidents vendors report; nil: nobody.
	Notify *notify.Notifier
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// New is an incident to record.
type New struct {
	VendorID, Title, Description, Kind, Severity string
	OccurredAt, DetectedAt, NotifiedAt           string // RFC 3339; DetectedAt and NotifiedAt may be empty
	ReportedBy                                   string
	AffectedServices, DataTypes                  []string
	RecordsAffected                              *int64
	OurActions                                   string
}

// Detail is an incident with everything its page shows.
type Detail struct {
	Incident   *models.Incident
	VendorName string
	Events     []models.IncidentEvent
	Findings   []models.Finding
	Notice     *NoticeCheck
}

func parseTime(field, v string, errs *[]models.FieldError) *time.Time {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(v))
	if err != nil {
		*errs = append(*errs, models.FieldError{Field: field, Message: "must be a date and time such as 2026-11-30T14:00:00Z"})
		return nil
	}
	t = t.UTC()
	return &t
}

func oneOf(field, v string, allowed []string, errs *[]models.FieldError) {
	if !slices.Contains(allowed, v) {
		*errs = append(*errs, models.FieldError{Field: field, Message: "must be one of: " + strings.Join(allowed, ", ")})
	}
}

// cleanList trims the items, drops empty ones and duplicates.
func cleanList(field string, in []string, allowed []string, errs *[]models.FieldError) string {
	out := []string{}
	for _, v := range in {
		v = strings.TrimSpace(v)
		if v == "" || slices.Contains(out, v) {
			continue
		}
		if len([]rune(v)) > MaxItemLen {
			*errs = append(*errs, models.FieldError{Field: field, Message: "items must be at most 200 characters"})
			continue
		}
		if allowed != nil && !slices.Contains(allowed, v) {
			*errs = append(*errs, models.FieldError{Field: field, Message: "must be from: " + strings.Join(allowed, ", ")})
			continue
		}
		out = append(out, v)
	}
	if len(out) > MaxServices {
		*errs = append(*errs, models.FieldError{Field: field, Message: "must list at most 50 items"})
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// List decodes one of an incident's JSON list columns.
func List(raw string) []string {
	out := []string{}
	_ = json.Unmarshal([]byte(raw), &out)
	return out
}

func (s *Service) validate(ctx context.Context, tx *gorm.DB, n New) (*models.Incident, error) {
	var errs []models.FieldError
	if v, err := models.GetVendor(ctx, tx, n.VendorID); err != nil || v.ArchivedAt != nil {
		errs = append(errs, models.FieldError{Field: "vendor_id", Message: "is not a current vendor"})
	}
	if strings.TrimSpace(n.Title) == "" {
		errs = append(errs, models.FieldError{Field: "title", Message: "is required"})
	}
	if n.Kind == "" {
		n.Kind = "other"
	}
	oneOf("kind", n.Kind, Kinds, &errs)
	oneOf("severity", n.Severity, Severities, &errs)
	occurred := parseTime("occurred_at", n.OccurredAt, &errs)
	if occurred == nil && strings.TrimSpace(n.OccurredAt) == "" {
		errs = append(errs, models.FieldError{Field: "occurred_at", Message: "is required"})
	}
	detected := parseTime("detected_at", n.DetectedAt, &errs)
	notified := parseTime("notified_at", n.NotifiedAt, &errs)
	if occurred != nil && occurred.After(s.now().Add(time.Hour)) {
		errs = append(errs, models.FieldError{Field: "occurred_at", Message: "cannot be in the future"})
	}
	if occurred != nil && detected != nil && detected.Before(*occurred) {
		errs = append(errs, models.FieldError{Field: "detected_at", Message: "cannot be before the incident occurred"})
	}
	if occurred != nil && notified != nil && notified.Before(*occurred) {
		errs = append(errs, models.FieldError{Field: "notified_at", Message: "cannot be before the incident occurred"})
	}
	if n.RecordsAffected != nil && *n.RecordsAffected < 0 {
		errs = append(errs, models.FieldError{Field: "records_affected", Message: "must be 0 or more"})
	}
	services := cleanList("affected_services", n.AffectedServices, nil, &errs)
	types := cleanList("data_types", n.DataTypes, vendors.DataTypes, &errs)
	if len(errs) > 0 {
		return nil, &models.ValidationError{Errors: errs}
	}
	return &models.Incident{VendorID: n.VendorID, Title: strings.TrimSpace(n.Title), Description: n.Description, Kind: n.Kind,
		Severity: n.Severity, OccurredAt: *occurred, DetectedAt: detected, NotifiedAt: notified, ReportedBy: strings.TrimSpace(n.ReportedBy),
		ReportedVia: "staff", AffectedServices: services, DataTypes: types, RecordsAffected: n.RecordsAffected, OurActions: n.OurActions,
		Status: "open"}, nil
}

// Create records an incident, opens its timeline and rescores the vendor.
func (s *Service) Create(ctx context.Context, p *auth.Principal, n New, o auth.Origin) (*models.Incident, error) {
	var out *models.Incident
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		i, err := s.validate(ctx, tx, n)
		if err != nil {
			return err
		}
		i.CreatedBy = &p.User.ID
		if err := s.store(ctx, tx, i, &p.User.ID, p.User.Name, "Incident recorded"); err != nil {
			return err
		}
		out = i
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "incident.create", ObjectType: "incident", ObjectID: i.ID,
			AfterData: models.AuditJSON(view(i))})
	})
	return out, err
}

func (s *Service) store(ctx context.Context, tx *gorm.DB, i *models.Incident, authorID *string, author, text string) error {
	if err := models.CreateIncident(ctx, tx, i); err != nil {
		return err
	}
	if err := models.AddIncidentEvent(ctx, tx, &models.IncidentEvent{IncidentID: i.ID, At: s.now(), AuthorID: authorID,
		AuthorLabel: author, Kind: "status_change", Text: text + " (open)"}); err != nil {
		return err
	}
	_, err := scoring.Recompute(ctx, tx, i.VendorID, scoring.CauseIncident)
	return err
}

// Changes are the editable fields; nil leaves a field as is, "" clears an
// optional time.
type Changes struct {
	Title, Description, Kind, Severity, Status, OccurredAt, DetectedAt, NotifiedAt, ReportedBy, OurActions *string
	AffectedServices, DataTypes                                                                            *[]string
	RecordsAffected                                                                                        *int64
	ClearRecords                                                                                           bool
}

// Update changes an incident at version. A status change is written to the
// timeline; a change of status or severity rescores the vendor. On a stale
// version it returns the current incident with ErrConflict.
func (s *Service) Update(ctx context.Context, p *auth.Principal, id string, version int64, c Changes, o auth.Origin) (*models.Incident, error) {
	var out *models.Incident
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		before, err := models.GetIncident(ctx, tx, id)
		if err != nil {
			return err
		}
		set, err := s.changeSet(before, c)
		if err != nil {
			return err
		}
		after, err := models.UpdateIncident(ctx, tx, id, version, set)
		out = after
		if err != nil {
			return err
		}
		if after.Status != before.Status {
			if err := models.AddIncidentEvent(ctx, tx, &models.IncidentEvent{IncidentID: id, At: s.now(), AuthorID: &p.User.ID,
				AuthorLabel: p.User.Name, Kind: "status_change", Text: "Status changed from " + before.Status + " to " + after.Status}); err != nil {
				return err
			}
		}
		if after.Status != before.Status || after.Severity != before.Severity {
			if _, err := scoring.Recompute(ctx, tx, after.VendorID, scoring.CauseIncident); err != nil {
				return err
			}
		}
		b, a := models.AuditDiff(view(before), view(after))
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "incident.update", ObjectType: "incident", ObjectID: id, BeforeData: b, AfterData: a})
	})
	if err != nil && !errors.Is(err, models.ErrConflict) {
		return nil, err
	}
	return out, err
}

// changeSet checks c against the incident as it stands and returns the
// columns to set, or the field errors.
func (s *Service) changeSet(before *models.Incident, c Changes) (map[string]any, error) {
	set := map[string]any{}
	var errs []models.FieldError
	text := func(field string, v *string, allowed []string) {
		if v == nil {
			return
		}
		if allowed != nil {
			oneOf(field, *v, allowed, &errs)
		}
		set[field] = strings.TrimSpace(*v)
	}
	if c.Title != nil && strings.TrimSpace(*c.Title) == "" {
		errs = append(errs, models.FieldError{Field: "title", Message: "is required"})
	}
	text("title", c.Title, nil)
	text("description", c.Description, nil)
	text("kind", c.Kind, Kinds)
	text("severity", c.Severity, Severities)
	text("status", c.Status, Statuses)
	text("reported_by", c.ReportedBy, nil)
	text("our_actions", c.OurActions, nil)
	occurred, detected, notified := before.OccurredAt, before.DetectedAt, before.NotifiedAt
	if c.OccurredAt != nil {
		if t := parseTime("occurred_at", *c.OccurredAt, &errs); t != nil {
			occurred, set["occurred_at"] = *t, *t
		} else if strings.TrimSpace(*c.OccurredAt) == "" {
			errs = append(errs, models.FieldError{Field: "occurred_at", Message: "is required"})
		}
	}
	for _, tf := range []struct {
		field string
		v     *string
		dst   **time.Time
	}{{"detected_at", c.DetectedAt, &detected}, {"notified_at", c.NotifiedAt, &notified}} {
		if tf.v == nil {
			continue
		}
		t := parseTime(tf.field, *tf.v, &errs)
		*tf.dst = t
		set[tf.field] = t
	}
	if detected != nil && detected.Before(occurred) {
		errs = append(errs, models.FieldError{Field: "detected_at", Message: "cannot be before the incident occurred"})
	}
	if notified != nil && notified.Before(occurred) {
		errs = append(errs, models.FieldError{Field: "notified_at", Message: "cannot be before the incident occurred"})
	}
	if c.AffectedServices != nil {
		set["affected_services"] = cleanList("affected_services", *c.AffectedServices, nil, &errs)
	}
	if c.DataTypes != nil {
		set["data_types"] = cleanList("data_types", *c.DataTypes, vendors.DataTypes, &errs)
	}
	if c.RecordsAffected != nil {
		if *c.RecordsAffected < 0 {
			errs = append(errs, models.FieldError{Field: "records_affected", Message: "must be 0 or more"})
		}
		set["records_affected"] = *c.RecordsAffected
	} else if c.ClearRecords {
		set["records_affected"] = nil
	}
	if len(errs) > 0 {
		return nil, &models.ValidationError{Errors: errs}
	}
	if c.Status != nil && *c.Status != before.Status {
		if slices.Contains(models.OpenIncidentStatuses, *c.Status) {
			set["closed_at"] = nil
		} else if before.ClosedAt == nil {
			set["closed_at"] = s.now()
		}
	}
	return set, nil
}

func view(i *models.Incident) map[string]any {
	ts := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	var records any
	if i.RecordsAffected != nil {
		records = *i.RecordsAffected
	}
	return map[string]any{"vendor_id": i.VendorID, "title": i.Title, "kind": i.Kind, "severity": i.Severity, "status": i.Status,
		"occurred_at": i.OccurredAt.UTC().Format(time.RFC3339), "detected_at": ts(i.DetectedAt), "notified_at": ts(i.NotifiedAt),
		"reported_by": i.ReportedBy, "affected_services": i.AffectedServices, "data_types": i.DataTypes, "records_affected": records,
		"our_actions": i.OurActions}
}

// AddNote writes a note to the incident's timeline, at the time given (an
// event learnt of later) or now.
func (s *Service) AddNote(ctx context.Context, p *auth.Principal, id, text, at string, o auth.Origin) (*models.IncidentEvent, error) {
	var errs []models.FieldError
	if strings.TrimSpace(text) == "" {
		errs = append(errs, models.FieldError{Field: "text", Message: "is required"})
	}
	when := parseTime("at", at, &errs)
	if len(errs) > 0 {
		return nil, &models.ValidationError{Errors: errs}
	}
	if when == nil {
		now := s.now()
		when = &now
	}
	e := &models.IncidentEvent{IncidentID: id, At: *when, AuthorID: &p.User.ID, AuthorLabel: p.User.Name, Kind: "note", Text: strings.TrimSpace(text)}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := models.GetIncident(ctx, tx, id); err != nil {
			return err
		}
		if err := models.AddIncidentEvent(ctx, tx, e); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "incident.note", ObjectType: "incident", ObjectID: id,
			AfterData: models.AuditJSON(map[string]any{"at": e.At.Format(time.RFC3339), "text": e.Text})})
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// LinkFinding links one of the vendor's findings to the incident.
func (s *Service) LinkFinding(ctx context.Context, p *auth.Principal, id, findingID string, o auth.Origin) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		i, err := models.GetIncident(ctx, tx, id)
		if err != nil {
			return err
		}
		f, err := models.GetFinding(ctx, tx, findingID)
		if errors.Is(err, models.ErrNotFound) || (err == nil && f.VendorID != i.VendorID) {
			return models.Invalid("finding_id", "is not a finding of this incident's vendor")
		} else if err != nil {
			return err
		}
		if err := models.LinkIncidentFinding(ctx, tx, &models.IncidentFinding{IncidentID: id, FindingID: findingID, CreatedBy: &p.User.ID}); err != nil {
			if errors.Is(err, models.ErrConflict) {
				return models.Invalid("finding_id", "is already linked")
			}
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "incident.link_finding", ObjectType: "incident", ObjectID: id,
			AfterData: models.AuditJSON(map[string]any{"finding_id": findingID, "finding": f.Title})})
	})
}

// UnlinkFinding removes a finding's link; the finding stays.
func (s *Service) UnlinkFinding(ctx context.Context, p *auth.Principal, id, findingID string, o auth.Origin) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := models.GetIncident(ctx, tx, id); err != nil {
			return err
		}
		if err := models.UnlinkIncidentFinding(ctx, tx, id, findingID); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "incident.unlink_finding", ObjectType: "incident", ObjectID: id,
			BeforeData: models.AuditJSON(map[string]any{"finding_id": findingID})})
	})
}

// Load gathers an incident's page: timeline, linked findings, vendor name
// and the notice check.
func (s *Service) Load(ctx context.Context, id string) (*Detail, error) {
	i, err := models.GetIncident(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	d := &Detail{Incident: i}
	if d.Events, err = models.IncidentEvents(ctx, s.DB, id); err != nil {
		return nil, err
	}
	if d.Findings, err = models.IncidentFindings(ctx, s.DB, id); err != nil {
		return nil, err
	}
	names, err := models.VendorNames(ctx, s.DB, []string{i.VendorID})
	if err != nil {
		return nil, err
	}
	d.VendorName = names[i.VendorID]
	d.Notice, err = s.Notice(ctx, i)
	return d, err
}

// Notice checks the incident's notice against the vendor's confirmed
// breach-notification terms (nil when there is none).
func (s *Service) Notice(ctx context.Context, i *models.Incident) (*NoticeCheck, error) {
	rows, err := models.ConfirmedVendorTerms(ctx, s.DB, i.VendorID, "breach_notification")
	if err != nil {
		return nil, err
	}
	var terms []NoticeTerm
	for _, r := range rows {
		if t, ok := ParseNoticeTerm(r.ContractID, r.ContractTitle, r.Normalized, r.Evidence); ok {
			terms = append(terms, t)
		}
	}
	return CheckNotice(i.OccurredAt, i.DetectedAt, i.NotifiedAt, s.now(), terms), nil
}
