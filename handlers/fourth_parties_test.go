package handlers

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

// TestFourthPartyConcentration: the subprocessors current vendors name are
// grouped (a linked vendor of the register; a free-text name whatever its
// case and spaces), counted by dependents, with the data types and
// critical vendors exposed through each; archived vendors drop out; the
// list filters, sorts and pages on the server, refuses bad parameters by
// name, and any reader may see it.
func TestFourthPartyConcentration(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		rm, auditor := f.as(models.RoleRiskManager), f.as(models.RoleAuditor)
		cloud := decode[vendorResponse](t, f.call(&rm, "POST", "/api/v1/vendors", `{"name":"Nimbus Cloud","category":"cloud_infrastructure"}`))
		mk := func(name, crit, dataType, subs string) vendorResponse {
			t.Helper()
			r := f.call(&rm, "POST", "/api/v1/vendors", `{"name":"`+name+`","category":"saas","criticality":"`+crit+`","data_types":["`+dataType+`"],"subprocessors":`+subs+`}`)
			if r.Code != 201 {
				t.Fatalf("create %s: %d %s", name, r.Code, r.Body)
			}
			return decode[vendorResponse](t, r)
		}
		onCloud := `{"vendor_id":"` + cloud.ID + `","name":"Nimbus Cloud","purpose":"hosting"}`
		mk("Alpha Payroll", "critical", "personal_data", `[`+onCloud+`,{"name":"Gridlock Payments","purpose":"card processing"}]`)
		mk("Beta Billing", "low", "payment_card_data", `[`+onCloud+`,{"name":"  gridlock PAYMENTS ","purpose":"payouts"}]`)
		gamma := mk("Gamma <b>Mail</b>", "medium", "health_data", `[`+onCloud+`]`)

		type list = listResponse[fourthPartyView]
		get := func(query string) list {
			t.Helper()
			r := f.call(&rm, "GET", "/api/v1/vendors/fourth-parties"+query, "")
			if r.Code != 200 {
				t.Fatalf("GET %s: %d %s", query, r.Code, r.Body)
			}
			return decode[list](t, r)
		}
		l := get("")
		if l.Total != 2 || len(l.Items) != 2 {
			t.Fatalf("fourth parties: %+v", l)
		}
		nimbus, gridlock := l.Items[0], l.Items[1]
		if nimbus.Name != "Nimbus Cloud" || nimbus.VendorID == nil || *nimbus.VendorID != cloud.ID || nimbus.Dependents != 3 || nimbus.CriticalDependents != 1 {
			t.Fatalf("the cloud: %+v", nimbus)
		}
		if strings.Join(nimbus.DataTypes, ",") != "health_data,payment_card_data,personal_data" || strings.Join(nimbus.Purposes, ",") != "hosting" {
			t.Fatalf("exposed through the cloud: %v %v", nimbus.DataTypes, nimbus.Purposes)
		}
		// The most critical dependent first.
		if len(nimbus.Vendors) != 3 || nimbus.Vendors[0].Name != "Alpha Payroll" || nimbus.Vendors[0].Criticality != "critical" || nimbus.Vendors[0].Purpose != "hosting" {
			t.Fatalf("dependents: %+v", nimbus.Vendors)
		}
		if gridlock.ID != "name:gridlock payments" || gridlock.VendorID != nil || gridlock.Dependents != 2 ||
			strings.Join(gridlock.Purposes, ",") != "card processing,payouts" || strings.Join(gridlock.DataTypes, ",") != "payment_card_data,personal_data" {
			t.Fatalf("a free-text fourth party named twice: %+v", gridlock)
		}

		// Filters, sorts and pages.
		if l := get("?min_dependents=3"); l.Total != 1 || l.Items[0].Name != "Nimbus Cloud" {
			t.Fatalf("at least 3 dependents: %+v", l)
		}
		if l := get("?sort=name"); l.Items[0].Name != "Gridlock Payments" {
			t.Fatalf("by name: %+v", l.Items)
		}
		first := get("?limit=1")
		if first.NextCursor == nil || first.Total != 2 || first.Items[0].Name != "Nimbus Cloud" {
			t.Fatalf("first page: %+v", first)
		}
		second := get("?limit=1&cursor=" + url.QueryEscape(*first.NextCursor))
		if len(second.Items) != 1 || second.Items[0].Name != "Gridlock Payments" || second.NextCursor != nil || second.Total != 2 {
			t.Fatalf("second page: %+v", second)
		}
		for query, field := range map[string]string{"?min_dependents=0": "min_dependents", "?min_dependents=1e9": "min_dependents",
			"?sort=id%3BDROP TABLE vendors": "sort", "?limit=500": "limit", "?owner=me": "owner", "?cursor=%27%20OR%201=1": "cursor"} {
			r := f.call(&rm, "GET", "/api/v1/vendors/fourth-parties"+strings.ReplaceAll(query, " ", "%20"), "")
			if r.Code != 422 || !slices.ContainsFunc(r.problem().Errors, func(e models.FieldError) bool { return e.Field == field }) {
				t.Errorf("%s: %d %s", query, r.Code, r.Body)
			}
		}

		// An archived vendor no longer counts; an auditor reads the same list.
		if r := f.call(&rm, "POST", "/api/v1/vendors/"+gamma.ID+"/archive", `{"version":`+itoa64(gamma.Version)+`}`); r.Code != 200 {
			t.Fatalf("archive: %d %s", r.Code, r.Body)
		}
		r := f.call(&auditor, "GET", "/api/v1/vendors/fourth-parties", "")
		if r.Code != 200 {
			t.Fatalf("auditor: %d %s", r.Code, r.Body)
		}
		if l := decode[list](t, r); l.Items[0].Dependents != 2 || slices.Contains(l.Items[0].DataTypes, "health_data") || strings.Contains(r.Body.String(), "Gamma") {
			t.Fatalf("after archiving a dependent: %s", r.Body)
		}
	})
}

