// Package cuadeval measures the key-term extraction (app/contracts/terms)
// against CUAD, a set of real commercial contracts annotated by lawyers:
// per key whether a term is found where the annotators marked a clause,
// whether its value matches their short answer, and how long each
// contract takes. It reads the data from a folder and copies nothing.
package cuadeval

import (
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"rampart/app/contracts/terms"
	"rampart/app/doctext"
)

// Targets the extraction must meet on the development set (issue 13).
const (
	TargetPrecision     = 0.93
	TargetRecall        = 0.88
	TargetValueAccuracy = 0.95
	TargetTotalCPU      = 10 * time.Second
	TargetContractCPU   = time.Second
)

// Key is one of Rampart's keys as CUAD can measure it: the CUAD category
// whose non-empty clause list marks a contract positive, and what counts
// as a find on our side.
type Key struct {
	Name     string
	Category string
	Found    func(byKey map[string]terms.Term) bool
}

// Keys are the keys measured, in report order.
var Keys = []Key{
	{"governing_law", "Governing Law", func(t map[string]terms.Term) bool { return t["governing_law"].Found }},
	{"renewal", "Renewal Term", func(t map[string]terms.Term) bool {
		return present(t["auto_renewal"]) || t["renewal_term"].Found
	}},
	{"non_renewal_notice", "Notice Period To Terminate Renewal", func(t map[string]terms.Term) bool { return t["non_renewal_notice"].Found }},
	{"termination_for_convenience", "Termination For Convenience", func(t map[string]terms.Term) bool {
		return present(t["termination_for_convenience"])
	}},
	{"audit_rights", "Audit Rights", func(t map[string]terms.Term) bool { return present(t["audit_rights"]) }},
	{"liability_cap", "Cap On Liability", func(t map[string]terms.Term) bool {
		c := t["liability_cap"]
		return c.Found && c.Normalized["kind"] != "uncapped"
	}},
	{"insurance", "Insurance", func(t map[string]terms.Term) bool { return present(t["insurance"]) }},
}

// present: found and not denied ({"present":false}).
func present(t terms.Term) bool { return t.Found && t.Normalized["present"] != false }

// Contract is one CUAD row joined with its text.
type Contract struct {
	Name    string              // the CSV's Filename
	Text    string              // the contract text
	Clauses map[string][]string // category -> annotated clauses
	Answers map[string]string   // category -> short answer
}

// Load reads master_clauses.csv and the texts in dir/full_contract_txt.
func Load(dir string) ([]Contract, error) {
	f, err := os.Open(filepath.Join(dir, "master_clauses.csv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("master_clauses.csv: %w", err)
	}
	if len(rows) < 2 {
		return nil, errors.New("master_clauses.csv has no contracts")
	}
	texts, err := textFiles(filepath.Join(dir, "full_contract_txt"))
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[strings.TrimSpace(h)] = i
	}
	fileCol, ok := col["Filename"]
	if !ok {
		return nil, errors.New("master_clauses.csv: no Filename column")
	}
	var out []Contract
	for n, row := range rows[1:] {
		c := Contract{Name: row[fileCol], Clauses: map[string][]string{}, Answers: map[string]string{}}
		path, ok := texts[matchName(c.Name)]
		if !ok {
			return nil, fmt.Errorf("master_clauses.csv row %d: no text file for %q", n+2, c.Name)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		// the same reader an upload goes through (byte order marks, UTF-16)
		doc, err := doctext.Extract(data, path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		c.Text = doc.Text
		for _, k := range Keys {
			list, err := parseList(row[col[k.Category]])
			if err != nil {
				return nil, fmt.Errorf("%s, %s: %w", c.Name, k.Category, err)
			}
			c.Clauses[k.Category] = list
		}
		for _, a := range []string{"Governing Law", "Renewal Term", "Notice Period To Terminate Renewal", "Effective Date", "Agreement Date"} {
			if i, ok := col[a+"-Answer"]; ok {
				c.Answers[a] = row[i]
			} else if i, ok := col[a+"- Answer"]; ok {
				c.Answers[a] = row[i]
			}
		}
		out = append(out, c)
	}
	return out, nil
}

func textFiles(dir string) (map[string]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".txt") {
			m[matchName(e.Name())] = filepath.Join(dir, e.Name())
		}
	}
	return m, nil
}

// matchName is the README's rule for joining a row to its text: lower
// case, no extension, only [0-9a-z]. Accented letters are decomposed
// first, because the CSV and the file names spell "É" differently (one
// precomposed, one as E and a combining accent).
func matchName(s string) string {
	s = norm.NFD.String(strings.ToLower(strings.TrimSuffix(s, filepath.Ext(s))))
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// Run extracts every contract, one after the other on one locked thread
// so that each contract's CPU time is its own.
func Run(contracts []Contract) *Report {
	r := &Report{Contracts: len(contracts)}
	for _, k := range Keys {
		r.Keys = append(r.Keys, KeyStats{Key: k.Name})
	}
	for _, k := range valueKeys {
		r.Values = append(r.Values, ValueStats{Key: k.name})
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	extracted := make([][]terms.Term, 0, len(contracts))
	startCPU, startWall := processCPU(), time.Now()
	for _, c := range contracts {
		t0 := threadCPU()
		ts := terms.Extract(c.Text, nil)
		d := threadCPU() - t0
		if d > r.MaxCPU {
			r.MaxCPU, r.Slowest = d, c.Name
		}
		byKey := make(map[string]terms.Term, len(ts))
		for _, t := range ts {
			byKey[t.Key] = t
		}
		r.score(c, byKey)
		extracted = append(extracted, ts)
	}
	r.TotalCPU, r.Wall = processCPU()-startCPU, time.Since(startWall)
	// Record proposals are read after the clock stops: the time targets
	// are the key terms'.
	for i, c := range contracts {
		r.scoreRecord(c, terms.Record(c.Text, nil, extracted[i]))
		if why := terms.Unreadable(c.Text); why != "" {
			r.Unreadable = append(r.Unreadable, c.Name+": "+why)
		}
	}
	r.CPUMeasured = cpuMeasured
	return r
}
