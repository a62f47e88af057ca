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
