package handlers

import (
	"os"
	"strings"
	"testing"
	"time"

	"rampart/app/risk"
	"rampart/models"
	"rampart/models/testdb"
)

const critVendor = `{"name":"Vault Co","category":"saas","data_types":["health_data"],"access_level":"administrative",` +
	`"integration_methods":["agent"],"criticality":"critical"}`

func evidenceFactor(t *testing.T, f *fixture, s *session, vendorID string) risk.Factor {
	t.Helper()
	rk := decode[riskResponse](t, f.call(s, "GET", "/api/v1/vendors/"+vendorID+"/risk", ""))
	for _, fc := range rk.Factors.Residual {
		if fc.Key == "evidence" {
			return fc
		}
	}
	t.Fatalf("no evidence factor in %+v", rk.Factors.Residual)
	return risk.Factor{}
}

// TestEvidenceLibrary: a critical vendor misses its tier's required
// evidence (list flag, dashboard, score factor); a risk manager uploads an
// insurance certificate with an expiry and accepts it, and the checklist,
// the factor and its history line follow; a stale review is 409; a new
// version starts unreviewed and the old one stays downloadable; who may do
// what; hostile input is refused by field.
func TestEvidenceLibrary(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		rm, auditor, legal, requester := f.as(models.RoleRiskManager), f.as(models.RoleAuditor), f.as(models.RoleLegal), f.as(models.RoleRequester)
		v := decode[vendorResponse](t, f.call(&rm, "POST", "/api/v1/vendors", critVendor))
		if v.Tier != 1 {
			t.Fatalf("tier %d, want 1", v.Tier)
		}
		base := "/api/v1/vendors/" + v.ID + "/evidence"
		l := decode[evidenceListResponse](t, f.call(&rm, "GET", base, ""))
		if len(l.Items) != 0 || strings.Join(l.Required.Missing, ",") != "soc2_type2,pentest_summary,insurance_certificate" || l.Tier != 1 {
			t.Fatalf("empty library: %+v", l)
		}
		if fc := evidenceFactor(t, f, &rm, v.ID); fc.Points != 12 || !strings.Contains(fc.Text, "missing SOC 2 Type II report, penetration test summary, insurance certificate") {
			t.Fatalf("factor before: %+v", fc)
		}
		flagged := decode[listResponse[vendorSummary]](t, f.call(&rm, "GET", "/api/v1/vendors?evidence=gaps", ""))
		if flagged.Total != 1 || flagged.Items[0].ID != v.ID || flagged.Items[0].EvidenceGaps != 3 {
			t.Fatalf("evidence=gaps: %+v", flagged)
		}
		if d := decode[models.Dashboard](t, f.call(&rm, "GET", "/api/v1/dashboard", "")); d.EvidenceGaps != 1 {
			t.Fatalf("dashboard evidence_gaps %d", d.EvidenceGaps)
		}

		// Upload with an expiry; only risk managers and admins may.
		expires := time.Now().UTC().AddDate(1, 0, 0).Format(time.DateOnly)
		fields := map[string]string{"kind": "insurance_certificate", "issuer": "Lloyd's <b>Syndicate</b>", "expires_on": expires, "scope": "Cyber liability, 5M"}
		pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")
		for _, s := range []*session{&auditor, &legal, &requester} {
			if r := f.uploadForm(s, base, fields, "cert.pdf", pdf); r.Code != 403 {
				t.Errorf("upload by a reader: %d", r.Code)
			}
		}
		if r := f.call(&requester, "GET", base, ""); r.Code != 403 {
			t.Errorf("requester reads evidence: %d", r.Code)
		}
		r := f.uploadForm(&rm, base, fields, "cert.pdf", pdf)
		if r.Code != 201 {
			t.Fatalf("upload: %d %s", r.Code, r.Body)
		}
		doc := decode[evidenceResponse](t, r)
		if doc.Current.Status != "received" || doc.Current.ExpiresOn != expires || doc.Current.Issuer != "Lloyd's <b>Syndicate</b>" ||
			doc.Title != "Insurance certificate (Lloyd's <b>Syndicate</b>)" || len(doc.Versions) != 1 || doc.Current.Read != nil {
			t.Fatalf("uploaded: %+v", doc)
		}
		if r := f.call(&auditor, "GET", doc.Current.URL, ""); r.Code != 200 || r.Body.String() != string(pdf) ||
			!strings.HasPrefix(r.Header().Get("Content-Disposition"), "attachment") {
			t.Fatalf("auditor download: %d %v", r.Code, r.Header())
		}
		if r := f.call(&auditor, "PATCH", base+"/"+doc.ID, `{"version":1,"status":"accepted"}`); r.Code != 403 {
			t.Errorf("auditor reviews: %d", r.Code)
		}

		// Accept; a second review on the old version is 409 with current.
		r = f.call(&rm, "PATCH", base+"/"+doc.ID, `{"version":1,"status":"accepted"}`)
		if r.Code != 200 {
			t.Fatalf("accept: %d %s", r.Code, r.Body)
		}
		acc := decode[evidenceResponse](t, r)
		if acc.Current.Status != "accepted" || acc.Current.ReviewerName == "" || acc.Version != 2 {
			t.Fatalf("accepted: %+v", acc)
		}
		r = f.call(&rm, "PATCH", base+"/"+doc.ID, `{"version":1,"status":"rejected","reject_reason":"old"}`)
		if r.Code != 409 || !strings.Contains(r.Body.String(), `"accepted"`) {
			t.Fatalf("stale review: %d %s", r.Code, r.Body)
		}
		l = decode[evidenceListResponse](t, f.call(&rm, "GET", base, ""))
		if strings.Join(l.Required.Missing, ",") != "soc2_type2,pentest_summary" {
			t.Fatalf("after accepting: %+v", l.Required)
		}
		if fc := evidenceFactor(t, f, &rm, v.ID); fc.Points != 8 || fc.Text != "missing SOC 2 Type II report, penetration test summary" {
			t.Fatalf("factor after: %+v", fc)
		}
		rk := decode[riskResponse](t, f.call(&rm, "GET", "/api/v1/vendors/"+v.ID+"/risk", ""))
		if h := rk.History[0]; h.Cause != "evidence_changed" || !strings.Contains(strings.Join(h.Changes, "|"),
			"Required evidence changed from missing SOC 2 Type II report, penetration test summary, insurance certificate to missing SOC 2 Type II report, penetration test summary: -4") {
			t.Fatalf("history: %+v", h)
		}
		if flagged := decode[listResponse[vendorSummary]](t, f.call(&rm, "GET", "/api/v1/vendors?evidence=gaps", "")); flagged.Items[0].EvidenceGaps != 2 {
			t.Fatalf("gaps after: %+v", flagged.Items[0])
		}

		// A new version: unreviewed, the old file still downloadable.
		r = f.uploadForm(&rm, base+"/"+doc.ID+"/versions", map[string]string{"version": "1", "expires_on": expires}, "cert-2026.pdf", pdf)
		if r.Code != 409 {
			t.Fatalf("stale version upload: %d %s", r.Code, r.Body)
		}
		pdf2 := []byte("%PDF-1.4\n2 0 obj <<>> endobj\n%%EOF\n")
		r = f.uploadForm(&rm, base+"/"+doc.ID+"/versions", map[string]string{"version": "2", "expires_on": expires}, "cert-2026.pdf", pdf2)
		if r.Code != 201 {
			t.Fatalf("new version: %d %s", r.Code, r.Body)
		}
		nv := decode[evidenceResponse](t, r)
		if nv.Current.Number != 2 || nv.Current.Status != "received" || len(nv.Versions) != 2 || nv.Versions[1].Status != "accepted" {
			t.Fatalf("versions: %+v", nv)
		}
		if r := f.call(&rm, "GET", nv.Versions[1].URL, ""); r.Code != 200 || r.Body.String() != string(pdf) {
			t.Fatalf("old version download: %d %q", r.Code, r.Body)
		}
		if r := f.call(&rm, "GET", base+"/"+doc.ID+"/versions/9/file", ""); r.Code != 404 {
			t.Fatalf("missing version: %d", r.Code)
		}
		other := decode[vendorResponse](t, f.call(&rm, "POST", "/api/v1/vendors", `{"name":"Other","category":"saas"}`))
		if r := f.call(&rm, "GET", "/api/v1/vendors/"+other.ID+"/evidence/"+doc.ID+"/versions/1/file", ""); r.Code != 404 {
			t.Fatalf("through another vendor: %d", r.Code)
		}

		// Rejecting needs a reason.
		if r := f.call(&rm, "PATCH", base+"/"+doc.ID, `{"version":3,"status":"rejected"}`); r.Code != 422 || r.problem().Errors[0].Field != "reject_reason" {
			t.Fatalf("reject without reason: %d %s", r.Code, r.Body)
		}
		r = f.call(&rm, "PATCH", base+"/"+doc.ID, `{"version":3,"status":"rejected","reject_reason":"Names another company"}`)
		if r.Code != 200 || decode[evidenceResponse](t, r).Current.RejectReason != "Names another company" {
			t.Fatalf("reject: %d %s", r.Code, r.Body)
		}

		// Hostile input.
		for name, c := range map[string]struct {
			fields   map[string]string
			filename string
			data     []byte
			field    string
		}{
			"program":     {map[string]string{"kind": "policy"}, "setup.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00PE\x00\x00"), "file"},
			"html file":   {map[string]string{"kind": "policy"}, "p.pdf", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), "file"},
			"huge issuer": {map[string]string{"kind": "policy", "issuer": strings.Repeat("x", 201)}, "p.pdf", pdf, "issuer"},
			"huge scope":  {map[string]string{"kind": "policy", "scope": strings.Repeat("y", 100000)}, "p.pdf", pdf, "scope"},
			"nul":         {map[string]string{"kind": "policy", "issuer": "a\x00b"}, "p.pdf", pdf, "issuer"},
			"bad utf8":    {map[string]string{"kind": "policy", "title": "a\xffb"}, "p.pdf", pdf, "title"},
			"bad kind":    {map[string]string{"kind": "diploma"}, "p.pdf", pdf, "kind"},
			"no kind":     {map[string]string{}, "p.pdf", pdf, "kind"},
			"bad date":    {map[string]string{"kind": "policy", "expires_on": "31/12/2026"}, "p.pdf", pdf, "expires_on"},
			"period":      {map[string]string{"kind": "policy", "period_from": "2026-02-01", "period_to": "2026-01-01"}, "p.pdf", pdf, "period_to"},
		} {
			r := f.uploadForm(&rm, base, c.fields, c.filename, c.data)
			if r.Code != 422 || r.problem().Errors[0].Field != c.field {
				t.Errorf("%s: %d %s", name, r.Code, r.Body)
			}
		}
		if r := f.call(&rm, "PATCH", base+"/"+doc.ID, `{"version":4,"issuer":"`+strings.Repeat("z", 300)+`"}`); r.Code != 422 {
			t.Errorf("huge issuer on update: %d", r.Code)
		}
		if n := len(decode[evidenceListResponse](t, f.call(&rm, "GET", base, "")).Items); n != 1 {
			t.Fatalf("refused uploads left %d documents", n)
		}
		var events int64
		db.Gorm.Model(&models.AuditEvent{}).Where("action LIKE ? AND object_id = ?", "evidence.%", v.ID).Count(&events)
		if events != 4 { // upload, accept, version, reject
			t.Fatalf("audit events %d", events)
		}
	})
}

