package handlers

import (
	"context"
	"strings"
	"testing"
	"time"

	"rampart/app/authz"
	"rampart/models"
	"rampart/models/testdb"
)

// unitObjects are the objects of one business unit, made through the API.
type unitObjects struct {
	unit, vendor, contract, assessment, finding, incident, evidence string
	name                                                            string // the vendor's name, which must never leak
}

// unitWorld has units A and B with a vendor each and everything that
// hangs off it, and a risk manager scoped to A.
type unitWorld struct {
	f             *fixture
	admin, scoped session
	scopedUser    *models.User
	a, b          unitObjects
}

func newUnitWorld(t *testing.T, db *models.DB) *unitWorld {
	t.Helper()
	f := newFixture(t, db)
	w := &unitWorld{f: f, admin: f.as(models.RoleAdmin)}
	tpl := testTemplate(t, db)
	pdf := "%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
	for _, o := range []*unitObjects{&w.a, &w.b} {
		letter := "A"
		if o == &w.b {
			letter = "B"
		}
		o.name = "Vendor-" + letter + "-secret"
		o.unit = decode[businessUnitResponse](t, f.call(&w.admin, "POST", "/api/v1/business-units", `{"name":"Unit `+letter+`"}`)).ID
		r := f.call(&w.admin, "POST", "/api/v1/vendors", `{"name":"`+o.name+`","category":"saas","business_unit_ids":["`+o.unit+`"]}`)
		if r.Code != 201 {
			t.Fatalf("vendor %s: %d %s", letter, r.Code, r.Body)
		}
		o.vendor = decode[vendorResponse](t, r).ID
		o.contract = decode[contractResponse](t, f.call(&w.admin, "POST", "/api/v1/contracts", `{"vendor_id":"`+o.vendor+`","title":"MSA `+letter+`","type":"msa","end_date":"`+time.Now().AddDate(0, 2, 0).Format(time.DateOnly)+`"}`)).ID
		o.assessment = decode[assessmentDetail](t, f.call(&w.admin, "POST", "/api/v1/assessments", `{"vendor_id":"`+o.vendor+`","template_id":"`+tpl.ID+`"}`)).ID
		o.finding = decode[findingResponse](t, f.call(&w.admin, "POST", "/api/v1/findings", `{"vendor_id":"`+o.vendor+`","title":"Finding `+letter+`","severity":"high"}`)).ID
		o.incident = decode[incidentResponse](t, f.call(&w.admin, "POST", "/api/v1/incidents", `{"vendor_id":"`+o.vendor+`","title":"Outage `+letter+`","kind":"outage","severity":"high","occurred_at":"`+time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)+`"}`)).ID
		o.evidence = decode[evidenceResponse](t, f.uploadForm(&w.admin, "/api/v1/vendors/"+o.vendor+"/evidence", map[string]string{"kind": "policy"}, "policy.pdf", []byte(pdf))).ID
		for _, id := range []string{o.contract, o.assessment, o.finding, o.incident, o.evidence} {
			if id == "" {
				t.Fatalf("unit %s: an object was not created", letter)
			}
		}
	}
	u := &models.User{Email: "scoped@corp.test", Name: "Scoped Risk", Role: models.RoleRiskManager, Active: true, PasswordHash: testHash()}
	if err := models.CreateUser(context.Background(), db.Gorm, u); err != nil {
		t.Fatal(err)
	}
	w.scopedUser = u
	if r := f.call(&w.admin, "PUT", "/api/v1/users/"+u.ID+"/business-units", `{"business_unit_ids":["`+w.a.unit+`"]}`); r.Code != 200 {
		t.Fatalf("scope the user: %d %s", r.Code, r.Body)
	}
	w.signInScoped()
	return w
}

func (w *unitWorld) signInScoped() {
	s, r := w.f.signIn("scoped@corp.test", testPassword)
	if r.Code != 200 {
		w.f.t.Fatalf("scoped sign-in: %d %s", r.Code, r.Body)
	}
	w.scoped = s
}

