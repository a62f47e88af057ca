package handlers

import (
	"bytes"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"rampart/app/notify"
	"rampart/models"
	"rampart/models/testdb"
)

// progress posts a progress form to a remediation link: the text, the
// done flag when not empty, then a file when name is not empty.
func (f *fixture) progress(path, body, done, name, content string) response {
	f.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("body", body)
	if done != "" {
		mw.WriteField("done", done)
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write([]byte(content))
	}
	mw.Close()
	req := httptest.NewRequest("POST", path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	f.serve(rec, req)
	return response{rec, f.t}
}

// share shares a finding and returns the remediation and the portal API
// path of its link.
func (f *fixture) share(s *session, findingID, body string) (findingRemediationResponse, string) {
	f.t.Helper()
	r := f.call(s, "POST", "/api/v1/findings/"+findingID+"/remediation/share", body)
	if r.Code != 201 {
		f.t.Fatalf("share: %d %s", r.Code, r.Body)
	}
	out := decode[findingRemediationResponse](f.t, r)
	if len(out.Links) == 0 || out.Links[0].URL == "" {
		f.t.Fatalf("share answered no link URL: %+v", out)
	}
	u := out.Links[0].URL
	return out, "/api/v1/portal/" + u[strings.LastIndex(u, "/")+1:] + "/remediation"
}

func (f *fixture) auditBy(action, label string) int64 {
	f.t.Helper()
	var n int64
	if err := f.db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND actor_label = ? AND actor_type = ?", action, label, models.ActorPortal).Count(&n).Error; err != nil {
		f.t.Fatal(err)
	}
	return n
}

