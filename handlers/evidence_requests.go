package handlers

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/evidence"
	"rampart/app/risk"
	"rampart/models"
)

// Evidence requested from the vendor (app/evidence/requests.go,
// docs/evidence.md).

type evidenceRequestResponse struct {
	ID           string `json:"id"`
	Kind         string `json:"kind"`
	KindLabel    string `json:"kind_label"`
	ContactEmail string `json:"contact_email"`
	Message      string `json:"message"`
	DueDate      string `json:"due_date"`
	// Status: requested, uploaded or cancelled as stored; overdue is a
	// request still waiting past its due date.
	Status        string     `json:"status" enum:"requested,overdue,uploaded,cancelled"`
	DocumentID    *string    `json:"document_id" description:"the document the upload went into"`
	VersionNumber *int64     `json:"version_number"`
	UploadedAt    *time.Time `json:"uploaded_at"`
	CancelledAt   *time.Time `json:"cancelled_at"`
	ExpiresAt     time.Time  `json:"expires_at"`
	LastUsedAt    *time.Time `json:"last_used_at"`
	CreatedAt     time.Time  `json:"created_at"`
	// URL is shown once, when the request is made; only its hash is kept.
	URL string `json:"url,omitempty"`
}

func (s *Server) toEvidenceRequest(r *models.EvidenceRequest) evidenceRequestResponse {
	st := r.Status
	if st == evidence.RequestOpen && r.DueDate < s.deps.Now().UTC().Format(time.DateOnly) {
		st = "overdue"
	}
	return evidenceRequestResponse{ID: r.ID, Kind: r.Kind, KindLabel: risk.EvidenceLabel(r.Kind), ContactEmail: r.ContactEmail, Message: r.Message,
		DueDate: r.DueDate, Status: st, DocumentID: r.DocumentID, VersionNumber: r.VersionNumber, UploadedAt: utcPtr(r.UploadedAt),
		CancelledAt: utcPtr(r.CancelledAt), ExpiresAt: r.ExpiresAt.UTC(), LastUsedAt: utcPtr(r.LastUsedAt), CreatedAt: r.CreatedAt}
}

type evidenceRequestsQuery struct {
	ID     string `path:"id"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200"`
	Cursor string `query:"cursor"`
}

func (s *Server) listEvidenceRequests(c echo.Context) error {
	ctx := c.Request().Context()
	v, err := models.GetVendor(ctx, s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	q := parseQuery(c)
	limit, cursor := q.limit(), q.values.Get("cursor")
	if err := q.err(); err != nil {
		return err
	}
	page, err := models.ListEvidenceRequests(ctx, s.deps.DB.Gorm, v.ID, cursor, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(page, func(r *models.EvidenceRequest) evidenceRequestResponse { return s.toEvidenceRequest(r) }))
}

type createEvidenceRequestRequest struct {
	ID           string `json:"-" path:"id"`
	Kind         string `json:"kind" validate:"required,max=40" description:"an evidence kind: soc2_type2, iso27001, pentest_summary, ..."`
	ContactEmail string `json:"contact_email" validate:"required,max=254"`
	DueDate      string `json:"due_date" validate:"required,max=10" description:"YYYY-MM-DD, not in the past"`
	Message      string `json:"message" validate:"max=20000" description:"plain text, at most 5,000 characters; the vendor sees it"`
}

func (s *Server) createEvidenceRequest(c echo.Context) error {
	var req createEvidenceRequestRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	r, token, err := s.evidenceService().Request(c.Request().Context(), principalOf(c), c.Param("id"), req.Kind, req.ContactEmail, req.DueDate,
		req.Message, s.origin(c))
	if err != nil {
		return err
	}
	out := s.toEvidenceRequest(r)
	out.URL = evidence.RequestURL(s.deps.BaseURL, token)
	return c.JSON(http.StatusCreated, out)
}

type evidenceRequestParam struct {
	ID        string `path:"id"`
	RequestID string `path:"request_id"`
}

func (s *Server) cancelEvidenceRequest(c echo.Context) error {
	r, err := s.evidenceService().CancelRequest(c.Request().Context(), principalOf(c), c.Param("id"), c.Param("request_id"), s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.toEvidenceRequest(r))
}

// The portal side: the vendor contact sees what is asked, by whom and by
// when, and can upload one file.

type portalEvidenceRequestResponse struct {
	OrgName    string `json:"org_name"`
	VendorName string `json:"vendor_name"`
	Kind       string `json:"kind"`
	KindLabel  string `json:"kind_label"`
	Message    string `json:"message"`
	DueDate    string `json:"due_date"`
	Status     string `json:"status" enum:"requested,uploaded"`
	// Filename is what was uploaded, once it was.
	Filename   string     `json:"filename"`
	UploadedAt *time.Time `json:"uploaded_at"`
}

func (s *Server) portalEvidenceView(c echo.Context, status int, r *models.EvidenceRequest, vendorName string) error {
	out := portalEvidenceRequestResponse{OrgName: s.deps.Notify.Org(c.Request().Context(), s.deps.DB.Gorm), VendorName: vendorName, Kind: r.Kind, KindLabel: risk.EvidenceLabel(r.Kind),
		Message: r.Message, DueDate: r.DueDate, Status: r.Status, UploadedAt: utcPtr(r.UploadedAt)}
	if r.DocumentID != nil && r.VersionNumber != nil {
		if v, err := models.EvidenceVersionByNumber(c.Request().Context(), s.deps.DB.Gorm, *r.DocumentID, *r.VersionNumber); err == nil {
			out.Filename = v.Filename
		}
	}
	return c.JSON(status, out)
}

func (s *Server) portalGetEvidenceRequest(c echo.Context) error {
	r, name, err := s.evidenceService().OpenRequest(c.Request().Context(), s.deps.DB.Gorm, c.Param("token"))
	if err != nil {
		return err
	}
	return s.portalEvidenceView(c, http.StatusOK, r, name)
}

type portalEvidenceUpload struct {
	Token string                `path:"token"`
	File  *multipart.FileHeader `formData:"file" description:"PDF, PNG, JPEG, DOCX, XLSX, text or CSV; at most 25 MB; the type is detected from the content"`
}

func (s *Server) portalUploadEvidence(c echo.Context) error {
	ctx := c.Request().Context()
	_, name, err := s.evidenceService().OpenRequest(ctx, s.deps.DB.Gorm, c.Param("token"))
	if err != nil {
		return err
	}
	data, filename, err := uploadedNamedFile(c, "file", evidence.MaxFile)
	if err != nil {
		return err
	}
	r, _, err := s.evidenceService().FulfilRequest(ctx, s.deps.Files, c.Param("token"), filename, bytes.NewReader(data), s.origin(c))
	if err != nil {
		return err
	}
	return s.portalEvidenceView(c, http.StatusCreated, r, name)
}
