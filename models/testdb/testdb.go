// Package testdb gives each test its own fresh, migrated database: a SQLite
// file in the test's temporary folder, and, when RAMPART_TEST_POSTGRES_URL
// is set, a PostgreSQL schema of its own that is dropped afterwards.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"rampart/models"
	"rampart/seeds"
)

// PostgresEnv names the variable that points the tests at a PostgreSQL server.
const PostgresEnv = "RAMPART_TEST_POSTGRES_URL"

// Each runs fn as a subtest once per available database, each on a fresh
// migrated database. Under CI=true a missing PostgreSQL fails the test.
func Each(t *testing.T, fn func(t *testing.T, db *models.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, Open(t, models.SQLite))
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, Open(t, models.Postgres))
	})
}

// Open returns a fresh database as `rampart migrate` leaves it: every
// migration applied and the built-in data installed.
func Open(t testing.TB, d models.Dialect) *models.DB {
	t.Helper()
	db := OpenEmpty(t, d)
	if _, err := db.Migrate(context.Background(), slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if _, err := seeds.InstallBuiltins(context.Background(), db.Gorm); err != nil {
		t.Fatalf("built-in data: %v", err)
	}
	return db
}

// OpenEmpty returns a fresh database with no tables.
func OpenEmpty(t testing.TB, d models.Dialect) *models.DB {
	t.Helper()
	target := Target(t, d)
	db, err := models.Open(context.Background(), target, models.DefaultPool)
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// Target returns the address of a fresh, empty database of the given
// dialect, removed when the test ends.
func Target(t testing.TB, d models.Dialect) models.Target {
	t.Helper()
	if d == models.SQLite {
		target, err := models.ParseURL("sqlite:" + filepath.Join(t.TempDir(), "rampart.db"))
		if err != nil {
			t.Fatal(err)
		}
		return target
	}
	base := PostgresURL(t)
	schema := "t_" + randomHex(8)
	admin, err := models.Open(context.Background(), mustParse(t, base), models.Pool{MaxOpen: 1, MaxIdle: 1})
	if err != nil {
		t.Fatalf("connect to %s: %v", PostgresEnv, err)
	}
	// The schema name is generated here from hex digits, never from input.
	if err := admin.Gorm.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_ = admin.Gorm.Exec("DROP SCHEMA " + schema + " CASCADE").Error
		_ = admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return mustParse(t, u.String())
}

// PostgresURL returns RAMPART_TEST_POSTGRES_URL or skips the test, saying
// why; under CI=true a missing PostgreSQL is a failure, never a skip.
func PostgresURL(t testing.TB) string {
	t.Helper()
	raw := os.Getenv(PostgresEnv)
	if raw == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set; CI must run the PostgreSQL suite", PostgresEnv)
		}
		t.Skipf("PostgreSQL suite skipped: %s is not set", PostgresEnv)
	}
	return raw
}

func mustParse(t testing.TB, raw string) models.Target {
	t.Helper()
	target, err := models.ParseURL(raw)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	return target
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
