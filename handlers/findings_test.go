package handlers

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"rampart/app/findings"
	"rampart/models"
	"rampart/models/testdb"
	"rampart/seeds"
)

func TestFindingsExceptionsAndRescoring(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		admin := f.as(models.RoleAdmin)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Findings Vendor","category":"saas","access_level":"read_only","criticality":"low"}`))
		residual := func() int64 {
			return decode[riskResponse](t, f.call(&risk, "GET", "/api/v1/vendors/"+v.ID+"/risk", "")).ResidualScore
		}
		base := residual() // 6

		r := f.call(&risk, "POST", "/api/v1/findings", `{"vendor_id":"`+v.ID+`","title":"No MFA for support staff","severity":"high"}`)
		if r.Code != 201 {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		fd := decode[findingResponse](t, r)
		wantDue := f.clock.now().AddDate(0, 0, 60).Format(time.DateOnly)
		if fd.Status != "open" || fd.DueDate != wantDue || fd.Overdue {
			t.Fatalf("finding %+v (due want %s)", fd, wantDue)
		}
		if got := residual(); got != base+8 {
			t.Fatalf("residual with a high finding: %d, want %d", got, base+8)
		}
		hist := decode[riskResponse](t, f.call(&risk, "GET", "/api/v1/vendors/"+v.ID+"/risk", "")).History
		if hist[0].Cause != "finding_opened" || !strings.Contains(strings.Join(hist[0].Changes, "|"), "Open findings changed from none to 1 high: +8") {
			t.Fatalf("history %+v", hist[0])
		}
		for body, field := range map[string]string{
			`{"vendor_id":"` + v.ID + `","title":"x","severity":"urgent"}`:                    "severity",
			`{"vendor_id":"nope","title":"x","severity":"low"}`:                               "vendor_id",
			`{"vendor_id":"` + v.ID + `","title":"x","severity":"low","due_date":"tomorrow"}`: "due_date",
		} {
			if r := f.call(&risk, "POST", "/api/v1/findings", body); r.Code != 422 || r.problem().Errors[0].Field != field {
				t.Errorf("%s: %d %s", body, r.Code, r.Body)
			}
		}
		head := f.as(models.RoleRequester)
		if r := f.call(&head, "GET", "/api/v1/findings", ""); r.Code != 403 {
			t.Errorf("requester lists findings: %d", r.Code)
		}

		// Overdue once past the due date.
		f.clock.add(61 * 24 * time.Hour)
		risk, admin = f.as(models.RoleRiskManager), f.as(models.RoleAdmin)
		if l := decode[listResponse[findingResponse]](t, f.call(&risk, "GET", "/api/v1/findings?overdue=true", "")); l.Total != 1 || !l.Items[0].Overdue {
			t.Fatalf("overdue list %+v", l)
		}

		// Exception: the requester cannot approve it; another admin can; it expires.
		expires := f.clock.now().AddDate(0, 1, 0).Format(time.DateOnly)
		r = f.call(&risk, "POST", "/api/v1/exceptions", `{"finding_id":"`+fd.ID+`","justification":"Compensated by IP allow-listing","compensating_controls":"IP allow-list","expires_on":"`+expires+`"}`)
		if r.Code != 201 {
			t.Fatalf("request exception: %d %s", r.Code, r.Body)
		}
		ex := decode[exceptionResponse](t, r)
		if r := f.call(&risk, "POST", "/api/v1/exceptions/"+ex.ID+"/decide", `{"version":1,"decision":"approve"}`); r.Code != 403 {
			t.Fatalf("requester approves own exception: %d", r.Code)
		}
		legal := f.as(models.RoleLegal)
		if r := f.call(&legal, "POST", "/api/v1/exceptions/"+ex.ID+"/decide", `{"version":1,"decision":"approve"}`); r.Code != 403 {
			t.Fatalf("legal approves: %d", r.Code)
		}
		if r := f.call(&admin, "POST", "/api/v1/exceptions/"+ex.ID+"/decide", `{"version":1,"decision":"approve"}`); r.Code != 200 {
			t.Fatalf("admin approves: %d %s", r.Code, r.Body)
		}
		if got := decode[findingResponse](t, f.call(&risk, "GET", "/api/v1/findings/"+fd.ID, "")); got.Status != "risk_accepted" || residual() != base {
			t.Fatalf("after acceptance: %s, residual %d", got.Status, residual())
		}
		f.clock.add(40 * 24 * time.Hour)
		n, err := (&findings.Service{DB: db.Gorm, Now: f.clock.now}).ExpireExceptions(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("expire: %d %v", n, err)
		}
		risk = f.as(models.RoleRiskManager)
		got := decode[findingResponse](t, f.call(&risk, "GET", "/api/v1/findings/"+fd.ID, ""))
		if got.Status != "open" || residual() != base+8 {
			t.Fatalf("after expiry: %s, residual %d", got.Status, residual())
		}
		if n, _ := (&findings.Service{DB: db.Gorm, Now: f.clock.now}).ExpireExceptions(context.Background()); n != 0 {
			t.Fatalf("second expiry run changed %d", n)
		}
		// Resolving closes it.
		r = f.call(&risk, "PATCH", "/api/v1/findings/"+fd.ID, `{"version":`+itoa64(got.Version)+`,"status":"resolved"}`)
		if r.Code != 200 || decode[findingResponse](t, r).ResolvedAt == nil || residual() != base {
			t.Fatalf("resolve: %d %s (residual %d)", r.Code, r.Body, residual())
		}
		if r := f.call(&risk, "PATCH", "/api/v1/findings/"+fd.ID, `{"version":1,"status":"open"}`); r.Code != 409 {
			t.Fatalf("stale edit: %d", r.Code)
		}
	})
}

