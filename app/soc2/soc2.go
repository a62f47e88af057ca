// Package soc2 reads a SOC 2 or SOC 1 report (the service auditor's
// report on a service organization's controls) from its plain text: who
// audited, which report it is, the period, the opinion, the system, the
// trust services categories, the subservice organizations, the
// complementary user entity controls and the exceptions the auditor
// found. Every answer carries the exact quotes that support it, with
// code point offsets and pages, so a reviewer checks it against the
// report instead of trusting it. It reads the text app/doctext makes of a
// PDF or .docx; it never panics on any input.
package soc2

import (
	"rampart/app/textlang"
)

// Kinds of document.
const (
	KindReport       = "report"        // a service auditor's SOC 1 or SOC 2 report
	KindBridgeLetter = "bridge_letter" // management's letter covering the gap after a report's period
	KindNotAReport   = "not_a_report"  // English text that is neither
)

// Opinions, as the AICPA names them.
const (
	Unqualified = "unqualified"
	Qualified   = "qualified"
	Adverse     = "adverse"
	Disclaimer  = "disclaimer"
)

// Subservice organization methods.
const (
	CarveOut  = "carve-out"
	Inclusive = "inclusive"
)

// Categories lists the trust services categories in the AICPA's order,
// as Report.Categories names them.
var Categories = []string{"security", "availability", "processing_integrity", "confidentiality", "privacy"}

// Evidence is an exact quote of the text: Start and End are code point
// offsets into the text given to Read (End exclusive), Page is 1-based
// when the text has pages. The shape is the one contract terms use.
type Evidence struct {
	Quote string `json:"quote"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Page  int    `json:"page,omitempty"`
}

// Field is one answer. When Found is false, Value and Normalized are
// empty: the report was read and the answer is not in it.
type Field struct {
	Found bool   `json:"found"`
	Value string `json:"value"`
	// Normalized is machine-readable: {"framework": "SOC 2", "type":
	// "Type II"}, {"from": "2025-01-01", "to": "2025-12-31"} or {"as_of":
	// ...}, {"opinion": "qualified"}, {"categories": [...]}.
	Normalized map[string]any `json:"normalized,omitempty"`
	Evidence   []Evidence     `json:"evidence"`
}

// Subservice is a subservice organization (a fourth party) and how the
// report treats its controls: carved out (not examined; the user entity
// needs that organization's own report) or inclusive (examined here).
// Method is "" when the report does not say.
type Subservice struct {
	Name     string     `json:"name"`
	Method   string     `json:"method"`
	Evidence []Evidence `json:"evidence"`
}

// CUEC is a complementary user entity control: something the report
// assumes the customer does.
type CUEC struct {
	Text     string   `json:"text"`
	Evidence Evidence `json:"evidence"`
}

// Exception is a deviation the auditor found when testing a control.
type Exception struct {
	// Control is the control's identifier as the report writes it
	// ("CC6.2", "1.2"), "" when none could be read.
	Control string `json:"control"`
	// Wording is the auditor's words from "Exception noted" on.
	Wording  string   `json:"wording"`
	Evidence Evidence `json:"evidence"`
}

// List is a list answer. Found says the report speaks of the subject (a
// CUEC section, test results); Found with no Items is "none", not "not
// found". A Type I report's exceptions are not found unless it lists
// some: it tests no operating effectiveness.
type List[T any] struct {
	Found bool `json:"found"`
	Items []T  `json:"items"`
}

// Report is what Read proposes.
type Report struct {
	// Unreadable says why the text was not read (too little text, not
	// English); every field is then not found.
	Unreadable string `json:"unreadable,omitempty"`
	// Kind is KindReport, KindBridgeLetter or KindNotAReport ("" when
	// unreadable). A bridge letter has only a Period: the gap it covers.
	Kind       string           `json:"kind"`
	Auditor    Field            `json:"auditor"`
	ReportType Field            `json:"report_type"`
	Period     Field            `json:"period"`
	Opinion    Field            `json:"opinion"`
	System     Field            `json:"system"`
	Services   Field            `json:"services"`
	Categories Field            `json:"categories"`
	Subservice List[Subservice] `json:"subservice"`
	CUECs      List[CUEC]       `json:"cuecs"`
	Exceptions List[Exception]  `json:"exceptions"`
}

// Read reads a report's plain text. pageStarts[i] is the code point
// offset where page i+1 starts (nil when the format has no pages), as
// app/doctext gives it.
func Read(text string, pageStarts []int) Report {
	r := Report{}
	r.empty()
	switch p, lang := textlang.Check(text); p {
	case textlang.TooShort:
		r.Unreadable = "the document has too little text to read a SOC report from"
		return r
	case textlang.NotLatin:
		r.Unreadable = "the document is not written in English (Rampart reads SOC reports in English); nothing was proposed"
		return r
	case textlang.OtherLanguage:
		r.Unreadable = "the document seems to be in " + lang + " (Rampart reads SOC reports in English); nothing was proposed"
		return r
	}
	v := newView(text, pageStarts)
	r.Kind = v.kind()
	switch r.Kind {
	case KindBridgeLetter:
		r.Period = v.period(true, false)
	case KindReport:
		r.ReportType = v.reportType()
		typeI := r.ReportType.Found && r.ReportType.Normalized["type"] == "Type I"
		r.Period = v.period(false, typeI)
		op, opEnd := v.opinion()
		r.Opinion = op
		r.Auditor = v.auditor(opEnd)
		r.System = v.system()
		r.Services = v.services()
		if !r.ReportType.Found || r.ReportType.Normalized["framework"] != "SOC 1" {
			r.Categories = v.categories()
		}
		r.Subservice = v.subservice()
		r.CUECs = v.cuecs()
		r.Exceptions = v.exceptions()
		if typeI && len(r.Exceptions.Items) == 0 {
			// a Type I tests no operating effectiveness: its "no
			// exceptions" would claim tests that were never run
			r.Exceptions.Found = false
		}
	}
	return r
}

// empty makes every answer explicitly not found, with empty (not nil)
// lists, so the JSON always has the same shape.
func (r *Report) empty() {
	for _, f := range []*Field{&r.Auditor, &r.ReportType, &r.Period, &r.Opinion, &r.System, &r.Services, &r.Categories} {
		*f = Field{Evidence: []Evidence{}}
	}
	r.Subservice.Items = []Subservice{}
	r.CUECs.Items = []CUEC{}
	r.Exceptions.Items = []Exception{}
}
