package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/incidents"
	"rampart/app/vendors"
	"rampart/models"
)

// Vendor incidents (docs/incidents.md).

type incidentResponse struct {
	ID               string     `json:"id"`
	VendorID         string     `json:"vendor_id"`
	VendorName       string     `json:"vendor_name"`
	Title            string     `json:"title"`
	Description      string     `json:"description"`
	Kind             string     `json:"kind" enum:"breach,outage,other"`
	Severity         string     `json:"severity" enum:"critical,high,medium,low"`
	OccurredAt       time.Time  `json:"occurred_at"`
	DetectedAt       *time.Time `json:"detected_at" description:"when the vendor became aware; the notice clock starts here when known"`
	NotifiedAt       *time.Time `json:"notified_at" description:"when we were told"`
	ReportedBy       string     `json:"reported_by"`
	ReportedVia      string     `json:"reported_via" enum:"staff,portal"`
	AffectedServices []string   `json:"affected_services"`
	DataTypes        []string   `json:"data_types"`
	RecordsAffected  *int64     `json:"records_affected"`
	OurActions       string     `json:"our_actions"`
	Status           string     `json:"status" enum:"open,contained,resolved,closed"`
	ClosedAt         *time.Time `json:"closed_at"`
	Version          int64      `json:"version"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

type incidentEventResponse struct {
	ID     string    `json:"id"`
	At     time.Time `json:"at"`
	Author string    `json:"author"`
	Kind   string    `json:"kind" enum:"note,status_change"`
	Text   string    `json:"text"`
}

type incidentFindingResponse struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	Status   string `json:"status"`
}

type incidentDetailResponse struct {
	incidentResponse
	NoticeCheck *incidents.NoticeCheck    `json:"notice_check" description:"the notice measured against the strictest confirmed breach_notification term of the vendor's contracts; null when no contract has one confirmed"`
	Timeline    []incidentEventResponse   `json:"timeline"`
	Findings    []incidentFindingResponse `json:"findings"`
}

func toIncident(i *models.Incident, vendorName string) incidentResponse {
	return incidentResponse{ID: i.ID, VendorID: i.VendorID, VendorName: vendorName, Title: i.Title, Description: i.Description, Kind: i.Kind,
		Severity: i.Severity, OccurredAt: i.OccurredAt.UTC(), DetectedAt: utcPtr(i.DetectedAt), NotifiedAt: utcPtr(i.NotifiedAt),
		ReportedBy: i.ReportedBy, ReportedVia: i.ReportedVia, AffectedServices: incidents.List(i.AffectedServices),
		DataTypes: incidents.List(i.DataTypes), RecordsAffected: i.RecordsAffected, OurActions: i.OurActions, Status: i.Status,
		ClosedAt: utcPtr(i.ClosedAt), Version: i.Version, CreatedAt: i.CreatedAt, UpdatedAt: i.UpdatedAt}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func (s *Server) incidentService() *incidents.Service {
	return &incidents.Service{DB: s.deps.DB.Gorm, Now: s.deps.Now, Notify: s.deps.Notify}
}

type incidentsQuery struct {
	VendorID string `query:"vendor_id"`
	Status   string `query:"status" description:"comma-separated: open, contained, resolved, closed"`
	Severity string `query:"severity" description:"comma-separated: critical, high, medium, low"`
	Sort     string `query:"sort" description:"created_at, updated_at, occurred_at, severity or status; - for descending (default -created_at)"`
	Limit    int    `query:"limit" minimum:"1" maximum:"200"`
	Cursor   string `query:"cursor"`
}

type vendorIncidentsQuery struct {
	ID       string `path:"id"`
	Status   string `query:"status" description:"comma-separated: open, contained, resolved, closed"`
	Severity string `query:"severity" description:"comma-separated: critical, high, medium, low"`
	Sort     string `query:"sort" description:"created_at, updated_at, occurred_at, severity or status; - for descending (default -created_at)"`
	Limit    int    `query:"limit" minimum:"1" maximum:"200"`
	Cursor   string `query:"cursor"`
}

func (s *Server) listIncidents(c echo.Context) error {
	return s.incidentList(c, "")
}

func (s *Server) listVendorIncidents(c echo.Context) error {
	if _, err := models.GetVendor(c.Request().Context(), s.deps.DB.Gorm, c.Param("id")); err != nil {
		return err
	}
	return s.incidentList(c, c.Param("id"))
}

func (s *Server) incidentList(c echo.Context, vendorID string) error {
	allowed := []string{"status", "severity"}
	if vendorID == "" {
		allowed = append(allowed, "vendor_id")
	}
	q := parseQuery(c, allowed...)
	f := models.IncidentFilter{VendorID: vendorID, Statuses: q.list("status", incidents.Statuses), Severities: q.list("severity", incidents.Severities),
		Sort: q.values.Get("sort"), Cursor: q.values.Get("cursor"), Limit: q.limit()}
	if vendorID == "" {
		f.VendorID = q.str("vendor_id", 64)
	}
	if err := q.err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	page, err := models.ListIncidents(ctx, s.deps.DB.Gorm, f)
	if err != nil {
		return err
	}
	names, err := models.IncidentVendorNames(ctx, s.deps.DB.Gorm, page.Items)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(page, func(i *models.Incident) incidentResponse { return toIncident(i, names[i.VendorID]) }))
}

type createIncidentRequest struct {
	VendorID         string   `json:"vendor_id" validate:"required,max=64"`
	Title            string   `json:"title" validate:"required,max=200"`
	Description      string   `json:"description" validate:"max=10000"`
	Kind             string   `json:"kind" enum:"breach,outage,other" description:"default other"`
	Severity         string   `json:"severity" validate:"required" enum:"critical,high,medium,low"`
	OccurredAt       string   `json:"occurred_at" validate:"required,max=40" description:"RFC 3339"`
	DetectedAt       string   `json:"detected_at" validate:"max=40" description:"RFC 3339: when the vendor became aware; empty when not known"`
	NotifiedAt       string   `json:"notified_at" validate:"max=40" description:"RFC 3339: when we were told; empty while not notified"`
	ReportedBy       string   `json:"reported_by" validate:"max=254" description:"who told us: a name or an email"`
	AffectedServices []string `json:"affected_services" validate:"max=50"`
	DataTypes        []string `json:"data_types" validate:"max=20" description:"vendor data-type codes: personal_data, credentials_secrets, ..."`
	RecordsAffected  *int64   `json:"records_affected"`
	OurActions       string   `json:"our_actions" validate:"max=10000"`
}

func (s *Server) createIncident(c echo.Context) error {
	var req createIncidentRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	i, err := s.incidentService().Create(c.Request().Context(), principalOf(c), incidents.New{VendorID: req.VendorID, Title: req.Title,
		Description: req.Description, Kind: req.Kind, Severity: req.Severity, OccurredAt: req.OccurredAt, DetectedAt: req.DetectedAt,
		NotifiedAt: req.NotifiedAt, ReportedBy: req.ReportedBy, AffectedServices: req.AffectedServices, DataTypes: req.DataTypes,
		RecordsAffected: req.RecordsAffected, OurActions: req.OurActions}, s.origin(c))
	if err != nil {
		return err
	}
	return s.incidentDetail(c, http.StatusCreated, i.ID)
}

type incidentIDParam struct {
	ID string `path:"id"`
}

func (s *Server) getIncident(c echo.Context) error {
	return s.incidentDetail(c, http.StatusOK, c.Param("id"))
}

func (s *Server) incidentDetail(c echo.Context, status int, id string) error {
	d, err := s.incidentService().Load(c.Request().Context(), id)
	if err != nil {
		return err
	}
	out := incidentDetailResponse{incidentResponse: toIncident(d.Incident, d.VendorName), NoticeCheck: d.Notice,
		Timeline: make([]incidentEventResponse, 0, len(d.Events)), Findings: make([]incidentFindingResponse, 0, len(d.Findings))}
	for _, e := range d.Events {
		out.Timeline = append(out.Timeline, incidentEventResponse{ID: e.ID, At: e.At.UTC(), Author: e.AuthorLabel, Kind: e.Kind, Text: e.Text})
	}
	for _, f := range d.Findings {
		out.Findings = append(out.Findings, incidentFindingResponse{ID: f.ID, Title: f.Title, Severity: f.Severity, Status: f.Status})
	}
	return c.JSON(status, out)
}

type updateIncidentRequest struct {
	ID               string    `json:"-" path:"id"`
	Version          int64     `json:"version" validate:"required,gte=1"`
	Title            *string   `json:"title" validate:"omitempty,max=200"`
	Description      *string   `json:"description" validate:"omitempty,max=10000"`
	Kind             *string   `json:"kind" enum:"breach,outage,other"`
	Severity         *string   `json:"severity" enum:"critical,high,medium,low"`
	Status           *string   `json:"status" enum:"open,contained,resolved,closed"`
	OccurredAt       *string   `json:"occurred_at" validate:"omitempty,max=40"`
	DetectedAt       *string   `json:"detected_at" validate:"omitempty,max=40" description:"empty string clears it"`
	NotifiedAt       *string   `json:"notified_at" validate:"omitempty,max=40" description:"empty string clears it"`
	ReportedBy       *string   `json:"reported_by" validate:"omitempty,max=254"`
	AffectedServices *[]string `json:"affected_services" validate:"omitempty,max=50"`
	DataTypes        *[]string `json:"data_types" validate:"omitempty,max=20"`
	RecordsAffected  *int64    `json:"records_affected" description:"-1 clears it"`
	OurActions       *string   `json:"our_actions" validate:"omitempty,max=10000"`
}

func (s *Server) updateIncident(c echo.Context) error {
	var req updateIncidentRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ch := incidents.Changes{Title: req.Title, Description: req.Description, Kind: req.Kind, Severity: req.Severity, Status: req.Status,
		OccurredAt: req.OccurredAt, DetectedAt: req.DetectedAt, NotifiedAt: req.NotifiedAt, ReportedBy: req.ReportedBy,
		OurActions: req.OurActions, AffectedServices: req.AffectedServices, DataTypes: req.DataTypes, RecordsAffected: req.RecordsAffected}
	if req.RecordsAffected != nil && *req.RecordsAffected == -1 {
		ch.RecordsAffected, ch.ClearRecords = nil, true
	}
	i, err := s.incidentService().Update(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, ch, s.origin(c))
	if err != nil {
		if i != nil {
			return conflictWith(err, toIncident(i, ""))
		}
		return err
	}
	return s.incidentDetail(c, http.StatusOK, i.ID)
}

type incidentNoteRequest struct {
	ID   string `json:"-" path:"id"`
	Text string `json:"text" validate:"required,max=10000"`
	At   string `json:"at" validate:"max=40" description:"RFC 3339: when it happened; default now"`
}

func (s *Server) addIncidentNote(c echo.Context) error {
	var req incidentNoteRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if _, err := s.incidentService().AddNote(c.Request().Context(), principalOf(c), c.Param("id"), req.Text, req.At, s.origin(c)); err != nil {
		return err
	}
	return s.incidentDetail(c, http.StatusCreated, c.Param("id"))
}

type incidentFindingRequest struct {
	ID        string `json:"-" path:"id"`
	FindingID string `json:"finding_id" validate:"required,max=64"`
}

func (s *Server) linkIncidentFinding(c echo.Context) error {
	var req incidentFindingRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if err := s.incidentService().LinkFinding(c.Request().Context(), principalOf(c), c.Param("id"), req.FindingID, s.origin(c)); err != nil {
		return err
	}
	return s.incidentDetail(c, http.StatusOK, c.Param("id"))
}

type incidentFindingParam struct {
	ID        string `path:"id"`
	FindingID string `path:"finding_id"`
}

func (s *Server) unlinkIncidentFinding(c echo.Context) error {
	if err := s.incidentService().UnlinkFinding(c.Request().Context(), principalOf(c), c.Param("id"), c.Param("finding_id"), s.origin(c)); err != nil {
		return err
	}
	return s.incidentDetail(c, http.StatusOK, c.Param("id"))
}

// Report links.

// vendorLinkResponse is a link a vendor contact opens without an account:
// an incident report link or a finding's remediation link.
type vendorLinkResponse struct {
	ID           string     `json:"id"`
	ContactEmail string     `json:"contact_email"`
	ExpiresAt    time.Time  `json:"expires_at"`
	RevokedAt    *time.Time `json:"revoked_at"`
	LastUsedAt   *time.Time `json:"last_used_at"`
	CreatedAt    time.Time  `json:"created_at"`
	// URL is shown once, when the link is made; only its hash is kept.
	URL string `json:"url,omitempty"`
}

func toIncidentLink(l *models.IncidentLink) vendorLinkResponse {
	return vendorLinkResponse{ID: l.ID, ContactEmail: l.ContactEmail, ExpiresAt: l.ExpiresAt.UTC(), RevokedAt: utcPtr(l.RevokedAt),
		LastUsedAt: utcPtr(l.LastUsedAt), CreatedAt: l.CreatedAt}
}

type createIncidentLinkRequest struct {
	ID           string `json:"-" path:"id"`
	ContactEmail string `json:"contact_email" validate:"max=254"`
	Days         int    `json:"days" validate:"omitempty,min=1,max=365" description:"how long the link works (default 90)"`
}

func (s *Server) createIncidentLink(c echo.Context) error {
	var req createIncidentLinkRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	l, token, err := s.incidentService().CreateLink(c.Request().Context(), principalOf(c), c.Param("id"), req.ContactEmail,
		time.Duration(req.Days)*24*time.Hour, s.origin(c))
	if err != nil {
		return err
	}
	out := toIncidentLink(l)
	out.URL = incidents.LinkURL(s.deps.BaseURL, token)
	return c.JSON(http.StatusCreated, out)
}

func (s *Server) listIncidentLinks(c echo.Context) error {
	ctx := c.Request().Context()
	if _, err := models.GetVendor(ctx, s.deps.DB.Gorm, c.Param("id")); err != nil {
		return err
	}
	ls, err := models.IncidentLinks(ctx, s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	out := make([]vendorLinkResponse, 0, len(ls))
	for i := range ls {
		out = append(out, toIncidentLink(&ls[i]))
	}
	return c.JSON(http.StatusOK, map[string][]vendorLinkResponse{"items": out})
}

type incidentLinkParam struct {
	ID     string `path:"id"`
	LinkID string `path:"link_id"`
}

func (s *Server) revokeIncidentLink(c echo.Context) error {
	if err := s.incidentService().RevokeLink(c.Request().Context(), principalOf(c), c.Param("id"), c.Param("link_id"), s.origin(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// The portal side: a vendor contact with a report link sees the vendor's
// name and a form, nothing else.

type portalIncidentLinkResponse struct {
	VendorName string   `json:"vendor_name"`
	Kinds      []string `json:"kinds"`
	Severities []string `json:"severities"`
	DataTypes  []string `json:"data_types"`
}

func (s *Server) portalIncidentLink(c echo.Context) error {
	_, name, err := s.incidentService().OpenLink(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, portalIncidentLinkResponse{VendorName: name, Kinds: incidents.Kinds, Severities: incidents.Severities,
		DataTypes: vendors.DataTypes})
}

type portalIncidentRequest struct {
	Token            string   `json:"-" path:"token"`
	Title            string   `json:"title" validate:"required,max=200"`
	Description      string   `json:"description" validate:"max=10000" description:"what happened"`
	Kind             string   `json:"kind" enum:"breach,outage,other"`
	Severity         string   `json:"severity" enum:"critical,high,medium,low" description:"the vendor's estimate; default medium"`
	OccurredAt       string   `json:"occurred_at" validate:"required,max=40" description:"RFC 3339"`
	DetectedAt       string   `json:"detected_at" validate:"max=40" description:"RFC 3339: when the vendor became aware"`
	AffectedServices []string `json:"affected_services" validate:"max=50"`
	DataTypes        []string `json:"data_types" validate:"max=20"`
	RecordsAffected  *int64   `json:"records_affected"`
	ContactName      string   `json:"contact_name" validate:"required,max=200"`
	ContactEmail     string   `json:"contact_email" validate:"required,max=254"`
}

type portalIncidentResponse struct {
	ID         string    `json:"id" description:"the reference to quote in further contact"`
	Title      string    `json:"title"`
	NotifiedAt time.Time `json:"notified_at"`
}

func (s *Server) portalReportIncident(c echo.Context) error {
	var req portalIncidentRequest
	if err := bindJSON(c, &req); err != nil {
		// An unknown or revoked link answers 404 before anything about the body.
		if _, _, lerr := s.incidentService().OpenLink(c.Request().Context(), c.Param("token")); lerr != nil {
			return lerr
		}
		return err
	}
	i, err := s.incidentService().ReportIncident(c.Request().Context(), c.Param("token"), incidents.Report{Title: req.Title,
		Description: req.Description, Kind: req.Kind, Severity: req.Severity, OccurredAt: req.OccurredAt, DetectedAt: req.DetectedAt,
		AffectedServices: req.AffectedServices, DataTypes: req.DataTypes, RecordsAffected: req.RecordsAffected,
		ContactName: req.ContactName, ContactEmail: req.ContactEmail}, s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, portalIncidentResponse{ID: i.ID, Title: i.Title, NotifiedAt: i.NotifiedAt.UTC()})
}
