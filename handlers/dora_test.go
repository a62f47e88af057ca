package handlers

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"rampart/app/dora"
	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

// TestDORAExportOfDemoPassesValidation: the demo register has no issue,
// and its ZIP is well-formed with one CSV per template (the column codes as
// header, rows where the demo has them) and the report.
func TestDORAExportOfDemoPassesValidation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		if _, err := seeds.Demo(ctx, db.Gorm); err != nil {
			t.Fatal(err)
		}
		f := newFixture(t, db)
		s := f.as(models.RoleAuditor)
		rep := decode[dora.Report](t, f.call(&s, "GET", "/api/v1/dora/validation", ""))
		if !rep.Valid || len(rep.Issues) != 0 {
			t.Fatalf("demo register has issues: %+v", rep.Issues[:min(5, len(rep.Issues))])
		}
		r := f.call(&s, "GET", "/api/v1/dora/register.zip", "")
		if r.Code != 200 || r.Header().Get("Content-Type") != "application/zip" || !strings.Contains(r.Header().Get("Content-Disposition"), "attachment") {
			t.Fatalf("export: %d %v", r.Code, r.Header())
		}
		zr, err := zip.NewReader(bytes.NewReader(r.Body.Bytes()), int64(r.Body.Len()))
		if err != nil {
			t.Fatal(err)
		}
		// One folder, named like the ZIP, holding the report package.
		_, name, _ := strings.Cut(r.Header().Get("Content-Disposition"), `filename="`)
		root := strings.TrimSuffix(strings.TrimSuffix(name, `"`), ".zip") + "/"
		if !regexp.MustCompile(`^[A-Z0-9]{20}\.CON_DE_DORA010100_DORA_\d{4}-12-31_\d{17}/$`).MatchString(root) {
			t.Fatalf("package name %q", root)
		}
		files := map[string][][]string{}
		for _, zf := range zr.File {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			rel, ok := strings.CutPrefix(zf.Name, root)
			if !ok {
				t.Fatalf("%s is outside the package folder %s", zf.Name, root)
			}
			if strings.HasSuffix(rel, ".json") {
				var doc struct {
					DocumentInfo struct {
						DocumentType string   `json:"documentType"`
						Extends      []string `json:"extends"`
					} `json:"documentInfo"`
				}
				if err := json.Unmarshal(b, &doc); err != nil {
					t.Fatalf("%s: %v", rel, err)
				}
				if rel == "reports/report.json" && (len(doc.DocumentInfo.Extends) != 1 || doc.DocumentInfo.Extends[0] != dora.ModuleEntryPoint) {
					t.Fatalf("report.json: %s", b)
				}
				files[rel] = nil
				continue
			}
			recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", zf.Name, err)
			}
			files[strings.TrimPrefix(rel, "reports/")] = recs
		}
		if _, ok := files["META-INF/reportPackage.json"]; !ok {
			t.Fatalf("no META-INF/reportPackage.json: %v", len(files))
		}
		if p := files["parameters.csv"]; len(p) != 6 || p[1][1] != "rs:"+strings.Split(root, ".")[0]+".CON" || p[3][1] != "iso4217:EUR" {
			t.Fatalf("parameters.csv: %v", p)
		}
		reported := map[string]string{}
		for _, row := range files["FilingIndicators.csv"][1:] {
			reported[row[0]] = row[1]
		}
		for _, tpl := range dora.Templates {
			recs, ok := files[dora.FileName(tpl.Code)]
			if !ok {
				t.Fatalf("no CSV for %s; files %v", tpl.Code, len(files))
			}
			if len(recs) == 0 || len(recs[0]) != len(tpl.Columns) || recs[0][0] != "c0010" {
				t.Fatalf("%s header: %v", tpl.Code, recs)
			}
		}
		// Templates the demo fills (its branches included); the links and
		// intra-group providers it has none of stay empty, reported false.
		for _, code := range []string{"B_01.01", "B_01.02", "B_01.03", "B_02.01", "B_02.02", "B_03.01", "B_03.02", "B_04.01", "B_05.01", "B_05.02", "B_06.01", "B_07.01"} {
			if len(files[dora.FileName(code)]) < 2 || reported[code] != "true" {
				t.Errorf("%s has no rows (reported %q)", code, reported[code])
			}
		}
		if b := files["b_01.03.csv"]; len(b) != 3 || b[1][3] != "eba_GA:LU" || b[2][3] != "eba_GA:AT" {
			t.Errorf("branches: %v", b)
		}
		for _, code := range []string{"B_02.03", "B_03.03"} {
			if reported[code] != "false" {
				t.Errorf("%s reported %q", code, reported[code])
			}
		}
		ranks := map[string]bool{}
		for _, row := range files["b_05.02.csv"][1:] {
			ranks[row[4]] = true
		}
		if !ranks["1"] || !ranks["2"] {
			t.Errorf("supply chain ranks: %v", ranks)
		}
		for _, row := range files["b_05.01.csv"][1:] {
			if dora.CheckLEI(row[0]) != nil || !strings.HasPrefix(row[7], "eba_GA:") {
				t.Fatalf("provider row %v", row)
			}
		}
		var count int64
		db.Gorm.Model(&models.Contract{}).Where("dora_in_scope").Count(&count)
		if got := len(files["b_02.01.csv"]) - 1; int64(got) != count || count < 10 {
			t.Fatalf("B_02.01 rows %d, contracts in scope %d", got, count)
		}
	})
}

