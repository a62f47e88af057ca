package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"rampart/app/sso"
)

// Single sign-on with SAML 2.0: this service provider's metadata, the trip
// to the identity provider and the assertion consumer service it posts to.

type samlSlugParam struct {
	Slug string `path:"slug"`
}

func (s *Server) samlMetadata(c echo.Context) error {
	xml, err := s.ssoService().SAMLMetadata(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/samlmetadata+xml", xml)
}

// samlCookie holds the id of the sign-in this browser started, so that the
// identity provider's answer is taken only from this browser (sso.ACSPost
// Bound). The answer comes as a cross-site POST, which carries only a
// SameSite=None cookie, and browsers keep those only when Secure: on a
// deployment without https the cookie is not set and the sign-in is not
// bound (docs/security.md).
const samlCookie = "rampart_saml"

const samlCookiePath = "/api/v1/auth/saml/"

func (s *Server) samlStart(c echo.Context) error {
	redirect, requestID, err := s.ssoService().SAMLStart(c.Request().Context(), c.Param("slug"), c.QueryParam("return_to"))
	if err != nil {
		return s.ssoFailed(c, err)
	}
	if s.deps.CookieSecure {
		c.SetCookie(&http.Cookie{Name: samlCookie, Value: requestID, Path: samlCookiePath, MaxAge: int(sso.LoginTTL / time.Second),
			HttpOnly: true, Secure: true, SameSite: http.SameSiteNoneMode})
	}
	return c.Redirect(http.StatusFound, redirect)
}

type samlACSForm struct {
	Slug         string `path:"slug"`
	SAMLResponse string `formData:"SAMLResponse" description:"the identity provider's signed response, base64 (HTTP-POST binding)"`
	RelayState   string `formData:"RelayState" description:"for a sign-in started here, ignored (the path asked for is kept here); for one started at the identity provider, a path in this app to land on, anything else lands on /"`
}

// samlACS takes the identity provider's cross-site form post. The session
// cookie is SameSite=Lax, so it is set on this POST's response, which a
// browser keeps, and the 303 that follows is a same-site navigation.
func (s *Server) samlACS(c echo.Context) error {
	req := c.Request()
	if err := req.ParseForm(); err != nil {
		return s.ssoFailed(c, &sso.Error{Code: "response_unreadable", Message: "The identity provider's response could not be read."})
	}
	f := req.PostForm
	post := sso.ACSPost{Slug: c.Param("slug"), SAMLResponse: f.Get("SAMLResponse"),
		RelayState: f.Get("RelayState"), Other: f.Has("SAMLart") || f.Has("SigAlg") || f.Has("Signature") || len(f["SAMLResponse"]) > 1,
		Bound: s.deps.CookieSecure}
	if ck, err := c.Cookie(samlCookie); err == nil {
		post.BrowserRequest = ck.Value
		c.SetCookie(&http.Cookie{Name: samlCookie, Value: "", Path: samlCookiePath, MaxAge: -1, HttpOnly: true, Secure: true, SameSite: http.SameSiteNoneMode})
	}
	signed, returnTo, err := s.ssoService().SAMLFinish(req.Context(), post, s.origin(c))
	if err != nil {
		return s.ssoFailed(c, err)
	}
	s.setSessionCookie(c, signed.Cookie, signed.Session.ExpiresAt)
	return c.Redirect(http.StatusSeeOther, sso.SafeReturn(returnTo))
}
