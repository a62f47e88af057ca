package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// maxBoundParams keeps one INSERT under SQLite's limit of 32,766 bound
// parameters (PostgreSQL allows 65,535).
const maxBoundParams = 30_000

// sqliteBoundParams makes every SQLite statement a single row: the
// driver (glebarez/go-sqlite) matches every parameter against every
// argument when binding, so a statement's cost grows with the square of
// its parameters (at 30,000 a 20,000-vendor import spent 30 s binding),
// and inside a transaction a multi-row statement keeps a statement
// journal. Measured on 20,000 vendors in one transaction: 1,000
// parameters a statement 50 s, one row a statement 19 s (loaded machine).
const sqliteBoundParams = 200

// boundParams is how many parameters one statement should carry on db.
func boundParams(db *gorm.DB) int {
	if db.Dialector.Name() == "sqlite" {
		return sqliteBoundParams
	}
	return maxBoundParams
}

// InsertBulk inserts generated rows (demo data at scale, benchmarks) with
// multi-row INSERTs as large as the databases accept. Hooks and audit
// events are not run: it is not for user changes.
func InsertBulk[T any](ctx context.Context, db *gorm.DB, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	stmt := &gorm.Statement{DB: db}
	if err := stmt.Parse(&rows[0]); err != nil {
		return err
	}
	batch := max(1, boundParams(db)/max(1, len(stmt.Schema.DBNames)))
	return db.WithContext(ctx).CreateInBatches(rows, batch).Error
}

// AppendAuditBulk appends events at the end of the hash chain in order,
// computing the chain in memory and inserting in batches, so a generated
// trail of a million events still passes `rampart audit verify`. Run it
// in the transaction that writes what the events record.
func AppendAuditBulk(ctx context.Context, tx *gorm.DB, events []AuditEvent) error {
	if len(events) == 0 {
		return nil
	}
	tx = tx.WithContext(ctx)
	if tx.Dialector.Name() == "postgres" {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", auditLockKey).Error; err != nil {
			return err
		}
	}
	var last AuditEvent
	if err := tx.Select("seq", "hash").Order("seq DESC").Limit(1).Find(&last).Error; err != nil {
		return err
	}
	seq, prev := last.Seq, last.Hash
	if seq == 0 {
		prev = genesisHash
	}
	for i := range events {
		e := &events[i]
		seq++
		e.Seq, e.PrevHash = seq, prev
		if e.ID == "" {
			e.ID = NewID()
		}
		if e.OccurredAt.IsZero() {
			e.OccurredAt = time.Now()
		}
		e.OccurredAt = e.OccurredAt.UTC().Truncate(time.Microsecond)
		if e.Outcome == "" {
			e.Outcome = OutcomeSuccess
		}
		e.Hash = e.computeHash(prev)
		prev = e.Hash
	}
	return InsertBulk(ctx, tx, events)
}
