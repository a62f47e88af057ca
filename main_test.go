package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
)

// buildBinary compiles the real binary once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "rampart")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestBinaryLifecycle runs the real binary on each database: migrate, serve
// on the migrated database, time until /readyz answers, then SIGTERM and
// expect the slow request in flight to be answered and exit status 0.
func TestBinaryLifecycle(t *testing.T) {
	bin := buildBinary(t)
	for _, d := range []models.Dialect{models.SQLite, models.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			target := testdb.Target(t, d)
			dbURL := target.DSN
			if d == models.SQLite {
				dbURL = "sqlite:" + target.Path
			}
			addr := freeAddr(t)
			env := append(os.Environ(), "RAMPART_DATABASE_URL="+dbURL, "RAMPART_ADDR="+addr,
				"RAMPART_DATA_DIR="+t.TempDir(), "RAMPART_LOG_FORMAT=json")
			mig := exec.Command(bin, "migrate")
			mig.Env = env
			if out, err := mig.CombinedOutput(); err != nil || !strings.Contains(string(out), `"schema_version"`) {
				t.Fatalf("migrate: %v\n%s", err, out)
			}

			var stdout, stderr bytes.Buffer
			srv := exec.Command(bin, "serve")
			srv.Env, srv.Stdout, srv.Stderr = env, &stdout, &stderr
			start := time.Now()
			if err := srv.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = srv.Process.Kill() })
			ready := waitReady(t, "http://"+addr+"/readyz")
			t.Logf("%s: /readyz answered 200 %v after start on an already-migrated database", d, ready.Sub(start).Round(time.Millisecond))

			resp, err := http.Get("http://" + addr + "/api/v1/meta")
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("meta: %v %v", resp, err)
			}
			resp.Body.Close()

			check := exec.Command(bin, "healthcheck")
			check.Env = env
			if out, err := check.CombinedOutput(); err != nil {
				t.Fatalf("healthcheck against a running server: %v %s", err, out)
			}

			// A slow request in flight when SIGTERM arrives: its headers
			// and half its body are sent before the signal, the rest after.
			body := `{"email":"nobody@example.com","password":"not the right one"}`
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			fmt.Fprintf(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", addr, len(body), body[:20])
			time.Sleep(200 * time.Millisecond)
			if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- srv.Wait() }()
			select {
			case err := <-exited:
				t.Fatalf("exited (%v) with a request in flight\nstderr: %s", err, stderr.String())
			case <-time.After(500 * time.Millisecond):
			}
			fmt.Fprint(conn, body[20:])
			inflight, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("the in-flight request got no response: %v\nstderr: %s", err, stderr.String())
			}
			answer, _ := io.ReadAll(inflight.Body)
			if inflight.StatusCode != 401 || !strings.Contains(string(answer), "Email or password is incorrect") {
				t.Fatalf("in-flight request: %d %s", inflight.StatusCode, answer)
			}
			select {
			case err := <-exited:
				if err != nil {
					t.Fatalf("exit after SIGTERM: %v\nstderr: %s", err, stderr.String())
				}
			case <-time.After(15 * time.Second):
				t.Fatalf("still running 15s after SIGTERM\nstderr: %s", stderr.String())
			}
			if !strings.Contains(stdout.String(), "is running at http://") {
				t.Errorf("serve did not print its URL: %q", stdout.String())
			}
			if !strings.Contains(stderr.String(), `"msg":"stopped"`) {
				t.Errorf("no orderly stop in the log: %s", stderr.String())
			}
			if strings.Contains(stdout.String(), "Demo sign-in") {
				t.Errorf("demo sign-in printed without --demo")
			}
		})
	}
}

func waitReady(t *testing.T, url string) time.Time {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return time.Now()
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s not ready within 30s", url)
	return time.Time{}
}

func TestBinaryVersionAndHelp(t *testing.T) {
	bin := buildBinary(t)
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "rampart ") {
		t.Fatalf("version: %v %q", err, out)
	}
	for _, cmd := range [][]string{{"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"seed", "--help"}, {"admin", "create", "--help"}, {"version", "--help"}} {
		out, err := exec.Command(bin, cmd...).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "USAGE") {
			t.Errorf("%v: %v %q", cmd, err, out)
		}
	}
	down := exec.Command(bin, "healthcheck")
	down.Env = append(os.Environ(), "RAMPART_ADDR="+freeAddr(t))
	if out, err := down.CombinedOutput(); err == nil || !strings.Contains(string(out), "health check failed") {
		t.Errorf("healthcheck with no server: %v %q", err, out)
	}
	bad := exec.Command(bin, "serve")
	bad.Env = append(os.Environ(), "RAMPART_ADDR=nonsense")
	out, err = bad.CombinedOutput()
	if err == nil || strings.TrimSpace(string(out)) != fmt.Sprintf("rampart: invalid setting --addr (RAMPART_ADDR) %q: must be HOST:PORT or :PORT", "nonsense") {
		t.Errorf("bad setting: %v %q", err, out)
	}
}
