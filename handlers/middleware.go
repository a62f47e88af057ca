package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// requestIDPattern accepts ids from a proxy in front of us only when they
// are short and plain, so they cannot forge log lines or headers.
var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{8,64}$`)

func requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !requestIDPattern.MatchString(id) {
			var b [12]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

// logRequests writes one line per request. The error, if any, is handed to
// the error handler here so that the logged status is the one sent.
func logRequests(log *slog.Logger, demo bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			status := c.Response().Status
			level := requestLevel(status, demo)
			if !log.Enabled(c.Request().Context(), level) {
				return nil
			}
			attrs := []slog.Attr{
				slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
				slog.String("method", c.Request().Method),
				// The route pattern, not the raw path: raw paths can carry
				// portal tokens and arbitrary attacker input.
				slog.String("route", c.Path()),
				slog.Int("status", status),
				slog.Duration("latency", time.Since(start)),
				slog.String("remote_ip", c.RealIP()),
				slog.Int64("bytes_out", c.Response().Size),
			}
			if uid, ok := c.Get(ctxUserID).(string); ok && uid != "" {
				attrs = append(attrs, slog.String("user_id", uid))
			}
			log.LogAttrs(c.Request().Context(), level, "request", attrs...)
			return nil
		}
	}
}

// requestLevel is the level of a request's log line: 5xx error, 4xx warn
// (a client that hung up is not a warning), the rest info. A demo runs in
// the terminal that shows its sign-in banner, which one line per page
// asset would scroll away: there the rest is debug, so that only failures
// show at the default level (--log-level debug shows every request).
func requestLevel(status int, demo bool) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelError
	case status >= 400 && status != statusClientClosed:
		return slog.LevelWarn
	case demo:
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

// ctxUserID is the echo.Context key under which authentication stores the
// signed-in user's id, for the request log.
const ctxUserID = "user_id"

// recoverPanics turns a panic into a generic 500; the stack goes to the
// log only.
func recoverPanics(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				r := recover()
				if r == nil {
					return
				}
				if r == http.ErrAbortHandler {
					panic(r)
				}
				buf := make([]byte, 8<<10)
				buf = buf[:runtime.Stack(buf, false)]
				log.Error("panic", "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
					"panic", fmt.Sprint(r), "stack", string(buf))
				err = fmt.Errorf("panic: %v", r)
			}()
			return next(c)
		}
	}
}

// securityHeaders sets the headers every response carries. The SPA's
// policy allows its own scripts (and the hashes of index.html's inline
// bootstrap); everything else, API included, gets a policy that allows
// nothing.
func securityHeaders(spaCSP string, hsts bool) echo.MiddlewareFunc {
	const apiCSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Cross-Origin-Resource-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
			if hsts {
				h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
			}
			path := c.Request().URL.Path
			// A portal link is a secret: never send it on as a Referer.
			if strings.HasPrefix(path, "/portal/") || strings.HasPrefix(path, "/api/v1/portal/") || strings.HasPrefix(path, "/api/v1/calendar/feed/") {
				h.Set("Referrer-Policy", "no-referrer")
			}
			if isAPIPath(path) {
				h.Set("Content-Security-Policy", apiCSP)
				h.Set(echo.HeaderCacheControl, "no-store")
			} else {
				h.Set("Content-Security-Policy", spaCSP)
			}
			return next(c)
		}
	}
}

func isAPIPath(path string) bool {
	return path == "/api" || strings.HasPrefix(path, "/api/") || path == "/healthz" || path == "/readyz"
}

// limitBody refuses bodies over n bytes (or the route's own limit for
// uploads): at once when Content-Length says so, and while reading
// otherwise (http.MaxBytesError, mapped to 413).
func limitBody(def int64, perRoute map[string]int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			n := def
			if l, ok := perRoute[req.Method+" "+c.Path()]; ok {
				n = l
			}
			if req.ContentLength > n {
				return &http.MaxBytesError{Limit: n}
			}
			req.Body = http.MaxBytesReader(c.Response(), req.Body, n)
			return next(c)
		}
	}
}
