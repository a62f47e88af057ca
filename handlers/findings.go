package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/auth"
	"rampart/app/findings"
	"rampart/models"
)

type findingResponse struct {
	ID              string         `json:"id"`
	BusinessUnitIDs []string       `json:"business_unit_ids,omitempty" description:"its business units (GET by id only)"`
	VendorID        string         `json:"vendor_id"`
	AssessmentID    *string        `json:"assessment_id"`
	QuestionKey     string         `json:"question_key"`
	Title           string         `json:"title"`
	Description     string         `json:"description"`
	Severity        string         `json:"severity" enum:"critical,high,medium,low"`
	Source          string         `json:"source" enum:"assessment,contract,manual,incident,soc2_review"`
	Status          string         `json:"status" enum:"open,in_progress,resolved,risk_accepted"`
	OwnerID         *string        `json:"owner_id"`
	VendorContact   string         `json:"vendor_contact"`
	DueDate         string         `json:"due_date"`
	Overdue         bool           `json:"overdue"`
	RemediationPlan string         `json:"remediation_plan"`
	ResolvedAt      *time.Time     `json:"resolved_at"`
	Version         int64          `json:"version"`
	CreatedAt       time.Time      `json:"created_at"`
	UpdatedAt       time.Time      `json:"updated_at"`
	CustomFields    map[string]any `json:"custom_fields" description:"custom field values by key (see /settings/custom-fields): a string, a number, or a list of options; keys without a value are absent"`
	// Names for people, in lists (empty elsewhere).
	VendorName string `json:"vendor_name,omitempty"`
	OwnerName  string `json:"owner_name,omitempty"`
}

func (s *Server) toFinding(f *models.Finding) findingResponse {
	today := s.deps.Now().UTC().Format(time.DateOnly)
	return findingResponse{ID: f.ID, VendorID: f.VendorID, AssessmentID: f.AssessmentID, QuestionKey: f.QuestionKey, Title: f.Title,
		Description: f.Description, Severity: f.Severity, Source: f.Source, Status: f.Status, OwnerID: f.OwnerID, VendorContact: f.VendorContact,
		DueDate: f.DueDate, RemediationPlan: f.RemediationPlan, ResolvedAt: f.ResolvedAt, Version: f.Version, CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt,
		CustomFields: customValuesOut(f.CustomFields),
		Overdue:      (f.Status == "open" || f.Status == "in_progress") && f.DueDate != "" && f.DueDate < today}
}

func (s *Server) findingService() *findings.Service {
	return &findings.Service{DB: s.deps.DB.Gorm, Now: s.deps.Now, Notify: s.deps.Notify, BaseURL: s.deps.BaseURL}
}

type findingsQuery struct {
	VendorID string `query:"vendor_id"`
	Status   string `query:"status" description:"comma-separated"`
	Severity string `query:"severity" description:"comma-separated"`
	OwnerID  string `query:"owner_id"`
	Overdue  string `query:"overdue" enum:"true,false"`
	Sort     string `query:"sort" description:"created_at, updated_at, due_date, severity, status, or cf.<key> for a custom field; - for descending. Custom field filters: cf.<key>=value (number and date fields: a range from..to too)"`
	Limit    int    `query:"limit" minimum:"1" maximum:"200"`
	Cursor   string `query:"cursor"`
}

// findingListFilter reads the findings list's filters and sort, which the
// export shares.
func (s *Server) findingListFilter(c echo.Context) (models.FindingFilter, error) {
	q := parseQuery(c, "vendor_id", "status", "severity", "owner_id", "overdue", "cf.*")
	f := models.FindingFilter{VendorID: q.str("vendor_id", 64), Statuses: q.list("status", findings.Statuses),
		Severities: q.list("severity", findings.Severities), OwnerID: q.str("owner_id", 64), Today: s.deps.Now().UTC().Format(time.DateOnly),
		Sort: q.values.Get("sort"), Cursor: q.values.Get("cursor"), Limit: q.limit()}
	if o := q.boolean("overdue"); o != nil {
		f.Overdue = *o
	}
	if err := q.err(); err != nil {
		return f, err
	}
	var err error
	f.Custom, f.CustomSort, err = s.customListParams(c, q, "finding")
	return f, err
}

