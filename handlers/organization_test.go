package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"rampart/app/notify"
	"rampart/models"
	"rampart/models/testdb"
)

// TestOrganizationName: the company's name vendors see is a setting. Until
// it is set the --org-name option's value stands; an administrator sets it
// (trimmed, one line, 1-200 characters), and at once the portal names the
// company so and the mails to vendors say it; others may read it, not set
// it; a stale version is 409 with the stored name; a change is audited.
func TestOrganizationName(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db, func(d *Deps) {
			d.Notify = &notify.Notifier{Mode: notify.MailOn, BaseURL: d.BaseURL, OrgName: "Corp"}
		})
		tpl := testTemplate(t, db)
		admin, risk, auditor := f.as(models.RoleAdmin), f.as(models.RoleRiskManager), f.as(models.RoleAuditor)
		path, portal := f.threadAssessment(&risk, tpl.ID, "Named Vendor", "sec@named.test")

		got := decode[organizationResponse](t, f.call(&auditor, "GET", "/api/v1/settings/organization", ""))
		if got.Name != "Corp" || got.Set || got.DefaultName != "Corp" || got.Version != 1 || got.UpdatedAt != nil {
			t.Fatalf("before any: %+v", got)
		}
		if v := decode[portalResponse](t, f.call(nil, "GET", portal, "")); v.AskedBy != "Corp" {
			t.Fatalf("portal asked_by before any: %q", v.AskedBy)
		}
		if r := f.call(&risk, "PUT", "/api/v1/settings/organization", `{"name":"Risky","version":1}`); r.Code != 403 {
			t.Fatalf("a risk manager sets the name: %d %s", r.Code, r.Body)
		}

		for _, c := range []struct{ why, body, field string }{
			{"empty", `{"name":"","version":1}`, "name"},
			{"blank", `{"name":"   ","version":1}`, "name"},
			{"too long", `{"name":"` + strings.Repeat("é", 201) + `","version":1}`, "name"},
			{"two lines", `{"name":"Acme\nCorp","version":1}`, "name"},
			{"line separator", `{"name":"Acme\u2028Corp","version":1}`, "name"},
			{"control character", `{"name":"Acme\u0007Corp","version":1}`, "name"},
			{"lone surrogate", `{"name":"Acme \udc00","version":1}`, "name"},
			{"unknown field", `{"name":"Acme","version":1,"logo":"x"}`, "logo"},
			{"no version", `{"name":"Acme"}`, "version"},
		} {
			r := f.call(&admin, "PUT", "/api/v1/settings/organization", c.body)
			if r.Code != 422 {
				t.Fatalf("%s: %d %s", c.why, r.Code, r.Body)
			}
			if p := r.problem(); len(p.Errors) == 0 || p.Errors[0].Field != c.field {
				t.Fatalf("%s: errors %+v", c.why, p.Errors)
			}
		}
		// Both rules at once: the shape's and the name's.
		if p := f.call(&admin, "PUT", "/api/v1/settings/organization", `{"name":" "}`).problem(); len(p.Errors) != 2 {
			t.Fatalf("empty name without version: %+v", p.Errors)
		}
		// Bytes that are not UTF-8 make the whole body unreadable, as on every route.
		if r := f.call(&admin, "PUT", "/api/v1/settings/organization", "{\"name\":\"Acme \xff\",\"version\":1}"); r.Code != 400 {
			t.Fatalf("invalid UTF-8 body: %d %s", r.Code, r.Body)
		}

		r := f.call(&admin, "PUT", "/api/v1/settings/organization", `{"name":"  Acme Holdings  ","version":1}`)
		if r.Code != 200 {
			t.Fatalf("set: %d %s", r.Code, r.Body)
		}
		got = decode[organizationResponse](t, r)
		if got.Name != "Acme Holdings" || !got.Set || got.DefaultName != "Corp" || got.Version != 2 || got.UpdatedAt == nil {
			t.Fatalf("after set: %+v", got)
		}
		if v := decode[portalResponse](t, f.call(nil, "GET", portal, "")); v.AskedBy != "Acme Holdings" {
			t.Fatalf("portal asked_by after set: %q", v.AskedBy)
		}
		if r := f.postMessage(&risk, path+"/answers/IAM-02/messages", "Which users are excluded from MFA?", "", ""); r.Code != 201 {
			t.Fatalf("staff message: %d %s", r.Code, r.Body)
		}
		mails := f.outbox("sec@named.test")
		if m := mails["vendor.message"]; len(m) != 1 || !strings.Contains(m[0].TextBody, "at Acme Holdings wrote") ||
			!strings.Contains(m[0].TextBody, "Sent by Acme Holdings's vendor risk program") || strings.Contains(m[0].TextBody, "Corp") {
			t.Fatalf("the vendor's mail: %+v", m)
		}

		r = f.call(&admin, "PUT", "/api/v1/settings/organization", `{"name":"Someone Else","version":1}`)
		if r.Code != 409 {
			t.Fatalf("stale: %d %s", r.Code, r.Body)
		}
		var stale struct{ Current organizationResponse }
		if err := json.Unmarshal(r.Body.Bytes(), &stale); err != nil || stale.Current.Name != "Acme Holdings" || stale.Current.Version != 2 {
			t.Fatalf("409 current: %s", r.Body)
		}
		if got := decode[organizationResponse](t, f.call(&admin, "GET", "/api/v1/settings/organization", "")); got.Name != "Acme Holdings" {
			t.Fatalf("the stale save changed the name: %+v", got)
		}
		long := strings.Repeat("é", 200)
		if r := f.call(&admin, "PUT", "/api/v1/settings/organization", `{"name":"`+long+`","version":2}`); r.Code != 200 || decode[organizationResponse](t, r).Name != long {
			t.Fatalf("200 characters: %d %s", r.Code, r.Body)
		}

		var audited []models.AuditEvent
		db.Gorm.Where("action = ?", "organization.update").Order("seq").Find(&audited)
		if len(audited) != 2 || audited[0].ActorID != f.users[models.RoleAdmin].ID ||
			audited[0].BeforeData == nil || !strings.Contains(*audited[0].BeforeData, `"name":""`) ||
			audited[0].AfterData == nil || !strings.Contains(*audited[0].AfterData, `"name":"Acme Holdings"`) {
			t.Fatalf("audit %+v", audited)
		}
	})
}

// TestOrganizationNameConcurrentWriters: two administrators save from the
// same version at once, the first save of all included (the row does not
// exist yet): exactly one wins, the other gets 409.
func TestOrganizationNameConcurrentWriters(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		admin := f.as(models.RoleAdmin)
		for round := range 4 {
			version := decode[organizationResponse](t, f.call(&admin, "GET", "/api/v1/settings/organization", "")).Version
			codes := make([]int, 2)
			var wg sync.WaitGroup
			for i := range codes {
				wg.Go(func() {
					codes[i] = f.call(&admin, "PUT", "/api/v1/settings/organization", fmt.Sprintf(`{"name":"Corp %d-%d","version":%d}`, round, i, version)).Code
				})
			}
			wg.Wait()
			if !slices.Contains(codes, http.StatusOK) || !slices.Contains(codes, http.StatusConflict) {
				t.Fatalf("round %d: statuses %v, want one 200 and one 409", round, codes)
			}
		}
		if got := decode[organizationResponse](t, f.call(&admin, "GET", "/api/v1/settings/organization", "")); got.Version != 5 {
			t.Fatalf("after four rounds: %+v", got)
		}
	})
}
