package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"rampart/app/assessments"
	"rampart/app/questionnaire"
	"rampart/models"
	"rampart/models/testdb"
)

func fp(v float64) *float64 { return &v }

// testTemplate is a small published questionnaire covering each kind of
// question the flow treats differently.
func testTemplate(t *testing.T, db *models.DB) *models.QuestionnaireTemplate {
	t.Helper()
	yn := []questionnaire.Choice{{Value: "yes", Label: "Yes", Score: fp(100)}, {Value: "no", Label: "No", Score: fp(0)}, {Value: "na", Label: "N/A"}}
	c := questionnaire.Content{Sections: []questionnaire.Section{
		{Key: "iam", Title: "Access control", Questions: []questionnaire.Question{
			{Key: "IAM-01", Text: "Is MFA enforced?", Type: questionnaire.YesNoNA, Required: true, Weight: 5, Choices: yn, Expected: []string{"yes"}},
			{Key: "IAM-02", Text: "For whom?", Type: questionnaire.SingleChoice, Required: true, Weight: 3,
				Choices: []questionnaire.Choice{{Value: "all", Label: "All users", Score: fp(100)}, {Value: "admins", Label: "Admins", Score: fp(50)}},
				ShowIf:  &questionnaire.ShowIf{Question: "IAM-01", Equals: []string{"yes"}}},
			{Key: "IAM-03", Text: "Anything to add?", Type: questionnaire.LongText, Weight: 1},
		}},
		{Key: "ev", Title: "Evidence", Questions: []questionnaire.Question{
			{Key: "EV-01", Text: "Attach your SOC 2 report", Type: questionnaire.File, Weight: 4},
		}},
	}}
	b, _ := json.Marshal(c)
	now := time.Now().UTC()
	tpl := &models.QuestionnaireTemplate{Key: "test", Name: "Test questionnaire", Revision: 1, Status: "published", Content: string(b), QuestionCount: 4, PublishedAt: &now}
	if _, err := models.UpsertBuiltinTemplate(context.Background(), db.Gorm, tpl); err != nil {
		t.Fatal(err)
	}
	return tpl
}

