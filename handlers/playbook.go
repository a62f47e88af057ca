package handlers

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"
)

type playbookResponse struct {
	Version  int64           `json:"version" description:"0 is the built-in default, in force until a playbook is saved"`
	Playbook json.RawMessage `json:"playbook" description:"the rules per key term (see docs/contract-extraction.md)"`
}

type savePlaybookRequest struct {
	Version  int64           `json:"version" validate:"gte=0" description:"the version being replaced (409 with the current one when another save came first)"`
	Playbook json.RawMessage `json:"playbook" validate:"required"`
	Note     string          `json:"note" validate:"max=500"`
}

func (s *Server) getPlaybook(c echo.Context) error {
	cur, err := s.currentPlaybook(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cur)
}

// savePlaybook publishes a new playbook version; every contract is judged
// by it from then on.
func (s *Server) savePlaybook(c echo.Context) error {
	var req savePlaybookRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	svc := s.contractService()
	if _, err := svc.SavePlaybook(ctx, principalOf(c), req.Version, req.Playbook, req.Note, s.origin(c)); err != nil {
		cur, _ := s.currentPlaybook(c)
		return conflictWith(err, cur)
	}
	cur, err := s.currentPlaybook(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cur)
}

func (s *Server) currentPlaybook(c echo.Context) (*playbookResponse, error) {
	pb, version, err := s.contractService().Playbook(c.Request().Context())
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(pb)
	if err != nil {
		return nil, err
	}
	return &playbookResponse{Version: version, Playbook: raw}, nil
}
