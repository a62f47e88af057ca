package handlers

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"rampart/app/notify"
	"rampart/models"
	"rampart/models/testdb"
)

// postMessage sends a message form: the text, then a file when name is
// not empty; s nil posts without a session (the portal).
func (f *fixture) postMessage(s *session, path, body, name, content string) response {
	f.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("body", body)
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write([]byte(content))
	}
	mw.Close()
	req := httptest.NewRequest("POST", path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if s != nil {
		req.AddCookie(&http.Cookie{Name: SessionCookie, Value: s.cookie})
		req.Header.Set("X-CSRF-Token", s.csrf)
	}
	rec := httptest.NewRecorder()
	f.serve(rec, req)
	return response{rec, f.t}
}

// threadAssessment creates an assessment of a new vendor and sends it; it
// returns the assessment's API path and its portal path.
func (f *fixture) threadAssessment(risk *session, tplID, vendor, contact string) (string, string) {
	f.t.Helper()
	v := decode[vendorResponse](f.t, f.call(risk, "POST", "/api/v1/vendors", `{"name":"`+vendor+`","category":"saas"}`))
	a := decode[assessmentDetail](f.t, f.call(risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tplID+`","contact_email":"`+contact+`","contact_name":"Vera Vendor"}`))
	sent := decode[sendResponse](f.t, f.call(risk, "POST", "/api/v1/assessments/"+a.ID+"/send", `{"version":1}`))
	return "/api/v1/assessments/" + a.ID, "/api/v1/portal/" + sent.PortalURL[strings.LastIndex(sent.PortalURL, "/")+1:]
}

