package models

import (
	"context"
	"io/fs"
	"time"

	"gorm.io/gorm"
)

// RechainAudit recomputes every event's links and hash, as someone who
// edited an event and knows the algorithm would, so tests can show what
// the chain alone misses. Run it with the append-only triggers bypassed.
func RechainAudit(ctx context.Context, tx *gorm.DB) error {
	var events []AuditEvent
	if err := tx.WithContext(ctx).Order("seq").Find(&events).Error; err != nil {
		return err
	}
	prev := genesisHash
	for i := range events {
		e := &events[i]
		e.PrevHash, e.Hash = prev, e.computeHash(prev)
		if err := tx.Model(&AuditEvent{}).Where("seq = ?", e.Seq).Updates(map[string]any{"prev_hash": e.PrevHash, "hash": e.Hash}).Error; err != nil {
			return err
		}
		prev = e.Hash
	}
	return nil
}

// MigrationSQL returns migration file name as rendered for dialect d, so a
// test can rerun one of its statements (a backfill) on rows it wrote.
func MigrationSQL(d Dialect, name string) (string, error) {
	fsys, err := migrationsFor(d)
	if err != nil {
		return "", err
	}
	b, err := fs.ReadFile(fsys, name)
	return string(b), err
}

// DashboardFrom is LoadDashboard with its source chosen: the tallies kept
// by the database's triggers, or counts taken from the tables.
func DashboardFrom(ctx context.Context, db *gorm.DB, userID string, today time.Time, fromTallies bool) (*Dashboard, error) {
	return loadDashboard(ctx, db, userID, today, fromTallies)
}

// CountVendorsFromTables counts what f selects from the vendors table,
// never from the dashboard's tallies.
func CountVendorsFromTables(ctx context.Context, db *gorm.DB, f VendorFilter) (int64, error) {
	return countUpTo(vendorQuery(db.WithContext(ctx), f), 0)
}
