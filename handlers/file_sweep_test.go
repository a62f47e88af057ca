package handlers

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rampart/app/storage"
	"rampart/models"
	"rampart/models/testdb"
)

// TestUploadFolderSweep stores one file of every kind through the API
// (request attachment, portal evidence, contract document), plants the
// leftovers of crashed uploads, ages everything, and sweeps: only the
// old temporary file and the old unreferenced file go.
func TestUploadFolderSweep(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		dir := t.TempDir()
		local := storage.Local{Dir: dir}
		f := newFixture(t, db, func(d *Deps) { d.Files = local })
		ctx := context.Background()

		head := f.as(models.RoleRequester)
		req := decode[requestDetail](t, f.call(&head, "POST", "/api/v1/requests", toolRequest))
		if r := f.uploadNamed(&head, "/api/v1/requests/"+req.ID+"/attachments", "a.pdf", strings.NewReader("%PDF-1.4\n%%EOF\n")); r.Code != 201 {
			t.Fatalf("attachment: %d %s", r.Code, r.Body)
		}
		risk := f.as(models.RoleRiskManager)
		vendor := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Sweep Vendor","category":"saas"}`))
		_, portal := f.sentAssessment(&risk, vendor.ID, optionalTemplate(t, db).ID)
		if r := f.portalUpload(portal, "EV-01", "soc2.pdf", "%PDF-1.4\n%%EOF\n"); r.Code != 201 {
			t.Fatalf("evidence: %d %s", r.Code, r.Body)
		}
		legal := f.as(models.RoleLegal)
		ct := decode[contractResponse](t, f.call(&legal, "POST", "/api/v1/contracts", `{"vendor_id":"`+vendor.ID+`","title":"MSA"}`))
		if r := f.upload(&legal, "/api/v1/contracts/"+ct.ID+"/documents", "msa.txt", []byte(sampleDPA)); r.Code != 201 {
			t.Fatalf("document: %d %s", r.Code, r.Body)
		}
		referenced := storedFiles(t, dir)
		if len(referenced) != 3 {
			t.Fatalf("%d files stored, want 3", len(referenced))
		}

		// A crash after storing a file but before its row, an interrupted
		// upload's temporary file, and the same two still in progress.
		plant := func(key string) string {
			p := filepath.Join(dir, key[:2], key[2:4], key)
			if strings.HasPrefix(key, ".upload-") {
				p = filepath.Join(dir, "ab", "cd", key)
			}
			if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte("leftover"), 0o600); err != nil {
				t.Fatal(err)
			}
			return p
		}
		orphan := plant(strings.Repeat("0a", 32))
		temp := plant(".upload-123456")
		stranger := plant("notes.txt")
		now := time.Now()
		old := now.Add(-storage.OrphanGrace - time.Minute)
		for _, p := range append(referenced, orphan, temp, stranger) {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
		freshOrphan := plant(strings.Repeat("0b", 32))
		freshTemp := plant(".upload-654321")

		var res storage.SweepResult
		ran, err := models.RunExclusive(ctx, db.Gorm, 42, func() (err error) {
			res, err = local.Sweep(ctx, now, func(ctx context.Context, keys []string) (map[string]bool, error) {
				return models.ReferencedStorageKeys(ctx, db.Gorm, keys)
			})
			return err
		})
		if err != nil || !ran {
			t.Fatalf("sweep: ran %v, %v", ran, err)
		}
		if res.Temp != 1 || res.Orphans != 1 {
			t.Fatalf("removed %+v, want one temporary file and one orphan", res)
		}
		for _, p := range []string{orphan, temp} {
			if _, err := os.Stat(p); !os.IsNotExist(err) {
				t.Errorf("%s was kept", p)
			}
		}
		for _, p := range append(referenced, stranger, freshOrphan, freshTemp) {
			if _, err := os.Stat(p); err != nil {
				t.Errorf("%s was removed: %v", p, err)
			}
		}
	})
}

// storedFiles lists the files Local stored under dir.
func storedFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFileSweepRunsOnce: on PostgreSQL a second instance skips the sweep
// while one runs it.
func TestFileSweepRunsOnce(t *testing.T) {
	db := testdb.Open(t, models.Postgres)
	ctx := context.Background()
	ran, err := models.RunExclusive(ctx, db.Gorm, 43, func() error {
		inner, err := models.RunExclusive(ctx, db.Gorm, 43, func() error { return nil })
		if err != nil || inner {
			t.Errorf("a second run while the first holds the lock: ran %v, %v", inner, err)
		}
		return nil
	})
	if err != nil || !ran {
		t.Fatalf("first run: %v %v", ran, err)
	}
	again, err := models.RunExclusive(ctx, db.Gorm, 43, func() error { return nil })
	if err != nil || !again {
		t.Fatalf("the lock was not released: %v %v", again, err)
	}
}
