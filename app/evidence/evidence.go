// Package evidence is a vendor's evidence library: documents of a kind
// (SOC reports, certificates, pentest summaries, insurance certificates)
// with what they cover and until when, each kept in every version
// uploaded and reviewed by a risk manager. Accepted, unexpired documents
// of the kinds the vendor's tier requires (the risk model's
// required_evidence) keep the required-evidence factor of its residual
// score at zero; every change rescores the vendor in its transaction.
package evidence

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/doctext"
	"rampart/app/notify"
	"rampart/app/risk"
	"rampart/app/scoring"
	"rampart/app/soc2"
	"rampart/app/storage"
	"rampart/models"
)

// MaxFile caps one uploaded document (a SOC 2 report runs to a few MB).
const MaxFile = 25 << 20

// Field limits, in characters.
const (
	MaxTitle  = 200
	MaxIssuer = 200
	MaxScope  = 2000
	MaxReason = 2000
)

// Review statuses of a version.
const (
	Received = "received"
	InReview = "in_review"
	Accepted = "accepted"
	Rejected = "rejected"
)

// Statuses lists them in review order.
var Statuses = []string{Received, InReview, Accepted, Rejected}

// SOCValidMonths is how long after its period ends a SOC report is
// proposed to stay current when the uploader gives no expiry: the usual
// twelve months before the next report (or a bridge letter) is due.
const SOCValidMonths = 12

// Service works the library.
type Service struct {
	DB  *gorm.DB
	Now func() time.Time
	// Reverdict, when set, runs in the transaction of every change that
	// can change a document's verdict (a review, an expiry date, a new
	// version), so that the questionnaire answers standing on the document
	// are scored again with it (app/assessments cannot be imported here).
	Reverdict func(ctx context.Context, tx *gorm.DB, documentID string) error
	// Notify mails document requests to vendors; nil: none.
	Notify *notify.Notifier
	// BaseURL is the public address, for request links.
	BaseURL string
}

func (s *Service) reverdict(ctx context.Context, tx *gorm.DB, documentID string) error {
	if s.Reverdict == nil {
		return nil
	}
	return s.Reverdict(ctx, tx, documentID)
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Meta is what an uploader or reviewer says of a version; nil fields are
// left as they are.
type Meta struct {
	Kind       *string
	Title      *string
	Issuer     *string
	PeriodFrom *string
	PeriodTo   *string
	ExpiresOn  *string
	Scope      *string
}

// Read is what app/soc2 read from an uploaded SOC report, with the quotes
// behind each answer, for the reviewer to confirm.
type Read struct {
	Kind       string     `json:"kind"` // report, bridge_letter, not_a_report, or "" when the text could not be read
	Unreadable string     `json:"unreadable,omitempty"`
	Auditor    soc2.Field `json:"auditor"`
	ReportType soc2.Field `json:"report_type"`
	Period     soc2.Field `json:"period"`
	Opinion    soc2.Field `json:"opinion"`
	// The lists the review checklist is built from; absent from versions
	// read before the checklist existed.
	Subservice *soc2.List[soc2.Subservice] `json:"subservice,omitempty"`
	CUECs      *soc2.List[soc2.CUEC]       `json:"cuecs,omitempty"`
	Exceptions *soc2.List[soc2.Exception]  `json:"exceptions,omitempty"`
	Prefilled  []string                    `json:"prefilled" description:"fields set from the report because the uploader left them empty"`
	Extra      map[string]any              `json:"-"`
}

func clean(s string) string { return strings.TrimSpace(s) }

// check refuses what cannot be stored: invalid UTF-8, NUL, overlong text.
func check(field, v string, limit int) *models.ValidationError {
	switch {
	case !utf8.ValidString(v):
		return models.Invalid(field, "is not valid UTF-8 text")
	case strings.ContainsRune(v, 0):
		return models.Invalid(field, "must not contain NUL characters")
	case utf8.RuneCountInString(v) > limit:
		return models.Invalid(field, fmt.Sprintf("must be at most %d characters long", limit))
	}
	return nil
}

func checkDate(field, v string) *models.ValidationError {
	if v == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		return models.Invalid(field, "must be a date (YYYY-MM-DD)")
	}
	return nil
}

