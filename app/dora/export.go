package dora

import (
	"archive/zip"
	"encoding/csv"
	"encoding/json"
	"io"
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

// FileName is the CSV file of template code in the ZIP ("b_05.01.csv").
func FileName(code string) string {
	return "b_" + code[2:] + ".csv"
}

// WriteZIP writes the register: one CSV per template (the column codes as
// the header, then the rows) and validation-report.json.
func (r *Register) WriteZIP(w io.Writer, now time.Time) error {
	z := zip.NewWriter(w)
	for _, t := range r.Tables {
		f, err := z.CreateHeader(&zip.FileHeader{Name: FileName(t.Template.Code), Method: zip.Deflate, Modified: now.UTC()})
		if err != nil {
			return err
		}
		cw := csv.NewWriter(f)
		header := make([]string, len(t.Template.Columns))
		for i, c := range t.Template.Columns {
			header[i] = c.Code
		}
		if err := cw.Write(header); err != nil {
			return err
		}
		if err := cw.WriteAll(t.Rows); err != nil {
			return err
		}
	}
	f, err := z.CreateHeader(&zip.FileHeader{Name: "validation-report.json", Method: zip.Deflate, Modified: now.UTC()})
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r.Report()); err != nil {
		return err
	}
	return z.Close()
}

// InvalidError refuses an export whose register has issues.
type InvalidError struct {
	Report Report
}

func (e *InvalidError) Error() string { return "the register has issues" }