// TestDORAValidationAndFixes: a missing field shows in the report with its
// record and field; the export is refused with the report until it is fixed
// (or forced); PATCHes validate LEIs, codes and versions and are audited.
func TestDORAValidationAndFixes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		admin := f.as(models.RoleAdmin)
		risk := f.as(models.RoleRiskManager)

		r := f.call(&admin, "PATCH", "/api/v1/settings/dora", `{"version":1,"lei":"7LTWFZYICNSX8D621K87"}`)
		if r.Code != 422 || r.problem().Errors[0].Field != "lei" || !strings.Contains(r.problem().Errors[0].Message, "check digits") {
			t.Fatalf("bad entity LEI: %d %s", r.Code, r.Body)
		}
		r = f.call(&admin, "PATCH", "/api/v1/settings/dora", `{"version":1,"enabled":true,"lei":"7ltwfzyicnsx8d621k86","name":"<b>Bank</b>","country":"de",
			"entity_type":"eba_CT:x12","hierarchy":"eba_RP:x53","competent_authority":"BaFin","currency":"EUR","total_assets":1000}`)
		if r.Code != 200 {
			t.Fatalf("settings: %d %s", r.Code, r.Body)
		}
		st := decode[doraSettingsResponse](t, r)
		if st.LEI != "7LTWFZYICNSX8D621K86" || st.Country != "DE" || st.Name != "<b>Bank</b>" || st.Version != 2 {
			t.Fatalf("settings stored: %+v", st)
		}
		if r := f.call(&admin, "PATCH", "/api/v1/settings/dora", `{"version":1,"name":"Late"}`); r.Code != 409 {
			t.Fatalf("stale settings: %d", r.Code)
		}
		if r := f.call(&admin, "PATCH", "/api/v1/settings/dora", `{"version":2,"total_assets":1e30}`); r.Code != 400 && r.Code != 422 {
			t.Fatalf("huge number: %d %s", r.Code, r.Body)
		}
		if r := f.call(&admin, "PATCH", "/api/v1/settings/dora", `{"version":2,"colour":"red"}`); r.Code != 400 && r.Code != 422 {
			t.Fatalf("unknown field: %d %s", r.Code, r.Body)
		}
		if r := f.call(&admin, "PATCH", "/api/v1/settings/dora", "{\"version\":2,\"name\":\"\xff\xfe\"}"); r.Code != 400 {
			t.Fatalf("invalid UTF-8: %d %s", r.Code, r.Body)
		}
		if r := f.call(&admin, "PATCH", "/api/v1/settings/dora", `{"version":2,"name":"`+strings.Repeat("x", 301)+`"}`); r.Code != 422 || r.problem().Errors[0].Field != "name" {
			t.Fatalf("long name: %d %s", r.Code, r.Body)
		}
		if !decode[doraCodesResponse](t, f.call(&risk, "GET", "/api/v1/dora/codes", "")).Enabled {
			t.Fatal("codes do not say the register is on")
		}
		if r := f.call(&risk, "PATCH", "/api/v1/settings/dora", `{"version":2,"name":"X"}`); r.Code != 403 {
			t.Fatalf("risk manager changes settings: %d", r.Code)
		}

		v := &models.Vendor{Name: "Cloud Co", Status: "active", Category: "saas"}
		if err := models.CreateVendor(ctx, db.Gorm, &models.VendorRecord{Vendor: *v}); err != nil {
			t.Fatal(err)
		}
		var vendor models.Vendor
		db.Gorm.Where("name = ?", "Cloud Co").Take(&vendor)
		r = f.call(&risk, "PATCH", "/api/v1/vendors/"+vendor.ID+"/dora", fmt.Sprintf(`{"version":%d,"lei":"HWUPKR0MPOU8FGXBT349"}`, vendor.Version))
		if r.Code != 422 || r.problem().Errors[0].Field != "lei" {
			t.Fatalf("bad vendor LEI: %d %s", r.Code, r.Body)
		}
		r = f.call(&risk, "PATCH", "/api/v1/vendors/"+vendor.ID+"/dora", fmt.Sprintf(`{"version":%d,"dora_country":"Germany"}`, vendor.Version))
		if r.Code != 422 || r.problem().Errors[0].Field != "dora_country" {
			t.Fatalf("bad country: %d %s", r.Code, r.Body)
		}
		r = f.call(&risk, "PATCH", "/api/v1/vendors/"+vendor.ID+"/dora", fmt.Sprintf(`{"version":%d,"lei":"HWUPKR0MPOU8FGXBT394","dora_country":"US","dora_person_type":"eba_CT:x212"}`, vendor.Version))
		if r.Code != 200 || decode[vendorResponse](t, r).LEI != "HWUPKR0MPOU8FGXBT394" {
			t.Fatalf("vendor DORA: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "PATCH", "/api/v1/vendors/"+vendor.ID+"/dora", fmt.Sprintf(`{"version":%d,"lei":""}`, vendor.Version)); r.Code != 409 {
			t.Fatalf("stale vendor: %d", r.Code)
		}

		c := &models.Contract{VendorID: vendor.ID, Title: "MSA", Type: "msa", Status: "signed", EffectiveDate: "2025-01-01", EndDate: "2027-01-01",
			Value: 5000, Currency: "EUR", NoticePeriod: 90, NoticeUnit: "days"}
		if err := models.CreateContract(ctx, db.Gorm, c); err != nil {
			t.Fatal(err)
		}
		body := `{"version":1,"dora_in_scope":true,"dora_reference":"ICT-1","dora_ict_service_type":"S19","dora_function_id":"F1",
			"dora_function_name":"Payments","dora_licensed_activity":"eba_TA:x28","dora_criticality":"eba_BT:x29","dora_criticality_assessed_on":"2026-01-01",
			"dora_function_impact":"eba_ZZ:x792","dora_substitutability":"eba_ZZ:x962","dora_exit_plan":"eba_BT:x28",
			"dora_reintegration":"eba_ZZ:x798","dora_discontinuing_impact":"eba_ZZ:x792"}`
		r = f.call(&risk, "PATCH", "/api/v1/contracts/"+c.ID+"/dora", body)
		if r.Code != 200 || !decode[contractResponse](t, r).DORA.InScope {
			t.Fatalf("contract DORA: %d %s", r.Code, r.Body)
		}
		for field, value := range map[string]string{"dora_ict_service_type": `"S20"`, "dora_criticality": `"critical"`,
			"dora_last_audit": `"31/12/2025"`, "dora_rto_hours": `-1`, "dora_governing_law": `"XX"`} {
			r := f.call(&risk, "PATCH", "/api/v1/contracts/"+c.ID+"/dora", fmt.Sprintf(`{"version":2,%q:%s}`, field, value))
			if r.Code != 422 || r.problem().Errors[0].Field != field {
				t.Errorf("%s = %s: %d %s", field, value, r.Code, r.Body)
			}
		}

		// The alternatives are missing: the report names the contract and
		// the field; the export is refused with the report.
		rep := decode[dora.Report](t, f.call(&risk, "GET", "/api/v1/dora/validation", ""))
		if rep.Valid || len(rep.Issues) != 1 {
			t.Fatalf("report: %+v", rep)
		}
		is := rep.Issues[0]
		if is.Template != "B_07.01" || is.Column != "c0110" || is.Row != 1 || is.Record.Type != "contract" || is.Record.ID != c.ID || is.Field != "dora_alternatives" || is.Kind != "missing" {
			t.Fatalf("issue: %+v", is)
		}
		r = f.call(&risk, "GET", "/api/v1/dora/register.zip", "")
		if r.Code != 422 || !strings.Contains(r.Body.String(), `"report"`) || !strings.Contains(r.Body.String(), "dora_alternatives") {
			t.Fatalf("export of an invalid register: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "GET", "/api/v1/dora/register.zip?force=true", ""); r.Code != 200 {
			t.Fatalf("forced export: %d", r.Code)
		}
		if r := f.call(&risk, "GET", "/api/v1/dora/register.zip?force=maybe", ""); r.Code != 422 {
			t.Fatalf("bad force: %d", r.Code)
		}
		if r := f.call(&risk, "PATCH", "/api/v1/contracts/"+c.ID+"/dora", `{"version":2,"dora_alternatives":"eba_BT:x29"}`); r.Code != 200 {
			t.Fatalf("fix: %d %s", r.Code, r.Body)
		}
		if rep := decode[dora.Report](t, f.call(&risk, "GET", "/api/v1/dora/validation", "")); !rep.Valid {
			t.Fatalf("after the fix: %+v", rep.Issues)
		}
		if r := f.call(&risk, "GET", "/api/v1/dora/register.zip", ""); r.Code != 200 {
			t.Fatalf("export after the fix: %d", r.Code)
		}

		for action, n := range map[string]int64{"dora.settings_update": 1, "vendor.dora_update": 1, "contract.dora_update": 2} {
			var got int64
			db.Gorm.Model(&models.AuditEvent{}).Where("action = ?", action).Count(&got)
			if got != n {
				t.Errorf("audit %s: %d events, want %d", action, got, n)
			}
		}

		legal := f.as(models.RoleLegal)
		requester := f.as(models.RoleRequester)
		auditor := f.as(models.RoleAuditor)
		for _, tc := range []struct {
			s      *session
			method string
			path   string
			want   int
		}{
			{&legal, "GET", "/api/v1/dora/validation", 403}, {&requester, "GET", "/api/v1/dora/register.zip", 403},
			{&auditor, "GET", "/api/v1/dora/register.zip", 200}, {&auditor, "PATCH", "/api/v1/contracts/" + c.ID + "/dora", 403},
			{&requester, "GET", "/api/v1/dora/codes", 403}, {&legal, "GET", "/api/v1/dora/codes", 200},
		} {
			body := ""
			if tc.method == "PATCH" {
				body = `{"version":3,"dora_reference":"X"}`
			}
			if r := f.call(tc.s, tc.method, tc.path, body); r.Code != tc.want {
				t.Errorf("%s %s: %d, want %d", tc.method, tc.path, r.Code, tc.want)
			}
		}
	})
}

