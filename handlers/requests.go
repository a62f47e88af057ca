package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/intake"
	"rampart/models"
)

type userRef struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

func refOf(u *models.User) *userRef {
	if u == nil {
		return nil
	}
	return &userRef{ID: u.ID, Name: u.Name, Email: u.Email}
}

type vendorLink struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

type requestResponse struct {
	ID                 string      `json:"id"`
	Title              string      `json:"title"`
	VendorName         string      `json:"vendor_name"`
	VendorWebsite      string      `json:"vendor_website"`
	Purpose            string      `json:"purpose"`
	Departments        []string    `json:"departments"`
	UserCount          int64       `json:"user_count"`
	DataTypes          []string    `json:"data_types"`
	IntegrationMethods []string    `json:"integration_methods"`
	AnnualCost         int64       `json:"annual_cost"`
	Currency           string      `json:"currency"`
	NeededBy           string      `json:"needed_by"`
	Alternatives       string      `json:"alternatives"`
	Status             string      `json:"status"`
	Requester          *userRef    `json:"requester"`
	Assignee           *userRef    `json:"assignee"`
	Vendor             *vendorLink `json:"vendor"`
	Conditions         string      `json:"conditions"`
	DecidedBy          *userRef    `json:"decided_by"`
	DecidedAt          *time.Time  `json:"decided_at"`
	Version            int64       `json:"version"`
	CreatedAt          time.Time   `json:"created_at"`
	UpdatedAt          time.Time   `json:"updated_at"`
}

type timelineEntry struct {
	ID         string    `json:"id"`
	Kind       string    `json:"kind" enum:"created,status,comment,assigned,vendor_linked,edited,attachment"`
	Actor      *userRef  `json:"actor"`
	FromStatus string    `json:"from_status"`
	ToStatus   string    `json:"to_status"`
	Body       string    `json:"body"`
	CreatedAt  time.Time `json:"created_at"`
}

type requestDetail struct {
	requestResponse
	// NextStatuses are the moves the caller may make now.
	NextStatuses []string             `json:"next_statuses"`
	Timeline     []timelineEntry      `json:"timeline"`
	Attachments  []attachmentResponse `json:"attachments"`
}

