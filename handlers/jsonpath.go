package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// walkJSON reads body token by token and calls stop with each object key,
// scalar value and opening or closing '{' or '[', and the offset just
// after it. When stop returns true, walkJSON returns the path of that
// token (name, tags[0], contacts[1].email; for a key, the key's own path)
// and true. It names what a client sent by the names the client used,
// whatever Go struct received it.
func walkJSON(body []byte, stop func(tok json.Token, key bool, end int64) bool) (string, bool) {
	type frame struct {
		array bool
		key   string
		index int
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.array {
				fmt.Fprintf(&b, "[%d]", f.index)
			} else {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			}
		}
		return b.String()
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	expectKey := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			if stop(tok, false, dec.InputOffset()) {
				return path(), true
			}
			expectKey = len(stack) > 0 && !stack[len(stack)-1].array
			continue
		}
		if s, ok := tok.(string); ok && expectKey {
			stack[len(stack)-1].key = s
			expectKey = false
			if stop(tok, true, dec.InputOffset()) {
				return path(), true
			}
			continue
		}
		if n := len(stack); n > 0 && stack[n-1].array {
			stack[n-1].index++
		}
		if stop(tok, false, dec.InputOffset()) {
			return path(), true
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, frame{array: d == '[', index: -1})
			expectKey = d == '{'
			continue
		}
		expectKey = len(stack) > 0 && !stack[len(stack)-1].array
	}
}

// jsonPathAt returns the path of the value in body that ends at offset,
// the position the JSON decoder gives for a value of the wrong type (for
// an object or list where a scalar belongs, the position just inside it).
func jsonPathAt(body []byte, offset int64) string {
	p, _ := walkJSON(body, func(_ json.Token, key bool, end int64) bool { return !key && end >= offset })
	return p
}
