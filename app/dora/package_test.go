package dora

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"rampart/models"
)

// grouped is the complete register with two branches, a subsequent
// arrangement under the first one and its provider an intra-group one.
func grouped() *models.DORARegisterData {
	d := complete()
	d.Settings.Branches = `[{"code":"BR-LU","name":"Bank Luxembourg Branch","country":"LU"},{"code":"BR-AT","name":"Bank Vienna Branch","country":"AT"}]`
	c := d.Contracts[0]
	c.ID, c.Title, c.ParentID, c.DORA.Reference = "c2", "Order form", ptr("c1"), "ICT-2"
	d.Contracts = append(d.Contracts, c)
	v := d.Vendors["v1"]
	v.DORA.IntraGroup = true
	d.Vendors["v1"] = v
	return d
}

var packageTime = time.Date(2026, 3, 31, 12, 30, 45, 123_000_000, time.UTC)

// unzip reads the package: each file's path and content.
func unzip(t *testing.T, r *Register) map[string][]byte {
	t.Helper()
	var buf bytes.Buffer
	if err := r.WriteZIP(&buf, packageTime); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = b
	}
	return out
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestPackageStructure(t *testing.T) {
	r := Build(grouped(), day)
	if !r.Valid() {
		t.Fatalf("issues: %+v", r.Issues)
	}
	files := unzip(t, r)
	root := "7LTWFZYICNSX8D621K86.CON_DE_DORA010100_DORA_2025-12-31_20260331123045123/"
	if !regexp.MustCompile(`^[A-Z0-9]{20}\.CON_[A-Z]{2}_DORA010100_DORA_\d{4}-\d{2}-\d{2}_\d{17}/$`).MatchString(root) {
		t.Fatalf("bad expected root %s", root)
	}
	for name := range files {
		if !strings.HasPrefix(name, root) {
			t.Fatalf("%s is outside the package folder %s (a valid register has nothing beside the package)", name, root)
		}
	}

	var pkg struct {
		DocumentInfo struct {
			DocumentType string `json:"documentType"`
		} `json:"documentInfo"`
	}
	if err := json.Unmarshal(files[root+"META-INF/reportPackage.json"], &pkg); err != nil || pkg.DocumentInfo.DocumentType != "https://xbrl.org/report-package/2023" {
		t.Fatalf("reportPackage.json: %v %s", err, files[root+"META-INF/reportPackage.json"])
	}
	var report struct {
		DocumentInfo struct {
			DocumentType string   `json:"documentType"`
			Extends      []string `json:"extends"`
		} `json:"documentInfo"`
	}
	if err := json.Unmarshal(files[root+"reports/report.json"], &report); err != nil {
		t.Fatal(err)
	}
	if report.DocumentInfo.DocumentType != "https://xbrl.org/2021/xbrl-csv" ||
		!slices.Equal(report.DocumentInfo.Extends, []string{"http://www.eba.europa.eu/eu/fr/xbrl/crr/fws/dora/4.0/mod/dora.json"}) {
		t.Fatalf("report.json: %s", files[root+"reports/report.json"])
	}

	params := readCSV(t, files[root+"reports/parameters.csv"])
	want := [][]string{{"name", "value"}, {"entityID", "rs:7LTWFZYICNSX8D621K86.CON"}, {"refPeriod", "2025-12-31"},
		{"baseCurrency", "iso4217:EUR"}, {"decimalsInteger", "0"}, {"decimalsMonetary", "-3"}}
	if !slices.EqualFunc(params, want, slices.Equal) {
		t.Fatalf("parameters.csv: %v", params)
	}

	indicators := readCSV(t, files[root+"reports/FilingIndicators.csv"])
	if !slices.Equal(indicators[0], []string{"templateID", "reported"}) || len(indicators) != len(Templates)+1 {
		t.Fatalf("FilingIndicators.csv: %v", indicators)
	}
	for i, tmpl := range Templates {
		row := indicators[i+1]
		reported := "false"
		if len(r.Table(tmpl.Code).Rows) > 0 {
			reported = "true"
		}
		if row[0] != tmpl.Code || row[1] != reported {
			t.Fatalf("filing indicator %d: %v, want %s %s", i, row, tmpl.Code, reported)
		}
	}
	// Every template has rows in this fixture: the branches, the link
	// and the intra-group provider included.
	if slices.ContainsFunc(indicators[1:], func(r []string) bool { return r[1] != "true" }) {
		t.Fatalf("a template without rows: %v", indicators)
	}

	for _, tmpl := range Templates {
		name := root + "reports/" + FileName(tmpl.Code)
		b, ok := files[name]
		if !ok {
			t.Fatalf("no %s", name)
		}
		if !bytes.Contains(b, []byte("\r\n")) {
			t.Errorf("%s: lines do not end with CRLF", name)
		}
		recs := readCSV(t, b)
		var codes []string
		for _, c := range tmpl.Columns {
			codes = append(codes, c.Code)
		}
		if !slices.Equal(recs[0], codes) {
			t.Errorf("%s header %v, want %v", name, recs[0], codes)
		}
		if len(recs)-1 != len(r.Table(tmpl.Code).Rows) {
			t.Errorf("%s: %d rows, register %d", name, len(recs)-1, len(r.Table(tmpl.Code).Rows))
		}
	}
	if n := len(files); n != 4+len(Templates) {
		t.Fatalf("%d files in the package", n)
	}

	// The templates this package fills from settings and links.
	b0103 := readCSV(t, files[root+"reports/b_01.03.csv"])
	if !slices.Equal(b0103[1], []string{"BR-LU", "7LTWFZYICNSX8D621K86", "Bank Luxembourg Branch", "eba_GA:LU"}) || b0103[2][3] != "eba_GA:AT" {
		t.Fatalf("B_01.03: %v", b0103)
	}
	b0203 := readCSV(t, files[root+"reports/b_02.03.csv"])
	if len(b0203) != 2 || !slices.Equal(b0203[1], []string{"ICT-2", "ICT-1", "true"}) {
		t.Fatalf("B_02.03: %v", b0203)
	}
	b0303 := readCSV(t, files[root+"reports/b_03.03.csv"])
	if len(b0303) != 3 || !slices.Equal(b0303[1], []string{"ICT-1", "HWUPKR0MPOU8FGXBT394", "true"}) {
		t.Fatalf("B_03.03: %v", b0303)
	}
	if b0302 := readCSV(t, files[root+"reports/b_03.02.csv"]); b0302[1][2] != LEICode {
		t.Fatalf("type of code: %v", b0302[1])
	}
}

