package handlers

import (
	"encoding/csv"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"rampart/app/sheet"
	"rampart/app/vendors"
	"rampart/models"
	"rampart/models/testdb"
)

// defineField creates a custom field as admin and returns it.
func (f *fixture) defineField(admin *session, body string) customFieldResponse {
	f.t.Helper()
	r := f.call(admin, "POST", "/api/v1/settings/custom-fields", body)
	if r.Code != 201 {
		f.t.Fatalf("define %s: %d %s", body, r.Code, r.Body)
	}
	return decode[customFieldResponse](f.t, r)
}

// fieldsOf is the fields a 422 names.
func fieldsOf(r response) []string {
	var out []string
	for _, fe := range r.problem().Errors {
		out = append(out, fe.Field)
	}
	return out
}

// vendorFieldSet defines one vendor field of each type.
func (f *fixture) vendorFieldSet(admin *session) map[string]customFieldResponse {
	f.t.Helper()
	out := map[string]customFieldResponse{}
	for _, body := range []string{
		`{"entity_type":"vendor","key":"cost_centre","label":"Cost centre <b>","type":"text","help_text":"Finance's code"}`,
		`{"entity_type":"vendor","key":"spend","label":"Annual spend (USD)","type":"number"}`,
		`{"entity_type":"vendor","key":"renewal","label":"Renewal","type":"date"}`,
		`{"entity_type":"vendor","key":"tier","label":"Tier","type":"single_choice","options":["Gold","Silver"]}`,
		`{"entity_type":"vendor","key":"residency","label":"Data residency","type":"multiple_choice","options":["EU","US","APAC"]}`,
		`{"entity_type":"vendor","key":"steward","label":"Steward","type":"user"}`,
		`{"entity_type":"vendor","key":"docs","label":"Docs","type":"url"}`,
	} {
		d := f.defineField(admin, body)
		out[d.Key] = d
	}
	return out
}

