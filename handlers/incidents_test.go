package handlers

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
)

type incidentDetail struct {
	incidentResponse
	NoticeCheck *struct {
		ContractTitle string `json:"contract_title"`
		AllowedHours  int    `json:"allowed_hours"`
		ActualHours   *int   `json:"actual_hours"`
		Late          bool   `json:"late"`
		Quote         string `json:"quote"`
		Message       string `json:"message"`
	} `json:"notice_check"`
	Timeline []incidentEventResponse   `json:"timeline"`
	Findings []incidentFindingResponse `json:"findings"`
}

// confirmBreachTerm gives the vendor a contract whose breach_notification
// term legal confirmed at hours, quoting the clause.
func confirmBreachTerm(t *testing.T, f *fixture, vendorID string, hours int) string {
	t.Helper()
	legal := f.as(models.RoleLegal)
	r := f.call(&legal, "POST", "/api/v1/contracts", `{"vendor_id":"`+vendorID+`","title":"Master services agreement","type":"msa"}`)
	if r.Code != 201 {
		t.Fatalf("contract: %d %s", r.Code, r.Body)
	}
	c := decode[contractResponse](t, r)
	quote := fmt.Sprintf("Vendor shall notify Customer of any Personal Data Breach within %d hours.", hours)
	term := &models.ContractTerm{ContractID: c.ID, TermKey: "breach_notification", Found: true, Value: fmt.Sprintf("%d hours", hours),
		Normalized: fmt.Sprintf(`{"hours":%d}`, hours), Evidence: fmt.Sprintf(`[{"quote":%q,"start":0,"end":%d}]`, quote, len(quote)),
		ExtractedFound: true, ReviewState: "confirmed", Version: 1}
	if err := f.db.Gorm.Create(term).Error; err != nil {
		t.Fatal(err)
	}
	return quote
}

func TestIncidentLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Incident Vendor","category":"saas","access_level":"read_only","criticality":"low"}`))
		residual := func() riskResponse {
			return decode[riskResponse](t, f.call(&risk, "GET", "/api/v1/vendors/"+v.ID+"/risk", ""))
		}
		base := residual().ResidualScore
		now := f.clock.now()
		occurred := now.Add(-120 * time.Hour).Format(time.RFC3339)
		notified := now.Add(-24 * time.Hour).Format(time.RFC3339) // 96 h later

		// No confirmed term yet: no verdict.
		body := `{"vendor_id":"` + v.ID + `","title":"Customer records exposed","kind":"breach","severity":"high","occurred_at":"` + occurred +
			`","notified_at":"` + notified + `","reported_by":"Dana (Vendor CISO)","affected_services":["Billing API"," Billing API ",""],` +
			`"data_types":["personal_data"],"records_affected":1200,"our_actions":"Rotated keys"}`
		r := f.call(&risk, "POST", "/api/v1/incidents", body)
		if r.Code != 201 {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		in := decode[incidentDetail](t, r)
		if in.Status != "open" || in.NoticeCheck != nil || len(in.AffectedServices) != 1 || *in.RecordsAffected != 1200 || in.VendorName != "Incident Vendor" ||
			len(in.Timeline) != 1 || in.Timeline[0].Kind != "status_change" || in.Version != 1 {
			t.Fatalf("incident %+v", in)
		}

		// Residual raised while open, with its own explanation line.
		open := residual()
		if open.ResidualScore != base+15 {
			t.Fatalf("residual while a high incident is open: %d, want %d", open.ResidualScore, base+15)
		}
		var line string
		for _, fc := range open.Factors.Residual {
			if fc.Key == "incidents" {
				line = fc.Label + ": " + fc.Words()
			}
		}
		if line != "Open incidents: 1 high (open or contained)" || open.History[0].Cause != "incident_changed" {
			t.Fatalf("factor %q, history %+v", line, open.History[0])
		}

		// Late against the confirmed term, with its quote.
		quote := confirmBreachTerm(t, f, v.ID, 72)
		got := decode[incidentDetail](t, f.call(&risk, "GET", "/api/v1/incidents/"+in.ID, ""))
		if nc := got.NoticeCheck; nc == nil || !nc.Late || *nc.ActualHours != 96 || nc.AllowedHours != 72 || nc.Quote != quote ||
			nc.Message != "Notice late: 96 h against 72 h in Master services agreement" {
			t.Fatalf("notice check %+v", got.NoticeCheck)
		}
		// On time once the vendor's awareness is known to be later.
		detected := now.Add(-90 * time.Hour).Format(time.RFC3339)
		r = f.call(&risk, "PATCH", "/api/v1/incidents/"+in.ID, `{"version":1,"detected_at":"`+detected+`"}`)
		if r.Code != 200 {
			t.Fatalf("patch: %d %s", r.Code, r.Body)
		}
		got = decode[incidentDetail](t, r)
		if nc := got.NoticeCheck; nc == nil || nc.Late || *nc.ActualHours != 66 || got.Version != 2 {
			t.Fatalf("on time: %+v", got.NoticeCheck)
		}

		// A stale version is refused with the current record.
		r = f.call(&risk, "PATCH", "/api/v1/incidents/"+in.ID, `{"version":1,"status":"closed"}`)
		if r.Code != 409 || !strings.Contains(r.Body.String(), `"version":2`) {
			t.Fatalf("stale: %d %s", r.Code, r.Body)
		}

		// Timeline note; finding links (only the vendor's own findings).
		r = f.call(&risk, "POST", "/api/v1/incidents/"+in.ID+"/timeline", `{"text":"Vendor confirmed containment <script>alert(1)</script>"}`)
		if r.Code != 201 || !strings.Contains(decode[incidentDetail](t, r).Timeline[1].Text, "<script>") {
			t.Fatalf("note: %d %s", r.Code, r.Body)
		}
		fd := decode[findingResponse](t, f.call(&risk, "POST", "/api/v1/findings", `{"vendor_id":"`+v.ID+`","title":"Keys not rotated","severity":"medium"}`))
		other := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Other Vendor","category":"saas"}`))
		otherFd := decode[findingResponse](t, f.call(&risk, "POST", "/api/v1/findings", `{"vendor_id":"`+other.ID+`","title":"Other","severity":"low"}`))
		if r := f.call(&risk, "POST", "/api/v1/incidents/"+in.ID+"/findings", `{"finding_id":"`+otherFd.ID+`"}`); r.Code != 422 {
			t.Fatalf("another vendor's finding: %d %s", r.Code, r.Body)
		}
		r = f.call(&risk, "POST", "/api/v1/incidents/"+in.ID+"/findings", `{"finding_id":"`+fd.ID+`"}`)
		if r.Code != 200 || len(decode[incidentDetail](t, r).Findings) != 1 {
			t.Fatalf("link: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "POST", "/api/v1/incidents/"+in.ID+"/findings", `{"finding_id":"`+fd.ID+`"}`); r.Code != 422 {
			t.Fatalf("link twice: %d %s", r.Code, r.Body)
		}
		r = f.call(&risk, "DELETE", "/api/v1/incidents/"+in.ID+"/findings/"+fd.ID, "")
		if r.Code != 200 || len(decode[incidentDetail](t, r).Findings) != 0 {
			t.Fatalf("unlink: %d %s", r.Code, r.Body)
		}

		// Closing brings the residual back and says why.
		withFinding := residual().ResidualScore
		r = f.call(&risk, "PATCH", "/api/v1/incidents/"+in.ID, `{"version":2,"status":"closed"}`)
		if r.Code != 200 {
			t.Fatalf("close: %d %s", r.Code, r.Body)
		}
		closed := decode[incidentDetail](t, r)
		if closed.ClosedAt == nil || closed.Timeline[len(closed.Timeline)-1].Text != "Status changed from open to closed" {
			t.Fatalf("closed %+v", closed)
		}
		after := residual()
		if after.ResidualScore != withFinding-15 || !strings.Contains(strings.Join(after.History[0].Changes, "|"), "Open incidents no longer apply (were 1 high (open or contained)): -15") {
			t.Fatalf("after closing: %d (was %d), changes %v", after.ResidualScore, withFinding, after.History[0].Changes)
		}
		for _, fc := range after.Factors.Residual {
			if fc.Key == "incidents" {
				t.Fatal("the incident factor stayed after closing")
			}
		}

		var actions []string
		db.Gorm.Model(&models.AuditEvent{}).Where("object_type = ? AND object_id = ?", "incident", in.ID).Order("seq").Pluck("action", &actions)
		if strings.Join(actions, ",") != "incident.create,incident.update,incident.note,incident.link_finding,incident.unlink_finding,incident.update" {
			t.Fatalf("audit %v", actions)
		}
	})
}