// objectPaths are the by-id paths of a unit's objects and what hangs off
// them.
func (o unitObjects) objectPaths() []string {
	v := "/api/v1/vendors/" + o.vendor
	return []string{v, v + "/risk", v + "/report", v + "/activity", v + "/evidence", v + "/evidence/" + o.evidence,
		v + "/evidence/" + o.evidence + "/versions/1/file", v + "/incidents", v + "/incident-links", v + "/supply-chain",
		v + "/offboarding", v + "/mail-bounces",
		"/api/v1/contracts/" + o.contract, "/api/v1/contracts/" + o.contract + "/record",
		"/api/v1/assessments/" + o.assessment, "/api/v1/assessments/" + o.assessment + "/export.xlsx", "/api/v1/assessments/" + o.assessment + "/mails",
		"/api/v1/findings/" + o.finding, "/api/v1/findings/" + o.finding + "/comments", "/api/v1/findings/" + o.finding + "/attachments",
		"/api/v1/incidents/" + o.incident}
}

// TestBusinessUnitScope: a person scoped to unit A gets 404 for every
// object of unit B and what hangs off it, reads and writes alike, and
// sees only A in lists, search, the unit filter, dashboard counts,
// exports, the calendar feed and notifications; they cannot assign B;
// an admin sees everything.
func TestBusinessUnitScope(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		w := newUnitWorld(t, db)
		f := w.f
		for _, p := range w.b.objectPaths() {
			r := f.call(&w.scoped, "GET", p, "")
			if r.Code != 404 || strings.Contains(r.Body.String(), w.b.name) {
				t.Errorf("scoped GET %s = %d %s, want 404 without data", p, r.Code, r.Body)
			}
			if strings.HasSuffix(p, "/offboarding") {
				continue // none started: 404 for everyone
			}
			if r := f.call(&w.admin, "GET", p, ""); r.Code != 200 {
				t.Errorf("admin GET %s = %d", p, r.Code)
			}
		}
		for _, p := range w.a.objectPaths() {
			if strings.HasSuffix(p, "/offboarding") {
				continue // none started: 404 for everyone
			}
			if r := f.call(&w.scoped, "GET", p, ""); r.Code != 200 {
				t.Errorf("scoped GET own %s = %d %s", p, r.Code, r.Body)
			}
		}
		for _, c := range []struct{ method, path, body string }{
			{"PATCH", "/api/v1/vendors/" + w.b.vendor, `{"version":1,"name":"Hijacked"}`},
			{"POST", "/api/v1/vendors/" + w.b.vendor + "/archive", `{"version":1}`},
			{"PATCH", "/api/v1/findings/" + w.b.finding, `{"version":1,"title":"Hijacked"}`},
			{"PATCH", "/api/v1/contracts/" + w.b.contract, `{"version":1,"title":"Hijacked"}`},
			{"PATCH", "/api/v1/incidents/" + w.b.incident, `{"version":1,"title":"Hijacked"}`},
			{"POST", "/api/v1/findings/" + w.b.finding + "/comments", `{"body":"hello"}`},
			{"POST", "/api/v1/assessments/" + w.b.assessment + "/send", `{"version":1}`},
		} {
			if r := f.call(&w.scoped, c.method, c.path, c.body); r.Code != 404 || strings.Contains(r.Body.String(), w.b.name) {
				t.Errorf("scoped %s %s = %d %s, want 404", c.method, c.path, r.Code, r.Body)
			}
		}
		for _, body := range []string{
			`{"vendor_id":"` + w.b.vendor + `","title":"X","severity":"low"}`,
		} {
			if r := f.call(&w.scoped, "POST", "/api/v1/findings", body); r.Code/100 == 2 || r.Code == 403 || strings.Contains(r.Body.String(), w.b.name) {
				t.Errorf("a finding on B's vendor: %d %s", r.Code, r.Body)
			}
		}
		if got := decode[vendorResponse](t, f.call(&w.admin, "GET", "/api/v1/vendors/"+w.b.vendor, "")); got.Name != w.b.name || got.Version != 1 {
			t.Fatalf("B's vendor changed by the scoped user: %+v", got)
		}

		// Lists, search and the unit filter. Both vendors miss evidence, for
		// the filter that SQLite reads through a named index.
		if err := db.Gorm.Model(&models.Vendor{}).Where("id IN ?", []string{w.a.vendor, w.b.vendor}).Update("evidence_gaps", 2).Error; err != nil {
			t.Fatal(err)
		}
		lists := map[string]string{
			"/api/v1/vendors": w.a.vendor, "/api/v1/vendors?q=secret": w.a.vendor, "/api/v1/vendors?evidence=gaps": w.a.vendor, "/api/v1/contracts": w.a.contract,
			"/api/v1/assessments": w.a.assessment, "/api/v1/findings": w.a.finding, "/api/v1/incidents": w.a.incident,
		}
		for path, want := range lists {
			body := f.call(&w.scoped, "GET", path, "").Body.String()
			if !strings.Contains(body, want) || strings.Contains(body, w.b.vendor) || strings.Contains(body, w.b.name) {
				t.Errorf("scoped list %s: %s", path, body)
			}
			if admin := f.call(&w.admin, "GET", path, "").Body.String(); !strings.Contains(admin, want) || !strings.Contains(admin, w.b.vendor) {
				t.Errorf("admin list %s misses a unit: %s", path, admin)
			}
		}
		if l := decode[listResponse[vendorSummary]](t, f.call(&w.scoped, "GET", "/api/v1/vendors?unit="+w.b.unit, "")); l.Total != 0 {
			t.Errorf("scoped unit=B filter: %+v", l)
		}
		if l := decode[listResponse[vendorSummary]](t, f.call(&w.admin, "GET", "/api/v1/vendors?unit="+w.b.unit, "")); l.Total != 1 || l.Items[0].ID != w.b.vendor || l.Items[0].BusinessUnitIDs[0] != w.b.unit {
			t.Errorf("admin unit=B filter: %+v", l)
		}

		// Dashboard counts.
		dash := func(s *session) models.Dashboard {
			return decode[models.Dashboard](t, f.call(s, "GET", "/api/v1/dashboard", ""))
		}
		sd, ad := dash(&w.scoped), dash(&w.admin)
		sum := func(cs []models.Count) (n int64) {
			for _, c := range cs {
				n += c.N
			}
			return n
		}
		if sd.Vendors != 1 || sum(sd.FindingsBySev) != 1 || sum(sd.IncidentsBySev) != 1 {
			t.Errorf("scoped dashboard: vendors %d findings %d incidents %d", sd.Vendors, sum(sd.FindingsBySev), sum(sd.IncidentsBySev))
		}
		if ad.Vendors != 2 || sum(ad.FindingsBySev) != 2 || sum(ad.IncidentsBySev) != 2 {
			t.Errorf("admin dashboard: vendors %d findings %d incidents %d", ad.Vendors, sum(ad.FindingsBySev), sum(ad.IncidentsBySev))
		}

		// Exports.
		for _, p := range []string{"/api/v1/vendors/export.csv", "/api/v1/vendors/export.xlsx"} {
			r := f.call(&w.scoped, "GET", p, "")
			if r.Code != 200 || strings.Contains(r.Body.String(), w.b.name) {
				t.Errorf("scoped export %s: %d", p, r.Code)
			}
			if p == "/api/v1/vendors/export.csv" && !strings.Contains(r.Body.String(), w.a.name) {
				t.Errorf("scoped CSV export misses A: %s", r.Body)
			}
		}
		for p, names := range map[string][2]string{
			"/api/v1/contracts/export.csv": {"MSA A", "MSA B"},
			"/api/v1/findings/export.csv":  {"Finding A", "Finding B"},
		} {
			body := f.call(&w.scoped, "GET", p, "").Body.String()
			if !strings.Contains(body, names[0]) || strings.Contains(body, names[1]) || strings.Contains(body, w.b.name) {
				t.Errorf("scoped export %s: %s", p, body)
			}
		}

		// The calendar feed, read without a session, keeps its owner's scope.
		feed := decode[feedResponse](t, f.call(&w.scoped, "POST", "/api/v1/calendar/feed", ""))
		ics := f.call(nil, "GET", feed.URL[strings.Index(feed.URL, "/api/"):], "").Body.String()
		if !strings.Contains(ics, "Finding A") || strings.Contains(ics, "Finding B") || strings.Contains(ics, "MSA B") {
			t.Errorf("scoped calendar feed: %s", ics)
		}
		if cal := f.call(&w.scoped, "GET", "/api/v1/calendar", "").Body.String(); strings.Contains(cal, "Finding B") || !strings.Contains(cal, "Finding A") {
			t.Errorf("scoped calendar: %s", cal)
		}

		// Notifications about B's objects stay out of the scoped bell.
		ctx := context.Background()
		for _, n := range []models.Notification{
			{UserID: w.scopedUser.ID, EventKey: "t-a", Kind: "finding_assigned", Title: "About A", ObjectType: "finding", ObjectID: w.a.finding},
			{UserID: w.scopedUser.ID, EventKey: "t-b", Kind: "finding_assigned", Title: "About B", ObjectType: "finding", ObjectID: w.b.finding},
		} {
			if err := db.Gorm.WithContext(ctx).Create(&n).Error; err != nil {
				t.Fatal(err)
			}
		}
		if bell := f.call(&w.scoped, "GET", "/api/v1/notifications", "").Body.String(); strings.Contains(bell, "About B") || !strings.Contains(bell, "About A") {
			t.Errorf("scoped notifications: %s", bell)
		}

		// Assigning a unit one does not hold is refused, naming the position.
		r := f.call(&w.scoped, "POST", "/api/v1/vendors", `{"name":"Mine","category":"saas","business_unit_ids":["`+w.b.unit+`"]}`)
		if r.Code != 422 || r.problem().Errors[0].Field != "business_unit_ids[0]" {
			t.Errorf("scoped create in B: %d %s", r.Code, r.Body)
		}
		r = f.call(&w.scoped, "PATCH", "/api/v1/vendors/"+w.a.vendor, `{"version":1,"business_unit_ids":["`+w.a.unit+`","`+w.b.unit+`"]}`)
		if r.Code != 422 || r.problem().Errors[0].Field != "business_unit_ids[1]" {
			t.Errorf("scoped move into B: %d %s", r.Code, r.Body)
		}
		r = f.call(&w.scoped, "POST", "/api/v1/findings", `{"vendor_id":"`+w.a.vendor+`","title":"X","severity":"low","business_unit_ids":["`+w.b.unit+`"]}`)
		if r.Code != 422 || r.problem().Errors[0].Field != "business_unit_ids[0]" {
			t.Errorf("scoped finding in B: %d %s", r.Code, r.Body)
		}
		// What a scoped person creates without naming units is theirs.
		mine := decode[vendorResponse](t, f.call(&w.scoped, "POST", "/api/v1/vendors", `{"name":"Mine","category":"saas"}`))
		if len(mine.BusinessUnitIDs) != 1 || mine.BusinessUnitIDs[0] != w.a.unit {
			t.Errorf("scoped create without units: %+v", mine.BusinessUnitIDs)
		}
		// So is what they import.
		if r := f.upload(&w.scoped, "/api/v1/vendors/import?dry_run=false", "v.csv", []byte("name,category\nImported Co,saas\n")); r.Code != 200 {
			t.Fatalf("scoped import: %d %s", r.Code, r.Body)
		}
		if l := decode[listResponse[vendorSummary]](t, f.call(&w.scoped, "GET", "/api/v1/vendors?q=imported", "")); l.Total != 1 || l.Items[0].BusinessUnitIDs[0] != w.a.unit {
			t.Errorf("scoped import: %+v", l)
		}
		// Contracts, assessments and findings take their vendor's units,
		// and their pages say which.
		for _, p := range []string{"/api/v1/contracts/" + w.b.contract, "/api/v1/assessments/" + w.b.assessment, "/api/v1/findings/" + w.b.finding} {
			got := decode[struct {
				BusinessUnitIDs []string `json:"business_unit_ids"`
			}](t, f.call(&w.admin, "GET", p, ""))
			if len(got.BusinessUnitIDs) != 1 || got.BusinessUnitIDs[0] != w.b.unit {
				t.Errorf("%s has units %v, want B's vendor's", p, got.BusinessUnitIDs)
			}
		}
		if l := decode[listResponse[vendorSummary]](t, f.call(&w.admin, "GET", "/api/v1/vendors", "")); l.Total != 4 {
			t.Errorf("admin sees %d vendors, want 4", l.Total)
		}
		// The audit trail: a scoped auditor reads only events about their
		// units' vendors, contracts, assessments and findings; verifying,
		// the checkpoint and the export speak for the whole chain and are
		// refused to them.
		aud := &models.User{Email: "scoped-auditor@corp.test", Name: "Scoped Auditor", Role: models.RoleAuditor, Active: true, PasswordHash: testHash()}
		if err := models.CreateUser(context.Background(), db.Gorm, aud); err != nil {
			t.Fatal(err)
		}
		if r := f.call(&w.admin, "PUT", "/api/v1/users/"+aud.ID+"/business-units", `{"business_unit_ids":["`+w.a.unit+`"]}`); r.Code != 200 {
			t.Fatalf("scope the auditor: %d %s", r.Code, r.Body)
		}
		as, r := f.signIn(aud.Email, testPassword)
		if r.Code != 200 {
			t.Fatalf("auditor sign-in: %d %s", r.Code, r.Body)
		}
		trail := f.call(&as, "GET", "/api/v1/audit-events?limit=200", "")
		body := trail.Body.String()
		if trail.Code != 200 || !strings.Contains(body, w.a.finding) || !strings.Contains(body, w.a.vendor) {
			t.Errorf("scoped auditor's trail lacks A: %d %s", trail.Code, body)
		}
		for _, id := range []string{w.b.vendor, w.b.contract, w.b.assessment, w.b.finding, w.b.name, `"object_type":"user"`, `"object_type":"business_unit"`} {
			if strings.Contains(body, id) {
				t.Errorf("scoped auditor's trail shows %s", id)
			}
		}
		if l := decode[listResponse[auditEventResponse]](t, f.call(&as, "GET", "/api/v1/audit-events?object_type=finding&object_id="+w.b.finding, "")); l.Total != 0 || len(l.Items) != 0 {
			t.Errorf("scoped auditor filters to B's finding: %+v", l)
		}
		for _, p := range []string{"/api/v1/audit-events/verify", "/api/v1/audit-events/export.csv", "/api/v1/audit-events/checkpoint"} {
			if r := f.call(&as, "GET", p, ""); r.Code != 403 || !strings.Contains(r.Body.String(), "scoped") {
				t.Errorf("scoped auditor %s: %d %s", p, r.Code, r.Body)
			}
		}
		if r := f.call(&w.admin, "GET", "/api/v1/audit-events/verify", ""); r.Code != 200 || !strings.Contains(r.Body.String(), `"ok":true`) {
			t.Errorf("admin verify after scoped writes: %d %s", r.Code, r.Body)
		}
		if l := decode[listResponse[auditEventResponse]](t, f.call(&w.admin, "GET", "/api/v1/audit-events?object_type=finding&object_id="+w.b.finding, "")); l.Total == 0 {
			t.Errorf("admin does not see B's finding's events")
		}
		// Lifting the scope shows everything again.
		if r := f.call(&w.admin, "PUT", "/api/v1/users/"+w.scopedUser.ID+"/business-units", `{"business_unit_ids":[]}`); r.Code != 200 {
			t.Fatalf("unscope: %d %s", r.Code, r.Body)
		}
		if r := f.call(&w.scoped, "GET", "/api/v1/vendors/"+w.b.vendor, ""); r.Code != 200 {
			t.Errorf("unscoped GET B = %d", r.Code)
		}
	})
}

