package handlers

import (
	"log/slog"
	"testing"
)

// TestRequestLevel: failures are logged at warn and error in every mode;
// in a demo the rest drops to debug so the sign-in banner stays in view.
func TestRequestLevel(t *testing.T) {
	for _, c := range []struct {
		status int
		demo   bool
		want   slog.Level
	}{
		{200, false, slog.LevelInfo}, {304, false, slog.LevelInfo}, {404, false, slog.LevelWarn},
		{statusClientClosed, false, slog.LevelInfo}, {500, false, slog.LevelError},
		{200, true, slog.LevelDebug}, {302, true, slog.LevelDebug}, {statusClientClosed, true, slog.LevelDebug},
		{401, true, slog.LevelWarn}, {503, true, slog.LevelError},
	} {
		if got := requestLevel(c.status, c.demo); got != c.want {
			t.Errorf("status %d, demo %v: %v, want %v", c.status, c.demo, got, c.want)
		}
	}
}