// TestEvidenceSOCReportPrefill: a SOC 2 report uploaded without a kind is
// read: kind, auditor, period and expiry prefilled with quotes; what the
// uploader gave wins.
func TestEvidenceSOCReportPrefill(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		rm := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&rm, "POST", "/api/v1/vendors", critVendor))
		text, err := os.ReadFile("../app/soc2/testdata/dev-aicpa-soc2-type2.txt")
		if err != nil {
			t.Fatal(err)
		}
		r := f.uploadForm(&rm, "/api/v1/vendors/"+v.ID+"/evidence", map[string]string{"scope": "Object storage"}, "soc2.txt", text)
		if r.Code != 201 {
			t.Fatalf("upload: %d %s", r.Code, r.Body)
		}
		d := decode[evidenceResponse](t, r)
		c := d.Current
		if d.Kind != "soc2_type2" || c.Issuer != "Marlowe & Finch LLP" || c.PeriodFrom != "2025-01-01" || c.PeriodTo != "2025-12-31" ||
			c.ExpiresOn != "2026-12-31" || c.Scope != "Object storage" || c.Read == nil || len(c.Read.Auditor.Evidence) == 0 ||
			strings.Join(c.Read.Prefilled, ",") != "kind,issuer,period_from,period_to,expires_on" {
			t.Fatalf("prefill: %+v read %+v", d, c.Read)
		}
		r = f.uploadForm(&rm, "/api/v1/vendors/"+v.ID+"/evidence", map[string]string{"kind": "soc2_type2", "issuer": "Given LLP"}, "soc2.txt", text)
		if c := decode[evidenceResponse](t, r).Current; c.Issuer != "Given LLP" || c.PeriodTo != "2025-12-31" {
			t.Fatalf("given issuer: %+v", c)
		}
	})
}
