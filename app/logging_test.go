package app

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeFile is a log destination that answers Stat as a terminal or a
// regular file would.
type fakeFile struct {
	bytes.Buffer
	mode fs.FileMode
}

func (f *fakeFile) Stat() (os.FileInfo, error) { return fakeInfo{f.mode}, nil }

type fakeInfo struct{ mode fs.FileMode }

func (i fakeInfo) Name() string       { return "fake" }
func (i fakeInfo) Size() int64        { return 0 }
func (i fakeInfo) Mode() fs.FileMode  { return i.mode }
func (i fakeInfo) ModTime() time.Time { return time.Time{} }
func (i fakeInfo) IsDir() bool        { return false }
func (i fakeInfo) Sys() any           { return nil }

// TestLogFormat: "auto" writes text to a terminal and JSON to a file, a
// pipe or anything that is not a file; an explicit setting always wins.
func TestLogFormat(t *testing.T) {
	terminal := &fakeFile{mode: fs.ModeDevice | fs.ModeCharDevice | 0o620}
	for _, c := range []struct {
		name, setting string
		w             io.Writer
		want          string
	}{
		{"auto, terminal", "auto", terminal, "text"},
		{"auto, regular file", "auto", &fakeFile{mode: 0o644}, "json"},
		{"auto, pipe", "auto", &fakeFile{mode: fs.ModeNamedPipe | 0o600}, "json"},
		{"auto, not a file", "auto", &bytes.Buffer{}, "json"},
		{"json on a terminal", "json", terminal, "json"},
		{"text into a file", "text", &fakeFile{mode: 0o644}, "text"},
	} {
		if got := logFormat(c.setting, c.w); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}

	// Both formats write durations with their unit.
	for _, format := range []string{"text", "json"} {
		var out bytes.Buffer
		newLogger(&Config{LogLevel: "info", LogFormat: format}, &out).Info("shutting down", "timeout", 30*time.Second)
		if want := map[string]string{"text": "timeout=30s", "json": `"timeout":"30s"`}[format]; !strings.Contains(out.String(), want) {
			t.Errorf("%s log %q lacks %s", format, out.String(), want)
		}
	}
	newLogger(&Config{LogLevel: "info", LogFormat: "auto"}, terminal).Info("hello")
	if !strings.HasPrefix(terminal.String(), "time=") {
		t.Errorf("log on a terminal is not text: %q", terminal.String())
	}
}

// syncBuffer is what a terminal shows: stdout and stderr in one stream.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestDemoBannerIsPrintedLast runs `rampart serve --demo` with stdout and
// stderr in one stream, as a terminal shows them: the sign-in banner comes
// after every startup line, and successful requests do not push it away.
func TestDemoBannerIsPrintedLast(t *testing.T) {
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{}
	exited := make(chan int, 1)
	go func() {
		exited <- Main(ctx, []string{"rampart", "--data-dir", dir, "--database-url", "sqlite:" + filepath.Join(dir, "r.db"),
			"--addr", addr, "--log-format", "text", "serve", "--demo"}, strings.NewReader(""), out, out)
	}()
	const last = "choose \"Send a new link\".\n"
	// A readiness wait, not a timing: loading the demo takes seconds alone
	// and far longer on a CI machine running every suite at once.
	deadline := time.Now().Add(3 * time.Minute)
	for !strings.Contains(out.String(), last) {
		if time.Now().After(deadline) {
			t.Fatalf("no demo banner within 3 minutes:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, path := range []string{"/", "/healthz", "/api/v1/meta"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", path, resp, err)
		}
		resp.Body.Close()
	}
	time.Sleep(300 * time.Millisecond)
	got := out.String()
	if !strings.HasSuffix(got, last) {
		t.Errorf("the banner is not the last thing written:\n%s", got)
	}
	banner := got[strings.Index(got, "Rampart "):]
	if !strings.Contains(banner, "is running at http://localhost:") || !strings.Contains(banner, "Demo sign-in: admin@example.com") ||
		!strings.Contains(banner, "Mail is kept in the demo outbox") {
		t.Errorf("banner %q", banner)
	}
	if strings.Contains(got, "msg=\"migration applied\"") || !strings.Contains(got, "shutdown_timeout=30s") || !strings.Contains(got, `body_limit="1.0 MiB"`) {
		t.Errorf("startup log:\n%s", got)
	}
	cancel()
	select {
	case code := <-exited:
		if code != 0 {
			t.Errorf("exit %d:\n%s", code, out.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}
