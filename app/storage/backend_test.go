package storage_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"rampart/app/storage"
	"rampart/app/storage/s3test"
)

// eachBackend runs fn on a fresh local folder and on a fresh prefix of a
// real S3-compatible bucket (see s3test).
func eachBackend(t *testing.T, fn func(t *testing.T, s storage.Backend)) {
	t.Run("local", func(t *testing.T) { fn(t, storage.Local{Dir: t.TempDir()}) })
	t.Run("s3", func(t *testing.T) { fn(t, s3test.Store(t, "")) })
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func readAll(t *testing.T, s storage.Backend, key string) ([]byte, error) {
	t.Helper()
	rc, err := s.Open(context.Background(), key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func keys(t *testing.T, s storage.Backend) []string {
	t.Helper()
	var out []string
	if err := s.List(context.Background(), func(k string) error { out = append(out, k); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection reset")
	}
	f.n--
	return copy(p, "partial data"), nil
}

// TestBackends: both stores keep, return, check and remove files alike.
func TestBackends(t *testing.T) {
	eachBackend(t, func(t *testing.T, s storage.Backend) {
		ctx := context.Background()
		data := []byte("hello evidence")
		key, n, got, err := s.Put(ctx, bytes.NewReader(data), 100)
		if err != nil || n != 14 || got != sum(data) || len(key) != 64 {
			t.Fatalf("put: %q %d %q %v", key, n, got, err)
		}
		if b, err := readAll(t, s, key); err != nil || !bytes.Equal(b, data) {
			t.Fatalf("read back %q %v", b, err)
		}
		if size, st, err := s.Stat(ctx, key); err != nil || size != 14 || st != sum(data) {
			t.Fatalf("stat: %d %q %v", size, st, err)
		}
		// Limits, interrupted and cancelled uploads leave nothing behind.
		if _, _, _, err := s.Put(ctx, strings.NewReader(strings.Repeat("x", 101)), 100); !errors.Is(err, storage.ErrTooLarge) {
			t.Fatalf("over the limit: %v", err)
		}
		if _, _, _, err := s.Put(ctx, strings.NewReader(strings.Repeat("x", 100)), 100); err != nil {
			t.Fatalf("at the limit: %v", err)
		}
		if _, _, _, err := s.Put(ctx, &failingReader{n: 3}, 1000); err == nil {
			t.Fatal("an interrupted upload succeeded")
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if _, _, _, err := s.Put(cancelled, strings.NewReader("late"), 100); err == nil {
			t.Fatal("a cancelled upload succeeded")
		}
		if ks := keys(t, s); len(ks) != 2 {
			t.Fatalf("stored %v, want the two accepted files", ks)
		}
		// Keys of another shape never reach the store.
		for _, bad := range []string{"../../etc/passwd", "", strings.Repeat("z", 64), key[:63], key + "/x"} {
			if _, err := s.Open(ctx, bad); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("open %q: %v", bad, err)
			}
		}
		if _, err := s.Open(ctx, strings.Repeat("ab", 32)); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("missing file: %v", err)
		}
		// Import keeps the key and refuses content that is not what it claims.
		other := strings.Repeat("cd", 32)
		if err := s.Import(ctx, other, strings.NewReader("tampered"), 8, sum([]byte("original"))); !errors.Is(err, storage.ErrChecksum) {
			t.Fatalf("import of content with another checksum: %v", err)
		}
		if _, _, err := s.Stat(ctx, other); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("a refused import left a file: %v", err)
		}
		if err := s.Import(ctx, other, strings.NewReader("original"), 8, sum([]byte("original"))); err != nil {
			t.Fatal(err)
		}
		if b, err := readAll(t, s, other); err != nil || string(b) != "original" {
			t.Fatalf("imported file: %q %v", b, err)
		}
		if err := s.Delete(ctx, key); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, key); err != nil {
			t.Fatalf("deleting a deleted file: %v", err)
		}
		if _, err := s.Open(ctx, key); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("deleted file: %v", err)
		}
	})
}

// TestBackendSweep: the orphan sweep removes only old files no row
// references, on both stores. A bucket's objects cannot be aged, so the
// sweep is run at a later "now" instead.
func TestBackendSweep(t *testing.T) {
	eachBackend(t, func(t *testing.T, s storage.Backend) {
		ctx := context.Background()
		put := func(body string) string {
			k, _, _, err := s.Put(ctx, strings.NewReader(body), 100)
			if err != nil {
				t.Fatal(err)
			}
			return k
		}
		kept, orphan := put("referenced"), put("orphan")
		referenced := func(_ context.Context, ks []string) (map[string]bool, error) {
			out := map[string]bool{}
			for _, k := range ks {
				out[k] = k == kept
			}
			return out, nil
		}
		res, err := s.Sweep(ctx, time.Now(), referenced)
		if err != nil || res.Orphans != 0 {
			t.Fatalf("a sweep within the grace period: %+v %v", res, err)
		}
		res, err = s.Sweep(ctx, time.Now().Add(storage.OrphanGrace+time.Minute), referenced)
		if err != nil || res.Orphans != 1 {
			t.Fatalf("sweep: %+v %v", res, err)
		}
		if got := keys(t, s); len(got) != 1 || got[0] != kept {
			t.Fatalf("left %v, want only %s (orphan %s)", got, kept, orphan)
		}
	})
}

