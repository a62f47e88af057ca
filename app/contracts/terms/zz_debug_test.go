package terms

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

func TestDebugFile(t *testing.T) {
	p := os.Getenv("TERMS_FILE")
	if p == "" {
		t.Skip("set TERMS_FILE")
	}
	b, _ := os.ReadFile(p)
	if os.Getenv("S") != "" {
		v := newView(string(b))
		for _, s := range v.sents {
			fmt.Printf("[%v|%s] %s\n", s.isHeading, s.heading, s.text)
		}
	}
	for _, tm := range Extract(string(b), nil) {
		n, _ := json.Marshal(tm.Normalized)
		fmt.Printf("%-28s %-5v %.2f %s | %s\n", tm.Key, tm.Found, tm.Confidence, n, tm.Value)
		for _, c := range tm.Conflicts {
			cn, _ := json.Marshal(c.Normalized)
			fmt.Printf("   conflict %s %q\n", cn, c.Evidence.Quote)
		}
	}
}
