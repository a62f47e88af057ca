package handlers

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"rampart/app/findings"
	"rampart/models"
	"rampart/models/testdb"
)

// The new-finding form's needs: the due date each severity would get (for
// legal too, who cannot read the risk model's settings), an owner who may
// work on findings, a multi-line description; and a finding raised from an
// answer is titled by its problem, or as the reviewer edited it.
func TestFindingFormOwnerDueDateAndAnswerTitles(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		legal := f.as(models.RoleLegal)
		dues := decode[map[string]map[string]findings.Due](t, f.call(&legal, "GET", "/api/v1/findings/due-dates", ""))["severities"]
		if dues["high"].Days != 60 || dues["high"].Date != f.clock.now().AddDate(0, 0, 60).Format(time.DateOnly) || len(dues) != 4 {
			t.Fatalf("due dates %+v", dues)
		}

		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Form Vendor","category":"saas"}`))
		owner := f.users[models.RoleLegal].ID
		r := f.call(&risk, "POST", "/api/v1/findings", `{"vendor_id":"`+v.ID+`","title":"Backups untested","severity":"low",
			"description":"Line one.\nLine two.","owner_id":"`+owner+`","due_date":"2027-03-31"}`)
		if r.Code != 201 {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		fd := decode[findingResponse](t, r)
		if fd.OwnerID == nil || *fd.OwnerID != owner || fd.DueDate != "2027-03-31" || fd.Description != "Line one.\nLine two." {
			t.Fatalf("finding %+v", fd)
		}
		// Auditors and department heads cannot work on findings: not owners.
		for _, role := range []models.Role{models.RoleAuditor, models.RoleRequester} {
			body := `{"vendor_id":"` + v.ID + `","title":"x","severity":"low","owner_id":"` + f.users[role].ID + `"}`
			if r := f.call(&risk, "POST", "/api/v1/findings", body); r.Code != 422 || r.problem().Errors[0].Field != "owner_id" ||
				!strings.Contains(r.problem().Errors[0].Message, "cannot work on findings") {
				t.Errorf("%s as owner: %d %s", role, r.Code, r.Body)
			}
			body = `{"version":` + fmt.Sprint(fd.Version) + `,"owner_id":"` + f.users[role].ID + `"}`
			if r := f.call(&risk, "PATCH", "/api/v1/findings/"+fd.ID, body); r.Code != 422 || r.problem().Errors[0].Field != "owner_id" {
				t.Errorf("%s as owner by update: %d %s", role, r.Code, r.Body)
			}
		}

		// From answers: a title naming the problem, or the reviewer's.
		tpl := testTemplate(t, f.db)
		a := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tpl.ID+`","contact_email":"x@y.test"}`))
		s := decode[sendResponse](t, f.call(&risk, "POST", "/api/v1/assessments/"+a.ID+"/send", `{"version":1}`))
		portal := "/api/v1/portal/" + s.PortalURL[strings.LastIndex(s.PortalURL, "/")+1:]
		f.call(nil, "PUT", portal+"/answers/IAM-01", `{"value":"no"}`)
		f.call(nil, "PUT", portal+"/answers/IAM-03", `{"value":"Admins share one account"}`)
		f.call(nil, "POST", portal+"/submit", "")
		path := "/api/v1/assessments/" + a.ID + "/answers/"
		if r := f.call(&risk, "PUT", path+"IAM-01/review", `{"status":"finding","comment":"MFA missing"}`); r.Code != 200 {
			t.Fatalf("mark IAM-01: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "PUT", path+"IAM-03/review", `{"status":"finding","finding_title":"  Shared admin accounts  "}`); r.Code != 200 {
			t.Fatalf("mark IAM-03: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "PUT", path+"IAM-03/review", `{"status":"finding","finding_title":"`+strings.Repeat("x", 201)+`"}`); r.Code != 422 {
			t.Fatalf("long title: %d", r.Code)
		}
		titles := map[string]string{}
		for _, it := range decode[listResponse[findingResponse]](t, f.call(&risk, "GET", "/api/v1/findings?vendor_id="+v.ID+"&limit=50", "")).Items {
			titles[it.QuestionKey] = it.Title
		}
		if got := titles["IAM-01"]; got != "IAM-01: answered No — Is MFA enforced?" {
			t.Errorf("IAM-01 title %q", got)
		}
		if got := titles["IAM-03"]; got != "Shared admin accounts" {
			t.Errorf("IAM-03 title %q", got)
		}
	})
}

func TestAnswerTitle(t *testing.T) {
	for _, c := range []struct{ key, answer, question, want string }{
		{"IAM-01", "No", "Is multi-factor\n authentication enforced?", "IAM-01: answered No — Is multi-factor authentication enforced?"},
		{"BC-2", "", "Do you test backups?", "BC-2: not answered — Do you test backups?"},
		{"X", "Yes", "", "X: answered Yes"},
		{"Q", "No", strings.Repeat("word ", 40), "Q: answered No — " + strings.TrimSpace(strings.Repeat("word ", 15)) + "…"},
	} {
		if got := findings.AnswerTitle(c.key, c.answer, c.question); got != c.want {
			t.Errorf("AnswerTitle(%q, %q, %q) = %q, want %q", c.key, c.answer, c.question, got, c.want)
		}
	}
}
