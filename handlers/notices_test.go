package handlers

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"rampart/app/notify"
	riskmodel "rampart/app/risk"
	"rampart/models"
	"rampart/models/testdb"
)

// noticesOf returns a person's notices of one kind, oldest first.
func (f *fixture) noticesOf(role models.Role, kind string) []models.Notification {
	f.t.Helper()
	var out []models.Notification
	if err := f.db.Gorm.Where("user_id = ? AND kind = ?", f.users[role].ID, kind).Order("created_at, id").Find(&out).Error; err != nil {
		f.t.Fatal(err)
	}
	return out
}

// A request tells whoever acts at each stage, and its requester of the
// decision; nobody hears of their own move.
func TestRequestNoticesReachWhoActs(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		head, risk, legal := f.as(models.RoleRequester), f.as(models.RoleRiskManager), f.as(models.RoleLegal)
		req := decode[requestDetail](t, f.call(&head, "POST", "/api/v1/requests", toolRequest))
		path := "/api/v1/requests/" + req.ID
		if got := f.noticesOf(models.RoleRiskManager, "request.awaiting"); len(got) != 1 || got[0].Link != "/requests/"+req.ID ||
			!strings.Contains(got[0].Body, "waiting for triage") {
			t.Fatalf("the risk manager was told %+v", got)
		}
		if got := f.noticesOf(models.RoleAdmin, "request.awaiting"); len(got) != 0 {
			t.Errorf("an administrator was told while a risk manager can act: %+v", got)
		}
		if r := f.call(&risk, "POST", path+"/transition", `{"version":1,"to":"triage"}`); r.Code != 200 {
			t.Fatalf("triage: %d %s", r.Code, r.Body)
		}
		if got := f.noticesOf(models.RoleRiskManager, "request.awaiting"); len(got) != 1 {
			t.Errorf("the risk manager was told of their own move: %+v", got)
		}
		if r := f.call(&risk, "POST", path+"/transition", `{"version":2,"to":"legal_review"}`); r.Code != 200 {
			t.Fatalf("to legal: %d %s", r.Code, r.Body)
		}
		if got := f.noticesOf(models.RoleLegal, "request.awaiting"); len(got) != 1 || !strings.Contains(got[0].Body, "legal review") {
			t.Fatalf("legal was told %+v", got)
		}
		if r := f.call(&legal, "POST", path+"/transition", `{"version":3,"to":"approved_with_conditions","conditions":"SSO only"}`); r.Code != 200 {
			t.Fatalf("decide: %d %s", r.Code, r.Body)
		}
		got := f.noticesOf(models.RoleRequester, "request.decided")
		if len(got) != 1 || !strings.Contains(got[0].Title, "approved with conditions") || !strings.Contains(got[0].Body, "SSO only") {
			t.Fatalf("the requester was told %+v", got)
		}
		if n := len(f.noticesOf(models.RoleRequester, "request.awaiting")); n != 0 {
			t.Errorf("the requester was told to act %d times", n)
		}
	})
}

