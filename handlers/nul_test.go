package handlers

import (
	"strings"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

// PostgreSQL cannot store U+0000 in text: a NUL that reached a query gave
// a 500 there and was stored on SQLite. Every way in answers 422 naming
// where it was, on both databases alike, and nothing is stored.
func TestNULRefusedEverywhere(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		tpl := testTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Nul Vendor","category":"saas"}`))
		a := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tpl.ID+`","contact_email":"sec@nul.test"}`))
		sent := decode[sendResponse](t, f.call(&risk, "POST", "/api/v1/assessments/"+a.ID+"/send", `{"version":1}`))
		portal := "/api/v1/portal/" + sent.PortalURL[strings.LastIndex(sent.PortalURL, "/")+1:]

		for _, c := range []struct {
			name, method, path, body, field string
			s                               *session
		}{
			{"JSON text field", "POST", "/api/v1/vendors", `{"name":"Evil\u0000Corp","category":"saas"}`, "name", &risk},
			{"nested JSON field", "PATCH", "/api/v1/vendors/" + v.ID, `{"version":1,"name":"Nul Vendor","category":"saas","tags":["a\u0000"]}`, "tags[0]", &risk},
			{"search text", "GET", "/api/v1/vendors?q=evil%00corp", "", "q", &risk},
			{"cursor", "GET", "/api/v1/vendors?cursor=%00abc", "", "cursor", &risk},
			{"path id", "GET", "/api/v1/vendors/abc%00def", "", "id", &risk},
			{"portal comment", "PUT", portal + "/answers/IAM-01", `{"value":"yes","comment":"see\u0000attached"}`, "comment", nil},
			{"portal question key", "PUT", portal + "/answers/IAM%0001", `{"value":"yes"}`, "key", nil},
			{"sign-in email", "POST", "/api/v1/auth/login", `{"email":"admin@corp.test\u0000","password":"x"}`, "email", nil},
		} {
			r := f.call(c.s, c.method, c.path, c.body)
			if r.Code != 422 {
				t.Errorf("%s: %d %s", c.name, r.Code, r.Body)
				continue
			}
			if p := r.problem(); len(p.Errors) != 1 || p.Errors[0].Field != c.field || !strings.Contains(p.Errors[0].Message, "NUL") {
				t.Errorf("%s: problem %+v, want one error naming %q", c.name, p, c.field)
			}
		}
		// An escaped backslash before "u0000" is ordinary text, not a NUL.
		r := f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Back\\u0000slash","category":"saas"}`)
		if r.Code != 201 || decode[vendorResponse](t, r).Name != `Back\u0000slash` {
			t.Fatalf("escaped backslash: %d %s", r.Code, r.Body)
		}
		var named int64
		db.Gorm.Model(&models.Vendor{}).Where("name LIKE ?", "Evil%").Count(&named)
		if named != 0 {
			t.Fatal("a refused vendor was stored")
		}
	})
}
