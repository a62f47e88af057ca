package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"rampart/models"
)

// The database password must not reach pg_dump's command line, which any
// user of the machine can read in the process list.
func TestPgDumpPasswordStaysOffTheCommandLine(t *testing.T) {
	for _, dsn := range []string{
		"postgres://rampart:s3cret-pw@db.internal:5432/rampart?sslmode=require&search_path=rampart",
		"postgres://rampart@db.internal/rampart?password=s3cret-pw&sslmode=disable",
	} {
		cmd, err := pgDumpCommand(context.Background(), dsn, "out.backup")
		if err != nil {
			t.Fatal(err)
		}
		line := strings.Join(cmd.Args, " ")
		if strings.Contains(line, "s3cret-pw") {
			t.Errorf("%s: password on the command line: %s", dsn, line)
		}
		if !slices.Contains(cmd.Env, "PGPASSWORD=s3cret-pw") {
			t.Errorf("%s: PGPASSWORD not passed in the environment", dsn)
		}
		if !strings.Contains(line, "--dbname=postgres://rampart@db.internal") || !strings.Contains(line, "sslmode=") {
			t.Errorf("%s: connection details lost: %s", dsn, line)
		}
	}
	if cmd, _ := pgDumpCommand(context.Background(), "postgres://rampart@db/rampart?search_path=s1", "f"); !slices.Contains(cmd.Args, "--schema=s1") {
		t.Errorf("search_path not turned into --schema: %v", cmd.Args)
	}
}

// A SQLite backup's vendor search finds the copy's vendors, and its
// trigram index matches them. SQLite documents VACUUM INTO as free to
// number the rowids of a table without an integer primary key afresh, and
// the index is keyed by them, so the backup rebuilds it in the copy
// (SQLite 3.53 kept the rowids here, gaps and all: this guards the copy,
// whichever way a later SQLite goes).
func TestSQLiteBackupRebuildsTheSearchIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live, backupFile := filepath.Join(dir, "live.db"), filepath.Join(dir, "backup.db")
	open := func(path string) *models.DB {
		t.Helper()
		target, err := models.ParseURL("sqlite:" + path)
		if err != nil {
			t.Fatal(err)
		}
		db, err := models.Open(ctx, target, models.DefaultPool)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	db := open(live)
	if _, err := db.Migrate(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 20 {
		v := &models.Vendor{Name: fmt.Sprintf("Vendor %02d", i), Status: "active", Category: "saas", NameKey: fmt.Sprintf("vendor %02d", i)}
		if i%2 == 1 {
			v.Name += " Payroll"
		}
		v.SearchText = models.SearchTextOf(v)
		if err := db.Gorm.Create(v).Error; err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.ID)
	}
	// The first ten rows go: the copy may number the rest from 1.
	if err := db.Gorm.Exec("DELETE FROM vendors WHERE id IN ?", ids[:10]).Error; err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	var out, errOut bytes.Buffer
	if code := Main(ctx, []string{"rampart", "--database-url", "sqlite:" + live, "--data-dir", dir, "backup", "--to", backupFile}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("backup: exit %d: %s", code, errOut.String())
	}
	db = open(backupFile)
	defer db.Close()
	if err := db.Gorm.Exec("INSERT INTO vendors_fts(vendors_fts, rank) VALUES ('integrity-check', 1)").Error; err != nil {
		t.Fatalf("the copy's search index does not match its vendors: %v", err)
	}
	page, err := models.ListVendorSummaries(ctx, db.Gorm, models.VendorFilter{Q: "payroll", Sort: "name"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range page.Items {
		names = append(names, v.Name)
	}
	if want := "Vendor 11 Payroll,Vendor 13 Payroll,Vendor 15 Payroll,Vendor 17 Payroll,Vendor 19 Payroll"; strings.Join(names, ",") != want {
		t.Fatalf("search in the copy found %v, want %s", names, want)
	}
}
