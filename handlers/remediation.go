package handlers

import (
	"context"
	"errors"
	"mime/multipart"
	"net/http"
	"net/mail"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/assessments"
	"rampart/app/findings"
	"rampart/models"
)

// Remediation with the vendor: a finding shared through a portal link
// (app/findings/remediation.go, docs/risk-scoring.md).

type remediationEventResponse struct {
	ID         string                    `json:"id"`
	At         time.Time                 `json:"at"`
	Author     string                    `json:"author" description:"a staff member's name, or the vendor contact's email followed by (vendor)"`
	ByVendor   bool                      `json:"by_vendor"`
	Kind       string                    `json:"kind" enum:"shared,plan_proposed,changes_requested,plan_accepted,progress,marked_done,reopened,accepted_closed"`
	Text       string                    `json:"text" description:"plain text, shown as written"`
	TargetDate string                    `json:"target_date"`
	Files      []remediationFileResponse `json:"files"`
}

type remediationFileResponse struct {
	ID          string    `json:"id"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	CreatedAt   time.Time `json:"created_at"`
	// URL downloads the file (the staff session's, or the link's).
	URL string `json:"url"`
}

type remediationResponse struct {
	ID           string `json:"id"`
	Status       string `json:"status" enum:"requested,plan_proposed,changes_requested,plan_accepted,vendor_marked_done,accepted_closed"`
	ContactEmail string `json:"contact_email"`
	Message      string `json:"message"`
	Plan         string `json:"plan" description:"the vendor's latest proposed plan"`
	TargetDate   string `json:"target_date"`
	Version      int64  `json:"version" description:"send back with a decision (409 when stale)"`
}

type findingRemediationResponse struct {
	// Remediation is null while the finding was never shared.
	Remediation *remediationResponse       `json:"remediation"`
	Timeline    []remediationEventResponse `json:"timeline"`
	Links       []vendorLinkResponse       `json:"links"`
	// SuggestedContact prefills the share form: the finding's vendor
	// contact when it is an address, else the vendor's first contact with
	// an email (its security contact first).
	SuggestedContact string `json:"suggested_contact"`
}

func toRemediation(r *models.FindingRemediation) *remediationResponse {
	return &remediationResponse{ID: r.ID, Status: r.Status, ContactEmail: r.ContactEmail, Message: r.Message, Plan: r.Plan,
		TargetDate: r.TargetDate, Version: r.Version}
}

// remediationTimeline loads the events with their files; fileURL makes a
// file's address for the staff page or the portal.
func (s *Server) remediationTimeline(ctx context.Context, remID string, fileURL func(id string) string) ([]remediationEventResponse, error) {
	evs, err := models.RemediationEvents(ctx, s.deps.DB.Gorm, remID)
	if err != nil {
		return nil, err
	}
	fs, err := models.RemediationFiles(ctx, s.deps.DB.Gorm, remID)
	if err != nil {
		return nil, err
	}
	byEvent := map[string][]remediationFileResponse{}
	for _, f := range fs {
		byEvent[f.EventID] = append(byEvent[f.EventID], remediationFileResponse{ID: f.ID, Filename: f.Filename, ContentType: f.ContentType,
			Size: f.Size, CreatedAt: f.CreatedAt, URL: fileURL(f.ID)})
	}
	out := make([]remediationEventResponse, 0, len(evs))
	for _, e := range evs {
		files := byEvent[e.ID]
		if files == nil {
			files = []remediationFileResponse{}
		}
		out = append(out, remediationEventResponse{ID: e.ID, At: e.At.UTC(), Author: e.AuthorLabel, ByVendor: e.AuthorID == nil, Kind: e.Kind,
			Text: e.Text, TargetDate: e.TargetDate, Files: files})
	}
	return out, nil
}

func (s *Server) findingRemediation(c echo.Context, status int, findingID string, url string) error {
	ctx := c.Request().Context()
	f, err := models.GetFinding(ctx, s.deps.DB.Gorm, findingID)
	if err != nil {
		return err
	}
	out := findingRemediationResponse{Timeline: []remediationEventResponse{}, Links: []vendorLinkResponse{}}
	rem, err := models.RemediationForFinding(ctx, s.deps.DB.Gorm, f.ID)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	if rem != nil {
		out.Remediation = toRemediation(rem)
		if out.Timeline, err = s.remediationTimeline(ctx, rem.ID, func(id string) string {
			return "/api/v1/findings/" + f.ID + "/remediation/files/" + id
		}); err != nil {
			return err
		}
		ls, err := models.RemediationLinks(ctx, s.deps.DB.Gorm, rem.ID)
		if err != nil {
			return err
		}
		for i, l := range ls {
			r := vendorLinkResponse{ID: l.ID, ContactEmail: l.ContactEmail, ExpiresAt: l.ExpiresAt.UTC(), RevokedAt: utcPtr(l.RevokedAt),
				LastUsedAt: utcPtr(l.LastUsedAt), CreatedAt: l.CreatedAt}
			if i == 0 {
				r.URL = url
			}
			out.Links = append(out.Links, r)
		}
	}
	if out.SuggestedContact, err = s.suggestedContact(ctx, f); err != nil {
		return err
	}
	return c.JSON(status, out)
}

func (s *Server) suggestedContact(ctx context.Context, f *models.Finding) (string, error) {
	if e := models.NormalizeEmail(f.VendorContact); e != "" {
		if a, err := mail.ParseAddress(e); err == nil && a.Address == e {
			return e, nil
		}
	}
	v, err := models.GetVendor(ctx, s.deps.DB.Gorm, f.VendorID)
	if err != nil {
		return "", err
	}
	first := ""
	for _, ct := range v.Contacts {
		if ct.Email == "" {
			continue
		}
		if ct.Role == "security" {
			return ct.Email, nil
		}
		if first == "" {
			first = ct.Email
		}
	}
	return first, nil
}

func (s *Server) getFindingRemediation(c echo.Context) error {
	return s.findingRemediation(c, http.StatusOK, c.Param("id"), "")
}

type shareFindingRequest struct {
	ID           string `json:"-" path:"id"`
	ContactEmail string `json:"contact_email" validate:"required,max=254"`
	Message      string `json:"message" validate:"max=20000" description:"plain text, at most 5,000 characters; the vendor sees it"`
	Days         int    `json:"days" validate:"omitempty,min=1,max=365" description:"how long the link works (default 90)"`
}

func (s *Server) shareFinding(c echo.Context) error {
	var req shareFindingRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	_, _, token, err := s.findingService().Share(c.Request().Context(), principalOf(c), c.Param("id"), req.ContactEmail, req.Message,
		time.Duration(req.Days)*24*time.Hour, s.origin(c))
	if err != nil {
		return err
	}
	return s.findingRemediation(c, http.StatusCreated, c.Param("id"), findings.RemediationURL(s.deps.BaseURL, token))
}

type decideRemediationRequest struct {
	ID       string `json:"-" path:"id"`
	Version  int64  `json:"version" validate:"required,gte=1"`
	Decision string `json:"decision" validate:"required" enum:"accept_plan,request_changes,accept_complete"`
	Comment  string `json:"comment" validate:"max=20000" description:"plain text, at most 5,000 characters; required to ask for changes; the vendor sees it"`
}

func (s *Server) decideRemediation(c echo.Context) error {
	var req decideRemediationRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	rem, err := s.findingService().Decide(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, req.Decision, req.Comment, s.origin(c))
	if err != nil {
		if rem != nil {
			return conflictWith(err, toRemediation(rem))
		}
		return err
	}
	return s.findingRemediation(c, http.StatusOK, c.Param("id"), "")
}

type remediationLinkParam struct {
	ID     string `path:"id"`
	LinkID string `path:"link_id"`
}

func (s *Server) revokeRemediationLink(c echo.Context) error {
	if err := s.findingService().RevokeRemediationLink(c.Request().Context(), principalOf(c), c.Param("id"), c.Param("link_id"), s.origin(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type remediationFileParam struct {
	ID     string `path:"id"`
	FileID string `path:"file_id"`
}

func (s *Server) downloadRemediationFile(c echo.Context) error {
	ctx := c.Request().Context()
	rem, err := models.RemediationForFinding(ctx, s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	f, err := models.RemediationFileByID(ctx, s.deps.DB.Gorm, rem.ID, c.Param("file_id"))
	if err != nil {
		return err
	}
	return s.serveFile(c, f.StorageKey, f.Filename, f.ContentType, f.Size, f.Sha256)
}

// The portal side: the vendor contact sees only this finding's
// vendor-facing parts — never comments, the owner, other findings or
// scores.

type portalRemediationResponse struct {
	OrgName     string `json:"org_name"`
	VendorName  string `json:"vendor_name"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Severity    string `json:"severity" enum:"critical,high,medium,low"`
	DueDate     string `json:"due_date"`
	Message     string `json:"message" description:"what the company asked when sharing"`
	Status      string `json:"status" enum:"requested,plan_proposed,changes_requested,plan_accepted,vendor_marked_done,accepted_closed"`
	Plan        string `json:"plan"`
	TargetDate  string `json:"target_date"`
	// What the vendor may do now.
	CanPropose  bool                       `json:"can_propose"`
	CanProgress bool                       `json:"can_progress"`
	CanMarkDone bool                       `json:"can_mark_done"`
	Timeline    []remediationEventResponse `json:"timeline"`
	ExpiresAt   time.Time                  `json:"expires_at"`
}

