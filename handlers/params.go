package handlers

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"rampart/app/questionnaire"
	"rampart/models"
)

// query reads a list's query parameters strictly: a parameter the
// endpoint does not know is a 422 naming it, so a typo never silently
// returns the unfiltered list.
type query struct {
	values url.Values
	errs   []models.FieldError
}

func parseQuery(c echo.Context, allowed ...string) *query {
	q := &query{values: c.QueryParams()}
	known := map[string]bool{"limit": true, "cursor": true, "sort": true}
	for _, a := range allowed {
		known[a] = true
	}
	for k, vs := range q.values {
		// "cf.*" admits the custom field filters, which customListParams
		// checks against the definitions.
		if !known[k] && !(known["cf.*"] && strings.HasPrefix(k, "cf.")) {
			q.fail(k, "is not a known parameter")
		} else if len(vs) > 1 {
			q.fail(k, "must be given once")
		}
	}
	return q
}

func (q *query) fail(field, msg string) {
	q.errs = append(q.errs, models.FieldError{Field: field, Message: msg})
}

func (q *query) err() error {
	if len(q.errs) == 0 {
		return nil
	}
	return &models.ValidationError{Errors: q.errs}
}

func (q *query) str(name string, max int) string {
	v := strings.TrimSpace(q.values.Get(name))
	switch {
	case !utf8.ValidString(v):
		q.fail(name, "must be valid UTF-8 text")
		return ""
	case utf8.RuneCountInString(v) > max:
		q.fail(name, "must be at most "+strconv.Itoa(max)+" characters long")
		return ""
	}
	return v
}

func (q *query) oneOf(name string, options ...string) string {
	v := q.values.Get(name)
	if v == "" {
		return ""
	}
	for _, o := range options {
		if v == o {
			return v
		}
	}
	q.fail(name, "must be one of: "+strings.Join(options, ", "))
	return ""
}

// list reads comma-separated values, each from options.
func (q *query) list(name string, options []string) []string {
	v := q.values.Get(name)
	if v == "" {
		return nil
	}
	var out []string
	for _, item := range strings.Split(v, ",") {
		if !slices.Contains(options, item) {
			q.fail(name, "has "+strconv.Quote(item)+"; allowed: "+strings.Join(options, ", "))
			return nil
		}
		out = append(out, item)
	}
	return out
}

func (q *query) boolean(name string) *bool {
	switch q.values.Get(name) {
	case "":
		return nil
	case "true":
		t := true
		return &t
	case "false":
		f := false
		return &f
	}
	q.fail(name, "must be true or false")
	return nil
}

func (q *query) limit() int {
	v := q.values.Get("limit")
	if v == "" {
		return models.DefaultLimit
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > models.MaxLimit {
		q.fail("limit", "must be a whole number from 1 to "+strconv.Itoa(models.MaxLimit))
		return models.DefaultLimit
	}
	return n
}

// time reads an RFC 3339 timestamp or a plain date (midnight UTC).
func (q *query) time(name string) time.Time {
	v := q.values.Get(name)
	if v == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC()
		}
	}
	q.fail(name, "must be a date (2026-01-31) or an RFC 3339 time (2026-01-31T09:00:00Z)")
	return time.Time{}
}

// listResponse is the shape of every list.
type listResponse[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
	Total      int64   `json:"total"`
	// TotalCapped: the count stopped at 1,000; more match (shown "1,000+").
	TotalCapped bool `json:"total_capped" description:"true when more than total match: a list counts up to 1,000 and is then shown as 1,000+ (the vendor register, whole or filtered by status, tier, matrix cell or review date alone, is always counted exactly)"`
}

func newList[T, M any](page models.Page[M], view func(*M) T) listResponse[T] {
	out := listResponse[T]{Items: make([]T, 0, len(page.Items)), Total: page.Total, TotalCapped: page.TotalCapped}
	for i := range page.Items {
		out.Items = append(out.Items, view(&page.Items[i]))
	}
	if page.NextCursor != "" {
		out.NextCursor = &page.NextCursor
	}
	return out
}

// unescapeParams hands every handler its path parameters decoded exactly
// once. Echo v4 routes on URL.RawPath whenever the client's encoding
// differs from Go's default (%26 for "&", %2F, lower-case hex) and then
// gives the still-encoded segment as the parameter; otherwise it routes on
// the already decoded URL.Path. Without this, a question key such as
// "A&A-01.1" reached the handler encoded while "Ключ-1" arrived decoded.
// The SPA's wildcard is left alone: decoding it would turn %2F into a path
// separator after routing.
func unescapeParams(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().URL.RawPath == "" {
			return next(c)
		}
		names, values := c.ParamNames(), c.ParamValues()
		decoded := make([]string, len(values))
		for i, v := range values {
			decoded[i] = v
			if i >= len(names) || names[i] == "*" {
				continue
			}
			d, err := url.PathUnescape(v)
			if err != nil {
				return malformed("The path parameter " + names[i] + " is not validly percent-encoded.")
			}
			decoded[i] = d
		}
		c.SetParamValues(decoded...)
		return next(c)
	}
}

// questionKeyParam is the :key path parameter as a question key, or a 422
// naming the field when it cannot be one (a control character, too long),
// so such a request never reaches a lookup.
func questionKeyParam(c echo.Context) (string, error) {
	k := c.Param("key")
	if !questionnaire.ValidKey(k) {
		return "", fieldError("key", fmt.Sprintf("must be 1-%d letters, digits, punctuation, symbols or inner spaces, without control characters", questionnaire.MaxKeyLength))
	}
	return k, nil
}
