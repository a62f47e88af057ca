package handlers

import (
	"strings"
	"testing"
	"time"

	"rampart/app/auth"
	"rampart/models"
	"rampart/models/testdb"
)

func refusalEvents(t *testing.T, db *models.DB, action string) []models.AuditEvent {
	t.Helper()
	var events []models.AuditEvent
	if err := db.Gorm.Where("action = ?", action).Order("seq").Find(&events).Error; err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Outcome != models.OutcomeDenied || e.ClientIP == "" || e.RequestID == "" {
			t.Errorf("%s event without outcome denied, client address or request id: %+v", action, e)
		}
	}
	return events
}

// TestRefusalsAreAudited: CSRF failures, cross-site requests and missing
// sign-ins are recorded, and a flood of them writes one event a minute.
func TestRefusalsAreAudited(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		s := f.as(models.RoleLegal)

		// 1,000 forged requests with a wrong CSRF token: one event.
		for i := 0; i < 1000; i++ {
			if r := f.call(&s, "PATCH", "/api/v1/auth/me", `{"name":"Forged","version":1}`, "X-CSRF-Token", "forged"); r.Code != 403 {
				t.Fatalf("forged request: %d", r.Code)
			}
		}
		events := refusalEvents(t, db, auth.RefusedCSRF)
		if len(events) != 1 || events[0].ActorID != f.users[models.RoleLegal].ID || events[0].Detail != "PATCH /api/v1/auth/me: wrong X-CSRF-Token header" {
			t.Fatalf("after a flood of forged requests: %+v", events)
		}
		// A minute later the next one is recorded, with the count left out.
		f.clock.add(auth.RefusalWindow)
		f.call(&s, "PATCH", "/api/v1/auth/me", `{"name":"Forged","version":1}`, "X-CSRF-Token", "")
		events = refusalEvents(t, db, auth.RefusedCSRF)
		if len(events) != 2 || !strings.Contains(events[1].Detail, "no X-CSRF-Token header (and 999 more like it") {
			t.Fatalf("after a minute: %+v", events[1:])
		}

		// Cross-site requests, signed in or not.
		f.call(nil, "POST", "/api/v1/auth/login", `{"email":"admin@corp.test","password":"x"}`, "Origin", "https://evil.example")
		f.call(&s, "PATCH", "/api/v1/auth/me", `{"name":"X","version":1}`, "Sec-Fetch-Site", "cross-site")
		events = refusalEvents(t, db, auth.RefusedCrossOrigin)
		if len(events) != 2 || events[0].ActorType != models.ActorAnonymous || events[0].Detail != `POST /api/v1/auth/login: Origin "https://evil.example"` ||
			events[1].ActorID != f.users[models.RoleLegal].ID || events[1].Detail != "PATCH /api/v1/auth/me: Sec-Fetch-Site cross-site" {
			t.Fatalf("cross-site: %+v", events)
		}

		// Anonymous calls to protected routes; 1,000 of them, one event.
		// The web app's "am I signed in?" call is not a refusal.
		f.call(nil, "GET", "/api/v1/auth/me", "")
		for i := 0; i < 1000; i++ {
			if r := f.call(nil, "GET", "/api/v1/vendors", ""); r.Code != 401 {
				t.Fatalf("anonymous: %d", r.Code)
			}
		}
		events = refusalEvents(t, db, auth.RefusedUnauthenticated)
		if len(events) != 1 || events[0].Detail != "GET /api/v1/vendors" {
			t.Fatalf("unauthenticated: %+v", events)
		}
		f.clock.add(auth.RefusalWindow)
		f.call(nil, "GET", "/api/v1/vendors", "", "Authorization", "Bearer rmp_not-a-token")
		events = refusalEvents(t, db, auth.RefusedUnauthenticated)
		if len(events) != 2 || !strings.Contains(events[1].Detail, "unknown, expired or revoked API token (and 999 more") {
			t.Fatalf("bad token: %+v", events)
		}
		if res, err := models.VerifyAudit(t.Context(), db.Gorm); err != nil || !res.OK {
			t.Fatalf("chain: %+v %v", res, err)
		}
	})
}

func TestSelfApprovalRefusalsAreAudited(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)

		// A tool request the risk manager filed and then tries to approve.
		req := decode[requestDetail](t, f.call(&risk, "POST", "/api/v1/requests", toolRequest))
		path := "/api/v1/requests/" + req.ID + "/transition"
		if r := f.call(&risk, "POST", path, `{"version":1,"to":"triage"}`); r.Code != 200 {
			t.Fatalf("triage: %d %s", r.Code, r.Body)
		}
		if r := f.call(&risk, "POST", path, `{"version":2,"to":"approved"}`); r.Code != 403 {
			t.Fatalf("self-approval of a request: %d %s", r.Code, r.Body)
		}

		// An exception the risk manager requested and then tries to approve.
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Self Vendor","category":"saas","access_level":"read_only","criticality":"low"}`))
		fd := decode[findingResponse](t, f.call(&risk, "POST", "/api/v1/findings", `{"vendor_id":"`+v.ID+`","title":"No MFA","severity":"high"}`))
		expires := f.clock.now().AddDate(0, 1, 0).Format(time.DateOnly)
		ex := decode[exceptionResponse](t, f.call(&risk, "POST", "/api/v1/exceptions", `{"finding_id":"`+fd.ID+`","justification":"Compensated","compensating_controls":"IP allow-list","expires_on":"`+expires+`"}`))
		if r := f.call(&risk, "POST", "/api/v1/exceptions/"+ex.ID+"/decide", `{"version":1,"decision":"approve"}`); r.Code != 403 {
			t.Fatalf("self-approval of an exception: %d %s", r.Code, r.Body)
		}

		events := refusalEvents(t, db, auth.RefusedSelfApproval)
		if len(events) != 2 {
			t.Fatalf("self-approval events: %+v", events)
		}
		want := [][2]string{{"request", req.ID}, {"exception", ex.ID}}
		for i, e := range events {
			if e.ObjectType != want[i][0] || e.ObjectID != want[i][1] || e.ActorID != f.users[models.RoleRiskManager].ID || !strings.Contains(e.Detail, "own request") && !strings.Contains(e.Detail, "You requested") {
				t.Errorf("event %d: %+v", i, e)
			}
		}
	})
}
