package sheet

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestReadCSVVariants(t *testing.T) {
	for name, c := range map[string]struct {
		in   string
		rows int
		cell string
	}{
		"comma":        {"name,website\nAcme,acme.test\n", 2, "acme.test"},
		"semicolon":    {"name;website\nAcme;acme.test\n", 2, "acme.test"},
		"title line":   {"Our answers\nname;website\nAcme;acme.test\n", 3, "website"},
		"bom and CRLF": {"\xEF\xBB\xBFname,website\r\nAcme,acme.test\r\n", 2, "acme.test"},
		"multi-line":   {"name,website\n\"Acme\nCloud\",acme.test\n", 2, "acme.test"},
		"ragged rows":  {"name,website,x\nAcme\n", 2, ""},
		"stray quote":  {"name,website\nAc\"me,acme.test\n", 2, "acme.test"},
	} {
		sheets, err := Read([]byte(c.in))
		if err != nil || len(sheets) != 1 || len(sheets[0].Rows) != c.rows || sheets[0].Rows[1][1] != c.cell {
			t.Errorf("%s: %+v %v", name, sheets, err)
		}
	}
	if s, _ := Read([]byte("a,b\n\"x\ny\",z\n")); s[0].Rows[1][0] != "x\ny" {
		t.Errorf("multi-line cell: %q", s[0].Rows[1][0])
	}
}

func TestReadXLSXWithHiddenSheets(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Instructions"})
	idx, _ := f.NewSheet("Data")
	f.SetActiveSheet(idx)
	f.SetSheetRow("Data", "A1", &[]any{"name", "spend"})
	f.SetSheetRow("Data", "A2", &[]any{"Acme", 1200})
	f.SetSheetVisible("Sheet1", false)
	var buf bytes.Buffer
	f.Write(&buf)
	sheets, err := Read(buf.Bytes())
	if err != nil || len(sheets) != 2 || !sheets[0].Hidden {
		t.Fatalf("sheets %+v %v", sheets, err)
	}
	first, err := First(sheets)
	if err != nil || first.Name != "Data" || first.Rows[1][1] != "1200" {
		t.Fatalf("first visible sheet %+v %v", first, err)
	}
}

func TestDefuse(t *testing.T) {
	got := Defuse([]string{"=SUM(A1)", "+1", "-2", "@x", "plain", ""})
	if strings.Join(got, "|") != "'=SUM(A1)|'+1|'-2|'@x|plain|" {
		t.Fatal(got)
	}
}

// FuzzRead: no input may panic or hang the reader.
func FuzzRead(f *testing.F) {
	for _, seed := range []string{"name,website\nAcme,acme.test\n", "a;b;c\n1;2;3", "PK\x03\x04\x14\x00", "\"unterminated", "\xEF\xBB\xBF\n\n", "x\x00y"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sheets, err := Read(data)
		if err == nil {
			for _, s := range sheets {
				if len(s.Rows) > MaxRows {
					t.Fatalf("%d rows read past the limit", len(s.Rows))
				}
			}
		}
	})
}

// A published workbook often carries one formatted empty row at the very
// bottom, so its used range reaches row 1,048,576: the data is read, the
// range is not refused.
func TestXLSXUsedRangeToLastRow(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"ID", "Question"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"Q1", "Do you encrypt?"})
	style, _ := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Color: []string{"FFFF00"}, Pattern: 1}})
	f.SetCellStyle("Sheet1", "A1048576", "A1048576", style)
	f.SetRowHeight("Sheet1", 1048576, 30)
	other, _ := f.NewSheet("Big")
	_ = other
	for r := 1; r <= MaxRows+5; r++ {
		f.SetCellValue("Big", CellName(r-1, 0), r)
	}
	var buf bytes.Buffer
	f.Write(&buf)
	sheets, err := Read(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(sheets[0].Rows) != 2 || sheets[0].Problem != "" {
		t.Fatalf("Sheet1: %d rows, problem %q", len(sheets[0].Rows), sheets[0].Problem)
	}
	if sheets[1].Problem == "" || !strings.Contains(sheets[1].Problem, "more than") || len(sheets[1].Rows) != 0 {
		t.Fatalf("the oversized sheet should carry its own problem, not stop the workbook: %q", sheets[1].Problem)
	}
	if _, err := First(sheets); err != nil {
		t.Fatal(err)
	}
}

// Records are counted, not lines: quoted cells with line breaks are one
// record each, and a blank line still numbers as a row.
func TestCSVCountsRecordsNotLines(t *testing.T) {
	var b strings.Builder
	b.WriteString("ID,Question\n")
	long := strings.Repeat("line\n", 100)
	for i := 0; i < 262; i++ {
		b.WriteString("Q" + strings.Repeat("x", i%3) + `,"` + long + `Do you?"` + "\n")
	}
	b.WriteString("\nlast,after a blank line\n")
	sheets, err := Read([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	rows := sheets[0].Rows
	if len(rows) != 1+262+2 || rows[264][0] != "last" || rows[263][0] != "" {
		t.Fatalf("%d rows; last %q", len(rows), rows[len(rows)-1])
	}
}

// Drop-down lists define answer choices: a literal list, a range on a
// hidden sheet, and a defined name.
func TestXLSXDropDownLists(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"ID", "Question", "Answer"})
	f.NewSheet("Lists")
	f.SetSheetCol("Lists", "A1", &[]any{"Yes", "No", "N/A"})
	f.SetSheetCol("Lists", "B1", &[]any{"Annually", "Quarterly"})
	f.SetSheetVisible("Lists", false)
	f.SetDefinedName(&excelize.DefinedName{Name: "Frequency", RefersTo: "Lists!$B$1:$B$2"})
	add := func(sqref, formula string, literal []string) {
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(sqref)
		if literal != nil {
			dv.SetDropList(literal)
		} else {
			dv.SetSqrefDropList(formula)
		}
		if err := f.AddDataValidation("Sheet1", dv); err != nil {
			t.Fatal(err)
		}
	}
	add("C2:C3", "", []string{"Compliant", "Partial", "None"})
	add("C4", "Lists!$A$1:$A$3", nil)
	add("C5 C7", "Frequency", nil)
	var buf bytes.Buffer
	f.Write(&buf)
	sheets, err := Read(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	s := sheets[0]
	for _, c := range []struct {
		row, col int
		want     string
	}{{1, 2, "Compliant,Partial,None"}, {2, 2, "Compliant,Partial,None"}, {3, 2, "Yes,No,N/A"}, {4, 2, "Annually,Quarterly"}, {6, 2, "Annually,Quarterly"}, {5, 2, ""}, {1, 1, ""}} {
		if got := strings.Join(s.ListAt(c.row, c.col), ","); got != c.want {
			t.Errorf("%s: %q, want %q", CellName(c.row, c.col), got, c.want)
		}
	}
}
