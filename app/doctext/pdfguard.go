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
	reNumbers = regexp.MustCompile(`\d+`)
)

func pdfSanity(data []byte) error {
	limit := int64(len(data)) + 1024
	bad := func(what string) error {
		return fmt.Errorf("%w: the PDF's %s is out of range", ErrMalformed, what)
	}
	for _, key := range []string{"/Size", "/N"} {
		ok := eachKey(data, key, func(rest []byte) bool {
			i := 0
			for i < len(rest) && isPDFSpace(rest[i]) {
				i++
			}
			j := i
			for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
				j++
			}
			if j == i {
				return true // /Size [..] of a function, /Name, /Next...
			}
			n, err := strconv.ParseInt(string(rest[i:j]), 10, 64)
			return err == nil && n <= limit
		})
		if !ok {
			return bad(key)
		}
	}
	// /W and /Index of cross-reference streams (a CID font has a /W of
	// its own, with glyph widths in it): the dictionary around each
	// /Type /XRef, at most 4 KiB either side and never read twice.
	checked := 0
	ok := eachKey(data, "/XRef", func(rest []byte) bool {
		at := len(data) - len(rest)
		if at < checked {
			return true
		}
		from := max(checked, at-4096)
		if i := bytes.LastIndex(data[from:at], []byte("obj")); i >= 0 {
			from += i
		}
		to := min(len(data), at+4096)
		if i := bytes.Index(data[at:to], []byte("stream")); i >= 0 {
			to = at + i
		}
		checked = to
		dict := data[from:to]
		return eachKey(dict, "/W", func(rest []byte) bool {
			for _, w := range arrayNumbers(rest, 200) {
				if n, err := strconv.Atoi(string(w)); err != nil || n > 16 {
					return false
				}
			}
			return true
		}) && eachKey(dict, "/Index", func(rest []byte) bool {
			return pairsWithin(arrayNumbers(rest, 1000), limit)
		})
	})
	if !ok {
		return bad("cross-reference stream (/W or /Index)")
	}
	ok = eachKey(data, "xref", func(rest []byte) bool {
		at := len(data) - len(rest) - len("xref")
		if at > 0 && !isPDFSpace(data[at-1]) {
			return true // startxref
		}
		return xrefTableWithin(rest, limit)
	})
	if !ok {
		return bad("cross-reference table")
	}
	return nil
}

// arrayNumbers returns the numbers of the array that starts rest (after
// spaces), looking at most max bytes ahead; nil when rest holds no array.
func arrayNumbers(rest []byte, max int) [][]byte {
	rest = bytes.TrimLeft(rest[:min(len(rest), max)], " \r\n\t\f\x00")
	if len(rest) == 0 || rest[0] != '[' {
		return nil
	}
	if end := bytes.IndexByte(rest, ']'); end >= 0 {
		rest = rest[:end]
	}
	return reNumbers.FindAll(rest, -1)
}

// eachKey calls fn with what follows each occurrence of key, until fn
// says false.
func eachKey(data []byte, key string, fn func(rest []byte) bool) bool {
	k := []byte(key)
	for off := 0; ; {
		i := bytes.Index(data[off:], k)
		if i < 0 {
			return true
		}
		off += i + len(k)
		if !fn(data[off:]) {
			return false
		}
	}
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
// cross-reference table, skipping each subsection's entries. It stops at
// the first word that is not a number ("trailer"), so the tables after
// all the "xref" lines of a file are read once in all.
func xrefTableWithin(rest []byte, limit int64) bool {
	next := func() []byte {
		i := 0
		for i < len(rest) && isPDFSpace(rest[i]) {
			i++
		}
		j := i
		for j < len(rest) && !isPDFSpace(rest[j]) {
			j++
		}
		word := rest[i:j]
		rest = rest[j:]
		return word
	}
	for {
		first, count := next(), next()
		if !isDigits(first) || !isDigits(count) {
			return true
		}
		if !pairsWithin([][]byte{first, count}, limit) {
			return false
		}
		n, _ := strconv.Atoi(string(count))
		for k := 0; k < 3*n; k++ {
			if !isDigits(next()) && k%3 != 2 {
				return true
			}
		}
	}
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
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
