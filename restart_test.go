package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// privatePostgres starts a throwaway PostgreSQL server of its own (so that
// stopping it disturbs no other test) and returns its URL and a control
// function for pg_ctl ("stop", "start").
func privatePostgres(t *testing.T) (string, func(action string)) {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("PostgreSQL server binaries are not installed; CI must run the restart test")
		}
		t.Skip("restart test skipped: no PostgreSQL server binaries under /usr/lib/postgresql")
	}
	bin := filepath.Dir(bins[len(bins)-1])
	dir, err := os.MkdirTemp("", "rampart-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	data := filepath.Join(dir, "data")
	port := strings.Split(freeAddr(t), ":")[1]
	// PostgreSQL refuses to run as root: run it as the postgres user when we are root.
	run := func(args ...string) ([]byte, error) {
		if os.Geteuid() == 0 {
			exec.Command("chown", "-R", "postgres", dir).Run()
			return exec.Command("su", "postgres", "-s", "/bin/sh", "-c", strings.Join(args, " ")).CombinedOutput()
		}
		return exec.Command(args[0], args[1:]...).CombinedOutput()
	}
	if out, err := run(filepath.Join(bin, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync"); err != nil {
		t.Fatalf("initdb: %v %s", err, out)
	}
	ctl := func(action string) {
		t.Helper()
		args := []string{filepath.Join(bin, "pg_ctl"), "-D", data, "-w", "-l", filepath.Join(dir, "log")}
		if action == "start" {
			args = append(args, "-o", fmt.Sprintf(`"-p %s -k %s -c listen_addresses=127.0.0.1 -c fsync=off"`, port, dir))
		} else {
			args = append(args, "-m", "fast")
		}
		if out, err := run(append(args, action)...); err != nil {
			t.Fatalf("pg_ctl %s: %v %s", action, err, out)
		}
	}
	ctl("start")
	t.Cleanup(func() { ctl("stop") })
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%s/postgres?sslmode=disable", port), ctl
}

// TestSurvivesPostgresRestart restarts PostgreSQL under a stream of
// writes: /readyz says not ready during the outage, the server recovers
// without being restarted, and every write it acknowledged is there.
func TestSurvivesPostgresRestart(t *testing.T) {
	dbURL, ctl := privatePostgres(t)
	bin := buildBinary(t)
	addr := freeAddr(t)
	srv := exec.Command(bin, "serve", "--demo")
	srv.Env = append(os.Environ(), "RAMPART_DATABASE_URL="+dbURL, "RAMPART_ADDR="+addr, "RAMPART_DATA_DIR="+t.TempDir(), "RAMPART_LOG_LEVEL=error")
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Process.Kill(); _ = srv.Wait() })
	base := "http://" + addr
	waitReady(t, base+"/readyz")

	client := &http.Client{Timeout: 5 * time.Second}
	token := apiToken(t, client, base)
	var (
		mu    sync.Mutex
		acked []string
		stop  = make(chan struct{})
		done  = make(chan struct{})
	)
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			req, _ := http.NewRequest("POST", base+"/api/v1/vendors", strings.NewReader(fmt.Sprintf(`{"name":"Restart test %d","category":"saas","confirm_duplicate":true}`, i)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := client.Do(req)
			if err != nil {
				time.Sleep(20 * time.Millisecond)
				continue
			}
			var v struct{ ID string }
			json.NewDecoder(resp.Body).Decode(&v)
			resp.Body.Close()
			if resp.StatusCode == 201 {
				mu.Lock()
				acked = append(acked, v.ID)
				mu.Unlock()
			} else {
				time.Sleep(20 * time.Millisecond)
			}
		}
	}()

	time.Sleep(300 * time.Millisecond)
	ctl("stop")
	sawDown := false
	for i := 0; i < 50 && !sawDown; i++ {
		resp, err := client.Get(base + "/readyz")
		if err == nil {
			sawDown = resp.StatusCode == http.StatusServiceUnavailable
			resp.Body.Close()
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !sawDown {
		t.Fatal("/readyz never reported the database outage")
	}
	if resp, err := client.Get(base + "/healthz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("/healthz during the outage: %v %v", resp, err)
	}
	mu.Lock()
	beforeRestart := len(acked)
	mu.Unlock()
	ctl("start")
	waitReady(t, base+"/readyz")
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n > beforeRestart+5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no writes succeeded after the restart (%d before)", beforeRestart)
		}
		time.Sleep(50 * time.Millisecond)
	}
	close(stop)
	<-done

	for _, id := range acked {
		req, _ := http.NewRequest("GET", base+"/api/v1/vendors/"+id, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("acknowledged vendor %s is missing after the restart: %v %v", id, resp, err)
		}
		resp.Body.Close()
	}
	t.Logf("%d acknowledged writes (%d before the outage), all present after the restart", len(acked), beforeRestart)
}

// apiToken signs in as the demo admin and creates an API token.
func apiToken(t *testing.T, client *http.Client, base string) string {
	t.Helper()
	return apiTokenAs(t, client, base, "admin@example.com", "demo-password")
}

// apiTokenAs signs in as email and creates an API token.
func apiTokenAs(t *testing.T, client *http.Client, base, email, password string) string {
	t.Helper()
	login, _ := json.Marshal(map[string]string{"email": email, "password": password})
	resp, err := client.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(login))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("sign in: %v %v", resp, err)
	}
	var me struct {
		CSRFToken string `json:"csrf_token"`
	}
	json.NewDecoder(resp.Body).Decode(&me)
	resp.Body.Close()
	req, _ := http.NewRequest("POST", base+"/api/v1/api-tokens", strings.NewReader(`{"name":"restart test"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", me.CSRFToken)
	for _, c := range resp.Cookies() {
		req.AddCookie(c)
	}
	resp, err = client.Do(req)
	if err != nil || resp.StatusCode != 201 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("create token: %v %s", err, b)
	}
	defer resp.Body.Close()
	var tok struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&tok)
	return tok.Token
}
