package questionnaire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds on an uploaded questionnaire file, so that a hostile or broken
// file costs little: the largest published catalogue (CAIQ v4, ~260
// questions) is far inside them.
const (
	MaxImportBytes     = 16 << 20
	MaxImportQuestions = 5000
	// maxJSONDepth bounds bracket nesting before anything is decoded.
	maxJSONDepth = 64
)

// lineAt is the 1-based line of byte offset off in data.
func lineAt(data []byte, off int) int {
	off = min(max(off, 0), len(data))
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

func lineCell(line int) string {
	if line <= 0 {
		return ""
	}
	return "line " + strconv.Itoa(line)
}

// checkText refuses what cannot be questionnaire text: an oversized file
// or bytes that are not UTF-8 (encoding/json would silently turn them
// into U+FFFD, hiding a file saved in the wrong encoding).
func checkText(data []byte) error {
	if len(data) > MaxImportBytes {
		return fmt.Errorf("the file is %d MB; questionnaire files may be at most %d MB", len(data)>>20, MaxImportBytes>>20)
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return fmt.Errorf("line %d: the file is not UTF-8 text; save it as UTF-8 and upload it again", lineAt(data, off))
	}
	return nil
}

// relaxJSON turns the JavaScript-flavoured JSON that publishers ship
// (VSAQ's files open with a // licence header and split long strings as
// "a" + "b") into strict JSON: comments outside strings become spaces,
// concatenated string literals become one, trailing commas go. Every
// newline survives in place, so an offset into the result lies on the
// line it had in data and decoding errors can name the original line.
func relaxJSON(data []byte) ([]byte, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	out := make([]byte, 0, len(data))
	depth := 0
	for i := 0; i < len(data); {
		switch c := data[i]; {
		case c == '"':
			next, err := relaxString(data, i, &out)
			if err != nil {
				return nil, err
			}
			i = next
		case c == '/' && i+1 < len(data) && (data[i+1] == '/' || data[i+1] == '*'):
			end, ok := commentEnd(data, i)
			if !ok {
				return nil, fmt.Errorf("line %d: a /* comment never closes", lineAt(data, i))
			}
			out = appendBlank(out, data[i:end])
			i = end
		case c == ',':
			if k, _ := skipBlank(data, i+1); k < len(data) && (data[k] == '}' || data[k] == ']') {
				out = append(out, ' ')
			} else {
				out = append(out, ',')
			}
			i++
		case c == '{' || c == '[':
			if depth++; depth > maxJSONDepth {
				return nil, fmt.Errorf("line %d: the file nests deeper than %d levels", lineAt(data, i), maxJSONDepth)
			}
			out = append(out, c)
			i++
		case c == '}' || c == ']':
			depth--
			out = append(out, c)
			i++
		default:
			out = append(out, c)
			i++
		}
	}
	return out, nil
}

// relaxString copies the string literal at data[start] to out, joining
// any literals that follow it with "+", and returns where reading goes on.
// The newlines between joined literals are written after the closing
// quote so that later text keeps its line.
func relaxString(data []byte, start int, out *[]byte) (int, error) {
	newlines := 0
	from := start // the first literal is copied with its opening quote
	for {
		end, err := stringEnd(data, start)
		if err != nil {
			return 0, err
		}
		*out = append(*out, data[from:end-1]...)
		k, nl := skipBlank(data, end)
		if k < len(data) && data[k] == '+' {
			if k2, nl2 := skipBlank(data, k+1); k2 < len(data) && data[k2] == '"' {
				newlines += nl + nl2
				start, from = k2, k2+1
				continue
			}
		}
		*out = append(*out, '"')
		for range newlines {
			*out = append(*out, '\n')
		}
		return end, nil
	}
}

// stringEnd returns the offset just past the closing quote of the string
// literal whose content starts at or after start (start may point at the
// opening quote).
func stringEnd(data []byte, start int) (int, error) {
	i := start
	if i < len(data) && data[i] == '"' {
		i++
	}
	for ; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1, nil
		case '\n':
			return 0, fmt.Errorf("line %d: a string runs past the end of its line (a missing closing quote?)", lineAt(data, i))
		}
	}
	return 0, fmt.Errorf("line %d: a string never closes", lineAt(data, start))
}