func TestReviewFindingRaisesOneFinding(t *testing.T) {
	f := newFixture(t, testdb.Open(t, models.SQLite))
	tpl := testTemplate(t, f.db)
	risk := f.as(models.RoleRiskManager)
	v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Reviewed","category":"saas"}`))
	a := decode[assessmentDetail](t, f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+v.ID+`","template_id":"`+tpl.ID+`","contact_email":"x@y.test"}`))
	s := decode[sendResponse](t, f.call(&risk, "POST", "/api/v1/assessments/"+a.ID+"/send", `{"version":1}`))
	portal := "/api/v1/portal/" + s.PortalURL[strings.LastIndex(s.PortalURL, "/")+1:]
	f.call(nil, "PUT", portal+"/answers/IAM-01", `{"value":"no"}`)
	f.call(nil, "POST", portal+"/submit", "")
	for i := 0; i < 2; i++ {
		if r := f.call(&risk, "PUT", "/api/v1/assessments/"+a.ID+"/answers/IAM-01/review", `{"status":"finding","comment":"MFA missing"}`); r.Code != 200 {
			t.Fatalf("mark finding: %d %s", r.Code, r.Body)
		}
	}
	l := decode[listResponse[findingResponse]](t, f.call(&risk, "GET", "/api/v1/findings?vendor_id="+v.ID, ""))
	if l.Total != 1 || l.Items[0].Source != "assessment" || l.Items[0].QuestionKey != "IAM-01" || *l.Items[0].AssessmentID != a.ID {
		t.Fatalf("findings from review: %+v", l)
	}
}

func TestVendorReportGathersEverything(t *testing.T) {
	db := testdb.Open(t, models.SQLite)
	if _, err := seeds.Demo(context.Background(), db.Gorm); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, db)
	db.Gorm.Model(&models.User{}).Where("email = ?", "risk@example.com").Update("password_hash", testHash())
	s, _ := f.signIn("risk@example.com", testPassword)
	var a models.Assessment
	db.Gorm.Where("status = ?", "completed").First(&a)
	r := f.call(&s, "GET", "/api/v1/vendors/"+a.VendorID+"/report", "")
	rep := decode[vendorReport](t, r)
	if r.Code != 200 || rep.Vendor.ID != a.VendorID || rep.Risk.TierName == "" || len(rep.Risk.Factors.Inherent) == 0 || rep.Assessment == nil || rep.Sections == nil {
		t.Fatalf("report: %d %+v", r.Code, rep)
	}
	if rep.GeneratedAt.IsZero() || rep.Risk.LikelihoodLabel == "" || rep.Risk.ImpactLabel == "" {
		t.Fatalf("report date and matrix labels: %v %q %q", rep.GeneratedAt, rep.Risk.LikelihoodLabel, rep.Risk.ImpactLabel)
	}
	for _, fc := range rep.Risk.Factors.Inherent {
		if fc.Key == "access_level" && (fc.Text == "" || strings.Contains(fc.Text, "_")) {
			t.Fatalf("access factor in words: %+v", fc)
		}
	}
	// The demo's approved exception shows on its vendor's report, named.
	l := decode[listResponse[exceptionResponse]](t, f.call(&s, "GET", "/api/v1/exceptions?status=approved", ""))
	if l.Total != 1 || l.Items[0].ApproverName == "" || l.Items[0].FindingTitle == "" {
		t.Fatalf("exceptions: %+v", l)
	}
	rep = decode[vendorReport](t, f.call(&s, "GET", "/api/v1/vendors/"+l.Items[0].VendorID+"/report", ""))
	if len(rep.Exceptions) != 1 || rep.Exceptions[0].ID != l.Items[0].ID || rep.Exceptions[0].FindingTitle != l.Items[0].FindingTitle {
		t.Fatalf("report exceptions: %+v", rep.Exceptions)
	}
}

