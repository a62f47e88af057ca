package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rampart/app/dbcopy"
	"rampart/models"
	"rampart/models/testdb"
)

// TestCopySQLiteToPostgres moves a seeded 2,000-vendor SQLite install to a
// new PostgreSQL database with the real binary, compares every table's
// rows and content on both sides, and serves the copy: sign in, read a
// vendor, verify the audit chain.
func TestCopySQLiteToPostgres(t *testing.T) {
	base := testdb.PostgresURL(t)
	bin := buildBinary(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "rampart.db")
	env := append(os.Environ(), "RAMPART_DATA_DIR="+filepath.Join(dir, "data"), "RAMPART_LOG_LEVEL=error")

	seed := exec.Command(bin, "seed", "--scale", "2000")
	seed.Env = append(env, "RAMPART_DATABASE_URL=sqlite:"+src)
	if out, err := seed.CombinedOutput(); err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}

	to := newDatabase(t, base)
	var stdout, stderr strings.Builder
	cp := exec.Command(bin, "db", "copy", "--from", "sqlite:"+src, "--to", to)
	cp.Env, cp.Stdout, cp.Stderr = env, &stdout, &stderr
	start := time.Now()
	if err := cp.Run(); err != nil {
		t.Fatalf("db copy: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	t.Logf("copied in %v:\n%s", time.Since(start).Round(time.Millisecond), stdout.String())
	if !strings.Contains(stdout.String(), "Audit trail intact on the target") || strings.Contains(stdout.String(), "DIFFERS") ||
		!strings.Contains(stderr.String(), "[1/") {
		t.Errorf("report or progress missing:\n%s\n%s", stdout.String(), stderr.String())
	}

	target, err := models.ParseURL(to)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := dbcopy.Compare(context.Background(), src, target)
	if err != nil {
		t.Fatal(err)
	}
	var vendors int64
	for _, tr := range tables {
		if tr.Source != tr.Target || tr.SourceSum != tr.TargetSum {
			t.Errorf("%s: %d rows (%s) in SQLite, %d rows (%s) in PostgreSQL", tr.Name, tr.Source, tr.SourceSum, tr.Target, tr.TargetSum)
		}
		if tr.Name == "vendors" {
			vendors = tr.Target
		}
	}
	if vendors < 2000 {
		t.Errorf("%d vendors copied, want the 2,000 generated and the demo's", vendors)
	}

	// A second copy into the now full database is refused.
	again := exec.Command(bin, "db", "copy", "--from", "sqlite:"+src, "--to", to)
	again.Env = env
	if out, err := again.CombinedOutput(); err == nil || !strings.Contains(string(out), "not empty") {
		t.Errorf("copy into a full database: %v %s", err, out)
	}

	verify := exec.Command(bin, "audit", "verify")
	verify.Env = append(env, "RAMPART_DATABASE_URL="+to)
	if out, err := verify.CombinedOutput(); err != nil || !strings.Contains(string(out), "intact") {
		t.Fatalf("audit verify on the copy: %v %s", err, out)
	}

	addr := freeAddr(t)
	srv := exec.Command(bin, "serve")
	srv.Env = append(env, "RAMPART_DATABASE_URL="+to, "RAMPART_ADDR="+addr)
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Process.Kill(); _ = srv.Wait() })
	base2 := "http://" + addr
	waitReady(t, base2+"/readyz")
	client := &http.Client{Timeout: 30 * time.Second}
	token := apiToken(t, client, base2)

	srcDB, err := models.OpenSQLiteReadOnly(src)
	if err != nil {
		t.Fatal(err)
	}
	defer srcDB.Close()
	var id, name string
	if err := srcDB.QueryRow("SELECT id, name FROM vendors ORDER BY created_at DESC, id LIMIT 1").Scan(&id, &name); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", base2+"/api/v1/vendors/"+url.PathEscape(id), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("read a vendor on the copy: %v %v", resp, err)
	}
	defer resp.Body.Close()
	var v struct {
		ID, Name string
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || v.ID != id || v.Name != name {
		t.Errorf("vendor on the copy %+v (%v), want %s %q", v, err, id, name)
	}
}

// newDatabase creates a database of its own on the test server and drops
// it when the test ends.
func newDatabase(t *testing.T, base string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	admin, err := models.Open(context.Background(), models.Target{Dialect: models.Postgres, DSN: u.String()}, models.Pool{MaxOpen: 1, MaxIdle: 1})
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	name := "copy_" + hex.EncodeToString(b) // generated here, never from input
	if err := admin.Gorm.Exec("CREATE DATABASE " + name).Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = admin.Gorm.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").Error
		_ = admin.Close()
	})
	u.Path = "/" + name
	return u.String()
}