// TestAnswerThreadBothWays: a reviewer asks about an answer in words, the
// vendor replies through the portal in words and with a file; both see the
// thread, the vendor's message notifies the reviewer and the reviewer's
// mails the contact; bodies come back exactly as written; every post is
// audited; the review counts the thread and its unread messages.
func TestAnswerThreadBothWays(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db, func(d *Deps) {
			d.Notify = &notify.Notifier{Mode: notify.MailOn, BaseURL: d.BaseURL, OrgName: "Corp"}
		})
		tpl := testTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		path, portal := f.threadAssessment(&risk, tpl.ID, "Talking Vendor", "sec@talk.test")
		f.call(nil, "PUT", portal+"/answers/IAM-01", `{"value":"yes"}`)

		// The reviewer asks in words.
		r := f.postMessage(&risk, path+"/answers/IAM-02/messages", "  Which users are excluded from MFA?  ", "", "")
		if r.Code != 201 {
			t.Fatalf("staff message: %d %s", r.Code, r.Body)
		}
		asked := decode[messageView](t, r)
		if asked.Body != "Which users are excluded from MFA?" || asked.AuthorKind != "staff" || asked.AuthorID == nil || asked.AuthorName != "The risk_manager" {
			t.Fatalf("staff message %+v", asked)
		}
		mails := f.outbox("sec@talk.test")
		if len(mails["vendor.message"]) != 1 || !strings.Contains(mails["vendor.message"][0].TextBody, "Which users are excluded from MFA?") ||
			strings.Contains(mails["vendor.message"][0].TextBody, "/portal/") || mails["vendor.message"][0].ThreadID != mails["vendor.invitation"][0].MessageID {
			t.Fatalf("the contact's mail: %+v", mails)
		}

		// The vendor sees it under the question and replies with a file.
		view := decode[portalResponse](t, f.call(nil, "GET", portal, ""))
		var q *portalQuestion
		for i := range view.Sections[0].Questions {
			if view.Sections[0].Questions[i].Key == "IAM-02" {
				q = &view.Sections[0].Questions[i]
			}
		}
		if q == nil || len(q.Messages) != 1 || q.Messages[0].AuthorKind != "staff" || q.Messages[0].Body != asked.Body {
			t.Fatalf("portal thread: %+v", q)
		}
		hostile := `<script>alert("x")</script> <img src=x onerror=alert(1)> & contractors`
		pdf := "%PDF-1.4\n%%EOF\n"
		r = f.postMessage(nil, portal+"/answers/IAM-02/messages", hostile, "policy.pdf", pdf)
		if r.Code != 201 {
			t.Fatalf("vendor reply: %d %s", r.Code, r.Body)
		}
		reply := decode[portalMessage](t, r)
		if reply.Body != hostile || reply.AuthorKind != "vendor" || reply.AuthorName != "Vera Vendor" || len(reply.Files) != 1 {
			t.Fatalf("vendor reply %+v", reply)
		}
		if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || strings.Contains(r.Body.String(), "<script>") {
			t.Fatalf("the reply is not escaped JSON: %s %s", ct, r.Body)
		}
		if dl := f.call(nil, "GET", portal+"/message-files/"+reply.Files[0].ID, ""); dl.Code != 200 || dl.Body.String() != pdf ||
			!strings.HasPrefix(dl.Header().Get("Content-Disposition"), "attachment") {
			t.Fatalf("vendor downloads its file: %d %v", dl.Code, dl.Header())
		}

		// The reviewer hears of it and sees both messages.
		var notes []models.Notification
		db.Gorm.Where("user_id = ? AND kind = ?", f.users[models.RoleRiskManager].ID, "assessment.message").Find(&notes)
		if len(notes) != 1 || !strings.Contains(notes[0].Body, "contractors") || notes[0].Link != path[len("/api/v1"):] {
			t.Fatalf("reviewer notices %+v", notes)
		}
		thread := decode[map[string][]messageView](t, f.call(&risk, "GET", path+"/answers/IAM-02/messages", ""))["items"]
		if len(thread) != 2 || thread[1].Body != hostile || thread[1].AuthorEmail != "sec@talk.test" || len(thread[1].Files) != 1 {
			t.Fatalf("staff thread %+v", thread)
		}
		if dl := f.call(&risk, "GET", thread[1].Files[0].URL, ""); dl.Code != 200 || dl.Body.String() != pdf ||
			!strings.Contains(dl.Header().Get("Content-Security-Policy"), "sandbox") {
			t.Fatalf("reviewer downloads: %d %v", dl.Code, dl.Header())
		}
		det := decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		if got := det.Answers["IAM-02"].Thread; got.Total != 2 || got.Unread != 1 {
			t.Fatalf("thread count %+v", got)
		}
		if r := f.call(&risk, "POST", path+"/answers/IAM-02/messages/read", ""); r.Code != 204 {
			t.Fatalf("mark read: %d %s", r.Code, r.Body)
		}
		det = decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		if got := det.Answers["IAM-02"].Thread; got.Total != 2 || got.Unread != 0 {
			t.Fatalf("thread count after reading %+v", got)
		}
		admin := f.as(models.RoleAdmin)
		if got := decode[assessmentDetail](t, f.call(&admin, "GET", path, "")).Answers["IAM-02"].Thread; got.Unread != 1 {
			t.Fatalf("read marks are per person: %+v", got)
		}

		// Every post is audited, the vendor's with the portal as actor.
		var audited []models.AuditEvent
		db.Gorm.Where("action IN ?", []string{"assessment.message", "assessment.vendor_message"}).Order("seq").Find(&audited)
		if len(audited) != 2 || audited[0].ActorType != models.ActorUser || audited[1].ActorType != models.ActorPortal ||
			audited[1].ActorLabel != "sec@talk.test" || !strings.Contains(*audited[1].AfterData, "policy.pdf") {
			t.Fatalf("audit %+v", audited)
		}
	})
}