func TestCustomFieldDefinitions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		admin, risk, legal, requester := f.as(models.RoleAdmin), f.as(models.RoleRiskManager), f.as(models.RoleLegal), f.as(models.RoleRequester)
		defs := f.vendorFieldSet(&admin)
		if d := defs["cost_centre"]; d.Label != "Cost centre <b>" || d.HelpText != "Finance's code" || d.Position != 0 || d.Version != 1 || len(d.Options) != 0 {
			t.Fatalf("text field %+v", d)
		}
		if d := defs["residency"]; d.Position != 4 || strings.Join(d.Options, ",") != "EU,US,APAC" {
			t.Fatalf("choice field %+v", d)
		}
		if n := f.auditCount("custom_field.create"); n != 7 {
			t.Fatalf("%d custom_field.create events", n)
		}

		for body, field := range map[string]string{
			`{"entity_type":"vendor","key":"Bad Key","label":"x","type":"text"}`:                               "key",
			`{"entity_type":"vendor","key":"colour","label":"x","type":"color"}`:                               "type",
			`{"entity_type":"asset","key":"colour","label":"x","type":"text"}`:                                 "entity_type",
			`{"entity_type":"vendor","key":"colour","label":"x","type":"single_choice"}`:                       "options",
			`{"entity_type":"vendor","key":"colour","label":"x","type":"single_choice","options":["a,b"]}`:     "options[0]",
			`{"entity_type":"vendor","key":"colour","label":"x","type":"single_choice","options":["a","a"]}`:   "options[1]",
			`{"entity_type":"vendor","key":"colour","label":"x","type":"text","options":["a"]}`:                "options",
			`{"entity_type":"vendor","key":"spend","label":"Again","type":"number"}`:                           "key",
			`{"entity_type":"vendor","key":"colour","label":"   ","type":"text"}`:                              "label",
			`{"entity_type":"vendor","key":"colour","label":"x","type":"text","colour":true}`:                  "colour",
			`{"entity_type":"vendor","key":"colour","label":"` + strings.Repeat("é", 101) + `","type":"text"}`: "label",
		} {
			r := f.call(&admin, "POST", "/api/v1/settings/custom-fields", body)
			if r.Code != 422 || !slices.Contains(fieldsOf(r), field) {
				t.Errorf("%s: %d %s, want 422 naming %s", body, r.Code, r.Body, field)
			}
		}
		// The same key on another record kind is another field.
		f.defineField(&admin, `{"entity_type":"finding","key":"spend","label":"Cost","type":"number"}`)

		// Only admins manage; everyone who reads the records reads them.
		if r := f.call(&risk, "POST", "/api/v1/settings/custom-fields", `{"entity_type":"vendor","key":"x","label":"x","type":"text"}`); r.Code != 403 {
			t.Fatalf("risk manager defines: %d", r.Code)
		}
		if r := f.call(&risk, "PATCH", "/api/v1/settings/custom-fields/"+defs["spend"].ID, `{"version":1,"label":"y"}`); r.Code != 403 {
			t.Fatalf("risk manager edits: %d", r.Code)
		}
		if r := f.call(&requester, "GET", "/api/v1/settings/custom-fields", ""); r.Code != 403 {
			t.Fatalf("requester reads: %d", r.Code)
		}
		list := decode[customFieldsResponse](t, f.call(&legal, "GET", "/api/v1/settings/custom-fields?entity_type=vendor", ""))
		if len(list.Items) != 7 || list.Items[0].Key != "cost_centre" || list.Items[6].Key != "docs" {
			t.Fatalf("legal's list %+v", list.Items)
		}
		if r := f.call(&legal, "GET", "/api/v1/settings/custom-fields?entity_type=asset", ""); r.Code != 422 {
			t.Fatalf("unknown entity: %d", r.Code)
		}

		// Edit: label, help, options; a stale version is 409 with current.
		r := f.call(&admin, "PATCH", "/api/v1/settings/custom-fields/"+defs["tier"].ID, `{"version":1,"label":"Support tier","options":["Gold","Silver","Bronze"],"required":true}`)
		if r.Code != 200 {
			t.Fatalf("edit: %d %s", r.Code, r.Body)
		}
		tier := decode[customFieldResponse](t, r)
		if tier.Label != "Support tier" || len(tier.Options) != 3 || !tier.Required || tier.Version != 2 || tier.Key != "tier" {
			t.Fatalf("edited %+v", tier)
		}
		if r := f.call(&admin, "PATCH", "/api/v1/settings/custom-fields/"+defs["tier"].ID, `{"version":1,"label":"Old"}`); r.Code != 409 || !strings.Contains(r.Body.String(), "Support tier") {
			t.Fatalf("stale edit: %d %s", r.Code, r.Body)
		}
		if r := f.call(&admin, "PATCH", "/api/v1/settings/custom-fields/"+defs["tier"].ID, `{"version":2,"key":"renamed"}`); r.Code != 422 || !slices.Contains(fieldsOf(r), "key") {
			t.Fatalf("key change: %d %s", r.Code, r.Body)
		}
		if n := f.auditCount("custom_field.update"); n != 1 {
			t.Fatalf("%d custom_field.update events", n)
		}

		// Reorder: every field once.
		ids := []string{defs["docs"].ID, defs["steward"].ID, defs["residency"].ID, defs["tier"].ID, defs["renewal"].ID, defs["spend"].ID, defs["cost_centre"].ID}
		r = f.call(&admin, "POST", "/api/v1/settings/custom-fields/reorder", `{"entity_type":"vendor","ids":["`+strings.Join(ids, `","`)+`"]}`)
		if r.Code != 200 {
			t.Fatalf("reorder: %d %s", r.Code, r.Body)
		}
		if got := decode[customFieldsResponse](t, r); got.Items[0].Key != "docs" || got.Items[6].Key != "cost_centre" {
			t.Fatalf("reordered %+v", got.Items)
		}
		if r := f.call(&admin, "POST", "/api/v1/settings/custom-fields/reorder", `{"entity_type":"vendor","ids":["`+ids[0]+`"]}`); r.Code != 422 {
			t.Fatalf("partial reorder: %d", r.Code)
		}
		if f.auditCount("custom_field.reorder") != 1 {
			t.Fatal("reorder not audited")
		}

		// A field without values is deleted; missing ones are 404.
		if r := f.call(&admin, "DELETE", "/api/v1/settings/custom-fields/"+defs["docs"].ID, ""); r.Code != 204 {
			t.Fatalf("delete: %d %s", r.Code, r.Body)
		}
		if r := f.call(&admin, "DELETE", "/api/v1/settings/custom-fields/"+defs["docs"].ID, ""); r.Code != 404 {
			t.Fatalf("delete again: %d", r.Code)
		}
		if f.auditCount("custom_field.delete") != 1 {
			t.Fatal("delete not audited")
		}
	})
}

