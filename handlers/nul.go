package handlers

import (
	"cmp"
	"encoding/json"
	"reflect"
	"strconv"
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

var rawMessageType = reflect.TypeFor[json.RawMessage]()

// findNUL returns the JSON path (name, tags[0], contacts[1].email) of the
// first string in v that holds a NUL, or "" when there is none.
func findNUL(v reflect.Value, path string) string {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return findNUL(v.Elem(), path)
		}
	case reflect.String:
		if strings.ContainsRune(v.String(), 0) {
			return cmp.Or(path, "body")
		}
	case reflect.Slice:
		if v.Type() == rawMessageType {
			var decoded any
			if json.Unmarshal(v.Bytes(), &decoded) == nil {
				return findNUL(reflect.ValueOf(decoded), path)
			}
			return ""
		}
		fallthrough
	case reflect.Array:
		for i := range v.Len() {
			if p := findNUL(v.Index(i), path+"["+strconv.Itoa(i)+"]"); p != "" {
				return p
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			key := it.Key()
			name := joinPath(path, key.String())
			if key.Kind() == reflect.String && strings.ContainsRune(key.String(), 0) {
				return joinPath(path, strings.ReplaceAll(key.String(), "\x00", `\u0000`))
			}
			if p := findNUL(it.Value(), name); p != "" {
				return p
			}
		}
	case reflect.Struct:
		return findNULInStruct(v, path)
	}
	return ""
}

func findNULInStruct(v reflect.Value, path string) string {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		// Embedded DTO parts (vendorFields) are unexported types whose
		// fields the JSON decoder still fills.
		if !f.IsExported() && !f.Anonymous {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		fieldPath := path
		if !f.Anonymous || name != "" {
			if name == "" {
				name = f.Name
			}
			fieldPath = joinPath(path, name)
		}
		if p := findNUL(v.Field(i), fieldPath); p != "" {
			return p
		}
	}
	return ""
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// checkNUL is bindJSON's check of a decoded body.
func checkNUL(dst any) error {
	if p := findNUL(reflect.ValueOf(dst), ""); p != "" {
		return nulError(p)
	}
	return nil
}
