package handlers

import (
	"encoding/json"
	"strings"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

// The review screen's server side: a pending follow-up counts as not yet
// effective (asking one never raises the score), the answer as it stood
// when the follow-up was asked is shown beside the vendor's new one, and
// the answers left over are accepted in one call.
func TestFollowUpScoreBeforeAnswerAndBulkAccept(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		tpl := testTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Bulk Vendor","category":"saas"}`))
		a := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tpl.ID+`","contact_email":"sec@bulk.test"}`))
		path := "/api/v1/assessments/" + a.ID
		if r := f.call(&risk, "POST", path+"/answers/accept", `{"keys":["IAM-01"]}`); r.Code != 422 || !strings.Contains(r.Body.String(), "once the vendor has submitted") {
			t.Fatalf("bulk accept before submission: %d %s", r.Code, r.Body)
		}
		sent := decode[sendResponse](t, f.call(&risk, "POST", path+"/send", `{"version":1}`))
		portal := "/api/v1/portal/" + sent.PortalURL[strings.LastIndex(sent.PortalURL, "/")+1:]
		answer := func(key, value string) {
			t.Helper()
			if r := f.call(nil, "PUT", portal+"/answers/"+key, `{"value":`+value+`}`); r.Code != 200 {
				t.Fatalf("answer %s: %d %s", key, r.Code, r.Body)
			}
		}
		answer("IAM-01", `"yes"`)
		answer("IAM-02", `"admins"`)
		answer("IAM-03", `"We rotate keys yearly."`)
		if r := f.call(nil, "POST", portal+"/submit", ""); r.Code != 200 {
			t.Fatalf("submit: %d %s", r.Code, r.Body)
		}
		det := decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		before := *det.Result.Overall

		// A follow-up on the weak answer counts it as 0 until answered again.
		det = decode[assessmentDetail](t, f.call(&risk, "PUT", path+"/answers/IAM-02/review", `{"status":"follow_up","comment":"Why only admins?"}`))
		if det.Result.Overall == nil || *det.Result.Overall >= before || det.Effectiveness == nil || *det.Effectiveness != *det.Result.Overall {
			t.Fatalf("score with a pending follow-up: %v (stored %s), before %v", det.Result.Overall, fmtScore(det.Effectiveness), before)
		}
		if q := det.Result.Questions["IAM-02"]; !q.Counted || q.Score == nil || *q.Score != 0 {
			t.Fatalf("follow-up question result %+v", q)
		}
		if r := f.call(&risk, "POST", path+"/transition", `{"version":`+itoa64(det.Version)+`,"action":"follow_up"}`); r.Code != 200 {
			t.Fatalf("send follow-ups: %d %s", r.Code, r.Body)
		}
		answer("IAM-02", `"all"`)
		if r := f.call(nil, "POST", portal+"/submit", ""); r.Code != 200 {
			t.Fatalf("resubmit: %d %s", r.Code, r.Body)
		}
		det = decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		if got := det.Answers["IAM-02"]; string(got.BeforeFollowUp) != `"admins"` || string(got.Value) != `"all"` {
			t.Fatalf("IAM-02 after the follow-up: value %s, before %s", got.Value, got.BeforeFollowUp)
		}
		if got := det.Answers["IAM-01"]; string(got.BeforeFollowUp) != "null" {
			t.Fatalf("IAM-01 was never followed up, before_follow_up %s", got.BeforeFollowUp)
		}

		// Bulk accept: unknown keys are named; a finding stays a finding;
		// an unanswered file question is skipped.
		f.call(&risk, "PUT", path+"/answers/IAM-03/review", `{"status":"finding","comment":"Yearly is too slow"}`)
		r := f.call(&risk, "POST", path+"/answers/accept", `{"keys":["IAM-01","A&A-99"]}`)
		if r.Code != 422 || !strings.Contains(r.Body.String(), `"keys[1]"`) {
			t.Fatalf("unknown key: %d %s", r.Code, r.Body)
		}
		for _, body := range []string{`{"keys":[]}`, `{}`, `{"keys":["IAM-01"],"extra":1}`} {
			if r := f.call(&risk, "POST", path+"/answers/accept", body); r.Code != 422 && r.Code != 400 {
				t.Errorf("%s: %d %s", body, r.Code, r.Body)
			}
		}
		res := decode[acceptAnswersResponse](t, f.call(&risk, "POST", path+"/answers/accept", `{"keys":["IAM-01","IAM-02","IAM-03","EV-01","IAM-01"]}`))
		if res.Accepted != 2 || res.Answers["IAM-01"].ReviewStatus != "accepted" || res.Answers["IAM-02"].ReviewStatus != "accepted" ||
			res.Answers["IAM-03"].ReviewStatus != "finding" || res.Answers["EV-01"].ReviewStatus != "" || res.Status != "in_review" {
			b, _ := json.Marshal(res.Answers)
			t.Fatalf("accepted %d, status %s, answers %s", res.Accepted, res.Status, b)
		}
		if r := f.call(&risk, "POST", path+"/answers/accept", `{"keys":["IAM-01","IAM-02"]}`); r.Code != 422 || !strings.Contains(r.Body.String(), "already marked") {
			t.Fatalf("accepting again: %d %s", r.Code, r.Body)
		}
		var events []models.AuditEvent
		db.Gorm.Where("action = ? AND object_id = ?", "assessment.review_bulk", a.ID).Find(&events)
		if len(events) != 1 || events[0].Detail != "accepted 2 answers" {
			t.Fatalf("audit %+v", events)
		}
		auditor := f.as(models.RoleAuditor)
		if r := f.call(&auditor, "POST", path+"/answers/accept", `{"keys":["IAM-01"]}`); r.Code != 403 {
			t.Fatalf("auditor bulk accept: %d", r.Code)
		}
	})
}
