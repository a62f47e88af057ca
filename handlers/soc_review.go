package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/evidence"
	"rampart/app/risk"
	"rampart/models"
)

// The review checklist of a SOC report version: one item per thing to
// check (period, opinion, exceptions, CUECs, subservice organizations),
// decided one by one, then completed.

type socReviewParam struct {
	ID         string `path:"id"`
	DocumentID string `path:"document_id"`
	Number     int64  `path:"number"`
}

type decideSOCItemRequest struct {
	ID               string `json:"-" path:"id"`
	DocumentID       string `json:"-" path:"document_id"`
	Number           int64  `json:"-" path:"number"`
	ItemID           string `json:"-" path:"item_id"`
	Version          int64  `json:"version" validate:"required,gte=1" description:"the item's version as read (409 when stale)"`
	Decision         string `json:"decision" enum:"pass,bridge_letter,accepted,finding,mapped,not_applicable,linked,flagged" description:"period: pass, bridge_letter, accepted, finding; opinion: pass, accepted, finding; exception: accepted, finding; cuec: mapped, not_applicable; subservice: linked, flagged"`
	Reason           string `json:"reason" description:"required for accepted, not_applicable and flagged (the note); at most 2000 characters"`
	Severity         string `json:"severity" enum:",critical,high,medium,low" description:"the finding's severity (finding only)"`
	OwnerID          string `json:"owner_id" description:"mapped: the internal owner of the CUEC (an active user)"`
	ControlRef       string `json:"control_ref" description:"mapped: the internal control that meets the CUEC, free text; owner_id or control_ref is required"`
	LinkedVendorID   string `json:"linked_vendor_id" description:"linked: the vendor record of the carved-out organization; it becomes this vendor's subprocessor (fourth party)"`
	BridgeDocumentID string `json:"bridge_document_id" description:"bridge_letter: a bridge_letter document of this vendor whose period ends within 12 months of today"`
}

type completeSOCReviewRequest struct {
	ID         string `json:"-" path:"id"`
	DocumentID string `json:"-" path:"document_id"`
	Number     int64  `json:"-" path:"number"`
	Version    int64  `json:"version" validate:"required,gte=1" description:"the checklist's version as read (409 when stale)"`
}

type socFindingRef struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	Status   string `json:"status"`
}

type socVendorRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type socDocumentRef struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	PeriodTo string `json:"period_to"`
}

type socReviewItemDTO struct {
	ID       string `json:"id"`
	Position int64  `json:"position"`
	Kind     string `json:"kind" enum:"period,opinion,exception,cuec,subservice"`
	// Label is what the item is about: the opinion, the auditor's wording
	// of an exception, the CUEC's text, the organization's name.
	Label   string `json:"label" description:"plain text from the report, shown as written"`
	Control string `json:"control" description:"an exception's control id; the opinion (unqualified, qualified, adverse, disclaimer) on the opinion item"`
	Method  string `json:"method" enum:",carve-out,inclusive" description:"a subservice organization's method; empty when the report does not say (treated as carved out)"`
	Quote   string `json:"quote" description:"the report's words behind the item"`
	Page    int64  `json:"page" description:"1-based page of the quote; 0 when the text has no pages"`
	// Proposed is what the report alone says: pass (an unqualified
	// opinion), info (an inclusive organization, needing no decision).
	Proposed       string          `json:"proposed" enum:",pass,info"`
	Decision       string          `json:"decision" enum:",pass,bridge_letter,accepted,finding,mapped,not_applicable,linked,flagged,info" description:"empty while undecided"`
	Decisions      []string        `json:"decisions" description:"the decisions this item takes"`
	Reason         string          `json:"reason"`
	Owner          *ownerRef       `json:"owner"`
	ControlRef     string          `json:"control_ref"`
	Finding        *socFindingRef  `json:"finding"`
	LinkedVendor   *socVendorRef   `json:"linked_vendor"`
	BridgeDocument *socDocumentRef `json:"bridge_document"`
	DecidedBy      *ownerRef       `json:"decided_by"`
	DecidedAt      *time.Time      `json:"decided_at"`
	Version        int64           `json:"version" description:"send back to decide (409 when stale)"`
}

