package handlers

import (
	"strings"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

// TestRiskHistoryCauses: each cause adds exactly one history entry with
// the right change in words; an edit that touches no risk factor adds none.
func TestRiskHistoryCauses(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		tpl := testTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Scored","category":"saas","access_level":"read_only","criticality":"low","data_types":["internal"]}`))
		path := "/api/v1/vendors/" + v.ID
		r := decode[riskResponse](t, f.call(&risk, "GET", path+"/risk", ""))
		// internal 4 + read_only 6 = 10 -> tier 4
		if r.InherentScore != 10 || r.Tier != 4 || r.TierName != "Low" || len(r.History) != 1 || r.History[0].Cause != "created" || r.DefaultQuestionnaire != "rampart-lite" {
			t.Fatalf("new vendor risk %+v", r)
		}
		if r.ResidualScore != 10 || r.Likelihood != 5 || r.Impact != 1 {
			t.Fatalf("residual without an assessment: %+v", r)
		}

		// A profile edit that touches no factor adds no entry.
		f.call(&risk, "PATCH", path, `{"version":1,"description":"New words"}`)
		// Access read-only -> administrative: +14.
		f.call(&risk, "PATCH", path, `{"version":2,"access_level":"administrative"}`)
		r = decode[riskResponse](t, f.call(&risk, "GET", path+"/risk", ""))
		if len(r.History) != 2 || r.History[0].Cause != "profile_edit" || r.InherentScore != 24 || r.Tier != 3 ||
			strings.Join(r.History[0].Changes, "|") != "Access to our systems changed from read_only to administrative: +14" {
			t.Fatalf("after the access change: %+v", r.History)
		}
		if l := decode[listResponse[vendorSummary]](t, f.call(&risk, "GET", "/api/v1/vendors?tier=3", "")); l.Total != 1 || l.Items[0].Tier != 3 {
			t.Fatalf("tier filter: %+v", l)
		}

		// A completed assessment lowers residual risk.
		a := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tpl.ID+`","contact_email":"x@y.test"}`))
		sent := decode[sendResponse](t, f.call(&risk, "POST", "/api/v1/assessments/"+a.ID+"/send", `{"version":1}`))
		portal := "/api/v1/portal/" + sent.PortalURL[strings.LastIndex(sent.PortalURL, "/")+1:]
		f.call(nil, "PUT", portal+"/answers/IAM-01", `{"value":"yes"}`)
		f.call(nil, "PUT", portal+"/answers/IAM-02", `{"value":"all"}`)
		f.call(nil, "POST", portal+"/submit", "")
		d := decode[assessmentDetail](t, f.call(&risk, "GET", "/api/v1/assessments/"+a.ID, ""))
		if r := f.call(&risk, "POST", "/api/v1/assessments/"+a.ID+"/transition", `{"version":`+itoa64(d.Version)+`,"action":"complete"}`); r.Code != 200 {
			t.Fatalf("complete: %d %s", r.Code, r.Body)
		}
		r = decode[riskResponse](t, f.call(&risk, "GET", path+"/risk", ""))
		// effectiveness 100 -> reduction round(24*0.6) = 14 -> residual 10, likelihood 1
		if len(r.History) != 3 || r.History[0].Cause != "assessment_completed" || r.ResidualScore != 10 || r.Likelihood != 1 ||
			!strings.Contains(strings.Join(r.History[0].Changes, "|"), "Control effectiveness changed from no completed assessment to 100.0%: -14") {
			t.Fatalf("after the assessment: %+v", r)
		}
	})
}
