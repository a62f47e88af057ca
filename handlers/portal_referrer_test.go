package handlers

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labstack/echo/v4"
)

// The app shell's referrer meta tag would override the portal's
// Referrer-Policy header, so portal pages get a shell that says
// no-referrer: the token in their address is never sent on.
func TestPortalShellSendsNoReferrer(t *testing.T) {
	index := `<!doctype html><html><head><meta name="referrer" content="same-origin" /><script>boot()</script></head><body></body></html>`
	s, err := newSPA(fstest.MapFS{"index.html": {Data: []byte(index)}})
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	e.GET("/*", s.serve)
	for path, want := range map[string]string{
		"/portal/rpt_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG": `content="no-referrer"`,
		"/vendors":   `content="same-origin"`,
		"/portalish": `content="same-origin"`,
	} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		body := rec.Body.String()
		if rec.Code != 200 || !strings.Contains(body, want) || strings.Count(body, `name="referrer"`) != 1 {
			t.Errorf("%s: %d, want one referrer meta with %s in %s", path, rec.Code, want, body)
		}
		if !strings.Contains(body, "<script>boot()</script>") {
			t.Errorf("%s: the shell lost its bootstrap script", path)
		}
	}
}
