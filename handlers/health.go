package handlers

import (
	"context"
	"net/http"
	"rampart/app/notify"
	"time"

	"github.com/labstack/echo/v4"
)

type statusResponse struct {
	Status string `json:"status" example:"ok"`
}

type readyResponse struct {
	Status        string `json:"status" example:"ready"`
	SchemaVersion int64  `json:"schema_version"`
}

type metaResponse struct {
	Name         string        `json:"name" example:"Rampart"`
	Version      string        `json:"version" example:"0.1.0"`
	Demo         bool          `json:"demo"`
	DemoAccounts []DemoAccount `json:"demo_accounts,omitempty"`
	DemoPassword string        `json:"demo_password,omitempty"`
	// PasswordReset says whether the sign-in page offers a reset link by
	// email (mail is configured or held in the demo outbox).
	PasswordReset bool `json:"password_reset"`
	// Passkeys says whether the sign-in page offers passkeys: the public
	// base URL can be a WebAuthn relying party.
	Passkeys bool `json:"passkeys" description:"the sign-in page offers passkeys"`
}

// DemoAccount is shown on the sign-in page in demo mode.
type DemoAccount struct {
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  string `json:"role"`
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, statusResponse{Status: "ok"})
}

// readyz answers 503 while the database is unreachable or migrations are
// pending, so a load balancer sends no traffic to this instance then.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	unavailable := func(detail string) error {
		p := newProblem(http.StatusServiceUnavailable, detail)
		p.Type = typeUnavailable
		p.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
		writeProblem(c, p)
		return nil
	}
	if err := s.deps.DB.Ping(ctx); err != nil {
		s.deps.Log.Warn("not ready: database unreachable", "error", err.Error())
		return unavailable("The database is not reachable.")
	}
	current, latest, err := s.deps.DB.SchemaVersion(ctx)
	if err != nil {
		s.deps.Log.Warn("not ready: schema version unknown", "error", err.Error())
		return unavailable("The schema version could not be read.")
	}
	if current < latest {
		return unavailable("Database migrations are pending.")
	}
	return c.JSON(http.StatusOK, readyResponse{Status: "ready", SchemaVersion: current})
}

func (s *Server) meta(c echo.Context) error {
	m := metaResponse{Name: "Rampart", Version: s.deps.Version, Demo: s.deps.Demo, PasswordReset: s.deps.Notify.Mode != notify.MailOff,
		Passkeys: s.passkeys.Available() == nil}
	if s.deps.Demo {
		m.DemoAccounts, m.DemoPassword = s.deps.DemoAccounts, s.deps.DemoPassword
	}
	return c.JSON(http.StatusOK, m)
}
