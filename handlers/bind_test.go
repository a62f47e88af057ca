package handlers

import (
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"rampart/models"
	"rampart/models/testdb"
)

type probeContact struct {
	Email string `json:"email" validate:"required,email"`
}

// probeExtra is embedded the way vendorFields is: its Go name must never
// appear in an error.
type probeExtra struct {
	Tags []string `json:"tags"`
}

type probeRequest struct {
	probeExtra
	Name     string         `json:"name" validate:"required,max=20"`
	Email    string         `json:"email" validate:"required,email"`
	Website  string         `json:"website" validate:"omitempty,http_url"`
	Spend    *float64       `json:"spend" validate:"omitempty,gte=0"`
	Tier     int            `json:"tier" validate:"omitempty,oneof=1 2 3 4"`
	Contacts []probeContact `json:"contacts" validate:"dive"`
}

func TestBindJSON(t *testing.T) {
	s := newTestServer(t, testdb.Open(t, models.SQLite))
	s.Echo().POST("/api/v1/test-bind", func(c echo.Context) error {
		var req probeRequest
		if err := bindJSON(c, &req); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, req)
	})
	type want struct {
		status int
		fields map[string]string // field -> message fragment
		detail string
	}
	cases := []struct {
		name, ctype, body string
		want              want
	}{
		{"valid", "application/json", `{"name":"Acme","email":"a@acme.test","contacts":[{"email":"b@acme.test"}]}`, want{status: 200}},
		{"charset parameter", "application/json; charset=utf-8", `{"name":"Acme","email":"a@acme.test"}`, want{status: 200}},
		{"hostile strings are data", "application/json", `{"name":"<b>x</b>' OR 1=1--","email":"a@acme.test"}`, want{status: 200}},
		{"form post", "application/x-www-form-urlencoded", `name=x`, want{status: 415}},
		{"no content type", "", `{"name":"Acme"}`, want{status: 415}},
		{"text/plain (cross-site form)", "text/plain", `{"name":"Acme","email":"a@acme.test"}`, want{status: 415}},
		{"empty body", "application/json", ``, want{status: 400, detail: "empty"}},
		{"malformed", "application/json", "{\n  \"name\": \"Acme\",\n  \"email\" \"x\"\n}", want{status: 400, detail: "line 3, column"}},
		{"truncated", "application/json", `{"name":"Ac`, want{status: 400, detail: "ends in the middle"}},
		{"array instead of object", "application/json", `[1,2]`, want{status: 400, detail: "must be a JSON object"}},
		{"trailing data", "application/json", `{"name":"Acme","email":"a@acme.test"} {"x":1}`, want{status: 400, detail: "after the JSON value"}},
		{"invalid UTF-8", "application/json", "{\"name\":\"Ac\xffme\",\"email\":\"a@acme.test\"}", want{status: 400, detail: "UTF-8"}},
		{"unknown field", "application/json", `{"name":"Acme","email":"a@acme.test","role":"admin"}`, want{status: 422, fields: map[string]string{"role": "not a known field"}}},
		{"wrong type", "application/json", `{"name":"Acme","email":"a@acme.test","spend":"lots"}`, want{status: 422, fields: map[string]string{"spend": "must be a number"}}},
		{"wrong type in an embedded part's list", "application/json", `{"name":"Acme","email":"a@acme.test","tags":["a",5]}`, want{status: 422, fields: map[string]string{"tags[1]": "must be a string, not number"}}},
		{"wrong type in a list of objects", "application/json", `{"name":"Acme","email":"a@acme.test","contacts":[{"email":"b@acme.test"},{"email":5}]}`, want{status: 422, fields: map[string]string{"contacts[1].email": "must be a string, not number"}}},
		{"object for a string", "application/json", `{"name":{"first":"A"},"email":"a@acme.test"}`, want{status: 422, fields: map[string]string{"name": "must be a string, not object"}}},
		{"huge number", "application/json", `{"name":"Acme","email":"a@acme.test","tier":1e400}`, want{status: 422, fields: map[string]string{"tier": "must be a number"}}},
		{"rules per field", "application/json", `{"name":"` + strings.Repeat("n", 21) + `","email":"not-an-email","website":"javascript:alert(1)","spend":-1,"tier":7,"contacts":[{"email":""}]}`,
			want{status: 422, fields: map[string]string{
				"name":              "at most 20 characters",
				"email":             "valid email",
				"website":           "valid URL",
				"spend":             "greater than or equal to 0",
				"tier":              "one of: 1, 2, 3, 4",
				"contacts[0].email": "is required",
			}}},
		{"missing required", "application/json", `{}`, want{status: 422, fields: map[string]string{"name": "is required", "email": "is required"}}},
		{"oversized", "application/json", `{"name":"` + strings.Repeat("a", 5000) + `"}`, want{status: 413}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			headers := []string{}
			if c.ctype != "" {
				headers = append(headers, "Content-Type", c.ctype)
			}
			r := do(t, s, "POST", "/api/v1/test-bind", strings.NewReader(c.body), headers...)
			if r.Code != c.want.status {
				t.Fatalf("status %d, want %d: %s", r.Code, c.want.status, r.Body)
			}
			if c.want.status == 200 {
				return
			}
			p := r.problem()
			if !strings.Contains(p.Detail, c.want.detail) {
				t.Errorf("detail %q lacks %q", p.Detail, c.want.detail)
			}
			if c.want.fields == nil {
				return
			}
			if p.Type != typeValidation || len(p.Errors) != len(c.want.fields) {
				t.Fatalf("type %q errors %+v, want %d field errors", p.Type, p.Errors, len(c.want.fields))
			}
			for _, fe := range p.Errors {
				frag, ok := c.want.fields[fe.Field]
				if !ok || !strings.Contains(fe.Message, frag) {
					t.Errorf("field %q message %q, want %q", fe.Field, fe.Message, frag)
				}
			}
		})
	}
}
