package handlers

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"rampart/app/vendors"
	"rampart/models"
	"rampart/models/testdb"
)

func (f *fixture) upload(s *session, path, filename string, data []byte) response {
	f.t.Helper()
	return f.uploadForm(s, path, nil, filename, data)
}

const vendorCSV = "Name,Website,Category,Status,Owner,Data types,Criticality,Annual spend,Currency,Tags,Notes\n" +
	"Harbor Mail,https://harbor-mail.test,SaaS,active,legal@corp.test,Personal data; Customer data,High,\"12,000\",EUR,email;core,ignored\n" +
	"Quill Legal,quill-legal.test,Professional services,proposed,,,medium,0,,,\n" +
	"Tern Payments,https://tern.test,Payment,in review,,Payment card data,critical,50000,USD,,\n"

func TestVendorImportDryRunCommitAndIdempotence(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		count := func() int64 {
			return decode[listResponse[vendorSummary]](t, f.call(&risk, "GET", "/api/v1/vendors", "")).Total
		}

		// One bad row: the dry run names the row and column; a commit saves nothing.
		bad := strings.Replace(vendorCSV, "critical,50000", "extreme,5O000", 1)
		r := f.upload(&risk, "/api/v1/vendors/import", "vendors.csv", []byte(bad))
		if r.Code != 200 {
			t.Fatalf("dry run: %d %s", r.Code, r.Body)
		}
		res := decode[vendors.ImportResult](t, r)
		if !res.DryRun || res.Rows != 3 || res.Created != 2 || res.Failed != 1 || len(res.Ignored) != 1 || res.Ignored[0] != "Notes" {
			t.Fatalf("dry run result %+v", res)
		}
		row := res.Items[2]
		cols := map[string]bool{}
		for _, e := range row.Errors {
			cols[e.Column] = true
		}
		if row.Row != 4 || row.Action != "error" || !cols["criticality"] || !cols["annual_spend"] {
			t.Fatalf("bad row %+v", row)
		}
		r = f.upload(&risk, "/api/v1/vendors/import?dry_run=false", "vendors.csv", []byte(bad))
		if r.Code != 422 || !strings.Contains(r.Body.String(), `"import"`) || count() != 0 {
			t.Fatalf("commit with a bad row: %d, %d vendors saved: %s", r.Code, count(), r.Body)
		}

		// The clean file commits; importing it again changes nothing.
		r = f.upload(&risk, "/api/v1/vendors/import?dry_run=false", "vendors.csv", []byte(vendorCSV))
		res = decode[vendors.ImportResult](t, r)
		if r.Code != 200 || !res.Committed || res.Created != 3 || count() != 3 {
			t.Fatalf("commit: %d %+v", r.Code, res)
		}
		harbor := decode[listResponse[vendorSummary]](t, f.call(&risk, "GET", "/api/v1/vendors?q=harbor", "")).Items[0]
		if harbor.Category != "saas" || harbor.AnnualSpend != 12000 || harbor.Owner == nil || harbor.Owner.Email != "legal@corp.test" ||
			strings.Join(harbor.DataTypes, ",") != "customer_data,personal_data" || strings.Join(harbor.Tags, ",") != "core,email" || harbor.Criticality != "high" {
			t.Fatalf("imported %+v", harbor)
		}
		var events int64
		db.Gorm.Model(&models.AuditEvent{}).Count(&events)
		r = f.upload(&risk, "/api/v1/vendors/import?dry_run=false", "vendors.csv", []byte(vendorCSV))
		res = decode[vendors.ImportResult](t, r)
		var after int64
		db.Gorm.Model(&models.AuditEvent{}).Count(&after)
		if res.Unchanged != 3 || res.Created+res.Updated != 0 || count() != 3 || after != events {
			t.Fatalf("re-import: %+v, %d vendors, audit events %d -> %d", res, count(), events, after)
		}

		// Export, edit, re-import: the change is an update matched by id.
		r = f.call(&risk, "GET", "/api/v1/vendors/export.csv?sort=name", "")
		if r.Code != 200 || !strings.Contains(r.Header().Get("Content-Disposition"), ".csv") {
			t.Fatalf("export: %d %v", r.Code, r.Header())
		}
		rows, err := csv.NewReader(strings.NewReader(r.Body.String())).ReadAll()
		if err != nil || len(rows) != 4 || rows[1][2] != "Harbor Mail" {
			t.Fatalf("exported rows %v %v", rows, err)
		}
		rows[1][8] = "Customer Success"
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.WriteAll(rows)
		res = decode[vendors.ImportResult](t, f.upload(&risk, "/api/v1/vendors/import?dry_run=false", "export.csv", buf.Bytes()))
		if res.Updated != 1 || res.Unchanged != 2 || strings.Join(res.Items[0].Changes, ",") != "department" {
			t.Fatalf("round trip: %+v", res)
		}

		// XLSX export and import of the same rows.
		r = f.call(&risk, "GET", "/api/v1/vendors/export.xlsx?status=active", "")
		xf, err := excelize.OpenReader(bytes.NewReader(r.Body.Bytes()))
		if err != nil {
			t.Fatalf("xlsx export: %v", err)
		}
		xrows, _ := xf.GetRows("Vendors")
		if len(xrows) != 2 || xrows[1][2] != "Harbor Mail" {
			t.Fatalf("xlsx rows %v", xrows)
		}
		res = decode[vendors.ImportResult](t, f.upload(&risk, "/api/v1/vendors/import", "v.xlsx", r.Body.Bytes()))
		if res.Unchanged != 1 || res.Failed != 0 {
			t.Fatalf("xlsx re-import %+v", res)
		}
	})
}

