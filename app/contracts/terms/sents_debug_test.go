package terms

import (
	"fmt"
	"os"
	"testing"
)

func TestDebugSentences(t *testing.T) {
	p := os.Getenv("TERMS_FILE")
	if p == "" {
		t.Skip("set TERMS_FILE to print one file's sentences")
	}
	b, _ := os.ReadFile(p)
	v := newView(string(b))
	for _, s := range v.sents {
		fmt.Printf("[%v|%s] %s\n", s.isHeading, s.heading, s.text)
	}
}