// validate checks the fields given and returns the cleaned values.
func (m *Meta) validate() error {
	errs := &models.ValidationError{}
	add := func(e *models.ValidationError) {
		if e != nil {
			errs.Errors = append(errs.Errors, e.Errors...)
		}
	}
	for _, f := range []struct {
		name  string
		v     **string
		limit int
		date  bool
	}{{"kind", &m.Kind, 40, false}, {"title", &m.Title, MaxTitle, false}, {"issuer", &m.Issuer, MaxIssuer, false},
		{"period_from", &m.PeriodFrom, 10, true}, {"period_to", &m.PeriodTo, 10, true}, {"expires_on", &m.ExpiresOn, 10, true},
		{"scope", &m.Scope, MaxScope, false}} {
		if *f.v == nil {
			continue
		}
		v := clean(**f.v)
		*f.v = &v
		if e := check(f.name, v, f.limit); e != nil {
			add(e)
			continue
		}
		if f.date {
			add(checkDate(f.name, v))
		}
	}
	if m.Kind != nil && *m.Kind != "" && risk.EvidenceLabel(*m.Kind) == "" {
		add(models.Invalid("kind", "must be one of "+strings.Join(risk.EvidenceKindKeys(), ", ")))
	}
	if len(errs.Errors) > 0 {
		return errs
	}
	return nil
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Upload is a stored upload with what was read from it.
type Upload struct {
	Item *models.EvidenceItem
	Read *Read
}

// Add stores a file as a new document of vendorID (documentID "") or as
// the next version of documentID, which must still be at version (0: do
// not check). The type comes from the content (storage.PutEvidence); a
// SOC 1/2 report's auditor, type and period prefill what the uploader
// left empty, with the quotes kept for the reviewer. A new version starts
// unreviewed. The vendor is rescored in the same transaction.
func (s *Service) Add(ctx context.Context, files storage.Store, p *auth.Principal, vendorID, documentID string, version int64,
	name string, body io.Reader, meta Meta, o auth.Origin) (*Upload, error) {
	return s.add(ctx, files, uploader{userID: p.User.ID, record: func(tx *gorm.DB, e models.AuditEvent) error {
		return auth.Record(ctx, tx, p, o, e)
	}}, vendorID, documentID, version, name, body, meta)
}

// uploader is who an upload is recorded as: a staff member, or a vendor
// contact through a request link (userID is then the requester, as the
// version's uploaded_by must name a user; the audit names the contact).
// then, when set, runs in the upload's transaction.
type uploader struct {
	userID string
	record func(tx *gorm.DB, e models.AuditEvent) error
	then   func(tx *gorm.DB, it *models.EvidenceItem) error
}

func (s *Service) add(ctx context.Context, files storage.Store, u uploader, vendorID, documentID string, version int64,
	name string, body io.Reader, meta Meta) (*Upload, error) {
	v, err := models.GetVendor(ctx, s.DB, vendorID)
	if err != nil {
		return nil, err
	}
	var prev *models.EvidenceItem
	if documentID != "" {
		if prev, err = models.GetEvidence(ctx, s.DB, v.ID, documentID); err != nil {
			return nil, err
		}
		if meta.Kind != nil && clean(*meta.Kind) != "" && clean(*meta.Kind) != prev.Kind {
			return nil, models.Invalid("kind", "a new version keeps its document's kind ("+prev.Kind+"); upload a new document instead")
		}
		meta.Kind = &prev.Kind
	}
	if err := meta.validate(); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(body, MaxFile+1))
	if err != nil {
		return nil, err
	}
	up, err := storage.PutEvidence(ctx, files, name, bytes.NewReader(data), MaxFile)
	if err != nil {
		return nil, err
	}
	read := s.readReport(data, name, up.Type, &meta)
	if str(meta.Kind) == "" {
		_ = files.Delete(context.WithoutCancel(ctx), up.Key)
		return nil, models.Invalid("kind", "is required: say what kind of document this is")
	}
	if f, t := str(meta.PeriodFrom), str(meta.PeriodTo); f != "" && t != "" && f > t {
		_ = files.Delete(context.WithoutCancel(ctx), up.Key)
		return nil, models.Invalid("period_to", "must not be before period_from")
	}
	title := str(meta.Title)
	if title == "" {
		if prev != nil {
			title = prev.Title
		} else {
			title = titleOf(str(meta.Kind), str(meta.Issuer))
		}
	}
	ver := &models.EvidenceVersion{Filename: storage.CleanName(name), ContentType: up.Type, Size: up.Size, Sha256: up.Sha256,
		StorageKey: up.Key, Issuer: str(meta.Issuer), PeriodFrom: str(meta.PeriodFrom), PeriodTo: str(meta.PeriodTo),
		ExpiresOn: str(meta.ExpiresOn), Scope: str(meta.Scope), Status: Received, UploadedBy: u.userID}
	if read != nil {
		b, _ := json.Marshal(read)
		ver.Extracted = string(b)
	}
	var out *models.EvidenceItem
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		action := "evidence.upload"
		var docID string
		if prev == nil {
			d := &models.EvidenceDocument{VendorID: v.ID, Kind: str(meta.Kind), Title: title, CreatedBy: &u.userID}
			if err := models.CreateEvidence(ctx, tx, d, ver); err != nil {
				return err
			}
			docID = d.ID
		} else {
			action = "evidence.version"
			cur, err := models.AddEvidenceVersion(ctx, tx, &prev.EvidenceDocument, version, ver)
			if err != nil {
				if cur != nil {
					prev.EvidenceDocument = *cur
				}
				return err
			}
			if title != prev.Title {
				if err := tx.Model(&models.EvidenceDocument{}).Where("id = ?", cur.ID).Update("title", title).Error; err != nil {
					return err
				}
			}
			docID = cur.ID
			if err := s.reverdict(ctx, tx, docID); err != nil {
				return err
			}
		}
		var err error
		if out, err = models.GetEvidence(ctx, tx, v.ID, docID); err != nil {
			return err
		}
		if _, err := createChecklist(ctx, tx, &out.EvidenceDocument, &out.Current, read); err != nil {
			return err
		}
		if err := u.record(tx, models.AuditEvent{Action: action, ObjectType: "vendor", ObjectID: v.ID,
			Detail: fmt.Sprintf("%s, version %d: %s", out.Title, out.CurrentVersion, ver.Filename),
			AfterData: models.AuditJSON(map[string]any{"document_id": out.ID, "kind": out.Kind, "title": out.Title, "version": out.CurrentVersion,
				"filename": ver.Filename, "content_type": ver.ContentType, "size": ver.Size, "sha256": ver.Sha256,
				"issuer": ver.Issuer, "period_from": ver.PeriodFrom, "period_to": ver.PeriodTo, "expires_on": ver.ExpiresOn, "scope": ver.Scope})}); err != nil {
			return err
		}
		if u.then != nil {
			if err := u.then(tx, out); err != nil {
				return err
			}
		}
		_, err = scoring.Recompute(ctx, tx, v.ID, scoring.CauseEvidence)
		return err
	})
	if err != nil {
		_ = files.Delete(context.WithoutCancel(ctx), up.Key)
		if prev != nil && errors.Is(err, models.ErrConflict) {
			cur, gerr := models.GetEvidence(ctx, s.DB, v.ID, prev.ID)
			if gerr == nil {
				return &Upload{Item: cur}, err
			}
		}
		return nil, err
	}
	return &Upload{Item: out, Read: read}, nil
}

