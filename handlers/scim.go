package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/auth"
	"rampart/app/scim"
	"rampart/models"
)

// scimBase is where identity providers reach the SCIM 2.0 service. It sits
// outside /api/v1: its resources, errors and discovery documents are
// SCIM's (RFC 7643/7644), not this API's, and only a provider's SCIM token
// opens it (no session, no API token).
const scimBase = "/scim/v2"

// mountSCIM serves SCIM below scimBase for every method a provider uses.
func (s *Server) mountSCIM(e *echo.Echo) error {
	svc := &scim.Service{DB: s.deps.DB.Gorm, Now: s.deps.Now}
	h, err := svc.Handler(s.deps.BaseURL + scimBase)
	if err != nil {
		return err
	}
	serve := echo.WrapHandler(http.StripPrefix(scimBase, h))
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		e.Add(m, scimBase+"/*", serve, s.scimAuth(svc))
	}
	return nil
}

// scimAuth lets a request through only with a provider's SCIM
// token, and answers anything else as SCIM does (401, SCIM error body).
func (s *Server) scimAuth(svc *scim.Service) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			scheme, token, _ := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
			var p *models.SSOProvider
			err := models.ErrNotFound
			if strings.EqualFold(scheme, "Bearer") && strings.HasPrefix(strings.TrimSpace(token), scim.TokenPrefix) {
				p, err = svc.Authenticate(c.Request().Context(), strings.TrimSpace(token))
			}
			if errors.Is(err, models.ErrNotFound) {
				s.refused(c, auth.RefusedUnauthenticated, "no, unknown or revoked SCIM token")
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="rampart-scim", error="invalid_token"`)
				return c.JSONBlob(http.StatusUnauthorized, []byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],`+
					`"status":"401","detail":"Use Authorization: Bearer <the provider's SCIM token from Settings, Single sign-on>."}`))
			}
			if err != nil {
				return err
			}
			o := s.origin(c)
			ctx := scim.WithProvider(c.Request().Context(), p, scim.Origin{RequestID: o.RequestID, ClientIP: o.ClientIP})
			c.SetRequest(c.Request().WithContext(ctx))
			return next(c)
		}
	}
}

// scimTokenResponse carries a new SCIM token, shown this once.
type scimTokenResponse struct {
	Token   string `json:"token" description:"the bearer token to give the identity provider; shown only now"`
	Prefix  string `json:"prefix"`
	BaseURL string `json:"base_url" description:"the SCIM endpoint (tenant URL) to give the identity provider"`
}

// scimStatus is what a provider's settings show of provisioning.
type scimStatus struct {
	Enabled        bool       `json:"enabled"`
	TokenPrefix    string     `json:"token_prefix"`
	TokenCreatedAt *time.Time `json:"token_created_at"`
	LastUsedAt     *time.Time `json:"last_used_at" description:"the provider's last request, to the minute"`
	BaseURL        string     `json:"base_url"`
	Users          int64      `json:"users" description:"accounts the provider manages"`
}

func (s *Server) scimStatusOf(p *models.SSOProvider) scimStatus {
	return scimStatus{Enabled: p.SCIMTokenHash != "", TokenPrefix: p.SCIMTokenPrefix, TokenCreatedAt: p.SCIMTokenCreatedAt,
		LastUsedAt: p.SCIMLastUsedAt, BaseURL: s.deps.BaseURL + scimBase}
}

// countProvisioned fills in how many accounts each provider manages.
func (s *Server) countProvisioned(ctx context.Context, out []ssoProviderResponse) error {
	var rows []struct {
		ProviderID string
		N          int64
	}
	if err := s.deps.DB.Gorm.WithContext(ctx).Model(&models.User{}).Where("scim_provider_id IS NOT NULL").
		Group("scim_provider_id").Select("scim_provider_id AS provider_id, COUNT(*) AS n").Scan(&rows).Error; err != nil {
		return err
	}
	for i := range out {
		for _, r := range rows {
			if r.ProviderID == out[i].ID {
				out[i].SCIM.Users = r.N
			}
		}
	}
	return nil
}

// createSCIMToken turns provisioning on for a provider, or replaces its
// token (the old one stops working at once).
func (s *Server) createSCIMToken(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := models.GetSSOProvider(ctx, s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	secret, hash, prefix := scim.NewToken()
	if err := models.SetSCIMToken(ctx, s.deps.DB.Gorm, p.ID, hash, prefix, s.deps.Now().UTC()); err != nil {
		return err
	}
	if err := s.recordSCIM(c, "scim.token_create", p, "token "+prefix+"…"); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, scimTokenResponse{Token: secret, Prefix: prefix, BaseURL: s.deps.BaseURL + scimBase})
}

// revokeSCIMToken turns provisioning off; accounts it made stay as they are.
func (s *Server) revokeSCIMToken(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := models.GetSSOProvider(ctx, s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	if err := models.SetSCIMToken(ctx, s.deps.DB.Gorm, p.ID, "", "", s.deps.Now().UTC()); err != nil {
		return err
	}
	if err := s.recordSCIM(c, "scim.token_revoke", p, "provisioning off"); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) recordSCIM(c echo.Context, action string, p *models.SSOProvider, detail string) error {
	typ, id, label := principalOf(c).Actor()
	o := s.origin(c)
	return models.AppendAudit(c.Request().Context(), s.deps.DB.Gorm, &models.AuditEvent{ActorType: typ, ActorID: id, ActorLabel: label,
		Action: action, ObjectType: "sso_provider", ObjectID: p.ID, Detail: p.DisplayName + ": " + detail, RequestID: o.RequestID, ClientIP: o.ClientIP})
}
