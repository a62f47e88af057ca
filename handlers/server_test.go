package handlers

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labstack/echo/v4"

	"rampart/app/auth"
	"rampart/models"
	"rampart/models/testdb"
)

const bootstrap = `window.__boot = 1;`

var testUI = fstest.MapFS{
	"index.html":                {Data: []byte(`<!doctype html><html><head><script type="module">` + bootstrap + `</script></head><body><div id="app"></div></body></html>`)},
	"_app/immutable/entry.js":   {Data: []byte(`console.log("entry")`)},
	"robots.txt":                {Data: []byte("User-agent: *\nDisallow: /\n")},
	"_app/version.json":         {Data: []byte(`{"version":"1"}`)},
	"_app/immutable/big.css":    {Data: bytes.Repeat([]byte("body{color:red}\n"), 200)},
	"_app/immutable/assets/a.x": {Data: []byte("x")},
}

var testAuditPub, testAuditKey, _ = ed25519.GenerateKey(nil)

func newTestServer(t *testing.T, db *models.DB, mutate ...func(*Deps)) *Server {
	t.Helper()
	deps := Deps{
		DB: db, Log: slog.New(slog.NewTextHandler(testLogOutput(t), &slog.HandlerOptions{Level: slog.LevelError})), Version: "1.2.3-test",
		Demo: true, BaseURL: "http://localhost:8080", BodyLimit: 4096, UI: testUI,
		Auth:         &auth.Service{DB: db.Gorm, Policy: auth.DefaultPolicy},
		Files:        testFiles(t),
		DemoAccounts: []DemoAccount{{Email: "admin@example.com", Name: "Admin", Role: "admin"}},
		DemoPassword: "demo-password",
		AuditKey:     testAuditKey,
	}
	for _, m := range mutate {
		m(&deps)
	}
	s, err := New(deps)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type response struct {
	*httptest.ResponseRecorder
	t *testing.T
}

func do(t *testing.T, h http.Handler, method, path string, body io.Reader, headers ...string) response {
	t.Helper()
	req := httptest.NewRequest(method, path, body)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{rec, t}
}

func (r response) problem() Problem {
	r.t.Helper()
	if ct := r.Header().Get("Content-Type"); ct != problemJSON {
		r.t.Fatalf("Content-Type = %q, want %s; body %s", ct, problemJSON, r.Body)
	}
	var p Problem
	if err := json.Unmarshal(r.Body.Bytes(), &p); err != nil {
		r.t.Fatalf("problem body: %v: %s", err, r.Body)
	}
	if p.Status != r.Code || p.Title == "" || p.Type == "" || p.RequestID == "" {
		r.t.Fatalf("incomplete problem %+v for status %d", p, r.Code)
	}
	return p
}

func TestHealthAndReadiness(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		s := newTestServer(t, db)
		if r := do(t, s, "GET", "/healthz", nil); r.Code != 200 || !strings.Contains(r.Body.String(), `"status":"ok"`) {
			t.Fatalf("healthz: %d %s", r.Code, r.Body)
		}
		_, latest, _ := db.SchemaVersion(context.Background())
		r := do(t, s, "GET", "/readyz", nil)
		if r.Code != 200 || !strings.Contains(r.Body.String(), fmt.Sprintf(`"schema_version":%d`, latest)) {
			t.Fatalf("readyz: %d %s", r.Code, r.Body)
		}
		_ = db.Close()
		r = do(t, s, "GET", "/readyz", nil)
		if r.Code != http.StatusServiceUnavailable || !strings.Contains(r.problem().Detail, "database") {
			t.Fatalf("readyz with the database gone: %d %s", r.Code, r.Body)
		}
		if r := do(t, s, "GET", "/healthz", nil); r.Code != 200 {
			t.Fatalf("healthz must not depend on the database: %d", r.Code)
		}
	})
}

func TestReadinessWaitsForMigrations(t *testing.T) {
	db := testdb.OpenEmpty(t, models.SQLite)
	s := newTestServer(t, db)
	r := do(t, s, "GET", "/readyz", nil)
	if r.Code != http.StatusServiceUnavailable || !strings.Contains(r.problem().Detail, "migrations are pending") {
		t.Fatalf("readyz before migrating: %d %s", r.Code, r.Body)
	}
}

func TestMeta(t *testing.T) {
	s := newTestServer(t, testdb.Open(t, models.SQLite))
	r := do(t, s, "GET", "/api/v1/meta", nil)
	var m metaResponse
	if err := json.Unmarshal(r.Body.Bytes(), &m); err != nil || r.Code != 200 {
		t.Fatalf("meta: %d %s", r.Code, r.Body)
	}
	if m.Name != "Rampart" || m.Version != "1.2.3-test" || !m.Demo || len(m.DemoAccounts) != 1 || m.DemoPassword != "demo-password" {
		t.Fatalf("meta = %+v", m)
	}
	prod := newTestServer(t, testdb.Open(t, models.SQLite), func(d *Deps) { d.Demo = false })
	if body := do(t, prod, "GET", "/api/v1/meta", nil).Body.String(); strings.Contains(body, "demo_") {
		t.Fatalf("demo accounts shown outside demo mode: %s", body)
	}
}

