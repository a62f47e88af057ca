package handlers

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"rampart/app/notify"
	"rampart/models"
	"rampart/models/testdb"
)

func TestBellShowsOnlyOnesOwnNoticesAndMarksThemRead(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		risk, legal := f.as(models.RoleRiskManager), f.as(models.RoleLegal)
		n := &notify.Notifier{Mode: notify.MailOff, BaseURL: "http://localhost:8080", Now: f.clock.now}
		emit := func(key, title string, to ...*models.User) {
			var rs []notify.Recipient
			for _, u := range to {
				rs = append(rs, notify.Recipient{UserID: u.ID})
			}
			if err := n.Emit(ctx, db.Gorm, notify.Event{Kind: "finding.assigned", Key: key, ObjectType: "finding", ObjectID: key,
				Link: "/findings/" + key, Title: title, Body: "Due soon.", To: rs}); err != nil {
				t.Fatal(err)
			}
			f.clock.add(time.Second) // newest first needs distinct times
		}
		rm, lg := f.users[models.RoleRiskManager], f.users[models.RoleLegal]
		emit("f1", "First for risk", rm)
		emit("f2", "Second for both", rm, lg)
		emit("f3", "Third for risk", rm)
		emit("f4", "Only legal's", lg)

		r := f.call(&risk, "GET", "/api/v1/notifications?limit=2", "")
		if r.Code != 200 {
			t.Fatalf("list: %d %s", r.Code, r.Body)
		}
		page := decode[listResponse[notificationResponse]](t, r)
		if page.Total != 3 || len(page.Items) != 2 || page.NextCursor == nil || page.Items[0].Title != "Third for risk" ||
			page.Items[0].Link != "/findings/f3" || page.Items[0].KindLabel != "Finding assigned to you" {
			t.Fatalf("first page = %+v", page)
		}
		rest := decode[listResponse[notificationResponse]](t, f.call(&risk, "GET", "/api/v1/notifications?limit=2&cursor="+*page.NextCursor, ""))
		if len(rest.Items) != 1 || rest.Items[0].Title != "First for risk" || rest.NextCursor != nil {
			t.Fatalf("second page = %+v", rest)
		}
		if c := decode[unreadCountResponse](t, f.call(&risk, "GET", "/api/v1/notifications/unread-count", "")); c.Unread != 3 {
			t.Fatalf("risk unread = %d", c.Unread)
		}

		legals := decode[listResponse[notificationResponse]](t, f.call(&legal, "GET", "/api/v1/notifications", ""))
		var legalOnly string
		for _, it := range legals.Items {
			if it.Title == "Only legal's" {
				legalOnly = it.ID
			}
		}
		if legals.Total != 2 || legalOnly == "" {
			t.Fatalf("legal's list = %+v", legals)
		}
		if r := f.call(&risk, "GET", "/api/v1/notifications/"+legalOnly, ""); r.Code != 404 {
			t.Fatalf("another's notice: %d %s", r.Code, r.Body)
		}
		if r := f.call(&legal, "GET", "/api/v1/notifications/"+legalOnly, ""); r.Code != 200 {
			t.Fatalf("own notice: %d %s", r.Code, r.Body)
		}
		// Marking another person's notice read changes nothing.
		r = f.call(&risk, "POST", "/api/v1/notifications/read", `{"ids":["`+legalOnly+`"]}`)
		if m := decode[markReadResponse](t, r); r.Code != 200 || m.Marked != 0 || m.Unread != 3 {
			t.Fatalf("mark another's: %d %s", r.Code, r.Body)
		}
		if c := decode[unreadCountResponse](t, f.call(&legal, "GET", "/api/v1/notifications/unread-count", "")); c.Unread != 2 {
			t.Fatalf("legal's unread after risk's try = %d", c.Unread)
		}

		r = f.call(&risk, "POST", "/api/v1/notifications/read", `{"ids":["`+page.Items[0].ID+`"]}`)
		if m := decode[markReadResponse](t, r); m.Marked != 1 || m.Unread != 2 {
			t.Fatalf("mark one: %s", r.Body)
		}
		unread := decode[listResponse[notificationResponse]](t, f.call(&risk, "GET", "/api/v1/notifications?unread=true", ""))
		if unread.Total != 2 || unread.Items[0].Title != "Second for both" {
			t.Fatalf("unread list = %+v", unread)
		}
		r = f.call(&risk, "POST", "/api/v1/notifications/read", `{"all":true}`)
		if m := decode[markReadResponse](t, r); m.Marked != 2 || m.Unread != 0 {
			t.Fatalf("mark all: %s", r.Body)
		}
		if c := decode[unreadCountResponse](t, f.call(&legal, "GET", "/api/v1/notifications/unread-count", "")); c.Unread != 2 {
			t.Fatalf("risk's mark-all touched legal's notices: %d", c.Unread)
		}

		for _, c := range []struct{ method, path, body, field string }{
			{"POST", "/api/v1/notifications/read", `{}`, "ids"},
			{"POST", "/api/v1/notifications/read", `{"all":true,"ids":["x"]}`, "ids"},
			{"POST", "/api/v1/notifications/read", `{"all":true,"user_id":"x"}`, "user_id"},
			{"GET", "/api/v1/notifications?unread=maybe", "", "unread"},
			{"GET", "/api/v1/notifications?user_id=x", "", "user_id"},
			{"GET", "/api/v1/notifications?limit=500", "", "limit"},
		} {
			r := f.call(&risk, c.method, c.path, c.body)
			if r.Code != 422 || !strings.Contains(r.Body.String(), `"field":"`+c.field+`"`) ||
				!strings.HasPrefix(r.Header().Get("Content-Type"), "application/problem+json") {
				t.Errorf("%s %s %s = %d %s", c.method, c.path, c.body, r.Code, r.Body)
			}
		}
	})
}

