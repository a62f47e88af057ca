package handlers

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"rampart/models"
)

// FuzzBindJSON: any body gets a 4xx problem or binds; never a panic.
func FuzzBindJSON(f *testing.F) {
	for _, s := range []string{`{"name":"a","email":"a@b.c"}`, `{`, `[]`, `{"spend":1e999}`, "{\"name\":\"\xff\"}", `{"contacts":[{"email":1}]}`, `null`} {
		f.Add(s)
	}
	e := echo.New()
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		c := e.NewContext(req, httptest.NewRecorder())
		var dst probeRequest
		if err := bindJSON(c, &dst); err != nil {
			if p := problemFor(err); p.Status < 400 || p.Status >= 500 {
				t.Fatalf("body %q: status %d", body, p.Status)
			}
		}
	})
}

// FuzzListQuery: any query string gets a 422 or a filter; never a panic,
// and never a cursor or sort that reaches SQL unchecked.
func FuzzListQuery(f *testing.F) {
	for _, s := range []string{"q=acme&status=active,rejected", "sort=-name&limit=5", "cursor=eyJ2IjoiYSIsImlkIjoiYiJ9", "limit=-1", "status=%00", "tag=%ff"} {
		f.Add(s)
	}
	e := echo.New()
	f.Fuzz(func(t *testing.T, raw string) {
		if _, err := url.ParseQuery(raw); err != nil {
			return
		}
		req := httptest.NewRequest("GET", "/", nil)
		req.URL.RawQuery = raw
		c := e.NewContext(req, httptest.NewRecorder())
		vf, err := vendorFilter(c)
		if err != nil {
			if _, ok := err.(*models.ValidationError); !ok {
				t.Fatalf("%q: %T %v", raw, err, err)
			}
			return
		}
		if vf.Limit < 1 || vf.Limit > models.MaxLimit {
			t.Fatalf("%q: limit %d", raw, vf.Limit)
		}
	})
}