// TestSupplyChainRanks: a vendor's subprocessors are rank 2; those that
// are vendors of the register lead on to rank 3 and further, each with its
// own data types and hosting regions; a vendor met again (here a cycle back
// to the start) is listed and not followed; max_rank cuts the walk.
func TestSupplyChainRanks(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		rm, head := f.as(models.RoleRiskManager), f.as(models.RoleRequester)
		mk := func(body string) vendorResponse {
			t.Helper()
			r := f.call(&rm, "POST", "/api/v1/vendors", body)
			if r.Code != 201 {
				t.Fatalf("create: %d %s", r.Code, r.Body)
			}
			return decode[vendorResponse](t, r)
		}
		cloud := mk(`{"name":"Nimbus Cloud","category":"cloud_infrastructure","data_types":["personal_data"],"hosting_regions":["eu-west-1"]}`)
		platform := mk(`{"name":"Platformly","category":"saas","subprocessors":[{"vendor_id":"` + cloud.ID + `","name":"Nimbus Cloud","purpose":"hosting"},{"name":"Mailer Co","purpose":"email"}]}`)
		app := mk(`{"name":"Appy","category":"saas","subprocessors":[{"vendor_id":"` + platform.ID + `","name":"Platformly","purpose":"runtime"},{"name":"Stripe","purpose":"payments"}]}`)
		if r := f.call(&rm, "PATCH", "/api/v1/vendors/"+cloud.ID, `{"version":`+strconv.FormatInt(cloud.Version, 10)+`,"subprocessors":[{"vendor_id":"`+app.ID+`","name":"Appy","purpose":"support desk"}]}`); r.Code != 200 {
			t.Fatalf("cycle back: %d %s", r.Code, r.Body)
		}
		get := func(q string) supplyChainResponse {
			t.Helper()
			r := f.call(&rm, "GET", "/api/v1/vendors/"+app.ID+"/supply-chain"+q, "")
			if r.Code != 200 {
				t.Fatalf("supply chain %s: %d %s", q, r.Code, r.Body)
			}
			return decode[supplyChainResponse](t, r)
		}
		var got []string
		for _, l := range get("").Links {
			got = append(got, strconv.Itoa(l.Rank)+":"+l.Name+map[bool]string{true: "(repeat)"}[l.Repeat])
		}
		if strings.Join(got, ", ") != "2:Platformly, 2:Stripe, 3:Nimbus Cloud, 3:Mailer Co, 4:Appy(repeat)" {
			t.Fatalf("chain: %v", got)
		}
		nimbus := get("").Links[2]
		if nimbus.ParentID != platform.ID || nimbus.VendorID == nil || *nimbus.VendorID != cloud.ID || strings.Join(nimbus.DataTypes, ",") != "personal_data" ||
			strings.Join(nimbus.HostingRegions, ",") != "eu-west-1" || nimbus.Purpose != "hosting" {
			t.Errorf("rank 3 link: %+v", nimbus)
		}
		if l := get("?max_rank=2").Links; len(l) != 2 {
			t.Errorf("max_rank=2: %+v", l)
		}
		if r := f.call(&rm, "GET", "/api/v1/vendors/"+app.ID+"/supply-chain?max_rank=9", ""); r.Code != 422 {
			t.Errorf("max_rank=9: %d", r.Code)
		}
		if r := f.call(&rm, "GET", "/api/v1/vendors/nope/supply-chain", ""); r.Code != 404 {
			t.Errorf("unknown vendor: %d", r.Code)
		}
		if r := f.call(&head, "GET", "/api/v1/vendors/"+app.ID+"/supply-chain", ""); r.Code != 403 {
			t.Errorf("department head: %d", r.Code)
		}
	})
}

