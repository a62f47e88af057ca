package handlers

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
)

func socItem(t *testing.T, rv socReviewResponse, kind, label string) socReviewItemDTO {
	t.Helper()
	for _, it := range rv.Items {
		if it.Kind == kind && (label == "" || strings.Contains(it.Label, label) || it.Control == label) {
			return it
		}
	}
	t.Fatalf("no %s item %q in %+v", kind, label, rv.Items)
	return socReviewItemDTO{}
}

func socFactor(t *testing.T, f *fixture, s *session, vendorID string) (string, int) {
	t.Helper()
	rk := decode[riskResponse](t, f.call(s, "GET", "/api/v1/vendors/"+vendorID+"/risk", ""))
	for _, fc := range rk.Factors.Residual {
		if fc.Key == "soc_review" {
			return fc.Text, fc.Points
		}
	}
	return "", -1
}

// TestSOCReviewChecklist: a qualified SOC 2 report with exceptions, CUECs
// and carved-out organizations gets a checklist of those items on upload;
// the reviewer maps CUECs (a reason is required to mark one not
// applicable), turns an exception into a finding (with the control),
// accepts the other and the opinion, links a carved-out organization to a
// vendor record (it becomes a subprocessor), flags the other, covers the
// stale period with a bridge letter and completes: the outcome, the
// version's acceptance, the risk explanation line and the vendor report
// follow. Stale versions are 409, another vendor's document 404, and
// only evidence managers decide.
func TestSOCReviewChecklist(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		// The period rule reads today: fix it, so the report (to 2025-03-31)
		// stays stale and the bridge letter (to 2026-03-02) current.
		f.clock.t = time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
		rm, auditor, legal, requester := f.as(models.RoleRiskManager), f.as(models.RoleAuditor), f.as(models.RoleLegal), f.as(models.RoleRequester)
		v := decode[vendorResponse](t, f.call(&rm, "POST", "/api/v1/vendors", critVendor))
		rack := decode[vendorResponse](t, f.call(&rm, "POST", "/api/v1/vendors", `{"name":"Rackspace Technology","category":"cloud_infrastructure"}`))
		other := decode[vendorResponse](t, f.call(&rm, "POST", "/api/v1/vendors", `{"name":"Other","category":"saas"}`))
		report, err := os.ReadFile("../app/soc2/testdata/dev-qualified-exceptions.txt")
		if err != nil {
			t.Fatal(err)
		}
		base := "/api/v1/vendors/" + v.ID + "/evidence"
		r := f.uploadForm(&rm, base, map[string]string{}, "soc2.txt", report)
		if r.Code != 201 {
			t.Fatalf("upload: %d %s", r.Code, r.Body)
		}
		doc := decode[evidenceResponse](t, r)
		if doc.Kind != "soc2_type2" || doc.Current.Read == nil || doc.Current.Read.Exceptions == nil || len(doc.Current.Read.Exceptions.Items) != 2 {
			t.Fatalf("read: %+v", doc.Current.Read)
		}
		path := base + "/" + doc.ID + "/versions/1/review-checklist"

		// Built from what was read: period, opinion, 2 exceptions, 3 CUECs, 2 carve-outs.
		rv := decode[socReviewResponse](t, f.call(&auditor, "GET", path, ""))
		kinds := map[string]int{}
		for _, it := range rv.Items {
			kinds[it.Kind]++
		}
		if rv.Status != "open" || rv.Framework != "SOC 2" || rv.Summary.Total != 9 || rv.Summary.Decided != 0 || rv.PeriodEnd != "2025-03-31" ||
			rv.CoveredUntil != "2026-03-31" || rv.PeriodCovered || fmt.Sprint(kinds) != "map[cuec:3 exception:2 opinion:1 period:1 subservice:2]" {
			t.Fatalf("checklist: %+v kinds %v", rv, kinds)
		}
		cc62 := socItem(t, rv, "exception", "CC6.2")
		if !strings.Contains(cc62.Label, "4 of 25 terminated") || cc62.Quote == "" || socItem(t, rv, "opinion", "").Control != "qualified" ||
			socItem(t, rv, "subservice", "Rackspace").Method != "carve-out" {
			t.Fatalf("items: %+v", rv.Items)
		}
		if text, pts := socFactor(t, f, &rm, v.ID); text != "SOC 2 review: open, 0 of 9 decided, qualified opinion, 3 CUECs unmapped" || pts != 4 {
			t.Fatalf("open factor: %q %d", text, pts)
		}

		// Who may: readers read, only evidence managers decide.
		if r := f.call(&requester, "GET", path, ""); r.Code != 403 {
			t.Errorf("requester reads checklist: %d", r.Code)
		}
		decide := func(s *session, it socReviewItemDTO, body string) response {
			return f.call(s, "PUT", path+"/items/"+it.ID, fmt.Sprintf(`{"version":%d,%s}`, it.Version, body))
		}
		for _, s := range []*session{&auditor, &legal, &requester} {
			if r := decide(s, cc62, `"decision":"accepted","reason":"x"`); r.Code != 403 {
				t.Errorf("reader decides: %d", r.Code)
			}
		}

		// CUECs: mapped to an owner and a control; not applicable needs a reason.
		cuec1 := socItem(t, rv, "cuec", "employee data submitted")
		r = decide(&rm, cuec1, fmt.Sprintf(`"decision":"mapped","owner_id":%q,"control_ref":"ITGC-7 <b>HR feed</b>"`, f.users[models.RoleRiskManager].ID))
		if r.Code != 200 {
			t.Fatalf("map CUEC: %d %s", r.Code, r.Body)
		}
		rv = decode[socReviewResponse](t, r)
		if m := socItem(t, rv, "cuec", "employee data submitted"); m.Decision != "mapped" || m.Owner == nil || m.Owner.Name != "The risk_manager" ||
			m.ControlRef != "ITGC-7 <b>HR feed</b>" || m.DecidedBy == nil || rv.Summary.Decided != 1 {
			t.Fatalf("mapped: %+v", m)
		}
		cuec2 := socItem(t, rv, "cuec", "approving administrator access")
		if r := decide(&rm, cuec2, `"decision":"not_applicable"`); r.Code != 422 || r.problem().Errors[0].Field != "reason" {
			t.Fatalf("N/A without reason: %d %s", r.Code, r.Body)
		}
		if r := decide(&rm, cuec2, `"decision":"mapped"`); r.Code != 422 || r.problem().Errors[0].Field != "owner_id" {
			t.Fatalf("mapped to nothing: %d %s", r.Code, r.Body)
		}
		if r := decide(&rm, cuec2, `"decision":"linked"`); r.Code != 422 || r.problem().Errors[0].Field != "decision" {
			t.Fatalf("wrong decision for a CUEC: %d %s", r.Code, r.Body)
		}
		rv = decode[socReviewResponse](t, decide(&rm, cuec2, `"decision":"not_applicable","reason":"We have no administrators on the platform"`))
		rv = decode[socReviewResponse](t, decide(&rm, socItem(t, rv, "cuec", "obtaining consent"), `"decision":"mapped","control_ref":"PRIV-2"`))

		// An exception turned into a finding; the other accepted.
		if r := decide(&rm, cc62, `"decision":"finding"`); r.Code != 422 || r.problem().Errors[0].Field != "severity" {
			t.Fatalf("finding without severity: %d %s", r.Code, r.Body)
		}
		r = decide(&rm, cc62, `"decision":"finding","severity":"high","reason":"Leavers kept access"`)
		if r.Code != 200 {
			t.Fatalf("finding: %d %s", r.Code, r.Body)
		}
		rv = decode[socReviewResponse](t, r)
		fi := socItem(t, rv, "exception", "CC6.2")
		if fi.Decision != "finding" || fi.Finding == nil || fi.Finding.Severity != "high" || fi.Finding.Status != "open" {
			t.Fatalf("finding item: %+v", fi)
		}
		fnd := decode[findingResponse](t, f.call(&rm, "GET", "/api/v1/findings/"+fi.Finding.ID, ""))
		if fnd.VendorID != v.ID || fnd.Source != "soc2_review" || !strings.Contains(fnd.Title, "CC6.2") ||
			!strings.Contains(fnd.Description, "control CC6.2") || !strings.Contains(fnd.Description, "4 of 25 terminated") {
			t.Fatalf("finding: %+v", fnd)
		}
		if r := decide(&rm, fi, `"decision":"accepted","reason":"changed my mind"`); r.Code != 422 {
			t.Fatalf("undo a finding: %d %s", r.Code, r.Body)
		}
		// Concurrent decisions: the version read before is stale.
		if r := decide(&rm, cc62, `"decision":"accepted","reason":"late"`); r.Code != 409 || !strings.Contains(r.Body.String(), `"finding"`) {
			t.Fatalf("stale decision: %d %s", r.Code, r.Body)
		}
		rv = decode[socReviewResponse](t, decide(&rm, socItem(t, rv, "exception", "CC8.1"), `"decision":"accepted","reason":"One change, reviewed after the fact"`))

		// The opinion: qualified does not pass; accepted with a reason.
		op := socItem(t, rv, "opinion", "")
		if r := decide(&rm, op, `"decision":"pass"`); r.Code != 422 || r.problem().Errors[0].Field != "decision" {
			t.Fatalf("qualified passes: %d %s", r.Code, r.Body)
		}
		rv = decode[socReviewResponse](t, decide(&rm, op, `"decision":"accepted","reason":"Qualification is the CC6.2 finding"`))

		// Carve-outs: one linked to its vendor record (a subprocessor now), one flagged.
		rackItem := socItem(t, rv, "subservice", "Rackspace")
		if r := decide(&rm, rackItem, fmt.Sprintf(`"decision":"linked","linked_vendor_id":%q`, v.ID)); r.Code != 422 || r.problem().Errors[0].Field != "linked_vendor_id" {
			t.Fatalf("linked to itself: %d %s", r.Code, r.Body)
		}
		r = decide(&rm, rackItem, fmt.Sprintf(`"decision":"linked","linked_vendor_id":%q`, rack.ID))
		if r.Code != 200 {
			t.Fatalf("link: %d %s", r.Code, r.Body)
		}
		rv = decode[socReviewResponse](t, r)
		if l := socItem(t, rv, "subservice", "Rackspace"); l.LinkedVendor == nil || l.LinkedVendor.Name != "Rackspace Technology" {
			t.Fatalf("linked: %+v", l)
		}
		chain := decode[supplyChainResponse](t, f.call(&rm, "GET", "/api/v1/vendors/"+v.ID+"/supply-chain", ""))
		if len(chain.Links) != 1 || chain.Links[0].VendorID == nil || *chain.Links[0].VendorID != rack.ID {
			t.Fatalf("supply chain: %+v", chain.Links)
		}
		okta := socItem(t, rv, "subservice", "Okta")
		if r := decide(&rm, okta, `"decision":"flagged"`); r.Code != 422 || r.problem().Errors[0].Field != "reason" {
			t.Fatalf("flag without note: %d %s", r.Code, r.Body)
		}
		rv = decode[socReviewResponse](t, decide(&rm, okta, `"decision":"flagged","reason":"Ask for Okta's SOC 2"`))

		// The period ended over 12 months ago: pass refused, a bridge letter covers it.
		period := socItem(t, rv, "period", "")
		if r := decide(&rm, period, `"decision":"pass"`); r.Code != 422 || !strings.Contains(r.Body.String(), "2026-03-31") {
			t.Fatalf("stale period passes: %d %s", r.Code, r.Body)
		}
		if r := decide(&rm, period, fmt.Sprintf(`"decision":"bridge_letter","bridge_document_id":%q`, doc.ID)); r.Code != 422 || r.problem().Errors[0].Field != "bridge_document_id" {
			t.Fatalf("report as bridge letter: %d %s", r.Code, r.Body)
		}
		letter, err := os.ReadFile("../app/soc2/testdata/dev-bridge-letter.txt")
		if err != nil {
			t.Fatal(err)
		}
		r = f.uploadForm(&rm, base, map[string]string{}, "bridge.txt", letter)
		if r.Code != 201 {
			t.Fatalf("bridge letter upload: %d %s", r.Code, r.Body)
		}
		bl := decode[evidenceResponse](t, r)
		if bl.Kind != "bridge_letter" || bl.Current.PeriodTo != "2026-03-02" {
			t.Fatalf("bridge letter: %+v", bl)
		}
		if r := f.call(&rm, "GET", base+"/"+bl.ID+"/versions/1/review-checklist", ""); r.Code != 404 {
			t.Fatalf("bridge letter has a checklist: %d", r.Code)
		}
		r = decide(&rm, period, fmt.Sprintf(`"decision":"bridge_letter","bridge_document_id":%q`, bl.ID))
		if r.Code != 200 {
			t.Fatalf("bridge: %d %s", r.Code, r.Body)
		}
		rv = decode[socReviewResponse](t, r)
		if p := socItem(t, rv, "period", ""); p.Decision != "bridge_letter" || p.BridgeDocument == nil || p.BridgeDocument.PeriodTo != "2026-03-02" {
			t.Fatalf("bridged: %+v", p)
		}

		// Complete: stale version 409; then the outcome, the acceptance, the score.
		if rv.Summary.Decided != 9 {
			t.Fatalf("decided %d", rv.Summary.Decided)
		}
		if r := f.call(&rm, "POST", path+"/complete", fmt.Sprintf(`{"version":%d}`, rv.Version-1)); r.Code != 409 {
			t.Fatalf("stale complete: %d %s", r.Code, r.Body)
		}
		if r := f.call(&auditor, "POST", path+"/complete", fmt.Sprintf(`{"version":%d}`, rv.Version)); r.Code != 403 {
			t.Fatalf("auditor completes: %d", r.Code)
		}
		r = f.call(&rm, "POST", path+"/complete", fmt.Sprintf(`{"version":%d}`, rv.Version))
		if r.Code != 200 {
			t.Fatalf("complete: %d %s", r.Code, r.Body)
		}
		done := decode[socReviewResponse](t, r)
		if done.Status != "completed" || done.Outcome != "findings" || done.ReportStatus != "accepted" || done.CompletedBy == nil {
			t.Fatalf("completed: %+v", done)
		}
		want := "SOC 2 review: qualified opinion accepted, period bridged by a bridge letter, 1 exception turned into a finding, 1 exception accepted, 1 carved-out organization flagged"
		if text, pts := socFactor(t, f, &rm, v.ID); text != want || pts != 4 {
			t.Fatalf("factor after: %q %d", text, pts)
		}
		if r := decide(&rm, socItem(t, done, "cuec", "obtaining consent"), `"decision":"not_applicable","reason":"late"`); r.Code != 422 {
			t.Fatalf("decide on a completed checklist: %d %s", r.Code, r.Body)
		}
		rep := decode[vendorReport](t, f.call(&auditor, "GET", "/api/v1/vendors/"+v.ID+"/report", ""))
		if rep.SOCReview == nil || rep.SOCReview.Outcome != "findings" || rep.SOCReview.Explanation != want || rep.SOCReview.DocumentID != doc.ID {
			t.Fatalf("report: %+v", rep.SOCReview)
		}

		// Another vendor's path, a missing version, a non-SOC document: 404.
		for _, p := range []string{
			"/api/v1/vendors/" + other.ID + "/evidence/" + doc.ID + "/versions/1/review-checklist",
			base + "/" + doc.ID + "/versions/2/review-checklist",
			base + "/" + doc.ID + "/versions/x/review-checklist",
		} {
			if r := f.call(&rm, "GET", p, ""); r.Code != 404 {
				t.Errorf("GET %s: %d", p, r.Code)
			}
		}
		if r := f.call(&rm, "PUT", "/api/v1/vendors/"+other.ID+"/evidence/"+doc.ID+"/versions/1/review-checklist/items/"+cc62.ID,
			`{"version":1,"decision":"accepted","reason":"x"}`); r.Code != 404 {
			t.Errorf("decide through another vendor: %d", r.Code)
		}

		var events int64
		db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND object_id = ?", "soc_review.decide", v.ID).Count(&events)
		if events != 9 {
			t.Fatalf("decide audit events %d", events)
		}
		if n := f.auditCount("soc_review.complete"); n != 1 {
			t.Fatalf("complete audit events %d", n)
		}
	})
}

