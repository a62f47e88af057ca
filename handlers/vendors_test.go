package handlers

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

const acme = `{"name":"Acme Cloud, Inc.","legal_name":"Acme Cloud Incorporated","website":"https://www.acme-cloud.test/","description":"Hosting for the <b>billing</b> system",
"category":"cloud_infrastructure","department":"Finance","data_types":["personal_data","payment_card_data","personal_data"],"access_level":"read_write",
"integration_methods":["sso","api"],"hosting_regions":["EU","eu-west-1"],"annual_spend":120000,"currency":"eur","internal_users":40,
"criticality":"high","tags":["Billing","tier-1"],"contacts":[{"name":"Pat Vendor","email":"pat@acme-cloud.test","role":"Account manager"}],
"subprocessors":[{"name":"Blue Datacenters","purpose":"colocation"}]}`

func TestVendorLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		r := f.call(&risk, "POST", "/api/v1/vendors", acme)
		if r.Code != 201 {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		v := decode[vendorResponse](t, r)
		if v.Status != "proposed" || v.Domain != "acme-cloud.test" || v.Currency != "EUR" || v.Criticality != "high" ||
			strings.Join(v.DataTypes, ",") != "payment_card_data,personal_data" || strings.Join(v.Tags, ",") != "billing,tier-1" ||
			len(v.Contacts) != 1 || len(v.Subprocessors) != 1 || v.Version != 1 || strings.Join(v.NextStatuses, ",") != "in_review,rejected" {
			t.Fatalf("created %+v", v)
		}
		if v.Description != "Hosting for the <b>billing</b> system" {
			t.Fatalf("description altered: %q", v.Description)
		}

		// Duplicates by normalised name or domain, unless confirmed.
		for _, body := range []string{`{"name":"ACME CLOUD","category":"saas"}`, `{"name":"Other","website":"http://acme-cloud.test","category":"saas"}`} {
			r := f.call(&risk, "POST", "/api/v1/vendors", body)
			if r.Code != 409 || !strings.Contains(r.Body.String(), `"duplicates":[{"id":"`+v.ID) {
				t.Fatalf("duplicate %s: %d %s", body, r.Code, r.Body)
			}
		}
		dupHint := decode[map[string][]vendorRef](t, f.call(&risk, "GET", "/api/v1/vendors/duplicates?name=acme%20cloud%20llc", ""))
		if len(dupHint["items"]) != 1 {
			t.Fatalf("duplicate hint: %+v", dupHint)
		}
		r = f.call(&risk, "POST", "/api/v1/vendors", `{"name":"ACME CLOUD","category":"saas","confirm_duplicate":true,"subprocessors":[{"vendor_id":"`+v.ID+`"}]}`)
		if r.Code != 201 {
			t.Fatalf("confirmed duplicate: %d %s", r.Code, r.Body)
		}
		second := decode[vendorResponse](t, r)
		if second.Subprocessors[0].Name != "Acme Cloud, Inc." {
			t.Fatalf("linked subprocessor %+v", second.Subprocessors)
		}

		// Validation per field.
		r = f.call(&risk, "POST", "/api/v1/vendors", `{"name":" ","category":"toys","website":"ftp://x","access_level":"god","data_types":["dna"],"annual_spend":5,"tags":["<script>"],"owner_id":"nobody","contacts":[{"email":"not-mail"}],"subprocessors":[{"vendor_id":"missing"}]}`)
		if r.Code != 422 {
			t.Fatalf("invalid vendor: %d %s", r.Code, r.Body)
		}
		fields := map[string]bool{}
		for _, fe := range r.problem().Errors {
			fields[fe.Field] = true
		}
		for _, want := range []string{"website", "contacts[0].name", "contacts[0].email"} {
			if !fields[want] {
				t.Errorf("no error on %s: %v", want, r.problem().Errors)
			}
		}
		r = f.call(&risk, "POST", "/api/v1/vendors", `{"name":"X","category":"toys","access_level":"god","data_types":["dna"],"annual_spend":5,"tags":["<script>"],"owner_id":"nobody","subprocessors":[{"vendor_id":"missing"}]}`)
		fields = map[string]bool{}
		for _, fe := range r.problem().Errors {
			fields[fe.Field] = true
		}
		for _, want := range []string{"category", "access_level", "data_types", "currency", "tags", "owner_id", "subprocessors[0].vendor_id"} {
			if !fields[want] {
				t.Errorf("no error on %s: %v", want, r.problem().Errors)
			}
		}
		if r := f.call(&risk, "POST", "/api/v1/vendors", `{"name":"X","category":"saas","annual_spend":1e30}`); r.Code != 422 {
			t.Errorf("huge number: %d", r.Code)
		}

		// Update: lists replace, status follows the lifecycle, versions guard.
		path := "/api/v1/vendors/" + v.ID
		r = f.call(&risk, "PATCH", path, `{"version":1,"status":"in_review","tags":["billing"],"owner_id":"`+f.users[models.RoleRiskManager].ID+`"}`)
		if r.Code != 200 {
			t.Fatalf("update: %d %s", r.Code, r.Body)
		}
		v = decode[vendorResponse](t, r)
		if v.Version != 2 || v.Status != "in_review" || len(v.Tags) != 1 || v.Owner == nil || len(v.Contacts) != 1 || len(v.DataTypes) != 2 {
			t.Fatalf("updated %+v", v)
		}
		if r := f.call(&risk, "PATCH", path, `{"version":2,"status":"terminated"}`); r.Code != 422 || !strings.Contains(r.problem().Errors[0].Message, "allowed: approved, rejected, proposed") {
			t.Fatalf("illegal transition: %d %s", r.Code, r.Body)
		}
		r = f.call(&risk, "PATCH", path, `{"version":1,"name":"Stale edit"}`)
		if r.Code != 409 || !strings.Contains(r.Body.String(), `"current":{`) || !strings.Contains(r.Body.String(), `"version":2`) {
			t.Fatalf("stale edit: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "PATCH", path, `{"version":2,"domain":"evil.test"}`); r.Code != 422 {
			t.Fatalf("read-only field: %d", r.Code)
		}
		r = f.call(&risk, "PATCH", path, `{"version":2,"website":""}`)
		if r.Code != 200 || decode[vendorResponse](t, r).Website != "" || decode[vendorResponse](t, r).Domain != "" {
			t.Fatalf("clearing the website: %d %s", r.Code, r.Body)
		}
		f.call(&risk, "PATCH", path, `{"version":3,"website":"https://www.acme-cloud.test/"}`)

		// Archive and restore.
		if r := f.call(&risk, "POST", path+"/archive", `{"version":4}`); r.Code != 200 || decode[vendorResponse](t, r).ArchivedAt == nil {
			t.Fatalf("archive: %d %s", r.Code, r.Body)
		}
		list := decode[listResponse[vendorSummary]](t, f.call(&risk, "GET", "/api/v1/vendors", ""))
		if list.Total != 1 || list.Items[0].ID == v.ID {
			t.Fatalf("archived vendor in the list: %+v", list)
		}
		if a := decode[listResponse[vendorSummary]](t, f.call(&risk, "GET", "/api/v1/vendors?archived=true", "")); a.Total != 1 {
			t.Fatalf("archived list: %d", a.Total)
		}
		if r := f.call(&risk, "PATCH", path, `{"version":5,"name":"While archived"}`); r.Code != 422 {
			t.Fatalf("editing an archived vendor: %d", r.Code)
		}
		if r := f.call(&risk, "POST", path+"/restore", `{"version":5}`); r.Code != 200 {
			t.Fatalf("restore: %d", r.Code)
		}

		// Who may do what.
		for role, want := range map[models.Role]int{models.RoleLegal: 403, models.RoleAuditor: 403, models.RoleRequester: 403} {
			s := f.as(role)
			if r := f.call(&s, "POST", "/api/v1/vendors", `{"name":"Mine","category":"saas"}`); r.Code != want {
				t.Errorf("%s creates a vendor: %d", role, r.Code)
			}
		}
		auditor := f.as(models.RoleAuditor)
		if r := f.call(&auditor, "GET", path, ""); r.Code != 200 {
			t.Errorf("auditor reads a vendor: %d", r.Code)
		}
		head := f.as(models.RoleRequester)
		if r := f.call(&head, "GET", path, ""); r.Code != 403 || strings.Contains(r.Body.String(), "Acme") {
			t.Errorf("requester reads a vendor: %d %s", r.Code, r.Body)
		}

		// Every change is in the vendor's activity, which its readers may see.
		events := decode[listResponse[auditEventResponse]](t, f.call(&risk, "GET", path+"/activity", ""))
		var actions []string
		for _, e := range events.Items {
			actions = append(actions, e.Action)
		}
		if strings.Join(actions, ",") != "vendor.restore,vendor.archive,vendor.update,vendor.update,vendor.status_change,vendor.create" {
			t.Fatalf("vendor activity: %v", actions)
		}
	})
}

func TestVendorListFiltersSortAndPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		owner := f.users[models.RoleLegal].ID
		statuses := []string{"proposed", "active", "rejected"}
		for i := 0; i < 30; i++ {
			body := fmt.Sprintf(`{"name":"Vendor %02d","category":%q,"status":%q,"department":%q,"annual_spend":%d,"currency":"USD","criticality":%q,"tags":[%q],"data_types":[%q],"description":"widget %d_%%","owner_id":%q,"confirm_duplicate":true}`,
				i, []string{"saas", "payment"}[i%2], statuses[i%3], []string{"IT", "HR", "Sales"}[i%3], i*1000,
				[]string{"low", "medium", "high", "critical"}[i%4], []string{"core", "edge"}[i%2], []string{"personal_data", "none"}[i%2], i, owner)
			if i >= 20 {
				body = strings.Replace(body, `,"owner_id":"`+owner+`"`, "", 1)
			}
			if r := f.call(&risk, "POST", "/api/v1/vendors", body); r.Code != 201 {
				t.Fatalf("seed %d: %d %s", i, r.Code, r.Body)
			}
		}
		count := func(q string) int64 {
			r := f.call(&risk, "GET", "/api/v1/vendors?"+q, "")
			if r.Code != 200 {
				t.Fatalf("?%s: %d %s", q, r.Code, r.Body)
			}
			return decode[listResponse[vendorSummary]](t, r).Total
		}
		for q, want := range map[string]int64{
			"":                          30,
			"status=active":             10,
			"status=active,rejected":    20,
			"category=payment":          15,
			"department=HR":             10,
			"owner_id=" + owner:         20,
			"tag=core":                  15,
			"tag=CORE":                  15,
			"data_type=personal_data":   15,
			"criticality=critical":      7,
			"q=vendor%2007":             1,
			"q=WIDGET%201_":             1,
			"q=1_%25":                   3,
			"status=active&tag=edge":    5,
			"q=%27%20OR%20%271%27=%271": 0,
		} {
			if got := count(q); got != want {
				t.Errorf("?%s: %d vendors, want %d", q, got, want)
			}
		}
		opts := decode[vendorOptionsResponse](t, f.call(&risk, "GET", "/api/v1/vendors/options", ""))
		if strings.Join(opts.Departments, ",") != "HR,IT,Sales" || strings.Join(opts.Tags, ",") != "core,edge" {
			t.Fatalf("facets %v %v", opts.Departments, opts.Tags)
		}
		first := decode[listResponse[vendorSummary]](t, f.call(&risk, "GET", "/api/v1/vendors?sort=-annual_spend&limit=3", ""))
		if first.Items[0].Name != "Vendor 29" || first.Items[2].Name != "Vendor 27" || first.Items[0].Owner != nil {
			t.Fatalf("sort by spend: %+v", first.Items)
		}
		// Walk every page of a sort with ties (criticality) and see each vendor once.
		seen, cursor := map[string]bool{}, ""
		for {
			page := decode[listResponse[vendorSummary]](t, f.call(&risk, "GET", "/api/v1/vendors?sort=-criticality&limit=4&cursor="+cursor, ""))
			for _, v := range page.Items {
				if seen[v.ID] {
					t.Fatalf("%s twice", v.Name)
				}
				seen[v.ID] = true
			}
			if page.NextCursor == nil {
				break
			}
			cursor = *page.NextCursor
		}
		if len(seen) != 30 {
			t.Fatalf("pages covered %d vendors", len(seen))
		}
		for _, q := range []string{"sort=search_text", "status=open", "criticality=extreme", "archived=yes", "data_type=dna", "limit=500", "page=2"} {
			if r := f.call(&risk, "GET", "/api/v1/vendors?"+q, ""); r.Code != 422 {
				t.Errorf("?%s: %d", q, r.Code)
			}
		}
	})
}