func TestAssessmentPortalAndReview(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		tpl := testTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		vendor := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Portal Vendor","category":"saas"}`))
		other := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Other Vendor","category":"saas"}`))

		r := f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+vendor.ID+`","template_id":"`+tpl.ID+`","due_date":"2027-01-31","reviewer_id":"`+f.users[models.RoleRiskManager].ID+`","contact_email":"Sec@Portal.test"}`)
		if r.Code != 201 {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		a := decode[assessmentDetail](t, r)
		if a.Status != "draft" || a.ContactEmail != "sec@portal.test" || len(a.Template.Sections) != 2 {
			t.Fatalf("created %+v", a.assessmentSummary)
		}
		for body, field := range map[string]string{
			`{"vendor_id":"nope","template_id":"` + tpl.ID + `"}`:                                "vendor_id",
			`{"vendor_id":"` + vendor.ID + `","template_id":"nope"}`:                             "template_id",
			`{"vendor_id":"` + vendor.ID + `","template_id":"` + tpl.ID + `","due_date":"soon"}`: "due_date",
		} {
			if r := f.call(&risk, "POST", "/api/v1/assessments", body); r.Code != 422 || r.problem().Errors[0].Field != field {
				t.Errorf("%s: %d %s", body, r.Code, r.Body)
			}
		}
		legal := f.as(models.RoleLegal)
		if r := f.call(&legal, "POST", "/api/v1/assessments/"+a.ID+"/send", `{"version":1}`); r.Code != 403 {
			t.Fatalf("legal sends: %d", r.Code)
		}
		r = f.call(&risk, "POST", "/api/v1/assessments/"+a.ID+"/send", `{"version":1}`)
		if r.Code != 200 {
			t.Fatalf("send: %d %s", r.Code, r.Body)
		}
		sent := decode[sendResponse](t, r)
		token := sent.PortalURL[strings.LastIndex(sent.PortalURL, "/")+1:]
		if !strings.HasPrefix(token, "rpt_") || len(token) < 40 || sent.Assessment.Status != "sent" {
			t.Fatalf("send response %+v", sent)
		}
		var stored int64
		db.Gorm.Model(&models.PortalInvitation{}).Where("token_hash = ?", token).Count(&stored)
		if stored != 0 || strings.Contains(f.call(&risk, "GET", "/api/v1/assessments/"+a.ID, "").Body.String(), token) {
			t.Fatal("the raw portal token is stored or shown again")
		}

		// The portal shows the questionnaire, never scores or expected answers.
		portal := "/api/v1/portal/" + token
		r = f.call(nil, "GET", portal, "")
		body := r.Body.String()
		if r.Code != 200 || !strings.Contains(body, "Is MFA enforced?") || strings.Contains(body, `"score"`) || strings.Contains(body, `"expected"`) ||
			strings.Contains(body, "Other Vendor") || r.Header().Get("Referrer-Policy") != "no-referrer" {
			t.Fatalf("portal view: %d %v %s", r.Code, r.Header(), body)
		}
		// The vendor sees whom to turn to: the reviewer.
		if view := decode[portalResponse](t, r); view.Contact == nil || view.Contact.Email != f.users[models.RoleRiskManager].Email {
			t.Fatalf("portal contact = %+v", view.Contact)
		}
		for _, path := range []string{"/api/v1/vendors", "/api/v1/assessments/" + a.ID, "/api/v1/vendors/" + other.ID} {
			if r := f.call(nil, "GET", path, "", "Authorization", "Bearer "+token); r.Code != 401 {
				t.Errorf("portal token on %s: %d", path, r.Code)
			}
		}
		if r := f.call(nil, "GET", "/api/v1/portal/rpt_"+strings.Repeat("A", 43), ""); r.Code != 404 {
			t.Errorf("unknown token: %d", r.Code)
		}

		answer := func(key, value string) response {
			return f.call(nil, "PUT", portal+"/answers/"+key, `{"value":`+value+`}`)
		}
		if r := answer("IAM-01", `"maybe"`); r.Code != 422 {
			t.Fatalf("invalid choice: %d", r.Code)
		}
		if r := answer("NOPE-1", `"yes"`); r.Code != 404 {
			t.Fatalf("unknown question: %d", r.Code)
		}
		if r := answer("IAM-01", `"yes"`); r.Code != 200 || decode[portalResponse](t, r).Status != "in_progress" {
			t.Fatalf("answer: %d %s", r.Code, r.Body)
		}
		r = f.call(nil, "POST", portal+"/submit", "")
		if r.Code != 422 || r.problem().Errors[0].Field != "IAM-02" {
			t.Fatalf("submit with a required question open: %d %s", r.Code, r.Body)
		}
		answer("IAM-02", `"admins"`)
		answer("IAM-03", `"<img src=x onerror=alert(1)>"`)
		up := f.uploadNamed(&session{}, portal+"/files", "soc2.pdf", strings.NewReader("%PDF-1.4\n%%EOF\n"))
		if up.Code != 422 {
			t.Fatalf("upload without question_key: %d %s", up.Code, up.Body)
		}
		if r := f.portalUpload(portal, "EV-01", "soc2.pdf", "%PDF-1.4\n%%EOF\n"); r.Code != 201 {
			t.Fatalf("evidence upload: %d %s", r.Code, r.Body)
		}
		if r := f.portalUpload(portal, "EV-01", "x.pdf", "<html><script>1</script>"); r.Code != 422 {
			t.Fatalf("html as evidence: %d", r.Code)
		}
		// A file uploaded by mistake can be taken back before submitting.
		wrong := f.portalUpload(portal, "EV-01", "wrong-report.pdf", "%PDF-1.4\n%%EOF\n")
		if wrong.Code != 201 {
			t.Fatalf("second upload: %d %s", wrong.Code, wrong.Body)
		}
		wrongID := decode[portalFile](t, wrong).ID
		if r := f.call(nil, "DELETE", portal+"/files/nope", ""); r.Code != 404 {
			t.Fatalf("removing an unknown file: %d", r.Code)
		}
		r = f.call(nil, "DELETE", portal+"/files/"+wrongID, "")
		if r.Code != 200 {
			t.Fatalf("remove: %d %s", r.Code, r.Body)
		}
		if files := decode[portalResponse](t, r).Sections[1].Questions[0].Files; len(files) != 1 || files[0].Filename != "soc2.pdf" || !files[0].Removable {
			t.Fatalf("after removing, the question has %+v", files)
		}
		if r := f.call(nil, "GET", portal+"/files/"+wrongID, ""); r.Code != 404 {
			t.Fatalf("a removed file still downloads: %d", r.Code)
		}
		r = f.call(nil, "POST", portal+"/submit", "")
		if r.Code != 200 || !decode[portalResponse](t, r).Submitted {
			t.Fatalf("submit: %d %s", r.Code, r.Body)
		}
		if r := answer("IAM-01", `"no"`); r.Code != 403 {
			t.Fatalf("change after submit: %d", r.Code)
		}
		kept := decode[portalResponse](t, f.call(nil, "GET", portal, "")).Sections[1].Questions[0].Files
		if len(kept) != 1 || kept[0].Removable {
			t.Fatalf("after submit the file is offered for removal: %+v", kept)
		}
		if r := f.call(nil, "DELETE", portal+"/files/"+kept[0].ID, ""); r.Code != 403 {
			t.Fatalf("removing a file after submit: %d", r.Code)
		}

		// Review: a finding scores 0, a follow-up reopens only that question.
		path := "/api/v1/assessments/" + a.ID
		det := decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		// (100*5 + 50*3 + 0*4) / 12 = 54.2: the file scores nothing until a reviewer accepts it
		if det.Status != "submitted" || det.Effectiveness == nil || *det.Effectiveness != 54.2 || det.Answers["IAM-02"].Score == nil || len(det.Answers["EV-01"].Files) != 1 {
			t.Fatalf("submitted detail %+v %+v", det.assessmentSummary, det.Answers)
		}
		if r := f.call(&risk, "PUT", path+"/answers/IAM-02/review", `{"status":"follow_up"}`); r.Code != 422 {
			t.Fatalf("follow-up without a comment: %d", r.Code)
		}
		f.call(&risk, "PUT", path+"/answers/IAM-01/review", `{"status":"accepted"}`)
		r = f.call(&risk, "PUT", path+"/answers/IAM-02/review", `{"status":"follow_up","comment":"Why only administrators?"}`)
		det = decode[assessmentDetail](t, r)
		if det.Status != "in_review" || strings.Join(det.FollowUps, ",") != "IAM-02" {
			t.Fatalf("after review marks: %+v %v", det.assessmentSummary, det.FollowUps)
		}
		if r := f.call(&risk, "POST", path+"/transition", `{"version":`+itoa64(det.Version)+`,"action":"complete"}`); r.Code != 422 {
			t.Fatalf("complete with open follow-ups: %d", r.Code)
		}
		r = f.call(&risk, "POST", path+"/transition", `{"version":`+itoa64(det.Version)+`,"action":"follow_up"}`)
		if r.Code != 200 {
			t.Fatalf("send follow-ups: %d %s", r.Code, r.Body)
		}
		pv := decode[portalResponse](t, f.call(nil, "GET", portal, ""))
		var editable []string
		for _, s := range pv.Sections {
			for _, q := range s.Questions {
				if q.Editable {
					editable = append(editable, q.Key)
				}
				if q.Key == "IAM-02" && q.FollowUp != "Why only administrators?" {
					t.Errorf("follow-up comment not shown: %+v", q)
				}
			}
		}
		if strings.Join(editable, ",") != "IAM-02" {
			t.Fatalf("editable after follow-up: %v", editable)
		}
		if r := answer("IAM-01", `"no"`); r.Code != 403 {
			t.Fatalf("changing a question that was not sent back: %d", r.Code)
		}
		if r := answer("IAM-02", `"all"`); r.Code != 200 {
			t.Fatalf("answering the follow-up: %d", r.Code)
		}
		if r := f.call(nil, "POST", portal+"/submit", ""); r.Code != 200 {
			t.Fatalf("resubmit: %d", r.Code)
		}
		f.call(&risk, "PUT", path+"/answers/EV-01/review", `{"status":"finding","comment":"Report is out of date"}`)
		det = decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		r = f.call(&risk, "POST", path+"/transition", `{"version":`+itoa64(det.Version)+`,"action":"complete"}`)
		det = decode[assessmentDetail](t, r)
		// (100*5 + 100*3 + 0*4) / 12 = 66.7; sections: access 100, evidence 0
		if r.Code != 200 || det.Status != "completed" || *det.Effectiveness != 66.7 || *det.Result.Sections[0].Score != 100 || *det.Result.Sections[1].Score != 0 {
			t.Fatalf("completed: %d %+v %+v", r.Code, det.assessmentSummary, det.Result.Sections)
		}

		// The link dies with revocation; a new send replaces it.
		if r := f.call(&risk, "POST", path+"/revoke-link", ""); r.Code != 204 {
			t.Fatalf("revoke: %d", r.Code)
		}
		if r := f.call(nil, "GET", portal, ""); r.Code != 404 {
			t.Fatalf("revoked link: %d", r.Code)
		}
		var events int64
		db.Gorm.Model(&models.AuditEvent{}).Where("object_type = ? AND object_id = ? AND actor_type = ?", "assessment", a.ID, models.ActorPortal).Count(&events)
		if events < 5 {
			t.Fatalf("portal actions in the audit trail: %d", events)
		}
	})
}

