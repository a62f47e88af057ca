package dbcopy

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// kind is how a column's values are carried across and compared: the
// PostgreSQL column type decides it, because SQLite's declared types
// ({{.JSON}} is TEXT there) do not say what a value means.
type kind int

const (
	kText kind = iota
	kInt
	kFloat
	kNumeric
	kBool
	kTime     // timestamp with time zone
	kTimeWall // timestamp without time zone: the app writes UTC wall time
	kDate
	kJSON
	kBytes
)

func kindOf(pgType string) (kind, error) {
	switch pgType {
	case "text", "character varying", "character":
		return kText, nil
	case "bigint", "integer", "smallint":
		return kInt, nil
	case "double precision", "real":
		return kFloat, nil
	case "numeric":
		return kNumeric, nil
	case "boolean":
		return kBool, nil
	case "timestamp with time zone":
		return kTime, nil
	case "timestamp without time zone":
		return kTimeWall, nil
	case "date":
		return kDate, nil
	case "jsonb", "json":
		return kJSON, nil
	case "bytea":
		return kBytes, nil
	}
	return 0, fmt.Errorf("PostgreSQL type %q is not one db copy knows how to carry", pgType)
}

// convert turns a value read from SQLite into what PostgreSQL stores for
// kind k, or says why it cannot be stored there as it is. Nothing is
// silently altered except timestamps, kept to the microsecond (the
// precision of PostgreSQL and of what Rampart hashes into its audit trail).
func convert(k kind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case kText:
		s, err := text(v)
		if err != nil {
			return nil, err
		}
		return s, pgText(s)
	case kInt:
		switch x := v.(type) {
		case int64:
			return x, nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
				return int64(x), nil
			}
		case string:
			if n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil {
				return n, nil
			}
		}
		return nil, fmt.Errorf("%s is not an integer", describe(v))
	case kFloat:
		switch x := v.(type) {
		case int64:
			return float64(x), nil
		case float64:
			return x, nil
		}
		return nil, fmt.Errorf("%s is not a number", describe(v))
	case kNumeric:
		switch x := v.(type) {
		case int64:
			return strconv.FormatInt(x, 10), nil
		case float64:
			return strconv.FormatFloat(x, 'g', -1, 64), nil
		case string:
			if _, ok := new(big.Rat).SetString(x); ok {
				return x, nil
			}
		}
		return nil, fmt.Errorf("%s is not a number", describe(v))
	case kBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			if x == 0 || x == 1 {
				return x == 1, nil
			}
		case string:
			switch strings.ToLower(x) {
			case "1", "true", "t":
				return true, nil
			case "0", "false", "f":
				return false, nil
			}
		}
		return nil, fmt.Errorf("%s is not a boolean", describe(v))
	case kTime, kTimeWall, kDate:
		t, err := timeValue(v)
		if err != nil {
			return nil, err
		}
		if k == kDate {
			return t.Format(time.DateOnly), nil
		}
		return t, nil
	case kJSON:
		s, err := text(v)
		if err != nil {
			return nil, err
		}
		if !json.Valid([]byte(s)) {
			return nil, errors.New("is not valid JSON")
		}
		if strings.Contains(s, `\u0000`) {
			return nil, errors.New(`JSON holds \u0000, which PostgreSQL's jsonb refuses`)
		}
		return s, pgText(s)
	case kBytes:
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
		return nil, fmt.Errorf("%s is not binary data", describe(v))
	}
	return nil, fmt.Errorf("unknown kind %d", k)
}

func text(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case []byte:
		return string(x), nil
	case time.Time:
		// A DATETIME column holding a value of another type is not
		// parsed by the driver; one that is parsed was a time all along.
		return x.Format(time.RFC3339Nano), nil
	}
	return "", fmt.Errorf("%s is not text", describe(v))
}

// pgText says why PostgreSQL would refuse s as text, if it would.
func pgText(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("text is not valid UTF-8, which PostgreSQL refuses")
	}
	if strings.IndexByte(s, 0) >= 0 {
		return errors.New("text holds a NUL byte, which PostgreSQL refuses")
	}
	return nil
}

