package doctext

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

func hasUTF16BOM(data []byte) bool {
	return bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE)
}

// extractPlain reads UTF-8 (BOM optional) or UTF-16 with a BOM. A form
// feed starts a new page, as in text printed from other programs; one at
// the very end (pdftotext ends every page with one) starts none.
func extractPlain(data []byte) (Document, error) {
	text, err := decodePlain(data)
	if err != nil {
		return Document{}, err
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	text = strings.TrimRight(text, " \t\n\f\v")
	text = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' && r != '\f' || r == 0x7F {
			return -1
		}
		return r
	}, text)
	if !strings.Contains(text, "\f") {
		return Document{Text: text}, nil
	}
	var b builder
	for i, page := range strings.Split(text, "\f") {
		if i > 0 {
			b.WriteString("\n")
		}
		b.newPage()
		b.WriteString(page)
	}
	if err := b.err(); err != nil {
		return Document{}, err
	}
	return Document{Text: b.b.String(), PageStarts: b.starts, Pages: len(b.starts)}, nil
}

func decodePlain(data []byte) (string, error) {
	var be bool
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		data = data[len(bomUTF8):]
	case bytes.HasPrefix(data, bomUTF16LE):
	case bytes.HasPrefix(data, bomUTF16BE):
		be = true
	default:
		if !utf8.Valid(data) {
			return "", fmt.Errorf("%w: the text is not valid UTF-8 (save it as UTF-8)", ErrMalformed)
		}
		return string(data), nil
	}
	if !hasUTF16BOM(data) {
		if !utf8.Valid(data) {
			return "", fmt.Errorf("%w: the text is not valid UTF-8 (save it as UTF-8)", ErrMalformed)
		}
		return string(data), nil
	}
	data = data[2:]
	if len(data)%2 != 0 {
		return "", fmt.Errorf("%w: the UTF-16 text has an odd number of bytes", ErrMalformed)
	}
	units := make([]uint16, len(data)/2)
	for i := range units {
		if be {
			units[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		} else {
			units[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
		}
	}
	// utf16.Decode turns a lone surrogate into U+FFFD: refuse instead of
	// returning garbage.
	for i := 0; i < len(units); i++ {
		switch {
		case units[i] >= 0xD800 && units[i] < 0xDC00:
			if i+1 >= len(units) || units[i+1] < 0xDC00 || units[i+1] >= 0xE000 {
				return "", fmt.Errorf("%w: the UTF-16 text has a broken surrogate pair", ErrMalformed)
			}
			i++
		case units[i] >= 0xDC00 && units[i] < 0xE000:
			return "", fmt.Errorf("%w: the UTF-16 text has a broken surrogate pair", ErrMalformed)
		}
	}
	return string(utf16.Decode(units)), nil
}
