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
