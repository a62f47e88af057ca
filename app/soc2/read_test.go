package soc2

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestUnreadable(t *testing.T) {
	de := strings.Repeat("Wir haben die Beschreibung des Systems der Gesellschaft und die Eignung der Kontrollen geprüft, die in der Beschreibung dargestellt sind. ", 5)
	zh := strings.Repeat("我们审查了服务机构系统的描述 以及控制设计的适当性 ", 10) + strings.Repeat("控制 ", 40)
	for text, want := range map[string]string{de: "German", zh: "not written in English", "SOC 2 report.": "too little text", "": "too little text"} {
		r := Read(text, nil)
		if !strings.Contains(r.Unreadable, want) {
			t.Errorf("%.20q: unreadable %q, want %q", text, r.Unreadable, want)
		}
		if r.Kind != "" || r.Auditor.Found || r.Period.Found || r.CUECs.Found || len(r.CUECs.Items) != 0 || r.Auditor.Evidence == nil {
			t.Errorf("%.20q: an unreadable text has answers: %+v", text, r)
		}
	}
}

// A report's answers all point at its text, whatever the line endings
// and characters before them.
func TestOffsetsAfterWideCharactersAndCRLF(t *testing.T) {
	text := "Rapport 🛡️ “SOC 2” Type II – Zürich AG\r\n\r\n" +
		"Independent Service Auditor’s Report\r\n\r\n" +
		"We have examined Zürich AG’s description of its Ledger Service throughout the period January 1, 2025 to\r\n" +
		"December 31, 2025 based on the trust services criteria relevant to security.\r\n\r\n" +
		"In our opinion, in all material respects, the controls operated effectively throughout the period.\r\n\r\n" +
		"Kühn & Partner LLP\r\nBern\r\nMarch 1, 2026\r\n"
	r := Read(text, nil)
	checkShape(t, "crlf", text, nil, r)
	if !r.Period.Found || r.Period.Normalized["to"] != "2025-12-31" {
		t.Errorf("period %+v", r.Period)
	}
	if r.Auditor.Value != "Kühn & Partner LLP" {
		t.Errorf("auditor %q", r.Auditor.Value)
	}
	if r.System.Value != "Ledger Service" {
		t.Errorf("system %q", r.System.Value)
	}
	if r.Opinion.Value != Unqualified || !strings.HasPrefix(r.Opinion.Evidence[0].Quote, "In our opinion") {
		t.Errorf("opinion %+v", r.Opinion)
	}
}

// "No exceptions noted" in any spelling is not an exception; a
// management response that names an exception is not one either.
func TestNoExceptionsNotedIsNone(t *testing.T) {
	text := "SOC 2 Type II report. Independent Service Auditor's Report. In our opinion the controls operated effectively.\n\n" +
		"Tests of Operating Effectiveness\n\n" +
		"CC6.1 | MFA | Inspected. | No exceptions noted.\n" +
		"CC6.2 | Access | Inspected. | No deviations were noted.\n" +
		"CC6.3 | Review | Inspected. | Exceptions noted: None\n" +
		"CC7.1 | Scans | Inspected. | Exception noted. 1 of 12 weekly scans was not run.\n\n" +
		"Management's response to the exception noted at CC7.1: the scanner was replaced.\n"
	r := Read(text, nil)
	checkShape(t, "noexc", text, nil, r)
	if !r.Exceptions.Found || len(r.Exceptions.Items) != 1 {
		t.Fatalf("exceptions %+v", r.Exceptions)
	}
	if x := r.Exceptions.Items[0]; x.Control != "CC7.1" || !strings.Contains(x.Wording, "1 of 12 weekly scans") {
		t.Errorf("exception %+v", x)
	}
}

// Not found is said, not left to a zero value: every field is in the
// JSON with found false and an empty evidence list.
func TestNotFoundIsExplicit(t *testing.T) {
	text := strings.Repeat("This policy applies to all employees and contractors of the company and is reviewed each year. ", 3)
	r := Read(text, nil)
	if r.Kind != KindNotAReport {
		t.Fatalf("kind %q", r.Kind)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"auditor", "report_type", "period", "opinion", "system", "services", "categories"} {
		f, ok := m[k].(map[string]any)
		if !ok || f["found"] != false || f["evidence"] == nil {
			t.Errorf("%s: %v", k, m[k])
		}
	}
	for _, k := range []string{"subservice", "cuecs", "exceptions"} {
		l, ok := m[k].(map[string]any)
		if !ok || l["found"] != false || l["items"] == nil {
			t.Errorf("%s: %v", k, m[k])
		}
	}
}

func FuzzRead(f *testing.F) {
	// short pieces of each layout: the fuzzer mutates and minimizes
	// small inputs far faster than whole reports
	for _, fx := range loadFixtures(f) {
		r := []rune(fx.text)
		for at := 0; at < len(r); at += 1500 {
			f.Add(string(r[at:min(len(r), at+1500)]))
		}
	}
	f.Add("In our opinion\n\nComplementary User Entity Controls\n1.\n-\nCC1.1 | Exception noted")
	f.Add("period January 1, 2025 to February 30, 2025 as of 13/45/2025 \r\r\n\f\f")
	f.Fuzz(func(t *testing.T, text string) {
		r := Read(text, nil)
		runes := []rune(text)
		all := []Evidence{}
		for _, fl := range []Field{r.Auditor, r.ReportType, r.Period, r.Opinion, r.System, r.Services, r.Categories} {
			all = append(all, fl.Evidence...)
		}
		for _, s := range r.Subservice.Items {
			all = append(all, s.Evidence...)
		}
		for _, c := range r.CUECs.Items {
			all = append(all, c.Evidence)
		}
		for _, x := range r.Exceptions.Items {
			all = append(all, x.Evidence)
		}
		for _, e := range all {
			if e.Start < 0 || e.End > len(runes) || e.Start > e.End || string(runes[e.Start:e.End]) != e.Quote {
				t.Fatalf("evidence %+v does not quote the text", e)
			}
		}
	})
}

// The firm is read from the line that signs the report, whatever its
// legal form; a client's name above the opinion is not taken for it.
func TestAuditorSignatures(t *testing.T) {
	for _, firm := range []string{"Schellman & Company, LLC", "Deloitte & Touche LLP", "Moss Adams LLP", "Prescient Assurance LLC",
		"A-LIGN Assurance", "Whitley Penn, P.C.", "Baker Tilly US, LLP", "Hargreave Lyle Chartered Accountants"} {
		text := "NORTHWIND SYSTEMS LLC\n\nSOC 2 Type II Report\n\nIndependent Service Auditor's Report\n\n" +
			"We have examined Northwind's description of its Billing Platform throughout the period January 1, 2025 to December 31, 2025.\n\n" +
			"In our opinion, in all material respects, the controls operated effectively throughout the period.\n\n" +
			"/s/ " + firm + "\nDallas, Texas\nMarch 3, 2026\n"
		r := Read(text, nil)
		if r.Auditor.Value != firm {
			t.Errorf("%s: auditor %q", firm, r.Auditor.Value)
		}
	}
}
