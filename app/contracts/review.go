package contracts

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
	"rampart/app/contracts/terms"
	"rampart/app/doctext"
	"rampart/app/findings"
	"rampart/app/storage"
	"rampart/models"
)

// MaxDocument caps one uploaded contract document.
const MaxDocument = 25 << 20

// Review states of a contract and of each of its terms.
const (
	ReviewNone      = "none"       // no document yet
	ReviewPending   = "pending"    // terms await legal's confirmation
	ReviewSignedOff = "signed_off" // terms confirmed and locked

	TermProposed  = "proposed"
	TermConfirmed = "confirmed"
	TermCorrected = "corrected"
)

// ReviewStatuses are the contract review states, for list filters.
var ReviewStatuses = []string{ReviewNone, ReviewPending, ReviewSignedOff}

// Upload is what storing a document did.
type Upload struct {
	Document *models.ContractDocument
	// Extracted is false when the document carried no text to read (a scan)
	// or its terms could not be read (Unreadable says why).
	Extracted bool
	// Unreadable says why the terms of a document with text were not
	// read: too little text, or a language other than English.
	Unreadable string
	// Changed lists the terms whose proposal differs from before.
	Changed []string
}

// Contract documents are PDF, Word, text or Markdown. Whatever the content
// sniffed as, the stored type is the one of the format read, so no file is
// ever served back as HTML or another active type.
var documentTypes = map[string]string{
	"pdf":  "application/pdf",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"txt":  "text/plain",
	"md":   "text/markdown",
}

// activeTypes are text formats that a browser would run; doctext would read
// them as plain text, so they are refused by their sniffed type first.
var activeTypes = map[string]bool{"text/html": true, "image/svg+xml": true, "application/xhtml+xml": true}

// extract reads a document's text and proposes its terms. It is the slow
// part of an upload (seconds for a large PDF) and runs before any
// transaction, so it never holds SQLite's write lock; tests wrap it to
// check that.
var extract = func(data []byte, name string) (doctext.Document, []terms.Term, error) {
	doc, err := doctext.Extract(data, name)
	if err != nil {
		return doc, nil, err
	}
	return doc, terms.Extract(doc.Text, doc.PageStarts), nil
}

// AddDocument stores a new version of a contract's document, extracts its
// text and proposes its key terms. Terms a reviewer already confirmed keep
// their review when the new version says the same; the rest go back to
// proposed. Extraction runs before the transaction, which only writes.
func (s *Service) AddDocument(ctx context.Context, files storage.Store, p *auth.Principal, id, name string, body io.Reader, o auth.Origin) (*Upload, error) {
	c, err := s.current(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if c.ReviewStatus == ReviewSignedOff {
		return nil, models.Invalid("file", "the review is signed off: reopen it before adding a new version")
	}
	data, err := io.ReadAll(io.LimitReader(body, MaxDocument+1))
	if err != nil {
		return nil, err
	}
	refuse := storage.Refusal{Name: name, Accepted: "a PDF, Word (.docx), text or Markdown file"}
	if len(data) > MaxDocument {
		return nil, models.Invalid("file", refuse.TooLarge("25 MB"))
	}
	if len(data) == 0 {
		return nil, models.Invalid("file", refuse.Empty())
	}
	typ, _, err := storage.Sniff(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if activeTypes[typ] {
		return nil, models.Invalid("file", refuse.WrongType(typ))
	}
	doc, proposed, xerr := extract(data, name)
	needsOCR := errors.Is(xerr, doctext.ErrNeedsOCR)
	if xerr != nil && !needsOCR {
		// doctext's errors are worded for the person uploading.
		return nil, models.Invalid("file", xerr.Error())
	}
	if doc.Format == "" {
		doc.Format = formatFromName(name)
	}
	key, size, sum, err := files.Put(ctx, bytes.NewReader(data), MaxDocument)
	if err != nil {
		return nil, err
	}
	starts, _ := json.Marshal(nonNil(doc.PageStarts))
	d := &models.ContractDocument{ContractID: c.ID, Filename: storage.CleanName(name), ContentType: documentTypes[doc.Format], Format: doc.Format,
		Size: size, Sha256: sum, StorageKey: key, Pages: int64(doc.Pages), PageStarts: string(starts), Text: doc.Text,
		NeedsOCR: needsOCR, UploadedBy: p.User.ID}
	out := &Upload{Document: d, Extracted: !needsOCR}
	if !needsOCR {
		out.Unreadable = terms.Unreadable(doc.Text)
		out.Extracted = out.Unreadable == ""
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.AddContractDocument(ctx, tx, d); err != nil {
			return err
		}
		if out.Extracted {
			changed, err := applyExtraction(ctx, tx, c.ID, d.ID, proposed)
			if err != nil {
				return err
			}
			out.Changed = changed
			if _, err := models.UpdateContract(ctx, tx, c.ID, 0, map[string]any{"review_status": ReviewPending}); err != nil {
				return err
			}
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "contract.document.add", ObjectType: "contract", ObjectID: c.ID,
			AfterData: models.AuditJSON(map[string]any{"document": d.Number, "filename": d.Filename, "sha256": sum, "size": size,
				"needs_ocr": needsOCR, "unreadable": out.Unreadable, "changed_terms": out.Changed})})
	})
	if err != nil {
		_ = files.Delete(context.WithoutCancel(ctx), key)
		return nil, err
	}
	return out, nil
}

