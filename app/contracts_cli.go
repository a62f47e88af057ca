package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v3"

	"rampart/app/contracts/cuadeval"
	"rampart/app/contracts/terms"
	"rampart/app/doctext"
)

// contractsCommand works on contract files directly, without a database
// or any configuration: handy to check what Rampart reads in a contract
// before uploading it, or to process a folder of contracts in a script.
func contractsCommand() *cli.Command {
	var jsonl bool
	return &cli.Command{
		Name:  "contracts",
		Usage: "work with contract files (no database needed)",
		Commands: []*cli.Command{{
			Name:      "extract",
			Usage:     "read contract files (PDF, .docx, text, Markdown) and print their key terms as JSON",
			ArgsUsage: "FILE...",
			Description: "Prints a JSON array with one object per file, in the order given:\n" +
				`{"file", "format", "pages", "needs_ocr", "error" (only when the file could not be read), "terms"}.` + "\n" +
				"With --jsonl, one such object per line instead. Exits 1 when any file could not be read\n" +
				"(a scanned PDF without a text layer counts), after printing every file.",
			Flags: []cli.Flag{
				&cli.BoolFlag{Name: "jsonl", Destination: &jsonl, Usage: "print one JSON object per line instead of one array"},
			},
			Action: func(_ context.Context, cmd *cli.Command) error {
				files := cmd.Args().Slice()
				if len(files) == 0 {
					return errors.New("contracts extract: name at least one file")
				}
				results := make([]extractResult, len(files))
				failed := 0
				for i, f := range files {
					results[i] = extractFile(f)
					if results[i].Error != "" {
						failed++
					}
				}
				if err := writeResults(cmd.Root().Writer, results, jsonl); err != nil {
					return err
				}
				if failed > 0 {
					return fmt.Errorf("contracts extract: %d of %d files could not be read", failed, len(files))
				}
				return nil
			},
		}, cuadEvalCommand()},
	}
}

// cuadEvalCommand measures the extraction on CUAD, real contracts with
// lawyers' labels, against the targets of issue 13.
func cuadEvalCommand() *cli.Command {
	var dir string
	var list bool
	return &cli.Command{
		Name:  "eval",
		Usage: "measure the key-term extraction against CUAD's lawyer-annotated contracts",
		Description: "Reads DIR/master_clauses.csv and DIR/full_contract_txt and prints, per key, presence precision,\n" +
			"recall and F1 with counts, value accuracy, the time per contract, and each target as met or NOT MET.\n" +
			"Exits 1 when a target is not met.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "cuad", Destination: &dir, Required: true, Usage: "the CUAD folder (master_clauses.csv, full_contract_txt/)"},
			&cli.BoolFlag{Name: "disagreements", Destination: &list, Usage: "also list every contract where the extraction and CUAD differ"},
		},
		Action: func(_ context.Context, cmd *cli.Command) error {
			contracts, err := cuadeval.Load(dir)
			if err != nil {
				return fmt.Errorf("contracts eval: %w", err)
			}
			r := cuadeval.Run(contracts)
			if err := r.Write(cmd.Root().Writer, list); err != nil {
				return err
			}
			if !r.AllMet() {
				return errors.New("contracts eval: not every target is met")
			}
			return nil
		},
	}
}

type extractResult struct {
	File     string       `json:"file"`
	Format   string       `json:"format"`
	Pages    int          `json:"pages"`
	NeedsOCR bool         `json:"needs_ocr"`
	Error    string       `json:"error,omitempty"`
	Terms    []terms.Term `json:"terms"`
}

func extractFile(name string) extractResult {
	res := extractResult{File: name, Terms: []terms.Term{}}
	data, err := readCapped(name)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	doc, err := doctext.Extract(data, name)
	res.Format, res.Pages = doc.Format, doc.Pages
	if err != nil {
		res.Error = err.Error()
		res.NeedsOCR = errors.Is(err, doctext.ErrNeedsOCR)
		return res
	}
	res.Terms = terms.Extract(doc.Text, doc.PageStarts)
	if res.Terms == nil {
		res.Terms = []terms.Term{}
	}
	return res
}

// readCapped reads a file, stopping past doctext.MaxInputSize so that a
// huge file is refused without being loaded.
func readCapped(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	return io.ReadAll(io.LimitReader(f, doctext.MaxInputSize+1))
}

func writeResults(w io.Writer, results []extractResult, jsonl bool) error {
	if jsonl {
		enc := json.NewEncoder(w)
		for _, r := range results {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(results)
}
