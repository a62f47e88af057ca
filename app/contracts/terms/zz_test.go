package terms

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

func TestZZ(t *testing.T) {
	b, _ := os.ReadFile(os.Getenv("F"))
	if os.Getenv("S") != "" {
		for _, s := range newView(string(b)).sents {
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
