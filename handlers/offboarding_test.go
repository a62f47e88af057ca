package handlers

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
)

func saveTerm(t *testing.T, ctx context.Context, db *models.DB, term *models.ContractTerm) {
	t.Helper()
	if err := models.SaveContractTerm(ctx, db.Gorm, term); err != nil {
		t.Fatal(err)
	}
}

// obItem finds the item of kind (and title prefix) in an offboarding.
func obItem(t *testing.T, ob offboardingResponse, kind, title string) offboardingItemDTO {
	t.Helper()
	for _, it := range ob.Items {
		if it.Kind == kind && strings.HasPrefix(it.Title, title) {
			return it
		}
	}
	t.Fatalf("no %s item %q in %+v", kind, title, ob.Items)
	return offboardingItemDTO{}
}

// TestOffboardingChecklist: starting offboarding builds the checklist from
// the vendor's integration methods and contracts (a confirmed
// data_return_deletion term dates its data return), steps are done,
// waived with a reason or complete themselves, sign-off is refused while
// a step is open and then terminates the vendor; a plain edit cannot
// terminate it meanwhile; every step is audited.
func TestOffboardingChecklist(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		risk, legal, aud := f.as(models.RoleRiskManager), f.as(models.RoleLegal), f.as(models.RoleAuditor)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Exit Co","category":"saas","status":"active","integration_methods":["sso","api"]}`))
		if v.Status != "active" {
			t.Fatalf("vendor status %q", v.Status)
		}
		path := "/api/v1/vendors/" + v.ID + "/offboarding"
		msa := decode[contractResponse](t, f.call(&legal, "POST", "/api/v1/contracts", `{"vendor_id":"`+v.ID+`","title":"Main MSA","type":"msa",
			"status":"signed","effective_date":"2026-01-15","initial_term_months":24,"auto_renewal":true,"renewal_term_months":12,"notice_period":30,"notice_unit":"days"}`))
		order := decode[contractResponse](t, f.call(&legal, "POST", "/api/v1/contracts", `{"vendor_id":"`+v.ID+`","title":"Order form","type":"order_form","status":"signed"}`))
		if msa.CancelBy == "" || msa.CurrentTermEnd == "" || order.ID == "" {
			t.Fatalf("contracts: %+v %+v", msa, order)
		}
		// Legal confirmed the MSA's deletion term: 30 days after the end.
		quote := "Vendor shall delete all Customer Data within thirty (30) days after termination of this Agreement."
		saveTerm(t, ctx, db, &models.ContractTerm{ContractID: msa.ID, TermKey: "data_return_deletion", Found: true, Value: "30 days",
			Normalized: `{"days":30}`, Evidence: `[{"quote":"` + quote + `","start":0,"end":10}]`, ExtractedFound: true, ExtractedValue: "30 days", ReviewState: "confirmed"})
		// The order form's term is only proposed: it dates nothing.
		saveTerm(t, ctx, db, &models.ContractTerm{ContractID: order.ID, TermKey: "data_return_deletion", Found: true, Value: "10 days",
			Normalized: `{"days":10}`, ExtractedFound: true, ExtractedValue: "10 days", ReviewState: "proposed"})

		// Never offboarded: 404. Only risk managers and admins start.
		if r := f.call(&aud, "GET", path, ""); r.Code != 404 {
			t.Fatalf("get before start: %d", r.Code)
		}
		for _, role := range []models.Role{models.RoleLegal, models.RoleAuditor, models.RoleRequester} {
			s := f.as(role)
			if r := f.call(&s, "POST", path, `{}`); r.Code != 403 {
				t.Fatalf("%s start: %d", role, r.Code)
			}
		}
		r := f.call(&risk, "POST", path, `{}`)
		if r.Code != 201 {
			t.Fatalf("start: %d %s", r.Code, r.Body)
		}
		ob := decode[offboardingResponse](t, r)
		kinds := []string{}
		for _, it := range ob.Items {
			kinds = append(kinds, it.Kind)
		}
		want := "revoke_access,revoke_access,data_return,destruction_certificate,contract_exit,contract_exit,close_findings,sign_off"
		if strings.Join(kinds, ",") != want || ob.Status != "open" || ob.PreviousStatus != "active" || ob.Done != 1 || ob.Total != 8 || ob.Ready {
			t.Fatalf("checklist: %s %+v", strings.Join(kinds, ","), ob)
		}
		end, _ := time.Parse(time.DateOnly, msa.CurrentTermEnd)
		due := end.AddDate(0, 0, 30).Format(time.DateOnly)
		dr := obItem(t, ob, "data_return", "Retrieve or delete our data: Main MSA")
		if dr.DueOn != due || dr.TermQuote != quote || dr.Flag != "" || *dr.ContractID != msa.ID || !strings.Contains(dr.DueRule, "30 days after the contract's end") {
			t.Fatalf("data return: %+v (want due %s)", dr, due)
		}
		if d := obItem(t, ob, "destruction_certificate", ""); d.DueOn != due {
			t.Fatalf("certificate due %q", d.DueOn)
		}
		if ce := obItem(t, ob, "contract_exit", "Terminate or let lapse: Main MSA"); ce.DueOn != msa.CancelBy || ce.Overdue {
			t.Fatalf("contract exit: %+v", ce)
		}
		if sso := obItem(t, ob, "revoke_access", "Revoke single sign-on"); sso.Status != "open" {
			t.Fatalf("sso: %+v", sso)
		}
		// No finding is open: that step is done by itself.
		if cf := obItem(t, ob, "close_findings", ""); cf.Status != "done" || !cf.Auto {
			t.Fatalf("close findings: %+v", cf)
		}
		vv := decode[vendorResponse](t, f.call(&aud, "GET", "/api/v1/vendors/"+v.ID, ""))
		if vv.Status != "offboarding" || vv.Offboarding == nil || vv.Offboarding.Status != "open" || vv.Offboarding.Total != 8 {
			t.Fatalf("vendor after start: %s %+v", vv.Status, vv.Offboarding)
		}
		// Starting twice is refused.
		if r := f.call(&risk, "POST", path, `{}`); r.Code != 422 || r.problem().Errors[0].Field != "status" {
			t.Fatalf("second start: %d %s", r.Code, r.Body)
		}
		// A plain edit may not terminate the vendor (nor leave offboarding).
		for _, st := range []string{"terminated", "active"} {
			r := f.call(&risk, "PATCH", "/api/v1/vendors/"+v.ID, fmt.Sprintf(`{"version":%d,"status":%q}`, vv.Version, st))
			if r.Code != 422 || r.problem().Errors[0].Field != "status" || (st == "terminated" && !strings.Contains(r.Body.String(), "finish the offboarding checklist")) {
				t.Fatalf("PATCH status %s: %d %s", st, r.Code, r.Body)
			}
		}

		// A finding opened now reopens the findings step.
		fd := decode[findingResponse](t, f.call(&risk, "POST", "/api/v1/findings", `{"vendor_id":"`+v.ID+`","title":"Shared admin account","severity":"low"}`))
		ob = decode[offboardingResponse](t, f.call(&aud, "GET", path, ""))
		cf := obItem(t, ob, "close_findings", "")
		if cf.Status != "open" || cf.OpenFindings != 1 {
			t.Fatalf("close findings with one open: %+v", cf)
		}
		itemPath := func(it offboardingItemDTO) string { return path + "/items/" + it.ID }
		if r := f.call(&risk, "PATCH", itemPath(cf), fmt.Sprintf(`{"version":%d,"status":"done"}`, cf.Version)); r.Code != 422 || r.problem().Errors[0].Field != "status" {
			t.Fatalf("done with a finding open: %d %s", r.Code, r.Body)
		}

		// Each field is checked, with its own message.
		cert := obItem(t, ob, "destruction_certificate", "")
		for _, tc := range []struct{ body, field string }{
			{fmt.Sprintf(`{"version":%d,"status":"waived"}`, cert.Version), "reason"},
			{fmt.Sprintf(`{"version":%d,"status":"waived","reason":"   "}`, cert.Version), "reason"},
			{fmt.Sprintf(`{"version":%d,"status":"finished"}`, cert.Version), "status"},
			{fmt.Sprintf(`{"version":%d,"status":"done"}`, cert.Version), "evidence_id"},
			{fmt.Sprintf(`{"version":%d,"evidence_id":"nope"}`, cert.Version), "evidence_id"},
			{fmt.Sprintf(`{"version":%d,"note":%q}`, cert.Version, strings.Repeat("x", 2001)), "note"},
			{fmt.Sprintf(`{"version":%d,"status":"done","done_by":"x"}`, cert.Version), "done_by"},
			{`{"status":"done"}`, "version"},
		} {
			r := f.call(&risk, "PATCH", itemPath(cert), tc.body)
			if r.Code != 422 || !strings.Contains(r.Body.String(), `"field":"`+tc.field+`"`) {
				t.Fatalf("%s: %d %s", tc.body[:min(len(tc.body), 80)], r.Code, r.Body)
			}
		}
		if r := f.call(&legal, "PATCH", itemPath(cert), fmt.Sprintf(`{"version":%d,"status":"waived","reason":"x"}`, cert.Version)); r.Code != 403 {
			t.Fatalf("legal waives: %d", r.Code)
		}
		// Waive with a reason; a stale version then answers 409 with the current checklist.
		reason := "Vendor held only anonymised test data; deletion confirmed by email"
		r = f.call(&risk, "PATCH", itemPath(cert), fmt.Sprintf(`{"version":%d,"status":"waived","reason":%q}`, cert.Version, reason))
		if r.Code != 200 {
			t.Fatalf("waive: %d %s", r.Code, r.Body)
		}
		ob = decode[offboardingResponse](t, r)
		if c := obItem(t, ob, "destruction_certificate", ""); c.Status != "waived" || c.WaivedReason != reason || c.DoneBy == nil || c.Version != cert.Version+1 {
			t.Fatalf("waived: %+v", c)
		}
		r = f.call(&risk, "PATCH", itemPath(cert), fmt.Sprintf(`{"version":%d,"status":"open"}`, cert.Version))
		if r.Code != 409 || !strings.Contains(r.Body.String(), reason) {
			t.Fatalf("stale: %d %s", r.Code, r.Body)
		}

		// Sign-off is refused while steps are open, naming them.
		r = f.call(&risk, "POST", path+"/sign-off", fmt.Sprintf(`{"version":%d}`, ob.Version))
		if r.Code != 422 || r.problem().Errors[0].Field != "items" || !strings.Contains(r.Body.String(), "Revoke single sign-on access") {
			t.Fatalf("early sign-off: %d %s", r.Code, r.Body)
		}
		// Work the list: revoke, return data, end the MSA by hand (notice
		// sent), terminate the order form (its step completes itself),
		// resolve the finding.
		for _, it := range ob.Items {
			if it.Kind == "revoke_access" || it.Kind == "data_return" || strings.HasPrefix(it.Title, "Terminate or let lapse: Main MSA") {
				r := f.call(&risk, "PATCH", itemPath(it), fmt.Sprintf(`{"version":%d,"status":"done","note":"done on the call"}`, it.Version))
				if r.Code != 200 {
					t.Fatalf("done %s: %d %s", it.Title, r.Code, r.Body)
				}
			}
		}
		if r := f.call(&legal, "PATCH", "/api/v1/contracts/"+order.ID, fmt.Sprintf(`{"version":%d,"status":"terminated"}`, order.Version)); r.Code != 200 {
			t.Fatalf("terminate order form: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "PATCH", "/api/v1/findings/"+fd.ID, fmt.Sprintf(`{"version":%d,"status":"resolved"}`, fd.Version)); r.Code != 200 {
			t.Fatalf("resolve finding: %d %s", r.Code, r.Body)
		}
		ob = decode[offboardingResponse](t, f.call(&aud, "GET", path, ""))
		if !ob.Ready || ob.Done != 7 || len(ob.Blocking) != 0 || !obItem(t, ob, "contract_exit", "Terminate or let lapse: Order form").Auto {
			t.Fatalf("ready: %+v", ob)
		}
		if r := f.call(&aud, "POST", path+"/sign-off", fmt.Sprintf(`{"version":%d}`, ob.Version)); r.Code != 403 {
			t.Fatalf("auditor signs off: %d", r.Code)
		}
		if r := f.call(&risk, "POST", path+"/sign-off", `{"version":99}`); r.Code != 409 {
			t.Fatalf("stale sign-off: %d %s", r.Code, r.Body)
		}
		r = f.call(&risk, "POST", path+"/sign-off", fmt.Sprintf(`{"version":%d}`, ob.Version))
		if r.Code != 200 {
			t.Fatalf("sign-off: %d %s", r.Code, r.Body)
		}
		ob = decode[offboardingResponse](t, r)
		if ob.Status != "completed" || ob.SignedOffBy == nil || ob.Done != 8 || ob.Ready {
			t.Fatalf("signed off: %+v", ob)
		}
		vv = decode[vendorResponse](t, f.call(&aud, "GET", "/api/v1/vendors/"+v.ID, ""))
		if vv.Status != "terminated" || vv.Offboarding.Status != "completed" {
			t.Fatalf("vendor after sign-off: %s %+v", vv.Status, vv.Offboarding)
		}
		// A completed checklist no longer changes.
		if r := f.call(&risk, "PATCH", itemPath(cert), fmt.Sprintf(`{"version":%d,"status":"open"}`, cert.Version+1)); r.Code != 422 {
			t.Fatalf("edit after sign-off: %d %s", r.Code, r.Body)
		}

		// Audited: the start, the waiver with its reason, the sign-off, and
		// the vendor's status change to terminated (what webhooks map).
		for action, frag := range map[string]string{
			"offboarding.start": `"previous_status":"active"`, "offboarding.item_waive": reason, "offboarding.item_complete": "done on the call",
			"offboarding.sign_off": `"vendor_status":"terminated"`, "vendor.status_change": `"status":"terminated"`,
		} {
			var evs []models.AuditEvent
			if err := db.Gorm.Where("action = ? AND object_type = ? AND object_id = ?", action, "vendor", v.ID).Find(&evs).Error; err != nil {
				t.Fatal(err)
			}
			found := false
			for _, ev := range evs {
				found = found || (ev.AfterData != nil && strings.Contains(*ev.AfterData, frag))
			}
			if !found {
				t.Errorf("no %s event with %s: %+v", action, frag, evs)
			}
		}
	})
}