// TestExceptionsQueue: the queue pages on the server without gaps or
// repeats, filters by status and vendor, names the finding, vendor and
// requester, and only risk managers and admins hold the right to decide.
func TestExceptionsQueue(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk, admin := f.as(models.RoleRiskManager), f.as(models.RoleAdmin)
		var ids []string
		vendors := map[string]string{}
		for i := range 5 {
			v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", fmt.Sprintf(`{"name":"Queue %d","category":"saas","confirm_duplicate":true}`, i)))
			fd := decode[findingResponse](t, f.call(&risk, "POST", "/api/v1/findings", `{"vendor_id":"`+v.ID+`","title":"<b>Gap</b> `+itoa64(int64(i))+`","severity":"medium"}`))
			expires := f.clock.now().AddDate(0, 0, 10+i).Format(time.DateOnly)
			ex := decode[exceptionResponse](t, f.call(&risk, "POST", "/api/v1/exceptions", `{"finding_id":"`+fd.ID+`","justification":"Because","expires_on":"`+expires+`"}`))
			ids = append(ids, ex.ID)
			vendors[ex.ID] = v.ID
			f.clock.add(time.Minute)
		}
		// Approve two.
		for _, id := range ids[:2] {
			if r := f.call(&admin, "POST", "/api/v1/exceptions/"+id+"/decide", `{"version":1,"decision":"approve"}`); r.Code != 200 {
				t.Fatalf("approve: %d %s", r.Code, r.Body)
			}
		}
		seen := map[string]bool{}
		cursor := ""
		for pages := 0; ; pages++ {
			l := decode[listResponse[exceptionResponse]](t, f.call(&risk, "GET", "/api/v1/exceptions?limit=2&sort=expires_on&cursor="+cursor, ""))
			if l.Total != 5 || len(l.Items) > 2 {
				t.Fatalf("page %d: %+v", pages, l)
			}
			for _, e := range l.Items {
				if seen[e.ID] {
					t.Fatalf("%s listed twice", e.ID)
				}
				seen[e.ID] = true
				if e.VendorName == "" || !strings.HasPrefix(e.FindingTitle, "<b>Gap</b>") || e.RequestedByName == "" {
					t.Fatalf("names missing: %+v", e)
				}
			}
			if l.NextCursor == nil {
				break
			}
			cursor = *l.NextCursor
		}
		if len(seen) != 5 {
			t.Fatalf("paging saw %d of 5", len(seen))
		}
		pending := decode[listResponse[exceptionResponse]](t, f.call(&risk, "GET", "/api/v1/exceptions?status=requested", ""))
		if pending.Total != 3 || pending.Items[0].ID != ids[4] {
			t.Fatalf("pending, newest first: %+v", pending)
		}
		approved := decode[listResponse[exceptionResponse]](t, f.call(&risk, "GET", "/api/v1/exceptions?status=approved", ""))
		if approved.Total != 2 || approved.Items[0].ApproverName == "" {
			t.Fatalf("approved: %+v", approved)
		}
		if l := decode[listResponse[exceptionResponse]](t, f.call(&risk, "GET", "/api/v1/exceptions?vendor_id="+vendors[ids[3]], "")); l.Total != 1 || l.Items[0].ID != ids[3] {
			t.Fatalf("one vendor's: %+v", l)
		}
		for _, q := range []string{"status=pending", "sort=justification", "limit=201", "colour=red", "status=approved%27%20OR%201=1"} {
			if r := f.call(&risk, "GET", "/api/v1/exceptions?"+q, ""); r.Code != 422 {
				t.Errorf("%s: %d", q, r.Code)
			}
		}
		// "Assigned to me": the owner filter returns only that person's findings, named.
		legalID := f.users[models.RoleLegal].ID
		mine := decode[findingResponse](t, f.call(&risk, "POST", "/api/v1/findings", `{"vendor_id":"`+vendors[ids[0]]+`","title":"Owned","severity":"low","owner_id":"`+legalID+`"}`))
		l := decode[listResponse[findingResponse]](t, f.call(&risk, "GET", "/api/v1/findings?owner_id="+legalID, ""))
		if l.Total != 1 || l.Items[0].ID != mine.ID || l.Items[0].OwnerName != f.users[models.RoleLegal].Name || l.Items[0].VendorName != "Queue 0" {
			t.Fatalf("findings owned by legal: %+v", l)
		}
		if l := decode[listResponse[findingResponse]](t, f.call(&risk, "GET", "/api/v1/findings?limit=2", "")); l.Total != 6 || len(l.Items) != 2 || l.NextCursor == nil || l.Items[0].VendorName == "" {
			t.Fatalf("findings page: %+v", l)
		}
		// /auth/me carries the right to decide, for the web app's buttons.
		for role, want := range map[models.Role]bool{models.RoleRiskManager: true, models.RoleAdmin: true, models.RoleLegal: false, models.RoleAuditor: false} {
			s := f.as(role)
			me := f.call(&s, "GET", "/api/v1/auth/me", "")
			if got := strings.Contains(me.Body.String(), `"exceptions.decide"`); got != want {
				t.Errorf("%s may decide: %v, want %v", role, got, want)
			}
		}
	})
}
