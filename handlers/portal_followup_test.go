package handlers

import (
	"strings"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

// TestPortalFollowUpTakesCommentAndFile: a question sent back in words
// takes the vendor's comment and a file, not only a new choice; saving the
// choice alone keeps the comment; the reviewer sees both. Questions not
// sent back still take no file.
func TestPortalFollowUpTakesCommentAndFile(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		tpl := testTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Explaining Vendor","category":"saas"}`))
		a := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tpl.ID+`","contact_email":"sec@ex.test"}`))
		sent := decode[sendResponse](t, f.call(&risk, "POST", "/api/v1/assessments/"+a.ID+"/send", `{"version":1}`))
		portal := "/api/v1/portal/" + sent.PortalURL[strings.LastIndex(sent.PortalURL, "/")+1:]
		f.call(nil, "PUT", portal+"/answers/IAM-01", `{"value":"yes"}`)
		f.call(nil, "PUT", portal+"/answers/IAM-02", `{"value":"all"}`)
		pdf := "%PDF-1.4\n%%EOF\n"
		if r := f.portalUpload(portal, "IAM-02", "policy.pdf", pdf); r.Code != 422 || r.problem().Errors[0].Field != "question_key" {
			t.Fatalf("file on a choice question before any follow-up: %d %s", r.Code, r.Body)
		}
		if r := f.call(nil, "POST", portal+"/submit", ""); r.Code != 200 {
			t.Fatalf("submit: %d %s", r.Code, r.Body)
		}
		path := "/api/v1/assessments/" + a.ID
		f.call(&risk, "PUT", path+"/answers/IAM-02/review", `{"status":"follow_up","comment":"Show us the access policy."}`)
		det := decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		if r := f.call(&risk, "POST", path+"/transition", `{"version":`+itoa64(det.Version)+`,"action":"follow_up"}`); r.Code != 200 {
			t.Fatalf("send follow-ups: %d %s", r.Code, r.Body)
		}

		if r := f.call(nil, "PUT", portal+"/answers/IAM-02", `{"value":"admins","comment":"Contractors are <b>excluded</b>; policy attached."}`); r.Code != 200 {
			t.Fatalf("answer with a comment: %d %s", r.Code, r.Body)
		}
		if r := f.call(nil, "PUT", portal+"/answers/IAM-02", `{"value":"admins"}`); r.Code != 200 || !strings.Contains(r.Body.String(), "policy attached.") {
			t.Fatalf("a save without a comment erased it: %d %s", r.Code, r.Body)
		}
		if r := f.portalUpload(portal, "IAM-02", "policy.pdf", pdf); r.Code != 201 {
			t.Fatalf("file on the follow-up: %d %s", r.Code, r.Body)
		}
		if r := f.portalUpload(portal, "IAM-01", "x.pdf", pdf); r.Code < 400 {
			t.Fatalf("file on a question not sent back: %d %s", r.Code, r.Body)
		}
		if r := f.call(nil, "POST", portal+"/submit", ""); r.Code != 200 {
			t.Fatalf("resubmit: %d %s", r.Code, r.Body)
		}
		if r := f.portalUpload(portal, "IAM-02", "late.pdf", pdf); r.Code < 400 {
			t.Fatalf("file after the resubmission: %d %s", r.Code, r.Body)
		}

		got := decode[assessmentDetail](t, f.call(&risk, "GET", path, "")).Answers["IAM-02"]
		if got.Comment != "Contractors are <b>excluded</b>; policy attached." || len(got.Files) != 1 || got.Files[0].Filename != "policy.pdf" {
			t.Fatalf("the reviewer sees %+v", got)
		}
		if dl := f.call(&risk, "GET", path+"/files/"+got.Files[0].ID, ""); dl.Code != 200 || dl.Body.String() != pdf {
			t.Fatalf("reviewer downloads: %d", dl.Code)
		}
	})
}