func TestPortalLinkExpiryAndIsolation(t *testing.T) {
	f := newFixture(t, testdb.Open(t, models.SQLite))
	tpl := testTemplate(t, f.db)
	risk := f.as(models.RoleRiskManager)
	mk := func(name string) (string, string) {
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"`+name+`","category":"saas"}`))
		a := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tpl.ID+`","contact_email":"x@y.test"}`))
		s := decode[sendResponse](t, f.call(&risk, "POST", "/api/v1/assessments/"+a.ID+"/send", `{"version":1,"expires_in_days":1}`))
		return a.ID, s.PortalURL[strings.LastIndex(s.PortalURL, "/")+1:]
	}
	_, tokA := mk("Vendor A")
	idB, tokB := mk("Vendor B")
	// A's link never reaches B's data.
	if r := f.call(nil, "GET", "/api/v1/portal/"+tokA, ""); !strings.Contains(r.Body.String(), "Vendor A") || strings.Contains(r.Body.String(), "Vendor B") {
		t.Fatalf("portal A: %s", r.Body)
	}
	fileB := f.portalUpload("/api/v1/portal/"+tokB, "EV-01", "b.pdf", "%PDF-1.4\n%%EOF\n")
	fid := decode[portalFile](t, fileB).ID
	if r := f.call(nil, "GET", "/api/v1/portal/"+tokA+"/files/"+fid, ""); r.Code != 404 {
		t.Fatalf("A's link downloads B's file: %d", r.Code)
	}
	if r := f.call(nil, "GET", "/api/v1/portal/"+tokB+"/files/"+fid, ""); r.Code != 200 {
		t.Fatalf("B's own file: %d", r.Code)
	}
	// Sending again replaces the link.
	cur := decode[assessmentDetail](t, f.call(&risk, "GET", "/api/v1/assessments/"+idB, ""))
	if r := f.call(&risk, "POST", "/api/v1/assessments/"+idB+"/send", `{"version":1}`); r.Code != 409 {
		t.Fatalf("send from a stale version: %d", r.Code)
	}
	s2 := decode[sendResponse](t, f.call(&risk, "POST", "/api/v1/assessments/"+idB+"/send", `{"version":`+itoa64(cur.Version)+`}`))
	if r := f.call(nil, "GET", "/api/v1/portal/"+tokB, ""); r.Code != 404 {
		t.Fatalf("replaced link still works: %d", r.Code)
	}
	if !strings.Contains(s2.PortalURL, "/portal/rpt_") {
		t.Fatalf("new link %q", s2.PortalURL)
	}
	// Links expire.
	f.clock.add(25 * time.Hour)
	if r := f.call(nil, "GET", "/api/v1/portal/"+tokA, ""); r.Code != 404 {
		t.Fatalf("expired link: %d", r.Code)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// portalUpload posts a file to a file question through the portal.
func (f *fixture) portalUpload(portal, key, name, content string) response {
	f.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("question_key", key)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	req := httptest.NewRequest("POST", portal+"/files", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	f.serve(rec, req)
	return response{rec, f.t}
}

func TestAssessmentSpreadsheetExchange(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		tpl := testTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Sheet Vendor","category":"saas"}`))
		a := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tpl.ID+`"}`))
		path := "/api/v1/assessments/" + a.ID
		// Export the empty questionnaire; the vendor fills in the answer column.
		r := f.call(&risk, "GET", path+"/export.xlsx", "")
		x, err := excelize.OpenReader(bytes.NewReader(r.Body.Bytes()))
		if err != nil {
			t.Fatalf("export: %d %v", r.Code, err)
		}
		rows, _ := x.GetRows("Assessment")
		if len(rows) != 5 || rows[0][4] != "answer" {
			t.Fatalf("exported rows %v", rows)
		}
		x.SetCellValue("Assessment", "E2", "Yes")
		x.SetCellValue("Assessment", "E3", "All users")
		x.SetCellValue("Assessment", "E4", "SSO everywhere")
		x.SetCellValue("Assessment", "F4", "Okta")
		x.SetSheetRow("Assessment", "A7", &[]any{"Extra", "ZZ-99", "A question we never asked", "", "Yes"})
		var buf bytes.Buffer
		x.Write(&buf)

		r = f.upload(&risk, path+"/import", "filled.xlsx", buf.Bytes())
		res := decode[assessments.AnswerImport](t, r)
		if r.Code != 200 || !res.DryRun || res.Matched != 3 || res.Changed != 3 || len(res.Unmatched) != 1 || res.Unmatched[0].Key != "ZZ-99" || res.Unmatched[0].Row != 7 {
			t.Fatalf("dry run: %d %+v", r.Code, res)
		}
		if got := decode[assessmentDetail](t, f.call(&risk, "GET", path, "")); got.Progress.Answered != 0 {
			t.Fatal("a dry run saved answers")
		}
		res = decode[assessments.AnswerImport](t, f.upload(&risk, path+"/import?dry_run=false", "filled.xlsx", buf.Bytes()))
		got := decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		if !res.Committed || got.Progress.Answered != 3 || string(got.Answers["IAM-02"].Value) != `"all"` || got.Answers["IAM-03"].Comment != "Okta" {
			t.Fatalf("import: %+v %+v", res, got.Answers)
		}
		// A bad answer blocks the whole import unless only the valid rows are asked for.
		x.SetCellValue("Assessment", "E2", "Sometimes")
		buf.Reset()
		x.Write(&buf)
		r = f.upload(&risk, path+"/import?dry_run=false", "filled.xlsx", buf.Bytes())
		if p := r.problem(); r.Code != 422 || len(p.Errors) != 2 || !strings.Contains(p.Errors[1].Message, "Assessment!E2 (question IAM-01)") {
			t.Fatalf("invalid answer: %d %s", r.Code, r.Body)
		}
		res = decode[assessments.AnswerImport](t, f.upload(&risk, path+"/import", "filled.xlsx", buf.Bytes()))
		if res.Committed || len(res.Invalid) != 1 || res.Invalid[0].Key != "IAM-01" || res.Invalid[0].Cell != "Assessment!E2" || !strings.Contains(res.Invalid[0].Message, "Sometimes") {
			t.Fatalf("invalid answer: %+v", res)
		}
		if r := f.upload(&risk, path+"/import", "x.csv", []byte("a,b\n1,2\n")); r.Code != 422 {
			t.Fatalf("file without key/answer columns: %d", r.Code)
		}
	})
}

