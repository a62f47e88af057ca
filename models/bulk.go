package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// maxBoundParams keeps one INSERT under SQLite's limit of 32,766 bound
// parameters (PostgreSQL allows 65,535).
const maxBoundParams = 30_000

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
	batch := max(1, maxBoundParams/max(1, len(stmt.Schema.DBNames)))
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
