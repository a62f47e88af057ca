package handlers

import (
	"context"
	"strings"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

const toolRequest = `{"title":"Figma for the brand team","vendor_name":"Figma","vendor_website":"https://www.figma.test","purpose":"Design reviews with agencies",
"departments":["Marketing"],"user_count":12,"data_types":["internal","personal_data"],"integration_methods":["sso"],"annual_cost":9000,"currency":"usd",
"needed_by":"2027-02-01","alternatives":"Sketch; Penpot"}`

func TestRequestLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		head, risk, legal := f.as(models.RoleRequester), f.as(models.RoleRiskManager), f.as(models.RoleLegal)

		r := f.call(&head, "POST", "/api/v1/requests", toolRequest)
		if r.Code != 201 {
			t.Fatalf("file: %d %s", r.Code, r.Body)
		}
		req := decode[requestDetail](t, r)
		if req.Status != "submitted" || req.Requester.ID != f.users[models.RoleRequester].ID || req.Currency != "USD" ||
			len(req.Timeline) != 1 || req.Timeline[0].Kind != "created" || strings.Join(req.NextStatuses, ",") != "withdrawn" {
			t.Fatalf("filed %+v", req)
		}
		path := "/api/v1/requests/" + req.ID
		for body, field := range map[string]string{
			`{"title":"","vendor_name":"X","purpose":"Y"}`:                                  "title",
			`{"title":"T","vendor_name":"X","purpose":"Y","needed_by":"next week"}`:         "needed_by",
			`{"title":"T","vendor_name":"X","purpose":"Y","data_types":["dna"]}`:            "data_types",
			`{"title":"T","vendor_name":"X","purpose":"Y","status":"approved"}`:             "status",
			`{"title":"T","vendor_name":"X","purpose":"Y","annual_cost":5}`:                 "currency",
			`{"title":"T","vendor_name":"X","purpose":"Y","vendor_website":"javascript:1"}`: "vendor_website",
		} {
			r := f.call(&head, "POST", "/api/v1/requests", body)
			if r.Code != 422 || r.problem().Errors[0].Field != field {
				t.Errorf("%s: %d %s, want 422 on %s", body, r.Code, r.Body, field)
			}
		}

		// Another requester cannot see it at all.
		other := &models.User{Email: "head2@corp.test", Name: "Other head", Role: models.RoleRequester, Active: true, PasswordHash: testHash()}
		if err := models.CreateUser(context.Background(), db.Gorm, other); err != nil {
			t.Fatal(err)
		}
		head2, _ := f.signIn("head2@corp.test", testPassword)
		for _, call := range [][3]string{{"GET", path, ""}, {"POST", path + "/comments", `{"body":"peek"}`}, {"POST", path + "/transition", `{"version":1,"to":"withdrawn"}`}} {
			if r := f.call(&head2, call[0], call[1], call[2]); r.Code != 404 || strings.Contains(r.Body.String(), "Figma") {
				t.Errorf("other requester %s %s: %d %s", call[0], call[1], r.Code, r.Body)
			}
		}
		if l := decode[listResponse[requestResponse]](t, f.call(&head2, "GET", "/api/v1/requests", "")); l.Total != 0 {
			t.Errorf("other requester lists %d requests", l.Total)
		}

		// The requester cannot triage; the risk manager can, assigns and asks a question.
		if r := f.call(&head, "POST", path+"/transition", `{"version":1,"to":"triage"}`); r.Code != 403 {
			t.Fatalf("requester triages: %d", r.Code)
		}
		if r := f.call(&head, "POST", path+"/assign", `{"version":1,"assignee_id":"`+f.users[models.RoleRiskManager].ID+`"}`); r.Code != 403 {
			t.Fatalf("requester assigns: %d", r.Code)
		}
		r = f.call(&risk, "POST", path+"/transition", `{"version":1,"to":"triage","comment":"Looking at it"}`)
		if r.Code != 200 || decode[requestDetail](t, r).Status != "triage" {
			t.Fatalf("triage: %d %s", r.Code, r.Body)
		}
		r = f.call(&risk, "POST", path+"/assign", `{"version":2,"assignee_id":"`+f.users[models.RoleRiskManager].ID+`"}`)
		if r.Code != 200 || decode[requestDetail](t, r).Assignee == nil {
			t.Fatalf("assign: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "POST", path+"/assign", `{"version":3,"assignee_id":"`+f.users[models.RoleRequester].ID+`"}`); r.Code != 422 {
			t.Fatalf("assign to a requester: %d", r.Code)
		}
		if r := f.call(&risk, "POST", path+"/comments", `{"body":"Will agencies upload customer data?"}`); r.Code != 201 {
			t.Fatalf("comment: %d", r.Code)
		}
		if r := f.call(&head, "POST", path+"/comments", `{"body":"No, only mock-ups."}`); r.Code != 201 {
			t.Fatalf("requester answers: %d", r.Code)
		}
		auditor := f.as(models.RoleAuditor)
		if r := f.call(&auditor, "POST", path+"/comments", `{"body":"audit"}`); r.Code != 403 {
			t.Fatalf("auditor comments: %d", r.Code)
		}
		if r := f.call(&auditor, "GET", path, ""); r.Code != 200 {
			t.Fatalf("auditor reads: %d", r.Code)
		}

		// Triage creates the vendor from the request.
		r = f.call(&risk, "POST", path+"/vendor", `{"version":3}`)
		if r.Code != 200 {
			t.Fatalf("create vendor: %d %s", r.Code, r.Body)
		}
		req = decode[requestDetail](t, r)
		if req.Vendor == nil || req.Vendor.Name != "Figma" || req.Vendor.Status != "proposed" {
			t.Fatalf("linked vendor %+v", req.Vendor)
		}
		vendor := decode[vendorResponse](t, f.call(&risk, "GET", "/api/v1/vendors/"+req.Vendor.ID, ""))
		if vendor.Domain != "figma.test" || vendor.InternalUsers != 12 || vendor.Department != "Marketing" || len(vendor.DataTypes) != 2 || vendor.Owner == nil {
			t.Fatalf("vendor prefilled from the request: %+v", vendor)
		}
		// A second request for the same vendor is stopped at the duplicate.
		r2 := decode[requestDetail](t, f.call(&head, "POST", "/api/v1/requests", toolRequest))
		if r := f.call(&risk, "POST", "/api/v1/requests/"+r2.ID+"/vendor", `{"version":1}`); r.Code != 409 || !strings.Contains(r.Body.String(), `"duplicates"`) {
			t.Fatalf("duplicate vendor from a request: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "POST", "/api/v1/requests/"+r2.ID+"/vendor", `{"version":1,"vendor_id":"`+vendor.ID+`"}`); r.Code != 200 {
			t.Fatalf("link existing vendor: %d %s", r.Code, r.Body)
		}

		// Legal review, then legal approves with conditions.
		if r := f.call(&risk, "POST", path+"/transition", `{"version":4,"to":"legal_review"}`); r.Code != 200 {
			t.Fatalf("to legal: %d %s", r.Code, r.Body)
		}
		if r := f.call(&legal, "POST", path+"/transition", `{"version":5,"to":"approved_with_conditions"}`); r.Code != 422 || r.problem().Errors[0].Field != "conditions" {
			t.Fatalf("conditions missing: %d %s", r.Code, r.Body)
		}
		if r := f.call(&legal, "POST", path+"/transition", `{"version":4,"to":"approved"}`); r.Code != 409 {
			t.Fatalf("stale decision: %d", r.Code)
		}
		r = f.call(&legal, "POST", path+"/transition", `{"version":5,"to":"approved_with_conditions","conditions":"SSO enforced; no customer data"}`)
		if r.Code != 200 {
			t.Fatalf("decide: %d %s", r.Code, r.Body)
		}

		// The approval moves the linked vendor from proposed to approved, audited as the decider.
		if v := decode[requestDetail](t, r).Vendor; v == nil || v.Status != "approved" {
			t.Fatalf("vendor after the approval, as the response shows it: %+v", v)
		}
		if v := decode[vendorResponse](t, f.call(&risk, "GET", "/api/v1/vendors/"+vendor.ID, "")); v.Status != "approved" {
			t.Fatalf("vendor status after the request's approval: %s", v.Status)
		}
		var ev models.AuditEvent
		if err := db.Gorm.Where("action = ? AND object_id = ?", "vendor.status_change", vendor.ID).First(&ev).Error; err != nil ||
			ev.ActorID != f.users[models.RoleLegal].ID || ev.AfterData == nil || !strings.Contains(*ev.AfterData, "approved") ||
			!strings.Contains(ev.Detail, "Figma for the brand team") {
			t.Fatalf("audit of the vendor's approval: %v %+v", err, ev)
		}

		// The requester sees the decision, its conditions and the timeline.
		req = decode[requestDetail](t, f.call(&head, "GET", path, ""))
		if req.Status != "approved_with_conditions" || req.Conditions != "SSO enforced; no customer data" || req.DecidedBy == nil ||
			req.DecidedBy.ID != f.users[models.RoleLegal].ID || req.DecidedAt == nil || len(req.NextStatuses) != 0 {
			t.Fatalf("decision as the requester sees it: %+v", req)
		}
		var kinds []string
		for _, e := range req.Timeline {
			kinds = append(kinds, e.Kind)
		}
		if strings.Join(kinds, ",") != "created,status,assigned,comment,comment,vendor_linked,status,status" {
			t.Fatalf("timeline %v", kinds)
		}
		if r := f.call(&head, "POST", path+"/transition", `{"version":6,"to":"withdrawn"}`); r.Code != 422 {
			t.Fatalf("withdraw after the decision: %d", r.Code)
		}
		if r := f.call(&head, "PATCH", path, `{"version":6,"title":"Changed"}`); r.Code != 422 {
			t.Fatalf("edit after the decision: %d", r.Code)
		}

		// The requester withdraws the second one; a reviewer cannot withdraw for them.
		if r := f.call(&risk, "POST", "/api/v1/requests/"+r2.ID+"/transition", `{"version":2,"to":"withdrawn"}`); r.Code != 403 {
			t.Fatalf("reviewer withdraws: %d", r.Code)
		}
		if r := f.call(&head, "POST", "/api/v1/requests/"+r2.ID+"/transition", `{"version":2,"to":"withdrawn"}`); r.Code != 200 {
			t.Fatalf("withdraw: %d %s", r.Code, r.Body)
		}

		counts := decode[requestCountsResponse](t, f.call(&risk, "GET", "/api/v1/requests/counts", ""))
		if counts.Total != 2 || counts.ByStatus["approved_with_conditions"] != 1 || counts.ByStatus["withdrawn"] != 1 {
			t.Fatalf("counts %+v", counts)
		}
		if l := decode[listResponse[requestResponse]](t, f.call(&risk, "GET", "/api/v1/requests?status=withdrawn&q=figma", "")); l.Total != 1 {
			t.Fatalf("filtered list: %d", l.Total)
		}
	})
}

