package dbcopy

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

// demoSource is a closed SQLite file holding the demo data, as a stopped
// server leaves it.
func demoSource(t *testing.T) (string, *models.DB) {
	t.Helper()
	db := testdb.Open(t, models.SQLite)
	if _, err := seeds.Demo(context.Background(), db.Gorm); err != nil {
		t.Fatal(err)
	}
	var path string
	if err := db.Gorm.Raw("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path).Error; err != nil || path == "" {
		t.Fatalf("source path: %v", err)
	}
	return path, db
}

func targetTables(t *testing.T, to models.Target) []string {
	t.Helper()
	db, err := models.Open(context.Background(), to, models.Pool{MaxOpen: 1, MaxIdle: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var names []string
	if err := db.Gorm.Raw("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename").Scan(&names).Error; err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(names, skipped)
}

// The copy carries every table of the schema, every row and every value
// as it was, including values that are easy to mangle on the way.
func TestCopyKeepsEveryTableAndValue(t *testing.T) {
	ctx := context.Background()
	from, src := demoSource(t)
	var id string
	src.Gorm.Raw("SELECT id FROM vendors ORDER BY id LIMIT 1").Scan(&id)
	odd := map[string]any{
		"name":                "Zürich ☃ 株式会社 <script>alert(1)</script> 'quote\" \\ 🚀",
		"description":         strings.Repeat("long text with ünïcödé and emoji 🦀 ", 20000),
		"integration_methods": `{"nested":{"b":[1,2.50,1e3,"x"],"a":null},"big":12345678901234567890,"esc":"\u00e9\n"}`,
		"annual_spend":        int64(9007199254740993), // beyond float64's exact integers
		"internal_users":      int64(-9223372036854775808),
		"external_id":         nil,
		"archived_at":         time.Date(2031, 2, 3, 4, 5, 6, 123456789, time.FixedZone("IST", 5*3600+1800)),
	}
	if err := src.Gorm.Table("vendors").Where("id = ?", id).Updates(odd).Error; err != nil {
		t.Fatal(err)
	}
	_ = src.Close()

	to := testdb.Target(t, models.Postgres)
	rep, err := Copy(ctx, Options{From: from, To: to})
	if err != nil {
		t.Fatalf("copy: %v", err)
	}
	var copied []string
	for _, tr := range rep.Tables {
		copied = append(copied, tr.Name)
		if tr.Source != tr.Target || tr.SourceSum != tr.TargetSum || tr.SourceSum == "" {
			t.Errorf("%s: source %d rows %s, target %d rows %s", tr.Name, tr.Source, tr.SourceSum, tr.Target, tr.TargetSum)
		}
	}
	slices.Sort(copied)
	if got := targetTables(t, to); !slices.Equal(got, copied) || len(got) < 30 {
		t.Errorf("tables in the schema %v, copied %v", got, copied)
	}
	if !rep.Audit.OK || rep.Audit.Checked == 0 || rep.Rows() < 500 {
		t.Errorf("report: %+v", rep)
	}
	again, err := Compare(ctx, from, to)
	if err != nil || !slices.EqualFunc(again, rep.Tables, func(a, b TableReport) bool { return a == b }) {
		t.Errorf("compare after the copy: %v\n%+v\n%+v", err, again, rep.Tables)
	}

	pg, err := models.Open(ctx, to, models.Pool{MaxOpen: 1, MaxIdle: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	var got struct {
		Name, Description, IntegrationMethods string
		AnnualSpend, InternalUsers            int64
		ExternalID                            *string
		ArchivedAt                            time.Time
	}
	if err := pg.Gorm.Raw("SELECT name, description, integration_methods, annual_spend, internal_users, external_id, archived_at FROM vendors WHERE id = ?", id).Scan(&got).Error; err != nil {
		t.Fatal(err)
	}
	if got.Name != odd["name"] || got.Description != odd["description"] || got.IntegrationMethods != odd["integration_methods"] ||
		got.AnnualSpend != odd["annual_spend"] || got.InternalUsers != odd["internal_users"] || got.ExternalID != nil {
		t.Errorf("values changed on the way: %+v", got)
	}
	if want := odd["archived_at"].(time.Time).Truncate(time.Microsecond); !got.ArchivedAt.Equal(want) {
		t.Errorf("archived_at %v, want %v", got.ArchivedAt, want)
	}
	var active []bool
	pg.Gorm.Raw("SELECT DISTINCT active FROM users").Scan(&active)
	if len(active) == 0 {
		t.Error("booleans not copied")
	}

	// The dashboard's tallies are not copied but written by the target's
	// triggers as the rows arrive: they count each row once.
	for _, kind := range []struct{ kind, table, where string }{
		{"vendor", "vendors", "archived_at IS NULL"},
		{"trend", "vendor_risk_history", "month_last"},
		{"finding_sev", "findings", "status IN ('open', 'in_progress')"},
	} {
		var tallied, counted int64
		pg.Gorm.Raw("SELECT COALESCE(SUM(n), 0) FROM dashboard_tallies WHERE kind = ?", kind.kind).Scan(&tallied)
		pg.Gorm.Raw("SELECT COUNT(*) FROM " + kind.table + " WHERE " + kind.where).Scan(&counted)
		if tallied != counted || counted == 0 {
			t.Errorf("%s tallies: %d, rows in %s: %d", kind.kind, tallied, kind.table, counted)
		}
	}
}

func TestCopyRefusesNonEmptyTarget(t *testing.T) {
	ctx := context.Background()
	from, src := demoSource(t)
	_ = src.Close()
	to := testdb.Target(t, models.Postgres)
	// As one `rampart serve` on the new database leaves it: built-ins installed.
	db, err := models.Open(ctx, to, models.DefaultPool)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if _, err := seeds.InstallBuiltins(ctx, db.Gorm); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, dry := range []bool{false, true} {
		_, err := Copy(ctx, Options{From: from, To: to, DryRun: dry})
		if err == nil || !strings.Contains(err.Error(), "not empty") || !strings.Contains(err.Error(), "questionnaire_templates") {
			t.Errorf("dry run %v: non-empty target accepted or not named: %v", dry, err)
		}
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	from, src := demoSource(t)
	_ = src.Close()
	to := testdb.Target(t, models.Postgres)
	rep, err := Copy(context.Background(), Options{From: from, To: to, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.DryRun || rep.Rows() < 500 || len(rep.Tables) < 30 {
		t.Errorf("dry run report: %+v", rep)
	}
	db, err := models.Open(context.Background(), to, models.Pool{MaxOpen: 1, MaxIdle: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	db.Gorm.Raw("SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()").Scan(&n)
	if n != 0 {
		t.Errorf("dry run created %d tables", n)
	}
}

// A value PostgreSQL cannot hold is named, row and column, and the target
// keeps no part of the copy.
func TestCopyNamesAValuePostgresRefuses(t *testing.T) {
	from, src := demoSource(t)
	var id string
	src.Gorm.Raw("SELECT id FROM vendors ORDER BY id LIMIT 1").Scan(&id)
	if err := src.Gorm.Exec("UPDATE vendors SET description = 'a' || char(0) || 'b' WHERE id = ?", id).Error; err != nil {
		t.Fatal(err)
	}
	_ = src.Close()
	to := testdb.Target(t, models.Postgres)
	for _, dry := range []bool{true, false} {
		_, err := Copy(context.Background(), Options{From: from, To: to, DryRun: dry})
		if err == nil || !strings.Contains(err.Error(), "NUL") || !strings.Contains(err.Error(), id) || !strings.Contains(err.Error(), "description") {
			t.Errorf("dry run %v: %v", dry, err)
		}
	}
	db, err := models.Open(context.Background(), to, models.Pool{MaxOpen: 1, MaxIdle: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var users int64
	db.Gorm.Raw("SELECT COUNT(*) FROM users").Scan(&users)
	if users != 0 {
		t.Errorf("a failed copy left %d users behind", users)
	}
}

func TestDependencyOrderFollowsForeignKeys(t *testing.T) {
	from, src := demoSource(t)
	_ = src.Close()
	db, err := models.OpenSQLiteReadOnly(from)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables, err := readSchema(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, tb := range tables {
		pos[tb.Name] = i
	}
	for _, tb := range tables {
		for _, p := range tb.Parents {
			if pos[p] >= pos[tb.Name] {
				t.Errorf("%s comes before its parent %s", tb.Name, p)
			}
		}
	}
	if i := slices.IndexFunc(tables, func(tb *table) bool { return tb.Name == "contracts" }); i < 0 || len(tables[i].SelfRefs) == 0 {
		t.Error("contracts.parent_id not seen as a reference to its own table")
	}
	rows := [][]any{{"c", "b"}, {"b", "a"}, {"a", nil}}
	got := orderSelfReferences(&table{Columns: []string{"id", "parent_id"}, SelfRefs: []selfRef{{"parent_id", "id"}}}, rows)
	if got[0][0] != "a" || got[1][0] != "b" || got[2][0] != "c" {
		t.Errorf("self references ordered %v", got)
	}
}

// A source still open by a server is copied from a consistent snapshot,
// with a warning that later changes would be missed.
func TestCopyWarnsWhenTheSourceIsInUse(t *testing.T) {
	from, _ := demoSource(t) // left open, as a running server keeps it
	rep, err := Copy(context.Background(), Options{From: from, To: testdb.Target(t, models.Postgres), DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "stop the server first") {
		t.Errorf("warnings: %q", rep.Warnings)
	}
}

func TestCopyRefusesAMissingSource(t *testing.T) {
	_, err := Copy(context.Background(), Options{From: t.TempDir() + "/nothing.db", To: testdb.Target(t, models.Postgres), DryRun: true})
	if err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing source: %v", err)
	}
}