// TestRemediationWithTheVendor walks the whole exchange: shared, a plan
// proposed, changes asked for, proposed again, accepted, progress with a
// file, marked done, accepted as complete — with the closing rule, the
// mails, the notices and the audit on the way.
func TestRemediationWithTheVendor(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		files := testFiles(t)
		f := newFixture(t, db, func(d *Deps) {
			d.Files = files
			d.Notify = &notify.Notifier{Mode: notify.MailOn, BaseURL: d.BaseURL, OrgName: "Corp"}
		})
		risk, legal, auditor := f.as(models.RoleRiskManager), f.as(models.RoleLegal), f.as(models.RoleAuditor)
		owner := f.users[models.RoleLegal]
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Remedy Vendor","category":"saas","contacts":[{"name":"Sam","email":"sam@remedy.test","role":"security"}]}`))
		fd := decode[findingResponse](t, f.call(&risk, "POST", "/api/v1/findings", `{"vendor_id":"`+v.ID+`","title":"No MFA on admin console","description":"Admins sign in with a password only.","severity":"high","owner_id":"`+owner.ID+`"}`))
		base := "/api/v1/findings/" + fd.ID
		f.call(&risk, "POST", base+"/comments", `{"body":"INTERNAL: vendor is slow, escalate to CISO"}`)

		// Before sharing: nothing, and the vendor's security contact proposed.
		got := decode[findingRemediationResponse](t, f.call(&auditor, "GET", base+"/remediation", ""))
		if got.Remediation != nil || got.SuggestedContact != "sam@remedy.test" {
			t.Fatalf("unshared: %+v", got)
		}
		if r := f.call(&auditor, "POST", base+"/remediation/share", `{"contact_email":"sam@remedy.test"}`); r.Code != 403 {
			t.Fatalf("an auditor shares: %d", r.Code)
		}
		if r := f.call(&risk, "POST", base+"/remediation/share", `{"contact_email":"not an address"}`); r.Code != 422 || r.problem().Errors[0].Field != "contact_email" {
			t.Fatalf("bad address: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "POST", base+"/remediation/share", `{"contact_email":"sam@remedy.test","message":"`+strings.Repeat("m", 5001)+`"}`); r.Code != 422 || r.problem().Errors[0].Field != "message" {
			t.Fatalf("long message: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "POST", base+"/remediation/share", `{"contact_email":"sam@remedy.test","extra":1}`); r.Code < 400 || r.Code >= 500 {
			t.Fatalf("unknown field: %d", r.Code)
		}
		shared, portal := f.share(&risk, fd.ID, `{"contact_email":"Sam@Remedy.test","message":"Please enforce MFA <b>now</b>."}`)
		if shared.Remediation.Status != "requested" || shared.Remediation.ContactEmail != "sam@remedy.test" {
			t.Fatalf("shared: %+v", shared.Remediation)
		}
		mails := f.outbox("sam@remedy.test")["vendor.remediation"]
		if len(mails) != 1 || !strings.Contains(mails[0].TextBody, shared.Links[0].URL) {
			t.Fatalf("the link mail: %+v", mails)
		}
		if n := f.auditCount("finding.remediation_share"); n != 1 {
			t.Fatalf("share audited %d times", n)
		}
		// The URL is shown once.
		if again := decode[findingRemediationResponse](t, f.call(&risk, "GET", base+"/remediation", "")); again.Links[0].URL != "" {
			t.Fatal("the link's URL is shown again")
		}

		// The vendor sees the finding's vendor-facing parts only.
		r := f.call(nil, "GET", portal, "")
		if r.Code != 200 {
			t.Fatalf("portal: %d %s", r.Code, r.Body)
		}
		for _, secret := range []string{"INTERNAL", owner.Name, owner.ID, "residual", "owner"} {
			if strings.Contains(r.Body.String(), secret) {
				t.Errorf("the portal shows %q: %s", secret, r.Body)
			}
		}
		pv := decode[portalRemediationResponse](t, r)
		if pv.Title != fd.Title || pv.Severity != "high" || pv.Message != "Please enforce MFA <b>now</b>." || pv.OrgName != "Corp" || !pv.CanPropose || pv.CanMarkDone {
			t.Fatalf("portal view: %+v", pv)
		}
		if rp := r.Header().Get("Referrer-Policy"); rp != "no-referrer" {
			t.Errorf("Referrer-Policy %q", rp)
		}

		// Bad plans are refused per field.
		today := f.clock.now().Format(time.DateOnly)
		yesterday := f.clock.now().AddDate(0, 0, -1).Format(time.DateOnly)
		target := f.clock.now().AddDate(0, 1, 0).Format(time.DateOnly)
		for _, c := range []struct{ body, field string }{
			{`{"plan":"x","target_date":"` + yesterday + `"}`, "target_date"},
			{`{"plan":"x","target_date":"2027-13-01"}`, "target_date"},
			{`{"plan":"   ","target_date":"` + target + `"}`, "plan"},
			{`{"plan":"` + strings.Repeat("é", 5001) + `","target_date":"` + target + `"}`, "plan"},
		} {
			r := f.call(nil, "POST", portal+"/plan", c.body)
			if r.Code != 422 || r.problem().Errors[0].Field != c.field {
				t.Errorf("%.60s: %d %s", c.body, r.Code, r.Body)
			}
		}
		if r := f.call(nil, "POST", portal+"/plan", `{"plan":"x","target_date":"`+target+`","status":"accepted_closed"}`); r.Code < 400 || r.Code >= 500 {
			t.Errorf("unknown field: %d", r.Code)
		}
		if r := f.call(nil, "POST", portal+"/plan", "{\"plan\":\"a\xff\",\"target_date\":\""+target+"\"}"); r.Code < 400 || r.Code >= 500 {
			t.Errorf("invalid UTF-8: %d", r.Code)
		}
		if r := f.progress(portal+"/updates", "Started", "true", "", ""); r.Code != 409 {
			t.Errorf("marked done before a plan: %d %s", r.Code, r.Body)
		}

		hostile := `<script>alert(1)</script> Roll out MFA to all admins`
		r = f.call(nil, "POST", portal+"/plan", `{"plan":"`+strings.ReplaceAll(hostile, `"`, `\"`)+`","target_date":"`+today+`"}`)
		if r.Code != 200 || decode[portalRemediationResponse](t, r).Status != "plan_proposed" {
			t.Fatalf("propose: %d %s", r.Code, r.Body)
		}
		if n := f.auditBy("finding.remediation_plan", "sam@remedy.test"); n != 1 {
			t.Fatalf("the plan audited %d times with the contact as actor", n)
		}
		if got := f.noticesOf(models.RoleLegal, "finding.remediation"); len(got) != 1 || !strings.Contains(got[0].Body, hostile) {
			t.Fatalf("the owner's notice: %+v", got)
		}

		// The finding cannot be closed while the plan waits.
		r = f.call(&legal, "PATCH", base, `{"version":`+itoa64(fd.Version)+`,"status":"resolved"}`)
		if r.Code != 409 || !strings.Contains(r.problem().Detail, "not accepted yet") {
			t.Fatalf("closing with an unaccepted plan: %d %s", r.Code, r.Body)
		}
		cur := decode[findingRemediationResponse](t, f.call(&legal, "GET", base+"/remediation", ""))
		ver := cur.Remediation.Version
		if r := f.call(&legal, "POST", base+"/remediation/decision", `{"version":`+itoa64(ver)+`,"decision":"accept_complete"}`); r.Code != 409 || !strings.Contains(r.problem().Detail, "not accepted yet") {
			t.Fatalf("accepting as complete with a proposed plan: %d %s", r.Code, r.Body)
		}
		if r := f.call(&legal, "POST", base+"/remediation/decision", `{"version":`+itoa64(ver)+`,"decision":"request_changes"}`); r.Code != 422 || r.problem().Errors[0].Field != "comment" {
			t.Fatalf("changes without a comment: %d %s", r.Code, r.Body)
		}
		if r := f.call(&auditor, "POST", base+"/remediation/decision", `{"version":`+itoa64(ver)+`,"decision":"accept_plan"}`); r.Code != 403 {
			t.Fatalf("an auditor decides: %d", r.Code)
		}
		r = f.call(&legal, "POST", base+"/remediation/decision", `{"version":`+itoa64(ver)+`,"decision":"request_changes","comment":"Include break-glass accounts & a date for <i>all</i> consoles."}`)
		if r.Code != 200 || decode[findingRemediationResponse](t, r).Remediation.Status != "changes_requested" {
			t.Fatalf("ask for changes: %d %s", r.Code, r.Body)
		}
		if r := f.call(&legal, "POST", base+"/remediation/decision", `{"version":`+itoa64(ver)+`,"decision":"accept_plan"}`); r.Code != 409 {
			t.Fatalf("a stale decision: %d %s", r.Code, r.Body)
		}
		if m := f.outbox("sam@remedy.test")["vendor.remediation_reply"]; len(m) != 1 || !strings.Contains(m[0].TextBody, "break-glass") || strings.Contains(m[0].TextBody, "/portal/") {
			t.Fatalf("the changes mail: %+v", m)
		}
		pv = decode[portalRemediationResponse](t, f.call(nil, "GET", portal, ""))
		last := pv.Timeline[len(pv.Timeline)-1]
		if pv.Status != "changes_requested" || last.Kind != "changes_requested" || !strings.Contains(last.Text, "<i>all</i>") || last.ByVendor {
			t.Fatalf("the vendor sees the comment: %+v", pv)
		}

		// Proposed again, then accepted: the finding takes the plan.
		r = f.call(nil, "POST", portal+"/plan", `{"plan":"MFA for every console incl. break-glass","target_date":"`+target+`"}`)
		if r.Code != 200 {
			t.Fatalf("propose again: %d %s", r.Code, r.Body)
		}
		ver = decode[findingRemediationResponse](t, f.call(&legal, "GET", base+"/remediation", "")).Remediation.Version
		r = f.call(&legal, "POST", base+"/remediation/decision", `{"version":`+itoa64(ver)+`,"decision":"accept_plan","comment":"Agreed."}`)
		if r.Code != 200 || decode[findingRemediationResponse](t, r).Remediation.Status != "plan_accepted" {
			t.Fatalf("accept the plan: %d %s", r.Code, r.Body)
		}
		fd = decode[findingResponse](t, f.call(&legal, "GET", base, ""))
		if fd.Status != "in_progress" || fd.RemediationPlan != "MFA for every console incl. break-glass" {
			t.Fatalf("the finding after acceptance: %+v", fd)
		}
		if r := f.call(nil, "POST", portal+"/plan", `{"plan":"other","target_date":"`+target+`"}`); r.Code != 409 {
			t.Fatalf("a new plan after acceptance: %d %s", r.Code, r.Body)
		}

		// Progress with a file; bad files and text refused.
		if r := f.progress(portal+"/updates", "Evidence", "", "tool.exe", "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"); r.Code != 422 && r.Code != 415 {
			t.Errorf("an executable: %d %s", r.Code, r.Body)
		}
		if r := f.progress(portal+"/updates", strings.Repeat("x", 5001), "", "", ""); r.Code != 422 {
			t.Errorf("a long update: %d %s", r.Code, r.Body)
		}
		if r := f.progress(portal+"/updates", "x", "maybe", "", ""); r.Code != 422 {
			t.Errorf("done=maybe: %d %s", r.Code, r.Body)
		}
		r = f.progress(portal+"/updates", "Rolled out to 80% of consoles", "", "mfa-report.pdf", "%PDF-1.4\n%%EOF\n")
		if r.Code != 201 {
			t.Fatalf("progress: %d %s", r.Code, r.Body)
		}
		pv = decode[portalRemediationResponse](t, r)
		last = pv.Timeline[len(pv.Timeline)-1]
		if last.Kind != "progress" || len(last.Files) != 1 || last.Files[0].Filename != "mfa-report.pdf" || !last.ByVendor {
			t.Fatalf("progress entry: %+v", last)
		}
		if d := f.call(nil, "GET", last.Files[0].URL, ""); d.Code != 200 || d.Body.String() != "%PDF-1.4\n%%EOF\n" {
			t.Fatalf("the vendor downloads its file: %d", d.Code)
		}
		staff := decode[findingRemediationResponse](t, f.call(&auditor, "GET", base+"/remediation", ""))
		sf := staff.Timeline[len(staff.Timeline)-1].Files[0]
		if d := f.call(&auditor, "GET", sf.URL, ""); d.Code != 200 {
			t.Fatalf("staff download: %d", d.Code)
		}
		if n := f.auditBy("finding.remediation_progress", "sam@remedy.test"); n != 1 {
			t.Fatalf("progress audited %d times", n)
		}

		// Marked done; the finding still closes only through acceptance.
		if r := f.progress(portal+"/updates", "All consoles done", "true", "", ""); r.Code != 201 || decode[portalRemediationResponse](t, r).Status != "vendor_marked_done" {
			t.Fatalf("mark done: %d %s", r.Code, r.Body)
		}
		r = f.call(&legal, "PATCH", base, `{"version":`+itoa64(fd.Version)+`,"status":"resolved"}`)
		if r.Code != 409 || !strings.Contains(r.problem().Detail, "accepting the remediation as complete") {
			t.Fatalf("closing by edit: %d %s", r.Code, r.Body)
		}
		ver = decode[findingRemediationResponse](t, f.call(&legal, "GET", base+"/remediation", "")).Remediation.Version
		r = f.call(&legal, "POST", base+"/remediation/decision", `{"version":`+itoa64(ver)+`,"decision":"accept_complete","comment":"Verified."}`)
		if r.Code != 200 || decode[findingRemediationResponse](t, r).Remediation.Status != "accepted_closed" {
			t.Fatalf("accept as complete: %d %s", r.Code, r.Body)
		}
		if fd = decode[findingResponse](t, f.call(&legal, "GET", base, "")); fd.Status != "resolved" || fd.ResolvedAt == nil {
			t.Fatalf("the finding is not resolved: %+v", fd)
		}
		if r := f.progress(portal+"/updates", "more", "", "", ""); r.Code != 409 {
			t.Fatalf("progress after closure: %d", r.Code)
		}
		pv = decode[portalRemediationResponse](t, f.call(nil, "GET", portal, ""))
		kinds := []string{}
		for _, e := range pv.Timeline {
			kinds = append(kinds, e.Kind)
		}
		if strings.Join(kinds, ",") != "shared,plan_proposed,changes_requested,plan_proposed,plan_accepted,progress,marked_done,accepted_closed" || pv.CanProgress {
			t.Fatalf("timeline %v, %+v", kinds, pv)
		}
		for _, a := range []string{"finding.remediation_request_changes", "finding.remediation_accept_plan", "finding.remediation_accept_complete"} {
			if n := f.auditCount(a); n != 1 {
				t.Errorf("%s audited %d times", a, n)
			}
		}
		if n := f.auditBy("finding.remediation_done", "sam@remedy.test"); n != 1 {
			t.Errorf("done audited %d times", n)
		}
		if m := f.outbox("sam@remedy.test")["vendor.remediation_reply"]; len(m) != 3 {
			t.Errorf("decision mails: %d", len(m))
		}
		if got := f.noticesOf(models.RoleLegal, "finding.remediation"); len(got) != 4 {
			t.Errorf("owner notices: %d", len(got))
		}
	})
}