// TestSOCReviewInput: hostile and incomplete input is refused by field;
// completing with undecided items is 422; an unqualified opinion passes.
func TestSOCReviewInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		rm := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&rm, "POST", "/api/v1/vendors", critVendor))
		text, err := os.ReadFile("../app/soc2/testdata/dev-aicpa-soc2-type2.txt")
		if err != nil {
			t.Fatal(err)
		}
		doc := decode[evidenceResponse](t, f.uploadForm(&rm, "/api/v1/vendors/"+v.ID+"/evidence", map[string]string{}, "soc2.txt", text))
		path := "/api/v1/vendors/" + v.ID + "/evidence/" + doc.ID + "/versions/1/review-checklist"
		rv := decode[socReviewResponse](t, f.call(&rm, "GET", path, ""))
		if r := f.call(&rm, "POST", path+"/complete", fmt.Sprintf(`{"version":%d}`, rv.Version)); r.Code != 422 || r.problem().Errors[0].Field != "items" {
			t.Fatalf("complete undecided: %d %s", r.Code, r.Body)
		}
		op := socItem(t, rv, "opinion", "")
		if op.Proposed != "pass" {
			t.Fatalf("unqualified opinion: %+v", op)
		}
		cuec := socItem(t, rv, "cuec", "")
		for name, c := range map[string]struct{ body, field string }{
			"html decision": {`"decision":"<b>mapped</b>"`, "decision"},
			"huge control":  {`"decision":"mapped","control_ref":"` + strings.Repeat("x", 201) + `"`, "control_ref"},
			"nul":           {`"decision":"not_applicable","reason":"a\u0000b"`, "reason"},
			"no user":       {`"decision":"mapped","owner_id":"nobody"`, "owner_id"},
			"bad decision":  {`"decision":"<script>"`, "decision"},
		} {
			r := f.call(&rm, "PUT", path+"/items/"+cuec.ID, fmt.Sprintf(`{"version":%d,%s}`, cuec.Version, c.body))
			if r.Code != 422 || r.problem().Errors[0].Field != c.field {
				t.Errorf("%s: %d %s", name, r.Code, r.Body)
			}
		}
		if r := f.call(&rm, "PUT", path+"/items/"+cuec.ID, `{"version":1,"decision":"not_applicable","reason":"a`+"\xff"+`b"}`); r.Code != 400 {
			t.Errorf("invalid UTF-8: %d %s", r.Code, r.Body)
		}
		if r := f.call(&rm, "PUT", path+"/items/"+cuec.ID, `{"version":1,"decision":"mapped","control_ref":"x","extra":1}`); r.Code != 400 && r.Code != 422 {
			t.Errorf("unknown field: %d %s", r.Code, r.Body)
		}
		if r := f.call(&rm, "PUT", path+"/items/"+cuec.ID, `{"version":99999999999999999999,"decision":"mapped","control_ref":"x"}`); r.Code != 400 && r.Code != 422 {
			t.Errorf("huge version: %d %s", r.Code, r.Body)
		}
		r := f.call(&rm, "PUT", path+"/items/"+op.ID, fmt.Sprintf(`{"version":%d,"decision":"pass"}`, op.Version))
		if r.Code != 200 || socItem(t, decode[socReviewResponse](t, r), "opinion", "").Decision != "pass" {
			t.Fatalf("pass unqualified: %d %s", r.Code, r.Body)
		}
	})
}