func formatFromName(name string) string {
	n := strings.ToLower(name)
	for _, f := range []string{"pdf", "docx", "md", "txt"} {
		if strings.HasSuffix(n, "."+f) {
			return f
		}
	}
	return "txt"
}

func nonNil(xs []int) []int {
	if xs == nil {
		return []int{}
	}
	return xs
}

// applyExtraction stores the proposed terms of document docID and reports
// the keys whose proposal changed.
func applyExtraction(ctx context.Context, tx *gorm.DB, contractID, docID string, ts []terms.Term) ([]string, error) {
	existing, err := models.ContractTerms(ctx, tx, contractID)
	if err != nil {
		return nil, err
	}
	changed := []string{}
	for _, t := range ts {
		norm, _ := json.Marshal(t.Normalized)
		ev, _ := json.Marshal(t.Evidence)
		if t.Evidence == nil {
			ev = []byte("[]")
		}
		cf, _ := json.Marshal(t.Conflicts)
		if t.Conflicts == nil {
			cf = []byte("[]")
		}
		row, ok := existing[t.Key]
		same := ok && row.ExtractedFound == t.Found && row.ExtractedValue == t.Value
		if !same {
			changed = append(changed, t.Key)
		}
		// The quotes always point into the newest document.
		row.ContractID, row.TermKey, row.DocumentID = contractID, t.Key, &docID
		row.Evidence, row.Conflicts, row.Confidence = string(ev), string(cf), t.Confidence
		row.ExtractedFound, row.ExtractedValue = t.Found, t.Value
		if !same || row.ReviewState == TermProposed || row.ReviewState == "" {
			row.Found, row.Value, row.Normalized = t.Found, t.Value, string(norm)
			row.ReviewState, row.ReviewedBy, row.ReviewedAt = TermProposed, nil, nil
		}
		if ok {
			row.Version++
		} else {
			row.Version = 1
		}
		if err := models.SaveContractTerm(ctx, tx, &row); err != nil {
			return nil, err
		}
	}
	return changed, nil
}

// current returns a contract that is not archived.
func (s *Service) current(ctx context.Context, db *gorm.DB, id string) (*models.Contract, error) {
	c, err := models.GetContract(ctx, db, id)
	if err != nil {
		return nil, err
	}
	if c.ArchivedAt != nil {
		return nil, models.ErrNotFound
	}
	return c, nil
}

// TermReview is a reviewer's verdict on one term.
type TermReview struct {
	Version int64
	// Action is "confirm" (the proposal is right) or "correct".
	Action     string
	Found      *bool
	Value      *string
	Normalized map[string]any
	Note       *string
}

