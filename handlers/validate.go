package handlers

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"

	"rampart/models"
)

// validate is safe for concurrent use and caches struct metadata; it holds
// no request state, so one value serves the whole process.
var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	// weburl: empty (clears the field) or an absolute http(s) URL.
	_ = v.RegisterValidation("weburl", func(fl validator.FieldLevel) bool {
		s := fl.Field().String()
		u, err := url.Parse(s)
		return s == "" || (err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "")
	})
	// Report fields by their JSON names, which is what clients sent.
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		if f.Anonymous {
			return embedded // an embedded struct's fields belong to its parent
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			return f.Name
		}
		return name
	})
	return v
}

// validateStruct runs the `validate` tags of dst and returns one plain
// English message per failing field.
func validateStruct(dst any) []models.FieldError {
	err := validate.Struct(dst)
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return nil
	}
	out := make([]models.FieldError, 0, len(verrs))
	for _, fe := range verrs {
		out = append(out, models.FieldError{Field: fieldPath(fe), Message: message(fe)})
	}
	return out
}

// embedded names an embedded struct in validator namespaces; fieldPath
// removes it.
const embedded = "~"

// fieldPath drops the top-level struct name and embedded structs:
// "loginRequest.email" -> "email", "createVendorRequest.~.contacts[0].email"
// -> "contacts[0].email".
func fieldPath(fe validator.FieldError) string {
	ns := strings.ReplaceAll(fe.Namespace(), "."+embedded+".", ".")
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return fe.Field()
}

func message(fe validator.FieldError) string {
	p := fe.Param()
	isString := fe.Kind() == reflect.String
	switch fe.Tag() {
	case "required", "required_if", "required_unless", "required_with", "required_without":
		return "is required"
	case "email":
		return "must be a valid email address"
	case "url", "http_url", "weburl":
		return "must be a valid URL starting with http:// or https://"
	case "oneof":
		return "must be one of: " + strings.Join(strings.Fields(p), ", ")
	case "min":
		if isString {
			return fmt.Sprintf("must be at least %s characters long", p)
		}
		if fe.Kind() == reflect.Slice || fe.Kind() == reflect.Map {
			return fmt.Sprintf("must have at least %s items", p)
		}
		return "must be at least " + p
	case "max":
		if isString {
			return fmt.Sprintf("must be at most %s characters long", p)
		}
		if fe.Kind() == reflect.Slice || fe.Kind() == reflect.Map {
			return fmt.Sprintf("must have at most %s items", p)
		}
		return "must be at most " + p
	case "len":
		return fmt.Sprintf("must be exactly %s characters long", p)
	case "gte":
		return "must be greater than or equal to " + p
	case "lte":
		return "must be less than or equal to " + p
	case "gt":
		return "must be greater than " + p
	case "lt":
		return "must be less than " + p
	case "uuid", "uuid7":
		return "must be a valid id"
	case "iso4217":
		return "must be a three-letter ISO 4217 currency code"
	case "datetime":
		return "must be a date in the form " + p
	case "printascii", "printunicode":
		return "must contain only printable characters"
	case "dive":
		return "has an invalid item"
	}
	return "is not valid (" + fe.Tag() + ")"
}
