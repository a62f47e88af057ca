package handlers

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

// postFile sends a form with one file field, as a signed-in user.
func (f *fixture) postFile(s *session, path, name, content string) response {
	f.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	req := httptest.NewRequest("POST", path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: SessionCookie, Value: s.cookie})
	req.Header.Set("X-CSRF-Token", s.csrf)
	rec := httptest.NewRecorder()
	f.serve(rec, req)
	return response{rec, f.t}
}

// TestCancelledAssessmentRefusesStaffWrites walks every staff route that
// changes an assessment (each write route under /api/v1/assessments/:id/
// in the route table: a new one must be added here) on a cancelled
// assessment: each is refused with a problem in words and nothing about
// the assessment changes, nor is anything audited or mailed.
func TestCancelledAssessmentRefusesStaffWrites(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		tpl := testTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Cancelled Vendor","category":"saas"}`))
		a := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tpl.ID+`","contact_email":"sec@cancel.test"}`))
		path := "/api/v1/assessments/" + a.ID
		sent := decode[sendResponse](t, f.call(&risk, "POST", path+"/send", `{"version":1}`))
		portal := "/api/v1/portal/" + sent.PortalURL[strings.LastIndex(sent.PortalURL, "/")+1:]
		f.call(nil, "PUT", portal+"/answers/IAM-01", `{"value":"yes"}`)
		f.call(nil, "PUT", portal+"/answers/IAM-02", `{"value":"all"}`)
		if r := f.portalUpload(portal, "EV-01", "soc2.pdf", "%PDF-1.4\n%%EOF\n"); r.Code != 201 {
			t.Fatalf("upload: %d", r.Code)
		}
		del := decode[delegationView](t, f.call(nil, "POST", portal+"/delegations", `{"name":"Jane","email":"jane@cancel.test","sections":["ev"]}`))
		if r := f.call(nil, "POST", portal+"/submit", ""); r.Code != 200 {
			t.Fatalf("submit: %d %s", r.Code, r.Body)
		}
		det := decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		if r := f.call(&risk, "POST", path+"/transition", `{"version":`+itoa64(det.Version)+`,"action":"cancel"}`); r.Code != 200 {
			t.Fatalf("cancel: %d %s", r.Code, r.Body)
		}
		det = decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		fileID := det.Answers["EV-01"].Files[0].ID
		version := itoa64(det.Version)

		type call struct{ body, file string }
		calls := map[string]call{
			"POST /api/v1/assessments/:id/send":                         {body: `{"version":` + version + `}`},
			"POST /api/v1/assessments/:id/revoke-link":                  {},
			"PUT /api/v1/assessments/:id/answers/:key/review":           {body: `{"status":"accepted"}`},
			"PUT /api/v1/assessments/:id/answers/:key/evidence":         {body: `{"document_id":""}`},
			"POST /api/v1/assessments/:id/files/:file_id/evidence":      {body: `{"kind":"soc2_type2"}`},
			"POST /api/v1/assessments/:id/answers/accept":               {body: `{"keys":["IAM-01"]}`},
			"POST /api/v1/assessments/:id/transition":                   {body: `{"version":` + version + `,"action":"complete"}`},
			"PUT /api/v1/assessments/:id/business-units":                {body: `{"version":` + version + `,"business_unit_ids":[]}`},
			"POST /api/v1/assessments/:id/import":                       {file: "ID,Answer\nIAM-01,no\n"},
			"POST /api/v1/assessments/:id/intake":                       {file: "IAM-01 Is MFA enforced? No.\n"},
			"POST /api/v1/assessments/:id/intake/reuse":                 {body: `{"from_assessment_id":"` + a.ID + `"}`},
			"POST /api/v1/assessments/:id/intake/confirm":               {body: `{"matches":[{"question_key":"IAM-01","value":"no"}]}`},
			"POST /api/v1/assessments/:id/answers/:key/messages":        {file: "A late question"},
			"DELETE /api/v1/assessments/:id/delegations/:delegation_id": {},
		}
		// Marking a thread read changes only the reader's own state.
		readOnly := map[string]bool{"POST /api/v1/assessments/:id/answers/:key/messages/read": true}

		var audits, mails, messages int64
		count := func() (int64, int64, int64) {
			var x, y, z int64
			db.Gorm.Model(&models.AuditEvent{}).Count(&x)
			db.Gorm.Model(&models.MailMessage{}).Count(&y)
			db.Gorm.Model(&models.AnswerMessage{}).Count(&z)
			return x, y, z
		}
		audits, mails, messages = count()
		before := f.call(&risk, "GET", path, "").Body.String()
		seen := 0
		for _, rt := range f.srv.routes() {
			if rt.method == http.MethodGet || !strings.HasPrefix(rt.path, "/api/v1/assessments/:id/") || readOnly[rt.method+" "+rt.path] {
				continue
			}
			key := rt.method + " " + rt.path
			c, ok := calls[key]
			if !ok {
				t.Errorf("%s changes an assessment: add it to this walk", key)
				continue
			}
			seen++
			url := strings.NewReplacer(":id", a.ID, ":key", "IAM-01", ":file_id", fileID, ":delegation_id", del.ID).Replace(rt.path)
			var r response
			if c.file != "" {
				name := "answers.csv"
				if strings.HasSuffix(rt.path, "/messages") {
					name = "note.txt"
				}
				r = f.postFile(&risk, url, name, c.file)
			} else {
				r = f.call(&risk, rt.method, url, c.body)
			}
			if r.Code != http.StatusForbidden {
				t.Errorf("%s on a cancelled assessment: %d %s", key, r.Code, r.Body)
				continue
			}
			if p := r.problem(); !strings.Contains(p.Detail, "cancelled") {
				t.Errorf("%s: the refusal does not say why: %+v", key, p)
			}
		}
		if seen != len(calls) {
			t.Errorf("walked %d routes, the table has %d", seen, len(calls))
		}
		if after := f.call(&risk, "GET", path, "").Body.String(); after != before {
			t.Errorf("the cancelled assessment changed:\nbefore %s\nafter  %s", before, after)
		}
		if x, y, z := count(); x != audits || y != mails || z != messages {
			t.Errorf("audit events %d→%d, mails %d→%d, messages %d→%d", audits, x, mails, y, messages, z)
		}
	})
}