// ReviewTerm records a reviewer confirming or correcting one term. A
// signed-off review locks its terms.
func (s *Service) ReviewTerm(ctx context.Context, p *auth.Principal, id, key string, r TermReview, o auth.Origin) (*models.ContractTerm, error) {
	if !slices.Contains(terms.Keys, key) {
		return nil, models.ErrNotFound
	}
	var out *models.ContractTerm
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		c, err := s.current(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.ReviewStatus == ReviewSignedOff {
			return &models.ForbiddenError{Reason: "The review is signed off and its terms are locked; reopen it to change them."}
		}
		ts, err := models.ContractTerms(ctx, tx, id)
		if err != nil {
			return err
		}
		t, ok := ts[key]
		if !ok {
			return models.Invalid("key", "has no proposal yet: upload the contract's document first")
		}
		if t.Version != r.Version {
			out = &t
			return models.ErrConflict
		}
		set := map[string]any{"reviewed_by": p.User.ID, "reviewed_at": s.now()}
		if r.Note != nil {
			note := strings.TrimSpace(*r.Note)
			if utf8.RuneCountInString(note) > 2000 {
				return models.Invalid("note", "must be at most 2000 characters")
			}
			set["note"] = note
		}
		action := "contract.term.confirm"
		switch r.Action {
		case "confirm":
			set["review_state"] = TermConfirmed
		case "correct":
			action = "contract.term.correct"
			found, value, norm, err := correction(t, r)
			if err != nil {
				return err
			}
			set["review_state"], set["found"], set["value"], set["normalized"] = TermCorrected, found, value, norm
		default:
			return models.Invalid("action", "must be confirm or correct")
		}
		after, err := models.UpdateContractTerm(ctx, tx, t.ID, t.Version, set)
		out = after
		if err != nil {
			return err
		}
		ts[key] = *after
		if err := s.followTerms(ctx, tx, c, ts); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: action, ObjectType: "contract", ObjectID: id,
			BeforeData: models.AuditJSON(map[string]any{"term": key, "found": t.Found, "value": t.Value, "state": t.ReviewState}),
			AfterData:  models.AuditJSON(map[string]any{"term": key, "found": after.Found, "value": after.Value, "state": after.ReviewState, "note": after.Note})})
	})
	if err != nil && !errors.Is(err, models.ErrConflict) {
		return nil, err
	}
	return out, err
}

