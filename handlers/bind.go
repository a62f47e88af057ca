package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"rampart/models"
)

// bindJSON decodes the request body strictly into dst (a request DTO, never
// a model) and validates it. Each kind of mistake gets its own answer:
// wrong media type 415, unreadable JSON 400, unknown fields and wrong types
// 422 with the field named, failed rules 422 per field.
func bindJSON(c echo.Context, dst any) error {
	req := c.Request()
	mt, _, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	if err != nil || (mt != echo.MIMEApplicationJSON && !strings.HasSuffix(mt, "+json")) {
		return &requestError{status: http.StatusUnsupportedMediaType, detail: "The body must be JSON, sent with Content-Type: application/json."}
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return he
		}
		return malformed("The request body could not be read.")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return malformed("The request body is empty; a JSON object is expected.")
	}
	if !utf8.Valid(body) {
		return malformed("The request body is not valid UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(body, err)
	}
	if dec.More() {
		return malformed("The request body has data after the JSON value.")
	}
	if err := refuseNULInJSON(body, ""); err != nil {
		return err
	}
	if fields := validateStruct(dst); len(fields) > 0 {
		return &models.ValidationError{Errors: fields}
	}
	return nil
}

// withDomainRules completes a refusal of a body's shape (bindJSON's
// validation tags) with what the domain's own rules say about the same
// input (required fields, vocabularies), so one response names every
// invalid field instead of revealing them one round trip at a time. Other
// errors, and bodies that passed, are returned as they are.
func withDomainRules(err error, check func() error) error {
	var shape *models.ValidationError
	if !errors.As(err, &shape) {
		return err
	}
	var domain *models.ValidationError
	if !errors.As(check(), &domain) {
		return err
	}
	reported := map[string]bool{}
	out := make([]models.FieldError, 0, len(shape.Errors)+len(domain.Errors))
	for _, fe := range append(slices.Clone(shape.Errors), domain.Errors...) {
		if !reported[fe.Field] {
			reported[fe.Field] = true
			out = append(out, fe)
		}
	}
	return &models.ValidationError{Errors: out}
}

func decodeError(body []byte, err error) error {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syntax):
		line, col := position(body, syntax.Offset)
		return malformed(fmt.Sprintf("The body is not valid JSON: %s at line %d, column %d.", syntax.Error(), line, col))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return malformed("The body is not valid JSON: it ends in the middle of a value.")
	case errors.As(err, &typ):
		if typ.Field == "" {
			return malformed(fmt.Sprintf("The body must be a JSON object, not %s.", typ.Value))
		}
		// typ.Field is a Go path ("vendorFields.contacts.email"): name the
		// value the client sent instead, as "contacts[0].email".
		field := jsonPathAt(body, typ.Offset)
		if field == "" {
			field = typ.Field
		}
		return fieldError(field, fmt.Sprintf("must be %s, not %s", jsonKind(typ.Type.Kind().String()), typ.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return fieldError(field, "is not a known field")
	}
	return malformed("The body is not valid JSON.")
}

func fieldError(field, message string) error {
	return &requestError{
		status: http.StatusUnprocessableEntity,
		typ:    typeValidation,
		detail: "The request has invalid fields; see errors.",
		fields: []models.FieldError{{Field: field, Message: message}},
	}
}

// jsonKind names a Go kind the way a JSON client thinks of it.
func jsonKind(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "a number"
	case kind == "string":
		return "a string"
	case kind == "bool":
		return "true or false"
	case kind == "slice", kind == "array":
		return "a list"
	}
	return "an object"
}

func position(body []byte, offset int64) (line, col int) {
	line, col = 1, 1
	for i := int64(0); i < offset && i < int64(len(body)); i++ {
		if body[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}