func TestNobodyDecidesTheirOwnRequest(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		req := decode[requestDetail](t, f.call(&risk, "POST", "/api/v1/requests", toolRequest))
		path := "/api/v1/requests/" + req.ID
		if r := f.call(&risk, "POST", path+"/transition", `{"version":1,"to":"triage"}`); r.Code != 200 {
			t.Fatalf("triage own request: %d", r.Code)
		}
		for _, to := range []string{"approved", "approved_with_conditions", "rejected"} {
			r := f.call(&risk, "POST", path+"/transition", `{"version":2,"to":"`+to+`","conditions":"c"}`)
			if r.Code != 403 || !strings.Contains(r.problem().Detail, "own request") {
				t.Errorf("deciding own request (%s): %d %s", to, r.Code, r.Body)
			}
		}
		admin := f.as(models.RoleAdmin)
		if r := f.call(&admin, "POST", path+"/transition", `{"version":2,"to":"rejected","comment":"Duplicate of an existing tool"}`); r.Code != 200 {
			t.Fatalf("another reviewer decides: %d %s", r.Code, r.Body)
		}
	})
}

// A request approved for a vendor already in use must not set it back to
// approved; one linked after its approval still approves a proposed vendor.
func TestRequestApprovalLeavesLaterVendorStatuses(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		head, risk := f.as(models.RoleRequester), f.as(models.RoleRiskManager)
		decided := func(vendorID string, linkFirst bool) string {
			t.Helper()
			req := decode[requestDetail](t, f.call(&head, "POST", "/api/v1/requests", toolRequest))
			path, version := "/api/v1/requests/"+req.ID, int64(1)
			step := func(url, body string) {
				t.Helper()
				if r := f.call(&risk, "POST", url, body); r.Code != 200 {
					t.Fatalf("%s %s: %d %s", url, body, r.Code, r.Body)
				}
				version++
			}
			link := func() { step(path+"/vendor", `{"version":`+itoa64(version)+`,"vendor_id":"`+vendorID+`"}`) }
			step(path+"/transition", `{"version":1,"to":"triage"}`)
			if linkFirst {
				link()
			}
			step(path+"/transition", `{"version":`+itoa64(version)+`,"to":"approved"}`)
			if !linkFirst {
				link()
			}
			return decode[vendorResponse](t, f.call(&risk, "GET", "/api/v1/vendors/"+vendorID, "")).Status
		}
		active := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Active Co","category":"saas","status":"proposed"}`))
		for _, to := range []string{"in_review", "approved", "active"} {
			v := decode[vendorResponse](t, f.call(&risk, "GET", "/api/v1/vendors/"+active.ID, ""))
			if r := f.call(&risk, "PATCH", "/api/v1/vendors/"+active.ID, `{"version":`+itoa64(v.Version)+`,"status":"`+to+`"}`); r.Code != 200 {
				t.Fatalf("vendor to %s: %d %s", to, r.Code, r.Body)
			}
		}
		if got := decided(active.ID, true); got != "active" {
			t.Errorf("an active vendor after a request's approval: %s", got)
		}
		later := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Later Co","category":"saas"}`))
		if got := decided(later.ID, false); got != "approved" {
			t.Errorf("a proposed vendor linked to an approved request: %s", got)
		}
	})
}