func TestCustomFieldValues(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		admin, risk := f.as(models.RoleAdmin), f.as(models.RoleRiskManager)
		defs := f.vendorFieldSet(&admin)
		steward := f.users[models.RoleLegal].ID

		r := f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Acme","category":"saas","custom_fields":{"cost_centre":" <script>alert(1)</script> ",
			"spend":1234.5,"renewal":"2027-03-31","tier":"Gold","residency":["US","EU","US"],"steward":"`+steward+`","docs":"https://docs.acme.test/x?a=1"}}`)
		if r.Code != 201 {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		v := decode[vendorResponse](t, r)
		cf := v.CustomFields
		if cf["cost_centre"] != "<script>alert(1)</script>" || cf["spend"] != 1234.5 || cf["renewal"] != "2027-03-31" || cf["tier"] != "Gold" ||
			fmt.Sprint(cf["residency"]) != "[EU US]" || cf["steward"] != steward || cf["docs"] != "https://docs.acme.test/x?a=1" {
			t.Fatalf("custom fields %#v", cf)
		}
		got := decode[vendorResponse](t, f.call(&risk, "GET", "/api/v1/vendors/"+v.ID, ""))
		if fmt.Sprint(got.CustomFields) != fmt.Sprint(cf) {
			t.Fatalf("read back %v, want %v", got.CustomFields, cf)
		}
		var ev models.AuditEvent
		if err := db.Gorm.Where("action = ? AND object_id = ?", "vendor.create", v.ID).Take(&ev).Error; err != nil || ev.AfterData == nil || !strings.Contains(*ev.AfterData, `"spend":1234.5`) {
			t.Fatalf("create audit %v %+v", err, ev)
		}

		// Each wrong value is a 422 naming its field.
		inactive := &models.User{Email: "gone@corp.test", Name: "Gone", Role: models.RoleLegal, Active: false, PasswordHash: testHash()}
		if err := models.CreateUser(t.Context(), db.Gorm, inactive); err != nil {
			t.Fatal(err)
		}
		for values, field := range map[string]string{
			`{"cost_centre":5}`: "cost_centre",
			`{"cost_centre":"` + strings.Repeat("x", 1001) + `"}`: "cost_centre",
			`{"spend":"12"}`:                    "spend",
			`{"spend":1e20}`:                    "spend",
			`{"spend":1e400}`:                   "spend",
			`{"renewal":"2026-13-01"}`:          "renewal",
			`{"renewal":20260101}`:              "renewal",
			`{"tier":"Platinum"}`:               "tier",
			`{"tier":["Gold"]}`:                 "tier",
			`{"residency":["EU","MARS"]}`:       "residency",
			`{"residency":"EU"}`:                "residency",
			`{"steward":"nobody"}`:              "steward",
			`{"steward":"` + inactive.ID + `"}`: "steward",
			`{"docs":"javascript:alert(1)"}`:    "docs",
			`{"docs":"ftp://files.test/x"}`:     "docs",
			`{"docs":"not a url"}`:              "docs",
			`{"nope":"x"}`:                      "nope",
			`{"<b>x</b>":"x"}`:                  "<b>x</b>",
		} {
			r := f.call(&risk, "PATCH", "/api/v1/vendors/"+v.ID, `{"version":1,"custom_fields":`+values+`}`)
			if r.Code == 400 && field == "spend" {
				continue // 1e400 is not a JSON number Go reads: refused before
			}
			if r.Code != 422 || !slices.Contains(fieldsOf(r), "custom_fields."+field) {
				t.Errorf("%s: %d %s, want 422 naming custom_fields.%s", values, r.Code, r.Body, field)
			}
		}
		if r := f.call(&risk, "PATCH", "/api/v1/vendors/"+v.ID, `{"version":1,"custom_fields":["x"]}`); r.Code != 422 || !slices.Contains(fieldsOf(r), "custom_fields") {
			t.Errorf("custom_fields as a list: %d %s", r.Code, r.Body)
		}
		// Built-in and custom errors come in one answer.
		r = f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Bad","category":"toys","custom_fields":{"spend":"x"}}`)
		if fs := fieldsOf(r); r.Code != 422 || !slices.Contains(fs, "category") || !slices.Contains(fs, "custom_fields.spend") {
			t.Errorf("mixed errors: %d %s", r.Code, r.Body)
		}

		// Keys not sent stay; null and "" clear; stale versions are 409.
		r = f.call(&risk, "PATCH", "/api/v1/vendors/"+v.ID, `{"version":1,"custom_fields":{"spend":null,"docs":"","residency":["APAC"]}}`)
		if r.Code != 200 {
			t.Fatalf("patch: %d %s", r.Code, r.Body)
		}
		v = decode[vendorResponse](t, r)
		if _, ok := v.CustomFields["spend"]; ok || v.CustomFields["docs"] != nil || fmt.Sprint(v.CustomFields["residency"]) != "[APAC]" || v.CustomFields["tier"] != "Gold" || v.Version != 2 {
			t.Fatalf("patched %#v", v.CustomFields)
		}
		if r := f.call(&risk, "PATCH", "/api/v1/vendors/"+v.ID, `{"version":1,"custom_fields":{"tier":"Silver"}}`); r.Code != 409 || !strings.Contains(r.Body.String(), `"tier":"Gold"`) {
			t.Fatalf("stale: %d %s", r.Code, r.Body)
		}

		// Required: on create, and on edits that send custom_fields; an
		// edit that does not touch them is not refused.
		legacy := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Legacy","category":"saas"}`))
		if r := f.call(&admin, "PATCH", "/api/v1/settings/custom-fields/"+defs["cost_centre"].ID, `{"version":1,"required":true}`); r.Code != 200 {
			t.Fatalf("make required: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "POST", "/api/v1/vendors", `{"name":"New","category":"saas"}`); r.Code != 422 || !slices.Contains(fieldsOf(r), "custom_fields.cost_centre") {
			t.Fatalf("required on create: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "PATCH", "/api/v1/vendors/"+legacy.ID, `{"version":1,"description":"still fine"}`); r.Code != 200 {
			t.Fatalf("edit without custom fields: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "PATCH", "/api/v1/vendors/"+legacy.ID, `{"version":2,"custom_fields":{"tier":"Gold"}}`); r.Code != 422 || !slices.Contains(fieldsOf(r), "custom_fields.cost_centre") {
			t.Fatalf("required on custom edit: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "PATCH", "/api/v1/vendors/"+v.ID, `{"version":2,"custom_fields":{"cost_centre":null}}`); r.Code != 422 {
			t.Fatalf("clearing a required value: %d %s", r.Code, r.Body)
		}

		// An option in use cannot be dropped; a field with values is
		// archived, not deleted, and keeps them.
		if r := f.call(&admin, "PATCH", "/api/v1/settings/custom-fields/"+defs["tier"].ID, `{"version":1,"options":["Silver"]}`); r.Code != 422 || !slices.Contains(fieldsOf(r), "options") {
			t.Fatalf("drop option in use: %d %s", r.Code, r.Body)
		}
		if r := f.call(&admin, "DELETE", "/api/v1/settings/custom-fields/"+defs["tier"].ID, ""); r.Code != 422 {
			t.Fatalf("delete with values: %d %s", r.Code, r.Body)
		}
		r = f.call(&admin, "PATCH", "/api/v1/settings/custom-fields/"+defs["tier"].ID, `{"version":1,"archived":true}`)
		if r.Code != 200 || decode[customFieldResponse](t, r).ArchivedAt == nil || f.auditCount("custom_field.archive") != 1 {
			t.Fatalf("archive: %d %s", r.Code, r.Body)
		}
		got = decode[vendorResponse](t, f.call(&risk, "GET", "/api/v1/vendors/"+v.ID, ""))
		if got.CustomFields["tier"] != "Gold" {
			t.Fatalf("archived field's value lost: %#v", got.CustomFields)
		}
		if r := f.call(&risk, "PATCH", "/api/v1/vendors/"+v.ID, `{"version":2,"custom_fields":{"tier":"Silver"}}`); r.Code != 422 || !slices.Contains(fieldsOf(r), "custom_fields.tier") {
			t.Fatalf("edit archived: %d %s", r.Code, r.Body)
		}
		// Saving other values leaves the archived one.
		if r := f.call(&risk, "PATCH", "/api/v1/vendors/"+v.ID, `{"version":2,"custom_fields":{"spend":7}}`); r.Code != 200 || decode[vendorResponse](t, r).CustomFields["tier"] != "Gold" {
			t.Fatalf("edit beside archived: %d %s", r.Code, r.Body)
		}
		active := decode[customFieldsResponse](t, f.call(&risk, "GET", "/api/v1/settings/custom-fields?entity_type=vendor", ""))
		all := decode[customFieldsResponse](t, f.call(&risk, "GET", "/api/v1/settings/custom-fields?entity_type=vendor&archived=true", ""))
		if len(active.Items) != 6 || len(all.Items) != 7 {
			t.Fatalf("%d active, %d in all", len(active.Items), len(all.Items))
		}

		// Contracts and findings carry them the same way.
		f.defineField(&admin, `{"entity_type":"finding","key":"ticket","label":"Ticket URL","type":"url","required":true}`)
		f.defineField(&admin, `{"entity_type":"contract","key":"po","label":"PO number","type":"text"}`)
		if r := f.call(&risk, "POST", "/api/v1/findings", `{"vendor_id":"`+v.ID+`","title":"Weak TLS","severity":"high"}`); r.Code != 422 || !slices.Contains(fieldsOf(r), "custom_fields.ticket") {
			t.Fatalf("finding without required: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "POST", "/api/v1/findings", `{"vendor_id":"`+v.ID+`","title":"Weak TLS","severity":"high","custom_fields":{"ticket":"javascript:x"}}`); r.Code != 422 || !slices.Contains(fieldsOf(r), "custom_fields.ticket") {
			t.Fatalf("finding bad url: %d %s", r.Code, r.Body)
		}
		r = f.call(&risk, "POST", "/api/v1/findings", `{"vendor_id":"`+v.ID+`","title":"Weak TLS","severity":"high","custom_fields":{"ticket":"https://jira.test/SEC-1"}}`)
		if r.Code != 201 {
			t.Fatalf("finding: %d %s", r.Code, r.Body)
		}
		fd := decode[findingResponse](t, r)
		r = f.call(&risk, "PATCH", "/api/v1/findings/"+fd.ID, `{"version":1,"status":"in_progress","custom_fields":{"ticket":"https://jira.test/SEC-2"}}`)
		if r.Code != 200 || decode[findingResponse](t, r).CustomFields["ticket"] != "https://jira.test/SEC-2" {
			t.Fatalf("finding patch: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "PATCH", "/api/v1/findings/"+fd.ID, `{"version":1,"custom_fields":{"ticket":"https://jira.test/SEC-3"}}`); r.Code != 409 {
			t.Fatalf("finding stale: %d %s", r.Code, r.Body)
		}
		list := decode[listResponse[findingResponse]](t, f.call(&risk, "GET", "/api/v1/findings?cf.ticket="+url.QueryEscape("https://jira.test/SEC-2"), ""))
		if list.Total != 1 || list.Items[0].CustomFields["ticket"] != "https://jira.test/SEC-2" {
			t.Fatalf("finding list %+v", list)
		}
		r = f.call(&risk, "POST", "/api/v1/contracts", `{"vendor_id":"`+v.ID+`","title":"MSA","custom_fields":{"po":"PO-77"}}`)
		if r.Code != 201 || decode[contractResponse](t, r).CustomFields["po"] != "PO-77" {
			t.Fatalf("contract: %d %s", r.Code, r.Body)
		}
		ct := decode[contractResponse](t, r)
		if r := f.call(&risk, "PATCH", "/api/v1/contracts/"+ct.ID, `{"version":1,"custom_fields":{"po":5}}`); r.Code != 422 || !slices.Contains(fieldsOf(r), "custom_fields.po") {
			t.Fatalf("contract bad value: %d %s", r.Code, r.Body)
		}
		clist := decode[listResponse[contractResponse]](t, f.call(&risk, "GET", "/api/v1/contracts?cf.po=PO-77&sort=-cf.po", ""))
		if clist.Total != 1 || clist.Items[0].CustomFields["po"] != "PO-77" {
			t.Fatalf("contract list %+v", clist)
		}
		if r := f.call(&risk, "GET", "/api/v1/contracts?cf.nope=1", ""); r.Code != 422 || !slices.Contains(fieldsOf(r), "cf.nope") {
			t.Fatalf("unknown contract filter: %d %s", r.Code, r.Body)
		}
	})
}

func TestCustomFieldListFilterAndSort(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		admin, risk := f.as(models.RoleAdmin), f.as(models.RoleRiskManager)
		f.vendorFieldSet(&admin)
		// 23 vendors: spend repeats (ties broken by id), every fourth has
		// none; tier alternates; residency on some.
		for i := range 23 {
			cf := []string{fmt.Sprintf(`"tier":%q`, []string{"Gold", "Silver"}[i%2])}
			if i%4 != 3 {
				cf = append(cf, fmt.Sprintf(`"spend":%d`, (i%7)*100-150), fmt.Sprintf(`"renewal":"2027-%02d-01"`, i%12+1))
			}
			if i%3 == 0 {
				cf = append(cf, `"residency":["EU","APAC"]`)
			}
			body := fmt.Sprintf(`{"name":"Vendor %02d","category":"saas","custom_fields":{%s}}`, i, strings.Join(cf, ","))
			if r := f.call(&risk, "POST", "/api/v1/vendors", body); r.Code != 201 {
				t.Fatalf("create %d: %d %s", i, r.Code, r.Body)
			}
		}
		walk := func(query string) []vendorSummary {
			t.Helper()
			var out []vendorSummary
			cursor := ""
			for pages := 0; ; pages++ {
				r := f.call(&risk, "GET", "/api/v1/vendors?limit=4&"+query+cursor, "")
				if r.Code != 200 {
					t.Fatalf("%s: %d %s", query, r.Code, r.Body)
				}
				page := decode[listResponse[vendorSummary]](t, r)
				out = append(out, page.Items...)
				if page.NextCursor == nil || pages > 20 {
					if int(page.Total) != len(out) {
						t.Fatalf("%s: total %d, walked %d", query, page.Total, len(out))
					}
					return out
				}
				cursor = "&cursor=" + *page.NextCursor
			}
		}
		num := func(v vendorSummary) float64 {
			if n, ok := v.CustomFields["spend"].(float64); ok {
				return n
			}
			return -1e300
		}
		for _, sort := range []string{"cf.spend", "-cf.spend"} {
			got := walk("sort=" + sort)
			if len(got) != 23 {
				t.Fatalf("%s: %d vendors", sort, len(got))
			}
			seen := map[string]bool{}
			for i, v := range got {
				if seen[v.ID] {
					t.Fatalf("%s: %s twice", sort, v.Name)
				}
				seen[v.ID] = true
				if i == 0 {
					continue
				}
				a, b := num(got[i-1]), num(v)
				if (sort == "cf.spend" && (a > b || a == b && got[i-1].ID > v.ID)) || (sort == "-cf.spend" && (a < b || a == b && got[i-1].ID < v.ID)) {
					t.Fatalf("%s: %s (%v) before %s (%v)", sort, got[i-1].Name, a, v.Name, b)
				}
			}
			if sort == "cf.spend" && got[0].CustomFields["spend"] != nil {
				t.Fatalf("vendors without a value should come first: %+v", got[0].CustomFields)
			}
		}
		byDate := walk("sort=cf.renewal&cf.tier=Gold")
		if len(byDate) != 12 {
			t.Fatalf("gold vendors: %d", len(byDate))
		}
		for i := 1; i < len(byDate); i++ {
			a, _ := byDate[i-1].CustomFields["renewal"].(string)
			b, _ := byDate[i].CustomFields["renewal"].(string)
			if a > b || byDate[i].CustomFields["tier"] != "Gold" {
				t.Fatalf("date order: %q before %q", a, b)
			}
		}
		for query, want := range map[string]int{
			"cf.tier=Silver":                           11,
			"cf.residency=EU":                          8,
			"cf.residency=EU&cf.tier=Gold":             4,
			"cf.spend=50":                              3,
			"cf.spend=-150..50":                        9,
			"cf.spend=250..":                           7,
			"cf.renewal=..2027-02-01":                  4,
			"cf.renewal=2027-03-01..2027-04-01":        2,
			"cf.cost_centre=" + url.QueryEscape("<b>"): 0,
			"sort=-cf.residency":                       23,
			"sort=cf.steward&q=vendor":                 23,
		} {
			if got := walk(query); len(got) != want {
				t.Errorf("%s: %d vendors, want %d", query, len(got), want)
			}
		}
		for query, field := range map[string]string{
			"cf.nope=1":             "cf.nope",
			"sort=cf.nope":          "sort",
			"sort=-cf.nope":         "sort",
			"cf.spend=abc":          "cf.spend",
			"cf.spend=1..x":         "cf.spend",
			"cf.renewal=2027-13-01": "cf.renewal",
			"cf.tier=" + "%ff":      "cf.tier",
			"cf.tier=a&cf.tier=b":   "cf.tier",
			"cf.%3Cscript%3E=1":     "cf.<script>",
		} {
			r := f.call(&risk, "GET", "/api/v1/vendors?"+query, "")
			if r.Code != 422 || !slices.Contains(fieldsOf(r), field) {
				t.Errorf("%s: %d %s, want 422 naming %s", query, r.Code, r.Body, field)
			}
		}
		// A cursor of one custom sort is refused by another list order.
		first := decode[listResponse[vendorSummary]](t, f.call(&risk, "GET", "/api/v1/vendors?limit=2&sort=cf.spend", ""))
		if r := f.call(&risk, "GET", "/api/v1/vendors?limit=2&sort=cf.renewal&cursor="+*first.NextCursor, ""); r.Code != 422 && r.Code != 200 {
			t.Fatalf("cursor of another sort: %d", r.Code)
		}

		// A page loads its values in one query whatever its size.
		var queries atomic.Int64
		count := func(*gorm.DB) { queries.Add(1) }
		if err := db.Gorm.Callback().Query().Before("gorm:query").Register("cf:count", count); err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm.Callback().Row().Before("gorm:row").Register("cf:count_row", count); err != nil {
			t.Fatal(err)
		}
		defer func() {
			_ = db.Gorm.Callback().Query().Remove("cf:count")
			_ = db.Gorm.Callback().Row().Remove("cf:count_row")
		}()
		pageQueries := func(limit int) int64 {
			queries.Store(0)
			r := f.call(&risk, "GET", fmt.Sprintf("/api/v1/vendors?limit=%d&sort=cf.spend", limit), "")
			if r.Code != 200 || len(decode[listResponse[vendorSummary]](t, r).Items) != limit {
				t.Fatalf("limit %d: %d", limit, r.Code)
			}
			return queries.Load()
		}
		if small, large := pageQueries(2), pageQueries(20); small != large {
			t.Errorf("a page of 2 took %d queries, a page of 20 took %d", small, large)
		}
	})
}

// TestCustomFieldImportExport round-trips custom columns (cf.<key>)
// through the vendor export and import, with per-row, per-column errors.
func TestCustomFieldImportExport(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		admin, risk := f.as(models.RoleAdmin), f.as(models.RoleRiskManager)
		f.vendorFieldSet(&admin)
		file := "name,category,cf.cost_centre,cf.spend,cf.residency,cf.tier\n" +
			"Harbor Mail,saas,\"FIN-1, <b>\",\"12,500.5\",EU; US,Gold\n" +
			"Quill Legal,saas,,,APAC,\n" +
			"Bad One,saas,,lots,MARS,Platinum\n"
		r := f.upload(&risk, "/api/v1/vendors/import?dry_run=true", "v.csv", []byte(file))
		dry := decode[vendors.ImportResult](t, r)
		if dry.Failed != 1 || dry.Created != 2 || len(dry.Ignored) != 0 {
			t.Fatalf("dry run: %d %+v", r.Code, dry)
		}
		cols := map[string]bool{}
		for _, e := range dry.Items[2].Errors {
			cols[e.Column] = true
		}
		if !cols["cf.spend"] || !cols["cf.residency"] || !cols["cf.tier"] || dry.Items[2].Row != 4 {
			t.Fatalf("row errors %+v", dry.Items[2])
		}
		ok := strings.Join(strings.Split(file, "\n")[:3], "\n") + "\n"
		res := decode[vendors.ImportResult](t, f.upload(&risk, "/api/v1/vendors/import?dry_run=false", "v.csv", []byte(ok)))
		if res.Created != 2 || !res.Committed {
			t.Fatalf("import %+v", res)
		}
		harbor := decode[vendorResponse](t, f.call(&risk, "GET", "/api/v1/vendors/"+res.Items[0].VendorID, ""))
		if harbor.CustomFields["cost_centre"] != "FIN-1, <b>" || harbor.CustomFields["spend"] != 12500.5 ||
			fmt.Sprint(harbor.CustomFields["residency"]) != "[EU US]" || harbor.CustomFields["tier"] != "Gold" {
			t.Fatalf("imported %#v", harbor.CustomFields)
		}

		// Export has a column per active field; importing it back changes nothing.
		out := f.call(&risk, "GET", "/api/v1/vendors/export.csv?cf.tier=Gold", "")
		if out.Code != 200 {
			t.Fatalf("export %d %s", out.Code, out.Body)
		}
		lines := strings.Split(strings.TrimSpace(out.Body.String()), "\n")
		if len(lines) != 2 || !strings.Contains(lines[0], "cf.cost_centre,cf.spend,cf.renewal,cf.tier,cf.residency,cf.steward,cf.docs") ||
			!strings.Contains(lines[1], `"FIN-1, <b>",12500.5,,Gold,EU; US,,`) {
			t.Fatalf("export:\n%s", out.Body)
		}
		again := decode[vendors.ImportResult](t, f.upload(&risk, "/api/v1/vendors/import?dry_run=false", "v.csv", out.Body.Bytes()))
		if again.Unchanged != 1 || again.Updated+again.Created+again.Failed != 0 {
			t.Fatalf("re-import %+v", again)
		}
		// A changed cell updates the value and only that vendor.
		changed := strings.Replace(out.Body.String(), "12500.5", "99", 1)
		upd := decode[vendors.ImportResult](t, f.upload(&risk, "/api/v1/vendors/import?dry_run=false", "v.csv", []byte(changed)))
		harbor = decode[vendorResponse](t, f.call(&risk, "GET", "/api/v1/vendors/"+res.Items[0].VendorID, ""))
		if upd.Updated != 1 || harbor.CustomFields["spend"] != 99.0 || !slices.Contains(upd.Items[0].Changes, "custom_fields") {
			t.Fatalf("update by import %+v %#v", upd, harbor.CustomFields)
		}
	})
}