// A finding's owner hears when someone else gives it to them, once per
// assignment, and not when they take it themselves.
func TestFindingAssignedThroughTheAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk, legal := f.as(models.RoleRiskManager), f.as(models.RoleLegal)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Assign Vendor","category":"saas"}`))
		r := f.call(&risk, "POST", "/api/v1/findings", fmt.Sprintf(`{"vendor_id":%q,"title":"Backups never restored","severity":"high","owner_id":%q,"due_date":"2027-03-01"}`,
			v.ID, f.users[models.RoleLegal].ID))
		if r.Code != 201 {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		fd := decode[findingResponse](t, r)
		got := f.noticesOf(models.RoleLegal, "finding.assigned")
		if len(got) != 1 || got[0].Link != "/findings/"+fd.ID || !strings.Contains(got[0].Body, "2027-03-01") {
			t.Fatalf("the owner was told %+v", got)
		}
		// Legal hands it to the administrator, then takes it back itself.
		fd = decode[findingResponse](t, f.call(&legal, "PATCH", "/api/v1/findings/"+fd.ID, fmt.Sprintf(`{"version":%d,"owner_id":%q}`, fd.Version, f.users[models.RoleAdmin].ID)))
		if got := f.noticesOf(models.RoleAdmin, "finding.assigned"); len(got) != 1 || !strings.Contains(got[0].Body, "The legal made you the owner") {
			t.Fatalf("the new owner was told %+v", got)
		}
		f.call(&legal, "PATCH", "/api/v1/findings/"+fd.ID, fmt.Sprintf(`{"version":%d,"owner_id":%q}`, fd.Version, f.users[models.RoleLegal].ID))
		f.call(&legal, "PATCH", "/api/v1/findings/"+fd.ID, fmt.Sprintf(`{"version":%d,"title":"Backups never restored (all regions)"}`, fd.Version+1))
		if got := f.noticesOf(models.RoleLegal, "finding.assigned"); len(got) != 1 {
			t.Errorf("taking a finding back, or editing it, told its owner again: %+v", got)
		}
	})
}

// outbox returns the queued mail to addr by kind.
func (f *fixture) outbox(addr string) map[string][]models.MailMessage {
	f.t.Helper()
	var rows []models.MailMessage
	if err := f.db.Gorm.Where("to_email = ?", addr).Order("created_at, id").Find(&rows).Error; err != nil {
		f.t.Fatal(err)
	}
	out := map[string][]models.MailMessage{}
	for _, m := range rows {
		out[m.Kind] = append(out[m.Kind], m)
	}
	return out
}

// Follow-up questions go to the contact in the invitation's thread without
// the link; a link replaced by one for another contact, or revoked, is
// announced to the contact who held it.
func TestFollowUpAndRevokedLinkMailTheContact(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db, func(d *Deps) {
			d.Notify = &notify.Notifier{Mode: notify.MailOn, BaseURL: d.BaseURL, OrgName: "Corp"}
		})
		tpl := testTemplate(t, db)
		risk := f.as(models.RoleRiskManager)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Following Vendor","category":"saas"}`))
		a := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tpl.ID+`","contact_email":"sec@fv.test"}`))
		sent := decode[sendResponse](t, f.call(&risk, "POST", "/api/v1/assessments/"+a.ID+"/send", `{"version":1}`))
		portal := "/api/v1/portal/" + sent.PortalURL[strings.LastIndex(sent.PortalURL, "/")+1:]
		f.call(nil, "PUT", portal+"/answers/IAM-01", `{"value":"yes"}`)
		f.call(nil, "PUT", portal+"/answers/IAM-02", `{"value":"all"}`)
		if r := f.call(nil, "POST", portal+"/submit", ""); r.Code != 200 {
			t.Fatalf("submit: %d %s", r.Code, r.Body)
		}
		path := "/api/v1/assessments/" + a.ID
		f.call(&risk, "PUT", path+"/answers/IAM-02/review", `{"status":"follow_up","comment":"Show us the access policy."}`)
		det := decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		if r := f.call(&risk, "POST", path+"/transition", `{"version":`+itoa64(det.Version)+`,"action":"follow_up"}`); r.Code != 200 {
			t.Fatalf("send follow-ups: %d %s", r.Code, r.Body)
		}
		first := f.outbox("sec@fv.test")
		if len(first["vendor.invitation"]) != 1 || len(first["vendor.follow_up"]) != 1 {
			t.Fatalf("the contact's mail: %+v", first)
		}
		inv, fu := first["vendor.invitation"][0], first["vendor.follow_up"][0]
		if fu.ThreadID != inv.MessageID || fu.ReplyTo == "" || !strings.Contains(fu.ReplyTo, f.users[models.RoleRiskManager].Email) ||
			!strings.Contains(fu.TextBody, "IAM-02: Show us the access policy.") || strings.Contains(fu.TextBody, "/portal/") || !strings.Contains(fu.Subject, "Corp") {
			t.Fatalf("follow-up mail %+v", fu)
		}

		// A new link for another contact: the old one is told, the new one invited.
		det = decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		if r := f.call(&risk, "POST", path+"/send", `{"version":`+itoa64(det.Version)+`,"contact_email":"ciso@fv.test"}`); r.Code != 200 {
			t.Fatalf("send anew: %d %s", r.Code, r.Body)
		}
		old := f.outbox("sec@fv.test")["vendor.link_revoked"]
		if len(old) != 1 || !strings.Contains(old[0].TextBody, "no longer works") || old[0].ThreadID != inv.MessageID {
			t.Fatalf("the old contact was told %+v", old)
		}
		newInv := f.outbox("ciso@fv.test")["vendor.invitation"]
		if len(newInv) != 1 || newInv[0].MessageID == inv.MessageID || newInv[0].MessageID != newInv[0].ThreadID {
			t.Fatalf("the new contact's invitation %+v", newInv)
		}
		// The same contact again: the new invitation says so, no separate notice.
		det = decode[assessmentDetail](t, f.call(&risk, "GET", path, ""))
		f.call(&risk, "POST", path+"/send", `{"version":`+itoa64(det.Version)+`,"contact_email":"ciso@fv.test"}`)
		again := f.outbox("ciso@fv.test")
		if len(again["vendor.invitation"]) != 2 || len(again["vendor.link_revoked"]) != 0 ||
			!strings.Contains(again["vendor.invitation"][1].TextBody, "A new link was sent") {
			t.Fatalf("re-sent to the same contact: %+v", again)
		}
		if r := f.call(&risk, "POST", path+"/revoke-link", ""); r.Code >= 300 {
			t.Fatalf("revoke: %d %s", r.Code, r.Body)
		}
		if got := f.outbox("ciso@fv.test")["vendor.link_revoked"]; len(got) != 1 || !strings.Contains(got[0].TextBody, "ask for a new link") {
			t.Fatalf("revoked: %+v", got)
		}
	})
}

