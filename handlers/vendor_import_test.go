package handlers

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"sync"
	"testing"

	"gorm.io/gorm"

	"rampart/app/scoring"
	"rampart/app/sheet"
	"rampart/app/vendors"
	"rampart/models"
	"rampart/models/testdb"
)

// TestVendorImportConstraintAtWriteTime gives two rows the same external
// id in a way only the database's unique index notices (one row updates
// an existing vendor to it, another creates a vendor with it): the
// import is refused and neither the new vendor nor the update remains.
func TestVendorImportConstraintAtWriteTime(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		acme := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Acme","category":"saas"}`))
		var events int64
		db.Gorm.Model(&models.AuditEvent{}).Count(&events)
		file := "rampart_id,name,external_id,category,department\n" +
			acme.ID + ",Acme,ERP-9,saas,Finance\n" +
			",Brand New,ERP-9,saas,Legal\n"
		r := f.upload(&risk, "/api/v1/vendors/import?dry_run=false", "v.csv", []byte(file))
		if r.Code != 422 {
			t.Fatalf("import with a clash at write time: %d %s", r.Code, r.Body)
		}
		var n, after int64
		db.Gorm.Model(&models.Vendor{}).Count(&n)
		db.Gorm.Model(&models.AuditEvent{}).Count(&after)
		got, err := models.GetVendor(t.Context(), db.Gorm, acme.ID)
		if err != nil || n != 1 || after != events || got.Version != 1 || got.Department != "" || got.ExternalID != nil {
			t.Fatalf("after a refused import: %d vendors, audit %d -> %d, acme %+v %v", n, events, after, got, err)
		}
	})
}

// TestVendorImportUpdatesAndScoresLikeEdits re-imports changed rows:
// the stored scores are what scoring computes one vendor at a time, and
// a third import changes nothing.
func TestVendorImportUpdatesAndScoresLikeEdits(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		first := decode[vendors.ImportResult](t, f.upload(&risk, "/api/v1/vendors/import?dry_run=false", "v.csv", []byte(vendorCSV)))
		changed := "Name,Website,Category,Data types,Criticality,Tags,Status\n" +
			"Harbor Mail,https://harbor-mail.test,SaaS,Health data,Critical,email,active\n" +
			"Quill Legal,quill-legal.test,Professional services,,low,,in review\n"
		for round, want := range []int{2, 0} {
			res := decode[vendors.ImportResult](t, f.upload(&risk, "/api/v1/vendors/import?dry_run=false", "v.csv", []byte(changed)))
			if res.Updated != want || res.Failed != 0 {
				t.Fatalf("round %d: %+v", round, res)
			}
		}
		for _, it := range first.Items {
			h, err := scoring.Recompute(t.Context(), db.Gorm, it.VendorID, scoring.CauseProfileEdit)
			if err != nil || h != nil {
				t.Fatalf("%s: the import stored other scores than scoring computes: %+v %v", it.Name, h, err)
			}
		}
		harbor, _ := models.GetVendor(t.Context(), db.Gorm, first.Items[0].VendorID)
		var edits int64
		db.Gorm.Model(&models.AuditEvent{}).Where("object_id = ? AND action = ?", harbor.ID, "vendor.update").Count(&edits)
		if harbor.Version != 2 || harbor.Criticality != 4 || len(harbor.DataTypes) != 1 || harbor.DataTypes[0] != "health_data" || edits != 1 {
			t.Fatalf("harbor after the update: %+v, %d update events", harbor, edits)
		}
	})
}

// TestVendorImportDoesNotLockOthersOut runs an import of the largest file
// accepted while other users sign in and create vendors: they may wait
// for the import's write, but none fails ("database is locked", 500).
func TestVendorImportDoesNotLockOthersOut(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		other := f.as(models.RoleRiskManager)
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Write([]string{"name", "website", "category", "data_types", "criticality", "tags"})
		// The largest file accepted, except under the race detector, which
		// slows SQLite's write about tenfold past any busy timeout: there a
		// tenth of it checks the same locking, and make test-go runs the
		// package without -race too, at full size.
		rows := sheet.MaxRows - 1
		if raceDetector {
			rows = (sheet.MaxRows - 1) / 10
			t.Logf("race detector on: %d rows instead of %d", rows, sheet.MaxRows-1)
		}
		for i := 1; i <= rows; i++ {
			n := strconv.Itoa(i)
			w.Write([]string{"Vendor " + n, "https://v" + n + ".example", "saas", "personal_data", "high", "bulk"})
		}
		w.Flush()

		// The others start once the import's write transaction has begun.
		writing := make(chan struct{})
		var once sync.Once
		err := db.Gorm.Callback().Create().Before("gorm:create").Register("test:import-writing", func(tx *gorm.DB) {
			if tx.Statement.Table == "vendors" {
				once.Do(func() { close(writing) })
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var imported response
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer once.Do(func() { close(writing) })
			imported = f.upload(&risk, "/api/v1/vendors/import?dry_run=false", "big.csv", buf.Bytes())
		}()
		<-writing
		results := make([]int, 8)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i%2 == 0 {
					// Four people sign in (one account each: parallel attempts
					// on one account from one address count against its
					// throttle before the password is checked).
					who := []models.Role{models.RoleLegal, models.RoleAdmin, models.RoleAuditor, models.RoleRequester}[i/2]
					results[i] = f.call(nil, "POST", "/api/v1/auth/login", fmt.Sprintf(`{"email":%q,"password":%q}`, f.users[who].Email, testPassword)).Code
				} else {
					results[i] = f.call(&other, "POST", "/api/v1/vendors", fmt.Sprintf(`{"name":"Concurrent %d","category":"saas"}`, i)).Code
				}
			}()
		}
		wg.Wait()
		if imported.Code != 200 {
			t.Fatalf("import: %d %.300s", imported.Code, imported.Body)
		}
		for i, code := range results {
			if code != 200 && code != 201 {
				t.Errorf("concurrent request %d answered %d", i, code)
			}
		}
		var n int64
		db.Gorm.Model(&models.Vendor{}).Count(&n)
		if n != int64(rows+len(results)/2) {
			t.Errorf("%d vendors", n)
		}
	})
}