// TestBusinessUnitAdmin: units are created, renamed and archived by
// admins only, names unique in any case, versions checked, hostile input
// refused, every change audited.
func TestBusinessUnitAdmin(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		admin, risk := f.as(models.RoleAdmin), f.as(models.RoleRiskManager)
		u := decode[businessUnitResponse](t, f.call(&admin, "POST", "/api/v1/business-units", `{"name":" Retail <b>banking</b> ","description":"Branches"}`))
		if u.Name != "Retail <b>banking</b>" || u.Version != 1 {
			t.Fatalf("created: %+v", u)
		}
		for body, field := range map[string]string{
			`{"name":"RETAIL <B>BANKING</B>"}`: "name", `{"name":"  "}`: "name", `{"name":"x","extra":1}`: "extra",
			`{"name":"` + strings.Repeat("x", 101) + `"}`: "name", "{\"name\":\"\xff\"}": "",
		} {
			r := f.call(&admin, "POST", "/api/v1/business-units", body)
			if r.Code != 422 && r.Code != 400 {
				t.Errorf("create %q: %d %s", body, r.Code, r.Body)
			} else if field != "" && (r.Code != 422 || r.problem().Errors[0].Field != field) {
				t.Errorf("create %q: %d %s, want 422 on %s", body, r.Code, r.Body, field)
			}
		}
		if r := f.call(&risk, "POST", "/api/v1/business-units", `{"name":"Mine"}`); r.Code != 403 {
			t.Errorf("risk manager creates a unit: %d", r.Code)
		}
		path := "/api/v1/business-units/" + u.ID
		renamed := decode[businessUnitResponse](t, f.call(&admin, "PATCH", path, `{"version":1,"name":"Retail"}`))
		if renamed.Name != "Retail" || renamed.Version != 2 {
			t.Fatalf("renamed: %+v", renamed)
		}
		if r := f.call(&admin, "PATCH", path, `{"version":1,"archived":true}`); r.Code != 409 || !strings.Contains(r.Body.String(), `"Retail"`) {
			t.Errorf("stale version: %d %s", r.Code, r.Body)
		}
		if r := f.call(&admin, "PATCH", path, `{"version":2,"archived":true}`); r.Code != 200 {
			t.Fatalf("archive: %d %s", r.Code, r.Body)
		}
		if l := decode[businessUnitsResponse](t, f.call(&risk, "GET", "/api/v1/business-units", "")); len(l.Items) != 0 || l.Scoped {
			t.Errorf("archived unit listed: %+v", l)
		}
		if l := decode[businessUnitsResponse](t, f.call(&admin, "GET", "/api/v1/business-units?archived=true", "")); len(l.Items) != 1 {
			t.Errorf("archived=true: %+v", l)
		}
		r := f.call(&admin, "POST", "/api/v1/vendors", `{"name":"V","category":"saas","business_unit_ids":["`+u.ID+`"]}`)
		if r.Code != 422 || r.problem().Errors[0].Field != "business_unit_ids[0]" {
			t.Errorf("assigning an archived unit: %d %s", r.Code, r.Body)
		}
		if r := f.call(&admin, "PUT", "/api/v1/users/"+f.users[models.RoleLegal].ID+"/business-units", `{"business_unit_ids":["nope"]}`); r.Code != 422 {
			t.Errorf("scoping to an unknown unit: %d %s", r.Code, r.Body)
		}
		for _, action := range []string{"business_unit.create", "business_unit.update", "business_unit.archive"} {
			if f.auditCount(action) != 1 {
				t.Errorf("%s audited %d times", action, f.auditCount(action))
			}
		}
	})
}

