package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/assessments"
)

// delegationView is a link the main contact shared with a colleague.
type delegationView struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Email      string     `json:"email"`
	Sections   []string   `json:"sections" description:"the keys of the sections the link sees and answers"`
	Message    string     `json:"message"`
	Answered   int        `json:"answered" description:"answers this link saved last"`
	ExpiresAt  time.Time  `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	Version    int64      `json:"version"`
	CreatedAt  time.Time  `json:"created_at"`
}

func toDelegationView(d *assessments.DelegationView) delegationView {
	return delegationView{ID: d.ID, Name: d.ContactName, Email: d.ContactEmail, Sections: d.Sections, Message: d.Message, Answered: d.Answered,
		ExpiresAt: d.ExpiresAt, RevokedAt: d.RevokedAt, LastUsedAt: d.LastUsedAt, Version: d.Version, CreatedAt: d.CreatedAt}
}

func delegationList(ds []assessments.DelegationView) map[string][]delegationView {
	out := make([]delegationView, 0, len(ds))
	for i := range ds {
		out = append(out, toDelegationView(&ds[i]))
	}
	return map[string][]delegationView{"items": out}
}

func (s *Server) portalListDelegations(c echo.Context) error {
	ds, err := s.assessmentService().PortalDelegations(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, delegationList(ds))
}

type portalDelegateRequest struct {
	Token    string   `json:"-" path:"token"`
	Name     string   `json:"name" description:"the colleague's name"`
	Email    string   `json:"email" description:"where their own link is mailed"`
	Sections []string `json:"sections" description:"keys of the sections they may see and answer"`
	Message  string   `json:"message" description:"an optional note in the mail (at most 2,000 characters)"`
}

func (s *Server) portalDelegate(c echo.Context) error {
	var req portalDelegateRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	svc := s.assessmentService()
	inv, err := svc.DelegateSections(c.Request().Context(), c.Param("token"),
		assessments.Delegate{Name: req.Name, Email: req.Email, Sections: req.Sections, Message: req.Message}, s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toDelegationView(&assessments.DelegationView{PortalInvitation: *inv, Sections: assessments.Scope(inv)}))
}

type portalDelegationParam struct {
	Token string `path:"token"`
	ID    string `path:"id"`
}

type portalDelegationChange struct {
	Token    string   `json:"-" path:"token"`
	ID       string   `json:"-" path:"id"`
	Sections []string `json:"sections" description:"the new section keys (replace the old ones)"`
	Version  int64    `json:"version" validate:"required,min=1"`
}

func (s *Server) portalChangeDelegation(c echo.Context) error {
	var req portalDelegationChange
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	inv, err := s.assessmentService().ChangeDelegation(ctx, c.Param("token"), c.Param("id"), req.Version, req.Sections, s.origin(c))
	if err != nil {
		if inv != nil {
			return conflictWith(err, toDelegationView(&assessments.DelegationView{PortalInvitation: *inv, Sections: assessments.Scope(inv)}))
		}
		return err
	}
	return c.JSON(http.StatusOK, toDelegationView(&assessments.DelegationView{PortalInvitation: *inv, Sections: assessments.Scope(inv)}))
}

func (s *Server) portalRevokeDelegation(c echo.Context) error {
	if err := s.assessmentService().RevokeDelegation(c.Request().Context(), c.Param("token"), c.Param("id"), s.origin(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) listDelegations(c echo.Context) error {
	ctx := c.Request().Context()
	ds, err := s.assessmentService().StaffDelegations(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, delegationList(ds))
}

type delegationParam struct {
	ID           string `path:"id"`
	DelegationID string `path:"delegation_id"`
}

func (s *Server) revokeDelegation(c echo.Context) error {
	if err := s.assessmentService().StaffRevokeDelegation(c.Request().Context(), principalOf(c), c.Param("id"), c.Param("delegation_id"), s.origin(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