// TestAnswerThreadRefusals: a portal link reaches only its own
// assessment's threads and files; empty, oversized, NUL-bearing bodies and
// files of a refused type are refused without leaving anything behind; the
// auditor reads but cannot write.
func TestAnswerThreadRefusals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		tpl := testTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		pathA, portalA := f.threadAssessment(&risk, tpl.ID, "Vendor A", "a@a.test")
		pathB, portalB := f.threadAssessment(&risk, tpl.ID, "Vendor B", "b@b.test")
		r := f.postMessage(nil, portalA+"/answers/EV-01/messages", "Report attached.", "soc2.pdf", "%PDF-1.4\n%%EOF\n")
		if r.Code != 201 {
			t.Fatalf("vendor A: %d %s", r.Code, r.Body)
		}
		fileA := decode[portalMessage](t, r).Files[0].ID

		// Link B sees nothing of A's thread and cannot fetch A's file.
		if got := decode[map[string][]portalMessage](t, f.call(nil, "GET", portalB+"/answers/EV-01/messages", ""))["items"]; len(got) != 0 {
			t.Fatalf("link B sees A's thread: %+v", got)
		}
		if r := f.call(nil, "GET", portalB+"/message-files/"+fileA, ""); r.Code != 404 {
			t.Fatalf("link B fetches A's file: %d", r.Code)
		}
		if r := f.call(&risk, "GET", pathB+"/message-files/"+fileA, ""); r.Code != 404 {
			t.Fatalf("A's file under B's path: %d", r.Code)
		}
		for _, p := range []string{portalA + "/answers/NOPE/messages", "/api/v1/portal/rpt_unknown/answers/EV-01/messages", pathA + "/answers/NOPE/messages"} {
			s := (*session)(nil)
			if strings.HasPrefix(p, "/api/v1/assessments") {
				s = &risk
			}
			if r := f.postMessage(s, p, "Hello", "", ""); r.Code != 404 {
				t.Fatalf("%s: %d %s", p, r.Code, r.Body)
			}
			if r := f.call(s, "GET", p, ""); r.Code != 404 {
				t.Fatalf("GET %s: %d %s", p, r.Code, r.Body)
			}
		}

		var before int64
		db.Gorm.Model(&models.AnswerMessage{}).Count(&before)
		for _, c := range []struct {
			name, body, file, content, field string
		}{
			{"empty", "   ", "", "", "body"},
			{"too long", strings.Repeat("é", 5001), "", "", "body"},
			{"far too long", strings.Repeat("x", 30000), "", "", "body"},
			{"NUL", "a\x00b", "", "", "body"},
			{"program", "see file", "tool.exe", "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "file"},
			{"empty file", "see file", "empty.pdf", "", "file"},
		} {
			for _, p := range []string{pathA, portalA} {
				s := (*session)(nil)
				if p == pathA {
					s = &risk
				}
				r := f.postMessage(s, p+"/answers/IAM-01/messages", c.body, c.file, c.content)
				if r.Code != 422 || len(r.problem().Errors) == 0 || r.problem().Errors[0].Field != c.field {
					t.Fatalf("%s on %s: %d %s", c.name, p, r.Code, r.Body)
				}
			}
		}
		if r := f.postMessage(&risk, pathA+"/answers/IAM-01/messages", strings.Repeat("é", 5000), "", ""); r.Code != 201 {
			t.Fatalf("5000 characters: %d %s", r.Code, r.Body)
		}
		var after, files int64
		db.Gorm.Model(&models.AnswerMessage{}).Count(&after)
		db.Gorm.Model(&models.AnswerMessageFile{}).Count(&files)
		if after != before+1 || files != 1 {
			t.Fatalf("refused messages left rows: %d -> %d messages, %d files", before, after, files)
		}
		// JSON is not how a message is sent.
		if r := f.call(&risk, "POST", pathA+"/answers/IAM-01/messages", `{"body":"hi"}`); r.Code != 415 {
			t.Fatalf("JSON message: %d %s", r.Code, r.Body)
		}

		auditor := f.as(models.RoleAuditor)
		if r := f.call(&auditor, "GET", pathA+"/answers/EV-01/messages", ""); r.Code != 200 {
			t.Fatalf("auditor reads: %d", r.Code)
		}
		if r := f.postMessage(&auditor, pathA+"/answers/EV-01/messages", "Hi", "", ""); r.Code != 403 {
			t.Fatalf("auditor writes: %d", r.Code)
		}
		requester := f.as(models.RoleRequester)
		if r := f.call(&requester, "GET", pathA+"/answers/EV-01/messages", ""); r.Code != 403 && r.Code != 404 {
			t.Fatalf("requester reads: %d", r.Code)
		}
	})
}