// The per-tier reassessment setting goes through the risk model endpoints
// and is checked.
func TestRiskModelTierReassessmentSetting(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		admin := f.as(models.RoleAdmin)
		cur := decode[riskModelResponse](t, f.call(&admin, "GET", "/api/v1/settings/risk-model", ""))
		m := *cur.Model
		m.Tiers = append([]riskmodel.Tier(nil), m.Tiers...)
		m.Tiers[3].Reassessment = "sometimes"
		m.Tiers[2].LeadDays = 400
		body, _ := json.Marshal(m)
		r := f.call(&admin, "POST", "/api/v1/settings/risk-model", withNote(body, "Start low-tier reviews by themselves"))
		if r.Code != 422 {
			t.Fatalf("bad setting: %d %s", r.Code, r.Body)
		}
		fields := map[string]bool{}
		for _, e := range r.problem().Errors {
			fields[e.Field] = true
		}
		if !fields["tiers[3].reassessment"] || !fields["tiers[2].lead_days"] {
			t.Fatalf("errors name %v", fields)
		}
		m.Tiers[3].Reassessment, m.Tiers[3].LeadDays, m.Tiers[2].LeadDays = riskmodel.ReassessStart, 45, 0
		body, _ = json.Marshal(m)
		if r := f.call(&admin, "POST", "/api/v1/settings/risk-model", withNote(body, "Start low-tier reviews by themselves")); r.Code != 200 {
			t.Fatalf("publish: %d %s", r.Code, r.Body)
		}
		got := decode[riskModelResponse](t, f.call(&admin, "GET", "/api/v1/settings/risk-model", ""))
		if t4 := got.Model.Tiers[3]; !t4.StartsReassessment() || t4.Lead() != 45 || got.Model.Tiers[0].StartsReassessment() || got.Model.Tiers[0].Lead() != riskmodel.DefaultLeadDays {
			t.Fatalf("the model in force has tiers %+v", got.Model.Tiers)
		}
	})
}
