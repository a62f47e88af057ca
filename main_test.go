package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
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

// waitReady waits for an instance's /readyz. The bound is generous: on a
// busy two-core CI machine a race-built binary that waits its turn for the
// migration lock (goose retries every 5 s) took over 30 s to be ready.
func waitReady(t *testing.T, url string) time.Time {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
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
	t.Fatalf("%s not ready within 2 minutes", url)
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

// TestBackupAndRestore backs up a database while the server writes to it
// and boots a new server on the restored copy.
func TestBackupAndRestore(t *testing.T) {
	bin := buildBinary(t)
	for _, d := range []models.Dialect{models.SQLite, models.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			if d == models.Postgres {
				if _, err := exec.LookPath("pg_restore"); err != nil {
					t.Fatalf("pg_dump/pg_restore are needed for the PostgreSQL backup test: %v", err)
				}
			}
			target := testdb.Target(t, d)
			dbURL := target.DSN
			if d == models.SQLite {
				dbURL = "sqlite:" + target.Path
			}
			addr := freeAddr(t)
			env := append(os.Environ(), "RAMPART_DATABASE_URL="+dbURL, "RAMPART_ADDR="+addr, "RAMPART_DATA_DIR="+t.TempDir(), "RAMPART_LOG_LEVEL=error")
			srv := exec.Command(bin, "serve", "--demo")
			srv.Env = env
			if err := srv.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = srv.Process.Kill(); _ = srv.Wait() })
			waitReady(t, "http://"+addr+"/readyz")

			// Writes continue during the backup: failed sign-ins append audit events.
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() {
				defer close(done)
				for {
					select {
					case <-stop:
						return
					default:
					}
					resp, err := http.Post("http://"+addr+"/api/v1/auth/login", "application/json",
						strings.NewReader(`{"email":"load@example.com","password":"wrong password!"}`))
					if err == nil {
						resp.Body.Close()
					}
				}
			}()
			file := filepath.Join(t.TempDir(), "rampart.backup")
			b := exec.Command(bin, "backup", "--to", file)
			b.Env = env
			out, err := b.CombinedOutput()
			close(stop)
			<-done
			if err != nil || !strings.Contains(string(out), "Backup written") {
				t.Fatalf("backup: %v %s", err, out)
			}

			restored := restoreBackup(t, d, file, target)
			check := exec.Command(bin, "audit", "verify")
			check.Env = append(os.Environ(), "RAMPART_DATABASE_URL="+restored, "RAMPART_DATA_DIR="+t.TempDir())
			if out, err := check.CombinedOutput(); err != nil || !strings.Contains(string(out), "intact") {
				t.Fatalf("audit verify on the restored copy: %v %s", err, out)
			}
			addr2 := freeAddr(t)
			srv2 := exec.Command(bin, "serve")
			srv2.Env = append(os.Environ(), "RAMPART_DATABASE_URL="+restored, "RAMPART_ADDR="+addr2, "RAMPART_DATA_DIR="+t.TempDir(), "RAMPART_LOG_LEVEL=error")
			if err := srv2.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = srv2.Process.Kill(); _ = srv2.Wait() })
			waitReady(t, "http://"+addr2+"/readyz")
			resp, err := http.Post("http://"+addr2+"/api/v1/auth/login", "application/json", strings.NewReader(`{"email":"admin@example.com","password":"demo-password"}`))
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("sign in on the restored copy: %v %v", resp, err)
			}
			resp.Body.Close()
		})
	}
}

// restoreBackup restores file and returns a database URL for it.
func restoreBackup(t *testing.T, d models.Dialect, file string, from models.Target) string {
	t.Helper()
	if d == models.SQLite {
		return "sqlite:" + file
	}
	u, _ := url.Parse(from.DSN)
	schema := u.Query().Get("search_path")
	dbName := "restore_" + strings.TrimPrefix(schema, "t_")
	admin := *u
	q := admin.Query()
	q.Del("search_path")
	admin.RawQuery = q.Encode()
	if out, err := exec.Command("psql", admin.String(), "-c", "CREATE DATABASE "+dbName).CombinedOutput(); err != nil {
		t.Fatalf("create database: %v %s", err, out)
	}
	t.Cleanup(func() {
		_ = exec.Command("psql", admin.String(), "-c", "DROP DATABASE IF EXISTS "+dbName+" WITH (FORCE)").Run()
	})
	restore := admin
	restore.Path = "/" + dbName
	// A one-schema dump does not carry extensions (pg_trgm lives in public).
	if out, err := exec.Command("psql", restore.String(), "-c", "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public").CombinedOutput(); err != nil {
		t.Fatalf("create extension: %v %s", err, out)
	}
	if out, err := exec.Command("pg_restore", "--no-owner", "--dbname="+restore.String(), file).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v %s", err, out)
	}
	q = restore.Query()
	q.Set("search_path", schema)
	restore.RawQuery = q.Encode()
	return restore.String()
}
