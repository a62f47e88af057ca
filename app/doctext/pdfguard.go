package doctext

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
)

// The PDF reader trusts the file's own bookkeeping: a cross-reference
// section whose /Prev points back at itself makes it loop for ever, and a
// /Size, /Index, /W or object-stream /N of a few billion makes it allocate
// or count that far. A file of a few hundred bytes could so hang or kill
// the server. pdfSanity refuses such numbers before the reader sees them
// (no real file has more objects than bytes), and budgetReader stops any
// loop that keeps re-reading the file.

var (
	reSize       = regexp.MustCompile(`/(Size|N)\s*(\d+)`)
	reW          = regexp.MustCompile(`/W\s*\[([^\]]{0,200})\]`)
	reIndex      = regexp.MustCompile(`/Index\s*\[([^\]]{0,1000})\]`)
	reXref       = regexp.MustCompile(`(?m)^\s*xref\s*$`)
	reXrefStream = regexp.MustCompile(`/Type\s*/XRef\b`)
	reNumbers    = regexp.MustCompile(`\d+`)
)

func pdfSanity(data []byte) error {
	limit := int64(len(data)) + 1024
	bad := func(what string) error {
		return fmt.Errorf("%w: the PDF's %s is out of range", ErrMalformed, what)
	}
	for _, m := range reSize.FindAllSubmatch(data, -1) {
		if n, err := strconv.ParseInt(string(m[2]), 10, 64); err != nil || n > limit {
			return bad("/" + string(m[1]))
		}
	}
	// /W and /Index of cross-reference streams (a CID font has a /W of
	// its own, with glyph widths in it).
	for _, loc := range reXrefStream.FindAllIndex(data, -1) {
		from := max(0, bytes.LastIndex(data[:loc[0]], []byte("obj")))
		to := loc[1] + 4096
		if end := bytes.Index(data[loc[1]:], []byte("stream")); end >= 0 {
			to = loc[1] + end
		}
		dict := data[from:min(to, len(data))]
		for _, m := range reW.FindAllSubmatch(dict, -1) {
			for _, w := range reNumbers.FindAll(m[1], -1) {
				if n, err := strconv.Atoi(string(w)); err != nil || n > 16 {
					return bad("cross-reference /W")
				}
			}
		}
		for _, m := range reIndex.FindAllSubmatch(dict, -1) {
			if !pairsWithin(reNumbers.FindAll(m[1], -1), limit) {
				return bad("cross-reference /Index")
			}
		}
	}
	for _, loc := range reXref.FindAllIndex(data, -1) {
		if !xrefTableWithin(data[loc[1]:], limit) {
			return bad("cross-reference table")
		}
	}
	return nil
}

func pairsWithin(nums [][]byte, limit int64) bool {
	for i := 0; i+1 < len(nums); i += 2 {
		a, err1 := strconv.ParseInt(string(nums[i]), 10, 64)
		b, err2 := strconv.ParseInt(string(nums[i+1]), 10, 64)
		if err1 != nil || err2 != nil || a > limit || b > limit || a+b > limit {
			return false
		}
	}
	return true
}

// xrefTableWithin checks the subsection headers ("first count") of a
// cross-reference table, skipping each subsection's entries.
func xrefTableWithin(rest []byte, limit int64) bool {
	fields := bytes.Fields(rest[:min(len(rest), 1<<22)])
	for i := 0; i+1 < len(fields); {
		if !isDigits(fields[i]) || !isDigits(fields[i+1]) {
			return true // "trailer", or the end of what we can follow
		}
		if !pairsWithin(fields[i:i+2], limit) {
			return false
		}
		count, _ := strconv.Atoi(string(fields[i+1]))
		i += 2 + 3*count
	}
	return true
}

func isDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// budgetReader lets the PDF reader read the file some number of times
// over, then stops it: the reader parses every object from the file again
// whenever it is looked up, so honest files re-read a lot, but a loop
// re-reads without end.
type budgetReader struct {
	r    *bytes.Reader
	left int64
}

func newBudgetReader(data []byte) *budgetReader {
	return &budgetReader{r: bytes.NewReader(data), left: 64*int64(len(data)) + 256<<20}
}

func (b *budgetReader) ReadAt(p []byte, off int64) (int, error) {
	// Each read also costs the reader a 4 KiB buffer and a parse.
	b.left -= int64(len(p)) + 4096
	if b.left < 0 {
		panic(limitError{fmt.Errorf("%w: reading the PDF goes round in circles (a broken cross-reference chain)", ErrMalformed)})
	}
	return b.r.ReadAt(p, off)
}
