package cuadeval

import (
	"fmt"
	"strconv"
	"strings"
)

// parseList reads the Python list literal CUAD writes for a category's
// clauses: ['one', "two"], with backslash escapes (\', \n, \xNN, \uNNNN).
func parseList(s string) ([]string, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "[]" {
		return nil, nil
	}
	if s[0] != '[' || s[len(s)-1] != ']' {
		return nil, fmt.Errorf("not a list literal: %.40q", s)
	}
	var out []string
	i := 1
	for i < len(s)-1 {
		switch c := s[i]; c {
		case ' ', ',', '\n', '\t':
			i++
		case '\'', '"':
			str, n, err := readQuoted(s[i:])
			if err != nil {
				return nil, err
			}
			out = append(out, str)
			i += n
		default:
			return nil, fmt.Errorf("unexpected %q at %d in list literal", c, i)
		}
	}
	return out, nil
}

// readQuoted reads one quoted string at the start of s and says how many
// bytes it took.
func readQuoted(s string) (string, int, error) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q:
			return b.String(), i + 1, nil
		case c != '\\' || i+1 >= len(s):
			b.WriteByte(c)
			continue
		}
		i++
		switch e := s[i]; e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'x', 'u', 'U':
			width := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if i+width >= len(s) {
				return "", 0, fmt.Errorf("short \\%c escape", e)
			}
			r, err := strconv.ParseUint(s[i+1:i+1+width], 16, 32)
			if err != nil {
				return "", 0, fmt.Errorf("bad \\%c escape: %w", e, err)
			}
			b.WriteRune(rune(r))
			i += width
		default:
			b.WriteByte(e) // \' \" \\
		}
	}
	return "", 0, fmt.Errorf("unterminated string in list literal")
}
