// Package handlers is the HTTP layer: the Echo router, middleware, request
// and response types, the error mapping and the OpenAPI document. Echo
// types stay inside this package and the server wiring in app.
package handlers

import (
	"crypto/ed25519"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzhttp"
	"github.com/klauspost/compress/gzip"
	"github.com/labstack/echo/v4"

	"rampart/app/assessments"
	"rampart/app/auth"
	"rampart/app/notify"
	"rampart/app/sso"
	"rampart/app/storage"
	"rampart/models"
)

// Deps is what the HTTP layer needs from the rest of the program.
type Deps struct {
	DB      *models.DB
	Log     *slog.Logger
	Version string
	Demo    bool
	// BaseURL is the public address; https there turns on HSTS.
	BaseURL string
	// BodyLimit caps JSON request bodies, in bytes.
	BodyLimit int64
	// TrustedProxies are the networks whose X-Forwarded-For is believed.
	TrustedProxies []*net.IPNet
	// UI holds the built SPA (index.html at its root); nil when not built.
	UI fs.FS
	// Auth signs people in and authenticates sessions and tokens.
	Auth *auth.Service
	// Files stores uploads outside any web root.
	Files storage.Store
	// PortalQuota caps vendors' uploads per assessment (zero: defaults).
	PortalQuota assessments.Quota
	// Now is the clock for deadlines and expiries (tests set it).
	Now func() time.Time
	// CookieSecure marks the session cookie Secure (HTTPS only).
	CookieSecure bool
	// DemoAccounts and DemoPassword are shown on the sign-in page in demo mode.
	DemoAccounts []DemoAccount
	DemoPassword string
	// AuditKey signs the checkpoint every audit export carries; nil leaves
	// exports without one.
	AuditKey ed25519.PrivateKey
	// Notify writes notices and mails with the changes that cause them;
	// nil: the bell only (mail off).
	Notify *notify.Notifier
}

// Server is the configured router.
type Server struct {
	deps Deps
	echo *echo.Echo
	spa  *spa
	// handler is the router wrapped in response compression.
	handler http.Handler

	// openAPIDoc is built on first request: reflecting every route's
	// types takes about a second of CPU, which start-up should not wait for
	// (TestOpenAPI* build it in every test run).
	openAPIDoc func() ([]byte, error)
	baseOrigin string
	// sso keeps the providers' discovery documents between sign-ins.
	sso *sso.Service
	// passkeys is the WebAuthn relying party at the public base URL.
	passkeys *auth.Passkeys
}

// New builds the router with every middleware and route.
func New(deps Deps) (*Server, error) {
	if deps.BodyLimit <= 0 {
		deps.BodyLimit = 1 << 20
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Notify == nil {
		deps.Notify = &notify.Notifier{Mode: notify.MailOff, BaseURL: deps.BaseURL, Now: deps.Now}
	}
	ui, err := newSPA(deps.UI)
	if err != nil {
		return nil, err
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.Debug = false
	e.IPExtractor = ipExtractor(deps.TrustedProxies)
	s := &Server{deps: deps, echo: e, spa: ui, baseOrigin: originOf(deps.BaseURL),
		sso: &sso.Service{DB: deps.DB.Gorm, Auth: deps.Auth, BaseURL: deps.BaseURL, Now: deps.Now}, passkeys: auth.NewPasskeys(deps.Auth, deps.BaseURL)}
	handle := errorHandler(deps.Log)
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		s.recordSelfApproval(err, c)
		handle(err, c)
	}

	// Middleware is registered before any route: Echo applies group and
	// Use middleware only to routes added after it.
	e.Use(requestID)
	e.Use(logRequests(deps.Log, deps.Demo))
	e.Use(recoverPanics(deps.Log))
	e.Use(securityHeaders(ui.csp, strings.HasPrefix(deps.BaseURL, "https://")))
	e.Use(limitBody(deps.BodyLimit, s.uploadLimits()))
	e.Use(unescapeParams)
	e.Use(refuseNUL)
	e.Use(s.authenticate)

	routes := s.routes()
	s.openAPIDoc = sync.OnceValues(func() ([]byte, error) { return buildOpenAPI(routes, deps.Version) })
	portalLimit := portalRateLimit()
	for _, r := range routes {
		if r.perm == "" {
			return nil, fmt.Errorf("route %s %s has no permission: give it an authz action or authz.Public", r.method, r.path)
		}
		mw := []echo.MiddlewareFunc{s.guard(r)}
		if r.op.portal {
			mw = append([]echo.MiddlewareFunc{portalLimit}, mw...)
		}
		e.Add(r.method, r.path, r.handler, mw...)
	}
	if err := s.mountSCIM(e); err != nil {
		return nil, fmt.Errorf("scim: %w", err)
	}
	e.GET("/*", ui.serve)
	e.HEAD("/*", ui.serve)
	// Answers are compressed around the whole router, at the fastest
	// level: a list page's JSON compresses to a fifth either way, and at
	// Echo's former level 5 with the standard library compressing cost more
	// CPU than the page's queries (docs/benchmarks.md).
	compress, err := gzhttp.NewWrapper(gzhttp.MinSize(1024), gzhttp.CompressionLevel(gzip.BestSpeed), gzhttp.EnableZstd(false))
	if err != nil {
		return nil, err
	}
	s.handler = compress(e)
	return s, nil
}

// uploadLimits maps the routes that take uploads to their own body limits.
func (s *Server) uploadLimits() map[string]int64 {
	out := map[string]int64{}
	for _, r := range s.routes() {
		if r.op.bodyLimit > 0 {
			out[r.method+" "+r.path] = r.op.bodyLimit
		}
	}
	return out
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Echo exposes the router to tests in this package and the server wiring.
func (s *Server) Echo() *echo.Echo { return s.echo }

func originOf(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// ipExtractor believes X-Forwarded-For only from the configured proxies;
// with none configured, the client address is the TCP peer.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
