package app

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"rampart/app/storage"
	"rampart/app/storage/s3test"
)

// TestStorageMigrateCommand: `rampart storage migrate` copies the demo
// install's files from the data folder to a real bucket with progress on
// stderr, skips them all on a second run, and copies them back to another
// folder; bad targets are refused in one line.
func TestStorageMigrateCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bucketURL := s3test.URL(t, "")
	_, id, secret := s3test.Server(t)
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		full := append([]string{"rampart", "--data-dir", dir, "--log-level", "error",
			"--storage-access-key-id", id, "--storage-secret-access-key", secret}, args...)
		code := Main(ctx, full, strings.NewReader(""), &out, &errOut)
		return code, out.String(), errOut.String()
	}
	if code, _, msg := run("seed"); code != 0 {
		t.Fatalf("seed: %s", msg)
	}
	local := storage.Local{Dir: dir + "/files"}
	var n int
	local.List(ctx, func(string) error { n++; return nil })
	if n == 0 {
		t.Fatal("the demo stored no files")
	}
	code, out, progress := run("storage", "migrate", "--to", bucketURL)
	if code != 0 || !strings.Contains(out, "copied") || !strings.Contains(progress, "files:") {
		t.Fatalf("migrate to the bucket: %d\n%s\n%s", code, out, progress)
	}
	code, out, _ = run("--storage-url", bucketURL, "storage", "migrate", "--from", "file://"+dir+"/files", "--to", bucketURL)
	if code != 0 || !strings.Contains(out, ": 0 copied") {
		t.Fatalf("second run copied again: %d %s", code, out)
	}
	back := t.TempDir()
	code, out, _ = run("--storage-url", bucketURL, "storage", "migrate", "--to", "file://"+back)
	if code != 0 {
		t.Fatalf("migrate back: %d %s", code, out)
	}
	err := local.List(ctx, func(key string) error {
		rc, err := storage.Local{Dir: back}.Open(ctx, key)
		if err != nil {
			return err
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		orig, _ := local.Open(ctx, key)
		want, _ := io.ReadAll(orig)
		orig.Close()
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs after the round trip", key)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]string{{"--to", "ftp://x"}, {"--to", "file://" + dir + "/files"}, {"--to", "s3://?endpoint=x"}} {
		if code, _, msg := run(append([]string{"storage", "migrate"}, bad...)...); code != 1 || strings.Count(strings.TrimSpace(msg), "\n") != 0 {
			t.Errorf("migrate %v: %d %q", bad, code, msg)
		}
	}
}