// correction validates a corrected value: a found term needs a value, and
// its normalized form, when given, is a small flat JSON object; when not
// given it is read from the value.
func correction(t models.ContractTerm, r TermReview) (bool, string, string, error) {
	found, value := t.Found, t.Value
	if r.Found != nil {
		found = *r.Found
	}
	if r.Value != nil {
		value = strings.TrimSpace(*r.Value)
	}
	if !found {
		return false, "", "null", nil
	}
	var errs []models.FieldError
	if value == "" {
		errs = append(errs, models.FieldError{Field: "value", Message: "is required when the term is found"})
	} else if utf8.RuneCountInString(value) > 500 {
		errs = append(errs, models.FieldError{Field: "value", Message: "must be at most 500 characters"})
	}
	norm := "null"
	if r.Normalized != nil {
		if len(r.Normalized) > 10 {
			errs = append(errs, models.FieldError{Field: "normalized", Message: "may hold at most 10 fields"})
		}
		for k, v := range r.Normalized {
			switch v.(type) {
			case string, float64, bool, nil, []any:
			default:
				errs = append(errs, models.FieldError{Field: "normalized." + k, Message: "must be a number, text, true/false or a list"})
			}
		}
		b, _ := json.Marshal(r.Normalized)
		norm = string(b)
	} else if r.Value == nil || value == t.Value {
		norm = t.Normalized
	} else if n := NormalizeValue(t.TermKey, value); n != nil {
		b, _ := json.Marshal(n)
		norm = string(b)
	}
	if len(errs) > 0 {
		return false, "", "", &models.ValidationError{Errors: errs}
	}
	return found, value, norm, nil
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// followTerms recomputes a contract's dates once a term that governs them
// is confirmed or corrected, so the cancel-by date and the calendar follow
// the document.
func (s *Service) followTerms(ctx context.Context, tx *gorm.DB, c *models.Contract, ts map[string]models.ContractTerm) error {
	next := *c
	s.computeDates(&next, ts)
	if next.CancelBy == c.CancelBy && next.CurrentTermEnd == c.CurrentTermEnd {
		return nil
	}
	_, err := models.UpdateContract(ctx, tx, c.ID, c.Version, map[string]any{"cancel_by": next.CancelBy, "current_term_end": next.CurrentTermEnd, "urgency": next.Urgency})
	return err
}

// OpenTerms lists, in the fixed order, the key terms still waiting for a
// reviewer: proposed, or not proposed at all (no document read yet).
func OpenTerms(ts map[string]models.ContractTerm) []string {
	var open []string
	for _, k := range terms.Keys {
		if t, ok := ts[k]; !ok || t.ReviewState == TermProposed {
			open = append(open, k)
		}
	}
	return open
}

// SignOffBlocker says why the review cannot be signed off now, with the
// field the refusal names; an empty reason means it can. The review page
// shows the same words on its disabled button that SignOff would answer.
// A disagreement between the record and the confirmed terms is not a
// blocker here: sign-off with a reason settles it.
func SignOffBlocker(c *models.Contract, ts map[string]models.ContractTerm) (field, reason string) {
	if len(ts) == 0 && c.ReviewStatus != ReviewSignedOff {
		return "terms", "no document has been read yet: upload the contract's document, then confirm or correct its key terms"
	}
	if c.ReviewStatus != ReviewPending {
		return "review_status", "only a pending review can be signed off"
	}
	open := OpenTerms(ts)
	if len(open) == 0 {
		return "", ""
	}
	labels := make([]string, len(open))
	for i, k := range open {
		labels[i] = TermLabel(k)
	}
	if len(open) == 1 {
		return "terms", "1 term still needs confirming or correcting: " + labels[0]
	}
	return "terms", fmt.Sprintf("%d terms still need confirming or correcting: %s", len(open), strings.Join(labels, ", "))
}

// SignOff closes legal's review: every term must have been confirmed or
// corrected. A contract in legal review moves on to approved. Where the
// record contradicts confirmed terms, sign-off needs a reason (kept in the
// audit trail), or the record corrected first.
func (s *Service) SignOff(ctx context.Context, p *auth.Principal, id string, version int64, reason string, o auth.Origin) (*models.Contract, error) {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > 2000 {
		return nil, models.Invalid("reason", "must be at most 2000 characters")
	}
	return s.moveReview(ctx, p, id, version, reason, o, func(c *models.Contract, ts map[string]models.ContractTerm) (map[string]any, error) {
		if field, why := SignOffBlocker(c, ts); why != "" {
			return nil, models.Invalid(field, why)
		}
		if ds := disagreements(c, ts); len(ds) > 0 && reason == "" {
			var parts []string
			for _, d := range ds {
				parts = append(parts, fmt.Sprintf("%s: the record says %s, the confirmed terms say %s", d.Label, d.Record, d.Confirmed))
			}
			return nil, models.Invalid("reason", "the contract record disagrees with the confirmed terms ("+strings.Join(parts, "; ")+"); take the document's values into the record, or give a reason to sign off anyway")
		}
		set := map[string]any{"review_status": ReviewSignedOff, "signed_off_by": p.User.ID, "signed_off_at": s.now()}
		if c.Status == "legal_review" {
			set["status"] = "approved"
		}
		return set, nil
	})
}

// Reopen unlocks a signed-off review; the reason is kept in the audit trail.
func (s *Service) Reopen(ctx context.Context, p *auth.Principal, id string, version int64, reason string, o auth.Origin) (*models.Contract, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, models.Invalid("reason", "is required: say why the signed-off terms must change")
	}
	if utf8.RuneCountInString(reason) > 2000 {
		return nil, models.Invalid("reason", "must be at most 2000 characters")
	}
	return s.moveReview(ctx, p, id, version, reason, o, func(c *models.Contract, _ map[string]models.ContractTerm) (map[string]any, error) {
		if c.ReviewStatus != ReviewSignedOff {
			return nil, models.Invalid("review_status", "only a signed-off review can be reopened")
		}
		return map[string]any{"review_status": ReviewPending, "signed_off_by": nil, "signed_off_at": nil}, nil
	})
}

