package answermatch

import (
	"strings"
	"testing"
)

// TestLargeInputsAreBounded feeds texts shaped to grow one pair without
// end, or to make more pairs than a proposal holds: each is cut, in time
// linear in the text (a quadratic join here once took minutes).
func TestLargeInputsAreBounded(t *testing.T) {
	const n = 100000
	for name, text := range map[string]string{
		"a question that never ends": "Question: x\n" + strings.Repeat("word word word\n", n),
		"an answer that never ends":  "Is it?\n" + strings.Repeat("word word word\n", n),
		"many questions":             strings.Repeat("Is it encrypted at rest?\nYes\n", n/2),
		"a long Markdown table":      strings.Repeat("| a | b |\n", n),
		"a long Word table":          strings.Repeat("a\tb\n", n),
		"numbered lines":             strings.Repeat("1.2 word\n", n) + "end?\nyes\n",
	} {
		pairs := FromText(text)
		if len(pairs) > MaxPairs {
			t.Errorf("%s: %d pairs", name, len(pairs))
		}
		for _, p := range pairs {
			if len([]rune(p.Question)) > maxFieldRunes || len([]rune(p.Answer)) > maxFieldRunes {
				t.Errorf("%s: a field of %d/%d characters", name, len(p.Question), len(p.Answer))
			}
		}
	}
}
