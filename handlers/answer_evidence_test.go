package handlers

import (
	"strings"
	"testing"
	"time"

	"rampart/app/reminders"
	"rampart/models"
	"rampart/models/testdb"
)

// TestFileAnswerScoresByVerdict: a file question's answer never scores by
// the file being there. The reviewer copies the vendor's file into the
// evidence library (unreviewed: still 0), the library's verdict scores it
// (accepted 100, rejected 0, a new unreviewed version 0 again), and the
// stored score follows every verdict; a document of another vendor, a
// non-file question and roles without the permissions are refused.
func TestFileAnswerScoresByVerdict(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		tpl := testTemplate(t, db)
		rm, auditor, legal := f.as(models.RoleRiskManager), f.as(models.RoleAuditor), f.as(models.RoleLegal)
		v := decode[vendorResponse](t, f.call(&rm, "POST", "/api/v1/vendors", `{"name":"Verdict Vendor","category":"saas"}`))
		other := decode[vendorResponse](t, f.call(&rm, "POST", "/api/v1/vendors", `{"name":"Someone Else","category":"saas"}`))
		a := decode[assessmentDetail](t, f.call(&rm, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tpl.ID+`","contact_email":"sec@verdict.test"}`))
		sent := decode[sendResponse](t, f.call(&rm, "POST", "/api/v1/assessments/"+a.ID+"/send", `{"version":1}`))
		portal := "/api/v1/portal/" + sent.PortalURL[strings.LastIndex(sent.PortalURL, "/")+1:]
		for key, value := range map[string]string{"IAM-01": `"yes"`, "IAM-02": `"all"`} {
			if r := f.call(nil, "PUT", portal+"/answers/"+key, `{"value":`+value+`}`); r.Code != 200 {
				t.Fatalf("answer %s: %d %s", key, r.Code, r.Body)
			}
		}
		pdf := "%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
		up := f.portalUpload(portal, "EV-01", "soc2-report.pdf", pdf)
		if up.Code != 201 {
			t.Fatalf("portal upload: %d %s", up.Code, up.Body)
		}
		fileID := decode[portalFile](t, up).ID
		if r := f.call(nil, "POST", portal+"/submit", ""); r.Code != 200 {
			t.Fatalf("submit: %d %s", r.Code, r.Body)
		}
		path := "/api/v1/assessments/" + a.ID
		score := func(want float64, ev float64) assessmentDetail {
			t.Helper()
			d := decode[assessmentDetail](t, f.call(&rm, "GET", path, ""))
			if d.Effectiveness == nil || *d.Effectiveness != want || d.Result.Overall == nil || *d.Result.Overall != want {
				t.Fatalf("score %s (detail %v), want %v", fmtScore(d.Effectiveness), d.Result.Overall, want)
			}
			if s := d.Answers["EV-01"].Score; s == nil || *s != ev {
				t.Fatalf("EV-01 scores %v, want %v", s, ev)
			}
			return d
		}
		// (100*5 + 100*3 + 0*4) / 12 = 66.7: the file alone is worth nothing.
		score(66.7, 0)

		// Who may: readers and legal cannot link or file; a risk manager can.
		for _, s := range []*session{&auditor, &legal} {
			if r := f.call(s, "POST", path+"/files/"+fileID+"/evidence", `{"kind":"soc2_type2"}`); r.Code != 403 {
				t.Errorf("file into library by %v: %d", s, r.Code)
			}
			if r := f.call(s, "PUT", path+"/answers/EV-01/evidence", `{"document_id":""}`); r.Code != 403 {
				t.Errorf("link by %v: %d", s, r.Code)
			}
		}
		if r := f.call(&rm, "POST", path+"/files/"+fileID+"/evidence", `{"kind":"not-a-kind"}`); r.Code != 422 || r.problem().Errors[0].Field != "kind" {
			t.Fatalf("unknown kind: %d %s", r.Code, r.Body)
		}
		if r := f.call(&rm, "POST", path+"/files/nope/evidence", `{"kind":"soc2_type2"}`); r.Code != 404 {
			t.Fatalf("unknown file: %d %s", r.Code, r.Body)
		}
		if r := f.call(&rm, "POST", path+"/files/"+fileID+"/evidence", `{"kind":"soc2_type2","sneaky":1}`); r.Code != 422 || r.problem().Errors[0].Field != "sneaky" {
			t.Fatalf("unknown field: %d %s", r.Code, r.Body)
		}
		r := f.call(&rm, "POST", path+"/files/"+fileID+"/evidence", `{"kind":"soc2_type2","title":"<b>SOC 2</b> 2026"}`)
		if r.Code != 200 {
			t.Fatalf("file into library: %d %s", r.Code, r.Body)
		}
		filed := decode[fileToEvidenceResponse](t, r)
		ev := filed.Answers["EV-01"].Evidence
		if ev == nil || ev.DocumentID != filed.DocumentID || ev.Status != "received" || ev.Title != "<b>SOC 2</b> 2026" || ev.Kind != "soc2_type2" {
			t.Fatalf("linked evidence: %+v", ev)
		}
		lib := decode[evidenceResponse](t, f.call(&rm, "GET", "/api/v1/vendors/"+v.ID+"/evidence/"+filed.DocumentID, ""))
		if lib.Current.Filename != "soc2-report.pdf" || lib.Current.Status != "received" {
			t.Fatalf("library copy: %+v", lib.Current)
		}
		if r := f.call(&auditor, "GET", lib.Current.URL, ""); r.Code != 200 || r.Body.String() != pdf {
			t.Fatalf("library copy's bytes: %d %q", r.Code, r.Body)
		}
		score(66.7, 0) // received, not yet judged

		// Accepting the document scores the answer; rejecting it takes it back.
		doc := "/api/v1/vendors/" + v.ID + "/evidence/" + filed.DocumentID
		acc := decode[evidenceResponse](t, f.call(&rm, "PATCH", doc, `{"version":1,"status":"accepted"}`))
		// (500 + 300 + 400) / 12 = 100
		d := score(100, 100)
		if d.Answers["EV-01"].Evidence.Status != "accepted" {
			t.Fatalf("evidence after accepting: %+v", d.Answers["EV-01"].Evidence)
		}
		rej := decode[evidenceResponse](t, f.call(&rm, "PATCH", doc, `{"version":`+itoa64(acc.Version)+`,"status":"rejected","reject_reason":"covers another system"}`))
		score(66.7, 0)
		f.call(&rm, "PATCH", doc, `{"version":`+itoa64(rej.Version)+`,"status":"accepted"}`)
		score(100, 100)
		// An accepted document that has expired does not count.
		cur := decode[evidenceResponse](t, f.call(&rm, "GET", doc, ""))
		if r := f.call(&rm, "PATCH", doc, `{"version":`+itoa64(cur.Version)+`,"expires_on":"2020-01-01"}`); r.Code != 200 {
			t.Fatalf("expiry: %d %s", r.Code, r.Body)
		}
		score(66.7, 0)
		cur = decode[evidenceResponse](t, f.call(&rm, "GET", doc, ""))
		tomorrow := f.clock.now().AddDate(0, 0, 1).Format(time.DateOnly)
		f.call(&rm, "PATCH", doc, `{"version":`+itoa64(cur.Version)+`,"expires_on":"`+tomorrow+`"}`)
		score(100, 100)
		// Time passes: the hourly expiry scan stores the lower score once
		// the document has expired. The scan looks back to yesterday, so
		// it runs on the day after the expiry date, at 01:00 UTC: a fixed
		// 49 hours landed two days after it when the test ran after 23:00.
		now := f.clock.now().UTC()
		dayAfter := time.Date(now.Year(), now.Month(), now.Day()+2, 1, 0, 0, 0, time.UTC)
		f.clock.add(dayAfter.Sub(now))
		if err := (&reminders.Scans{DB: db.Gorm, Notify: f.srv.deps.Notify}).EvidenceExpiring(t.Context(), f.clock.now()); err != nil {
			t.Fatal(err)
		}
		var stored models.Assessment
		db.Gorm.First(&stored, "id = ?", a.ID)
		if stored.Effectiveness == nil || *stored.Effectiveness != 66.7 {
			t.Fatalf("stored score after the document expired: %v", fmtScore(stored.Effectiveness))
		}
		rm = f.as(models.RoleRiskManager) // the session has timed out meanwhile
		cur = decode[evidenceResponse](t, f.call(&rm, "GET", doc, ""))
		f.call(&rm, "PATCH", doc, `{"version":`+itoa64(cur.Version)+`,"expires_on":""}`)
		score(100, 100)
		// A new version starts unreviewed: the answer waits for its verdict.
		cur = decode[evidenceResponse](t, f.call(&rm, "GET", doc, ""))
		if r := f.uploadForm(&rm, doc+"/versions", map[string]string{"version": itoa64(cur.Version)}, "soc2-2027.pdf", []byte(pdf)); r.Code != 201 {
			t.Fatalf("new version: %d %s", r.Code, r.Body)
		}
		score(66.7, 0)

		// Links are checked: another vendor's document, a question that is
		// not a file question, an unknown question.
		od := f.uploadForm(&rm, "/api/v1/vendors/"+other.ID+"/evidence", map[string]string{"kind": "policy"}, "policy.pdf", []byte(pdf))
		otherDoc := decode[evidenceResponse](t, od).ID
		if r := f.call(&rm, "PUT", path+"/answers/EV-01/evidence", `{"document_id":"`+otherDoc+`"}`); r.Code != 422 || r.problem().Errors[0].Field != "document_id" {
			t.Fatalf("another vendor's document: %d %s", r.Code, r.Body)
		}
		if r := f.call(&rm, "PUT", path+"/answers/IAM-01/evidence", `{"document_id":"`+filed.DocumentID+`"}`); r.Code != 422 || r.problem().Errors[0].Field != "key" {
			t.Fatalf("a yes/no question: %d %s", r.Code, r.Body)
		}
		if r := f.call(&rm, "PUT", path+"/answers/NOPE/evidence", `{"document_id":"`+filed.DocumentID+`"}`); r.Code != 404 {
			t.Fatalf("unknown question: %d %s", r.Code, r.Body)
		}
		if r := f.call(&rm, "PUT", path+"/answers/EV-01/evidence", `{"document_id":"' OR 1=1 --"}`); r.Code != 422 {
			t.Fatalf("hostile id: %d %s", r.Code, r.Body)
		}
		// Unlinked, the answer goes back to the reviewer's own mark.
		d = decode[assessmentDetail](t, f.call(&rm, "PUT", path+"/answers/EV-01/evidence", `{"document_id":""}`))
		if d.Answers["EV-01"].Evidence != nil {
			t.Fatalf("still linked: %+v", d.Answers["EV-01"].Evidence)
		}
		score(66.7, 0)
		f.call(&rm, "PUT", path+"/answers/EV-01/review", `{"status":"accepted"}`)
		score(100, 100)

		var n int64
		db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND object_id = ?", "assessment.evidence_link", a.ID).Count(&n)
		if n != 2 {
			t.Fatalf("%d evidence_link audit events, want 2 (filed, unlinked)", n)
		}
	})
}