// TestSubprocessorLinkDetails: a subprocessor link records what it
// handles for its vendor and where, checked per field (the data type
// vocabulary; locations as free text of bounded length); the supply chain
// shows the link's own values and falls back, field by field and marked
// so, to the linked vendor's record; the concentration view exposes the
// link's data types where recorded, else all its dependent's; the audit
// trail shows the change.
func TestSubprocessorLinkDetails(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		rm := f.as(models.RoleRiskManager)
		mk := func(body string) vendorResponse {
			t.Helper()
			r := f.call(&rm, "POST", "/api/v1/vendors", body)
			if r.Code != 201 {
				t.Fatalf("create: %d %s", r.Code, r.Body)
			}
			return decode[vendorResponse](t, r)
		}
		cloud := mk(`{"name":"Nimbus Cloud","category":"cloud_infrastructure","data_types":["personal_data","confidential"],"hosting_regions":["us-east-1"]}`)
		payroll := mk(`{"name":"Payroll Co","category":"saas","data_types":["personal_data","confidential","credentials_secrets"],"subprocessors":[` +
			`{"vendor_id":"` + cloud.ID + `","purpose":"hosting","data_types":["personal_data","personal_data"],"locations":["Germany"," Ireland ",""]},` +
			`{"name":"Mailer Co","purpose":"email","data_types":["personal_data"],"locations":["United States"]}]}`)
		sp := payroll.Subprocessors
		if len(sp) != 2 || strings.Join(sp[0].DataTypes, ",") != "personal_data" || strings.Join(sp[0].Locations, ",") != "Germany,Ireland" ||
			strings.Join(sp[1].Locations, ",") != "United States" {
			t.Fatalf("links as saved: %+v", sp)
		}
		// The analytics vendor records nothing on its link.
		mk(`{"name":"Analytics Co","category":"saas","data_types":["health_data"],"subprocessors":[{"vendor_id":"` + cloud.ID + `","purpose":"warehouse"}]}`)

		r := f.call(&rm, "POST", "/api/v1/vendors", `{"name":"Bad","category":"saas","subprocessors":[{"name":"X","data_types":["dna"],"locations":["`+strings.Repeat("x", 61)+`"]}]}`)
		fields := map[string]bool{}
		for _, fe := range r.problem().Errors {
			fields[fe.Field] = true
		}
		if r.Code != 422 || !fields["subprocessors[0].data_types"] || !fields["subprocessors[0].locations"] {
			t.Fatalf("bad link details: %d %s", r.Code, r.Body)
		}

		chain := decode[supplyChainResponse](t, f.call(&rm, "GET", "/api/v1/vendors/"+payroll.ID+"/supply-chain", ""))
		if len(chain.Links) != 2 {
			t.Fatalf("chain: %+v", chain.Links)
		}
		if l := chain.Links[0]; strings.Join(l.DataTypes, ",") != "personal_data" || strings.Join(l.HostingRegions, ",") != "Germany,Ireland" || l.DataTypesFromRecord || l.HostingRegionsFromRecord {
			t.Errorf("the link's own details: %+v", l)
		}
		// Only data types recorded on a later edit: the regions come from the record, marked so.
		if r := f.call(&rm, "PATCH", "/api/v1/vendors/"+payroll.ID, `{"version":`+strconv.FormatInt(payroll.Version, 10)+`,"subprocessors":[{"vendor_id":"`+cloud.ID+`","purpose":"hosting","data_types":["confidential"]}]}`); r.Code != 200 {
			t.Fatalf("edit the link: %d %s", r.Code, r.Body)
		}
		l := decode[supplyChainResponse](t, f.call(&rm, "GET", "/api/v1/vendors/"+payroll.ID+"/supply-chain", "")).Links[0]
		if strings.Join(l.DataTypes, ",") != "confidential" || l.DataTypesFromRecord || strings.Join(l.HostingRegions, ",") != "us-east-1" || !l.HostingRegionsFromRecord {
			t.Errorf("fallback per field: %+v", l)
		}
		var trail models.AuditEvent
		if err := db.Gorm.Where("action = ? AND object_id = ?", "vendor.update", payroll.ID).Order("occurred_at DESC").First(&trail).Error; err != nil {
			t.Fatal(err)
		}
		if trail.AfterData == nil || !strings.Contains(*trail.AfterData, "Nimbus Cloud — hosting [confidential]") ||
			trail.BeforeData == nil || !strings.Contains(*trail.BeforeData, "[personal_data] in Germany, Ireland") {
			t.Errorf("audit of the link change: %s / %s", *trail.BeforeData, *trail.AfterData)
		}

		fps := decode[listResponse[fourthPartyView]](t, f.call(&rm, "GET", "/api/v1/vendors/fourth-parties", ""))
		var nimbus *fourthPartyView
		for i := range fps.Items {
			if fps.Items[i].Name == "Nimbus Cloud" {
				nimbus = &fps.Items[i]
			}
		}
		// Payroll's link sends only financial data; Analytics' records
		// nothing, so all it handles is exposed. Payroll's credentials are not.
		if nimbus == nil || strings.Join(nimbus.DataTypes, ",") != "confidential,health_data" || len(nimbus.Locations) != 0 {
			t.Fatalf("exposed through the cloud: %+v", nimbus)
		}
	})
}
