package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
)

// concurrentCall sends one request through the real router. Unlike
// fixture.call it never touches testing.T, so goroutines may use it.
func (f *fixture) concurrentCall(s session, method, path, body string) (int, []byte) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.AddCookie(&http.Cookie{Name: SessionCookie, Value: s.cookie})
	if !isSafeMethod(method) {
		req.Header.Set("X-CSRF-Token", s.csrf)
	}
	rec := httptest.NewRecorder()
	f.serve(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// ackedVendor is what a writer was told: the vendor exists with this
// description at this version.
type ackedVendor struct {
	id, description string
	version         int64
}

// TestSQLiteConcurrentWritersAndReaders: 32 clients, half creating and
// then updating vendors, half listing, opening and summarising them, for
// a few seconds through the real router on SQLite. No request fails (in
// particular none with "database is locked"), and every acknowledged
// create and update is in the database afterwards, each with its audit
// event.
func TestSQLiteConcurrentWritersAndReaders(t *testing.T) {
	const clients, writers = 32, 16
	run := 3 * time.Second
	if testing.Short() {
		run = time.Second
	}
	db := testdb.Open(t, models.SQLite)
	f := newFixture(t, db)
	writer, reader := f.as(models.RoleRiskManager), f.as(models.RoleAuditor)

	var (
		mu       sync.Mutex
		acked    []ackedVendor
		ids      []string
		failures []string
		reads    int
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < 20 {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}
	deadline := time.Now().Add(run)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for n := 0; time.Now().Before(deadline); n++ {
				desc := fmt.Sprintf("writer %02d vendor %04d", w, n)
				code, body := f.concurrentCall(writer, "POST", "/api/v1/vendors",
					fmt.Sprintf(`{"name":"Load %02d-%04d","category":"saas","description":%q,"confirm_duplicate":true}`, w, n, desc))
				if code != http.StatusCreated {
					fail("create: %d %s", code, body)
					return
				}
				var v vendorResponse
				if err := json.Unmarshal(body, &v); err != nil {
					fail("create: %v", err)
					return
				}
				mu.Lock()
				acked = append(acked, ackedVendor{v.ID, desc, v.Version})
				i := len(acked) - 1
				ids = append(ids, v.ID)
				mu.Unlock()
				desc += " updated"
				code, body = f.concurrentCall(writer, "PATCH", "/api/v1/vendors/"+v.ID,
					fmt.Sprintf(`{"version":%d,"description":%q}`, v.Version, desc))
				if code != http.StatusOK {
					fail("update: %d %s", code, body)
					return
				}
				if err := json.Unmarshal(body, &v); err != nil {
					fail("update: %v", err)
					return
				}
				mu.Lock()
				acked[i] = ackedVendor{v.ID, desc, v.Version}
				mu.Unlock()
			}
		})
	}
	for r := range clients - writers {
		wg.Go(func() {
			for n := 0; time.Now().Before(deadline); n++ {
				path := "/api/v1/vendors?limit=25"
				switch (r + n) % 3 {
				case 1:
					path = "/api/v1/dashboard"
				case 2:
					mu.Lock()
					if len(ids) > 0 {
						path = "/api/v1/vendors/" + ids[(r*31+n)%len(ids)]
					}
					mu.Unlock()
				}
				if code, body := f.concurrentCall(reader, "GET", path, ""); code != http.StatusOK {
					fail("GET %s: %d %s", path, code, body)
					return
				}
				mu.Lock()
				reads++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for _, msg := range failures {
		if strings.Contains(msg, "locked") || strings.Contains(msg, "BUSY") {
			t.Errorf("database lock surfaced: %s", msg)
		} else {
			t.Errorf("%s", msg)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	if len(acked) == 0 || reads == 0 {
		t.Fatalf("%d writes and %d reads acknowledged: the test exercised nothing", len(acked), reads)
	}

	stored, err := models.GetVendors(context.Background(), db.Gorm, ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range acked {
		v, ok := stored[a.id]
		if !ok {
			t.Errorf("acknowledged vendor %s is missing", a.id)
			continue
		}
		if v.Description != a.description || v.Version != a.version {
			t.Errorf("vendor %s: stored %q v%d, acknowledged %q v%d", a.id, v.Description, v.Version, a.description, a.version)
		}
	}
	var created, updated int64
	if err := db.Gorm.Model(&models.AuditEvent{}).Where("action = ?", "vendor.create").Count(&created).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Gorm.Model(&models.AuditEvent{}).Where("action = ?", "vendor.update").Count(&updated).Error; err != nil {
		t.Fatal(err)
	}
	var wantUpdated int64
	for _, a := range acked {
		if a.version > 1 {
			wantUpdated++
		}
	}
	if created != int64(len(acked)) || updated != wantUpdated {
		t.Errorf("audit has %d creates and %d updates, acknowledged %d and %d", created, updated, len(acked), wantUpdated)
	}
	t.Logf("%d clients for %s: %d vendors created, %d updated, %d reads", clients, run, len(acked), wantUpdated, reads)
}
