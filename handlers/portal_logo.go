package handlers

import (
	"io"
	"mime/multipart"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/assessments"
	"rampart/models"
)

// The vendor portal's logo, set in Settings and shown to vendors beside
// the asking company's name.

type portalLogoView struct {
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type" enum:"image/png,image/jpeg"`
	Size        int64     `json:"size"`
	UpdatedAt   time.Time `json:"updated_at"`
	// URL shows the image (same session).
	URL string `json:"url"`
}

type portalLogoResponse struct {
	Logo *portalLogoView `json:"logo" description:"null when none is set"`
}

type portalLogoUpload struct {
	File *multipart.FileHeader `formData:"file" description:"PNG or JPEG, at most 512 KB; the type is detected from the content"`
}

func toPortalLogo(l *models.PortalLogo) *portalLogoView {
	if l == nil {
		return nil
	}
	return &portalLogoView{Filename: l.Filename, ContentType: l.ContentType, Size: l.Size, UpdatedAt: l.UpdatedAt, URL: "/api/v1/settings/portal-logo/image"}
}

func (s *Server) getPortalLogo(c echo.Context) error {
	l, err := models.GetPortalLogo(c.Request().Context(), s.deps.DB.Gorm)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, portalLogoResponse{Logo: toPortalLogo(l)})
}

func (s *Server) setPortalLogo(c echo.Context) error {
	var out *models.PortalLogo
	err := streamUpload(c, nil, func(name string, body io.Reader) (err error) {
		out, err = assessments.SetLogo(c.Request().Context(), s.deps.DB.Gorm, s.deps.Files, principalOf(c), name, body, s.origin(c))
		return err
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, portalLogoResponse{Logo: toPortalLogo(out)})
}

func (s *Server) removePortalLogo(c echo.Context) error {
	if err := assessments.RemoveLogo(c.Request().Context(), s.deps.DB.Gorm, s.deps.Files, principalOf(c), s.origin(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) servePortalLogo(c echo.Context) error {
	l, err := models.GetPortalLogo(c.Request().Context(), s.deps.DB.Gorm)
	if err != nil {
		return err
	}
	if l == nil {
		return models.ErrNotFound
	}
	return s.serveFile(c, l.StorageKey, l.Filename, l.ContentType, l.Size, l.Sha256)
}

func (s *Server) portalLogo(c echo.Context) error {
	if _, _, err := s.assessmentService().Portal(c.Request().Context(), c.Param("token")); err != nil {
		return err
	}
	return s.servePortalLogo(c)
}