func TestIncidentListValidationAndAccess(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		a := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Alpha","category":"saas"}`))
		b := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Beta","category":"saas"}`))
		occurred := f.clock.now().Add(-time.Hour).Format(time.RFC3339)
		for i, sev := range []string{"low", "high", "critical", "medium", "high"} {
			vid := a.ID
			if i%2 == 1 {
				vid = b.ID
			}
			if r := f.call(&risk, "POST", "/api/v1/incidents", `{"vendor_id":"`+vid+`","title":"Outage `+sev+`","kind":"outage","severity":"`+sev+`","occurred_at":"`+occurred+`"}`); r.Code != 201 {
				t.Fatalf("create: %d %s", r.Code, r.Body)
			}
		}
		l := decode[listResponse[incidentResponse]](t, f.call(&risk, "GET", "/api/v1/incidents?severity=high&sort=-occurred_at", ""))
		if l.Total != 2 || len(l.Items) != 2 || l.Items[0].Severity != "high" {
			t.Fatalf("severity filter %+v", l)
		}
		if l := decode[listResponse[incidentResponse]](t, f.call(&risk, "GET", "/api/v1/vendors/"+b.ID+"/incidents", "")); l.Total != 2 || l.Items[0].VendorName != "Beta" {
			t.Fatalf("vendor list %+v", l)
		}
		if l := decode[listResponse[incidentResponse]](t, f.call(&risk, "GET", "/api/v1/incidents?vendor_id="+a.ID+"&status=open", "")); l.Total != 3 {
			t.Fatalf("vendor filter %+v", l)
		}
		// Pages: every incident once.
		seen := map[string]bool{}
		cursor := ""
		for range 5 {
			p := decode[listResponse[incidentResponse]](t, f.call(&risk, "GET", "/api/v1/incidents?limit=2&sort=severity&cursor="+cursor, ""))
			for _, it := range p.Items {
				seen[it.ID] = true
			}
			if p.NextCursor == nil {
				break
			}
			cursor = *p.NextCursor
		}
		if len(seen) != 5 {
			t.Fatalf("pages gave %d incidents", len(seen))
		}
		for _, q := range []string{"?status=burning", "?sort=title", "?cursor=garbage", "?colour=red"} {
			if r := f.call(&risk, "GET", "/api/v1/incidents"+q, ""); r.Code != 422 {
				t.Errorf("%s: %d", q, r.Code)
			}
		}

		// Per-field validation.
		for body, field := range map[string]string{
			`{"vendor_id":"` + a.ID + `","title":"x","severity":"urgent","occurred_at":"` + occurred + `"}`:                                   "severity",
			`{"vendor_id":"` + a.ID + `","title":"x","kind":"flood","severity":"low","occurred_at":"` + occurred + `"}`:                       "kind",
			`{"vendor_id":"nope","title":"x","severity":"low","occurred_at":"` + occurred + `"}`:                                              "vendor_id",
			`{"vendor_id":"` + a.ID + `","title":"x","severity":"low","occurred_at":"yesterday"}`:                                             "occurred_at",
			`{"vendor_id":"` + a.ID + `","title":"x","severity":"low","occurred_at":"` + occurred + `","data_types":["gossip"]}`:              "data_types",
			`{"vendor_id":"` + a.ID + `","title":"x","severity":"low","occurred_at":"` + occurred + `","records_affected":-3}`:                "records_affected",
			`{"vendor_id":"` + a.ID + `","title":"x","severity":"low","occurred_at":"` + occurred + `","notified_at":"2001-01-01T00:00:00Z"}`: "notified_at",
			`{"vendor_id":"` + a.ID + `","title":"x","severity":"low","occurred_at":"` + occurred + `","owner":"me"}`:                         "owner",
			`{"vendor_id":"` + a.ID + `","severity":"low","occurred_at":"` + occurred + `"}`:                                                  "title",
		} {
			r := f.call(&risk, "POST", "/api/v1/incidents", body)
			if r.Code != 422 || r.problem().Errors[0].Field != field {
				t.Errorf("%s: %d %s", body, r.Code, r.Body)
			}
		}
		// Hostile strings are kept as text.
		hostile := "Robert'); DROP TABLE incidents;-- <img src=x onerror=alert(1)> \u202e 💥"
		r := f.call(&risk, "POST", "/api/v1/incidents", fmt.Sprintf(`{"vendor_id":%q,"title":%q,"severity":"low","occurred_at":%q,"affected_services":[%q]}`, a.ID, hostile, occurred, hostile))
		if r.Code != 201 || decode[incidentDetail](t, r).Title != hostile || decode[incidentDetail](t, r).AffectedServices[0] != hostile {
			t.Fatalf("hostile: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "POST", "/api/v1/incidents", "{\"vendor_id\":\""+a.ID+"\",\"title\":\"a\\u0000b\",\"severity\":\"low\",\"occurred_at\":\""+occurred+"\"}"); r.Code != 422 && r.Code != 400 {
			t.Fatalf("NUL: %d %s", r.Code, r.Body)
		}

		// Roles: auditors and legal read; only risk managers and admins change.
		id := l.Items[0].ID
		for role, want := range map[models.Role][2]int{
			models.RoleAuditor: {200, 403}, models.RoleLegal: {200, 403}, models.RoleRequester: {403, 403}, models.RoleAdmin: {200, 200},
		} {
			s := f.as(role)
			if r := f.call(&s, "GET", "/api/v1/incidents/"+id, ""); r.Code != want[0] {
				t.Errorf("%s reads: %d", role, r.Code)
			}
			cur := decode[incidentDetail](t, f.call(&risk, "GET", "/api/v1/incidents/"+id, ""))
			if r := f.call(&s, "PATCH", "/api/v1/incidents/"+id, fmt.Sprintf(`{"version":%d,"our_actions":"x"}`, cur.Version)); r.Code != want[1] {
				t.Errorf("%s changes: %d %s", role, r.Code, r.Body)
			}
		}
		if r := f.call(&risk, "GET", "/api/v1/incidents/"+models.NewID(), ""); r.Code != 404 {
			t.Errorf("unknown incident: %d", r.Code)
		}

		// The dashboard counts open incidents by severity.
		d := decode[models.Dashboard](t, f.call(&risk, "GET", "/api/v1/dashboard", ""))
		n := map[string]int64{}
		for _, c := range d.IncidentsBySev {
			n[c.Key] = c.N
		}
		if n["high"] != 2 || n["critical"] != 1 || n["low"] != 2 {
			t.Fatalf("dashboard %+v", d.IncidentsBySev)
		}
	})
}