func (s *Server) listFindings(c echo.Context) error {
	f, err := s.findingListFilter(c)
	if err != nil {
		return err
	}
	page, err := models.ListFindings(c.Request().Context(), s.deps.DB.Gorm, f)
	if err != nil {
		return err
	}
	vendors, owners, err := models.NamesForFindings(c.Request().Context(), s.deps.DB.Gorm, page.Items)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(page, func(m *models.Finding) findingResponse {
		r := s.toFinding(m)
		r.VendorName = vendors[m.VendorID]
		if m.OwnerID != nil {
			r.OwnerName = owners[*m.OwnerID]
		}
		return r
	}))
}

type createFindingRequest struct {
	VendorID        string          `json:"vendor_id" validate:"required,max=64"`
	Title           string          `json:"title" validate:"required,max=200"`
	Description     string          `json:"description" validate:"max=10000"`
	Severity        string          `json:"severity" validate:"required" enum:"critical,high,medium,low"`
	Source          string          `json:"source" enum:"assessment,contract,manual,incident,soc2_review"`
	OwnerID         string          `json:"owner_id" validate:"max=64"`
	VendorContact   string          `json:"vendor_contact" validate:"max=254"`
	DueDate         string          `json:"due_date" validate:"max=10" description:"YYYY-MM-DD; default: the model's remediation deadline for the severity"`
	RemediationPlan string          `json:"remediation_plan" validate:"max=10000"`
	CustomFields    customValuesDTO `json:"custom_fields" description:"custom field values by key: a string, a number, or a list of options (multiple choice); null or \"\" clears one; keys not sent stay as they are. Required fields are enforced on create and when custom_fields is sent"`
	BusinessUnitIDs *[]string       `json:"business_unit_ids" validate:"omitempty,max=50,dive,max=64" description:"its business units; absent: the vendor's. A person scoped to units may name only their own"`
}

func (s *Server) createFinding(c echo.Context) error {
	var req createFindingRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	f, err := s.findingService().Create(c.Request().Context(), principalOf(c), findings.New{VendorID: req.VendorID, Title: req.Title,
		Description: req.Description, Severity: req.Severity, Source: req.Source, OwnerID: req.OwnerID, VendorContact: req.VendorContact,
		DueDate: req.DueDate, RemediationPlan: req.RemediationPlan, BusinessUnitIDs: req.BusinessUnitIDs, CustomFields: req.CustomFields.given()}, s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, s.toFinding(f))
}

// findingDueDates tells the new-finding form the due date each severity
// would get, from the server's clock and the risk model in force (whose
// settings page legal may not read).
func (s *Server) findingDueDates(c echo.Context) error {
	out, err := s.findingService().DefaultDueDates(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]map[string]findings.Due{"severities": out})
}

type findingIDParam struct {
	ID string `path:"id"`
}

