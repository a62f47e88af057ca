package handlers

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"
)

// spa serves the embedded single-page app: files as they are, index.html
// for client-side routes.
type spa struct {
	files fs.FS
	index []byte
	// portalIndex is index.html for /portal/ pages: its referrer meta tag
	// says no-referrer, because a meta tag overrides the Referrer-Policy
	// header and the portal's address carries the invitation token.
	portalIndex []byte
	csp         string
}

var referrerMeta = regexp.MustCompile(`<meta name="referrer" content="[^"]*"`)

var inlineScript = regexp.MustCompile(`(?s)<script(?:\s[^>]*)?>(.*?)</script>`)

// notBuilt is served when the binary was built without the SPA.
const notBuilt = `<!doctype html><meta charset="utf-8"><title>Rampart</title>
<p>The web app is not built into this binary. Run <code>make build</code> (or <code>make run</code>) to build it; the API under /api/v1 works regardless.</p>`

func newSPA(files fs.FS) (*spa, error) {
	s := &spa{files: files}
	if files != nil {
		index, err := fs.ReadFile(files, "index.html")
		switch {
		case err == nil:
			s.index = index
		case errors.Is(err, fs.ErrNotExist):
			s.files = nil
		default:
			return nil, err
		}
	}
	if s.index == nil {
		s.index = []byte(notBuilt)
	}
	s.portalIndex = referrerMeta.ReplaceAll(s.index, []byte(`<meta name="referrer" content="no-referrer"`))
	s.csp = spaPolicy(s.index)
	return s, nil
}

// spaPolicy allows the SPA's own files and, by hash, exactly the inline
// scripts index.html carries (SvelteKit's bootstrap), nothing else.
func spaPolicy(index []byte) string {
	scripts := []string{"'self'"}
	for _, m := range inlineScript.FindAllSubmatch(index, -1) {
		body := m[1]
		if len(bytes.TrimSpace(body)) == 0 {
			continue
		}
		sum := sha256.Sum256(body)
		scripts = append(scripts, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src " + strings.Join(scripts, " "),
		// Stylesheets only from the app; inline style attributes (SvelteKit's
		// route announcer, Svelte style: directives) are allowed, <style>
		// elements are not.
		"style-src 'self'",
		"style-src-attr 'unsafe-inline'",
		"img-src 'self' data:",
		"font-src 'self'",
		"connect-src 'self'",
		"object-src 'none'",
		"base-uri 'none'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	}, "; ")
}

func (s *spa) serve(c echo.Context) error {
	if isAPIPath(c.Request().URL.Path) {
		return echo.ErrNotFound
	}
	name := strings.TrimPrefix(path.Clean("/"+c.Param("*")), "/")
	if s.files != nil && name != "" && name != "index.html" {
		if st, err := fs.Stat(s.files, name); err == nil && !st.IsDir() {
			h := c.Response().Header()
			if strings.HasPrefix(name, "_app/immutable/") {
				h.Set(echo.HeaderCacheControl, "public, max-age=31536000, immutable")
			} else {
				h.Set(echo.HeaderCacheControl, "no-cache")
			}
			http.ServeFileFS(c.Response(), c.Request(), s.files, name)
			return nil
		}
		// A missing file (a stale hashed asset, a typo) is a 404, not the
		// app shell: a script tag must never receive HTML.
		if path.Ext(name) != "" {
			return echo.ErrNotFound
		}
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	if c.Request().Method == http.MethodHead {
		c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
		return c.NoContent(http.StatusOK)
	}
	if strings.HasPrefix(name, "portal/") {
		return c.HTMLBlob(http.StatusOK, s.portalIndex)
	}
	return c.HTMLBlob(http.StatusOK, s.index)
}
