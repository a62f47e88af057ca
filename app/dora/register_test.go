package dora

import (
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"rampart/models"
)

// complete is a register with one critical ICT arrangement and nothing
// missing.
func complete() *models.DORARegisterData {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	st := &models.DORASettings{Base: models.Base{ID: "dora-settings", CreatedAt: now, UpdatedAt: now}, LEI: "7LTWFZYICNSX8D621K86",
		Name: "Bank", Country: "DE", EntityType: "eba_CT:x12", Hierarchy: "eba_RP:x53", CompetentAuthority: "BaFin", Currency: "EUR", TotalAssets: 10, Version: 1}
	v := models.Vendor{Base: models.Base{ID: "v1"}, Name: "Cloud Co", LEI: "HWUPKR0MPOU8FGXBT394",
		DORA: models.VendorDORA{Country: "US", PersonType: "eba_CT:x212"}}
	sub := models.Vendor{Base: models.Base{ID: "v2"}, Name: "Sub Co", LEI: "R0MUWSFPU8MPRO8K5P83",
		DORA: models.VendorDORA{Country: "FR", PersonType: "eba_CT:x212"}}
	c := models.Contract{Base: models.Base{ID: "c1"}, VendorID: "v1", Title: "MSA", Status: "signed", EffectiveDate: "2025-01-01",
		EndDate: "2027-01-01", NoticePeriod: 3, NoticeUnit: "months", Value: 1000, Currency: "EUR",
		DORA: models.ContractDORA{InScope: true, Reference: "ICT-1", GoverningLaw: "DE", ProviderNoticeDays: 90, ICTServiceType: "S19",
			FunctionID: "F1", FunctionName: "Payments", LicensedActivity: "eba_TA:x28", Criticality: "eba_BT:x28", CriticalityAssessed: "2026-01-01",
			RTOHours: 4, RPOHours: 1, FunctionImpact: "eba_ZZ:x793", StoresData: "eba_BT:x28", StorageLocation: "DE", ProcessingLocation: "IE",
			DataSensitiveness: "eba_ZZ:x793", Reliance: "eba_ZZ:x797", Substitutability: "eba_ZZ:x961", LastAudit: "2026-01-15",
			ExitPlan: "eba_BT:x28", Reintegration: "eba_ZZ:x966", DiscontinuingImpact: "eba_ZZ:x793", Alternatives: "eba_BT:x28"}}
	return &models.DORARegisterData{Settings: st, Contracts: []models.Contract{c},
		Vendors: map[string]models.Vendor{"v1": v, "v2": sub},
		Chains:  map[string][]models.ChainLink{"v1": {{Rank: 2, ParentID: "v1", Name: "Sub Co", VendorID: ptr("v2")}}}}
}

func ptr[T any](v T) *T { return &v }

var day = time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)

func TestCompleteRegisterHasNoIssues(t *testing.T) {
	r := Build(complete(), day)
	if !r.Valid() {
		t.Fatalf("issues: %+v", r.Issues)
	}
	b0502 := r.Table("B_05.02").Rows
	if len(b0502) != 2 || b0502[1][4] != "2" || b0502[1][2] != "R0MUWSFPU8MPRO8K5P83" || b0502[1][5] != "HWUPKR0MPOU8FGXBT394" {
		t.Fatalf("supply chain: %v", b0502)
	}
	b0501 := r.Table("B_05.01").Rows
	if len(b0501) != 2 || b0501[0][7] != "eba_GA:US" || b0501[0][8] != "eba_CU:EUR" || b0501[0][9] != "1000" || b0501[1][0] != "R0MUWSFPU8MPRO8K5P83" {
		t.Fatalf("providers: %v", b0501)
	}
	if row := r.Table("B_02.02").Rows[0]; row[5] != "eba_TA:S19" || row[9] != "90" || row[13] != "eba_BT:x28" {
		t.Fatalf("B_02.02: %v", row)
	}
	if r.Table("B_01.01").Rows[0][5] != "2026-03-31" {
		t.Fatalf("reporting date: %v", r.Table("B_01.01").Rows[0])
	}
}