func toRequestResponse(r *models.RequestRecord) requestResponse {
	out := requestResponse{
		ID: r.ID, Title: r.Title, VendorName: r.VendorName, VendorWebsite: r.VendorWebsite, Purpose: r.Purpose,
		Departments: r.Departments, UserCount: r.UserCount, DataTypes: r.DataTypes, IntegrationMethods: r.IntegrationMethods,
		AnnualCost: r.AnnualCost, Currency: r.Currency, NeededBy: r.NeededBy, Alternatives: r.Alternatives, Status: r.Status,
		Requester: refOf(r.Requester), Assignee: refOf(r.Assignee), Conditions: r.Conditions, DecidedBy: refOf(r.DecidedBy),
		DecidedAt: r.DecidedAt, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	if r.Vendor != nil {
		out.Vendor = &vendorLink{ID: r.Vendor.ID, Name: r.Vendor.Name, Status: r.Vendor.Status}
	}
	return out
}

func (s *Server) requestDetail(c echo.Context, r *models.RequestRecord) (requestDetail, error) {
	events, actors, err := models.RequestTimeline(c.Request().Context(), s.deps.DB.Gorm, r.ID)
	if err != nil {
		return requestDetail{}, err
	}
	files, err := models.RequestAttachments(c.Request().Context(), s.deps.DB.Gorm, r.ID)
	if err != nil {
		return requestDetail{}, err
	}
	d := requestDetail{requestResponse: toRequestResponse(r), NextStatuses: intake.NextStatuses(&r.ToolRequest, principalOf(c).User),
		Timeline: []timelineEntry{}, Attachments: attachmentsOf(files)}
	for _, e := range events {
		d.Timeline = append(d.Timeline, timelineEntry{ID: e.ID, Kind: e.Kind, Actor: refOf(actors[e.ActorID]), FromStatus: e.FromStatus,
			ToStatus: e.ToStatus, Body: e.Body, CreatedAt: e.CreatedAt})
	}
	return d, nil
}

func (s *Server) intake() *intake.Service {
	return &intake.Service{DB: s.deps.DB.Gorm, Notify: s.deps.Notify}
}

type requestFields struct {
	Title              *string   `json:"title" validate:"omitempty,max=200"`
	VendorName         *string   `json:"vendor_name" validate:"omitempty,max=200"`
	VendorWebsite      *string   `json:"vendor_website" validate:"omitempty,max=500,weburl" description:"http(s) URL; empty clears it"`
	Purpose            *string   `json:"purpose" validate:"omitempty,max=5000"`
	Departments        *[]string `json:"departments" validate:"omitempty,max=20,dive,max=100"`
	UserCount          *int64    `json:"user_count" validate:"omitempty,gte=0,lte=100000000"`
	DataTypes          *[]string `json:"data_types" validate:"omitempty,max=20"`
	IntegrationMethods *[]string `json:"integration_methods" validate:"omitempty,max=10"`
	AnnualCost         *int64    `json:"annual_cost" validate:"omitempty,gte=0,lte=1000000000000000"`
	Currency           *string   `json:"currency" validate:"omitempty,max=3"`
	NeededBy           *string   `json:"needed_by" validate:"omitempty,max=10" description:"YYYY-MM-DD"`
	Alternatives       *string   `json:"alternatives" validate:"omitempty,max=5000"`
}

func (f requestFields) fields() intake.Fields {
	return intake.Fields{Title: f.Title, VendorName: f.VendorName, VendorWebsite: f.VendorWebsite, Purpose: f.Purpose,
		Currency: f.Currency, NeededBy: f.NeededBy, Alternatives: f.Alternatives, Departments: f.Departments,
		DataTypes: f.DataTypes, IntegrationMethods: f.IntegrationMethods, UserCount: f.UserCount, AnnualCost: f.AnnualCost}
}

type updateRequestRequest struct {
	ID      string `json:"-" path:"id"`
	Version int64  `json:"version" validate:"required,gte=1"`
	requestFields
}

type transitionRequest struct {
	ID         string `json:"-" path:"id"`
	Version    int64  `json:"version" validate:"required,gte=1"`
	To         string `json:"to" validate:"required" enum:"submitted,triage,security_review,legal_review,approved,approved_with_conditions,rejected,withdrawn"`
	Conditions string `json:"conditions" validate:"max=5000"`
	Comment    string `json:"comment" validate:"max=5000"`
}

type assignRequest struct {
	ID         string `json:"-" path:"id"`
	Version    int64  `json:"version" validate:"required,gte=1"`
	AssigneeID string `json:"assignee_id" validate:"max=64" description:"empty to unassign"`
}

type linkVendorRequest struct {
	ID       string `json:"-" path:"id"`
	Version  int64  `json:"version" validate:"required,gte=1"`
	VendorID string `json:"vendor_id" validate:"max=64" description:"an existing vendor; empty creates a proposed vendor from the request"`
	// ConfirmDuplicate creates the vendor even when a similar one exists.
	ConfirmDuplicate bool `json:"confirm_duplicate"`
}

type commentRequest struct {
	ID   string `json:"-" path:"id"`
	Body string `json:"body" validate:"required,max=5000"`
}

type requestIDParam struct {
	ID string `path:"id"`
}

func (s *Server) createRequest(c echo.Context) error {
	var req requestFields
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	r, err := s.intake().Create(c.Request().Context(), principalOf(c), req.fields(), s.origin(c))
	if err != nil {
		return err
	}
	return s.writeRequest(c, http.StatusCreated, r, nil)
}

func (s *Server) writeRequest(c echo.Context, status int, r *models.RequestRecord, err error) error {
	if err != nil {
		if r != nil {
			return conflictWith(err, toRequestResponse(r))
		}
		return err
	}
	d, err := s.requestDetail(c, r)
	if err != nil {
		return err
	}
	return c.JSON(status, d)
}

func (s *Server) getRequest(c echo.Context) error {
	r, err := models.GetToolRequest(c.Request().Context(), s.deps.DB.Gorm, intake.Scope(principalOf(c).User), c.Param("id"))
	if err != nil {
		return err
	}
	return s.writeRequest(c, http.StatusOK, r, nil)
}

func (s *Server) updateRequest(c echo.Context) error {
	var req updateRequestRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	r, err := s.intake().Edit(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, req.fields(), s.origin(c))
	return s.writeRequest(c, http.StatusOK, r, err)
}

func (s *Server) transitionRequest(c echo.Context) error {
	var req transitionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	r, err := s.intake().Transition(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, req.To, req.Conditions, req.Comment, s.origin(c))
	return s.writeRequest(c, http.StatusOK, r, err)
}

func (s *Server) assignRequest(c echo.Context) error {
	var req assignRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	r, err := s.intake().Assign(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, req.AssigneeID, s.origin(c))
	return s.writeRequest(c, http.StatusOK, r, err)
}

func (s *Server) linkRequestVendor(c echo.Context) error {
	var req linkVendorRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	r, err := s.intake().LinkVendor(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, req.VendorID, req.ConfirmDuplicate, s.origin(c))
	return s.writeRequest(c, http.StatusOK, r, err)
}

func (s *Server) commentRequest(c echo.Context) error {
	var req commentRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	p := principalOf(c)
	ev, err := s.intake().Comment(c.Request().Context(), p, c.Param("id"), req.Body, s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, timelineEntry{ID: ev.ID, Kind: ev.Kind, Actor: refOf(p.User), Body: ev.Body, CreatedAt: ev.CreatedAt})
}

type requestsQuery struct {
	Q          string `query:"q" description:"matches title, vendor name, website and purpose"`
	Status     string `query:"status" description:"one or more statuses, comma-separated"`
	AssigneeID string `query:"assignee_id" description:"a user id, or none for unassigned"`
	Sort       string `query:"sort" description:"created_at, updated_at, needed_by, status or title; prefix - for descending (default -created_at)"`
	Limit      int    `query:"limit" minimum:"1" maximum:"200"`
	Cursor     string `query:"cursor"`
}

func (s *Server) listRequests(c echo.Context) error {
	q := parseQuery(c, "q", "status", "assignee_id")
	f := models.RequestFilter{Scope: intake.Scope(principalOf(c).User), Q: q.str("q", 200), Statuses: q.list("status", intake.Statuses),
		Sort: q.values.Get("sort"), Cursor: q.values.Get("cursor"), Limit: q.limit()}
	if a := q.str("assignee_id", 64); a == "none" {
		f.Unassigned = true
	} else {
		f.AssigneeID = a
	}
	if err := q.err(); err != nil {
		return err
	}
	page, err := models.ListToolRequests(c.Request().Context(), s.deps.DB.Gorm, f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(page, toRequestResponse))
}

type requestCountsResponse struct {
	ByStatus map[string]int64 `json:"by_status"`
	Total    int64            `json:"total"`
}

type requestCountsQuery struct {
	Q          string `query:"q"`
	AssigneeID string `query:"assignee_id" description:"a user id, or none for unassigned"`
}

// requestCounts counts per status with the list's other filters, so the
// queue's tabs match the filtered list.
func (s *Server) requestCounts(c echo.Context) error {
	q := parseQuery(c, "q", "assignee_id")
	f := models.RequestFilter{Scope: intake.Scope(principalOf(c).User), Q: q.str("q", 200)}
	if a := q.str("assignee_id", 64); a == "none" {
		f.Unassigned = true
	} else {
		f.AssigneeID = a
	}
	if err := q.err(); err != nil {
		return err
	}
	counts, err := models.CountRequestsByStatus(c.Request().Context(), s.deps.DB.Gorm, f)
	if err != nil {
		return err
	}
	out := requestCountsResponse{ByStatus: map[string]int64{}}
	for _, st := range intake.Statuses {
		out.ByStatus[st] = counts[st]
		out.Total += counts[st]
	}
	return c.JSON(http.StatusOK, out)
}