func TestUnknownRoutesAndMethodsAreProblems(t *testing.T) {
	s := newTestServer(t, testdb.Open(t, models.SQLite))
	cases := []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/api/v1/no-such-thing", 404, ""},
		{"POST", "/api/v1/no-such-thing", 404, ""},
		{"DELETE", "/api/v2/meta", 404, ""},
		{"GET", "/api", 404, ""},
		{"POST", "/api/v1/meta", 405, "GET"},
		{"PUT", "/healthz", 405, "GET"},
		{"POST", "/vendors", 405, "GET"},
	}
	for _, c := range cases {
		r := do(t, s, c.method, c.path, nil)
		if r.Code != c.status {
			t.Errorf("%s %s = %d, want %d", c.method, c.path, r.Code, c.status)
			continue
		}
		r.problem()
		if allow := r.Header().Get("Allow"); !strings.Contains(allow, c.allow) || (c.allow == "" && allow != "") {
			t.Errorf("%s %s: Allow = %q, want it to contain %q", c.method, c.path, allow, c.allow)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	db := testdb.Open(t, models.SQLite)
	sum := sha256.Sum256([]byte(bootstrap))
	hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	for _, path := range []string{"/", "/vendors", "/api/v1/meta", "/api/v1/nope", "/healthz"} {
		r := do(t, newTestServer(t, db), "GET", path, nil)
		h := r.Header()
		for name, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "same-origin",
			"X-Frame-Options":        "DENY",
		} {
			if got := h.Get(name); got != want {
				t.Errorf("%s: %s = %q, want %q", path, name, got, want)
			}
		}
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"frame-ancestors 'none'", "base-uri 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if isAPIPath(path) {
			if h.Get("Cache-Control") != "no-store" || !strings.Contains(csp, "default-src 'none'") {
				t.Errorf("%s: API response Cache-Control %q CSP %q", path, h.Get("Cache-Control"), csp)
			}
		} else if !strings.Contains(csp, "script-src 'self' "+hash) || !strings.Contains(csp, "object-src 'none'") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "style-src 'self' 'unsafe-inline'") {
			t.Errorf("%s: SPA CSP %q must allow exactly self and the bootstrap hash %s", path, csp, hash)
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS sent over plain http", path)
		}
	}
	https := newTestServer(t, db, func(d *Deps) { d.BaseURL = "https://rampart.example.com" })
	if hsts := do(t, https, "GET", "/", nil).Header().Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Errorf("HSTS = %q behind an https base URL", hsts)
	}
}

func TestSPAServing(t *testing.T) {
	s := newTestServer(t, testdb.Open(t, models.SQLite))
	for _, path := range []string{"/", "/vendors", "/vendors/123/contracts", "/index.html"} {
		r := do(t, s, "GET", path, nil)
		if r.Code != 200 || !strings.Contains(r.Body.String(), `<div id="app">`) || r.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s = %d, Cache-Control %q, body %.60s", path, r.Code, r.Header().Get("Cache-Control"), r.Body)
		}
	}
	r := do(t, s, "GET", "/_app/immutable/entry.js", nil)
	if r.Code != 200 || r.Body.String() != `console.log("entry")` || !strings.Contains(r.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("hashed asset: %d %q %q", r.Code, r.Header().Get("Cache-Control"), r.Body)
	}
	if ct := r.Header().Get("Content-Type"); !strings.Contains(ct, "javascript") {
		t.Errorf("asset Content-Type %q", ct)
	}
	if r := do(t, s, "GET", "/robots.txt", nil); r.Code != 200 || r.Header().Get("Cache-Control") != "no-cache" {
		t.Errorf("unhashed file: %d %q", r.Code, r.Header().Get("Cache-Control"))
	}
	if r := do(t, s, "HEAD", "/vendors", nil); r.Code != 200 || r.Body.Len() != 0 {
		t.Errorf("HEAD /vendors = %d with %d body bytes", r.Code, r.Body.Len())
	}
	// Missing assets and traversal never return the shell or a file outside the UI.
	for _, path := range []string{"/_app/immutable/missing.js", "/../../etc/passwd", "/%2e%2e/%2e%2e/go.mod", "/_app/..%2f..%2fgo.mod", "/x/../../../main.go"} {
		r := do(t, s, "GET", path, nil)
		body := r.Body.String()
		if strings.Contains(body, "root:") || strings.Contains(body, "module rampart") || strings.Contains(body, "package main") {
			t.Errorf("GET %s leaked a file outside the UI: %.80s", path, body)
		}
		if strings.HasSuffix(path, ".js") && r.Code != 404 {
			t.Errorf("GET %s = %d, want 404", path, r.Code)
		}
	}
	if r := do(t, s, "GET", "/api/v1/vendors-not-yet", nil); r.Code != 404 || strings.Contains(r.Body.String(), "<div") {
		t.Errorf("an unknown API path must not get the SPA: %d %.60s", r.Code, r.Body)
	}
}