// TestOffboardingWithoutRecordAndCancel: a vendor with no integration
// method and no contract gets the generic steps (its data return flagged
// no confirmed term); cancelling returns it to its earlier status, and a
// vendor that was never approved cannot be offboarded.
func TestOffboardingWithoutRecordAndCancel(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk, aud := f.as(models.RoleRiskManager), f.as(models.RoleAuditor)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Bare Co","category":"saas","status":"approved"}`))
		path := "/api/v1/vendors/" + v.ID + "/offboarding"
		r := f.call(&risk, "POST", path, `{}`)
		if r.Code != 201 {
			t.Fatalf("start: %d %s", r.Code, r.Body)
		}
		ob := decode[offboardingResponse](t, r)
		kinds := []string{}
		for _, it := range ob.Items {
			kinds = append(kinds, it.Kind)
		}
		if strings.Join(kinds, ",") != "revoke_access,data_return,destruction_certificate,close_findings,sign_off" {
			t.Fatalf("generic checklist: %v", kinds)
		}
		if dr := obItem(t, ob, "data_return", ""); dr.Flag != "no_confirmed_term" || dr.DueOn != "" || dr.ContractID != nil {
			t.Fatalf("generic data return: %+v", dr)
		}
		if r := f.call(&aud, "POST", path+"/cancel", fmt.Sprintf(`{"version":%d}`, ob.Version)); r.Code != 403 {
			t.Fatalf("auditor cancels: %d", r.Code)
		}
		r = f.call(&risk, "POST", path+"/cancel", fmt.Sprintf(`{"version":%d}`, ob.Version))
		if r.Code != 200 || decode[offboardingResponse](t, r).Status != "cancelled" {
			t.Fatalf("cancel: %d %s", r.Code, r.Body)
		}
		vv := decode[vendorResponse](t, f.call(&aud, "GET", "/api/v1/vendors/"+v.ID, ""))
		if vv.Status != "approved" || vv.Offboarding.Status != "cancelled" {
			t.Fatalf("after cancel: %s %+v", vv.Status, vv.Offboarding)
		}
		if r := f.call(&risk, "POST", path+"/cancel", fmt.Sprintf(`{"version":%d}`, ob.Version+1)); r.Code != 422 {
			t.Fatalf("cancel twice: %d %s", r.Code, r.Body)
		}
		var n int64
		db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND object_id = ?", "offboarding.cancel", v.ID).Count(&n)
		if n != 1 {
			t.Fatalf("cancel audited %d times", n)
		}
		// Without an open checklist, the lifecycle alone decides: an
		// approved vendor may move to terminated only through offboarding.
		// A second offboarding may start after a cancelled one.
		if r := f.call(&risk, "POST", path, `{}`); r.Code != 201 {
			t.Fatalf("restart: %d %s", r.Code, r.Body)
		}
		p := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Proposed Co","category":"saas"}`))
		if r := f.call(&risk, "POST", "/api/v1/vendors/"+p.ID+"/offboarding", `{}`); r.Code != 422 || r.problem().Errors[0].Field != "status" {
			t.Fatalf("offboard a proposed vendor: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "POST", "/api/v1/vendors/nope/offboarding", `{}`); r.Code != 404 {
			t.Fatalf("unknown vendor: %d", r.Code)
		}
	})
}