func (s *Server) portalRemediationView(c echo.Context, status int, pt *findings.Portal) error {
	token := c.Param("token")
	tl, err := s.remediationTimeline(c.Request().Context(), pt.Remediation.ID, func(id string) string {
		return "/api/v1/portal/" + token + "/remediation/files/" + id
	})
	if err != nil {
		return err
	}
	r, f := pt.Remediation, pt.Finding
	st := r.Status
	return c.JSON(status, portalRemediationResponse{OrgName: s.deps.Notify.Org(c.Request().Context(), s.deps.DB.Gorm), VendorName: pt.VendorName, Title: f.Title, Description: f.Description,
		Severity: f.Severity, DueDate: f.DueDate, Message: r.Message, Status: st, Plan: r.Plan, TargetDate: r.TargetDate,
		CanPropose:  st == findings.RemRequested || st == findings.RemChangesRequested || st == findings.RemPlanProposed,
		CanProgress: st != findings.RemClosed, CanMarkDone: st == findings.RemPlanAccepted, Timeline: tl, ExpiresAt: pt.Link.ExpiresAt.UTC()})
}

func (s *Server) portalGetRemediation(c echo.Context) error {
	pt, err := s.findingService().OpenRemediation(c.Request().Context(), s.deps.DB.Gorm, c.Param("token"))
	if err != nil {
		return err
	}
	return s.portalRemediationView(c, http.StatusOK, pt)
}

