package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/url"
	"path/filepath"
	"time"
)

// Backend is a Store the server runs on: the orphan sweep and
// `rampart storage migrate` need these on top of Store, and both backends
// (a local folder, an S3 bucket) provide them alike.
type Backend interface {
	Store
	// Sweep removes interrupted uploads older than TempAge and stored files
	// older than OrphanGrace for which referenced reports no row.
	Sweep(ctx context.Context, now time.Time, referenced func(ctx context.Context, keys []string) (map[string]bool, error)) (SweepResult, error)
	// List calls fn with every stored file's key.
	List(ctx context.Context, fn func(key string) error) error
	// Stat returns a stored file's size and SHA-256 (hex), or ErrNotFound.
	Stat(ctx context.Context, key string) (size int64, sum string, err error)
	// Import stores size bytes from r under key (a key another store
	// generated), refusing them unless their SHA-256 is sum; on any error
	// nothing is left under key.
	Import(ctx context.Context, key string, r io.Reader, size int64, sum string) error
	// String names the store for people (never with credentials).
	String() string
}

// ErrChecksum means a file's content does not match its SHA-256.
var ErrChecksum = errors.New("file content does not match its SHA-256 checksum")

// Options are the settings beside the URL.
type Options struct {
	// DataDir holds the default folder (DataDir/files) and, for a bucket,
	// uploads being spooled (DataDir/upload-spool).
	DataDir string
	// AccessKeyID and SecretAccessKey are S3 credentials given as settings.
	AccessKeyID, SecretAccessKey string
}

// Open returns the store RAMPART_STORAGE_URL names: empty or file:///path
// for a local folder (empty: DataDir/files), s3://bucket/prefix?... for an
// S3-compatible bucket (see ParseS3URL).
func Open(raw string, o Options) (Backend, error) {
	if raw == "" {
		return Local{Dir: filepath.Join(o.DataDir, "files")}, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("not a URL: %w", err)
	}
	switch u.Scheme {
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return nil, errors.New("file URL must be file:///absolute/path")
		}
		if u.Path == "" {
			return nil, errors.New("file URL needs a path: file:///var/lib/rampart/files")
		}
		return Local{Dir: filepath.Clean(u.Path)}, nil
	case "s3":
		cfg, err := ParseS3URL(raw)
		if err != nil {
			return nil, err
		}
		cfg.AccessKeyID, cfg.SecretAccessKey = o.AccessKeyID, o.SecretAccessKey
		if o.DataDir != "" {
			cfg.SpoolDir = filepath.Join(o.DataDir, "upload-spool")
		}
		return NewS3(cfg)
	}
	return nil, errors.New("must start with file:// or s3://")
}

// Verify wraps a stored file being read so that, at its end, a size or
// SHA-256 other than expected turns into an error instead of io.EOF: a
// download of a damaged file fails rather than completing. An empty sum
// checks the size only; a negative size checks the sum only.
func Verify(rc io.ReadCloser, size int64, sum string) io.ReadCloser {
	return &verifier{rc: rc, h: sha256.New(), size: size, sum: sum}
}

type verifier struct {
	rc   io.ReadCloser
	h    hash.Hash
	n    int64
	size int64
	sum  string
}

func (v *verifier) Read(p []byte) (int, error) {
	n, err := v.rc.Read(p)
	v.h.Write(p[:n])
	v.n += int64(n)
	if err == io.EOF {
		if v.size >= 0 && v.n != v.size {
			return n, fmt.Errorf("%w: %d bytes read, %d stored", ErrChecksum, v.n, v.size)
		}
		if v.sum != "" && hex.EncodeToString(v.h.Sum(nil)) != v.sum {
			return n, ErrChecksum
		}
	}
	return n, err
}

func (v *verifier) Close() error { return v.rc.Close() }