// timeLayouts are the text forms SQLite files hold times in: the
// driver's own (what GORM writes) first, then RFC 3339.
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	time.DateOnly,
}

func timeValue(v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x.UTC().Truncate(time.Microsecond), nil
	case string:
		for _, l := range timeLayouts {
			if t, err := time.Parse(l, strings.TrimSuffix(x, "Z")); err == nil {
				return t.UTC().Truncate(time.Microsecond), nil
			}
			if t, err := time.Parse(l, x); err == nil {
				return t.UTC().Truncate(time.Microsecond), nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("%s is not a time", describe(v))
}

func describe(v any) string {
	s := fmt.Sprintf("%v", v)
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return fmt.Sprintf("%T value %q", v, s)
}

// canonical writes v, read from either database, in one form per kind so
// that the same content read from SQLite and from PostgreSQL compares
// equal: booleans as t/f, times as UTC to the microsecond, JSON decoded
// and re-encoded (PostgreSQL's jsonb reorders keys and rewrites numbers),
// bytes as hex. NULL is distinct from every value.
func canonical(w *bytes.Buffer, k kind, v any) error {
	if v == nil {
		w.WriteString("\x00N")
		return nil
	}
	switch k {
	case kText:
		s, err := text(v)
		if err != nil {
			return err
		}
		w.WriteString(strconv.Quote(s))
	case kInt, kFloat, kNumeric:
		var r big.Rat
		switch x := v.(type) {
		case int64:
			r.SetInt64(x)
		case float64:
			r.SetFloat64(x)
		case string:
			if _, ok := r.SetString(x); !ok {
				return fmt.Errorf("%s is not a number", describe(v))
			}
		case []byte:
			if _, ok := r.SetString(string(x)); !ok {
				return fmt.Errorf("%s is not a number", describe(v))
			}
		default:
			return fmt.Errorf("%s is not a number", describe(v))
		}
		w.WriteString(r.RatString())
	case kBool:
		b, err := convert(kBool, v)
		if err != nil {
			return err
		}
		w.WriteString(map[bool]string{true: "t", false: "f"}[b.(bool)])
	case kTime, kTimeWall:
		var t time.Time
		var err error
		if x, ok := v.(time.Time); ok && k == kTimeWall {
			// PostgreSQL hands a zone-less timestamp back in UTC;
			// its wall time is what was stored.
			t = time.Date(x.Year(), x.Month(), x.Day(), x.Hour(), x.Minute(), x.Second(), x.Nanosecond(), time.UTC).Truncate(time.Microsecond)
		} else if t, err = timeValue(v); err != nil {
			return err
		}
		w.WriteString(t.Format("2006-01-02T15:04:05.000000Z"))
	case kDate:
		t, err := timeValue(v)
		if err != nil {
			return err
		}
		w.WriteString(t.Format(time.DateOnly))
	case kJSON:
		var raw []byte
		switch x := v.(type) {
		case string:
			raw = []byte(x)
		case []byte:
			raw = x
		default:
			b, err := json.Marshal(x)
			if err != nil {
				return err
			}
			raw = b
		}
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var doc any
		if err := d.Decode(&doc); err != nil {
			return fmt.Errorf("invalid JSON: %w", err)
		}
		b, err := json.Marshal(exactNumbers(doc))
		if err != nil {
			return err
		}
		w.Write(b)
	case kBytes:
		b, ok := v.([]byte)
		if !ok {
			s, isString := v.(string)
			if !isString {
				return fmt.Errorf("%s is not binary data", describe(v))
			}
			b = []byte(s)
		}
		w.WriteString(hex.EncodeToString(b))
	}
	return nil
}

// exactNumbers replaces every JSON number by its exact rational value, so
// that 1.0, 1e0 and 1 (which jsonb may turn one into another) compare equal
// and large integers keep every digit.
func exactNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if r, ok := new(big.Rat).SetString(string(x)); ok {
			return "\x00num:" + r.RatString()
		}
		return string(x)
	case map[string]any:
		for k, e := range x {
			x[k] = exactNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = exactNumbers(e)
		}
	}
	return v
}
