package evidence

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/findings"
	"rampart/app/scoring"
	"rampart/app/soc2"
	"rampart/models"
)

// The review checklist of a SOC report: built from what app/soc2 read
// (period, opinion, each exception, each CUEC, each subservice
// organization), each item decided by the reviewer against its quote.

// Checklist item kinds.
const (
	ItemPeriod     = "period"
	ItemOpinion    = "opinion"
	ItemException  = "exception"
	ItemCUEC       = "cuec"
	ItemSubservice = "subservice"
)

// Decisions on an item; which apply depends on its kind (Decisions).
const (
	DecisionPass          = "pass"
	DecisionBridgeLetter  = "bridge_letter"
	DecisionAccepted      = "accepted"
	DecisionFinding       = "finding"
	DecisionMapped        = "mapped"
	DecisionNotApplicable = "not_applicable"
	DecisionLinked        = "linked"
	DecisionFlagged       = "flagged"
	DecisionInfo          = "info"
)

// Decisions lists, per item kind, the decisions a reviewer may take.
var Decisions = map[string][]string{
	ItemPeriod:     {DecisionPass, DecisionBridgeLetter, DecisionAccepted, DecisionFinding},
	ItemOpinion:    {DecisionPass, DecisionAccepted, DecisionFinding},
	ItemException:  {DecisionAccepted, DecisionFinding},
	ItemCUEC:       {DecisionMapped, DecisionNotApplicable},
	ItemSubservice: {DecisionLinked, DecisionFlagged},
}

// Checklist outcomes, once completed.
const (
	OutcomePassed   = "passed"
	OutcomeAccepted = "accepted"
	OutcomeFindings = "findings"
)

// MaxControlRef caps the internal control reference of a CUEC.
const MaxControlRef = 200

// SOCReview is a checklist with its items and what the period rule says
// today.
type SOCReview struct {
	models.SOCReview
	Items    []models.SOCReviewItem
	Summary  models.SOCReviewSummary
	Document *models.EvidenceItem
	Report   *models.EvidenceVersion
	// PeriodEnd is the version's period end (a Type I's as-of date);
	// CoveredUntil is the last day the period rule lets it count.
	PeriodEnd, CoveredUntil string
	PeriodCovered           bool
}

// covers applies the period rule: a report (or bridge letter) whose
// period ends on end counts for SOCValidMonths after it, so it covers
// today when end + 12 months is today or later.
func covers(end string, today time.Time) (until string, ok bool) {
	t, err := time.Parse(time.DateOnly, end)
	if err != nil {
		return "", false
	}
	until = t.AddDate(0, SOCValidMonths, 0).Format(time.DateOnly)
	return until, until >= today.UTC().Format(time.DateOnly)
}

func isSOCKind(kind string) bool {
	return kind == "soc2_type1" || kind == "soc2_type2" || kind == "soc1"
}

func firstQuote(ev []soc2.Evidence) (string, int64) {
	if len(ev) == 0 {
		return "", 0
	}
	return ev[0].Quote, int64(ev[0].Page)
}

