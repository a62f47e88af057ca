package terms

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the precision/recall table in docs/contract-extraction.md")

const docPath = "../../../docs/contract-extraction.md"

// The bars the corpus must meet (see docs/contract-extraction.md): on the
// documents the rules were developed against, over all terms and for each
// term alone; on the held-out documents, written after the rules were
// frozen and never tuned against, over all terms.
const (
	barPrecision        = 0.95
	barRecall           = 0.95
	barTermPrecision    = 0.90
	barTermRecall       = 0.85
	barHeldOutPrecision = 0.90
	barHeldOutRecall    = 0.85
)

type corpusDoc struct {
	name       string
	text       string
	pageStarts []int
	expected   map[string]json.RawMessage
	conflicts  map[string][]json.RawMessage
	heldOut    bool
}

func loadCorpus(t testing.TB) []corpusDoc {
	files, err := filepath.Glob("testdata/corpus/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	var docs []corpusDoc
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(strings.TrimSuffix(f, ".txt") + ".expected.json")
		if err != nil {
			t.Fatalf("%s has no expectation: %v", f, err)
		}
		var all map[string]json.RawMessage
		if err := json.Unmarshal(raw, &all); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		d := corpusDoc{name: name, text: string(b), pageStarts: formFeedPages(string(b)), expected: map[string]json.RawMessage{},
			heldOut: strings.HasPrefix(name, "heldout-")}
		for k, v := range all {
			switch {
			case k == "_conflicts":
				if err := json.Unmarshal(v, &d.conflicts); err != nil {
					t.Fatalf("%s: _conflicts: %v", f, err)
				}
			case strings.HasPrefix(k, "_"):
			case slices.Contains(Keys, k):
				d.expected[k] = v
			default:
				t.Fatalf("%s: unknown key %q", f, k)
			}
		}
		for _, k := range Keys {
			if _, ok := d.expected[k]; !ok {
				t.Fatalf("%s: no expectation for %s (use null for not found)", f, k)
			}
		}
		docs = append(docs, d)
	}
	return docs
}

