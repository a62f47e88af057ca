package handlers

import (
	"io"
	"mime/multipart"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/models"
)

// A finding's comment thread and evidence files.

type findingCommentResponse struct {
	ID         string    `json:"id"`
	AuthorID   string    `json:"author_id"`
	AuthorName string    `json:"author_name"`
	Body       string    `json:"body" description:"plain text, shown as written"`
	CreatedAt  time.Time `json:"created_at"`
}

type findingCommentRequest struct {
	ID   string `json:"-" path:"id"`
	Body string `json:"body" validate:"required,max=10000"`
}

type findingAttachmentResponse struct {
	ID             string    `json:"id"`
	Filename       string    `json:"filename"`
	ContentType    string    `json:"content_type"`
	Size           int64     `json:"size"`
	Sha256         string    `json:"sha256"`
	UploadedBy     string    `json:"uploaded_by"`
	UploadedByName string    `json:"uploaded_by_name"`
	CreatedAt      time.Time `json:"created_at"`
	// URL downloads the file (same session or token).
	URL string `json:"url"`
}

type findingAttachmentUpload struct {
	ID   string                `path:"id"`
	File *multipart.FileHeader `formData:"file" description:"PDF, PNG, JPEG, DOCX, XLSX, text or CSV; at most 20 MB; the type is detected from the content"`
}

type findingAttachmentParam struct {
	ID           string `path:"id"`
	AttachmentID string `path:"attachment_id"`
}

func (s *Server) listFindingComments(c echo.Context) error {
	ctx := c.Request().Context()
	f, err := models.GetFinding(ctx, s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	cs, err := models.FindingComments(ctx, s.deps.DB.Gorm, f.ID)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(cs))
	for _, cm := range cs {
		ids = append(ids, cm.AuthorID)
	}
	names, err := models.UserNames(ctx, s.deps.DB.Gorm, ids)
	if err != nil {
		return err
	}
	out := make([]findingCommentResponse, 0, len(cs))
	for _, cm := range cs {
		out = append(out, findingCommentResponse{ID: cm.ID, AuthorID: cm.AuthorID, AuthorName: names[cm.AuthorID], Body: cm.Body, CreatedAt: cm.CreatedAt})
	}
	return c.JSON(http.StatusOK, map[string][]findingCommentResponse{"items": out})
}

func (s *Server) commentFinding(c echo.Context) error {
	var req findingCommentRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	p := principalOf(c)
	cm, err := s.findingService().Comment(c.Request().Context(), p, c.Param("id"), req.Body, s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, findingCommentResponse{ID: cm.ID, AuthorID: cm.AuthorID, AuthorName: p.User.Name, Body: cm.Body, CreatedAt: cm.CreatedAt})
}

func toFindingAttachment(a *models.FindingAttachment, uploader string) findingAttachmentResponse {
	return findingAttachmentResponse{ID: a.ID, Filename: a.Filename, ContentType: a.ContentType, Size: a.Size, Sha256: a.Sha256,
		UploadedBy: a.UploadedBy, UploadedByName: uploader, CreatedAt: a.CreatedAt, URL: "/api/v1/findings/" + a.FindingID + "/attachments/" + a.ID}
}

func (s *Server) listFindingAttachments(c echo.Context) error {
	ctx := c.Request().Context()
	f, err := models.GetFinding(ctx, s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	as, err := models.FindingAttachments(ctx, s.deps.DB.Gorm, f.ID)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(as))
	for _, a := range as {
		ids = append(ids, a.UploadedBy)
	}
	names, err := models.UserNames(ctx, s.deps.DB.Gorm, ids)
	if err != nil {
		return err
	}
	out := make([]findingAttachmentResponse, 0, len(as))
	for i := range as {
		out = append(out, toFindingAttachment(&as[i], names[as[i].UploadedBy]))
	}
	return c.JSON(http.StatusOK, map[string][]findingAttachmentResponse{"items": out})
}

// attachToFinding streams the "file" part straight to storage, so a large
// file is never held in memory.
func (s *Server) attachToFinding(c echo.Context) error {
	p := principalOf(c)
	var out *models.FindingAttachment
	err := streamUpload(c, nil, func(name string, body io.Reader) (err error) {
		out, err = s.findingService().Attach(c.Request().Context(), s.deps.Files, p, c.Param("id"), name, body, s.origin(c))
		return err
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toFindingAttachment(out, p.User.Name))
}

// downloadFindingAttachment serves a finding's file, always as a download
// and sandboxed if a browser renders it.
func (s *Server) downloadFindingAttachment(c echo.Context) error {
	ctx := c.Request().Context()
	f, err := models.GetFinding(ctx, s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	a, err := models.FindingAttachmentByID(ctx, s.deps.DB.Gorm, f.ID, c.Param("attachment_id"))
	if err != nil {
		return err
	}
	return s.serveFile(c, a.StorageKey, a.Filename, a.ContentType, a.Size, a.Sha256)
}
