// Package models holds the GORM models, the migrations and every query: it is
// the only package that talks to the database.
package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/pressly/goose/v3"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/plugin/dbresolver"
)

// Dialect names the database engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Pool bounds the connections one instance opens. With PostgreSQL,
// instances x MaxOpen must stay below the server's max_connections. SQLite
// uses MaxOpen for its read pool only (see Open); the rest does not apply.
type Pool struct {
	MaxOpen     int
	MaxIdle     int
	MaxLifetime time.Duration
	MaxIdleTime time.Duration
}

// DefaultPool suits one instance on a small PostgreSQL server. It keeps
// as many connections idle as it may open: with fewer, every burst past
// the idle count closed connections on return and opened new ones (a
// PostgreSQL process each) on the next call, and at 16 and 32 clients the
// mix's throughput fell by a quarter with the cores half idle
// (docs/benchmarks.md).
var DefaultPool = Pool{MaxOpen: 20, MaxIdle: 20, MaxLifetime: 30 * time.Minute, MaxIdleTime: 5 * time.Minute}

// DB is an open database together with its dialect.
type DB struct {
	Gorm    *gorm.DB
	Dialect Dialect

	// read is SQLite's pool of read connections; nil on PostgreSQL, where
	// Gorm's one pool serves everything.
	read *sql.DB

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
	return Target{Dialect: SQLite, Path: path, DSN: sqliteDSN(path, false)}
}

// sqliteReadMap is the most of the database file each read connection
// maps: SQLite's own ceiling (SQLITE_MAX_MMAP_SIZE); pages past it are
// read into the connection's page cache as before.
const sqliteReadMap = 0x7fff0000

// sqliteDSN is the driver address of the writer connection or, with read,
// of a read connection.
func sqliteDSN(path string, read bool) string {
	// WAL lets readers run beside the writer, busy_timeout waits out write
	// locks held by another process (a CLI command beside `serve`) instead
	// of failing, and immediate transactions take the write lock up front
	// so two writers never deadlock on lock upgrade. The longest write, a
	// 20,000-row vendor import, holds the lock for about 4 s on a quiet
	// machine and far longer on a saturated one: 30 s lets others wait it
	// out rather than fail with "database is locked". A 32 MiB page cache
	// and in-memory statement journals keep that write from spilling to
	// disk page by page (docs/benchmarks.md, vendor import).
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(30000)")
	if read {
		// Read connections never write: query_only turns a statement
		// routed here by mistake into an error instead of a second writer
		// queuing on the lock. The journal mode is the file's, set by the
		// writer; setting it here would need a write.
		q.Add("_pragma", "query_only(1)")
		q.Add("_pragma", "foreign_keys(1)")
		// Readers read the file through a memory map, not into page caches
		// of their own. Every commit empties each reader's page cache (WAL
		// mode starts a read after a change afresh), so under a mix with
		// writes each of the readers kept copying the same pages in again:
		// at 32 clients on 10,000 vendors a call cost 12-13 ms of CPU against
		// 10 ms with one client, and the caches held most of the server's
		// 180 MB of private memory. Mapped, the pages are the operating
		// system's own cache, shared by every reader (docs/benchmarks.md).
		// The writer keeps its cache: it writes with write(), not the map.
		q.Add("_pragma", fmt.Sprintf("mmap_size(%d)", sqliteReadMap))
		q.Add("_pragma", "cache_size(-8192)")
		q.Add("_pragma", "temp_store(2)")
		return "file:" + path + "?" + q.Encode()
	}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "cache_size(-32768)")
	q.Add("_pragma", "temp_store(2)")
	q.Set("_txlock", "immediate")
	// No _time_format: glebarez/go-sqlite v1.21 stops reading options after
	// it, silently dropping _txlock; its default format is the same anyway.
	return "file:" + path + "?" + q.Encode()
}

// RebuildSearchIndex rebuilds the vendor search's trigram index (migration
// 00071) of the SQLite file at path from the file's own vendors. A copy
// written by VACUUM INTO may number the vendors' rowids afresh, and the
// index is keyed by them.
func RebuildSearchIndex(ctx context.Context, path string) error {
	db, err := sql.Open(sqlite.DriverName, "file:"+path+"?_pragma=busy_timeout(30000)")
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "INSERT INTO vendors_fts(vendors_fts) VALUES ('rebuild')")
	return err
}