func titleOf(kind, issuer string) string {
	t := risk.EvidenceLabel(kind)
	if t != "" {
		t = strings.ToUpper(t[:1]) + t[1:]
	}
	if issuer != "" {
		t += " (" + issuer + ")"
	}
	return string([]rune(t)[:min(utf8.RuneCountInString(t), MaxTitle)])
}

// socKinds are the kinds app/soc2 reads.
var socKinds = []string{"", "soc2_type1", "soc2_type2", "soc1", BridgeLetter}

// BridgeLetter is the kind of a bridge (gap) letter: management's letter
// covering the time between a SOC report's period and the next one.
const BridgeLetter = "bridge_letter"

// readable are the stored types app/doctext reads.
var readable = map[string]bool{"application/pdf": true, "text/plain": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": true}

// readReport runs app/soc2 on a SOC report (or a file of no stated kind)
// and fills meta's empty kind, issuer, period and expiry from what it
// read. Nothing is read from other kinds or unreadable files.
func (s *Service) readReport(data []byte, name, typ string, meta *Meta) *Read {
	if !slices.Contains(socKinds, str(meta.Kind)) || !readable[typ] {
		return nil
	}
	doc, err := doctext.Extract(data, name)
	if err != nil {
		return nil
	}
	r := soc2.Read(doc.Text, doc.PageStarts)
	out := &Read{Kind: r.Kind, Unreadable: r.Unreadable, Auditor: r.Auditor, ReportType: r.ReportType, Period: r.Period, Opinion: r.Opinion, Prefilled: []string{}}
	set := func(field string, p **string, v string) {
		if v != "" && str(*p) == "" {
			*p = &v
			out.Prefilled = append(out.Prefilled, field)
		}
	}
	if r.Kind == soc2.KindBridgeLetter && (str(meta.Kind) == "" || str(meta.Kind) == BridgeLetter) {
		set("kind", &meta.Kind, BridgeLetter)
		from, _ := r.Period.Normalized["from"].(string)
		to, _ := r.Period.Normalized["to"].(string)
		if r.Period.Found && checkDate("period_from", from) == nil && checkDate("period_to", to) == nil && from <= to {
			set("period_from", &meta.PeriodFrom, from)
			set("period_to", &meta.PeriodTo, to)
		}
		return out
	}
	if r.Kind != soc2.KindReport {
		return out
	}
	out.Subservice, out.CUECs, out.Exceptions = &r.Subservice, &r.CUECs, &r.Exceptions
	if r.ReportType.Found {
		fw, _ := r.ReportType.Normalized["framework"].(string)
		ty, _ := r.ReportType.Normalized["type"].(string)
		kind := ""
		switch {
		case fw == "SOC 1":
			kind = "soc1"
		case fw == "SOC 2" && ty == "Type I":
			kind = "soc2_type1"
		case fw == "SOC 2":
			kind = "soc2_type2"
		}
		set("kind", &meta.Kind, kind)
	}
	if r.Auditor.Found {
		n, _ := r.Auditor.Normalized["name"].(string)
		set("issuer", &meta.Issuer, n)
	}
	if r.Period.Found {
		from, _ := r.Period.Normalized["from"].(string)
		to, _ := r.Period.Normalized["to"].(string)
		if asOf, _ := r.Period.Normalized["as_of"].(string); asOf != "" {
			from, to = asOf, asOf
		}
		if checkDate("period_from", from) == nil && checkDate("period_to", to) == nil {
			set("period_from", &meta.PeriodFrom, from)
			set("period_to", &meta.PeriodTo, to)
			if t, err := time.Parse(time.DateOnly, to); err == nil {
				set("expires_on", &meta.ExpiresOn, t.AddDate(0, SOCValidMonths, 0).Format(time.DateOnly))
			}
		}
	}
	return out
}

// Change is a reviewer's edit of the current version: its review and
// what it says.
type Change struct {
	Meta
	Status       *string
	RejectReason *string
}

// Update applies a change to a document's current version if the
// document is still at version; a stale version is models.ErrConflict
// with the document as it is now. Accepting or rejecting records the
// reviewer; rejecting needs a reason. The vendor is rescored.
func (s *Service) Update(ctx context.Context, p *auth.Principal, vendorID, documentID string, version int64, ch Change, o auth.Origin) (*models.EvidenceItem, error) {
	it, err := models.GetEvidence(ctx, s.DB, vendorID, documentID)
	if err != nil {
		return nil, err
	}
	if ch.Kind != nil && clean(*ch.Kind) != it.Kind {
		return nil, models.Invalid("kind", "a document keeps its kind; upload a new document instead")
	}
	ch.Kind = nil
	if err := ch.Meta.validate(); err != nil {
		return nil, err
	}
	set := map[string]any{}
	before := map[string]any{}
	for _, f := range []struct {
		col string
		v   *string
		old string
	}{{"issuer", ch.Issuer, it.Current.Issuer}, {"period_from", ch.PeriodFrom, it.Current.PeriodFrom}, {"period_to", ch.PeriodTo, it.Current.PeriodTo},
		{"expires_on", ch.ExpiresOn, it.Current.ExpiresOn}, {"scope", ch.Scope, it.Current.Scope}} {
		if f.v != nil && *f.v != f.old {
			set[f.col], before[f.col] = *f.v, f.old
		}
	}
	from, to := it.Current.PeriodFrom, it.Current.PeriodTo
	if ch.PeriodFrom != nil {
		from = *ch.PeriodFrom
	}
	if ch.PeriodTo != nil {
		to = *ch.PeriodTo
	}
	if from != "" && to != "" && from > to {
		return nil, models.Invalid("period_to", "must not be before period_from")
	}
	action := "evidence.update"
	if ch.Status != nil {
		st := clean(*ch.Status)
		if !slices.Contains(Statuses, st) {
			return nil, models.Invalid("status", "must be one of "+strings.Join(Statuses, ", "))
		}
		reason := ""
		if ch.RejectReason != nil {
			reason = clean(*ch.RejectReason)
			if e := check("reject_reason", reason, MaxReason); e != nil {
				return nil, e
			}
		}
		if st == Rejected && reason == "" {
			return nil, models.Invalid("reject_reason", "is required: say why the document is rejected")
		}
		if st != Rejected {
			reason = ""
		}
		if st != it.Current.Status || reason != it.Current.RejectReason {
			set["status"], set["reject_reason"] = st, reason
			before["status"], before["reject_reason"] = it.Current.Status, it.Current.RejectReason
			now := s.now()
			set["reviewer_id"], set["reviewed_at"] = p.User.ID, now
			switch st {
			case Accepted:
				action = "evidence.accept"
			case Rejected:
				action = "evidence.reject"
			}
		}
	}
	title := it.Title
	if ch.Title != nil && *ch.Title != "" && *ch.Title != it.Title {
		title = *ch.Title
	}
	var out *models.EvidenceItem
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := models.UpdateEvidence(ctx, tx, it, version, set)
		if err != nil {
			out = cur
			return err
		}
		if title != it.Title {
			if err := tx.Model(&models.EvidenceDocument{}).Where("id = ?", it.ID).Update("title", title).Error; err != nil {
				return err
			}
			before["title"], set["title"] = it.Title, title
			cur.Title = title
		}
		out = cur
		delete(set, "reviewer_id")
		delete(set, "reviewed_at")
		if err := auth.Record(ctx, tx, p, o, models.AuditEvent{Action: action, ObjectType: "vendor", ObjectID: vendorID,
			Detail:     fmt.Sprintf("%s, version %d", cur.Title, cur.CurrentVersion),
			BeforeData: models.AuditJSON(map[string]any{"document_id": it.ID, "version": it.CurrentVersion, "fields": before}),
			AfterData:  models.AuditJSON(map[string]any{"document_id": it.ID, "version": cur.CurrentVersion, "fields": set})}); err != nil {
			return err
		}
		if _, ok := set["status"]; ok {
			err = s.reverdict(ctx, tx, it.ID)
		} else if _, ok := set["expires_on"]; ok {
			err = s.reverdict(ctx, tx, it.ID)
		}
		if err != nil {
			return err
		}
		_, err = scoring.Recompute(ctx, tx, vendorID, scoring.CauseEvidence)
		return err
	})
	if err != nil {
		if errors.Is(err, models.ErrConflict) {
			return out, err
		}
		return nil, err
	}
	return out, nil
}

// Requirements are the vendor's tier's required kinds and what it lacks.
func Requirements(ctx context.Context, db *gorm.DB, v *models.VendorRecord, today string) (risk.EvidenceGaps, int, error) {
	m, _, err := scoring.Current(ctx, db)
	if err != nil {
		return risk.EvidenceGaps{}, 0, err
	}
	held, err := models.VendorHeldEvidence(ctx, db, v.ID, today)
	if err != nil {
		return risk.EvidenceGaps{}, 0, err
	}
	tier := int(v.Tier)
	return m.TierInfo(tier).Gaps(held.Current, held.Expired), tier, nil
}