func TestNotificationPreferencesListEveryStaffKindAndValidateEachField(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		head := f.as(models.RoleRequester)
		prefs := decode[preferencesResponse](t, f.call(&head, "GET", "/api/v1/notification-preferences", ""))
		staff := 0
		for _, k := range notify.Kinds {
			if !k.Vendor {
				staff++
			}
		}
		if len(prefs.Items) != staff || prefs.MailMode != "off" || strings.Join(prefs.Channels, ",") != "in_app,email,digest,off" {
			t.Fatalf("preferences = %+v", prefs)
		}
		for _, p := range prefs.Items {
			if strings.HasPrefix(p.Kind, "vendor.") || p.Channel != p.Default || p.Recipients == "" || p.Label == "" {
				t.Errorf("preference %+v", p)
			}
		}

		r := f.call(&head, "PUT", "/api/v1/notification-preferences", `{"preferences":[{"kind":"finding.due","channel":"off"},{"kind":"request.decided","channel":"digest"}]}`)
		if r.Code != 200 {
			t.Fatalf("put: %d %s", r.Code, r.Body)
		}
		got := map[string]string{}
		for _, p := range decode[preferencesResponse](t, f.call(&head, "GET", "/api/v1/notification-preferences", "")).Items {
			got[p.Kind] = p.Channel
		}
		if got["finding.due"] != "off" || got["request.decided"] != "digest" || got["finding.assigned"] != "email" {
			t.Fatalf("after put: %v", got)
		}
		// Another person's preferences are untouched.
		risk := f.as(models.RoleRiskManager)
		for _, p := range decode[preferencesResponse](t, f.call(&risk, "GET", "/api/v1/notification-preferences", "")).Items {
			if p.Channel != p.Default {
				t.Errorf("risk manager's %s = %s", p.Kind, p.Channel)
			}
		}

		r = f.call(&head, "PUT", "/api/v1/notification-preferences",
			`{"preferences":[{"kind":"finding.due","channel":"sms"},{"kind":"vendor.reminder","channel":"email"},{"kind":"nope","channel":"off"},{"kind":"finding.due","channel":"off"}]}`)
		body := r.Body.String()
		for _, field := range []string{"preferences[0].channel", "preferences[1].kind", "preferences[2].kind", "preferences[3].kind"} {
			if !strings.Contains(body, `"field":"`+field+`"`) {
				t.Errorf("no error for %s: %s", field, body)
			}
		}
		if r.Code != 422 || strings.Contains(body, `"field":"preferences[0].kind"`) {
			t.Fatalf("bad put: %d %s", r.Code, body)
		}
		if r := f.call(&head, "PUT", "/api/v1/notification-preferences", `{"preferences":[],"user_id":"x"}`); r.Code != 422 {
			t.Fatalf("unknown field: %d %s", r.Code, r.Body)
		}
		got = map[string]string{}
		for _, p := range decode[preferencesResponse](t, f.call(&head, "GET", "/api/v1/notification-preferences", "")).Items {
			got[p.Kind] = p.Channel
		}
		if got["finding.due"] != "off" {
			t.Fatalf("a refused put changed something: %v", got)
		}
	})
}

