package app

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"rampart/app/storage"
	"rampart/models"
)

// fileSweepLockKey keeps two instances sharing the files folder or bucket
// from walking it at the same time (PostgreSQL only).
const fileSweepLockKey = 0x7266_696c_6573 // "rfiles"

// sweepFiles removes interrupted uploads' temporary files and stored files
// no row references, at start and then every hour.
func sweepFiles(ctx context.Context, e *env, files storage.Backend, firstDone func()) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	firstDone = sync.OnceFunc(firstDone)
	for {
		var res storage.SweepResult
		ran, err := models.RunExclusive(ctx, e.db.Gorm, fileSweepLockKey, func() (err error) {
			res, err = files.Sweep(ctx, time.Now(), func(ctx context.Context, keys []string) (map[string]bool, error) {
				return models.ReferencedStorageKeys(ctx, e.db.Gorm, keys)
			})
			return err
		})
		switch {
		case err != nil && ctx.Err() == nil:
			e.log.Warn("file store sweep failed", "store", files.String(), "error", err.Error(), "temp_removed", res.Temp, "orphans_removed", res.Orphans)
		case ran:
			// Most sweeps remove nothing; those say so only at debug.
			level := slog.LevelDebug
			if res.Temp+res.Orphans > 0 {
				level = slog.LevelInfo
			}
			e.log.Log(ctx, level, "file store swept", "store", files.String(), "temp_removed", res.Temp, "orphans_removed", res.Orphans)
		}
		firstDone()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// checkFiles reaches a bucket before the server starts, so that a wrong
// endpoint, bucket or credentials fail the start in one line rather than
// the first upload.
func checkFiles(ctx context.Context, files storage.Backend) error {
	if c, ok := files.(interface{ Check(context.Context) error }); ok {
		if err := c.Check(ctx); err != nil {
			return fmt.Errorf("file store (--storage-url, RAMPART_STORAGE_URL): %w", err)
		}
	}
	return nil
}
