package testdb

import (
	"testing"

	"gorm.io/gorm"

	"rampart/models"
)

// Tamper runs stmts the way someone who owns the database could: with the
// append-only triggers on audit_events out of the way for the duration,
// then back in place. Tests use it to show what verification still catches
// when the database's own protection is bypassed.
func Tamper(t testing.TB, db *models.DB, stmts ...string) {
	t.Helper()
	TamperWith(t, db, func(tx *gorm.DB) error { return execAll(tx, stmts) })
}

// TamperWith is Tamper running fn instead of statements.
func TamperWith(t testing.TB, db *models.DB, fn func(tx *gorm.DB) error) {
	t.Helper()
	err := db.Gorm.Transaction(func(tx *gorm.DB) error {
		if db.Dialect == models.Postgres {
			return tamperPostgres(tx, fn)
		}
		return tamperSQLite(tx, fn)
	})
	if err != nil {
		t.Fatalf("tamper with audit_events: %v", err)
	}
}

func tamperPostgres(tx *gorm.DB, fn func(*gorm.DB) error) error {
	if err := tx.Exec("ALTER TABLE audit_events DISABLE TRIGGER USER").Error; err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Exec("ALTER TABLE audit_events ENABLE TRIGGER USER").Error
}

func tamperSQLite(tx *gorm.DB, fn func(*gorm.DB) error) error {
	var triggers []struct{ Name, SQL string }
	if err := tx.Raw("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'").Scan(&triggers).Error; err != nil {
		return err
	}
	for _, tr := range triggers {
		if err := tx.Exec(`DROP TRIGGER "` + tr.Name + `"`).Error; err != nil {
			return err
		}
	}
	if err := fn(tx); err != nil {
		return err
	}
	for _, tr := range triggers {
		if err := tx.Exec(tr.SQL).Error; err != nil {
			return err
		}
	}
	return nil
}

func execAll(tx *gorm.DB, stmts []string) error {
	for _, s := range stmts {
		if err := tx.Exec(s).Error; err != nil {
			return err
		}
	}
	return nil
}
