package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/offboarding"
	"rampart/models"
)

type startOffboardingRequest struct {
	ID string `json:"-" path:"id"`
}

type updateOffboardingItemRequest struct {
	ID         string  `json:"-" path:"id"`
	ItemID     string  `json:"-" path:"item_id"`
	Version    int64   `json:"version" validate:"required,gte=1"`
	Status     *string `json:"status" enum:"open,done,waived" description:"done, waived (needs reason) or open (reopen)"`
	Reason     *string `json:"reason" description:"why the step is waived; required when waiving, at most 2000 characters"`
	Note       *string `json:"note" description:"what was done, at most 2000 characters"`
	EvidenceID *string `json:"evidence_id" description:"the certificate of destruction: a document of the vendor's evidence (destruction_certificate only; empty unlinks)"`
}

// offboardingItemDTO is one checklist step.
type offboardingItemDTO struct {
	ID       string `json:"id"`
	Position int64  `json:"position"`
	Kind     string `json:"kind" enum:"revoke_access,data_return,destruction_certificate,contract_exit,close_findings,sign_off"`
	Title    string `json:"title"`
	Detail   string `json:"detail"`
	DueOn    string `json:"due_on" description:"YYYY-MM-DD; empty when the step has no date"`
	DueRule  string `json:"due_rule" description:"how due_on was computed, in words"`
	Overdue  bool   `json:"overdue"`
	Flag     string `json:"flag" description:"no_confirmed_term on a data_return step no confirmed contract term dates"`
	// TermQuote is the confirmed data_return_deletion term's quote.
	TermQuote      string     `json:"term_quote"`
	ContractID     *string    `json:"contract_id"`
	ContractStatus string     `json:"contract_status"`
	EvidenceID     *string    `json:"evidence_id"`
	Status         string     `json:"status" enum:"open,done,waived" description:"what counts: done also when the step completed itself (auto)"`
	StoredStatus   string     `json:"stored_status" enum:"open,done,waived"`
	Auto           bool       `json:"auto" description:"done by itself: the contract ended, or no finding or exception is open"`
	OpenFindings   int64      `json:"open_findings"`
	OpenExceptions int64      `json:"open_exceptions"`
	WaivedReason   string     `json:"waived_reason"`
	Note           string     `json:"note"`
	DoneBy         *ownerRef  `json:"done_by"`
	DoneAt         *time.Time `json:"done_at"`
	Version        int64      `json:"version"`
}

// offboardingResponse is a vendor's offboarding with its checklist.
type offboardingResponse struct {
	ID             string               `json:"id"`
	VendorID       string               `json:"vendor_id"`
	Status         string               `json:"status" enum:"open,completed,cancelled"`
	PreviousStatus string               `json:"previous_status"`
	StartedBy      *ownerRef            `json:"started_by"`
	StartedAt      time.Time            `json:"started_at"`
	SignedOffBy    *ownerRef            `json:"signed_off_by"`
	SignedOffAt    *time.Time           `json:"signed_off_at"`
	CancelledAt    *time.Time           `json:"cancelled_at"`
	Done           int                  `json:"done" description:"items done or waived"`
	Total          int                  `json:"total"`
	Ready          bool                 `json:"ready" description:"every step but the sign-off is done or waived"`
	Blocking       []string             `json:"blocking" description:"titles of the steps still open"`
	Items          []offboardingItemDTO `json:"items"`
	Version        int64                `json:"version"`
}

func (s *Server) offboardingService() *offboarding.Service {
	return &offboarding.Service{DB: s.deps.DB.Gorm, Now: s.deps.Now}
}

func (s *Server) getOffboarding(c echo.Context) error {
	v, err := s.offboardingService().Get(c.Request().Context(), c.Param("id"))
	return s.offboardingResult(c, v, err, http.StatusOK)
}

func (s *Server) startOffboarding(c echo.Context) error {
	var req startOffboardingRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	v, err := s.offboardingService().Start(c.Request().Context(), principalOf(c), c.Param("id"), s.origin(c))
	return s.offboardingResult(c, v, err, http.StatusCreated)
}

