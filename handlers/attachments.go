package handlers

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/intake"
	"rampart/models"
)

type attachmentResponse struct {
	ID          string    `json:"id"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	Sha256      string    `json:"sha256"`
	UploadedBy  string    `json:"uploaded_by"`
	CreatedAt   time.Time `json:"created_at"`
	// URL downloads the file (same session or token).
	URL string `json:"url"`
}

func toAttachmentResponse(a *models.RequestAttachment) attachmentResponse {
	return attachmentResponse{ID: a.ID, Filename: a.Filename, ContentType: a.ContentType, Size: a.Size, Sha256: a.Sha256,
		UploadedBy: a.UploadedBy, CreatedAt: a.CreatedAt, URL: "/api/v1/requests/" + a.RequestID + "/attachments/" + a.ID}
}

type attachmentUpload struct {
	ID   string                `path:"id"`
	File *multipart.FileHeader `formData:"file" description:"PDF, PNG, JPEG, DOCX, XLSX, text or CSV; at most 20 MB; the type is detected from the content"`
}

type attachmentParam struct {
	ID           string `path:"id"`
	AttachmentID string `path:"attachment_id"`
}

// uploadAttachment streams the "file" part of a multipart body straight to
// storage, so a large file is never held in memory.
func (s *Server) uploadAttachment(c echo.Context) error {
	var out *models.RequestAttachment
	err := streamUpload(c, nil, func(name string, body io.Reader) (err error) {
		out, err = s.intake().Attach(c.Request().Context(), s.deps.Files, principalOf(c), c.Param("id"), name, body, s.origin(c))
		return err
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toAttachmentResponse(out))
}

// streamUpload reads a multipart body in order: small text fields named in
// fields (sent before the file) are stored there, and the first "file"
// part is handed to save while it is still arriving.
func streamUpload(c echo.Context, fields map[string]*string, save func(name string, body io.Reader) error) error {
	mr, err := c.Request().MultipartReader()
	if err != nil {
		return &requestError{status: http.StatusUnsupportedMediaType, detail: "Send the file as multipart/form-data in the field \"file\"."}
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return models.Invalid("file", "is required: attach a file")
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return err
			}
			return malformed("The multipart body could not be read.")
		}
		if dst, ok := fields[part.FormName()]; ok {
			b, _ := io.ReadAll(io.LimitReader(part, 200))
			if bytes.IndexByte(b, 0) >= 0 {
				part.Close()
				return nulError(part.FormName())
			}
			*dst = string(b)
		} else if part.FormName() == "file" && part.FileName() != "" {
			err := save(part.FileName(), part)
			part.Close()
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return malformed("The upload was interrupted before the file was complete; nothing was saved.")
			}
			return err
		}
		part.Close()
	}
}

// downloadAttachment serves a file only to callers who may see its
// request, always as a download, and sandboxed if a browser renders it.
func (s *Server) downloadAttachment(c echo.Context) error {
	ctx := c.Request().Context()
	r, err := models.GetToolRequest(ctx, s.deps.DB.Gorm, intake.Scope(principalOf(c).User), c.Param("id"))
	if err != nil {
		return err
	}
	a, err := models.RequestAttachmentByID(ctx, s.deps.DB.Gorm, r.ID, c.Param("attachment_id"))
	if err != nil {
		return err
	}
	return s.serveFile(c, a.StorageKey, a.Filename, a.ContentType, a.Size, a.Sha256)
}

func attachmentsOf(as []models.RequestAttachment) []attachmentResponse {
	out := make([]attachmentResponse, 0, len(as))
	for i := range as {
		out = append(out, toAttachmentResponse(&as[i]))
	}
	return out
}
