package models

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"testing/fstest"
	"text/template"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// columnTypes are the few types that differ between the two databases; a
// migration names them as {{.Time}}, {{.JSON}} and {{.Bytes}} so that one
// set of files, with one set of versions, serves both. {{.Dialect}} lets a
// migration add what only one database has (PostgreSQL's trigram index).
var columnTypes = map[Dialect]map[string]string{
	SQLite:   {"Dialect": "sqlite", "Time": "DATETIME", "JSON": "TEXT", "Bytes": "BLOB"},
	Postgres: {"Dialect": "postgres", "Time": "TIMESTAMPTZ", "JSON": "JSONB", "Bytes": "BYTEA"},
}

// migrationsFor renders the embedded migrations for one dialect.
func migrationsFor(d Dialect) (fs.FS, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	out := fstest.MapFS{}
	for _, name := range names {
		src, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		tmpl, err := template.New(name).Option("missingkey=error").Parse(string(src))
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", name, err)
		}
		var buf bytes.Buffer
		if err := tmpl.Execute(&buf, columnTypes[d]); err != nil {
			return nil, fmt.Errorf("migration %s: %w", name, err)
		}
		out[path.Base(name)] = &fstest.MapFile{Data: buf.Bytes(), Mode: 0o444}
	}
	return out, nil
}

func (db *DB) migrator() (*goose.Provider, error) {
	db.migOnce.Do(func() { db.mig, db.migErr = db.newMigrator() })
	return db.mig, db.migErr
}

func (db *DB) newMigrator() (*goose.Provider, error) {
	fsys, err := migrationsFor(db.Dialect)
	if err != nil {
		return nil, err
	}
	sqlDB, err := db.Gorm.DB()
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	dialect := goose.DialectSQLite3
	if db.Dialect == Postgres {
		dialect = goose.DialectPostgres
		// Several instances may start at once: an advisory lock makes
		// exactly one of them apply the migrations.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, sqlDB, fsys, opts...)
}

// Migrate applies every pending migration, logging each one, and returns
// how many it applied. Running it again applies nothing.
func (db *DB) Migrate(ctx context.Context, log *slog.Logger) (int, error) {
	p, err := db.migrator()
	if err != nil {
		return 0, err
	}
	// Creating a new database applies every migration, which says nothing
	// an operator needs (the caller logs how many): those lines are debug.
	// An upgrade's migrations are news, logged at info.
	level := slog.LevelInfo
	if current, err := p.GetDBVersion(ctx); err == nil && current == 0 {
		level = slog.LevelDebug
	}
	results, err := p.Up(ctx)
	for _, r := range results {
		log.Log(ctx, level, "migration applied", "version", r.Source.Version, "file", path.Base(r.Source.Path), "took", r.Duration)
	}
	if err != nil {
		return len(results), fmt.Errorf("apply migrations: %w", err)
	}
	return len(results), nil
}

// SchemaVersion reports the applied and the latest known migration versions.
func (db *DB) SchemaVersion(ctx context.Context) (current, latest int64, err error) {
	p, err := db.migrator()
	if err != nil {
		return 0, 0, err
	}
	return p.GetVersions(ctx)
}

// MigrateUpTo applies the migrations up to version only: `db copy` brings
// a new PostgreSQL database to exactly the schema of the SQLite file it
// copies, and tests put data in the schema a later migration finds.
func (db *DB) MigrateUpTo(ctx context.Context, version int64) error {
	p, err := db.migrator()
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}

// LatestMigration is the newest schema version this build knows.
func (db *DB) LatestMigration() (int64, error) {
	p, err := db.migrator()
	if err != nil {
		return 0, err
	}
	src := p.ListSources()
	if len(src) == 0 {
		return 0, nil
	}
	return src[len(src)-1].Version, nil
}

// CurrentMigration is the schema version applied to the database.
func (db *DB) CurrentMigration(ctx context.Context) (int64, error) {
	p, err := db.migrator()
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}
