package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/sso"
	"rampart/models"
)

// Single sign-on with OpenID Connect: the sign-in page's buttons, the trip
// to the provider and back, and the providers admins configure.

// ssoCookie keeps the state a browser started with, so that a callback
// from a sign-in someone else started (login CSRF) is refused.
const ssoCookie = "rampart_sso"

func (s *Server) ssoService() *sso.Service { return s.sso }

type ssoButton struct {
	Slug        string `json:"slug"`
	DisplayName string `json:"display_name"`
	StartURL    string `json:"start_url" description:"open this in the browser (add ?return_to=/path to land there)"`
}

type ssoButtonsResponse struct {
	Items []ssoButton `json:"items"`
}

func (s *Server) ssoButtons(c echo.Context) error {
	ps, err := models.ListSSOProviders(c.Request().Context(), s.deps.DB.Gorm, true)
	if err != nil {
		return err
	}
	out := ssoButtonsResponse{Items: []ssoButton{}}
	for _, p := range ps {
		start := "/api/v1/auth/sso/" + url.PathEscape(p.Slug) + "/start"
		if p.IsSAML() {
			start = "/api/v1/auth/saml/" + url.PathEscape(p.Slug) + "/start"
		}
		out.Items = append(out.Items, ssoButton{Slug: p.Slug, DisplayName: p.DisplayName, StartURL: start})
	}
	return c.JSON(http.StatusOK, out)
}

type ssoStartParams struct {
	Slug     string `path:"slug"`
	ReturnTo string `query:"return_to" description:"a path in this app to land on after signing in; anything else lands on /"`
}

func (s *Server) ssoFailed(c echo.Context, err error) error {
	var e *sso.Error
	if !errors.As(err, &e) {
		if errors.Is(err, models.ErrNotFound) {
			e = &sso.Error{Code: "unknown_provider", Message: "That sign-in option is not available."}
		} else {
			return err
		}
	}
	return c.Redirect(http.StatusSeeOther, "/sign-in?sso_error="+url.QueryEscape(e.Message))
}

func (s *Server) ssoStart(c echo.Context) error {
	redirect, state, err := s.ssoService().Start(c.Request().Context(), c.Param("slug"), c.QueryParam("return_to"))
	if err != nil {
		return s.ssoFailed(c, err)
	}
	c.SetCookie(&http.Cookie{Name: ssoCookie, Value: state, Path: "/api/v1/auth/sso/", MaxAge: int(sso.LoginTTL / time.Second),
		HttpOnly: true, Secure: s.deps.CookieSecure, SameSite: http.SameSiteLaxMode})
	return c.Redirect(http.StatusFound, redirect)
}

type ssoCallbackParams struct {
	Slug  string `path:"slug"`
	Code  string `query:"code"`
	State string `query:"state"`
	Error string `query:"error" description:"the provider's refusal, e.g. access_denied"`
}

func (s *Server) ssoCallback(c echo.Context) error {
	cookie := ""
	if ck, err := c.Cookie(ssoCookie); err == nil {
		cookie = ck.Value
	}
	c.SetCookie(&http.Cookie{Name: ssoCookie, Value: "", Path: "/api/v1/auth/sso/", MaxAge: -1, HttpOnly: true,
		Secure: s.deps.CookieSecure, SameSite: http.SameSiteLaxMode})
	signed, returnTo, err := s.ssoService().Finish(c.Request().Context(), sso.Callback{Slug: c.Param("slug"), State: c.QueryParam("state"),
		CookieState: cookie, Code: c.QueryParam("code"), Error: c.QueryParam("error")}, s.origin(c))
	if err != nil {
		return s.ssoFailed(c, err)
	}
	s.setSessionCookie(c, signed.Cookie, signed.Session.ExpiresAt)
	return c.Redirect(http.StatusSeeOther, sso.SafeReturn(returnTo))
}

// --- the providers, for admins ---