// TestS3Features: multipart upload, server-side encryption, an abandoned
// multipart upload swept, and a damaged object refused on read.
func TestS3Features(t *testing.T) {
	ctx := context.Background()
	s := s3test.Store(t, "&part_size=5242880&sse=AES256")
	client := s3test.Client(t)
	big := bytes.Repeat([]byte("0123456789abcdef"), (6<<20)/16) // 6 MiB: two parts
	key, n, got, err := s.Put(ctx, bytes.NewReader(big), 25<<20)
	if err != nil || n != int64(len(big)) || got != sum(big) {
		t.Fatalf("multipart put: %d %v", n, err)
	}
	name := objectName(t, s, key)
	st, err := client.StatObject(ctx, s3test.Bucket, name, minio.StatObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(st.ETag, "-") {
		t.Errorf("ETag %q: not a multipart upload", st.ETag)
	}
	if enc := st.Metadata.Get("X-Amz-Server-Side-Encryption"); enc != "AES256" {
		t.Errorf("server-side encryption %q, want AES256", enc)
	}
	if b, err := readAll(t, s, key); err != nil || !bytes.Equal(b, big) {
		t.Fatalf("multipart read back: %d bytes, %v", len(b), err)
	}

	// An object replaced behind Rampart's back fails on read.
	if _, err := client.PutObject(ctx, s3test.Bucket, name, strings.NewReader("replaced"), 8,
		minio.PutObjectOptions{UserMetadata: map[string]string{"sha256": got}}); err != nil {
		t.Fatal(err)
	}
	if _, err := readAll(t, s, key); !errors.Is(err, storage.ErrChecksum) {
		t.Fatalf("reading a replaced object: %v", err)
	}

	// An upload abandoned in parts is aborted by the sweep once old.
	core := minio.Core{Client: client}
	abandoned := strings.TrimSuffix(name, key) + strings.Repeat("ef", 32)
	if _, err := core.NewMultipartUpload(ctx, s3test.Bucket, abandoned, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	none := func(context.Context, []string) (map[string]bool, error) { return map[string]bool{key: true}, nil }
	if res, err := s.Sweep(ctx, time.Now(), none); err != nil || res.Temp != 0 {
		t.Fatalf("a fresh multipart upload was swept: %+v %v", res, err)
	}
	if res, err := s.Sweep(ctx, time.Now().Add(storage.TempAge+time.Minute), none); err != nil || res.Temp != 1 {
		t.Fatalf("abandoned multipart upload: %+v %v", res, err)
	}
}

// objectName finds the object the store keeps key in.
func objectName(t *testing.T, s *storage.S3, key string) string {
	t.Helper()
	u := s.String() // "bucket s3://BUCKET/PREFIX/"
	_, prefix, _ := strings.Cut(strings.TrimPrefix(u, "bucket s3://"), "/")
	return prefix + key
}

// TestCopy: local to S3 and back; a second run skips what is there.
func TestCopy(t *testing.T) {
	ctx := context.Background()
	local := storage.Local{Dir: t.TempDir()}
	bucket := s3test.Store(t, "")
	var want []string
	for _, body := range []string{"one", "two", "three"} {
		k, _, _, err := local.Put(ctx, strings.NewReader(body), 100)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, k)
	}
	// An earlier, interrupted run copied the first file.
	if err := bucket.Import(ctx, want[0], strings.NewReader("one"), 3, sum([]byte("one"))); err != nil {
		t.Fatal(err)
	}
	var calls int
	res, err := storage.Copy(ctx, local, bucket, func(storage.CopyResult) { calls++ })
	if err != nil || res.Total != 3 || res.Copied != 2 || res.Present != 1 || res.Bytes != 8 || calls != 4 {
		t.Fatalf("copy: %+v %v (%d progress calls)", res, err, calls)
	}
	res, err = storage.Copy(ctx, local, bucket, func(storage.CopyResult) {})
	if err != nil || res.Copied != 0 || res.Present != 3 {
		t.Fatalf("second copy: %+v %v", res, err)
	}
	back := storage.Local{Dir: t.TempDir()}
	if res, err := storage.Copy(ctx, bucket, back, func(storage.CopyResult) {}); err != nil || res.Copied != 3 {
		t.Fatalf("copy back: %+v %v", res, err)
	}
	for i, body := range []string{"one", "two", "three"} {
		if b, err := readAll(t, back, want[i]); err != nil || string(b) != body {
			t.Fatalf("copied back %q %v, want %q", b, err, body)
		}
	}
}
