package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// The profile listener serves the contention profiles it turned on.
func TestServeProfiles(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, err := serveProfiles(ctx, slog.New(slog.DiscardHandler), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	for p, header := range map[string]string{"mutex": "--- mutex:", "block": "--- contention:"} {
		resp, err := http.Get("http://" + addr.String() + "/debug/pprof/" + p + "?debug=1")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		// debug=1 prints the sampling rate: 0 would mean nothing is recorded.
		if resp.StatusCode != 200 || !strings.Contains(string(b), header) || strings.Contains(string(b), "sampling period=0\n") {
			t.Errorf("%s profile: %d\n%.300s", p, resp.StatusCode, b)
		}
	}
}