func TestSPANotBuilt(t *testing.T) {
	s := newTestServer(t, testdb.Open(t, models.SQLite), func(d *Deps) { d.UI = nil })
	r := do(t, s, "GET", "/vendors", nil)
	if r.Code != 200 || !strings.Contains(r.Body.String(), "make build") {
		t.Fatalf("without a built UI: %d %s", r.Code, r.Body)
	}
}

func TestGzip(t *testing.T) {
	s := newTestServer(t, testdb.Open(t, models.SQLite))
	r := do(t, s, "GET", "/api/v1/openapi.json", nil, "Accept-Encoding", "gzip")
	if r.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("openapi.json not compressed: %v", r.Header())
	}
	zr, err := gzip.NewReader(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.NewDecoder(zr).Decode(&doc); err != nil || doc["openapi"] != "3.1.0" {
		t.Fatalf("decompressed document: %v %v", err, doc["openapi"])
	}
}

func TestRequestIDs(t *testing.T) {
	s := newTestServer(t, testdb.Open(t, models.SQLite))
	if id := do(t, s, "GET", "/healthz", nil, "X-Request-ID", "lb-1234abcd").Header().Get("X-Request-ID"); id != "lb-1234abcd" {
		t.Errorf("a well-formed incoming id was replaced: %q", id)
	}
	for _, hostile := range []string{"x", "evil\"id with spaces", strings.Repeat("a", 200), "<script>alert(1)</script>"} {
		id := do(t, s, "GET", "/healthz", nil, "X-Request-ID", hostile).Header().Get("X-Request-ID")
		if id == hostile || len(id) != 24 {
			t.Errorf("hostile id %q kept or badly replaced: %q", hostile, id)
		}
	}
}

func TestClientAddressTrustsOnlyConfiguredProxies(t *testing.T) {
	db := testdb.Open(t, models.SQLite)
	_, proxy, _ := net.ParseCIDR("10.0.0.0/8")
	for _, c := range []struct {
		name    string
		proxies []*net.IPNet
		peer    string
		want    string
	}{
		{"no proxies configured", nil, "10.1.2.3:5000", "10.1.2.3"},
		{"trusted proxy", []*net.IPNet{proxy}, "10.1.2.3:5000", "203.0.113.9"},
		{"untrusted peer", []*net.IPNet{proxy}, "198.51.100.7:5000", "198.51.100.7"},
	} {
		s := newTestServer(t, db, func(d *Deps) { d.TrustedProxies = c.proxies })
		var got string
		s.Echo().GET("/test/ip", func(c echo.Context) error { got = c.RealIP(); return nil })
		req := httptest.NewRequest("GET", "/test/ip", nil)
		req.RemoteAddr = c.peer
		req.Header.Set("X-Forwarded-For", "203.0.113.9")
		s.ServeHTTP(httptest.NewRecorder(), req)
		if got != c.want {
			t.Errorf("%s: client address %q, want %q", c.name, got, c.want)
		}
	}
}

func TestPanicsBecomeGeneric500(t *testing.T) {
	s := newTestServer(t, testdb.Open(t, models.SQLite))
	s.Echo().GET("/api/v1/test-panic", func(echo.Context) error { panic("secret internal detail: SELECT * FROM users") })
	s.Echo().GET("/api/v1/test-error", func(echo.Context) error { return io.ErrUnexpectedEOF })
	for _, path := range []string{"/api/v1/test-panic", "/api/v1/test-error"} {
		r := do(t, s, "GET", path, nil)
		p := r.problem()
		if r.Code != 500 || strings.Contains(r.Body.String(), "SELECT") || strings.Contains(r.Body.String(), "unexpected EOF") || strings.Contains(r.Body.String(), "goroutine") {
			t.Errorf("%s: %d %s", path, r.Code, r.Body)
		}
		if !strings.Contains(p.Detail, "request id") {
			t.Errorf("%s: detail %q should point at the request id", path, p.Detail)
		}
	}
}

// testLogOutput sends server errors to the test log, where a failing test
// shows them.
func testLogOutput(t *testing.T) io.Writer { return tWriter{t} }

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