func TestReassessmentPrefillsAndShowsChanges(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		tpl := testTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Repeat Vendor","category":"saas"}`))
		run := func(previous string) (string, string) {
			body := `{"vendor_id":"` + v.ID + `","template_id":"` + tpl.ID + `","contact_email":"c@v.test"`
			if previous != "" {
				body += `,"previous_id":"` + previous + `"`
			}
			r := f.call(&risk, "POST", "/api/v1/assessments", body+`}`)
			if r.Code != 201 {
				t.Fatalf("create: %d %s", r.Code, r.Body)
			}
			a := decode[assessmentDetail](t, r)
			s := decode[sendResponse](t, f.call(&risk, "POST", "/api/v1/assessments/"+a.ID+"/send", `{"version":1}`))
			return a.ID, "/api/v1/portal/" + s.PortalURL[strings.LastIndex(s.PortalURL, "/")+1:]
		}
		first, portal := run("")
		f.call(nil, "PUT", portal+"/answers/IAM-01", `{"value":"yes"}`)
		f.call(nil, "PUT", portal+"/answers/IAM-02", `{"value":"admins"}`)
		f.portalUpload(portal, "EV-01", "soc2.pdf", "%PDF-1.4\n%%EOF\n")
		if r := f.call(nil, "POST", portal+"/submit", ""); r.Code != 200 {
			t.Fatalf("first submit: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tpl.ID+`","previous_id":"`+tpl.ID+`"}`); r.Code != 422 {
			t.Fatalf("previous_id of another kind: %d", r.Code)
		}

		second, portal2 := run(first)
		pv := decode[portalResponse](t, f.call(nil, "GET", portal2, ""))
		prefilled := 0
		for _, s := range pv.Sections {
			for _, q := range s.Questions {
				if q.Prefilled {
					prefilled++
				}
				if q.Key == "EV-01" && len(q.Files) != 1 {
					t.Errorf("evidence not carried over: %+v", q.Files)
				}
			}
		}
		if prefilled != 2 || pv.Progress.Answered != 3 {
			t.Fatalf("prefilled %d, progress %+v", prefilled, pv.Progress)
		}
		r := f.call(nil, "POST", portal2+"/submit", "")
		if r.Code != 422 || len(r.problem().Errors) != 2 || !strings.Contains(r.problem().Errors[0].Message, "confirm or change") {
			t.Fatalf("submit with unconfirmed answers: %d %s", r.Code, r.Body)
		}
		f.call(nil, "PUT", portal2+"/answers/IAM-01", `{"value":"yes"}`)
		f.call(nil, "PUT", portal2+"/answers/IAM-02", `{"value":"all"}`)
		if r := f.call(nil, "POST", portal2+"/submit", ""); r.Code != 200 {
			t.Fatalf("submit after confirming: %d %s", r.Code, r.Body)
		}
		d := decode[assessmentDetail](t, f.call(&risk, "GET", "/api/v1/assessments/"+second, ""))
		if d.PreviousID == nil || *d.PreviousID != first || d.Answers["IAM-01"].Changed || !d.Answers["IAM-02"].Changed || string(d.Answers["IAM-02"].Previous) != `"admins"` {
			t.Fatalf("reviewer's view of changes: %+v", d.Answers)
		}
	})
}

// Sending to another contact replaces the assessment's contact, name and
// all; sending again without one keeps it.
func TestSendToAnotherContactReplacesTheContact(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		tpl := testTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		vendor := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Contact Vendor","category":"saas"}`))
		a := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments",
			`{"vendor_id":"`+vendor.ID+`","template_id":"`+tpl.ID+`","contact_email":"old@vendor.test","contact_name":"Olga Old"}`))
		s := decode[sendResponse](t, f.call(&risk, "POST", "/api/v1/assessments/"+a.ID+"/send",
			`{"version":1,"contact_email":"Dana@Vendor.test","contact_name":"Dana Reyes"}`))
		if s.Assessment.ContactEmail != "dana@vendor.test" || s.Assessment.ContactName != "Dana Reyes" {
			t.Fatalf("after sending to Dana the contact is %q <%s>", s.Assessment.ContactName, s.Assessment.ContactEmail)
		}
		s = decode[sendResponse](t, f.call(&risk, "POST", "/api/v1/assessments/"+a.ID+"/send", `{"version":`+itoa64(s.Assessment.Version)+`}`))
		if s.Assessment.ContactEmail != "dana@vendor.test" || s.Assessment.ContactName != "Dana Reyes" {
			t.Fatalf("sending again changed the contact to %q <%s>", s.Assessment.ContactName, s.Assessment.ContactEmail)
		}
		if r := f.call(&risk, "POST", "/api/v1/assessments/"+a.ID+"/send",
			`{"version":`+itoa64(s.Assessment.Version)+`,"contact_email":"x@vendor.test","contact_name":"`+strings.Repeat("n", 201)+`"}`); r.Code != 422 || r.problem().Errors[0].Field != "contact_name" {
			t.Fatalf("a 201-character name: %d %s", r.Code, r.Body)
		}
	})
}
