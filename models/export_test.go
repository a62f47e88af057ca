package models

import (
	"context"

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