// TestContractAndFindingExports: the contract and finding lists export as
// CSV and XLSX with the list's filters, every matching record (past one
// page), and a cf.<key> column per active custom field.
func TestContractAndFindingExports(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		admin, risk := f.as(models.RoleAdmin), f.as(models.RoleRiskManager)
		f.defineField(&admin, `{"entity_type":"contract","key":"po","label":"Purchase order","type":"text"}`)
		f.defineField(&admin, `{"entity_type":"contract","key":"decision","label":"Decision","type":"single_choice","options":["Renew","Exit"]}`)
		f.defineField(&admin, `{"entity_type":"finding","key":"ticket","label":"Ticket","type":"url"}`)
		gone := f.defineField(&admin, `{"entity_type":"finding","key":"gone","label":"Archived","type":"text"}`)
		r := f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Exported Vendor","category":"saas"}`)
		if r.Code != 201 {
			t.Fatalf("vendor: %d %s", r.Code, r.Body)
		}
		vendor := decode[vendorResponse](t, r).ID
		for i := range 205 {
			decision := []string{"Renew", "Exit"}[i%2]
			body := fmt.Sprintf(`{"vendor_id":%q,"title":"MSA %03d","type":"msa","status":"signed","effective_date":"2026-01-01","custom_fields":{"po":"=PO-%d","decision":%q}}`,
				vendor, i, i, decision)
			if r := f.call(&risk, "POST", "/api/v1/contracts", body); r.Code != 201 {
				t.Fatalf("contract %d: %d %s", i, r.Code, r.Body)
			}
		}
		for i := range 3 {
			body := fmt.Sprintf(`{"vendor_id":%q,"title":"Finding <b>%d</b>","severity":"high","custom_fields":{"ticket":"https://tracker.test/SEC-%d","gone":"x"}}`, vendor, i, i)
			if r := f.call(&risk, "POST", "/api/v1/findings", body); r.Code != 201 {
				t.Fatalf("finding %d: %d %s", i, r.Code, r.Body)
			}
		}
		if r := f.call(&admin, "PATCH", "/api/v1/settings/custom-fields/"+gone.ID, fmt.Sprintf(`{"version":%d,"archived":true}`, gone.Version)); r.Code != 200 {
			t.Fatalf("archive: %d %s", r.Code, r.Body)
		}

		csvOf := func(path string) [][]string {
			t.Helper()
			r := f.call(&risk, "GET", path, "")
			if r.Code != 200 || !strings.HasPrefix(r.Header().Get("Content-Type"), "text/csv") {
				t.Fatalf("%s: %d %s", path, r.Code, r.Body)
			}
			rows, err := csv.NewReader(strings.NewReader(r.Body.String())).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		// Every matching contract, past one page, in the list's order; the
		// custom columns after the built-in ones; a formula defused.
		rows := csvOf("/api/v1/contracts/export.csv?sort=title&cf.decision=Exit")
		head := rows[0]
		if len(rows) != 1+102 || head[0] != "id" || head[len(head)-2] != "cf.po" || head[len(head)-1] != "cf.decision" {
			t.Fatalf("contracts export: %d rows, head %v", len(rows), head)
		}
		if first := rows[1]; first[1] != "MSA 001" || first[2] != "Exported Vendor" || first[len(first)-2] != "'=PO-1" || first[len(first)-1] != "Exit" {
			t.Fatalf("first contract row %v", first)
		}
		if last := rows[len(rows)-1]; last[1] != "MSA 203" {
			t.Fatalf("last contract row %v", last)
		}
		// Findings: the archived field has no column; titles as written.
		rows = csvOf("/api/v1/findings/export.csv?severity=high&sort=created_at")
		head = rows[0]
		if len(rows) != 4 || head[len(head)-1] != "cf.ticket" || slices.Contains(head, "cf.gone") {
			t.Fatalf("findings export: %v", rows)
		}
		if rows[1][1] != "Finding <b>0</b>" || rows[1][2] != "Exported Vendor" || rows[1][len(head)-1] != "https://tracker.test/SEC-0" {
			t.Fatalf("finding row %v", rows[1])
		}
		// XLSX holds the same rows.
		for _, p := range []string{"/api/v1/contracts/export.xlsx?cf.decision=Renew", "/api/v1/findings/export.xlsx"} {
			r := f.call(&risk, "GET", p, "")
			sheets, err := sheet.Read(r.Body.Bytes())
			if r.Code != 200 || err != nil || len(sheets) != 1 {
				t.Fatalf("%s: %d %v", p, r.Code, err)
			}
			want := map[bool]int{true: 1 + 103, false: 1 + 3}[strings.Contains(p, "contracts")]
			if len(sheets[0].Rows) != want {
				t.Errorf("%s: %d rows, want %d", p, len(sheets[0].Rows), want)
			}
		}
		// Bad filters are named; a cursor is refused; other formats are not routes.
		for path, field := range map[string]string{
			"/api/v1/contracts/export.csv?cf.nope=1":     "cf.nope",
			"/api/v1/contracts/export.csv?cursor=abc":    "cursor",
			"/api/v1/findings/export.csv?severity=awful": "severity",
			"/api/v1/findings/export.xlsx?cursor=abc":    "cursor",
		} {
			if r := f.call(&risk, "GET", path, ""); r.Code != 422 || !slices.Contains(fieldsOf(r), field) {
				t.Errorf("%s: %d %s, want 422 naming %s", path, r.Code, r.Body, field)
			}
		}
		for _, p := range []string{"/api/v1/contracts/export.pdf", "/api/v1/findings/export.json"} {
			if r := f.call(&risk, "GET", p, ""); r.Code != 404 {
				t.Errorf("%s: %d", p, r.Code)
			}
		}
	})
}
