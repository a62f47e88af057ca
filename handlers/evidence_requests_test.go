package handlers

import (
	"strings"
	"testing"
	"time"

	"rampart/app/notify"
	"rampart/models"
	"rampart/models/testdb"
)

// TestEvidenceRequestedFromTheVendor: staff request a document kind; the
// contact gets the link by mail and uploads through it; the file is a new
// version in the library, received, and the request is uploaded; the
// missing kind said it was requested meanwhile; cancelled and bad links
// answer 404; bad input is refused per field; who may do what.
func TestEvidenceRequestedFromTheVendor(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		files := testFiles(t)
		f := newFixture(t, db, func(d *Deps) {
			d.Files = files
			d.Notify = &notify.Notifier{Mode: notify.MailOn, BaseURL: d.BaseURL, OrgName: "Corp"}
		})
		rm, auditor, legal := f.as(models.RoleRiskManager), f.as(models.RoleAuditor), f.as(models.RoleLegal)
		v := decode[vendorResponse](t, f.call(&rm, "POST", "/api/v1/vendors", critVendor))
		base := "/api/v1/vendors/" + v.ID + "/evidence-requests"
		due := f.clock.now().AddDate(0, 0, 14).Format(time.DateOnly)
		past := f.clock.now().AddDate(0, 0, -1).Format(time.DateOnly)

		for _, c := range []struct{ body, field string }{
			{`{"kind":"nonsense","contact_email":"sec@vault.test","due_date":"` + due + `"}`, "kind"},
			{`{"kind":"soc2_type2","contact_email":"nobody","due_date":"` + due + `"}`, "contact_email"},
			{`{"kind":"soc2_type2","contact_email":"sec@vault.test","due_date":"` + past + `"}`, "due_date"},
			{`{"kind":"soc2_type2","contact_email":"sec@vault.test","due_date":"31/12/2027"}`, "due_date"},
			{`{"kind":"soc2_type2","contact_email":"sec@vault.test","due_date":"` + due + `","message":"` + strings.Repeat("ü", 5001) + `"}`, "message"},
		} {
			r := f.call(&rm, "POST", base, c.body)
			if r.Code != 422 || r.problem().Errors[0].Field != c.field {
				t.Errorf("%.70s: %d %s", c.body, r.Code, r.Body)
			}
		}
		if r := f.call(&legal, "POST", base, `{"kind":"soc2_type2","contact_email":"sec@vault.test","due_date":"`+due+`"}`); r.Code != 403 {
			t.Fatalf("legal requests evidence: %d", r.Code)
		}
		r := f.call(&rm, "POST", base, `{"kind":"soc2_type2","contact_email":"Sec@Vault.test","due_date":"`+due+`","message":"Your <b>2026</b> report, please."}`)
		if r.Code != 201 {
			t.Fatalf("request: %d %s", r.Code, r.Body)
		}
		req := decode[evidenceRequestResponse](t, r)
		if req.Status != "requested" || req.URL == "" || req.KindLabel == "" || req.ContactEmail != "sec@vault.test" {
			t.Fatalf("request: %+v", req)
		}
		if m := f.outbox("sec@vault.test")["vendor.evidence_request"]; len(m) != 1 || !strings.Contains(m[0].TextBody, req.URL) {
			t.Fatalf("request mail: %+v", m)
		}
		portal := "/api/v1/portal/" + req.URL[strings.LastIndex(req.URL, "/")+1:] + "/evidence-request"

		// The Documents tab says the missing kind was requested.
		l := decode[evidenceListResponse](t, f.call(&auditor, "GET", "/api/v1/vendors/"+v.ID+"/evidence", ""))
		if len(l.OpenRequests) != 1 || l.OpenRequests[0].Kind != "soc2_type2" || l.OpenRequests[0].DueDate != due {
			t.Fatalf("open requests on the library: %+v", l.OpenRequests)
		}
		pv := decode[portalEvidenceRequestResponse](t, f.call(nil, "GET", portal, ""))
		if pv.Status != "requested" || pv.Message != "Your <b>2026</b> report, please." || pv.VendorName != "Vault Co" || pv.DueDate != due {
			t.Fatalf("portal view: %+v", pv)
		}

		// Bad files are refused and leave the request open.
		if r := f.upload(&session{}, portal+"/file", "x.exe", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")); r.Code != 422 && r.Code != 415 {
			t.Fatalf("executable: %d %s", r.Code, r.Body)
		}
		r = f.upload(&session{}, portal+"/file", "soc2-2026.pdf", []byte("%PDF-1.4\n%%EOF\n"))
		if r.Code != 201 {
			t.Fatalf("upload: %d %s", r.Code, r.Body)
		}
		if pv := decode[portalEvidenceRequestResponse](t, r); pv.Status != "uploaded" || pv.Filename != "soc2-2026.pdf" {
			t.Fatalf("after upload: %+v", pv)
		}
		if r := f.upload(&session{}, portal+"/file", "again.pdf", []byte("%PDF-1.4\n%%EOF\n")); r.Code != 409 {
			t.Fatalf("second upload: %d %s", r.Code, r.Body)
		}
		l = decode[evidenceListResponse](t, f.call(&rm, "GET", "/api/v1/vendors/"+v.ID+"/evidence", ""))
		if len(l.Items) != 1 || l.Items[0].Kind != "soc2_type2" || l.Items[0].Current.Status != "received" || l.Items[0].Current.Filename != "soc2-2026.pdf" || len(l.OpenRequests) != 0 {
			t.Fatalf("library after upload: %+v", l)
		}
		list := decode[listResponse[evidenceRequestResponse]](t, f.call(&auditor, "GET", base, ""))
		if list.Total != 1 || list.Items[0].Status != "uploaded" || list.Items[0].DocumentID == nil || *list.Items[0].DocumentID != l.Items[0].ID ||
			list.Items[0].VersionNumber == nil || *list.Items[0].VersionNumber != 1 || list.Items[0].URL != "" {
			t.Fatalf("requests after upload: %+v", list.Items)
		}
		var n int64
		db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND actor_type = ? AND actor_label = ?", "evidence.request_upload", models.ActorPortal, "sec@vault.test").Count(&n)
		if n != 1 || f.auditCount("evidence.request") != 1 {
			t.Fatalf("audit: upload %d, request %d", n, f.auditCount("evidence.request"))
		}
		if r := f.call(&rm, "POST", base+"/"+req.ID+"/cancel", ""); r.Code != 409 {
			t.Fatalf("cancel an uploaded request: %d", r.Code)
		}

		// A second request of the same kind adds a version to the document.
		r2 := decode[evidenceRequestResponse](t, f.call(&rm, "POST", base, `{"kind":"soc2_type2","contact_email":"sec@vault.test","due_date":"`+due+`"}`))
		p2 := "/api/v1/portal/" + r2.URL[strings.LastIndex(r2.URL, "/")+1:] + "/evidence-request"
		if r := f.upload(&session{}, p2+"/file", "bridge.pdf", []byte("%PDF-1.4\n%%EOF\n")); r.Code != 201 {
			t.Fatalf("second request upload: %d %s", r.Code, r.Body)
		}
		if it := decode[evidenceResponse](t, f.call(&rm, "GET", "/api/v1/vendors/"+v.ID+"/evidence/"+l.Items[0].ID, "")); len(it.Versions) != 2 || it.Current.Filename != "bridge.pdf" {
			t.Fatalf("versions: %+v", it)
		}

		// Cancelled: the link stops working.
		r3 := decode[evidenceRequestResponse](t, f.call(&rm, "POST", base, `{"kind":"pentest_summary","contact_email":"sec@vault.test","due_date":"`+f.clock.now().Format(time.DateOnly)+`"}`))
		p3 := "/api/v1/portal/" + r3.URL[strings.LastIndex(r3.URL, "/")+1:] + "/evidence-request"
		if r := f.call(&auditor, "POST", base+"/"+r3.ID+"/cancel", ""); r.Code != 403 {
			t.Fatalf("an auditor cancels: %d", r.Code)
		}
		if r := f.call(&rm, "POST", base+"/"+r3.ID+"/cancel", ""); r.Code != 200 || decode[evidenceRequestResponse](t, r).Status != "cancelled" {
			t.Fatalf("cancel: %d %s", r.Code, r.Body)
		}
		for _, p := range []string{p3, "/api/v1/portal/rpe_nope/evidence-request", strings.Replace(p3, "rpe_", "rpr_", 1)} {
			if r := f.call(nil, "GET", p, ""); r.Code != 404 {
				t.Errorf("%s: %d", p, r.Code)
			}
		}
		if r := f.upload(&session{}, p3+"/file", "pt.pdf", []byte("%PDF-1.4\n%%EOF\n")); r.Code != 404 {
			t.Fatalf("upload to a cancelled request: %d", r.Code)
		}
		if f.auditCount("evidence.request_cancel") != 1 {
			t.Fatal("cancel not audited")
		}

		// Past its due date a waiting request is overdue.
		r4 := decode[evidenceRequestResponse](t, f.call(&rm, "POST", base, `{"kind":"insurance_certificate","contact_email":"sec@vault.test","due_date":"`+f.clock.now().Format(time.DateOnly)+`"}`))
		f.clock.add(25 * time.Hour)
		rm = f.as(models.RoleRiskManager)
		for _, it := range decode[listResponse[evidenceRequestResponse]](t, f.call(&rm, "GET", base, "")).Items {
			if it.ID == r4.ID && it.Status != "overdue" {
				t.Fatalf("past due: %+v", it)
			}
		}
	})
}
