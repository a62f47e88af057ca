package models_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm/schema"

	"rampart/models"
	"rampart/models/testdb"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// TestMigrationsMatchModels applies every migration to an empty database
// and checks that each model's columns and the tables agree both ways.
func TestMigrationsMatchModels(t *testing.T) {
	for _, d := range []models.Dialect{models.SQLite, models.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := testdb.OpenEmpty(t, d)
			applied, err := db.Migrate(ctx, quiet)
			if err != nil {
				t.Fatal(err)
			}
			if applied == 0 {
				t.Fatal("no migration applied to an empty database")
			}
			again, err := db.Migrate(ctx, quiet)
			if err != nil || again != 0 {
				t.Fatalf("second migrate applied %d (err %v); want 0", again, err)
			}
			current, latest, err := db.SchemaVersion(ctx)
			if err != nil || current != latest {
				t.Fatalf("schema version %d, latest %d, err %v", current, latest, err)
			}

			tables, err := db.Gorm.Migrator().GetTables()
			if err != nil {
				t.Fatal(err)
			}
			modelTables := map[string]bool{}
			for _, m := range models.Models() {
				s, err := schema.Parse(m, &sync.Map{}, db.Gorm.NamingStrategy)
				if err != nil {
					t.Fatal(err)
				}
				modelTables[s.Table] = true
				if !slices.Contains(tables, s.Table) {
					t.Errorf("model %s: table %s is not created by any migration", s.Name, s.Table)
					continue
				}
				cols, err := db.Gorm.Migrator().ColumnTypes(m)
				if err != nil {
					t.Fatal(err)
				}
				var dbCols []string
				for _, c := range cols {
					dbCols = append(dbCols, c.Name())
				}
				var fields []string
				for _, f := range s.Fields {
					if f.DBName != "" {
						fields = append(fields, f.DBName)
					}
				}
				sort.Strings(dbCols)
				sort.Strings(fields)
				if !slices.Equal(dbCols, fields) {
					t.Errorf("table %s: columns %v, model fields %v", s.Table, dbCols, fields)
				}
			}
			for _, table := range tables {
				if table == "goose_db_version" || strings.HasPrefix(table, "sqlite_") || models.IsSearchIndexTable(table) {
					continue
				}
				if !modelTables[table] {
					t.Errorf("table %s has no model in models.Models()", table)
				}
			}
		})
	}
}

func TestParseURL(t *testing.T) {
	cases := []struct {
		in      string
		dialect models.Dialect
		path    string
		err     string
	}{
		{in: "data/rampart.db", dialect: models.SQLite, path: "data/rampart.db"},
		{in: "sqlite:data/x.db", dialect: models.SQLite, path: "data/x.db"},
		{in: "sqlite:///var/lib/rampart.db", dialect: models.SQLite, path: "/var/lib/rampart.db"},
		{in: "postgres://u@localhost:5432/db?sslmode=disable", dialect: models.Postgres},
		{in: "postgresql://u@db/rampart", dialect: models.Postgres},
		{in: "", err: "is empty"},
		{in: "sqlite:", err: "no file path"},
		{in: "mysql://root@localhost/db", err: `unsupported scheme "mysql"`},
		{in: "postgres://", err: "not a valid"},
	}
	for _, c := range cases {
		got, err := models.ParseURL(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseURL(%q) error = %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got.Dialect != c.dialect || got.Path != c.path {
			t.Errorf("ParseURL(%q) = %+v, %v", c.in, got, err)
		}
	}
}

func TestUserEmailUniqueCaseInsensitive(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		u := &models.User{Email: "Ann@Example.com", Name: "Ann", Role: models.RoleAdmin, Active: true}
		if err := models.CreateUser(ctx, db.Gorm, u); err != nil {
			t.Fatal(err)
		}
		dup := &models.User{Email: "ann@example.COM ", Name: "Ann 2", Role: models.RoleAuditor}
		if err := models.CreateUser(ctx, db.Gorm, dup); err == nil || !strings.Contains(err.Error(), "conflict") {
			t.Fatalf("duplicate email: err = %v, want conflict", err)
		}
		got, err := models.UserByEmail(ctx, db.Gorm, "ANN@example.com")
		if err != nil || got.ID != u.ID || got.Name != "Ann" || !got.Active || got.Version != 1 {
			t.Fatalf("UserByEmail = %+v, %v", got, err)
		}
		if _, err := models.UserByEmail(ctx, db.Gorm, "nobody@example.com"); err != models.ErrNotFound {
			t.Fatalf("unknown email: err = %v, want ErrNotFound", err)
		}
	})
}