// checklistItems builds the items from what was read.
func checklistItems(r *Read) []models.SOCReviewItem {
	var items []models.SOCReviewItem
	q, pg := firstQuote(r.Period.Evidence)
	items = append(items, models.SOCReviewItem{Kind: ItemPeriod, RefIndex: -1, Label: "The period covers the last 12 months", Quote: q, Page: pg})
	q, pg = firstQuote(r.Opinion.Evidence)
	op, _ := r.Opinion.Normalized["opinion"].(string)
	it := models.SOCReviewItem{Kind: ItemOpinion, RefIndex: -1, Label: "Opinion: not read", Quote: q, Page: pg}
	if op != "" {
		it.Label = "Opinion: " + op
		it.Control = op
	}
	if op == soc2.Unqualified {
		it.Proposed = DecisionPass
	}
	items = append(items, it)
	if r.Exceptions != nil {
		for i, e := range r.Exceptions.Items {
			items = append(items, models.SOCReviewItem{Kind: ItemException, RefIndex: int64(i), Label: e.Wording, Control: e.Control,
				Quote: e.Evidence.Quote, Page: int64(e.Evidence.Page)})
		}
	}
	if r.CUECs != nil {
		for i, c := range r.CUECs.Items {
			items = append(items, models.SOCReviewItem{Kind: ItemCUEC, RefIndex: int64(i), Label: c.Text, Quote: c.Evidence.Quote, Page: int64(c.Evidence.Page)})
		}
	}
	if r.Subservice != nil {
		for i, sub := range r.Subservice.Items {
			q, pg := firstQuote(sub.Evidence)
			it := models.SOCReviewItem{Kind: ItemSubservice, RefIndex: int64(i), Label: sub.Name, Method: sub.Method, Quote: q, Page: pg}
			// Inclusive organizations were examined with the vendor: listed
			// for information. One whose method the report does not state
			// is treated as carved out, the case that needs work.
			if sub.Method == soc2.Inclusive {
				it.Proposed, it.Decision = DecisionInfo, DecisionInfo
			}
			items = append(items, it)
		}
	}
	return items
}

// summarize counts the decisions.
func summarize(rv *models.SOCReview, items []models.SOCReviewItem) models.SOCReviewSummary {
	s := models.SOCReviewSummary{Framework: rv.Framework, Status: rv.Status}
	for _, it := range items {
		if it.Decision == DecisionInfo {
			continue
		}
		s.Total++
		if it.Decision != "" {
			s.Decided++
		}
		if it.Decision == DecisionFinding {
			s.Findings++
		}
		switch it.Kind {
		case ItemPeriod:
			s.PeriodDecision = it.Decision
		case ItemOpinion:
			s.Opinion, s.OpinionDecision = it.Control, it.Decision
		case ItemException:
			s.Exceptions++
			switch it.Decision {
			case DecisionAccepted:
				s.ExceptionsAccepted++
			case DecisionFinding:
				s.ExceptionFindings++
			}
		case ItemCUEC:
			s.CUECs++
			switch it.Decision {
			case DecisionMapped:
				s.CUECsMapped++
			case DecisionNotApplicable:
				s.CUECsNotApplicable++
			}
		case ItemSubservice:
			s.CarveOuts++
			switch it.Decision {
			case DecisionLinked:
				s.CarveOutsLinked++
			case DecisionFlagged:
				s.CarveOutsFlagged++
			}
		}
	}
	return s
}

func summaryJSON(s models.SOCReviewSummary) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func framework(r *Read) string {
	if fw, _ := r.ReportType.Normalized["framework"].(string); fw != "" {
		return fw
	}
	return "SOC"
}

// createChecklist builds the checklist of version v of document d from
// what was read, in tx. A version that is no read SOC report gets none.
func createChecklist(ctx context.Context, tx *gorm.DB, d *models.EvidenceDocument, v *models.EvidenceVersion, r *Read) (*models.SOCReview, error) {
	if r == nil || r.Kind != soc2.KindReport || !isSOCKind(d.Kind) {
		return nil, nil
	}
	items := checklistItems(r)
	rv := &models.SOCReview{VendorID: d.VendorID, DocumentID: d.ID, VersionID: v.ID, Framework: framework(r), Status: "open", Version: 1}
	rv.Summary = summaryJSON(summarize(rv, items))
	if err := models.CreateSOCReview(ctx, tx, rv, items); err != nil {
		return nil, err
	}
	return rv, nil
}

// storedRead is what was read from a version, nil when nothing was.
func storedRead(v *models.EvidenceVersion) *Read {
	if v.Extracted == "" {
		return nil
	}
	var r Read
	if json.Unmarshal([]byte(v.Extracted), &r) != nil {
		return nil
	}
	return &r
}