// find returns the issues of template and column.
func find(r *Register, template, column string) []Issue {
	var out []Issue
	for _, i := range r.Issues {
		if i.Template == template && i.Column == column {
			out = append(out, i)
		}
	}
	return out
}

func TestValidationFindsEachKindOfProblem(t *testing.T) {
	cases := []struct {
		name                   string
		edit                   func(d *models.DORARegisterData)
		template, column, kind string
		record, field          string
	}{
		{"missing entity LEI", func(d *models.DORARegisterData) { d.Settings.LEI = "" }, "B_01.01", "c0010", "missing", "settings", "lei"},
		{"bad entity LEI", func(d *models.DORARegisterData) { d.Settings.LEI = "7LTWFZYICNSX8D621K87" }, "B_01.01", "c0010", "invalid_lei", "settings", "lei"},
		{"bad vendor LEI", func(d *models.DORARegisterData) {
			v := d.Vendors["v1"]
			v.LEI = "HWUPKR0MPOU8FGXBT349"
			d.Vendors["v1"] = v
		}, "B_05.01", "c0010", "invalid_lei", "vendor", "lei"},
		{"missing ICT service type", func(d *models.DORARegisterData) { d.Contracts[0].DORA.ICTServiceType = "" }, "B_02.02", "c0060", "missing", "contract", "dora_ict_service_type"},
		{"bad ICT service type", func(d *models.DORARegisterData) { d.Contracts[0].DORA.ICTServiceType = "S20" }, "B_07.01", "c0040", "invalid_code", "contract", "dora_ict_service_type"},
		{"bad criticality code", func(d *models.DORARegisterData) { d.Contracts[0].DORA.Criticality = "critical" }, "B_06.01", "c0050", "invalid_code", "contract", "dora_criticality"},
		{"bad country", func(d *models.DORARegisterData) { d.Contracts[0].DORA.GoverningLaw = "Germany" }, "B_02.02", "c0120", "invalid_country", "contract", "dora_governing_law"},
		{"bad currency", func(d *models.DORARegisterData) { d.Contracts[0].Currency = "EURO" }, "B_02.01", "c0040", "invalid_currency", "contract", "currency"},
		{"bad date", func(d *models.DORARegisterData) { d.Contracts[0].EffectiveDate = "01/02/2025" }, "B_02.02", "c0070", "invalid_date", "contract", "effective_date"},
		{"missing exit plan", func(d *models.DORARegisterData) { d.Contracts[0].DORA.ExitPlan = "" }, "B_07.01", "c0080", "missing", "contract", "dora_exit_plan"},
		{"reason needed when not substitutable", func(d *models.DORARegisterData) { d.Contracts[0].DORA.Substitutability = "eba_ZZ:x959" }, "B_07.01", "c0060", "missing", "contract", "dora_substitution_reason"},
		{"storage location needed when data is stored", func(d *models.DORARegisterData) { d.Contracts[0].DORA.StorageLocation = "" }, "B_02.02", "c0150", "missing", "contract", "dora_storage_location"},
		{"termination reason of a terminated contract", func(d *models.DORARegisterData) { d.Contracts[0].Status = "terminated" }, "B_02.02", "c0090", "missing", "contract", "dora_termination_reason"},
		{"provider headquarters", func(d *models.DORARegisterData) {
			v := d.Vendors["v1"]
			v.DORA.Country = ""
			d.Vendors["v1"] = v
		}, "B_05.01", "c0080", "missing", "vendor", "dora_country"},
		{"subprocessor without a vendor record", func(d *models.DORARegisterData) {
			d.Chains["v1"] = []models.ChainLink{{Rank: 2, ParentID: "v1", Name: "Free text Ltd"}}
		}, "B_05.02", "c0030", "missing", "vendor", "subprocessors"},
		{"duplicate reference", func(d *models.DORARegisterData) {
			c := d.Contracts[0]
			c.ID, c.Title = "c2", "Second"
			d.Contracts = append(d.Contracts, c)
		}, "B_02.01", "c0010", "conflict", "contract", "dora_reference"},
		{"function described twice differently", func(d *models.DORARegisterData) {
			c := d.Contracts[0]
			c.ID, c.DORA.Reference, c.DORA.FunctionName = "c2", "ICT-2", "Other name"
			d.Contracts = append(d.Contracts, c)
		}, "B_06.01", "c0010", "conflict", "contract", "dora_function_id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := complete()
			tc.edit(d)
			r := Build(d, day)
			got := find(r, tc.template, tc.column)
			if len(got) == 0 {
				t.Fatalf("no issue in %s %s; issues: %+v", tc.template, tc.column, r.Issues)
			}
			i := got[0]
			if i.Kind != tc.kind || i.Record.Type != tc.record || i.Field != tc.field || i.Row < 1 || i.ColumnName == "" || i.Message == "" {
				t.Fatalf("issue %+v, want kind %s on %s.%s", i, tc.kind, tc.record, tc.field)
			}
			if r.Valid() {
				t.Fatal("register with an issue is valid")
			}
		})
	}
}