// Open connects to the target and checks that it answers.
//
// SQLite gets two pools (docs/decisions/0004-sqlite-one-writer.md): one
// writer connection, so writes queue in the process instead of holding
// pool slots while they wait on the file's lock, and a pool of read-only
// connections that WAL lets run beside it. The dbresolver plugin routes
// each statement: queries to the readers, creates, updates, deletes, raw
// statements other than SELECT and every transaction to the writer.
// PostgreSQL keeps one pool.
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
	if err := RegisterUnitScope(g); err != nil {
		return nil, fmt.Errorf("register unit scope: %w", err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	db := &DB{Gorm: g, Dialect: t.Dialect}
	if t.Dialect == SQLite {
		sqlDB.SetMaxOpenConns(1)
		sqlDB.SetMaxIdleConns(1)
		// The writer's first connection makes the file WAL before any
		// reader opens it.
		if err := sqlDB.PingContext(ctx); err != nil {
			_ = sqlDB.Close()
			return nil, fmt.Errorf("connect to database: %w", err)
		}
		if db.read, err = openReaders(g, t.Path, pool); err != nil {
			_ = sqlDB.Close()
			return nil, err
		}
	} else {
		sqlDB.SetMaxOpenConns(pool.MaxOpen)
		sqlDB.SetMaxIdleConns(pool.MaxIdle)
		sqlDB.SetConnMaxLifetime(pool.MaxLifetime)
		sqlDB.SetConnMaxIdleTime(pool.MaxIdleTime)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.Ping(pingCtx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return db, nil
}

// openReaders opens the SQLite read pool and routes g's reads to it.
// pool.MaxOpen bounds it, at least 8 and at most one per CPU beyond that:
// reads in the pure-Go driver are CPU work, so more connections than
// cores only add memory.
func openReaders(g *gorm.DB, path string, pool Pool) (*sql.DB, error) {
	read, err := sql.Open(sqlite.DriverName, sqliteDSN(path, true))
	if err != nil {
		return nil, fmt.Errorf("open database readers: %w", err)
	}
	n := min(max(pool.MaxOpen, 1), max(8, runtime.GOMAXPROCS(0)))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	err = g.Use(dbresolver.Register(dbresolver.Config{
		Replicas: []gorm.Dialector{sqlite.Dialector{Conn: read}},
	}))
	if err != nil {
		_ = read.Close()
		return nil, fmt.Errorf("route database reads: %w", err)
	}
	return read, nil
}

// Ping checks that the database answers, on every pool.
func (db *DB) Ping(ctx context.Context) error {
	sqlDB, err := db.Gorm.DB()
	if err != nil {
		return err
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return err
	}
	if db.read != nil {
		return db.read.PingContext(ctx)
	}
	return nil
}

// ReadPool is the pool that serves plain reads: SQLite's read connections,
// or PostgreSQL's one pool. Code that queries through database/sql
// directly uses it so that it does not queue on SQLite's one writer.
func (db *DB) ReadPool() (*sql.DB, error) {
	if db.read != nil {
		return db.read, nil
	}
	return db.Gorm.DB()
}

// Close releases every connection.
func (db *DB) Close() error {
	sqlDB, err := db.Gorm.DB()
	if err != nil {
		return err
	}
	err = sqlDB.Close()
	if db.read != nil {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// WithContext returns a session bound to ctx, for one request or job.
func (db *DB) WithContext(ctx context.Context) *gorm.DB {
	return db.Gorm.WithContext(ctx)
}

// OpenSQLiteReadOnly opens an existing SQLite file for reading only, as
// `db copy` reads its source: it never creates the file, never changes its
// journal mode and refuses any write.
func OpenSQLiteReadOnly(path string) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "busy_timeout(30000)")
	q.Add("_pragma", "query_only(1)")
	db, err := sql.Open(sqlite.DriverName, "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	// One connection: a read transaction on it is the one snapshot the
	// whole copy reads.
	db.SetMaxOpenConns(1)
	return db, nil
}
