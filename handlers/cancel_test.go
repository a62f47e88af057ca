package handlers

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *lockedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// A sign-in the browser cancelled (its database call cut short by the
// request's context) is the client leaving, not a server failure: it was
// logged as a 500 at ERROR level.
func TestCancelledRequestIsNotAServerError(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		var logs lockedBuffer
		f := newFixture(t, db, func(d *Deps) {
			d.Log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(`{"email":"admin@corp.test","password":"`+testPassword+`"}`)).WithContext(ctx)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		f.serve(rec, req)
		if rec.Code != statusClientClosed {
			t.Errorf("status %d, want %d (client closed request)", rec.Code, statusClientClosed)
		}
		if out := logs.String(); strings.Contains(out, "level=ERROR") || !strings.Contains(out, "status=499") {
			t.Errorf("a cancelled request is logged as a failure:\n%s", out)
		}
	})
}
