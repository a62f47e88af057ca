package offboarding

import (
	"testing"
	"time"

	"rampart/models"
)

func day(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

// TestDataReturnDue: the term's duration counts from the contract's
// current term end, else from the offboarding's start.
func TestDataReturnDue(t *testing.T) {
	start := day("2026-12-04") // a Friday
	for _, tc := range []struct {
		d        map[string]float64
		c        models.Contract
		due, why string
	}{
		{map[string]float64{"days": 30}, models.Contract{CurrentTermEnd: "2027-01-31"}, "2027-03-02", "30 days after the contract's end (2027-01-31)"},
		{map[string]float64{"days": 30}, models.Contract{}, "2027-01-03", "30 days after the offboarding's start"},
		{map[string]float64{"business_days": 3}, models.Contract{}, "2026-12-09", "3 business days after the offboarding's start"},
		{map[string]float64{"hours": 72}, models.Contract{}, "2026-12-07", "72 hours after the offboarding's start"},
		{map[string]float64{"months": 1}, models.Contract{EndDate: "2027-01-31"}, "2027-02-28", "1 month after the contract's end (2027-01-31)"},
		{map[string]float64{"weeks": 2}, models.Contract{}, "2026-12-18", "2 weeks after the offboarding's start"},
		{map[string]float64{"years": 1}, models.Contract{CurrentTermEnd: "2028-02-29"}, "2029-02-28", "1 year after the contract's end (2028-02-29)"},
	} {
		due, why := DataReturnDue(tc.d, tc.c, start.Add(15*time.Hour))
		if due != tc.due || why != tc.why {
			t.Errorf("%v %+v: %s (%s), want %s (%s)", tc.d, tc.c, due, why, tc.due, tc.why)
		}
	}
}

// TestPlanSkipsUnconfirmedAndEndedContracts: a proposed term dates
// nothing (one generic data return, flagged), and an expired contract
// needs no exit step.
func TestPlanSkipsUnconfirmedAndEndedContracts(t *testing.T) {
	a := models.Contract{Title: "A", Status: "signed", CancelBy: "2027-01-01"}
	a.ID = "a"
	b := models.Contract{Title: "B", Status: "expired"}
	b.ID = "b"
	items := Plan(Source{Vendor: models.Vendor{IntegrationMethods: models.StringList{"none"}}, Contracts: []models.Contract{a, b},
		Terms: map[string][]models.ContractTerm{"a": {{TermKey: "data_return_deletion", Found: true, Normalized: `{"days":30}`, ReviewState: "proposed"}}},
		Start: day("2026-12-04")})
	var kinds []string
	for _, it := range items {
		kinds = append(kinds, it.Kind)
	}
	want := []string{KindRevokeAccess, KindDataReturn, KindDestruction, KindContractExit, KindCloseFindings, KindSignOff}
	if len(kinds) != len(want) {
		t.Fatalf("kinds %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("kinds %v, want %v", kinds, want)
		}
	}
	if items[1].Flag != FlagNoConfirmedTerm || items[3].DueOn != "2027-01-01" || *items[3].ContractID != "a" {
		t.Fatalf("items: %+v", items)
	}
}
