package terms

import (
	"strings"
	"testing"
)

// BenchmarkExtract: the whole corpus, a ~2 MB contract (the corpus
// repeated), and ~2 MB of text with no sentence or line breaks at all.
func BenchmarkExtract(b *testing.B) {
	docs := loadCorpus(b)
	var all strings.Builder
	for _, d := range docs {
		all.WriteString(d.text)
		all.WriteString("\n\n")
	}
	var big strings.Builder
	for big.Len() < 2<<20 {
		big.WriteString(all.String())
	}
	flat := strings.Repeat("vendor shall notify customer of any breach within seventy-two (72) hours and ", 2<<20/78)
	b.Run("corpus", func(b *testing.B) {
		b.SetBytes(int64(all.Len()))
		for b.Loop() {
			for _, d := range docs {
				Extract(d.text, d.pageStarts)
			}
		}
	})
	b.Run("2MB", func(b *testing.B) {
		b.SetBytes(int64(big.Len()))
		for b.Loop() {
			Extract(big.String(), nil)
		}
	})
	b.Run("2MB-unbroken", func(b *testing.B) {
		b.SetBytes(int64(len(flat)))
		for b.Loop() {
			Extract(flat, nil)
		}
	})
}