// TestDORABranchesAndIntraGroup: our entity's branches are checked (a bad
// country or a repeated code is 422 naming the branch's field, a stale
// version 409) and fill B_01.03; a vendor marked intra-group puts its
// arrangements in B_03.03; a forced export of a register with issues holds
// the validation report beside the package folder.
func TestDORABranchesAndIntraGroup(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		admin := f.as(models.RoleAdmin)
		risk := f.as(models.RoleRiskManager)

		r := f.call(&admin, "PATCH", "/api/v1/settings/dora", `{"version":1,"branches":[{"code":"LU-1","name":"Luxembourg","country":"Luxembourg"}]}`)
		if r.Code != 422 || r.problem().Errors[0].Field != "branches[0].country" {
			t.Fatalf("bad branch country: %d %s", r.Code, r.Body)
		}
		r = f.call(&admin, "PATCH", "/api/v1/settings/dora", `{"version":1,"branches":[{"code":"LU-1","name":"Luxembourg","country":"LU"},{"code":"lu-1","name":"Again","country":"AT"}]}`)
		if r.Code != 422 || r.problem().Errors[0].Field != "branches[1].code" {
			t.Fatalf("repeated branch code: %d %s", r.Code, r.Body)
		}
		r = f.call(&admin, "PATCH", "/api/v1/settings/dora", `{"version":1,"branches":{"code":"LU-1"}}`)
		if r.Code != 400 && r.Code != 422 {
			t.Fatalf("branches not a list: %d %s", r.Code, r.Body)
		}
		r = f.call(&admin, "PATCH", "/api/v1/settings/dora", `{"version":1,"lei":"7LTWFZYICNSX8D621K86","country":"DE",
			"branches":[{"code":"LU-1","name":"Luxembourg Branch","country":"lu"},{"code":"AT-1","name":"Vienna Branch","country":"AT"}]}`)
		if r.Code != 200 {
			t.Fatalf("branches: %d %s", r.Code, r.Body)
		}
		st := decode[doraSettingsResponse](t, f.call(&admin, "GET", "/api/v1/settings/dora", ""))
		if len(st.Branches) != 2 || st.Branches[0] != (models.DORABranch{Code: "LU-1", Name: "Luxembourg Branch", Country: "LU"}) || st.Version != 2 {
			t.Fatalf("stored: %+v", st)
		}
		if r := f.call(&admin, "PATCH", "/api/v1/settings/dora", `{"version":1,"branches":[]}`); r.Code != 409 || !strings.Contains(r.Body.String(), `"current"`) || !strings.Contains(r.Body.String(), "Vienna Branch") {
			t.Fatalf("stale branches: %d %s", r.Code, r.Body)
		}
		var audited int64
		db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND after_data LIKE ?", "dora.settings_update", "%Vienna Branch%").Count(&audited)
		if audited != 1 {
			t.Fatalf("branches audited %d times", audited)
		}

		if err := models.CreateVendor(ctx, db.Gorm, &models.VendorRecord{Vendor: models.Vendor{Name: "Group IT GmbH", Status: "active", Category: "saas"}}); err != nil {
			t.Fatal(err)
		}
		var vendor models.Vendor
		db.Gorm.Where("name = ?", "Group IT GmbH").Take(&vendor)
		r = f.call(&risk, "PATCH", "/api/v1/vendors/"+vendor.ID+"/dora", fmt.Sprintf(`{"version":%d,"dora_intra_group":"yes"}`, vendor.Version))
		if r.Code != 400 && r.Code != 422 {
			t.Fatalf("intra-group not a boolean: %d %s", r.Code, r.Body)
		}
		r = f.call(&risk, "PATCH", "/api/v1/vendors/"+vendor.ID+"/dora", fmt.Sprintf(`{"version":%d,"lei":"HWUPKR0MPOU8FGXBT394","dora_intra_group":true}`, vendor.Version))
		if r.Code != 200 || !decode[vendorResponse](t, r).DORAIntraGroup {
			t.Fatalf("intra-group: %d %s", r.Code, r.Body)
		}
		c := &models.Contract{VendorID: vendor.ID, Title: "Group services", Type: "msa", Status: "signed", EffectiveDate: "2025-01-01", Currency: "EUR"}
		if err := models.CreateContract(ctx, db.Gorm, c); err != nil {
			t.Fatal(err)
		}
		if r := f.call(&risk, "PATCH", "/api/v1/contracts/"+c.ID+"/dora", `{"version":1,"dora_in_scope":true,"dora_reference":"IG-1"}`); r.Code != 200 {
			t.Fatalf("in scope: %d %s", r.Code, r.Body)
		}
		rep := decode[dora.Report](t, f.call(&risk, "GET", "/api/v1/dora/validation", ""))
		rows := map[string]int{}
		for _, s := range rep.Templates {
			rows[s.Code] = s.Rows
		}
		if rows["B_01.03"] != 2 || rows["B_03.03"] != 1 || rep.Valid {
			t.Fatalf("rows %v valid %v", rows, rep.Valid)
		}

		r = f.call(&risk, "GET", "/api/v1/dora/register.zip?force=true", "")
		if r.Code != 200 {
			t.Fatalf("forced export: %d %s", r.Code, r.Body)
		}
		zr, err := zip.NewReader(bytes.NewReader(r.Body.Bytes()), int64(r.Body.Len()))
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, zf := range zr.File {
			names[zf.Name] = true
		}
		root := "7LTWFZYICNSX8D621K86.CON_DE_DORA010100_DORA_"
		if !names[dora.ValidationReportName] {
			t.Fatalf("no validation report at the ZIP's root: %v", names)
		}
		for n := range names {
			if n != dora.ValidationReportName && !strings.HasPrefix(n, root) {
				t.Fatalf("%s outside the package folder", n)
			}
		}
	})
}