// TestNonCriticalServiceNeedsLess: the fields the ITS asks only for services
// supporting critical or important functions may stay empty otherwise, and
// such a service's supply chain is not reported.
func TestNonCriticalServiceNeedsLess(t *testing.T) {
	d := complete()
	x := &d.Contracts[0].DORA
	x.Criticality, x.GoverningLaw, x.ProviderNoticeDays, x.StoresData, x.StorageLocation, x.ProcessingLocation = "eba_BT:x29", "", 0, "", "", ""
	x.DataSensitiveness, x.Reliance, x.RTOHours, x.RPOHours, x.LastAudit = "", "", 0, 0, ""
	d.Chains["v1"] = []models.ChainLink{{Rank: 2, ParentID: "v1", Name: "Free text Ltd"}}
	r := Build(d, day)
	if !r.Valid() {
		t.Fatalf("issues: %+v", r.Issues)
	}
	if n := len(r.Table("B_05.02").Rows); n != 1 {
		t.Fatalf("supply chain rows of a non-critical service: %d", n)
	}
}

// TestB0501MatchesPublishedTemplate compares template B_05.01's columns
// with the published list kept in testdata (copied from the source, not
// made from this code): the same codes in the same order, and the columns
// the list gives as country and currency carry the register's prefixed
// codes.
func TestB0501MatchesPublishedTemplate(t *testing.T) {
	f, err := os.Open("testdata/b_05.01_published_columns.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd := csv.NewReader(f)
	rd.Comment = '#'
	recs, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	published := recs[1:]
	ours := template("B_05.01").Columns
	if len(published) < 11 || len(ours) < len(published) {
		t.Fatalf("published %d columns, ours %d", len(published), len(ours))
	}
	row := Build(complete(), day).Table("B_05.01").Rows[0]
	for i, p := range published {
		if ours[i].Code != p[0] {
			t.Fatalf("column %d: ours %s (%s), published %s (%s)", i, ours[i].Code, ours[i].Name, p[0], p[1])
		}
		switch p[2] {
		case "country":
			if !strings.HasPrefix(row[i], "eba_GA:") {
				t.Errorf("%s is a country column; value %q", p[0], row[i])
			}
		case "currency":
			if !strings.HasPrefix(row[i], "eba_CU:") {
				t.Errorf("%s is a currency column; value %q", p[0], row[i])
			}
		}
		if p[3] == "Yes" && row[i] == "" && !slices.Contains([]string{"c0030", "c0040"}, p[0]) {
			t.Errorf("%s is mandatory and empty in a complete register", p[0])
		}
	}
}