// locate finds the vendor's document and version number n: another
// vendor's document is ErrNotFound.
func (s *Service) locate(ctx context.Context, db *gorm.DB, vendorID, documentID string, n int64) (*models.EvidenceItem, *models.EvidenceVersion, error) {
	it, err := models.GetEvidence(ctx, db, vendorID, documentID)
	if err != nil {
		return nil, nil, err
	}
	v, err := models.EvidenceVersionByNumber(ctx, db, it.ID, n)
	if err != nil {
		return nil, nil, err
	}
	return it, v, nil
}

// Checklist returns the review checklist of version n of a vendor's
// document. A SOC report read before checklists existed gets its
// checklist now, from what was stored of the reading. A version that is
// no read SOC report has none: ErrNotFound.
func (s *Service) Checklist(ctx context.Context, vendorID, documentID string, n int64) (*SOCReview, error) {
	it, v, err := s.locate(ctx, s.DB, vendorID, documentID, n)
	if err != nil {
		return nil, err
	}
	rv, err := models.SOCReviewOfVersion(ctx, s.DB, v.ID)
	if errors.Is(err, models.ErrNotFound) {
		rv, err = createChecklist(ctx, s.DB, &it.EvidenceDocument, v, storedRead(v))
		if errors.Is(err, models.ErrConflict) { // created meanwhile by another request
			rv, err = models.SOCReviewOfVersion(ctx, s.DB, v.ID)
		}
		if err == nil && rv == nil {
			err = models.ErrNotFound
		}
	}
	if err != nil {
		return nil, err
	}
	return s.view(ctx, s.DB, it, v, rv)
}

func (s *Service) view(ctx context.Context, db *gorm.DB, it *models.EvidenceItem, v *models.EvidenceVersion, rv *models.SOCReview) (*SOCReview, error) {
	items, err := models.SOCReviewItems(ctx, db, rv.ID)
	if err != nil {
		return nil, err
	}
	out := &SOCReview{SOCReview: *rv, Items: items, Summary: summarize(rv, items), Document: it, Report: v, PeriodEnd: v.PeriodTo}
	out.CoveredUntil, out.PeriodCovered = covers(v.PeriodTo, s.now())
	return out, nil
}

// Decision is a reviewer's decision on one item.
type Decision struct {
	Decision         string
	Reason           string
	Severity         string
	OwnerID          string
	ControlRef       string
	LinkedVendorID   string
	BridgeDocumentID string
}

func (d *Decision) clean() error {
	d.Decision, d.Reason, d.Severity = clean(d.Decision), clean(d.Reason), clean(d.Severity)
	d.OwnerID, d.ControlRef = clean(d.OwnerID), clean(d.ControlRef)
	d.LinkedVendorID, d.BridgeDocumentID = clean(d.LinkedVendorID), clean(d.BridgeDocumentID)
	errs := &models.ValidationError{}
	for _, f := range []struct {
		name, v string
		limit   int
	}{{"decision", d.Decision, 40}, {"reason", d.Reason, MaxReason}, {"severity", d.Severity, 40}, {"owner_id", d.OwnerID, 64},
		{"control_ref", d.ControlRef, MaxControlRef}, {"linked_vendor_id", d.LinkedVendorID, 64}, {"bridge_document_id", d.BridgeDocumentID, 64}} {
		if e := check(f.name, f.v, f.limit); e != nil {
			errs.Errors = append(errs.Errors, e.Errors...)
		}
	}
	if len(errs.Errors) > 0 {
		return errs
	}
	return nil
}

