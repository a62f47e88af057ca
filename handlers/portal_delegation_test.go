package handlers

import (
	"regexp"
	"strings"
	"sync"
	"testing"

	"rampart/app/notify"
	"rampart/models"
	"rampart/models/testdb"
)

var mailedToken = regexp.MustCompile(`/portal/(rpt_[A-Za-z0-9_-]+)`)

// delegatedLink reads the portal path of the newest link mailed to addr.
func (f *fixture) delegatedLink(addr string) string {
	f.t.Helper()
	mails := f.outbox(addr)["vendor.invitation"]
	if len(mails) == 0 {
		f.t.Fatalf("no invitation mailed to %s", addr)
	}
	m := mailedToken.FindStringSubmatch(mails[len(mails)-1].TextBody)
	if m == nil {
		f.t.Fatalf("no link in the mail to %s:\n%s", addr, mails[len(mails)-1].TextBody)
	}
	return "/api/v1/portal/" + m[1]
}

func sectionKeys(p portalResponse) []string {
	var out []string
	for _, s := range p.Sections {
		out = append(out, s.Key)
	}
	return out
}

// TestPortalDelegation: the main contact shares sections with colleagues,
// each of whose links sees, answers, uploads to and writes on its own
// sections only (404 elsewhere), can neither share further nor submit;
// answers record who saved them, for the portal and the reviewer; the
// main contact changes (with a version) and revokes delegations, a
// reviewer sees and revokes them.
func TestPortalDelegation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db, func(d *Deps) {
			d.Notify = &notify.Notifier{Mode: notify.MailOn, BaseURL: d.BaseURL, OrgName: "Corp"}
		})
		tpl := testTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Sharing Vendor","category":"saas"}`))
		a := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tpl.ID+`","contact_email":"main@vendor.test","contact_name":"Max Main"}`))
		sent := decode[sendResponse](t, f.call(&risk, "POST", "/api/v1/assessments/"+a.ID+"/send", `{"version":1}`))
		main := "/api/v1/portal/" + sent.PortalURL[strings.LastIndex(sent.PortalURL, "/")+1:]

		p := decode[portalResponse](t, f.call(nil, "GET", main, ""))
		if !p.CanDelegate || !p.CanSubmit || p.Delegated != nil || len(p.AllSections) != 2 {
			t.Fatalf("main link: %+v", p)
		}
		for body, field := range map[string]string{
			`{"name":"Jane","email":"jane@vendor.test","sections":["ev","nope"]}`:              "sections[1]",
			`{"name":"Jane","email":"not-an-address","sections":["ev"]}`:                       "email",
			`{"name":"Jane","email":"jane@vendor.test","sections":[]}`:                         "sections",
			`{"name":"  ","email":"jane@vendor.test","sections":["ev"]}`:                       "name",
			`{"name":"` + strings.Repeat("n", 201) + `","email":"j@v.test","sections":["ev"]}`: "name",
			`{"name":"Me","email":"MAIN@vendor.test","sections":["ev"]}`:                       "email",
		} {
			r := f.call(nil, "POST", main+"/delegations", body)
			if r.Code != 422 || r.problem().Errors[0].Field != field {
				t.Errorf("%s: %d %s, want 422 on %s", body, r.Code, r.Body, field)
			}
		}
		if r := f.call(nil, "POST", main+"/delegations", `{"name":"J","email":"j@v.test","sections":["ev"],"admin":true}`); r.Code != 400 && r.Code != 422 {
			t.Errorf("unknown field: %d", r.Code)
		}
		if r := f.call(nil, "POST", main+"/delegations", "{\"name\":\"J\xff\xfe\",\"email\":\"j@v.test\",\"sections\":[\"ev\"]}"); r.Code != 400 {
			t.Errorf("invalid UTF-8: %d %s", r.Code, r.Body)
		}
		hostile := `Jane <script>alert(1)</script> Doe`
		r := f.call(nil, "POST", main+"/delegations", `{"name":"`+hostile+`","email":"Jane@Vendor.test","sections":["ev"],"message":"Could you attach the SOC 2 report?"}`)
		if r.Code != 201 {
			t.Fatalf("delegate: %d %s", r.Code, r.Body)
		}
		jane := decode[delegationView](t, r)
		if jane.Email != "jane@vendor.test" || jane.Name != hostile || len(jane.Sections) != 1 || jane.Version != 1 {
			t.Fatalf("delegation %+v", jane)
		}
		r = f.call(nil, "POST", main+"/delegations", `{"name":"Bob Builder","email":"bob@vendor.test","sections":["iam"]}`)
		if r.Code != 201 {
			t.Fatalf("delegate to Bob: %d %s", r.Code, r.Body)
		}
		bob := decode[delegationView](t, r)
		janeLink, bobLink := f.delegatedLink("jane@vendor.test"), f.delegatedLink("bob@vendor.test")
		f.peers = map[string]string{janeLink: "198.51.100.11:40000", bobLink: "198.51.100.12:40000"}
		if m := f.outbox("jane@vendor.test")["vendor.invitation"][0]; !strings.Contains(m.TextBody, "SOC 2 report") || !strings.Contains(m.TextBody, "Max Main") || m.ReplyTo == "" {
			t.Errorf("Jane's mail: reply-to %q\n%s", m.ReplyTo, m.TextBody)
		}

		jp := decode[portalResponse](t, f.call(nil, "GET", janeLink, ""))
		if got := sectionKeys(jp); len(got) != 1 || got[0] != "ev" || jp.Delegated == nil || jp.Delegated.ByName != "Max Main" || jp.CanDelegate || jp.CanSubmit {
			t.Fatalf("Jane's link sees %v, %+v", got, jp.Delegated)
		}
		if jp.Progress.Visible != 1 {
			t.Errorf("Jane's progress counts her section only: %+v", jp.Progress)
		}
		pdf := "%PDF-1.4\n%%EOF\n"
		if r := f.call(nil, "PUT", janeLink+"/answers/IAM-01", `{"value":"no"}`); r.Code != 404 {
			t.Errorf("Jane answers another section: %d", r.Code)
		}
		if r := f.portalUpload(janeLink, "EV-01", "soc2.pdf", pdf); r.Code != 201 {
			t.Fatalf("Jane uploads: %d %s", r.Code, r.Body)
		}
		if r := f.postMessage(nil, janeLink+"/answers/EV-01/messages", "Report attached.", "note.pdf", pdf); r.Code != 201 {
			t.Fatalf("Jane writes: %d %s", r.Code, r.Body)
		}
		if r := f.postMessage(nil, janeLink+"/answers/IAM-01/messages", "Hi", "", ""); r.Code != 404 {
			t.Errorf("Jane writes on another section: %d", r.Code)
		}
		if r := f.call(nil, "GET", janeLink+"/answers/IAM-01/messages", ""); r.Code != 404 {
			t.Errorf("Jane reads another section's thread: %d", r.Code)
		}
		if r := f.call(nil, "PUT", bobLink+"/answers/IAM-01", `{"value":"yes"}`); r.Code != 200 {
			t.Fatalf("Bob answers: %d %s", r.Code, r.Body)
		}
		bp := decode[portalResponse](t, f.call(nil, "GET", bobLink, ""))
		if got := sectionKeys(bp); len(got) != 1 || got[0] != "iam" {
			t.Fatalf("Bob's link sees %v", got)
		}
		if strings.Contains(f.call(nil, "GET", bobLink, "").Body.String(), "soc2.pdf") {
			t.Error("Bob's view names a file of Jane's section")
		}
		full := decode[portalResponse](t, f.call(nil, "GET", main, ""))
		var fileID, msgFileID string
		for _, s := range full.Sections {
			for _, q := range s.Questions {
				if q.Key == "EV-01" {
					fileID = q.Files[0].ID
					msgFileID = q.Messages[0].Files[0].ID
				}
				if q.Key == "IAM-01" && (q.AnsweredBy == nil || q.AnsweredBy.Email != "bob@vendor.test" || q.AnsweredBy.Name != "Bob Builder") {
					t.Errorf("main link: IAM-01 answered by %+v", q.AnsweredBy)
				}
			}
		}
		for _, path := range []string{bobLink + "/files/" + fileID, bobLink + "/message-files/" + msgFileID} {
			if r := f.call(nil, "GET", path, ""); r.Code != 404 {
				t.Errorf("Bob downloads %s: %d", path, r.Code)
			}
		}
		if r := f.call(nil, "GET", janeLink+"/files/"+fileID, ""); r.Code != 200 {
			t.Errorf("Jane downloads her file: %d", r.Code)
		}
		if r := f.call(nil, "DELETE", bobLink+"/files/"+fileID, ""); r.Code != 404 {
			t.Errorf("Bob removes Jane's file: %d", r.Code)
		}
		for _, c := range []struct{ method, path, body string }{
			{"POST", bobLink + "/delegations", `{"name":"Eve","email":"eve@vendor.test","sections":["iam"]}`},
			{"GET", bobLink + "/delegations", ""},
			{"PATCH", bobLink + "/delegations/" + jane.ID, `{"sections":["iam"],"version":1}`},
			{"DELETE", bobLink + "/delegations/" + jane.ID, ""},
			{"POST", bobLink + "/submit", ""},
		} {
			if r := f.call(nil, c.method, c.path, c.body); r.Code != 403 {
				t.Errorf("delegated link %s %s: %d %s", c.method, c.path, r.Code, r.Body)
			}
		}
		var ev models.AuditEvent
		if err := db.Gorm.Where("action = ? AND object_id = ?", "assessment.answer", a.ID).Order("created_at DESC").Take(&ev).Error; err != nil || ev.ActorLabel != "bob@vendor.test" {
			t.Errorf("answer audited as %q (%v)", ev.ActorLabel, err)
		}

		// The reviewer sees who answered and the delegations.
		path := "/api/v1/assessments/" + a.ID
		det := decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		if ab := det.Answers["IAM-01"].AnsweredBy; ab == nil || ab.Email != "bob@vendor.test" {
			t.Errorf("reviewer: IAM-01 answered by %+v", ab)
		}
		list := decode[map[string][]delegationView](t, f.call(&risk, "GET", path+"/delegations", ""))["items"]
		if len(list) != 2 || list[0].Email != "bob@vendor.test" || list[0].Answered != 1 || list[0].LastUsedAt == nil {
			t.Fatalf("reviewer's list %+v", list)
		}
		auditor := f.as(models.RoleAuditor)
		if r := f.call(&auditor, "DELETE", path+"/delegations/"+bob.ID, ""); r.Code != 403 {
			t.Errorf("auditor revokes: %d", r.Code)
		}

		// Changing sections is versioned.
		if r := f.call(nil, "PATCH", main+"/delegations/"+bob.ID, `{"sections":["iam","nope"],"version":1}`); r.Code != 422 || r.problem().Errors[0].Field != "sections[1]" {
			t.Errorf("change to an unknown section: %d %s", r.Code, r.Body)
		}
		r = f.call(nil, "PATCH", main+"/delegations/"+bob.ID, `{"sections":["ev","iam"],"version":1}`)
		if r.Code != 200 || decode[delegationView](t, r).Version != 2 {
			t.Fatalf("change: %d %s", r.Code, r.Body)
		}
		if r := f.call(nil, "PATCH", main+"/delegations/"+bob.ID, `{"sections":["ev"],"version":99999999999999999999999}`); r.Code != 400 && r.Code != 422 {
			t.Errorf("huge version: %d %s", r.Code, r.Body)
		}
		if r := f.call(nil, "PATCH", main+"/delegations/"+bob.ID, `{"sections":["ev"],"version":1}`); r.Code != 409 {
			t.Errorf("stale change: %d %s", r.Code, r.Body)
		}
		// Two changes at once from the same version: one wins, the other is told.
		codes := make(chan int, 2)
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes <- f.call(nil, "PATCH", main+"/delegations/"+bob.ID, `{"sections":["iam","ev"],"version":2}`).Code
			}()
		}
		wg.Wait()
		close(codes)
		got := map[int]int{}
		for c := range codes {
			got[c]++
		}
		if got[200] != 1 || got[409] != 1 {
			t.Errorf("concurrent changes answered %v, want one 200 and one 409", got)
		}
		if got := sectionKeys(decode[portalResponse](t, f.call(nil, "GET", bobLink, ""))); len(got) != 2 {
			t.Errorf("Bob after the change sees %v", got)
		}

		// Revoking: by the main contact, and by a reviewer.
		if r := f.call(nil, "DELETE", main+"/delegations/"+jane.ID, ""); r.Code != 204 {
			t.Fatalf("main revokes Jane: %d %s", r.Code, r.Body)
		}
		if r := f.call(nil, "GET", janeLink, ""); r.Code != 404 {
			t.Errorf("Jane's revoked link: %d", r.Code)
		}
		if len(f.outbox("jane@vendor.test")["vendor.link_revoked"]) != 1 {
			t.Error("Jane was not told her link stopped")
		}
		if r := f.call(nil, "DELETE", main+"/delegations/"+a.ID, ""); r.Code != 404 {
			t.Errorf("revoke something that is not a delegation: %d", r.Code)
		}
		if r := f.call(&risk, "DELETE", path+"/delegations/"+bob.ID, ""); r.Code != 204 {
			t.Fatalf("reviewer revokes Bob: %d %s", r.Code, r.Body)
		}
		if r := f.call(nil, "GET", bobLink, ""); r.Code != 404 {
			t.Errorf("Bob's revoked link: %d", r.Code)
		}
	})
}