type ssoProviderResponse struct {
	ID              string              `json:"id"`
	Protocol        string              `json:"protocol" enum:"oidc,saml"`
	Slug            string              `json:"slug"`
	DisplayName     string              `json:"display_name"`
	Issuer          string              `json:"issuer"`
	ClientID        string              `json:"client_id"`
	ClientSecretSet bool                `json:"client_secret_set" description:"the secret is never shown, only whether one is stored"`
	Scopes          []string            `json:"scopes"`
	GroupsClaim     string              `json:"groups_claim"`
	RoleMappings    models.RoleMappings `json:"role_mappings"`
	DefaultRole     string              `json:"default_role" description:"the role of a person no mapping matches; empty refuses them"`
	AllowCreate     bool                `json:"allow_create" description:"create the account at first sign-in"`
	TrustEmail      bool                `json:"trust_email" description:"take the provider's email as verified though it sends no email_verified (Entra ID)"`
	Enabled         bool                `json:"enabled"`
	CallbackURL     string              `json:"callback_url" description:"register this as the redirect URI at the provider"`
	SCIM            scimStatus          `json:"scim" description:"provisioning of accounts and groups by the provider over SCIM 2.0"`
	SAML            *samlSettings       `json:"saml,omitempty" description:"a SAML provider's settings and what to register at the identity provider"`
	Version         int64               `json:"version"`
	CreatedAt       time.Time           `json:"created_at"`
	UpdatedAt       time.Time           `json:"updated_at"`
}

func (s *Server) toSSOProvider(p *models.SSOProvider) ssoProviderResponse {
	maps := p.RoleMappings
	if maps == nil {
		maps = models.RoleMappings{}
	}
	out := ssoProviderResponse{ID: p.ID, Slug: p.Slug, DisplayName: p.DisplayName, Issuer: p.Issuer, ClientID: p.ClientID,
		ClientSecretSet: p.ClientSecret != "", Scopes: p.Scopes, GroupsClaim: p.GroupsClaim, RoleMappings: maps, DefaultRole: string(p.DefaultRole),
		AllowCreate: p.AllowCreate, TrustEmail: p.TrustEmail, Enabled: p.Enabled, CallbackURL: sso.CallbackURL(s.deps.BaseURL, p.Slug),
		SCIM: s.scimStatusOf(p), Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, Protocol: p.Protocol}
	if p.IsSAML() {
		out.CallbackURL = sso.SAMLACSURL(s.deps.BaseURL, p.Slug)
		out.Scopes = []string{}
		out.SAML = &samlSettings{MetadataURL: p.SAMLMetadataURL, IdPEntityID: p.Issuer, EmailAttribute: p.SAMLEmailAttribute,
			NameAttribute: p.SAMLNameAttribute, GroupsAttribute: p.GroupsClaim, AllowIdPInitiated: p.SAMLAllowIdPInitiated,
			SPEntityID: sso.SAMLMetadataURL(s.deps.BaseURL, p.Slug), ACSURL: sso.SAMLACSURL(s.deps.BaseURL, p.Slug),
			SPMetadataURL: sso.SAMLMetadataURL(s.deps.BaseURL, p.Slug)}
	}
	return out
}

type samlSettings struct {
	MetadataURL       string `json:"metadata_url" description:"where the identity provider's metadata was fetched from, if it was"`
	IdPEntityID       string `json:"idp_entity_id"`
	EmailAttribute    string `json:"email_attribute" description:"the attribute carrying the email; an email NameID is used when it is absent"`
	NameAttribute     string `json:"name_attribute"`
	GroupsAttribute   string `json:"groups_attribute" description:"the same as groups_claim"`
	AllowIdPInitiated bool   `json:"allow_idp_initiated" description:"accept sign-ins started at the identity provider (no InResponseTo)"`
	SPEntityID        string `json:"sp_entity_id" description:"register this as the entity id (audience) at the identity provider"`
	ACSURL            string `json:"acs_url" description:"register this as the assertion consumer service (reply) URL, HTTP-POST"`
	SPMetadataURL     string `json:"sp_metadata_url" description:"this service provider's metadata, with its signing certificate"`
}

