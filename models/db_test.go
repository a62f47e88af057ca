package models_test

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"
	"gorm.io/plugin/dbresolver"

	"rampart/models"
	"rampart/models/testdb"
)

// queryOnly reports whether the connection that runs q is a read
// connection (PRAGMA query_only on).
func queryOnly(t *testing.T, q *gorm.DB) bool {
	t.Helper()
	var on int
	if err := q.Raw("SELECT query_only FROM pragma_query_only").Scan(&on).Error; err != nil {
		t.Fatal(err)
	}
	return on == 1
}

// TestSQLiteRoutesReadsAndWrites: on SQLite, plain reads run on the read
// pool, and transactions, creates and raw writes on the one writer, which
// sees its own uncommitted rows; a write forced onto a reader fails
// instead of queuing on the lock.
func TestSQLiteRoutesReadsAndWrites(t *testing.T) {
	db := testdb.Open(t, models.SQLite)
	ctx := context.Background()
	g := db.WithContext(ctx)
	if !queryOnly(t, g) {
		t.Fatal("a plain SELECT ran on the writer")
	}
	u := &models.User{Email: "route@corp.test", Name: "Route", Role: models.RoleLegal, Active: true}
	err := g.Transaction(func(tx *gorm.DB) error {
		if queryOnly(t, tx) {
			t.Error("a transaction runs on a read connection")
		}
		if err := models.CreateUser(ctx, tx, u); err != nil {
			return err
		}
		// Reads inside the transaction see its own writes: they run on
		// the writer too.
		got, err := models.UserByID(ctx, tx, u.ID)
		if err != nil || got.Email != u.Email {
			t.Errorf("read inside the transaction: %v %v", got, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A read after commit sees the row on whichever read connection.
	if got, err := models.UserByID(ctx, db.Gorm, u.ID); err != nil || got.Name != "Route" {
		t.Fatalf("read after commit: %v %v", got, err)
	}
	// Raw UPDATE ... RETURNING (ClaimMail's shape) goes to the writer.
	var name string
	if err := g.Raw("UPDATE users SET name = ? WHERE id = ? RETURNING name", "Routed", u.ID).Scan(&name).Error; err != nil || name != "Routed" {
		t.Fatalf("UPDATE ... RETURNING: %q %v", name, err)
	}
	// ReadPool, for database/sql callers, is the read pool too.
	read, err := db.ReadPool()
	if err != nil {
		t.Fatal(err)
	}
	var on int
	if err := read.QueryRowContext(ctx, "SELECT query_only FROM pragma_query_only").Scan(&on); err != nil || on != 1 {
		t.Fatalf("ReadPool: query_only %d, %v", on, err)
	}
	err = g.Clauses(dbresolver.Read).Exec("UPDATE users SET name = ? WHERE id = ?", "Nope", u.ID).Error
	if err == nil || !strings.Contains(err.Error(), "readonly") {
		t.Fatalf("a write on a read connection: %v, want a readonly error", err)
	}
}

// TestSQLiteReadersMapTheFile: SQLite's read connections read the file
// through a memory map (the writer does not), and still see every commit,
// as the file grows past what they mapped and shrinks under them.
func TestSQLiteReadersMapTheFile(t *testing.T) {
	db := testdb.Open(t, models.SQLite)
	ctx := context.Background()
	read, err := db.ReadPool()
	if err != nil {
		t.Fatal(err)
	}
	var mapped int64
	if err := read.QueryRowContext(ctx, "PRAGMA mmap_size").Scan(&mapped); err != nil || mapped < 1<<30 {
		t.Fatalf("a read connection's mmap_size: %d, %v; want the file mapped", mapped, err)
	}
	g := db.WithContext(ctx)
	if err := g.Raw("PRAGMA mmap_size").Scan(&mapped).Error; err != nil || mapped != 0 {
		t.Fatalf("the writer's mmap_size: %d, %v; want 0", mapped, err)
	}
	count := func() int {
		t.Helper()
		var n int
		if err := read.QueryRowContext(ctx, "SELECT COUNT(*) FROM mapped_rows").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if err := g.Exec("CREATE TABLE mapped_rows (v TEXT)").Error; err != nil {
		t.Fatal(err)
	}
	// About 4 MB of rows, moved into the file by a checkpoint: pages past
	// the end the readers had mapped.
	grow := "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) " +
		"INSERT INTO mapped_rows SELECT hex(randomblob(500)) FROM n"
	for _, q := range []string{grow, "PRAGMA wal_checkpoint(TRUNCATE)"} {
		if err := g.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	if n := count(); n != 4000 {
		t.Fatalf("readers see %d rows after the file grew, want 4000", n)
	}
	// The file shrinks: the readers remap instead of reading past its end.
	for _, q := range []string{"DELETE FROM mapped_rows WHERE rowid > 10", "VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"} {
		if err := g.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	if n := count(); n != 10 {
		t.Fatalf("readers see %d rows after the file shrank, want 10", n)
	}
}