func TestIncidentReportLink(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Portal Vendor","category":"saas"}`))
		auditor := f.as(models.RoleAuditor)
		if r := f.call(&auditor, "POST", "/api/v1/vendors/"+v.ID+"/incident-links", `{}`); r.Code != 403 {
			t.Fatalf("auditor makes a link: %d", r.Code)
		}
		if r := f.call(&risk, "POST", "/api/v1/vendors/"+v.ID+"/incident-links", `{"contact_email":"not an email"}`); r.Code != 422 {
			t.Fatalf("bad email: %d %s", r.Code, r.Body)
		}
		r := f.call(&risk, "POST", "/api/v1/vendors/"+v.ID+"/incident-links", `{"contact_email":"sec@vendor.test","days":30}`)
		if r.Code != 201 {
			t.Fatalf("link: %d %s", r.Code, r.Body)
		}
		link := decode[vendorLinkResponse](t, r)
		token := link.URL[strings.LastIndex(link.URL, "/")+1:]
		if !strings.HasPrefix(token, "rpi_") || !strings.Contains(link.URL, "/portal/incident/") {
			t.Fatalf("url %q", link.URL)
		}
		var stored int64
		db.Gorm.Model(&models.IncidentLink{}).Where("token_hash = ?", token).Count(&stored)
		if stored != 0 {
			t.Fatal("the raw token is stored")
		}
		if l := decode[map[string][]vendorLinkResponse](t, f.call(&risk, "GET", "/api/v1/vendors/"+v.ID+"/incident-links", "")); len(l["items"]) != 1 || l["items"][0].URL != "" {
			t.Fatalf("links %+v", l)
		}

		r = f.call(nil, "GET", "/api/v1/portal/"+token+"/incident", "")
		if r.Code != 200 || !strings.Contains(r.Body.String(), "Portal Vendor") || r.Header().Get("Referrer-Policy") != "no-referrer" {
			t.Fatalf("portal get: %d %s %v", r.Code, r.Body, r.Header())
		}
		occurred := f.clock.now().Add(-5 * time.Hour).Format(time.RFC3339)
		if r := f.call(nil, "POST", "/api/v1/portal/"+token+"/incident", `{"title":"Ransomware","occurred_at":"`+occurred+`","contact_name":"Sam","contact_email":"nope"}`); r.Code != 422 || r.problem().Errors[0].Field != "contact_email" {
			t.Fatalf("portal validation: %d %s", r.Code, r.Body)
		}
		r = f.call(nil, "POST", "/api/v1/portal/"+token+"/incident", `{"title":"Ransomware on file servers","description":"Encrypted shares","kind":"breach",`+
			`"occurred_at":"`+occurred+`","affected_services":["File sync"],"data_types":["customer_data"],"records_affected":50,"contact_name":"Sam Lee","contact_email":"Sam@Vendor.test"}`)
		if r.Code != 201 {
			t.Fatalf("report: %d %s", r.Code, r.Body)
		}
		rep := decode[portalIncidentResponse](t, r)
		got := decode[incidentDetail](t, f.call(&risk, "GET", "/api/v1/incidents/"+rep.ID, ""))
		if got.ReportedBy != "Sam Lee <sam@vendor.test>" || got.ReportedVia != "portal" || got.Severity != "medium" || got.NotifiedAt == nil ||
			got.VendorID != v.ID || !strings.Contains(got.Timeline[0].Author, "vendor portal") {
			t.Fatalf("reported %+v", got)
		}
		var ev models.AuditEvent
		db.Gorm.Where("action = ? AND object_id = ?", "incident.report", rep.ID).Take(&ev)
		if ev.ActorType != models.ActorPortal || ev.ActorLabel != "sam@vendor.test" {
			t.Fatalf("audit %+v", ev)
		}

		// The vendor's owner (here: the risk managers, as it has none) hears of it.
		var notes []models.Notification
		db.Gorm.Where("kind = ? AND object_id = ?", "incident.reported", rep.ID).Find(&notes)
		if len(notes) != 1 || notes[0].UserID != f.users[models.RoleRiskManager].ID || notes[0].Link != "/incidents/"+rep.ID {
			t.Fatalf("notices %+v", notes)
		}

		// Revoked: 404, the same as an unknown token.
		if r := f.call(&risk, "DELETE", "/api/v1/vendors/"+v.ID+"/incident-links/"+link.ID, ""); r.Code != 204 {
			t.Fatalf("revoke: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "DELETE", "/api/v1/vendors/"+v.ID+"/incident-links/"+link.ID, ""); r.Code != 404 {
			t.Fatalf("revoke twice: %d", r.Code)
		}
		for _, tok := range []string{token, "rpi_unknown", "rpt_" + token[4:]} {
			if r := f.call(nil, "GET", "/api/v1/portal/"+tok+"/incident", ""); r.Code != 404 {
				t.Errorf("GET %s: %d", tok[:6], r.Code)
			}
			if r := f.call(nil, "POST", "/api/v1/portal/"+tok+"/incident", `{"title":"x","occurred_at":"`+occurred+`","contact_name":"a","contact_email":"a@b.test"}`); r.Code != 404 {
				t.Errorf("POST %s: %d", tok[:6], r.Code)
			}
		}
		var n int64
		db.Gorm.Model(&models.Incident{}).Count(&n)
		if n != 1 {
			t.Fatalf("%d incidents", n)
		}
		// Guessing links is rate limited per address, as on the questionnaire portal.
		limited := false
		for i := 0; i < 100 && !limited; i++ {
			limited = f.call(nil, "GET", "/api/v1/portal/rpi_guess"+fmt.Sprint(i)+"/incident", "").Code == 429
		}
		if !limited {
			t.Fatal("100 guesses in a row were never rate limited")
		}
	})
}

