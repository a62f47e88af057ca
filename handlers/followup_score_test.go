package handlers

import (
	"strconv"
	"strings"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

// A follow-up answered again and resubmitted must leave the stored score
// (what the assessment list shows and what completing feeds into the
// vendor's risk) equal to the score the detail page computes. The
// submission used to score the answers while the follow-up mark still
// left the re-answered question out, and clear the mark afterwards.
func TestFollowUpResubmitRescores(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		tpl := testTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Follow-up Vendor","category":"saas"}`))
		a := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tpl.ID+`","contact_email":"sec@fu.test"}`))
		sent := decode[sendResponse](t, f.call(&risk, "POST", "/api/v1/assessments/"+a.ID+"/send", `{"version":1}`))
		portal := "/api/v1/portal/" + sent.PortalURL[strings.LastIndex(sent.PortalURL, "/")+1:]
		answer := func(key, value string) {
			t.Helper()
			if r := f.call(nil, "PUT", portal+"/answers/"+key, `{"value":`+value+`}`); r.Code != 200 {
				t.Fatalf("answer %s: %d %s", key, r.Code, r.Body)
			}
		}
		answer("IAM-01", `"yes"`)
		answer("IAM-02", `"all"`)
		if r := f.call(nil, "POST", portal+"/submit", ""); r.Code != 200 {
			t.Fatalf("submit: %d %s", r.Code, r.Body)
		}
		path := "/api/v1/assessments/" + a.ID
		f.call(&risk, "PUT", path+"/answers/IAM-02/review", `{"status":"follow_up","comment":"Really all users, contractors too?"}`)
		det := decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		if r := f.call(&risk, "POST", path+"/transition", `{"version":`+itoa64(det.Version)+`,"action":"follow_up"}`); r.Code != 200 {
			t.Fatalf("send follow-ups: %d %s", r.Code, r.Body)
		}
		answer("IAM-02", `"admins"`)
		if r := f.call(nil, "POST", portal+"/submit", ""); r.Code != 200 {
			t.Fatalf("resubmit: %d %s", r.Code, r.Body)
		}

		det = decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		// (100*5 + 50*3) / 8 = 81.3: the re-answered question counts again.
		if det.Result.Overall == nil || *det.Result.Overall != 81.3 {
			t.Fatalf("detail score after resubmit: %v", det.Result.Overall)
		}
		if det.Effectiveness == nil || *det.Effectiveness != *det.Result.Overall {
			t.Fatalf("stored score %s, detail page %v", fmtScore(det.Effectiveness), *det.Result.Overall)
		}
		list := decode[listResponse[assessmentSummary]](t, f.call(&risk, "GET", "/api/v1/assessments?vendor_id="+v.ID, ""))
		if len(list.Items) != 1 || list.Items[0].Effectiveness == nil || *list.Items[0].Effectiveness != 81.3 {
			t.Fatalf("assessment list after resubmit: %+v", list.Items)
		}
		var stored models.Assessment
		db.Gorm.Where("id = ?", a.ID).Take(&stored)
		if !strings.Contains(stored.Result, `"IAM-02":{"visible":true,"counted":true,"score":50`) {
			t.Fatalf("stored result still leaves the re-answered question out: %s", stored.Result)
		}
		// Completing feeds that score into the vendor's residual risk.
		if r := f.call(&risk, "POST", path+"/transition", `{"version":`+itoa64(stored.Version)+`,"action":"complete"}`); r.Code != 200 {
			t.Fatalf("complete: %d %s", r.Code, r.Body)
		}
		var h models.VendorRiskHistory
		db.Gorm.Where("vendor_id = ?", v.ID).Order("created_at DESC, id DESC").Limit(1).Take(&h)
		if !strings.Contains(h.Inputs, `"effectiveness":81.3`) {
			t.Fatalf("vendor risk inputs after completion: %s", h.Inputs)
		}
	})
}

func fmtScore(v *float64) string {
	if v == nil {
		return "none"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}