func (s *Server) getFinding(c echo.Context) error {
	ctx := c.Request().Context()
	f, err := models.GetFinding(ctx, s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	out := s.toFinding(f)
	names, err := models.VendorNames(ctx, s.deps.DB.Gorm, []string{f.VendorID})
	if err != nil {
		return err
	}
	out.VendorName = names[f.VendorID]
	if out.BusinessUnitIDs, err = models.UnitIDsOf(ctx, s.deps.DB.Gorm, models.UnitFinding, f.ID); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

type updateFindingRequest struct {
	ID              string          `json:"-" path:"id"`
	Version         int64           `json:"version" validate:"required,gte=1"`
	Title           *string         `json:"title" validate:"omitempty,min=1,max=200"`
	Description     *string         `json:"description" validate:"omitempty,max=10000"`
	Severity        *string         `json:"severity" enum:"critical,high,medium,low"`
	Status          *string         `json:"status" enum:"open,in_progress,resolved"`
	OwnerID         *string         `json:"owner_id" validate:"omitempty,max=64"`
	VendorContact   *string         `json:"vendor_contact" validate:"omitempty,max=254"`
	DueDate         *string         `json:"due_date" validate:"omitempty,max=10"`
	RemediationPlan *string         `json:"remediation_plan" validate:"omitempty,max=10000"`
	CustomFields    customValuesDTO `json:"custom_fields" description:"custom field values by key: a string, a number, or a list of options (multiple choice); null or \"\" clears one; keys not sent stay as they are. Required fields are enforced on create and when custom_fields is sent"`
	BusinessUnitIDs *[]string       `json:"business_unit_ids" validate:"omitempty,max=50,dive,max=64" description:"its business units; absent: unchanged. A person scoped to units may name only their own; the finding's units they do not hold are kept"`
}

func (s *Server) updateFinding(c echo.Context) error {
	var req updateFindingRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	f, err := s.findingService().Update(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, findings.Changes{
		Title: req.Title, Description: req.Description, Severity: req.Severity, Status: req.Status, OwnerID: req.OwnerID,
		VendorContact: req.VendorContact, DueDate: req.DueDate, RemediationPlan: req.RemediationPlan, CustomFields: req.CustomFields,
		BusinessUnitIDs: req.BusinessUnitIDs}, s.origin(c))
	if f == nil {
		return err
	}
	// The 409's "current" carries the units too: the edit form refills its boxes from it.
	out := s.toFinding(f)
	var uerr error
	if out.BusinessUnitIDs, uerr = models.UnitIDsOf(c.Request().Context(), s.deps.DB.Gorm, models.UnitFinding, f.ID); uerr != nil {
		return uerr
	}
	if err != nil {
		return conflictWith(err, out)
	}
	return c.JSON(http.StatusOK, out)
}

type exceptionResponse struct {
	ID                   string     `json:"id"`
	VendorID             string     `json:"vendor_id"`
	FindingID            *string    `json:"finding_id"`
	Justification        string     `json:"justification"`
	CompensatingControls string     `json:"compensating_controls"`
	Status               string     `json:"status" enum:"requested,approved,rejected,expired"`
	RequestedBy          string     `json:"requested_by"`
	ApproverID           *string    `json:"approver_id"`
	DecidedAt            *time.Time `json:"decided_at"`
	ExpiresOn            string     `json:"expires_on"`
	Version              int64      `json:"version"`
	CreatedAt            time.Time  `json:"created_at"`
	// CanDecide tells whether the caller may approve or reject it now, by
	// the rule the decide endpoint enforces.
	CanDecide bool `json:"can_decide"`
	// Names for people, in lists (empty elsewhere).
	VendorName      string `json:"vendor_name,omitempty"`
	FindingTitle    string `json:"finding_title,omitempty"`
	RequestedByName string `json:"requested_by_name,omitempty"`
	ApproverName    string `json:"approver_name,omitempty"`
}

func toException(p *auth.Principal, e *models.RiskException) exceptionResponse {
	return exceptionResponse{CanDecide: findings.CanDecide(p, e), ID: e.ID, VendorID: e.VendorID, FindingID: e.FindingID, Justification: e.Justification,
		CompensatingControls: e.CompensatingControls, Status: e.Status, RequestedBy: e.RequestedBy, ApproverID: e.ApproverID,
		DecidedAt: e.DecidedAt, ExpiresOn: e.ExpiresOn, Version: e.Version, CreatedAt: e.CreatedAt}
}

// namedExceptions converts a page of exceptions with the names they refer to.
func (s *Server) namedExceptions(ctx context.Context, p *auth.Principal, es []models.RiskException) ([]exceptionResponse, error) {
	names, err := models.NamesForExceptions(ctx, s.deps.DB.Gorm, es)
	if err != nil {
		return nil, err
	}
	out := make([]exceptionResponse, 0, len(es))
	for i := range es {
		r := toException(p, &es[i])
		r.VendorName, r.RequestedByName = names.Vendors[r.VendorID], names.Users[r.RequestedBy]
		if r.FindingID != nil {
			r.FindingTitle = names.Findings[*r.FindingID]
		}
		if r.ApproverID != nil {
			r.ApproverName = names.Users[*r.ApproverID]
		}
		out = append(out, r)
	}
	return out, nil
}

type createExceptionRequest struct {
	VendorID             string `json:"vendor_id" validate:"max=64" description:"required unless finding_id is given"`
	FindingID            string `json:"finding_id" validate:"max=64"`
	Justification        string `json:"justification" validate:"required,max=10000"`
	CompensatingControls string `json:"compensating_controls" validate:"max=10000"`
	ExpiresOn            string `json:"expires_on" validate:"required,max=10" description:"YYYY-MM-DD"`
}

func (s *Server) createException(c echo.Context) error {
	var req createExceptionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	e, err := s.findingService().RequestException(c.Request().Context(), principalOf(c), req.VendorID, req.FindingID, req.Justification,
		req.CompensatingControls, req.ExpiresOn, s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toException(principalOf(c), e))
}

type decideExceptionRequest struct {
	ID       string `json:"-" path:"id"`
	Version  int64  `json:"version" validate:"required,gte=1"`
	Decision string `json:"decision" validate:"required,oneof=approve reject" enum:"approve,reject"`
}

func (s *Server) decideException(c echo.Context) error {
	var req decideExceptionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	e, err := s.findingService().DecideException(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, req.Decision == "approve", s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toException(principalOf(c), e))
}

type exceptionsQuery struct {
	VendorID  string `query:"vendor_id"`
	FindingID string `query:"finding_id"`
	Status    string `query:"status" description:"comma-separated: requested (pending), approved, rejected, expired"`
	Sort      string `query:"sort" description:"created_at or expires_on; - for descending (default -created_at)"`
	Limit     int    `query:"limit" minimum:"1" maximum:"200"`
	Cursor    string `query:"cursor"`
}

func (s *Server) listExceptions(c echo.Context) error {
	q := parseQuery(c, "vendor_id", "finding_id", "status")
	f := models.ExceptionFilter{VendorID: q.str("vendor_id", 64), FindingID: q.str("finding_id", 64), Statuses: q.list("status", []string{"requested", "approved", "rejected", "expired"}),
		Sort: q.values.Get("sort"), Cursor: q.values.Get("cursor"), Limit: q.limit()}
	if err := q.err(); err != nil {
		return err
	}
	page, err := models.ListExceptions(c.Request().Context(), s.deps.DB.Gorm, f)
	if err != nil {
		return err
	}
	items, err := s.namedExceptions(c.Request().Context(), principalOf(c), page.Items)
	if err != nil {
		return err
	}
	next := (*string)(nil)
	if page.NextCursor != "" {
		next = &page.NextCursor
	}
	return c.JSON(http.StatusOK, listResponse[exceptionResponse]{Items: items, NextCursor: next, Total: page.Total, TotalCapped: page.TotalCapped})
}

// vendorReport gathers what the printable vendor risk report shows.
type vendorReport struct {
	Vendor     vendorResponse      `json:"vendor"`
	Risk       riskResponse        `json:"risk"`
	Assessment *assessmentSummary  `json:"latest_assessment"`
	Sections   any                 `json:"assessment_sections"`
	Findings   []findingResponse   `json:"open_findings"`
	Exceptions []exceptionResponse `json:"exceptions"`
	Contracts  []reportContract    `json:"contracts"`
	// SOCReview is the review checklist of the vendor's newest SOC
	// report; null when it has none.
	SOCReview *reportSOCReview `json:"soc_review"`
	// GeneratedAt is when the report was put together, printed on it.
	GeneratedAt time.Time `json:"generated_at"`
}