type socReviewResponse struct {
	ID            string                  `json:"id"`
	VendorID      string                  `json:"vendor_id"`
	DocumentID    string                  `json:"document_id"`
	Number        int64                   `json:"number" description:"the evidence version reviewed"`
	ReportStatus  string                  `json:"report_status" enum:"received,in_review,accepted,rejected" description:"that version's review status"`
	Framework     string                  `json:"framework"`
	Status        string                  `json:"status" enum:"open,completed"`
	Outcome       string                  `json:"outcome" enum:",passed,accepted,findings"`
	Explanation   string                  `json:"explanation" description:"the line the vendor's risk explanation shows"`
	Summary       models.SOCReviewSummary `json:"summary"`
	PeriodEnd     string                  `json:"period_end" description:"the version's period end (a Type I's as-of date)"`
	CoveredUntil  string                  `json:"covered_until" description:"period end + 12 months: the report counts until then"`
	PeriodCovered bool                    `json:"period_covered"`
	CompletedBy   *ownerRef               `json:"completed_by"`
	CompletedAt   *time.Time              `json:"completed_at"`
	Items         []socReviewItemDTO      `json:"items"`
	Version       int64                   `json:"version" description:"send back to complete (409 when stale); bumped by every decision"`
}

// socReviewWords is the risk explanation line of a checklist summary.
func socReviewWords(s models.SOCReviewSummary) string {
	rv := risk.SOCReview{Framework: s.Framework, Open: s.Status != "completed", Total: s.Total, Decided: s.Decided, Opinion: s.Opinion,
		OpinionDecision: s.OpinionDecision, PeriodDecision: s.PeriodDecision, ExceptionsAccepted: s.ExceptionsAccepted,
		ExceptionFindings: s.ExceptionFindings, CUECs: s.CUECs, CUECsMapped: s.CUECsMapped, CUECsNotApplicable: s.CUECsNotApplicable,
		CarveOutsFlagged: s.CarveOutsFlagged}
	text, _ := rv.Words()
	return text
}

func socReviewNumber(c echo.Context) (int64, error) {
	n, err := strconv.ParseInt(c.Param("number"), 10, 64)
	if err != nil || n < 1 {
		return 0, models.ErrNotFound
	}
	return n, nil
}

func (s *Server) getSOCReview(c echo.Context) error {
	n, err := socReviewNumber(c)
	if err != nil {
		return err
	}
	rv, err := s.evidenceService().Checklist(c.Request().Context(), c.Param("id"), c.Param("document_id"), n)
	return s.socReviewResult(c, rv, err)
}

func (s *Server) decideSOCItem(c echo.Context) error {
	var req decideSOCItemRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	n, err := socReviewNumber(c)
	if err != nil {
		return err
	}
	d := evidence.Decision{Decision: req.Decision, Reason: req.Reason, Severity: req.Severity, OwnerID: req.OwnerID, ControlRef: req.ControlRef,
		LinkedVendorID: req.LinkedVendorID, BridgeDocumentID: req.BridgeDocumentID}
	rv, err := s.evidenceService().Decide(c.Request().Context(), principalOf(c), c.Param("id"), c.Param("document_id"), n, c.Param("item_id"), req.Version, d, s.origin(c))
	return s.socReviewResult(c, rv, err)
}

func (s *Server) completeSOCReview(c echo.Context) error {
	var req completeSOCReviewRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	n, err := socReviewNumber(c)
	if err != nil {
		return err
	}
	rv, err := s.evidenceService().Complete(c.Request().Context(), principalOf(c), c.Param("id"), c.Param("document_id"), n, req.Version, s.origin(c))
	return s.socReviewResult(c, rv, err)
}

