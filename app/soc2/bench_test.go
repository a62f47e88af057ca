package soc2

import (
	"os"
	"strings"
	"testing"
)

// BenchmarkRead reads a report of some 115 KB (a long SOC 2 report's
// text is a few hundred KB).
func BenchmarkRead(b *testing.B) {
	d, err := os.ReadFile("testdata/dev-aicpa-soc2-type2.txt")
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat(string(d), 20)
	for b.Loop() {
		Read(text, nil)
	}
}