// checkScoped is the matrix's scoped-user column for one route: what the
// unscoped risk manager may call, the scoped one may call too, except
// that an object of another unit answers 404 (or, for a write, a refusal
// of the body before the lookup) and never shows its data.
func (w *unitWorld) checkScoped(t *testing.T, rt route) {
	t.Helper()
	byPrefix := map[string]string{"/api/v1/vendors/:id": w.b.vendor, "/api/v1/contracts/:id": w.b.contract,
		"/api/v1/assessments/:id": w.b.assessment, "/api/v1/findings/:id": w.b.finding, "/api/v1/incidents/:id": w.b.incident}
	id, objectB := w.f.users[models.RoleAuditor].ID, false
	for prefix, bID := range byPrefix {
		if rt.path == prefix || strings.HasPrefix(rt.path, prefix+"/") {
			id, objectB = bID, true
		}
	}
	path := strings.NewReplacer(":id", id, ":document_id", w.b.evidence, ":finding_id", w.b.finding).Replace(rt.path)
	body := ""
	if !isSafeMethod(rt.method) {
		body = "{}"
	}
	r := w.f.call(&w.scoped, rt.method, path, body)
	allowed := rt.perm == authz.Public || authz.Can(models.RoleRiskManager, rt.perm)
	switch {
	case !allowed && r.Code != 403:
		t.Errorf("scoped %s %s = %d, want 403", rt.method, rt.path, r.Code)
	case allowed && objectB && isSafeMethod(rt.method) && r.Code != 404:
		t.Errorf("scoped %s %s on unit B = %d, want 404 (%s)", rt.method, rt.path, r.Code, r.Body)
	case allowed && objectB && (r.Code/100 == 2 || r.Code == 401 || r.Code == 403 || r.Code == 409):
		t.Errorf("scoped %s %s on unit B = %d, want 404 or a refused body", rt.method, rt.path, r.Code)
	case allowed && (r.Code == 401 || r.Code == 403):
		t.Errorf("scoped %s %s = %d, want access (%s)", rt.method, rt.path, r.Code, r.Body)
	}
	if strings.Contains(r.Body.String(), w.b.name) {
		t.Errorf("scoped %s %s leaked unit B's vendor: %s", rt.method, rt.path, r.Body)
	}
	if strings.HasPrefix(rt.path, "/api/v1/auth/") && rt.method == post && rt.perm != authz.Public {
		w.signInScoped() // that call may have ended the session
	}
}

