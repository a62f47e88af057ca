package vendors

import (
	"strings"
	"testing"
)

func FuzzNormalisers(f *testing.F) {
	for _, s := range []string{"Acme, Inc.", "https://www.acme.test/x", "12,000", "1e400", "Credentials / secrets", "\xff\xfe", "http://[::1]:80", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := NameKey(s)
		if strings.ToLower(k) != k {
			t.Fatalf("NameKey(%q) = %q is not lower-case", s, k)
		}
		d := Domain(s)
		if strings.HasPrefix(d, "www.") && d != "www." {
			t.Fatalf("Domain(%q) = %q keeps www.", s, d)
		}
		if n, err := parseWhole(s); err == nil && (n < 0 || n > 1e15) {
			t.Fatalf("parseWhole(%q) = %d out of range", s, n)
		}
		_ = vocabValue(s)
		_ = splitList(s)
	})
}