type portalPlanRequest struct {
	Token      string `json:"-" path:"token"`
	Plan       string `json:"plan" validate:"required,max=20000" description:"plain text, at most 5,000 characters"`
	TargetDate string `json:"target_date" validate:"required,max=10" description:"YYYY-MM-DD, not in the past"`
}

func (s *Server) portalProposePlan(c echo.Context) error {
	var req portalPlanRequest
	if err := bindJSON(c, &req); err != nil {
		// An unknown or revoked link answers 404 before anything about the body.
		if _, lerr := s.findingService().OpenRemediation(c.Request().Context(), s.deps.DB.Gorm, c.Param("token")); lerr != nil {
			return lerr
		}
		return err
	}
	pt, err := s.findingService().ProposePlan(c.Request().Context(), c.Param("token"), req.Plan, req.TargetDate, s.origin(c))
	if err != nil {
		return err
	}
	return s.portalRemediationView(c, http.StatusOK, pt)
}

type portalProgressForm struct {
	Token string                `path:"token"`
	Body  string                `formData:"body" description:"plain text, at most 5,000 characters; required unless a file is sent or done is true"`
	Done  string                `formData:"done" enum:"true,false" description:"true marks the work done (needs an accepted plan); send it before the file"`
	File  *multipart.FileHeader `formData:"file" description:"optional: PDF, PNG, JPEG, DOCX, XLSX, text or CSV; at most 20 MB; the type is detected from the content; at most 20 files and 100 MB per remediation"`
}

func (s *Server) portalPostProgress(c echo.Context) error {
	if _, err := s.findingService().OpenRemediation(c.Request().Context(), s.deps.DB.Gorm, c.Param("token")); err != nil {
		return err
	}
	var done string
	var pt *findings.Portal
	err := readMessageForm(c, map[string]*string{"done": &done}, func(body string, up *assessments.Upload) (err error) {
		if done != "" && done != "true" && done != "false" {
			return fieldError("done", "must be true or false")
		}
		var fu *findings.Upload
		if up != nil {
			fu = &findings.Upload{Name: up.Name, Body: up.Body}
		}
		pt, err = s.findingService().PostProgress(c.Request().Context(), s.deps.Files, c.Param("token"), body, done == "true", fu, s.origin(c))
		return err
	})
	if err != nil {
		return err
	}
	return s.portalRemediationView(c, http.StatusCreated, pt)
}

type portalRemediationFileParam struct {
	Token  string `path:"token"`
	FileID string `path:"file_id"`
}

func (s *Server) portalDownloadRemediationFile(c echo.Context) error {
	ctx := c.Request().Context()
	pt, err := s.findingService().OpenRemediation(ctx, s.deps.DB.Gorm, c.Param("token"))
	if err != nil {
		return err
	}
	f, err := models.RemediationFileByID(ctx, s.deps.DB.Gorm, pt.Remediation.ID, c.Param("file_id"))
	if err != nil {
		return err
	}
	return s.serveFile(c, f.StorageKey, f.Filename, f.ContentType, f.Size, f.Sha256)
}
