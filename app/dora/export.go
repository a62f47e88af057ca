package dora

import (
	"archive/zip"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"
)

// Report is the validation report: every issue, and per template its rows
// and issues.
type Report struct {
	Valid     bool              `json:"valid"`
	Date      string            `json:"date" description:"the reporting date (B_01.01 c0060)"`
	Templates []TemplateSummary `json:"templates"`
	Issues    []Issue           `json:"issues"`
}

// TemplateSummary counts a template's rows and issues.
type TemplateSummary struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Rows   int    `json:"rows"`
	Issues int    `json:"issues"`
}

// Report summarises the register's issues.
func (r *Register) Report() Report {
	out := Report{Valid: r.Valid(), Date: r.Date, Issues: r.Issues}
	if out.Issues == nil {
		out.Issues = []Issue{}
	}
	for _, t := range r.Tables {
		s := TemplateSummary{Code: t.Template.Code, Name: t.Template.Name, Rows: len(t.Rows)}
		for _, i := range r.Issues {
			if i.Template == t.Template.Code {
				s.Issues++
			}
		}
		out.Templates = append(out.Templates, s)
	}
	return out
}

// FileName is the CSV file of template code in the package's reports
// folder ("b_05.01.csv").
func FileName(code string) string {
	return "b_" + code[2:] + ".csv"
}

// The xBRL-CSV report package of the EBA's DORA taxonomy (reporting
// framework 4.0, module dora), as the sources in docs/dora.md show it.
const (
	// ModuleEntryPoint is the module's entry point, which report.json extends.
	ModuleEntryPoint = "http://www.eba.europa.eu/eu/fr/xbrl/crr/fws/dora/4.0/mod/dora.json"
	// CSVDocumentType is report.json's documentType (xBRL-CSV 1.0).
	CSVDocumentType = "https://xbrl.org/2021/xbrl-csv"
	// PackageDocumentType is META-INF/reportPackage.json's documentType.
	PackageDocumentType = "https://xbrl.org/report-package/2023"
	// ModuleCode names the module and its version in the package's name.
	ModuleCode = "DORA010100"
	// ValidationReportName is the report written beside the package when
	// the register has issues.
	ValidationReportName = "validation-report.json"
)

// PackageName is the package's folder and, with ".zip", its file name:
// <LEI>.CON_<country>_DORA010100_DORA_<reference date>_<timestamp>. The
// register is our entity's alone, reported at its consolidated level.
// Without a valid LEI and country the name cannot follow the convention
// and says it is a draft.
func (r *Register) PackageName(now time.Time) string {
	ts := strings.ReplaceAll(now.UTC().Format("20060102150405.000"), ".", "")
	if CheckLEI(r.LEI) == nil && ValidCountry(r.Country) {
		return r.LEI + ".CON_" + r.Country + "_" + ModuleCode + "_DORA_" + r.RefPeriod + "_" + ts
	}
	return "DRAFT_" + ModuleCode + "_DORA_" + r.RefPeriod + "_" + ts
}

// Parameters are parameters.csv's rows: the reporting entity, the
// reference date, the base currency and the decimals of integers and
// amounts.
func (r *Register) Parameters() [][]string {
	cur := r.Currency
	if !ValidCurrency(cur) {
		cur = "EUR"
	}
	entity := "rs:" + r.LEI + ".CON"
	return [][]string{{"entityID", entity}, {"refPeriod", r.RefPeriod}, {"baseCurrency", "iso4217:" + cur},
		{"decimalsInteger", "0"}, {"decimalsMonetary", "-3"}}
}

// FilingIndicators are FilingIndicators.csv's rows: every template, and
// whether it is reported (it has rows).
func (r *Register) FilingIndicators() [][]string {
	out := make([][]string, 0, len(r.Tables))
	for _, t := range r.Tables {
		out = append(out, []string{t.Template.Code, strconv.FormatBool(len(t.Rows) > 0)})
	}
	return out
}

// WriteZIP writes the register as an xBRL-CSV report package: one folder
// named by PackageName holding META-INF/reportPackage.json and reports/
// (report.json, parameters.csv, FilingIndicators.csv and one CSV per
// template, the column codes as the header). A register with issues also
// gets validation-report.json beside that folder, outside the package, so
// the draft says what is missing without a portal mistaking it for data.
func (r *Register) WriteZIP(w io.Writer, now time.Time) error {
	z := zip.NewWriter(w)
	root := r.PackageName(now) + "/"
	create := func(name string) (io.Writer, error) {
		return z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: now.UTC()})
	}
	writeJSON := func(name string, v any) error {
		f, err := create(name)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(f)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	writeCSV := func(name string, header []string, rows [][]string) error {
		f, err := create(name)
		if err != nil {
			return err
		}
		cw := csv.NewWriter(f)
		// The EBA's sample package ends its lines with CRLF.
		cw.UseCRLF = true
		if err := cw.Write(header); err != nil {
			return err
		}
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
		return cw.Error()
	}
	type documentInfo struct {
		DocumentType string   `json:"documentType"`
		Extends      []string `json:"extends,omitempty"`
	}
	type document struct {
		DocumentInfo documentInfo `json:"documentInfo"`
	}
	if err := writeJSON(root+"META-INF/reportPackage.json", document{documentInfo{DocumentType: PackageDocumentType}}); err != nil {
		return err
	}
	reports := root + "reports/"
	if err := writeJSON(reports+"report.json", document{documentInfo{DocumentType: CSVDocumentType, Extends: []string{ModuleEntryPoint}}}); err != nil {
		return err
	}
	if err := writeCSV(reports+"parameters.csv", []string{"name", "value"}, r.Parameters()); err != nil {
		return err
	}
	if err := writeCSV(reports+"FilingIndicators.csv", []string{"templateID", "reported"}, r.FilingIndicators()); err != nil {
		return err
	}
	for _, t := range r.Tables {
		header := make([]string, len(t.Template.Columns))
		for i, c := range t.Template.Columns {
			header[i] = c.Code
		}
		if err := writeCSV(reports+FileName(t.Template.Code), header, t.Rows); err != nil {
			return err
		}
	}
	if !r.Valid() {
		if err := writeJSON(ValidationReportName, r.Report()); err != nil {
			return err
		}
	}
	return z.Close()
}

// InvalidError refuses an export whose register has issues.
type InvalidError struct {
	Report Report
}

func (e *InvalidError) Error() string { return "the register has issues" }
