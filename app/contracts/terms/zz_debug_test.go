package terms

import (
	"fmt"
	"os"
	"testing"
)

func TestZZWhole(t *testing.T) {
	fn, key := os.Getenv("DBG_PATH"), os.Getenv("DBG_KEY")
	if fn == "" {
		t.Skip()
	}
	b, _ := os.ReadFile(fn)
	v := newView(string(b))
	f := rules[key](v)
	for _, c := range f.cands {
		fmt.Printf("%v %.2f %.160q\n", c.norm, c.conf, v.sents[c.sents[0]].text)
	}
}
