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

// Sheet is one table: its name and rows (ragged rows are padded). Rows
// keep a spreadsheet's numbering: Rows[i] is the row a person sees as
// i+1, blank rows included, so that a report can name the cell.
type Sheet struct {
	Name   string
	Hidden bool
	Rows   [][]string
	// Lists are the drop-down choices that cells offer (an XLSX's data
	// validation lists), which published questionnaires use to define
	// each answer's choices.
	Lists []List
	// Problem says why the sheet could not be read; it then has no rows.
	// One unreadable sheet does not stop the others being read.
	Problem string
}

// List is one drop-down: the cells it applies to and its values.
type List struct {
	Ranges []Range
	Values []string
}

// Range is a rectangle of cells, 0-based and inclusive.
type Range struct{ FromRow, FromCol, ToRow, ToCol int }

// ListAt returns the drop-down values offered at a cell (0-based), or nil.
func (s *Sheet) ListAt(row, col int) []string {
	for _, l := range s.Lists {
		for _, r := range l.Ranges {
			if row >= r.FromRow && row <= r.ToRow && col >= r.FromCol && col <= r.ToCol {
				return l.Values
			}
		}
	}
	return nil
}

// CellName names a cell (0-based) the way a spreadsheet shows it: "C14".
func CellName(row, col int) string {
	n, err := excelize.CoordinatesToCellName(col+1, row+1)
	if err != nil {
		return fmt.Sprintf("row %d", row+1)
	}
	return n
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
	records := 0
	nextLine := 1 // the line where the next record would start after no blank lines
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
		// encoding/csv skips blank lines; keep each as an empty row, as a
		// spreadsheet shows it, so that row numbers match. A quoted cell's
		// line breaks are inside one record and add no row.
		line, _ := r.FieldPos(0)
		for blanks := line - nextLine; blanks > 0 && len(rows) < 2*MaxRows; blanks-- {
			rows = append(rows, nil)
		}
		if records++; records > MaxRows {
			return nil, fmt.Errorf("the file has more than %d records; split it", MaxRows)
		}
		if len(rec) > MaxColumns {
			return nil, fmt.Errorf("record %d (line %d) has more than %d columns", records, line, MaxColumns)
		}
		rows = append(rows, rec)
		nextLine = 1 + bytes.Count(data[:r.InputOffset()], []byte("\n"))
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

// maxGap is the most blank rows kept between two rows with data; a
// workbook whose used range runs to row 1,048,576 because of one
// formatted empty row at the bottom is read as its data, not its range.
const maxGap = 1000

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
		s := Sheet{Name: name, Hidden: !visible}
		rows, err := readRows(f, name)
		if err != nil {
			s.Problem = err.Error()
		}
		s.Rows = pad(rows)
		out = append(out, s)
	}
	names := definedNames(f)
	for i := range out {
		out[i].Lists = lists(f, out, out[i].Name, names)
	}
	return out, nil
}

// readRows reads a sheet's rows up to its last row with data. Blank rows
// inside the data are kept (up to maxGap in a row); the limit counts rows
// with data.
func readRows(f *excelize.File, name string) ([][]string, error) {
	rows, err := f.Rows(name)
	if err != nil {
		return nil, fmt.Errorf("sheet %q: %s", name, plainError(err))
	}
	defer rows.Close()
	var table [][]string
	filled, gap := 0, 0
	for rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			return nil, fmt.Errorf("sheet %q: %s", name, plainError(err))
		}
		if blankRow(cols) {
			gap++
			continue
		}
		if len(table) > 0 && gap > maxGap {
			return table, fmt.Errorf("sheet %q has %d empty rows before row %d; only the rows above were read", name, gap, len(table)+gap+1)
		}
		for ; gap > 0; gap-- {
			table = append(table, nil)
		}
		if filled++; filled > MaxRows {
			return nil, fmt.Errorf("sheet %q has more than %d rows with data; split it", name, MaxRows)
		}
		if len(cols) > MaxColumns {
			cols = cols[:MaxColumns]
		}
		table = append(table, cols)
	}
	return table, nil
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func definedNames(f *excelize.File) map[string]string {
	out := map[string]string{}
	for _, d := range f.GetDefinedName() {
		out[strings.ToLower(d.Name)] = strings.TrimPrefix(d.RefersTo, "=")
	}
	return out
}

// lists reads a sheet's drop-down lists: literal ("Yes,No,N/A"), a range
// of cells on any sheet (Lists!$A$1:$A$3), or a defined name for one.
func lists(f *excelize.File, sheets []Sheet, name string, names map[string]string) []List {
	dvs, err := f.GetDataValidations(name)
	if err != nil {
		return nil
	}
	var out []List
	for _, dv := range dvs {
		if dv.Type != "list" {
			continue
		}
		ranges := parseRanges(dv.Sqref)
		values := listValues(strings.TrimPrefix(strings.TrimSpace(dv.Formula1), "="), name, sheets, names, 0)
		if len(ranges) > 0 && len(values) > 0 {
			out = append(out, List{Ranges: ranges, Values: values})
		}
	}
	return out
}

func listValues(formula, here string, sheets []Sheet, names map[string]string, depth int) []string {
	if strings.HasPrefix(formula, `"`) {
		var out []string
		for _, v := range strings.Split(strings.Trim(formula, `"`), ",") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	if ref, ok := names[strings.ToLower(formula)]; ok && depth < 3 {
		return listValues(ref, here, sheets, names, depth+1)
	}
	sheetName, cells := here, formula
	if i := strings.LastIndex(formula, "!"); i >= 0 {
		sheetName, cells = strings.Trim(formula[:i], "'"), formula[i+1:]
	}
	rs := parseRanges(strings.ReplaceAll(cells, "$", ""))
	if len(rs) != 1 {
		return nil
	}
	for _, s := range sheets {
		if s.Name != sheetName {
			continue
		}
		var out []string
		r := rs[0]
		for row := r.FromRow; row <= r.ToRow && row < len(s.Rows) && len(out) < 500; row++ {
			for col := r.FromCol; col <= r.ToCol && col < len(s.Rows[row]); col++ {
				if v := strings.TrimSpace(s.Rows[row][col]); v != "" {
					out = append(out, v)
				}
			}
		}
		return out
	}
	return nil
}

// parseRanges reads a space-separated list of cells and ranges ("C5:C90 E5").
func parseRanges(sqref string) []Range {
	var out []Range
	for _, part := range strings.Fields(sqref) {
		from, to, _ := strings.Cut(part, ":")
		if to == "" {
			to = from
		}
		c1, r1, err1 := excelize.CellNameToCoordinates(from)
		c2, r2, err2 := excelize.CellNameToCoordinates(to)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, Range{FromRow: min(r1, r2) - 1, FromCol: min(c1, c2) - 1, ToRow: max(r1, r2) - 1, ToCol: max(c1, c2) - 1})
	}
	return out
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
		switch {
		case s.Hidden:
		case s.Problem != "" && len(s.Rows) == 0:
			return Sheet{}, errors.New(s.Problem)
		case len(s.Rows) > 0:
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

// NextSheet finishes the current sheet and starts another.
func (x *XLSXWriter) NextSheet(name string) error {
	if err := x.sw.Flush(); err != nil {
		return err
	}
	if _, err := x.f.NewSheet(name); err != nil {
		return err
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	x.sw, x.row = sw, 0
	return nil
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