// TestPackageWithIssues: a register with issues still makes a package (the
// forced export), named as a draft when the LEI is missing, with the
// validation report beside the package folder and the empty templates
// reported false.
func TestPackageWithIssues(t *testing.T) {
	d := complete()
	d.Settings.LEI = ""
	d.Settings.Branches = "[]"
	r := Build(d, day)
	if r.Valid() {
		t.Fatal("register without an LEI is valid")
	}
	files := unzip(t, r)
	root := "DRAFT_DORA010100_DORA_2025-12-31_20260331123045123/"
	var rep Report
	if err := json.Unmarshal(files[ValidationReportName], &rep); err != nil || rep.Valid || len(rep.Issues) == 0 {
		t.Fatalf("validation report beside the package: %v %s", err, files[ValidationReportName])
	}
	if _, ok := files[root+"reports/report.json"]; !ok {
		t.Fatalf("no package folder %s: %v", root, files)
	}
	indicators := readCSV(t, files[root+"reports/FilingIndicators.csv"])
	for _, row := range indicators[1:] {
		if want := slices.Contains([]string{"B_01.03", "B_02.03", "B_03.03"}, row[0]); want == (row[1] == "true") {
			t.Errorf("filing indicator %v", row)
		}
	}
}

func TestRefPeriodIsTheYearEndBefore(t *testing.T) {
	if got := RefPeriod(time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC)); got != "2026-12-31" {
		t.Fatal(got)
	}
}

func TestBranchesAreChecked(t *testing.T) {
	_, err := check(SettingsFields, map[string]any{"branches": []models.DORABranch{
		{Code: "A", Name: "One", Country: "lu"}, {Code: "a", Name: "Two", Country: "AT"}, {Code: "", Name: "", Country: "XX"}}})
	var ve *models.ValidationError
	if err == nil || !asValidation(err, &ve) {
		t.Fatalf("err %v", err)
	}
	var fields []string
	for _, e := range ve.Errors {
		fields = append(fields, e.Field)
	}
	for _, f := range []string{"branches[1].code", "branches[2].code", "branches[2].name", "branches[2].country"} {
		if !slices.Contains(fields, f) {
			t.Errorf("no error on %s: %v", f, fields)
		}
	}
	if slices.Contains(fields, "branches[0].country") {
		t.Errorf("lower-case country refused: %v", fields)
	}
	set, err := check(SettingsFields, map[string]any{"branches": []models.DORABranch{{Code: " BR-1 ", Name: "One", Country: "lu"}}})
	if err != nil || set["branches"] != `[{"code":"BR-1","name":"One","country":"LU"}]` {
		t.Fatalf("%v %v", set, err)
	}
}

func asValidation(err error, out **models.ValidationError) bool { return errors.As(err, out) }