// TestVendorErrorsInOneResponse: a body whose format is wrong (website)
// still gets its required, vocabulary and length errors in the same answer.
func TestVendorErrorsInOneResponse(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		r := f.call(&risk, "POST", "/api/v1/vendors", `{"website":"not a url","category":"toys","legal_name":"`+strings.Repeat("x", 201)+`"}`)
		if r.Code != 422 {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		want := map[string]string{"website": "must be a valid URL", "name": "is required", "category": "must be one of", "legal_name": "at most 200"}
		got := map[string]int{}
		for _, fe := range r.problem().Errors {
			got[fe.Field]++
			if w, ok := want[fe.Field]; ok && !strings.Contains(fe.Message, w) {
				t.Errorf("%s: %q", fe.Field, fe.Message)
			}
		}
		for field := range want {
			if got[field] != 1 {
				t.Errorf("%s reported %d times: %v", field, got[field], r.problem().Errors)
			}
		}

		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Acme","category":"saas"}`))
		r = f.call(&risk, "PATCH", "/api/v1/vendors/"+v.ID, `{"version":1,"website":"ftp://x","access_level":"god","name":" "}`)
		got = map[string]int{}
		for _, fe := range r.problem().Errors {
			got[fe.Field]++
		}
		if r.Code != 422 || got["website"] != 1 || got["access_level"] != 1 || got["name"] != 1 {
			t.Fatalf("update: %d %v", r.Code, r.problem().Errors)
		}
		if after := decode[vendorResponse](t, f.call(&risk, "GET", "/api/v1/vendors/"+v.ID, "")); after.Version != 1 {
			t.Fatalf("a refused update changed the vendor: %+v", after)
		}
	})
}