// Decide records a decision on one item if the item is still at version;
// a stale version is models.ErrConflict with the checklist as it is now.
// Turning an item into a finding raises the finding (source
// soc2_review) in the same transaction; linking a carved-out organization
// to a vendor records that vendor as this vendor's subprocessor (a
// fourth-party link), reusing a link or a row of the same name.
func (s *Service) Decide(ctx context.Context, p *auth.Principal, vendorID, documentID string, n int64, itemID string, version int64, d Decision, o auth.Origin) (*SOCReview, error) {
	cur, err := s.Checklist(ctx, vendorID, documentID, n)
	if err != nil {
		return nil, err
	}
	idx := slices.IndexFunc(cur.Items, func(it models.SOCReviewItem) bool { return it.ID == itemID })
	if idx < 0 {
		return nil, models.ErrNotFound
	}
	item := cur.Items[idx]
	if err := d.clean(); err != nil {
		return nil, err
	}
	if cur.Status == "completed" {
		return nil, models.Invalid("decision", "the checklist is completed; its decisions stay as they are")
	}
	if item.Version != version {
		return cur, models.ErrConflict
	}
	if item.Decision == DecisionFinding {
		return nil, models.Invalid("decision", "this item was turned into a finding; work the finding instead")
	}
	allowed := Decisions[item.Kind]
	if item.Decision == DecisionInfo || !slices.Contains(allowed, d.Decision) {
		if item.Decision == DecisionInfo {
			return nil, models.Invalid("decision", "an inclusive subservice organization is listed for information and needs no decision")
		}
		return nil, models.Invalid("decision", "must be one of "+strings.Join(allowed, ", "))
	}
	set := map[string]any{"decision": d.Decision, "reason": "", "owner_id": nil, "control_ref": "", "linked_vendor_id": nil,
		"bridge_document_id": nil, "decided_by": p.User.ID, "decided_at": s.now()}
	needReason := func(why string) error {
		if d.Reason == "" {
			return models.Invalid("reason", "is required: say "+why)
		}
		set["reason"] = d.Reason
		return nil
	}
	var bridge *models.EvidenceItem
	var linked *models.VendorRecord
	switch d.Decision {
	case DecisionPass:
		switch {
		case item.Kind == ItemPeriod && !cur.PeriodCovered:
			return nil, models.Invalid("decision", periodShort(cur))
		case item.Kind == ItemOpinion && item.Proposed != DecisionPass:
			return nil, models.Invalid("decision", "only an unqualified opinion passes; accept this one with a reason or turn it into a finding")
		}
	case DecisionBridgeLetter:
		if d.BridgeDocumentID == "" {
			return nil, models.Invalid("bridge_document_id", "is required: the bridge letter in the vendor's library")
		}
		if bridge, err = models.GetEvidence(ctx, s.DB, vendorID, d.BridgeDocumentID); err != nil || bridge.Kind != BridgeLetter {
			return nil, models.Invalid("bridge_document_id", "is not a bridge letter in this vendor's library")
		}
		until, ok := covers(bridge.Current.PeriodTo, s.now())
		if !ok {
			msg := "the bridge letter states no period end; correct its period first"
			if until != "" {
				msg = "the bridge letter's period ends " + bridge.Current.PeriodTo + ", so it covers only until " + until
			}
			return nil, models.Invalid("bridge_document_id", msg)
		}
		set["bridge_document_id"] = bridge.ID
		set["reason"] = d.Reason
	case DecisionAccepted:
		if err := needReason("why it is accepted"); err != nil {
			return nil, err
		}
	case DecisionFlagged:
		if err := needReason("what is wrong or what to follow up"); err != nil {
			return nil, err
		}
	case DecisionNotApplicable:
		if err := needReason("why the control does not apply to you"); err != nil {
			return nil, err
		}
	case DecisionFinding:
		if !slices.Contains(findings.Severities, d.Severity) {
			return nil, models.Invalid("severity", "must be one of "+strings.Join(findings.Severities, ", "))
		}
		set["reason"] = d.Reason
	case DecisionMapped:
		if d.OwnerID == "" && d.ControlRef == "" {
			return nil, models.Invalid("owner_id", "is required unless control_ref is given: map the CUEC to an owner or an internal control")
		}
		if d.OwnerID != "" {
			u, err := models.UserByID(ctx, s.DB, d.OwnerID)
			if err != nil || !u.Active {
				return nil, models.Invalid("owner_id", "is not an active user")
			}
			set["owner_id"] = u.ID
		}
		set["control_ref"] = d.ControlRef
		set["reason"] = d.Reason
	case DecisionLinked:
		if d.LinkedVendorID == "" {
			return nil, models.Invalid("linked_vendor_id", "is required: the subservice organization's vendor record")
		}
		if d.LinkedVendorID == vendorID {
			return nil, models.Invalid("linked_vendor_id", "cannot be the vendor itself")
		}
		if linked, err = models.GetVendor(ctx, s.DB, d.LinkedVendorID); err != nil {
			return nil, models.Invalid("linked_vendor_id", "is not a vendor")
		}
		set["linked_vendor_id"] = linked.ID
		set["reason"] = d.Reason
	}
	var out *SOCReview
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if d.Decision == DecisionFinding {
			f, err := (&findings.Service{DB: tx, Now: s.Now}).CreateIn(ctx, tx, p, findingFor(cur, &item, d), o)
			if err != nil {
				return err
			}
			set["finding_id"] = f.ID
		}
		if linked != nil {
			if err := linkSubprocessor(ctx, tx, vendorID, linked, item.Label); err != nil {
				return err
			}
		}
		if _, err := models.UpdateSOCReviewItem(ctx, tx, item.ID, version, set); err != nil {
			return err
		}
		items, err := models.SOCReviewItems(ctx, tx, cur.ID)
		if err != nil {
			return err
		}
		rv, err := models.UpdateSOCReview(ctx, tx, cur.ID, 0, map[string]any{"summary": summaryJSON(summarize(&cur.SOCReview, items))})
		if err != nil {
			return err
		}
		after := map[string]any{"document_id": documentID, "version": n, "item_id": item.ID, "kind": item.Kind, "label": item.Label,
			"control": item.Control, "decision": d.Decision, "reason": set["reason"]}
		for _, k := range []string{"finding_id", "owner_id", "control_ref", "linked_vendor_id", "bridge_document_id"} {
			if v, ok := set[k]; ok && v != nil && v != "" {
				after[k] = v
			}
		}
		if d.Decision == DecisionFinding {
			after["severity"] = d.Severity
		}
		if err := auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "soc_review.decide", ObjectType: "vendor", ObjectID: vendorID,
			Detail:     fmt.Sprintf("%s, version %d: %s %q: %s", cur.Document.Title, n, item.Kind, clip(item.Label, 80), d.Decision),
			BeforeData: models.AuditJSON(map[string]any{"item_id": item.ID, "decision": item.Decision, "reason": item.Reason}),
			AfterData:  models.AuditJSON(after)}); err != nil {
			return err
		}
		if _, err := scoring.Recompute(ctx, tx, vendorID, scoring.CauseEvidence); err != nil {
			return err
		}
		out, err = s.view(ctx, tx, cur.Document, cur.Report, rv)
		return err
	})
	if err != nil {
		if errors.Is(err, models.ErrConflict) {
			now, gerr := s.Checklist(ctx, vendorID, documentID, n)
			if gerr == nil {
				return now, err
			}
		}
		return nil, err
	}
	return out, nil
}

