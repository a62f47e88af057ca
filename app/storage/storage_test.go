package storage

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection reset")
	}
	f.n--
	return copy(p, "partial data"), nil
}

func files(t *testing.T, dir string) []string {
	var out []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func TestLocalStore(t *testing.T) {
	dir := t.TempDir()
	s := Local{Dir: dir}
	ctx := context.Background()
	key, n, sum, err := s.Put(ctx, strings.NewReader("hello evidence"), 100)
	if err != nil || n != 14 || len(sum) != 64 || len(key) != 64 {
		t.Fatalf("put: %q %d %q %v", key, n, sum, err)
	}
	rc, err := s.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "hello evidence" {
		t.Fatalf("read back %q", b)
	}
	if _, _, _, err := s.Put(ctx, strings.NewReader(strings.Repeat("x", 101)), 100); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("over the limit: %v", err)
	}
	if _, _, _, err := s.Put(ctx, &failingReader{n: 3}, 1000); err == nil {
		t.Fatal("an interrupted upload succeeded")
	}
	if got := files(t, dir); len(got) != 1 {
		t.Fatalf("files left behind: %v", got)
	}
	for _, bad := range []string{"../../etc/passwd", "", strings.Repeat("z", 64), key[:63]} {
		if _, err := s.Open(ctx, bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("Open(%q): %v", bad, err)
		}
	}
	if err := s.Delete(ctx, key); err != nil || len(files(t, dir)) != 0 {
		t.Fatalf("delete: %v %v", err, files(t, dir))
	}
}

// TestCleanNameStripsBidiControls: a right-to-left override would show
// "invoice\u202Efdp.exe" as "invoiceexe.pdf"; every embedding, override,
// isolate and mark goes, with the other controls.
func TestCleanNameStripsBidiControls(t *testing.T) {
	for in, want := range map[string]string{
		"invoice\u202Efdp.exe":                                "invoicefdp.exe",
		"a\u202Ab\u202Bc\u202Cd\u202De.pdf":                   "abcde.pdf",
		"\u2066x\u2067y\u2068z\u2069.txt":                     "xyz.txt",
		"mark\u200E\u200F\u061C.docx":                         "mark.docx",
		"../../tmp/\u202Ereport\x00\x1b.pdf":                  "report.pdf",
		"\u202E":                                              "file",
		"ok name (v2) – é.pdf":                                "ok name (v2) – é.pdf",
		"\u0627\u0644\u0639\u0642\u062F.pdf":                  "\u0627\u0644\u0639\u0642\u062F.pdf",
		strings.Repeat("\u202E", 10) + strings.Repeat("a", 5): "aaaaa",
	} {
		if got := CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRefusalWords: refusals name the file and say what it is in words,
// never as a MIME type.
func TestRefusalWords(t *testing.T) {
	r := Refusal{Name: "C:\\Downloads\\setup.exe", Accepted: EvidenceKinds}
	if got, want := r.WrongType("application/vnd.microsoft.portable-executable"), "setup.exe is a Windows program; upload a PDF, Word, Excel, image (PNG or JPEG), text or CSV file"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	for typ, want := range map[string]string{
		"application/zip": "a ZIP archive", "image/gif": "an image (GIF)", "video/mp4": "a video", "text/html": "a web page (HTML)",
		"application/pdf": "a PDF", "application/x-whatever": "a kind of file Rampart does not accept", "text/x-shellscript": "a script",
	} {
		if got := Describe(typ); got != want {
			t.Errorf("%s: %q, want %q", typ, got, want)
		}
	}
	if got := (Refusal{Accepted: EvidenceKinds}).Empty(); got != "The file is empty; upload "+EvidenceKinds {
		t.Errorf("no name: %q", got)
	}
	if got := (Refusal{Name: "big.pdf"}).TooLarge("25 MB"); got != "big.pdf is larger than 25 MB; upload a smaller file" {
		t.Errorf("too large: %q", got)
	}
}
