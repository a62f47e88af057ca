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
		t.Skip("set TERMS_FILE to print one file's extraction")
	}
	b, _ := os.ReadFile(p)
	for _, tm := range Extract(string(b), nil) {
		n, _ := json.Marshal(tm.Normalized)
		fmt.Printf("%-28s %-5v %.2f %s | %s\n", tm.Key, tm.Found, tm.Confidence, n, tm.Value)
		for _, c := range tm.Conflicts {
			cn, _ := json.Marshal(c.Normalized)
			fmt.Printf("   conflict %s %q\n", cn, c.Evidence.Quote)
		}
		if os.Getenv("V") != "" {
			for _, e := range tm.Evidence {
				fmt.Printf("   ev %q\n", e.Quote)
			}
		}
	}
}