func (s *Server) updateOffboardingItem(c echo.Context) error {
	var req updateOffboardingItemRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ch := offboarding.ItemChange{Status: req.Status, Reason: req.Reason, Note: req.Note, EvidenceID: req.EvidenceID}
	v, err := s.offboardingService().UpdateItem(c.Request().Context(), principalOf(c), c.Param("id"), c.Param("item_id"), req.Version, ch, s.origin(c))
	return s.offboardingResult(c, v, err, http.StatusOK)
}

func (s *Server) signOffOffboarding(c echo.Context) error {
	var req versionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	v, err := s.offboardingService().SignOff(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, s.origin(c))
	return s.offboardingResult(c, v, err, http.StatusOK)
}

func (s *Server) cancelOffboarding(c echo.Context) error {
	var req versionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	v, err := s.offboardingService().Cancel(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, s.origin(c))
	return s.offboardingResult(c, v, err, http.StatusOK)
}

// offboardingResult writes v, or on a stale version 409 with the current one.
func (s *Server) offboardingResult(c echo.Context, v *offboarding.View, err error, status int) error {
	ctx := c.Request().Context()
	if err != nil {
		if v != nil {
			if cur, derr := s.offboardingDTO(ctx, v); derr == nil {
				return conflictWith(err, cur)
			}
		}
		return err
	}
	out, err := s.offboardingDTO(ctx, v)
	if err != nil {
		return err
	}
	return c.JSON(status, out)
}

func (s *Server) offboardingDTO(ctx context.Context, v *offboarding.View) (*offboardingResponse, error) {
	ids := []string{v.StartedBy}
	if v.SignedOffBy != nil {
		ids = append(ids, *v.SignedOffBy)
	}
	for _, it := range v.Items {
		if it.DoneBy != nil {
			ids = append(ids, *it.DoneBy)
		}
	}
	users, err := s.userRefs(ctx, ids)
	if err != nil {
		return nil, err
	}
	ref := func(id *string) *ownerRef {
		if id == nil {
			return nil
		}
		return users[*id]
	}
	out := &offboardingResponse{ID: v.ID, VendorID: v.VendorID, Status: v.Status, PreviousStatus: v.PreviousStatus, StartedBy: ref(&v.StartedBy),
		StartedAt: v.StartedAt, SignedOffBy: ref(v.SignedOffBy), SignedOffAt: v.SignedOffAt, CancelledAt: v.CancelledAt,
		Done: v.Done, Total: len(v.Items), Ready: v.Ready, Blocking: v.Blocking, Items: make([]offboardingItemDTO, 0, len(v.Items)), Version: v.Version}
	for _, it := range v.Items {
		out.Items = append(out.Items, offboardingItemDTO{ID: it.ID, Position: it.Position, Kind: it.Kind, Title: it.Title, Detail: it.Detail,
			DueOn: it.DueOn, DueRule: it.DueRule, Overdue: it.Overdue, Flag: it.Flag, TermQuote: it.TermQuote, ContractID: it.ContractID,
			ContractStatus: it.ContractStatus, EvidenceID: it.EvidenceID, Status: it.Effective, StoredStatus: it.Status, Auto: it.Auto,
			OpenFindings: it.OpenFindings, OpenExceptions: it.OpenExceptions, WaivedReason: it.WaivedReason, Note: it.Note,
			DoneBy: ref(it.DoneBy), DoneAt: it.DoneAt, Version: it.Version})
	}
	return out, nil
}

// userRefs names the users with the given ids (missing ones are left out).
func (s *Server) userRefs(ctx context.Context, ids []string) (map[string]*ownerRef, error) {
	us, err := models.UsersByIDs(ctx, s.deps.DB.Gorm, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*ownerRef, len(us))
	for id, u := range us {
		out[id] = &ownerRef{ID: u.ID, Name: u.Name, Email: u.Email}
	}
	return out, nil
}
