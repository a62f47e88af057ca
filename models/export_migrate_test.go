package models

import "context"

// MigrateUpTo applies the migrations up to version only, so a test can
// put data in the schema a later migration finds.
func (db *DB) MigrateUpTo(ctx context.Context, version int64) error {
	p, err := db.migrator()
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}
