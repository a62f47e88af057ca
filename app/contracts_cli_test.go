package app

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"

	"rampart/app/contracts/terms"
)

func writeContractFiles(t *testing.T) (dir string, files map[string]string) {
	t.Helper()
	dir = t.TempDir()
	files = map[string]string{}
	put := func(name string, data []byte) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		files[name] = p
	}
	const clause = "This Agreement is governed by the laws of the State of New York."
	p := fpdf.New("P", "mm", "A4", "")
	p.SetFont("Helvetica", "", 11)
	p.AddPage()
	p.MultiCell(0, 5, "1. Term. Twelve months from the Effective Date.", "", "L", false)
	p.AddPage()
	p.MultiCell(0, 5, "2. "+clause, "", "L", false)
	var pdfData bytes.Buffer
	if err := p.Output(&pdfData); err != nil {
		t.Fatal(err)
	}
	put("msa.pdf", pdfData.Bytes())

	var docx bytes.Buffer
	zw := zip.NewWriter(&docx)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>` + clause + `</w:t></w:r></w:p></w:body></w:document>`))
	zw.Close()
	put("dpa.docx", docx.Bytes())
	put("nda.md", []byte("# NDA\n\n"+clause+"\n"))
	put("latin1.txt", []byte("Gesch\xe4ftsbedingungen"))

	scan := fpdf.New("P", "mm", "A4", "")
	scan.AddPage()
	scan.Rect(10, 10, 100, 100, "F")
	var scanData bytes.Buffer
	if err := scan.Output(&scanData); err != nil {
		t.Fatal(err)
	}
	put("scan.pdf", scanData.Bytes())
	return dir, files
}

func runExtract(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(context.Background(), append([]string{"rampart", "contracts", "extract"}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestContractsExtractCommand(t *testing.T) {
	_, f := writeContractFiles(t)
	code, out, errOut := runExtract(t, f["msa.pdf"], f["dpa.docx"], f["nda.md"])
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var got []extractResult
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, out)
	}
	want := []struct {
		file, format string
		pages        int
	}{{f["msa.pdf"], "pdf", 2}, {f["dpa.docx"], "docx", 0}, {f["nda.md"], "md", 0}}
	if len(got) != len(want) {
		t.Fatalf("%d results, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.File != w.file || g.Format != w.format || g.Pages != w.pages || g.NeedsOCR || g.Error != "" {
			t.Errorf("result %d = %+v, want %+v", i, g, w)
		}
		// The CLI hands the extracted text to the term extractor: its
		// answer for the same text must be what the command printed.
		if len(g.Terms) != len(terms.Keys) || g.Terms[0].Key != terms.Keys[0] {
			t.Errorf("result %d terms = %+v", i, g.Terms)
		}
	}
	direct := terms.Extract("# NDA\n\nThis Agreement is governed by the laws of the State of New York.", nil)
	wantJSON, _ := json.Marshal(direct)
	gotJSON, _ := json.Marshal(got[2].Terms)
	if !bytes.Equal(wantJSON, gotJSON) {
		t.Errorf("terms for nda.md:\n%s\nwant\n%s", gotJSON, wantJSON)
	}
	// The raw output names fields in snake_case and always has a terms list.
	for _, field := range []string{`"needs_ocr": false`, `"terms": [`, `"format": "docx"`} {
		if !strings.Contains(out, field) {
			t.Errorf("output lacks %s", field)
		}
	}
	if strings.Contains(out, `"error"`) {
		t.Errorf("error field present without an error:\n%s", out)
	}
}

func TestContractsExtractReportsEveryFileAndFails(t *testing.T) {
	dir, f := writeContractFiles(t)
	missing := filepath.Join(dir, "missing.pdf")
	code, out, errOut := runExtract(t, "--jsonl", f["scan.pdf"], f["latin1.txt"], missing, f["nda.md"], dir)
	if code != 1 || !strings.Contains(errOut, "4 of 5 files could not be read") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d lines, want one per file:\n%s", len(lines), out)
	}
	var res []extractResult
	for _, l := range lines {
		var r extractResult
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		if r.Terms == nil {
			t.Errorf("%s: terms is null, want []", r.File)
		}
		res = append(res, r)
	}
	if r := res[0]; !r.NeedsOCR || r.Format != "pdf" || r.Pages != 1 || !strings.Contains(r.Error, "OCR") {
		t.Errorf("scan: %+v", r)
	}
	if r := res[1]; r.NeedsOCR || !strings.Contains(r.Error, "not valid UTF-8") {
		t.Errorf("latin-1: %+v", r)
	}
	if r := res[2]; r.File != missing || !strings.Contains(r.Error, "no such file") {
		t.Errorf("missing: %+v", r)
	}
	if r := res[3]; r.Error != "" || r.Format != "md" || len(r.Terms) != len(terms.Keys) {
		t.Errorf("the good file among bad ones: %+v", r)
	}
	if r := res[4]; !strings.Contains(r.Error, "not a regular file") {
		t.Errorf("a directory: %+v", r)
	}
}

func TestContractsExtractNeedsAFile(t *testing.T) {
	code, out, errOut := runExtract(t)
	if code != 1 || out != "" || !strings.Contains(errOut, "name at least one file") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// The same contract set as PDF, Word, text and Markdown
// (app/doctext/testdata) must give the same terms, whatever the format.
func TestContractsExtractSameTermsInEveryFormat(t *testing.T) {
	var files []string
	for _, ext := range []string{"pdf", "docx", "txt", "md"} {
		files = append(files, filepath.Join("doctext", "testdata", "sample-contract."+ext))
	}
	code, out, errOut := runExtract(t, files...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got []extractResult
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		Key, Value string
		Found      bool
	}
	answers := func(r extractResult) []answer {
		var a []answer
		for _, term := range r.Terms {
			a = append(a, answer{term.Key, term.Value, term.Found})
		}
		return a
	}
	first, _ := json.Marshal(answers(got[0]))
	for _, r := range got[1:] {
		if a, _ := json.Marshal(answers(r)); !bytes.Equal(a, first) {
			t.Errorf("%s:\n%s\ndiffers from %s:\n%s", r.File, a, got[0].File, first)
		}
	}
}

// A two-contract CUAD folder written here (not CUAD's text): one contract
// whose governing law is read, one whose annotated cap clause is missed,
// so the command prints its figures, names the miss and exits 1.
func TestContractsEvalCommand(t *testing.T) {
	dir := t.TempDir()
	txt := filepath.Join(dir, "full_contract_txt")
	if err := os.Mkdir(txt, 0o700); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(txt, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("Alpha Supply Agreement.txt", "SUPPLY AGREEMENT\n\nThis Agreement is governed by the laws of the State of Ohio.\n")
	write("Beta-Services.txt", "SERVICES AGREEMENT\n\nThe supplier's responsibility is bounded as set out in the order.\n")
	cats := []string{"Renewal Term", "Notice Period To Terminate Renewal", "Governing Law", "Termination For Convenience",
		"Audit Rights", "Cap On Liability", "Insurance"}
	header := "Filename"
	row := func(name string, gov, govAnswer, cap string) string {
		line := `"` + name + `"`
		for _, c := range cats {
			list, answer := "[]", ""
			switch c {
			case "Governing Law":
				list, answer = gov, govAnswer
			case "Cap On Liability":
				list = cap
			}
			line += `,"` + strings.ReplaceAll(list, `"`, `""`) + `","` + answer + `"`
		}
		return line
	}
	for _, c := range cats {
		answer := c + "-Answer"
		if c == "Notice Period To Terminate Renewal" {
			answer = c + "- Answer"
		}
		header += "," + c + "," + answer
	}
	csv := header + "\n" +
		row("ALPHA SUPPLY AGREEMENT.PDF", "['This Agreement is governed by the laws of the State of Ohio.']", "Ohio", "[]") + "\n" +
		row("beta_services.pdf", "[]", "", "['The supplier\\'s responsibility is bounded as set out in the order.']") + "\n"
	if err := os.WriteFile(filepath.Join(dir, "master_clauses.csv"), []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := Main(context.Background(), []string{"rampart", "contracts", "eval", "--cuad", dir, "--disagreements"}, strings.NewReader(""), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "not every target is met") {
		t.Fatalf("exit %d, stderr %q\n%s", code, errOut.String(), out.String())
	}
	for _, want := range []string{
		"CUAD evaluation: 2 contracts",
		"| `governing_law` | 1 | 0 | 0 | 1.000 | 1.000 | 1.000 | 0 | 1.000 | 1.000 | met |",
		"| `liability_cap` | 0 | 0 | 1 | 1.000 | 0.000 | 0.000 | 0 | 1.000 | 0.000 | NOT MET |",
		"| `governing_law` | 1 | 1 | 1.000 | met |",
		"slowest contract",
		"beta_services.pdf | liability_cap | missed | expected: present | got: not found\n    The supplier's responsibility is bounded as set out in the order.",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