func periodShort(cur *SOCReview) string {
	if cur.PeriodEnd == "" {
		return "the report states no period end; correct the document's period, link a bridge letter, accept with a reason or turn it into a finding"
	}
	return "the period ends " + cur.PeriodEnd + " and counts only until " + cur.CoveredUntil +
		": link a bridge letter, accept with a reason or turn it into a finding"
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// findingFor is the finding an item turns into: the control and the
// auditor's wording in the description, so the finding stands alone.
func findingFor(cur *SOCReview, item *models.SOCReviewItem, d Decision) findings.New {
	fw := cur.Framework
	var title, desc string
	switch item.Kind {
	case ItemException:
		ctl := item.Control
		if ctl == "" {
			ctl = "a control"
		}
		title = fmt.Sprintf("%s exception on %s: %s", fw, ctl, clip(item.Label, 120))
		desc = fmt.Sprintf("The %s report %q (version %d) notes an exception on control %s:\n\n%s", fw, cur.Document.Title, cur.Report.Number, ctl, item.Label)
	case ItemOpinion:
		title = fmt.Sprintf("%s report: %s", fw, strings.ToLower(item.Label))
		desc = fmt.Sprintf("The %s report %q (version %d) gives a %s opinion:\n\n%s", fw, cur.Document.Title, cur.Report.Number, item.Control, item.Quote)
	case ItemPeriod:
		title = fmt.Sprintf("%s report no longer covers the last 12 months", fw)
		desc = fmt.Sprintf("The %s report %q (version %d) covers a period ending %s; no bridge letter covers the time since.", fw, cur.Document.Title, cur.Report.Number, cur.PeriodEnd)
	default:
		title = fmt.Sprintf("%s report: %s", fw, clip(item.Label, 120))
		desc = item.Label
	}
	if d.Reason != "" {
		desc += "\n\nReviewer: " + d.Reason
	}
	return findings.New{VendorID: cur.VendorID, Title: clip(title, 200), Description: desc, Severity: d.Severity, Source: "soc2_review"}
}

// linkSubprocessor records vendor linked as a subprocessor of vendorID:
// an existing link to it is kept, a row of the report's name not yet
// linked is linked, else a row is added. The vendor's version is bumped
// so an edit of its subprocessors read before this one is refused (409)
// instead of dropping the link.
func linkSubprocessor(ctx context.Context, tx *gorm.DB, vendorID string, linked *models.VendorRecord, name string) error {
	db := tx.WithContext(ctx)
	var n int64
	if err := db.Model(&models.VendorSubprocessor{}).Where("vendor_id = ? AND linked_vendor_id = ?", vendorID, linked.ID).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	var same models.VendorSubprocessor
	if err := db.Where("vendor_id = ? AND linked_vendor_id IS NULL AND LOWER(TRIM(name)) = ?", vendorID, strings.ToLower(strings.TrimSpace(name))).
		Limit(1).Find(&same).Error; err != nil {
		return err
	}
	if same.ID != "" {
		if err := db.Model(&models.VendorSubprocessor{}).Where("id = ?", same.ID).
			Updates(map[string]any{"linked_vendor_id": linked.ID, "name": linked.Name, "updated_at": time.Now().UTC()}).Error; err != nil {
			return err
		}
	} else {
		var last struct{ N *int64 }
		if err := db.Model(&models.VendorSubprocessor{}).Select("MAX(position) AS n").Where("vendor_id = ?", vendorID).Scan(&last).Error; err != nil {
			return err
		}
		pos := int64(0)
		if last.N != nil {
			pos = *last.N + 1
		}
		sp := &models.VendorSubprocessor{VendorID: vendorID, Position: pos, LinkedVendorID: &linked.ID, Name: linked.Name,
			Purpose: "Subservice organization carved out of its SOC report", DataTypes: models.StringList{}, Locations: models.StringList{}}
		if err := db.Create(sp).Error; err != nil {
			return err
		}
	}
	return db.Model(&models.Vendor{}).Where("id = ?", vendorID).
		Updates(map[string]any{"version": gorm.Expr("version + 1"), "updated_at": time.Now().UTC()}).Error
}

// Complete closes a checklist whose every item is decided, if it is still
// at version, and records the outcome: passed (every item passed, mapped
// or linked), accepted (some accepted, flagged or not applicable, none a
// finding) or findings. Completing accepts the version it reviews when
// that is the document's current version and still unreviewed (received
// or in review): the checklist is the review.
func (s *Service) Complete(ctx context.Context, p *auth.Principal, vendorID, documentID string, n int64, version int64, o auth.Origin) (*SOCReview, error) {
	cur, err := s.Checklist(ctx, vendorID, documentID, n)
	if err != nil {
		return nil, err
	}
	if cur.Status == "completed" {
		return nil, models.Invalid("status", "the checklist is already completed")
	}
	if cur.Version != version {
		return cur, models.ErrConflict
	}
	if left := cur.Summary.Total - cur.Summary.Decided; left > 0 {
		return nil, models.Invalid("items", fmt.Sprintf("%d of %d items are not decided yet", left, cur.Summary.Total))
	}
	outcome, accepted := OutcomePassed, 0
	for _, it := range cur.Items {
		if it.Decision == DecisionAccepted || it.Decision == DecisionFlagged || it.Decision == DecisionNotApplicable {
			accepted++
		}
	}
	switch {
	case cur.Summary.Findings > 0:
		outcome = OutcomeFindings
	case accepted > 0:
		outcome = OutcomeAccepted
	}
	now := s.now()
	var out *SOCReview
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		done := cur.SOCReview
		done.Status = "completed"
		sum := summarize(&done, cur.Items)
		rv, err := models.UpdateSOCReview(ctx, tx, cur.ID, version, map[string]any{"status": "completed", "outcome": outcome,
			"summary": summaryJSON(sum), "completed_by": p.User.ID, "completed_at": now})
		if err != nil {
			return err
		}
		if err := auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "soc_review.complete", ObjectType: "vendor", ObjectID: vendorID,
			Detail: fmt.Sprintf("%s, version %d: %s", cur.Document.Title, n, OutcomeWords(outcome, sum, accepted)),
			AfterData: models.AuditJSON(map[string]any{"document_id": documentID, "version": n, "outcome": outcome, "findings": sum.Findings,
				"accepted": accepted, "decided": sum.Decided})}); err != nil {
			return err
		}
		v := cur.Report
		if v.Number == cur.Document.CurrentVersion && (v.Status == Received || v.Status == InReview) {
			if _, err := models.UpdateEvidence(ctx, tx, cur.Document, cur.Document.Version, map[string]any{"status": Accepted,
				"reject_reason": "", "reviewer_id": p.User.ID, "reviewed_at": now}); err != nil {
				return err
			}
			if err := auth.Record(ctx, tx, p, o, models.AuditEvent{Action: "evidence.accept", ObjectType: "vendor", ObjectID: vendorID,
				Detail:     fmt.Sprintf("%s, version %d (review checklist completed)", cur.Document.Title, n),
				BeforeData: models.AuditJSON(map[string]any{"document_id": documentID, "version": cur.Document.CurrentVersion, "fields": map[string]any{"status": v.Status}}),
				AfterData:  models.AuditJSON(map[string]any{"document_id": documentID, "version": cur.Document.CurrentVersion, "fields": map[string]any{"status": Accepted}})}); err != nil {
				return err
			}
			if err := s.reverdict(ctx, tx, documentID); err != nil {
				return err
			}
		}
		if _, err := scoring.Recompute(ctx, tx, vendorID, scoring.CauseEvidence); err != nil {
			return err
		}
		it, v2, err := s.locate(ctx, tx, vendorID, documentID, n)
		if err != nil {
			return err
		}
		out, err = s.view(ctx, tx, it, v2, rv)
		return err
	})
	if err != nil {
		if errors.Is(err, models.ErrConflict) {
			now, gerr := s.Checklist(ctx, vendorID, documentID, n)
			if gerr == nil {
				return now, err
			}
		}
		return nil, err
	}
	return out, nil
}

// OutcomeWords says a completed checklist's outcome: "all passed",
// "accepted with 2 exceptions", "3 findings raised".
func OutcomeWords(outcome string, s models.SOCReviewSummary, accepted int) string {
	switch outcome {
	case OutcomeFindings:
		if s.Findings == 1 {
			return "1 finding raised"
		}
		return fmt.Sprintf("%d findings raised", s.Findings)
	case OutcomeAccepted:
		if accepted == 1 {
			return "accepted with 1 exception"
		}
		return fmt.Sprintf("accepted with %d exceptions", accepted)
	case OutcomePassed:
		return "all passed"
	}
	return ""
}