func TestDemoOutboxDeliveryLogResendAndAssessmentMails(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		ctx := context.Background()
		f := newFixture(t, db, func(d *Deps) {
			d.Notify = &notify.Notifier{Mode: notify.MailDemo, BaseURL: "http://localhost:8080", OrgName: "Corp", Now: d.Now}
		})
		admin, risk, auditor, legal := f.as(models.RoleAdmin), f.as(models.RoleRiskManager), f.as(models.RoleAuditor), f.as(models.RoleLegal)
		if me := decode[meResponse](t, f.call(&risk, "GET", "/api/v1/auth/me", "")); me.MailMode != "demo" {
			t.Fatalf("me.mail_mode = %q", me.MailMode)
		}
		vendor := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors",
			`{"name":"Mailed Vendor","category":"saas","contacts":[{"name":"Sec Team","email":"sec@vendor.test","role":"security"},{"name":"Old","email":"gone@vendor.test","role":"other"}]}`))
		if vendor.ID == "" {
			t.Fatal("vendor not created")
		}
		tpl := optionalTemplate(t, db)
		r := f.call(&risk, "POST", "/api/v1/assessments", `{"vendor_id":"`+vendor.ID+`","template_id":"`+tpl.ID+`"}`)
		a := decode[assessmentDetail](t, r)
		r = f.call(&risk, "POST", "/api/v1/assessments/"+a.ID+"/send", `{"version":1,"contact_email":"sec@vendor.test","expires_in_days":14}`)
		sent := decode[sendResponse](t, r)
		if r.Code != 200 || sent.EmailedTo != "sec@vendor.test" || sent.MailMode != "demo" || sent.PortalURL == "" {
			t.Fatalf("send: %d %s", r.Code, r.Body)
		}

		r = f.call(&admin, "GET", "/api/v1/mail?status=held", "")
		log := decode[listResponse[mailSummary]](t, r)
		if r.Code != 200 || log.Total != 1 || log.Items[0].ToEmail != "sec@vendor.test" || log.Items[0].Kind != "vendor.invitation" {
			t.Fatalf("held mail: %d %s", r.Code, r.Body)
		}
		if empty := decode[listResponse[mailSummary]](t, f.call(&admin, "GET", "/api/v1/mail?status=failed", "")); empty.Total != 0 || empty.Items == nil {
			t.Fatalf("failed filter = %+v", empty)
		}
		id := log.Items[0].ID
		d := decode[mailDetail](t, f.call(&admin, "GET", "/api/v1/mail/"+id, ""))
		if !strings.Contains(d.TextBody, sent.PortalURL) || !strings.Contains(d.HTMLBody, sent.PortalURL) || d.ReplyTo == "" || len(d.Log) != 0 {
			t.Fatalf("detail = %+v", d)
		}
		if r := f.call(&admin, "POST", "/api/v1/mail/"+id+"/resend", ""); r.Code != 422 {
			t.Fatalf("resend a held message: %d %s", r.Code, r.Body)
		}

		// Staff who can see the assessment see what was mailed, never the body.
		for _, s := range []*session{&risk, &auditor, &legal} {
			r := f.call(s, "GET", "/api/v1/assessments/"+a.ID+"/mails", "")
			ms := decode[listResponse[objectMailResponse]](t, r)
			if r.Code != 200 || ms.Total != 1 || ms.Items[0].Status != "held" || ms.Items[0].Subject == "" {
				t.Fatalf("assessment mails: %d %s", r.Code, r.Body)
			}
			if strings.Contains(r.Body.String(), "/portal/") {
				t.Fatalf("the portal link leaked into the assessment's mail list: %s", r.Body)
			}
			if r := f.call(s, "GET", "/api/v1/mail/"+id, ""); r.Code != 403 {
				t.Fatalf("non-admin reads a message: %d", r.Code)
			}
		}
		if r := f.call(&risk, "GET", "/api/v1/assessments/nope/mails", ""); r.Code != 404 {
			t.Fatalf("unknown assessment: %d", r.Code)
		}

		// A failed message can be sent again; that is audited.
		if err := db.Gorm.Model(&models.MailMessage{}).Where("id = ?", id).
			Updates(map[string]any{"status": models.MailFailed, "last_error": "550 no such user"}).Error; err != nil {
			t.Fatal(err)
		}
		if err := models.RecordBounce(ctx, db.Gorm, "gone@vendor.test", "550 5.1.1 no such user"); err != nil {
			t.Fatal(err)
		}
		r = f.call(&admin, "POST", "/api/v1/mail/"+id+"/resend", "")
		if d := decode[mailDetail](t, r); r.Code != 200 || d.Status != "queued" || d.LastError != "" {
			t.Fatalf("resend: %d %s", r.Code, r.Body)
		}
		var audited int64
		db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND object_id = ?", "mail.resend", id).Count(&audited)
		if audited != 1 {
			t.Fatalf("%d mail.resend audit events", audited)
		}
		if r := f.call(&admin, "POST", "/api/v1/mail/nope/resend", ""); r.Code != 404 {
			t.Fatalf("resend unknown: %d", r.Code)
		}

		bounces := decode[listResponse[bounceResponse]](t, f.call(&auditor, "GET", "/api/v1/vendors/"+vendor.ID+"/mail-bounces", ""))
		if bounces.Total != 1 || bounces.Items[0].Email != "gone@vendor.test" || !strings.Contains(bounces.Items[0].Reason, "550") {
			t.Fatalf("bounces = %+v", bounces)
		}

		if err := models.EnsureSchedule(ctx, db.Gorm, "reminders", f.clock.now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		st := decode[mailStatusResponse](t, f.call(&admin, "GET", "/api/v1/mail/status", ""))
		if st.Mode != "demo" || !strings.Contains(st.Reason, "RAMPART_SMTP_URL") || st.Counts["queued"] != 1 || st.Counts["held"] != 0 ||
			len(st.Schedules) != 1 || st.Schedules[0].Name != "reminders" {
			t.Fatalf("status = %+v", st)
		}
		for _, p := range []string{"/api/v1/mail", "/api/v1/mail/status"} {
			if r := f.call(&risk, "GET", p, ""); r.Code != 403 || strings.Contains(r.Body.String(), "vendor.test") {
				t.Fatalf("risk manager GET %s: %d %s", p, r.Code, r.Body)
			}
		}
		if r := f.call(&admin, "GET", "/api/v1/mail?status=lost", ""); r.Code != 422 {
			t.Fatalf("bad status filter: %d", r.Code)
		}
	})
}

func TestMailOffSaysSoOnSend(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		risk := f.as(models.RoleRiskManager)
		vendor := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Quiet Vendor","category":"saas"}`))
		_, _ = f.sentAssessment(&risk, vendor.ID, optionalTemplate(t, db).ID)
		var n int64
		db.Gorm.Model(&models.MailMessage{}).Count(&n)
		st := decode[mailStatusResponse](t, f.call(ptr(f.as(models.RoleAdmin)), "GET", "/api/v1/mail/status", ""))
		if n != 0 || st.Mode != "off" || !strings.Contains(st.Reason, "RAMPART_SMTP_URL") {
			t.Fatalf("mail off: %d messages, status %+v", n, st)
		}
		me := decode[meResponse](t, f.call(&risk, "GET", "/api/v1/auth/me", ""))
		if me.MailMode != "off" {
			t.Fatal(fmt.Sprint("me.mail_mode = ", me.MailMode))
		}
	})
}

func ptr[T any](v T) *T { return &v }