// commentEnd returns the offset just past the comment at data[i], keeping
// the newline that ends a // comment out of it.
func commentEnd(data []byte, i int) (int, bool) {
	if data[i+1] == '/' {
		if nl := bytes.IndexByte(data[i:], '\n'); nl >= 0 {
			return i + nl, true
		}
		return len(data), true
	}
	if end := bytes.Index(data[i+2:], []byte("*/")); end >= 0 {
		return i + 2 + end + 2, true
	}
	return 0, false
}

// skipBlank skips white space and comments from i and returns the next
// offset and how many newlines were skipped.
func skipBlank(data []byte, i int) (int, int) {
	newlines := 0
	for i < len(data) {
		switch c := data[i]; {
		case c == '\n':
			newlines++
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '/' && i+1 < len(data) && (data[i+1] == '/' || data[i+1] == '*'):
			end, ok := commentEnd(data, i)
			if !ok {
				return len(data), newlines
			}
			newlines += bytes.Count(data[i:end], []byte("\n"))
			i = end
		default:
			return i, newlines
		}
	}
	return i, newlines
}

// appendBlank replaces a comment by spaces, keeping its newlines.
func appendBlank(out, comment []byte) []byte {
	for _, c := range comment {
		if c == '\n' {
			out = append(out, '\n')
		} else {
			out = append(out, ' ')
		}
	}
	return out
}

// loadJSON checks, relaxes and parses a questionnaire file. It returns
// the relaxed text (line-aligned with data) and the top-level value; a
// syntax error names its line.
func loadJSON(data []byte) ([]byte, json.RawMessage, error) {
	if err := checkText(data); err != nil {
		return nil, nil, err
	}
	text, err := relaxJSON(data)
	if err != nil {
		return nil, nil, err
	}
	var root json.RawMessage
	if err := json.Unmarshal(text, &root); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, nil, fmt.Errorf("line %d: %s", lineAt(text, int(syn.Offset)), syn.Error())
		}
		return nil, nil, err
	}
	return text, root, nil
}

// fileLines says where strings are in a JSON file, so that notes can
// name the line of an id.
type fileLines struct {
	values  map[string]int // a string value -> the line it first appears on
	members map[string]int // member name + "\x00" + string value -> line
	names   map[string]int // a member name -> line
}

// of is the line of the first string value s, or 0.
func (l fileLines) of(s string) int { return l.values[s] }

// member is the line of the first member name: "s", or 0.
func (l fileLines) member(name, s string) int { return l.members[name+"\x00"+s] }

// name is the line of the first member called name, or 0.
func (l fileLines) name(name string) int { return l.names[name] }

// literalLines indexes the short string literals of text by line.
func literalLines(text []byte) fileLines {
	l := fileLines{values: map[string]int{}, members: map[string]int{}, names: map[string]int{}}
	line := 1
	lastName := ""
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			line++
		case ',', '{', '[', '}', ']':
			lastName = ""
		case '"':
			end, err := stringEnd(text, i)
			if err != nil {
				return l
			}
			s := ""
			if lit := text[i:end]; len(lit) <= 200 {
				if bytes.IndexByte(lit, '\\') < 0 {
					s = string(lit[1 : len(lit)-1])
				} else if json.Unmarshal(lit, &s) != nil {
					s = ""
				}
			}
			if k, _ := skipBlank(text, end); k < len(text) && text[k] == ':' {
				lastName = s
				setFirst(l.names, s, line)
			} else if s != "" {
				setFirst(l.values, s, line)
				setFirst(l.members, lastName+"\x00"+s, line)
			}
			i = end - 1
		}
	}
	return l
}

func setFirst(m map[string]int, k string, line int) {
	if _, seen := m[k]; !seen && k != "" && k != "\x00" {
		m[k] = line
	}
}

// member is one name/value pair of a JSON object, in file order.
type member struct {
	Key   string
	Value json.RawMessage
}

// objectMembers reads a JSON object keeping its member order (VSAQ's
// choices are one-member objects whose order is the order shown). ok is
// false when raw is not an object.
func objectMembers(raw json.RawMessage) ([]member, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, false
	}
	var out []member
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, false
		}
		key, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, false
		}
		out = append(out, member{Key: key, Value: v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, false
	}
	return out, true
}

