// Package models holds the GORM models, the migrations and every query: it is
// the only package that talks to the database.
package models

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/pressly/goose/v3"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the database engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Pool bounds the connections one instance opens. With PostgreSQL,
// instances x MaxOpen must stay below the server's max_connections.
type Pool struct {
	MaxOpen     int
	MaxIdle     int
	MaxLifetime time.Duration
	MaxIdleTime time.Duration
}

// DefaultPool suits one instance on a small PostgreSQL server.
var DefaultPool = Pool{MaxOpen: 20, MaxIdle: 10, MaxLifetime: 30 * time.Minute, MaxIdleTime: 5 * time.Minute}

// DB is an open database together with its dialect.
type DB struct {
	Gorm    *gorm.DB
	Dialect Dialect

	migOnce sync.Once
	mig     *goose.Provider
	migErr  error
}

// Target is a parsed RAMPART_DATABASE_URL.
type Target struct {
	Dialect Dialect
	// DSN is what the driver receives: a file: URI for SQLite, the URL for PostgreSQL.
	DSN string
	// Path is the SQLite file; empty for PostgreSQL.
	Path string
}

// ParseURL reads a database setting: a file path or a sqlite: URL means
// embedded SQLite, postgres:// or postgresql:// means PostgreSQL.
func ParseURL(raw string) (Target, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Target{}, errors.New("is empty; use a file path, sqlite:PATH or postgres://")
	}
	lower := strings.ToLower(raw)
	switch {
	case strings.HasPrefix(lower, "postgres://"), strings.HasPrefix(lower, "postgresql://"):
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return Target{}, errors.New("is not a valid postgres:// URL")
		}
		return Target{Dialect: Postgres, DSN: raw}, nil
	case strings.HasPrefix(lower, "sqlite:"):
		path := raw[len("sqlite:"):]
		path = strings.TrimPrefix(path, "//")
		if path == "" {
			return Target{}, errors.New("sqlite: URL has no file path")
		}
		return sqliteTarget(path), nil
	case strings.Contains(raw, "://"):
		scheme, _, _ := strings.Cut(raw, "://")
		return Target{}, fmt.Errorf("has unsupported scheme %q; use a file path, sqlite:PATH or postgres://", scheme)
	default:
		return sqliteTarget(raw), nil
	}
}

func sqliteTarget(path string) Target {
	// WAL lets readers run beside the writer, busy_timeout waits out write
	// locks instead of failing, and immediate transactions take the write
	// lock up front so two writers never deadlock on lock upgrade. The
	// longest write, a 20,000-row vendor import, holds the lock for about
	// 4 s on a quiet machine and far longer on a saturated one: 30 s lets
	// others wait it out rather than fail with "database is locked". A
	// 32 MiB page cache and in-memory statement journals keep that write
	// from spilling to disk page by page (docs/benchmarks.md, vendor import).
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(30000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "cache_size(-32768)")
	q.Add("_pragma", "temp_store(2)")
	q.Set("_txlock", "immediate")
	// No _time_format: glebarez/go-sqlite v1.21 stops reading options after
	// it, silently dropping _txlock; its default format is the same anyway.
	return Target{Dialect: SQLite, Path: path, DSN: "file:" + path + "?" + q.Encode()}
}

// Open connects to the target and checks that it answers.
func Open(ctx context.Context, t Target, pool Pool) (*DB, error) {
	var dialector gorm.Dialector
	switch t.Dialect {
	case SQLite:
		if dir := filepath.Dir(t.Path); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create database folder: %w", err)
			}
		}
		dialector = sqlite.Open(t.DSN)
	case Postgres:
		dialector = postgres.Open(t.DSN)
	default:
		return nil, fmt.Errorf("unknown dialect %q", t.Dialect)
	}
	g, err := gorm.Open(dialector, &gorm.Config{
		NowFunc:                func() time.Time { return time.Now().UTC() },
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		TranslateError:         true,
	})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	if t.Dialect == SQLite {
		// One file, one process: a few connections serve concurrent reads,
		// and writes queue on the database lock (busy_timeout).
		pool.MaxOpen = min(max(pool.MaxOpen, 1), 8)
		pool.MaxIdle = pool.MaxOpen
		pool.MaxLifetime, pool.MaxIdleTime = 0, 0
	}
	sqlDB.SetMaxOpenConns(pool.MaxOpen)
	sqlDB.SetMaxIdleConns(pool.MaxIdle)
	sqlDB.SetConnMaxLifetime(pool.MaxLifetime)
	sqlDB.SetConnMaxIdleTime(pool.MaxIdleTime)
	db := &DB{Gorm: g, Dialect: t.Dialect}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.Ping(pingCtx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return db, nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	sqlDB, err := db.Gorm.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Close releases every connection.
func (db *DB) Close() error {
	sqlDB, err := db.Gorm.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// WithContext returns a session bound to ctx, for one request or job.
func (db *DB) WithContext(ctx context.Context) *gorm.DB {
	return db.Gorm.WithContext(ctx)
}
