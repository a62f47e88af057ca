package models

import (
	"context"

	"gorm.io/gorm"
)

// FileModels are the tables whose rows point at stored files by
// storage_key. The orphan sweep deletes every old file none of them
// references, so a new table that stores files must be listed here
// (TestFileModelsListed fails otherwise).
func FileModels() []any {
	return []any{&AssessmentFile{}, &RequestAttachment{}, &ContractDocument{}, &TemplateSource{}, &FindingAttachment{}, &EvidenceVersion{}, &AnswerMessageFile{}, &PortalLogo{}, &RemediationFile{}}
}

// ReferencedStorageKeys reports which of keys some row still references.
// Several rows may share a key (prefilled evidence shares the previous
// assessment's files).
func ReferencedStorageKeys(ctx context.Context, db *gorm.DB, keys []string) (map[string]bool, error) {
	out := make(map[string]bool, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	for _, m := range FileModels() {
		var found []string
		if err := db.WithContext(ctx).Model(m).Where("storage_key IN ?", keys).Distinct().Pluck("storage_key", &found).Error; err != nil {
			return nil, err
		}
		for _, k := range found {
			out[k] = true
		}
	}
	return out, nil
}

// RunExclusive runs fn unless another instance is running the job with the
// same key: on PostgreSQL a session advisory lock, taken without waiting,
// decides (ran is false when another holds it); SQLite serves one process,
// so fn always runs. Use it for maintenance that is wasteful, not wrong,
// to run twice at once.
func RunExclusive(ctx context.Context, db *gorm.DB, key int64, fn func() error) (ran bool, err error) {
	if db.Dialector.Name() != "postgres" {
		return true, fn()
	}
	err = db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		var got bool
		if err := conn.Raw("SELECT pg_try_advisory_lock(?)", key).Scan(&got).Error; err != nil || !got {
			return err
		}
		// The lock belongs to this connection, which goes back to the pool:
		// release it even when ctx has ended.
		defer conn.WithContext(context.WithoutCancel(ctx)).Exec("SELECT pg_advisory_unlock(?)", key)
		ran = true
		return fn()
	})
	return ran, err
}