func TestVendorImportRefusesBadFiles(t *testing.T) {
	f := newFixture(t, testdb.Open(t, models.SQLite))
	risk := f.as(models.RoleRiskManager)
	for name, c := range map[string]struct {
		data   []byte
		status int
		detail string
	}{
		"pdf":             {[]byte("%PDF-1.7 ..."), 422, "neither a CSV"},
		"xls":             {[]byte{0xD0, 0xCF, 0x11, 0xE0, 1, 2}, 422, ".xls"},
		"binary":          {[]byte("name\x00\x01\x02"), 422, "UTF-8"},
		"broken zip":      {[]byte("PK\x03\x04garbage"), 422, "workbook could not be read"},
		"no name column":  {[]byte("website,category\nx.test,saas\n"), 422, "name column"},
		"duplicate col":   {[]byte("name,Name\nA,B\n"), 422, "appears twice"},
		"empty":           {[]byte(""), 422, "empty"},
		"too large":       {bytes.Repeat([]byte("a"), 11<<20), 413, ""},
		"same site twice": {[]byte("name,website,category\nA,https://a.test,saas\nB,http://www.a.test,saas\n"), 200, ""},
	} {
		r := f.upload(&risk, "/api/v1/vendors/import", name+".csv", c.data)
		if r.Code != c.status {
			t.Errorf("%s: %d, want %d: %.200s", name, r.Code, c.status, r.Body)
			continue
		}
		if c.status == 200 {
			res := decode[vendors.ImportResult](t, r)
			if res.Failed != 1 || !strings.Contains(res.Items[1].Errors[0].Message, "row 2 already imports") {
				t.Errorf("%s: %+v", name, res)
			}
			continue
		}
		var p Problem
		json.Unmarshal(r.Body.Bytes(), &p)
		if c.detail != "" && !strings.Contains(r.Body.String(), c.detail) {
			t.Errorf("%s: %s lacks %q", name, r.Body, c.detail)
		}
	}
	if r := f.call(&risk, "POST", "/api/v1/vendors/import", `{"file":"x"}`); r.Code != 415 {
		t.Errorf("JSON instead of a file: %d", r.Code)
	}
	legal := f.as(models.RoleLegal)
	if r := f.upload(&legal, "/api/v1/vendors/import", "v.csv", []byte(vendorCSV)); r.Code != 403 {
		t.Errorf("legal imports: %d", r.Code)
	}
}

// TestVendorImportIsAllOrNothing makes the database refuse the audit
// events, the last statement of a commit, after the vendors, their lists
// and scores have been written: all of it must vanish.
func TestVendorImportIsAllOrNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		written := map[string]int{}
		err := db.Gorm.Callback().Create().Before("gorm:create").Register("test:fail-audit", func(tx *gorm.DB) {
			written[tx.Statement.Table]++
			if tx.Statement.Table == "audit_events" && written["vendors"] > 0 {
				tx.AddError(errors.New("disk full (simulated)"))
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		r := f.upload(&risk, "/api/v1/vendors/import?dry_run=false", "vendors.csv", []byte(vendorCSV))
		if r.Code != 500 || written["vendors"] == 0 || written["vendor_risk_history"] == 0 || written["vendor_tags"] == 0 {
			t.Fatalf("commit failing at the audit events: %d after writing %v: %s", r.Code, written, r.Body)
		}
		var vendorsSaved, tags, scores, events int64
		db.Gorm.Model(&models.Vendor{}).Count(&vendorsSaved)
		db.Gorm.Model(&models.VendorTag{}).Count(&tags)
		db.Gorm.Model(&models.VendorRiskHistory{}).Count(&scores)
		db.Gorm.Model(&models.AuditEvent{}).Where("object_type = ?", "vendor").Count(&events)
		if vendorsSaved+tags+scores+events != 0 {
			t.Fatalf("after a failed import: %d vendors, %d tags, %d scores and %d vendor audit events remain", vendorsSaved, tags, scores, events)
		}
	})
}