// arrayElems reads a JSON array; ok is false when raw is not one.
func arrayElems(raw json.RawMessage) ([]json.RawMessage, bool) {
	var out []json.RawMessage
	if json.Unmarshal(raw, &out) != nil {
		return nil, false
	}
	return out, true
}

// textOf reads a value that holds text: a string, or a number or boolean
// written without quotes. ok is false for objects and arrays.
func textOf(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	case '{', '[':
		return "", false
	}
	return string(raw), true
}

// flag reads a yes/no value as publishers write it: true, "yes", "Y",
// "x", 1.
func flag(raw json.RawMessage) bool {
	s, _ := textOf(raw)
	return yesWord(s)
}

func yesWord(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "y", "x", "1", "lite", "✓":
		return true
	}
	return false
}

// fieldName folds a JSON member name so that renderings' spellings of one
// field meet: "Question ID", "question_id" and "questionId" are all
// "questionid".
func fieldName(k string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(k) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// fields is one JSON object read by folded member names; take marks what
// the importer used so that the rest can be reported once.
type fields struct {
	members []member
	used    []bool
}

func objectFields(raw json.RawMessage) (*fields, bool) {
	ms, ok := objectMembers(raw)
	if !ok {
		return nil, false
	}
	return &fields{members: ms, used: make([]bool, len(ms))}, true
}

// take returns the first member whose folded name is one of names.
func (f *fields) take(names ...string) (json.RawMessage, bool) {
	for i, m := range f.members {
		if slices.Contains(names, fieldName(m.Key)) {
			f.used[i] = true
			return m.Value, true
		}
	}
	return nil, false
}

func (f *fields) text(names ...string) string {
	raw, ok := f.take(names...)
	if !ok {
		return ""
	}
	s, _ := textOf(raw)
	return s
}

// unused adds the names of members nobody took to seen, as "where.name".
func (f *fields) unused(where string, seen map[string]bool) {
	for i, m := range f.members {
		if !f.used[i] {
			seen[where+"."+m.Key] = true
		}
	}
}

func unusedWarning(seen map[string]bool) string {
	if len(seen) == 0 {
		return ""
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	slices.Sort(names)
	if len(names) > 30 {
		names = append(names[:30], fmt.Sprintf("and %d more", len(names)-30))
	}
	return "fields this importer does not use were ignored: " + strings.Join(names, ", ")
}

// richJoin cleans text assembled from several published parts (a block
// title, an info text, a tip), separating them by blank lines, or by
// paragraph breaks when any part carries markup.
func richJoin(parts ...string) string {
	var kept []string
	markup := false
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
			markup = markup || HasMarkup(p)
		}
	}
	if markup {
		// Line breaks in published text would vanish in markup.
		for i, p := range kept {
			kept[i] = strings.ReplaceAll(strings.ReplaceAll(p, "\r\n", "\n"), "\n", "<br>")
		}
		return CleanText(strings.Join(kept, "<br><br>"))
	}
	return CleanText(strings.Join(kept, "\n\n"))
}

// titleText is published text for a title: clean and without markup.
func titleText(s string) string {
	return strings.Join(strings.Fields(PlainText(CleanText(s))), " ")
}

// SniffJSON names the format of an uploaded JSON questionnaire so that
// the upload can be routed to its importer: "vsaq" (a "questionnaire"
// list of items), "caiq" (domains of controls), "rampart" (our own
// sections of questions), or "" when it is none of them.
func SniffJSON(data []byte) string {
	_, root, err := loadJSON(data)
	if err != nil {
		return ""
	}
	if elems, ok := arrayElems(root); ok {
		if len(elems) > 0 {
			if f, ok := objectFields(elems[0]); ok {
				if _, ok := f.take(caiqControls...); ok {
					return "caiq"
				}
			}
		}
		return ""
	}
	f, ok := objectFields(root)
	if !ok {
		return ""
	}
	if raw, ok := f.take("questionnaire"); ok {
		if _, isList := arrayElems(raw); isList {
			return "vsaq"
		}
	}
	if _, ok := f.take(caiqDomains...); ok {
		return "caiq"
	}
	if raw, ok := f.take("sections"); ok {
		if secs, ok := arrayElems(raw); ok && len(secs) > 0 {
			if sf, ok := objectFields(secs[0]); ok {
				if _, ok := sf.take("questions"); ok {
					return "rampart"
				}
			}
		}
	}
	return ""
}