// TestBusinessUnitChangeObjects: a contract's and a finding's units are
// changed on their PATCH, an assessment's on PUT .../business-units, with
// the vendor's rules: a scoped editor names only units they hold (422 at
// the position), keeps the units they do not hold, a stale version is
// 409, another unit's object is 404, and the change is in the audit's
// before/after.
func TestBusinessUnitChangeObjects(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		w := newUnitWorld(t, db)
		f := w.f
		type withUnits struct {
			Version         int64    `json:"version"`
			BusinessUnitIDs []string `json:"business_unit_ids"`
		}
		for _, o := range []struct{ kind, path, method, write, action, other string }{
			{"contract", "/api/v1/contracts/" + w.a.contract, "PATCH", "", "contract.update", "/api/v1/contracts/" + w.b.contract},
			{"finding", "/api/v1/findings/" + w.a.finding, "PATCH", "", "finding.update", "/api/v1/findings/" + w.b.finding},
			{"assessment", "/api/v1/assessments/" + w.a.assessment, "PUT", "/business-units", "assessment.business_units", "/api/v1/assessments/" + w.b.assessment},
		} {
			// B's object is out of the scoped person's sight, for writes too.
			if r := f.call(&w.scoped, o.method, o.other+o.write, `{"version":1,"business_unit_ids":["`+w.a.unit+`"]}`); r.Code != 404 || strings.Contains(r.Body.String(), w.b.name) {
				t.Errorf("%s: scoped sets units on B's: %d %s", o.kind, r.Code, r.Body)
			}
			both := `["` + w.a.unit + `","` + w.b.unit + `"]`
			r := f.call(&w.admin, o.method, o.path+o.write, `{"version":1,"business_unit_ids":`+both+`}`)
			got := decode[withUnits](t, r)
			if r.Code != 200 || len(got.BusinessUnitIDs) != 2 || got.Version != 2 {
				t.Fatalf("%s: admin sets A and B: %d %s", o.kind, r.Code, r.Body)
			}
			for _, bad := range []string{`["` + w.b.unit + `"]`, `["<script>alert(1)</script>"]`, `["` + w.a.unit + `","\xff"]`} {
				r = f.call(&w.scoped, o.method, o.path+o.write, `{"version":2,"business_unit_ids":`+bad+`}`)
				if r.Code == 200 || r.Code >= 500 {
					t.Errorf("%s: scoped sets %s: %d %s", o.kind, bad, r.Code, r.Body)
				} else if r.Code == 422 && !strings.HasPrefix(r.problem().Errors[0].Field, "business_unit_ids[") {
					t.Errorf("%s: scoped sets %s: %s", o.kind, bad, r.Body)
				}
			}
			if r = f.call(&w.scoped, o.method, o.path+o.write, `{"version":2,"business_unit_ids":[]}`); r.Code != 422 || r.problem().Errors[0].Field != "business_unit_ids" {
				t.Errorf("%s: scoped sets none: %d %s", o.kind, r.Code, r.Body)
			}
			// Setting only A keeps B, which the scoped person cannot see.
			r = f.call(&w.scoped, o.method, o.path+o.write, `{"version":2,"business_unit_ids":["`+w.a.unit+`"]}`)
			got = decode[withUnits](t, r)
			if r.Code != 200 || len(got.BusinessUnitIDs) != 2 || got.Version != 3 {
				t.Errorf("%s: scoped sets A: %d %s, want A and B kept", o.kind, r.Code, r.Body)
			}
			if r = f.call(&w.scoped, o.method, o.path+o.write, `{"version":2,"business_unit_ids":["`+w.a.unit+`"]}`); r.Code != 409 {
				t.Errorf("%s: stale version: %d %s", o.kind, r.Code, r.Body)
			} else if o.method == "PATCH" && !strings.Contains(r.Body.String(), `"business_unit_ids":["`) {
				// The edit forms refill their unit boxes from the 409's current record.
				t.Errorf("%s: the 409's current record lacks its units: %s", o.kind, r.Body)
			}
			// The admin takes it out of A: the scoped person loses it.
			if r = f.call(&w.admin, o.method, o.path+o.write, `{"version":3,"business_unit_ids":["`+w.b.unit+`"]}`); r.Code != 200 {
				t.Fatalf("%s: admin sets B: %d %s", o.kind, r.Code, r.Body)
			}
			if r = f.call(&w.scoped, "GET", o.path, ""); r.Code != 404 {
				t.Errorf("%s moved to B: scoped GET = %d", o.kind, r.Code)
			}
			var ev models.AuditEvent
			if err := db.Gorm.Where("action = ? AND object_id = ?", o.action, strings.TrimPrefix(o.path, "/api/v1/"+o.kind+"s/")).Order("seq DESC").First(&ev).Error; err != nil {
				t.Fatal(err)
			}
			if ev.BeforeData == nil || ev.AfterData == nil || !strings.Contains(*ev.BeforeData, w.a.unit) || !strings.Contains(*ev.AfterData, `"business_unit_ids"`) || strings.Contains(*ev.AfterData, w.a.unit) {
				t.Errorf("%s: audit before %v after %v", o.kind, ev.BeforeData, ev.AfterData)
			}
		}
		// The assessment's route sets units and nothing else: a body without
		// them is refused rather than read as "none".
		if r := f.call(&w.admin, "PUT", "/api/v1/assessments/"+w.a.assessment+"/business-units", `{"version":4}`); r.Code != 422 || r.problem().Errors[0].Field != "business_unit_ids" {
			t.Errorf("assessment units absent: %d %s", r.Code, r.Body)
		}
	})
}
