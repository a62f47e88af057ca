package handlers

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"rampart/app/risk"
	"rampart/app/scoring"
	"rampart/models"
)

type riskModelResponse struct {
	Version int64       `json:"version"`
	Model   *risk.Model `json:"model"`
}

func (s *Server) getRiskModel(c echo.Context) error {
	m, v, err := scoring.Current(c.Request().Context(), s.deps.DB.Gorm)
	if err != nil {
		return err
	}
	// The stored body keeps the version its author sent; answer with the
	// version in force, which publishing expects back.
	m.Version = int(v)
	return c.JSON(http.StatusOK, riskModelResponse{Version: v, Model: m})
}

// readModel decodes a risk model body strictly.
func readModel(c echo.Context) (*risk.Model, []byte, error) {
	var probe json.RawMessage
	if err := bindJSON(c, &probe); err != nil {
		return nil, nil, err
	}
	return decodeModel(probe)
}

// readPublish decodes a publish body: the model plus its change_note,
// which is taken out before the strict decode so the stored model stays
// the model alone.
func readPublish(c echo.Context) (*risk.Model, []byte, string, error) {
	var fields map[string]json.RawMessage
	if err := bindJSON(c, &fields); err != nil {
		return nil, nil, "", err
	}
	var note string
	if raw, ok := fields["change_note"]; ok {
		if err := json.Unmarshal(raw, &note); err != nil {
			return nil, nil, "", models.Invalid("change_note", "must be text")
		}
		delete(fields, "change_note")
	}
	body, err := json.Marshal(fields)
	if err != nil {
		return nil, nil, "", err
	}
	m, raw, err := decodeModel(body)
	// One answer names every field at fault, the note's among the model's.
	if ne := scoring.CheckChangeNote(note); ne != nil {
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			ve.Errors = append(ve.Errors, ne.Errors...)
			return nil, nil, "", ve
		}
		if err == nil {
			return nil, nil, "", ne
		}
	}
	return m, raw, strings.TrimSpace(note), err
}

func decodeModel(probe []byte) (*risk.Model, []byte, error) {
	m, err := risk.Decode(probe)
	var ps risk.Problems
	switch {
	case errors.As(err, &ps):
		ve := &models.ValidationError{}
		for _, p := range ps {
			ve.Errors = append(ve.Errors, models.FieldError{Field: p.Field, Message: p.Message})
		}
		return nil, nil, ve
	case err != nil:
		return nil, nil, models.Invalid("model", err.Error())
	}
	return m, probe, nil
}

type riskModelBody struct {
	risk.Model
}

type publishRiskModelBody struct {
	risk.Model
	ChangeNote string `json:"change_note" description:"Why the model changes (required, at most 2000 characters); shown in the version history"`
}

type riskModelVersionsResponse struct {
	Items []scoring.ModelVersion `json:"items"`
}

// riskModelVersions lists the published versions, newest first, with
// their change notes.
func (s *Server) riskModelVersions(c echo.Context) error {
	vs, err := scoring.Versions(c.Request().Context(), s.deps.DB.Gorm)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, riskModelVersionsResponse{Items: vs})
}

// previewRiskModel shows, before publishing, which vendors would change tier.
func (s *Server) previewRiskModel(c echo.Context) error {
	m, _, err := readModel(c)
	if err != nil {
		return err
	}
	p, err := scoring.PreviewModel(c.Request().Context(), s.deps.DB.Gorm, m)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

type publishRiskModelResponse struct {
	Version  int64 `json:"version"`
	Rescored int   `json:"rescored"`
}

// publishRiskModel makes the body the model in force and rescores every
// vendor. The body's version must be the version in force, so an admin
// who edited an older model gets 409 with the current one instead of
// silently replacing a newer change.
func (s *Server) publishRiskModel(c echo.Context) error {
	m, raw, note, err := readPublish(c)
	if err != nil {
		return err
	}
	cur, curVersion, err := scoring.Current(c.Request().Context(), s.deps.DB.Gorm)
	if err != nil {
		return err
	}
	if int64(m.Version) != curVersion {
		cur.Version = int(curVersion)
		return conflictWith(models.ErrConflict, riskModelResponse{Version: curVersion, Model: cur})
	}
	v, n, err := scoring.PublishModel(c.Request().Context(), s.deps.DB.Gorm, principalOf(c), m, raw, note, s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, publishRiskModelResponse{Version: v, Rescored: n})
}