// TestIncidentConcurrentWriters: two people save the same incident at the
// same version at once; exactly one wins, the other gets 409, and the
// stored record and the audit trail show one change.
func TestIncidentConcurrentWriters(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk, admin := f.as(models.RoleRiskManager), f.as(models.RoleAdmin)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Race Vendor","category":"saas"}`))
		in := decode[incidentDetail](t, f.call(&risk, "POST", "/api/v1/incidents", `{"vendor_id":"`+v.ID+`","title":"Race","severity":"low","occurred_at":"`+
			f.clock.now().Add(-time.Hour).Format(time.RFC3339)+`"}`))
		codes := make([]int, 2)
		var wg sync.WaitGroup
		for i, s := range []session{risk, admin} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i], _ = f.concurrentCall(s, "PATCH", "/api/v1/incidents/"+in.ID, fmt.Sprintf(`{"version":1,"our_actions":"writer %d"}`, i))
			}()
		}
		wg.Wait()
		if !(codes[0] == 200 && codes[1] == 409 || codes[0] == 409 && codes[1] == 200) {
			t.Fatalf("codes %v, want one 200 and one 409", codes)
		}
		got := decode[incidentDetail](t, f.call(&risk, "GET", "/api/v1/incidents/"+in.ID, ""))
		var updates int64
		db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND object_id = ?", "incident.update", in.ID).Count(&updates)
		if got.Version != 2 || updates != 1 {
			t.Fatalf("version %d, %d update events", got.Version, updates)
		}
	})
}
