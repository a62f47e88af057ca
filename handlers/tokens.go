package handlers

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/models"
)

type tokenResponse struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	ReadOnly   bool       `json:"read_only"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	CreatedAt  time.Time  `json:"created_at"`
}

type createdTokenResponse struct {
	tokenResponse
	// Token is the secret; it is shown this once and never stored.
	Token string `json:"token"`
}

func toTokenResponse(t *models.APIToken) tokenResponse {
	return tokenResponse{ID: t.ID, Name: t.Name, Prefix: t.Prefix, ReadOnly: t.ReadOnly, ExpiresAt: t.ExpiresAt,
		LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt, CreatedAt: t.CreatedAt}
}

func (s *Server) listTokens(c echo.Context) error {
	if err := parseQuery(c).err(); err != nil {
		return err
	}
	tokens, err := models.APITokensOf(c.Request().Context(), s.deps.DB.Gorm, principalOf(c).User.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(models.Page[models.APIToken]{Items: tokens, Total: int64(len(tokens))}, toTokenResponse))
}

type createTokenRequest struct {
	Name      string     `json:"name" validate:"required,max=100"`
	ReadOnly  bool       `json:"read_only"`
	ExpiresAt *time.Time `json:"expires_at"`
}

func (s *Server) createToken(c echo.Context) error {
	var req createTokenRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	t, secret, err := s.deps.Auth.CreateToken(c.Request().Context(), principalOf(c), strings.TrimSpace(req.Name), req.ReadOnly, req.ExpiresAt, s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, createdTokenResponse{tokenResponse: toTokenResponse(t), Token: secret})
}

type tokenIDParam struct {
	ID string `path:"id"`
}

func (s *Server) revokeToken(c echo.Context) error {
	if err := s.deps.Auth.RevokeToken(c.Request().Context(), principalOf(c), c.Param("id"), s.origin(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
