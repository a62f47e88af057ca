// Package sheet reads the tables people upload, CSV or XLSX, into rows of
// strings, and writes them back out. The type comes from the file's
// content, never its name, and unpacking is bounded so a crafted file
// cannot exhaust memory or disk.
package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Limits on what is read.
const (
	MaxRows    = 20000
	MaxColumns = 200
	// maxUnzipped bounds the expanded size of an XLSX (a zip).
	maxUnzipped = 64 << 20
)

// Format is a file format this package reads.
type Format string

const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// Sheet is one table: its name and rows (ragged rows are padded).
type Sheet struct {
	Name   string
	Hidden bool
	Rows   [][]string
}

// ErrFormat means the content is neither CSV text nor an XLSX workbook.
var ErrFormat = errors.New("the file is neither a CSV file nor an Excel workbook (.xlsx)")

// Detect tells the format from the first bytes.
func Detect(data []byte) (Format, error) {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return XLSX, nil
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return "", errors.New("old Excel files (.xls) are not supported; save the file as .xlsx or CSV")
	case bytes.HasPrefix(data, []byte("%PDF")):
		return "", ErrFormat
	}
	sample := data
	if len(sample) > 4096 {
		sample = sample[:4096]
		for len(sample) > 0 && !utf8.Valid(sample) { // a cut in the middle of a character
			sample = sample[:len(sample)-1]
		}
	}
	if !utf8.Valid(sample) || bytes.IndexByte(sample, 0) >= 0 {
		return "", errors.New("the file is not UTF-8 text nor an Excel workbook; export the sheet as CSV (UTF-8) or .xlsx")
	}
	return CSV, nil
}

// Read parses data as CSV or XLSX and returns every sheet (one for CSV).
func Read(data []byte) ([]Sheet, error) {
	f, err := Detect(data)
	if err != nil {
		return nil, err
	}
	if f == XLSX {
		return readXLSX(data)
	}
	rows, err := readCSV(data)
	if err != nil {
		return nil, err
	}
	return []Sheet{{Name: "CSV", Rows: rows}}, nil
}

func readCSV(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sniffDelimiter(data)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var rows [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("CSV line %d: %v", pe.Line, pe.Err)
			}
			return nil, err
		}
		// Keep blank lines as empty rows so that row numbers match what a
		// spreadsheet shows (encoding/csv skips them).
		if line, _ := r.FieldPos(0); line-1 > len(rows) && line-1 <= MaxRows {
			for len(rows) < line-1 {
				rows = append(rows, nil)
			}
		}
		if len(rows) >= MaxRows {
			return nil, fmt.Errorf("the file has more than %d rows; split it", MaxRows)
		}
		if len(rec) > MaxColumns {
			return nil, fmt.Errorf("row %d has more than %d columns", len(rows)+1, MaxColumns)
		}
		rows = append(rows, rec)
	}
	return pad(rows), nil
}

// sniffDelimiter picks comma, semicolon or tab from the first line that
// has any of them, as spreadsheets in many locales export with semicolons
// and a title line ("Our answers") often comes first.
func sniffDelimiter(data []byte) rune {
	rest := data
	for i := 0; i < 50 && len(rest) > 0; i++ {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		best, count := ',', bytes.Count(line, []byte(","))
		for _, d := range []rune{';', '\t'} {
			if n := bytes.Count(line, []byte(string(d))); n > count {
				best, count = d, n
			}
		}
		if count > 0 {
			return best
		}
	}
	return ','
}

func readXLSX(data []byte) ([]Sheet, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		if strings.Contains(err.Error(), "size limit") {
			return nil, errors.New("the workbook expands to more than 64 MB; it is refused")
		}
		return nil, errors.New("the workbook could not be read: " + plainError(err))
	}
	defer f.Close()
	var out []Sheet
	for _, name := range f.GetSheetList() {
		visible, _ := f.GetSheetVisible(name)
		rows, err := f.Rows(name)
		if err != nil {
			return nil, fmt.Errorf("sheet %q: %s", name, plainError(err))
		}
		var table [][]string
		for rows.Next() {
			if len(table) >= MaxRows {
				_ = rows.Close()
				return nil, fmt.Errorf("sheet %q has more than %d rows; split it", name, MaxRows)
			}
			cols, err := rows.Columns()
			if err != nil {
				_ = rows.Close()
				return nil, fmt.Errorf("sheet %q: %s", name, plainError(err))
			}
			if len(cols) > MaxColumns {
				cols = cols[:MaxColumns]
			}
			table = append(table, cols)
		}
		_ = rows.Close()
		out = append(out, Sheet{Name: name, Hidden: !visible, Rows: pad(table)})
	}
	return out, nil
}

// plainError keeps a library's message but drops file-system paths.
func plainError(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "/"); i >= 0 && strings.Contains(msg[i:], "tmp") {
		return msg[:i]
	}
	return msg
}

func pad(rows [][]string) [][]string {
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	for i, r := range rows {
		for len(r) < width {
			r = append(r, "")
		}
		rows[i] = r
	}
	return rows
}

// First returns the first visible sheet with any rows.
func First(sheets []Sheet) (Sheet, error) {
	for _, s := range sheets {
		if !s.Hidden && len(s.Rows) > 0 {
			return s, nil
		}
	}
	return Sheet{}, errors.New("the file has no rows")
}

// WriteCSV writes rows as CSV, defusing cells that a spreadsheet would run
// as formulas.
func WriteCSV(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	for _, r := range rows {
		if err := cw.Write(Defuse(r)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Defuse prefixes with an apostrophe each cell that starts like a formula
// (= + - @, tab, carriage return): CSV injection.
func Defuse(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			c = "'" + c
		}
		out[i] = c
	}
	return out
}

// XLSXWriter streams rows into a one-sheet workbook.
type XLSXWriter struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	row int
}

// NewXLSX starts a workbook with one sheet of the given name.
func NewXLSX(sheetName string) (*XLSXWriter, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheetName); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheetName)
	if err != nil {
		return nil, err
	}
	return &XLSXWriter{f: f, sw: sw}, nil
}

// Write adds one row. Cells are written as text, so nothing is evaluated.
func (x *XLSXWriter) Write(cells []any) error {
	x.row++
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, cells)
}

// Finish writes the workbook to w.
func (x *XLSXWriter) Finish(w io.Writer) error {
	if err := x.sw.Flush(); err != nil {
		return err
	}
	defer x.f.Close()
	_, err := x.f.WriteTo(w)
	return err
}