// TestVendorListItemIsDetailSummary: the vendor list reads only the
// columns its summary shows, and an item must still say everything the
// vendor's own page says in the same fields: a column left out of the
// list's read would come back empty here.
func TestVendorListItemIsDetailSummary(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		body := strings.Replace(acme, `{"name"`, `{"owner_id":"`+f.users[models.RoleLegal].ID+`","name"`, 1)
		r := f.call(&risk, "POST", "/api/v1/vendors", body)
		if r.Code != 201 {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		id := decode[vendorResponse](t, r).ID
		// What only scoring and overrides set, every one not its default.
		if err := db.Gorm.Model(&models.Vendor{}).Where("id = ?", id).Updates(map[string]any{
			"tier": 3, "override_tier": 1, "override_until": "2999-12-31", "next_review_on": "2999-01-01", "evidence_gaps": 2,
			"inherent_score": 61, "residual_score": 44, "external_id": "ext-7",
		}).Error; err != nil {
			t.Fatal(err)
		}
		detail := decode[vendorResponse](t, f.call(&risk, "GET", "/api/v1/vendors/"+id, ""))
		list := decode[listResponse[vendorSummary]](t, f.call(&risk, "GET", "/api/v1/vendors?q=acme", ""))
		if len(list.Items) != 1 {
			t.Fatalf("list: %+v", list)
		}
		got, want := list.Items[0], detail.vendorSummary
		if want.Owner == nil || want.ExternalID == nil || want.TierOverrideUntil == "" || want.Tier != 1 || want.ComputedTier != 3 || len(want.HostingRegions) == 0 {
			t.Fatalf("the vendor's page lacks what this test compares: %+v", want)
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Fatalf("list item\n%s\nvendor's page\n%s", g, w)
		}
	})
}
