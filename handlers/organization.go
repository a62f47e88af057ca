package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/assessments"
	"rampart/models"
)

// The asking company's name, set in Settings beside the portal's logo and
// read by vendors in the portal and in mails.

type organizationResponse struct {
	Name        string     `json:"name" description:"the name vendors see: the one set here, else default_name"`
	Set         bool       `json:"set" description:"false while no name was set here and default_name stands"`
	DefaultName string     `json:"default_name" description:"the server's --org-name option (RAMPART_ORG_NAME), used until a name is set"`
	Version     int64      `json:"version"`
	UpdatedAt   *time.Time `json:"updated_at" description:"null until a name is set"`
}

type organizationRequest struct {
	Name    string `json:"name" description:"one line, 1-200 characters once trimmed"`
	Version int64  `json:"version" validate:"required,gte=1"`
}

func (s *Server) toOrganization(o *models.Organization) organizationResponse {
	out := organizationResponse{Name: s.deps.Notify.OrgName, DefaultName: s.deps.Notify.OrgName, Version: o.Version}
	if o.Name != "" {
		t := o.UpdatedAt.UTC()
		out.Name, out.Set, out.UpdatedAt = o.Name, true, &t
	}
	return out
}

func (s *Server) getOrganization(c echo.Context) error {
	o, err := models.GetOrganization(c.Request().Context(), s.deps.DB.Gorm)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.toOrganization(o))
}

func (s *Server) saveOrganization(c echo.Context) error {
	var req organizationRequest
	if err := bindJSON(c, &req); err != nil {
		return withDomainRules(err, func() error {
			_, err := assessments.CheckOrgName(req.Name)
			return err
		})
	}
	o, err := assessments.SetOrgName(c.Request().Context(), s.deps.DB.Gorm, principalOf(c), req.Version, req.Name, s.origin(c))
	if err != nil {
		if o != nil {
			return conflictWith(err, s.toOrganization(o))
		}
		return err
	}
	return c.JSON(http.StatusOK, s.toOrganization(o))
}