// TestPortalDelegationOutlivesNewMainLink: a new main link keeps the
// colleagues' links working (nor are they told otherwise); revoking the
// assessment's links stops them too. (Its own test: the portal's rate
// limit counts every request of one address.)
func TestPortalDelegationOutlivesNewMainLink(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db, func(d *Deps) {
			d.Notify = &notify.Notifier{Mode: notify.MailOn, BaseURL: d.BaseURL, OrgName: "Corp"}
		})
		tpl := testTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Resent Vendor","category":"saas"}`))
		a := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tpl.ID+`","contact_email":"main@resent.test"}`))
		path := "/api/v1/assessments/" + a.ID
		sent := decode[sendResponse](t, f.call(&risk, "POST", path+"/send", `{"version":1}`))
		main := "/api/v1/portal/" + sent.PortalURL[strings.LastIndex(sent.PortalURL, "/")+1:]
		// A new main link keeps the delegations; revoking the links stops them.
		if r := f.call(nil, "POST", main+"/delegations", `{"name":"Carol","email":"carol@vendor.test","sections":["iam"]}`); r.Code != 201 {
			t.Fatalf("delegate to Carol: %d", r.Code)
		}
		carol := f.delegatedLink("carol@vendor.test")
		det := decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		if r := f.call(&risk, "POST", path+"/send", `{"version":`+itoa64(det.Version)+`}`); r.Code != 200 {
			t.Fatalf("resend: %d %s", r.Code, r.Body)
		}
		if r := f.call(nil, "GET", main, ""); r.Code != 404 {
			t.Errorf("old main link after resend: %d", r.Code)
		}
		if r := f.call(nil, "GET", carol, ""); r.Code != 200 {
			t.Errorf("Carol's link after a new main link: %d", r.Code)
		}
		if len(f.outbox("carol@vendor.test")["vendor.link_revoked"]) != 0 {
			t.Error("Carol was told her link stopped when the main link was replaced")
		}
		if r := f.call(&risk, "POST", path+"/revoke-link", ""); r.Code != 204 {
			t.Fatalf("revoke links: %d", r.Code)
		}
		if r := f.call(nil, "GET", carol, ""); r.Code != 404 {
			t.Errorf("Carol's link after revoking the links: %d", r.Code)
		}
	})
}
