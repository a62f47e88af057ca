// Package storage keeps uploaded files outside any web root under random
// names: Local in a folder (several instances must share it, a network
// volume), S3 in an S3-compatible bucket. Open picks one from
// RAMPART_STORAGE_URL.
package storage

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
)

// Store saves and returns files by a key it generates.
type Store interface {
	// Put copies r into a new file of at most limit bytes and returns its
	// key, size and SHA-256. On any error nothing is left behind.
	Put(ctx context.Context, r io.Reader, limit int64) (key string, size int64, sum string, err error)
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	Delete(ctx context.Context, key string) error
}

// ErrTooLarge means the file exceeded the limit given to Put.
var ErrTooLarge = errors.New("file too large")

// ErrNotFound means no file has that key.
var ErrNotFound = errors.New("file not found")

// Local stores files in a folder.
type Local struct{ Dir string }

// keyPattern is the only shape of key Local accepts back, so a key can
// never name a path outside the folder.
var keyPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (l Local) path(key string) (string, error) {
	if !keyPattern.MatchString(key) {
		return "", ErrNotFound
	}
	return filepath.Join(l.Dir, key[:2], key[2:4], key), nil
}

// Put writes to a temporary file and renames it into place once complete,
// so an interrupted upload leaves no file.
func (l Local) Put(ctx context.Context, r io.Reader, limit int64) (string, int64, string, error) {
	key, err := newKey()
	if err != nil {
		return "", 0, "", err
	}
	n, sum, err := l.write(ctx, key, r, limit, func(int64, string) error { return nil })
	if err != nil {
		return "", 0, "", err
	}
	return key, n, sum, nil
}

// Import stores a file another store holds under the same key.
func (l Local) Import(ctx context.Context, key string, r io.Reader, size int64, sum string) error {
	if _, err := l.path(key); err != nil {
		return err
	}
	_, _, err := l.write(ctx, key, r, size, func(n int64, got string) error {
		if n != size || got != sum {
			return ErrChecksum
		}
		return nil
	})
	return err
}

// newKey returns a random key: 32 bytes, hex.
func newKey() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// write copies at most limit bytes of r into the file for key; check sees
// the size and SHA-256 before the file is renamed into place.
func (l Local) write(ctx context.Context, key string, r io.Reader, limit int64, check func(int64, string) error) (int64, string, error) {
	final, _ := l.path(key)
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return 0, "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(final), ".upload-*")
	if err != nil {
		return 0, "", err
	}
	fail := func(err error) (int64, string, error) {
		tmp.Close()
		os.Remove(tmp.Name())
		return 0, "", err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(readerCtx{ctx, r}, limit+1))
	switch {
	case err != nil:
		return fail(err)
	case n > limit:
		return fail(ErrTooLarge)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if err := check(n, sum); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		os.Remove(tmp.Name())
		return 0, "", fmt.Errorf("store file: %w", err)
	}
	return n, sum, nil
}

// Stat reads the file through to compute its SHA-256: a folder keeps no
// checksum beside the file.
func (l Local) Stat(ctx context.Context, key string) (int64, string, error) {
	rc, err := l.Open(ctx, key)
	if err != nil {
		return 0, "", err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, readerCtx{ctx, rc})
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// List walks the folder for files stored where Put stores them.
func (l Local) List(ctx context.Context, fn func(key string) error) error {
	err := filepath.WalkDir(l.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, os.ErrNotExist) && p == l.Dir {
				return filepath.SkipAll
			}
			return err
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		name := d.Name()
		if !d.Type().IsRegular() || !keyPattern.MatchString(name) {
			return nil
		}
		if want, _ := l.path(name); want != filepath.Clean(p) {
			return nil
		}
		return fn(name)
	})
	return err
}

func (l Local) String() string { return "folder " + l.Dir }

// Open returns the file for reading.
func (l Local) Open(_ context.Context, key string) (io.ReadCloser, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	return f, err
}

// Delete removes the file; a missing file is not an error.
func (l Local) Delete(_ context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// readerCtx stops a copy when the request is cancelled.
type readerCtx struct {
	ctx context.Context
	r   io.Reader
}

func (r readerCtx) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}