// TestRemediationLinkIsolation: a link reaches its own finding only;
// revoked, replaced, expired or mistyped links answer 404.
func TestRemediationLinkIsolation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		files := testFiles(t)
		f := newFixture(t, db, func(d *Deps) { d.Files = files })
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Two Findings","category":"saas"}`))
		a := decode[findingResponse](t, f.call(&risk, "POST", "/api/v1/findings", `{"vendor_id":"`+v.ID+`","title":"Finding A","severity":"low"}`))
		b := decode[findingResponse](t, f.call(&risk, "POST", "/api/v1/findings", `{"vendor_id":"`+v.ID+`","title":"Finding B","severity":"low"}`))
		_, pa := f.share(&risk, a.ID, `{"contact_email":"a@two.test"}`)
		sb, pb := f.share(&risk, b.ID, `{"contact_email":"b@two.test","days":1}`)
		if r := f.progress(pa+"/updates", "A's file", "", "a.txt", "secret of A"); r.Code != 201 {
			t.Fatalf("progress A: %d %s", r.Code, r.Body)
		}
		ra := decode[findingRemediationResponse](t, f.call(&risk, "GET", "/api/v1/findings/"+a.ID+"/remediation", ""))
		fileA := ra.Timeline[len(ra.Timeline)-1].Files[0].ID
		if r := f.call(nil, "GET", pb+"/files/"+fileA, ""); r.Code != 404 {
			t.Fatalf("B's link downloads A's file: %d", r.Code)
		}
		if r := f.call(&risk, "GET", "/api/v1/findings/"+b.ID+"/remediation/files/"+fileA, ""); r.Code != 404 {
			t.Fatalf("A's file under finding B: %d", r.Code)
		}
		if pv := decode[portalRemediationResponse](t, f.call(nil, "GET", pb, "")); pv.Title != "Finding B" || strings.Contains(f.call(nil, "GET", pb, "").Body.String(), "Finding A") {
			t.Fatalf("B's link shows %+v", pv)
		}
		for _, bad := range []string{"/api/v1/portal/rpr_nope/remediation", "/api/v1/portal/rpi_x/remediation", strings.Replace(pa, "rpr_", "rpi_", 1)} {
			if r := f.call(nil, "GET", bad, ""); r.Code != 404 {
				t.Errorf("%s: %d", bad, r.Code)
			}
		}
		// Sharing again replaces the link.
		_, pa2 := f.share(&risk, a.ID, `{"contact_email":"a2@two.test"}`)
		if r := f.call(nil, "GET", pa, ""); r.Code != 404 {
			t.Fatalf("the replaced link: %d", r.Code)
		}
		if r := f.call(nil, "GET", pa2+"/files/"+fileA, ""); r.Code != 200 {
			t.Fatalf("the new link keeps the remediation's files: %d", r.Code)
		}
		// Revoked.
		ra = decode[findingRemediationResponse](t, f.call(&risk, "GET", "/api/v1/findings/"+a.ID+"/remediation", ""))
		if r := f.call(&risk, "DELETE", "/api/v1/findings/"+a.ID+"/remediation/links/"+ra.Links[0].ID, ""); r.Code != 204 {
			t.Fatalf("revoke: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "DELETE", "/api/v1/findings/"+b.ID+"/remediation/links/"+ra.Links[0].ID, ""); r.Code != 404 {
			t.Fatalf("revoking A's link under B: %d", r.Code)
		}
		for _, p := range []string{pa2, pa2 + "/files/" + fileA} {
			if r := f.call(nil, "GET", p, ""); r.Code != 404 {
				t.Fatalf("revoked %s: %d", p, r.Code)
			}
		}
		if r := f.call(nil, "POST", pa2+"/plan", `{"plan":"x","target_date":"2099-01-01"}`); r.Code != 404 {
			t.Fatalf("revoked link plan: %d", r.Code)
		}
		if n := f.auditCount("finding.remediation_link_revoke"); n != 1 {
			t.Fatalf("revoke audited %d", n)
		}
		// Expired (B's link lasted a day).
		_ = sb
		f.clock.add(25 * time.Hour)
		if r := f.call(nil, "GET", pb, ""); r.Code != 404 {
			t.Fatalf("expired link: %d", r.Code)
		}
	})
}
