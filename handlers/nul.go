package handlers

import (
	"cmp"
	"encoding/json"
	"strings"

	"github.com/labstack/echo/v4"
)

// PostgreSQL cannot store U+0000 in text and answers any query that
// carries one with an error, while SQLite stores it: a NUL is refused
// wherever input enters, so both databases behave alike and no caller
// sees a 500.

const nulMessage = "must not contain NUL characters (U+0000)"

func nulError(field string) error { return fieldError(field, nulMessage) }

// refuseNUL checks the matched route's path parameters and the query
// string; bodies are checked where they are decoded (bindJSON,
// streamUpload).
func refuseNUL(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		for i, name := range c.ParamNames() {
			if i < len(c.ParamValues()) && strings.ContainsRune(c.ParamValues()[i], 0) {
				return nulError(name)
			}
		}
		for name, values := range c.QueryParams() {
			if strings.ContainsRune(name, 0) {
				return nulError(strings.ReplaceAll(name, "\x00", `\u0000`))
			}
			for _, v := range values {
				if strings.ContainsRune(v, 0) {
					return nulError(name)
				}
			}
		}
		return next(c)
	}
}

// refuseNULInJSON refuses a JSON body (or a JSON form field named
// prefix) with a NUL in any key or string, naming where it is, e.g.
// tags[0] or mapping.columns.text.
func refuseNULInJSON(body []byte, prefix string) error {
	p, found := walkJSON(body, func(tok json.Token, _ bool, _ int64) bool {
		s, ok := tok.(string)
		return ok && strings.ContainsRune(s, 0)
	})
	if !found {
		return nil
	}
	p = strings.ReplaceAll(p, "\x00", `\u0000`)
	switch {
	case prefix == "":
		p = cmp.Or(p, "body")
	case p == "":
		p = prefix
	case strings.HasPrefix(p, "["):
		p = prefix + p
	default:
		p = prefix + "." + p
	}
	return nulError(p)
}