// formFeedPages treats form feeds as page breaks, the way PDF text
// extraction marks them, so the corpus also checks page numbers.
func formFeedPages(text string) []int {
	if !strings.Contains(text, "\f") {
		return nil
	}
	starts := []int{0}
	for i, r := range []rune(text) {
		if r == '\f' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// canon turns a normalized value, or an expectation, into comparable JSON.
func canon(t testing.TB, v any) string {
	if raw, ok := v.(json.RawMessage); ok {
		var x any
		if err := json.Unmarshal(raw, &x); err != nil {
			t.Fatal(err)
		}
		v = x
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type score struct{ tp, fp, fn int }

func (s score) precision() float64 { return ratio(s.tp, s.tp+s.fp) }
func (s score) recall() float64    { return ratio(s.tp, s.tp+s.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// TestCorpus measures per-term precision and recall over the corpus. A
// found term is right only when its normalized value equals the expected
// one; a wrong value counts as a false positive and a false negative.
func TestCorpus(t *testing.T) {
	docs := loadCorpus(t)
	if len(docs) < 25 {
		t.Fatalf("the corpus has %d documents, want at least 25", len(docs))
	}
	perTerm, perTermHeld := map[string]*score{}, map[string]*score{}
	for _, k := range Keys {
		perTerm[k], perTermHeld[k] = &score{}, &score{}
	}
	var all, heldOut score
	nHeldOut := 0
	for _, d := range docs {
		if d.heldOut {
			nHeldOut++
		}
		got := Extract(d.text, d.pageStarts)
		checkResult(t, d.name, d.text, d.pageStarts, got)
		for _, tm := range got {
			want := canon(t, d.expected[tm.Key])
			s := perTerm[tm.Key]
			if d.heldOut {
				s = perTermHeld[tm.Key]
			}
			var delta score
			switch {
			case want == "null" && !tm.Found:
			case want == "null":
				delta.fp++
				t.Logf("%s %s: found %s, expected not found", d.name, tm.Key, canon(t, tm.Normalized))
			case !tm.Found:
				delta.fn++
				t.Logf("%s %s: not found, expected %s", d.name, tm.Key, want)
			case canon(t, tm.Normalized) == want:
				delta.tp++
			default:
				delta.fp++
				delta.fn++
				t.Logf("%s %s: found %s, expected %s", d.name, tm.Key, canon(t, tm.Normalized), want)
			}
			total := &all
			if d.heldOut {
				total = &heldOut
			}
			for _, x := range []*score{s, total} {
				x.tp, x.fp, x.fn = x.tp+delta.tp, x.fp+delta.fp, x.fn+delta.fn
			}
			for _, c := range d.conflicts[tm.Key] {
				w := canon(t, c)
				if !slices.ContainsFunc(tm.Conflicts, func(x Candidate) bool { return canon(t, x.Normalized) == w }) {
					report := t.Errorf
					if d.heldOut {
						report = t.Logf // measured, not required
					}
					report("%s %s: conflict %s not reported (got %d conflicts)", d.name, tm.Key, w, len(tm.Conflicts))
				}
			}
		}
	}
	table := corpusTable(perTerm, perTermHeld, all, heldOut, len(docs), nHeldOut)
	checkDocTable(t, table)

	if all.precision() < barPrecision || all.recall() < barRecall {
		t.Errorf("development set precision %.3f recall %.3f, below the bar %.2f/%.2f", all.precision(), all.recall(), barPrecision, barRecall)
	}
	if heldOut.precision() < barHeldOutPrecision || heldOut.recall() < barHeldOutRecall {
		t.Errorf("held-out precision %.3f recall %.3f, below the bar %.2f/%.2f", heldOut.precision(), heldOut.recall(), barHeldOutPrecision, barHeldOutRecall)
	}
	for _, k := range Keys {
		s := perTerm[k]
		if s.precision() < barTermPrecision || s.recall() < barTermRecall {
			t.Errorf("%s: precision %.3f recall %.3f, below the per-term bar %.2f/%.2f", k, s.precision(), s.recall(), barTermPrecision, barTermRecall)
		}
	}
}

func corpusTable(perTerm, perTermHeld map[string]*score, all, heldOut score, n, nHeldOut int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d documents: %d in the development set, %d held out. A found term counts as right only when its normalized value matches.\n\n", n, n-nHeldOut, nHeldOut)
	b.WriteString("| term | dev: expected | right | wrong or extra | missed | precision | recall | held out: expected | precision | recall |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	row := func(name string, s, h score) {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %.2f | %.2f | %d | %.2f | %.2f |\n", name, s.tp+s.fn, s.tp, s.fp, s.fn,
			s.precision(), s.recall(), h.tp+h.fn, h.precision(), h.recall())
	}
	for _, k := range Keys {
		row("`"+k+"`", *perTerm[k], *perTermHeld[k])
	}
	row("**all terms**", all, heldOut)
	return b.String()
}

const (
	tableStart = "<!-- corpus-table:start (go test ./app/contracts/terms -run TestCorpus -update) -->\n"
	tableEnd   = "<!-- corpus-table:end -->"
)

// checkDocTable keeps the table in the docs equal to what the test
// measures; -update rewrites it.
func checkDocTable(t *testing.T, table string) {
	doc, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	s := string(doc)
	i, j := strings.Index(s, tableStart), strings.Index(s, tableEnd)
	if i < 0 || j < i {
		t.Fatalf("%s has no corpus table markers", docPath)
	}
	current := s[i+len(tableStart) : j]
	if current == table {
		return
	}
	if *update {
		if err := os.WriteFile(docPath, []byte(s[:i+len(tableStart)]+table+s[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote the table in %s", docPath)
		return
	}
	t.Errorf("the table in %s is out of date; run go test ./app/contracts/terms -run TestCorpus -update\nwant:\n%s", docPath, table)
}

// checkResult asserts the shape every result must have: all keys in
// order, and every quote exactly the text at its code point offsets, on
// the right page.
func checkResult(t testing.TB, name, text string, pageStarts []int, got []Term) {
	t.Helper()
	if len(got) != len(Keys) {
		t.Fatalf("%s: %d terms, want %d", name, len(got), len(Keys))
	}
	runes := []rune(text)
	check := func(key string, e Evidence) {
		if e.Start < 0 || e.End > len(runes) || e.Start >= e.End {
			t.Fatalf("%s %s: evidence offsets %d-%d outside the text (%d code points)", name, key, e.Start, e.End, len(runes))
		}
		if q := string(runes[e.Start:e.End]); q != e.Quote {
			t.Fatalf("%s %s: quote %q is not the text at %d-%d (%q)", name, key, e.Quote, e.Start, e.End, q)
		}
		want := 0
		if len(pageStarts) > 0 {
			want = 1
			for i, p := range pageStarts {
				if p <= e.Start {
					want = i + 1
				}
			}
		}
		if e.Page != want {
			t.Fatalf("%s %s: evidence at %d on page %d, want %d", name, key, e.Start, e.Page, want)
		}
	}
	for i, tm := range got {
		if tm.Key != Keys[i] {
			t.Fatalf("%s: term %d is %s, want %s", name, i, tm.Key, Keys[i])
		}
		if tm.Confidence < 0 || tm.Confidence > 1 {
			t.Fatalf("%s %s: confidence %v", name, tm.Key, tm.Confidence)
		}
		if tm.Evidence == nil {
			t.Fatalf("%s %s: evidence is nil, want a list", name, tm.Key)
		}
		if tm.Found && (len(tm.Evidence) == 0 || tm.Value == "" || tm.Normalized == nil) {
			t.Fatalf("%s %s: found without value, normalized value and evidence", name, tm.Key)
		}
		if !tm.Found && (tm.Value != "" || tm.Normalized != nil || len(tm.Conflicts) > 0) {
			t.Fatalf("%s %s: not found but carries a value", name, tm.Key)
		}
		for _, e := range tm.Evidence {
			check(tm.Key, e)
		}
		for _, c := range tm.Conflicts {
			check(tm.Key, c.Evidence)
		}
	}
}