// ssoProviderRequest is a provider's settings; ssoProviderUpdate adds the
// path and the version read.
type ssoProviderRequest struct {
	Slug         *string              `json:"slug" description:"lower-case letters, digits and hyphens; part of the callback URL"`
	DisplayName  *string              `json:"display_name"`
	Issuer       *string              `json:"issuer"`
	ClientID     *string              `json:"client_id"`
	ClientSecret *string              `json:"client_secret" description:"write only; empty keeps the stored one"`
	Scopes       *[]string            `json:"scopes" description:"openid is always asked for"`
	GroupsClaim  *string              `json:"groups_claim"`
	RoleMappings *models.RoleMappings `json:"role_mappings" description:"first match wins"`
	DefaultRole  *models.Role         `json:"default_role"`
	AllowCreate  *bool                `json:"allow_create"`
	TrustEmail   *bool                `json:"trust_email"`
	Enabled      *bool                `json:"enabled"`
	Protocol     *string              `json:"protocol" enum:"oidc,saml" description:"oidc (default) or saml; fixed once created"`
	// SAML
	SAMLMetadataURL       *string `json:"saml_metadata_url" description:"SAML: the identity provider's metadata URL (https, no private address), fetched when saved without saml_idp_metadata"`
	SAMLIdPMetadata       *string `json:"saml_idp_metadata" description:"SAML: the identity provider's metadata XML, pasted or uploaded; at most 1 MB; empty keeps the stored one"`
	SAMLEmailAttribute    *string `json:"saml_email_attribute" description:"SAML: the attribute carrying the email (default email)"`
	SAMLNameAttribute     *string `json:"saml_name_attribute" description:"SAML: the attribute carrying the display name (default name)"`
	SAMLAllowIdPInitiated *bool   `json:"saml_allow_idp_initiated" description:"SAML: accept sign-ins started at the identity provider"`
}

type ssoProviderUpdate struct {
	ID      string `json:"-" path:"id"`
	Version int64  `json:"version" validate:"required,gte=1" description:"the version you read"`
	ssoProviderRequest
}

func (r *ssoProviderRequest) fields() sso.Fields {
	return sso.Fields{Slug: r.Slug, DisplayName: r.DisplayName, Issuer: r.Issuer, ClientID: r.ClientID, ClientSecret: r.ClientSecret,
		Scopes: r.Scopes, GroupsClaim: r.GroupsClaim, RoleMappings: r.RoleMappings, DefaultRole: r.DefaultRole, AllowCreate: r.AllowCreate,
		TrustEmail: r.TrustEmail, Enabled: r.Enabled, Protocol: r.Protocol, SAMLMetadataURL: r.SAMLMetadataURL, SAMLIdPMetadata: r.SAMLIdPMetadata,
		SAMLEmailAttribute: r.SAMLEmailAttribute, SAMLNameAttribute: r.SAMLNameAttribute, SAMLAllowIdPInitiated: r.SAMLAllowIdPInitiated}
}

type ssoProvidersResponse struct {
	Items []ssoProviderResponse `json:"items"`
}

func (s *Server) listSSOProviders(c echo.Context) error {
	ps, err := models.ListSSOProviders(c.Request().Context(), s.deps.DB.Gorm, false)
	if err != nil {
		return err
	}
	out := ssoProvidersResponse{Items: []ssoProviderResponse{}}
	for i := range ps {
		out.Items = append(out.Items, s.toSSOProvider(&ps[i]))
	}
	if err := s.countProvisioned(c.Request().Context(), out.Items); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

type ssoProviderIDParam struct {
	ID string `path:"id"`
}

func (s *Server) getSSOProvider(c echo.Context) error {
	p, err := models.GetSSOProvider(c.Request().Context(), s.deps.DB.Gorm, c.Param("id"))
	if err != nil {
		return err
	}
	out := []ssoProviderResponse{s.toSSOProvider(p)}
	if err := s.countProvisioned(c.Request().Context(), out); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out[0])
}

func (s *Server) createSSOProvider(c echo.Context) error {
	var req ssoProviderRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	p, err := s.ssoService().CreateProvider(c.Request().Context(), principalOf(c), req.fields(), s.origin(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, s.toSSOProvider(p))
}

func (s *Server) updateSSOProvider(c echo.Context) error {
	var req ssoProviderUpdate
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	p, err := s.ssoService().UpdateProvider(c.Request().Context(), principalOf(c), c.Param("id"), req.Version, req.fields(), s.origin(c))
	if err != nil {
		if p != nil {
			return conflictWith(err, s.toSSOProvider(p))
		}
		return err
	}
	return c.JSON(http.StatusOK, s.toSSOProvider(p))
}

func (s *Server) deleteSSOProvider(c echo.Context) error {
	if err := s.ssoService().DeleteProvider(c.Request().Context(), principalOf(c), c.Param("id"), s.origin(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