// socReviewResult writes rv, or on a stale version 409 with the current one.
func (s *Server) socReviewResult(c echo.Context, rv *evidence.SOCReview, err error) error {
	ctx := c.Request().Context()
	if err != nil {
		if rv != nil {
			if cur, derr := s.socReviewDTO(ctx, rv); derr == nil {
				return conflictWith(err, cur)
			}
		}
		return err
	}
	out, err := s.socReviewDTO(ctx, rv)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) socReviewDTO(ctx context.Context, rv *evidence.SOCReview) (*socReviewResponse, error) {
	db := s.deps.DB.Gorm
	var userIDs, vendorIDs, findingIDs, docIDs []string
	if rv.CompletedBy != nil {
		userIDs = append(userIDs, *rv.CompletedBy)
	}
	for _, it := range rv.Items {
		for _, p := range []*string{it.OwnerID, it.DecidedBy} {
			if p != nil {
				userIDs = append(userIDs, *p)
			}
		}
		if it.LinkedVendorID != nil {
			vendorIDs = append(vendorIDs, *it.LinkedVendorID)
		}
		if it.FindingID != nil {
			findingIDs = append(findingIDs, *it.FindingID)
		}
		if it.BridgeDocumentID != nil {
			docIDs = append(docIDs, *it.BridgeDocumentID)
		}
	}
	users, err := s.userRefs(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	vendorNames, err := models.VendorNames(ctx, db, vendorIDs)
	if err != nil {
		return nil, err
	}
	fs := map[string]models.Finding{}
	if len(findingIDs) > 0 {
		var rows []models.Finding
		if err := db.WithContext(ctx).Where("id IN ?", findingIDs).Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, f := range rows {
			fs[f.ID] = f
		}
	}
	docs, err := models.EvidenceByIDs(ctx, db, docIDs)
	if err != nil {
		return nil, err
	}
	byDoc := map[string]models.EvidenceItem{}
	for _, d := range docs {
		byDoc[d.ID] = d
	}
	ref := func(id *string) *ownerRef {
		if id == nil {
			return nil
		}
		return users[*id]
	}
	out := &socReviewResponse{ID: rv.ID, VendorID: rv.VendorID, DocumentID: rv.DocumentID, Number: rv.Report.Number, ReportStatus: rv.Report.Status,
		Framework: rv.Framework, Status: rv.Status, Outcome: rv.Outcome, Explanation: socReviewWords(rv.Summary), Summary: rv.Summary,
		PeriodEnd: rv.PeriodEnd, CoveredUntil: rv.CoveredUntil, PeriodCovered: rv.PeriodCovered, CompletedBy: ref(rv.CompletedBy),
		CompletedAt: rv.CompletedAt, Items: make([]socReviewItemDTO, 0, len(rv.Items)), Version: rv.SOCReview.Version}
	for _, it := range rv.Items {
		d := socReviewItemDTO{ID: it.ID, Position: it.Position, Kind: it.Kind, Label: it.Label, Control: it.Control, Method: it.Method,
			Quote: it.Quote, Page: it.Page, Proposed: it.Proposed, Decision: it.Decision, Decisions: evidence.Decisions[it.Kind], Reason: it.Reason,
			Owner: ref(it.OwnerID), ControlRef: it.ControlRef, DecidedBy: ref(it.DecidedBy), DecidedAt: it.DecidedAt, Version: it.Version}
		if it.Decision == evidence.DecisionInfo {
			d.Decisions = []string{}
		}
		if it.FindingID != nil {
			if f, ok := fs[*it.FindingID]; ok {
				d.Finding = &socFindingRef{ID: f.ID, Title: f.Title, Severity: f.Severity, Status: f.Status}
			}
		}
		if it.LinkedVendorID != nil {
			d.LinkedVendor = &socVendorRef{ID: *it.LinkedVendorID, Name: vendorNames[*it.LinkedVendorID]}
		}
		if it.BridgeDocumentID != nil {
			if b, ok := byDoc[*it.BridgeDocumentID]; ok {
				d.BridgeDocument = &socDocumentRef{ID: b.ID, Title: b.Title, PeriodTo: b.Current.PeriodTo}
			}
		}
		out.Items = append(out.Items, d)
	}
	return out, nil
}

// reportSOCReview is the checklist of the vendor's newest SOC report as
// the vendor report prints it.
type reportSOCReview struct {
	DocumentID  string                  `json:"document_id"`
	Title       string                  `json:"title"`
	Number      int64                   `json:"number"`
	Status      string                  `json:"status" enum:"open,completed"`
	Outcome     string                  `json:"outcome" enum:",passed,accepted,findings"`
	Explanation string                  `json:"explanation"`
	Summary     models.SOCReviewSummary `json:"summary"`
	CompletedAt *time.Time              `json:"completed_at"`
}

func (s *Server) reportSOCReview(ctx context.Context, vendorID string) (*reportSOCReview, error) {
	rv, err := models.LatestSOCReview(ctx, s.deps.DB.Gorm, vendorID)
	if err != nil || rv == nil {
		return nil, err
	}
	it, err := models.GetEvidence(ctx, s.deps.DB.Gorm, vendorID, rv.DocumentID)
	if err != nil {
		return nil, err
	}
	var sum models.SOCReviewSummary
	_ = json.Unmarshal([]byte(rv.Summary), &sum)
	return &reportSOCReview{DocumentID: it.ID, Title: it.Title, Number: it.CurrentVersion, Status: rv.Status, Outcome: rv.Outcome,
		Explanation: socReviewWords(sum), Summary: sum, CompletedAt: rv.CompletedAt}, nil
}
