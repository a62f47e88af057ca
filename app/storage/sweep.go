package storage

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Ages after which the sweep removes leftovers. An upload renames its
// temporary file into place when complete and inserts its row right after,
// within one request (minutes at most); the margins are hours, so an upload
// in progress is never touched.
const (
	TempAge     = 30 * time.Minute
	OrphanGrace = 2 * time.Hour
)

// SweepResult counts what one sweep removed.
type SweepResult struct {
	Temp    int // interrupted uploads' temporary files
	Orphans int // stored files no row references
}

// Sweep removes temporary upload files older than TempAge and stored
// files older than OrphanGrace for which referenced reports no row (a crash
// between storing a file and committing its row, or a row deleted without
// its file). Anything else in the folder is left alone.
func (l Local) Sweep(ctx context.Context, now time.Time, referenced func(ctx context.Context, keys []string) (map[string]bool, error)) (SweepResult, error) {
	var res SweepResult
	var batch []string
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		used, err := referenced(ctx, batch)
		if err != nil {
			return err
		}
		for _, key := range batch {
			if used[key] {
				continue
			}
			p, _ := l.path(key)
			if err := os.Remove(p); err == nil {
				res.Orphans++
			} else if !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
		batch = batch[:0]
		return nil
	}
	err := filepath.WalkDir(l.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, os.ErrNotExist) && p == l.Dir {
				return filepath.SkipAll // nothing uploaded yet
			}
			return err
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil // removed meanwhile
		}
		age := now.Sub(info.ModTime())
		name := d.Name()
		switch {
		case strings.HasPrefix(name, ".upload-"):
			if age > TempAge && os.Remove(p) == nil {
				res.Temp++
			}
		case keyPattern.MatchString(name) && age > OrphanGrace:
			if want, _ := l.path(name); want != filepath.Clean(p) {
				return nil // not where Put stores it: not ours
			}
			batch = append(batch, name)
			if len(batch) == 500 {
				return flush()
			}
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	return res, flush()
}