func (s *Service) moveReview(ctx context.Context, p *auth.Principal, id string, version int64, reason string, o auth.Origin,
	next func(*models.Contract, map[string]models.ContractTerm) (map[string]any, error)) (*models.Contract, error) {
	var out *models.Contract
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		c, err := s.current(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.Version != version {
			out = c
			return models.ErrConflict
		}
		ts, err := models.ContractTerms(ctx, tx, id)
		if err != nil {
			return err
		}
		set, err := next(c, ts)
		if err != nil {
			return err
		}
		after, err := models.UpdateContract(ctx, tx, id, version, set)
		out = after
		if err != nil {
			return err
		}
		action := "contract.review.signoff"
		if after.ReviewStatus == ReviewPending {
			action = "contract.review.reopen"
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: action, ObjectType: "contract", ObjectID: id,
			BeforeData: models.AuditJSON(map[string]any{"review_status": c.ReviewStatus, "status": c.Status}),
			AfterData:  models.AuditJSON(map[string]any{"review_status": after.ReviewStatus, "status": after.Status, "reason": reason})})
	})
	if err != nil && !errors.Is(err, models.ErrConflict) {
		return nil, err
	}
	return out, err
}

// Comment adds a remark to the contract's review thread.
func (s *Service) Comment(ctx context.Context, p *auth.Principal, id, body string, o auth.Origin) (*models.ContractComment, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return nil, models.Invalid("body", "is required")
	}
	if utf8.RuneCountInString(body) > 5000 {
		return nil, models.Invalid("body", "must be at most 5000 characters")
	}
	if _, err := s.current(ctx, s.DB, id); err != nil {
		return nil, err
	}
	cm := &models.ContractComment{ContractID: id, AuthorID: p.User.ID, Body: body}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.AddContractComment(ctx, tx, cm); err != nil {
			return err
		}
		return auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "contract.comment", ObjectType: "contract", ObjectID: id,
			AfterData: models.AuditJSON(map[string]any{"comment_id": cm.ID})})
	})
	return cm, err
}

// RaiseFinding turns a term that deviates from the playbook (or is
// missing) into a finding on the vendor, once per term.
func (s *Service) RaiseFinding(ctx context.Context, p *auth.Principal, id, key, severity, description string, o auth.Origin) (*models.Finding, error) {
	if !slices.Contains(terms.Keys, key) {
		return nil, models.ErrNotFound
	}
	var out *models.Finding
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		c, err := s.current(ctx, tx, id)
		if err != nil {
			return err
		}
		ts, err := models.ContractTerms(ctx, tx, id)
		if err != nil {
			return err
		}
		t, ok := ts[key]
		if !ok {
			return models.Invalid("key", "has no proposal yet: upload the contract's document first")
		}
		if t.FindingID != nil {
			return models.Invalid("key", "already has a finding")
		}
		title := fmt.Sprintf("%s: %s", c.Title, TermLabel(key))
		if t.Found {
			title += " — " + t.Value
		} else {
			title += " missing"
		}
		if len([]rune(title)) > 200 {
			title = string([]rune(title)[:199]) + "…"
		}
		fs := &findings.Service{DB: s.DB, Now: s.Now}
		f, err := fs.CreateIn(ctx, tx, p, findings.New{VendorID: c.VendorID, QuestionKey: key, Title: title,
			Description: strings.TrimSpace(description), Severity: severity, Source: "contract", OwnerID: p.User.ID}, o)
		if err != nil {
			return err
		}
		out = f
		_, err = models.UpdateContractTerm(ctx, tx, t.ID, 0, map[string]any{"finding_id": f.ID})
		return err
	})
	return out, err
}
