package handlers

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"rampart/models"
	"rampart/models/testdb"
)

func TestAuditTrailAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		admin := f.as(models.RoleAdmin)
		f.signIn("legal@corp.test", "wrong password here")
		f.call(&admin, "POST", "/api/v1/users", `{"email":"eve@corp.test","name":"=HYPERLINK(\"http://evil\")","role":"legal","password":"a long enough passphrase"}`)
		requester := f.as(models.RoleRequester)
		f.call(&requester, "GET", "/api/v1/audit-events", "")

		auditor := f.as(models.RoleAuditor)
		all := decode[listResponse[auditEventResponse]](t, f.call(&auditor, "GET", "/api/v1/audit-events?limit=200", ""))
		actions := map[string]int{}
		for _, e := range all.Items {
			actions[e.Action]++
			if e.RequestID == "" || e.ClientIP == "" || e.OccurredAt.IsZero() || e.Seq == 0 {
				t.Errorf("event without context: %+v", e)
			}
		}
		for _, want := range []string{"auth.sign_in", "auth.sign_in_failed", "user.create", "access.denied"} {
			if actions[want] == 0 {
				t.Errorf("no %s event; have %v", want, actions)
			}
		}
		for i := 1; i < len(all.Items); i++ {
			if all.Items[i-1].Seq <= all.Items[i].Seq {
				t.Fatal("events are not newest first")
			}
		}
		if strings.Contains(f.call(&auditor, "GET", "/api/v1/audit-events", "").Body.String(), "argon2") {
			t.Fatal("a password hash reached the audit trail")
		}

		created := decode[listResponse[auditEventResponse]](t, f.call(&auditor, "GET", "/api/v1/audit-events?action=user.create", ""))
		if created.Total != 1 || !strings.Contains(string(created.Items[0].After), `"email":"eve@corp.test"`) || created.Items[0].ActorLabel != "admin@corp.test" {
			t.Fatalf("user.create filter: %+v", created)
		}
		byActor := decode[listResponse[auditEventResponse]](t, f.call(&auditor, "GET", "/api/v1/audit-events?actor_id="+f.users[models.RoleRequester].ID, ""))
		for _, e := range byActor.Items {
			if e.ActorID != f.users[models.RoleRequester].ID {
				t.Fatalf("actor filter returned %+v", e)
			}
		}
		// Paging backwards by cursor covers every event once.
		seen, cursor := 0, ""
		for {
			page := decode[listResponse[auditEventResponse]](t, f.call(&auditor, "GET", "/api/v1/audit-events?limit=3&cursor="+cursor, ""))
			seen += len(page.Items)
			if page.NextCursor == nil {
				break
			}
			cursor = *page.NextCursor
		}
		if int64(seen) < all.Total {
			t.Fatalf("paging saw %d of %d", seen, all.Total)
		}
		for _, q := range []string{"from=yesterday", "cursor=abc", "sort=seq", "who=me"} {
			if r := f.call(&auditor, "GET", "/api/v1/audit-events?"+q, ""); r.Code != 422 {
				t.Errorf("?%s: %d", q, r.Code)
			}
		}
		if l := decode[listResponse[auditEventResponse]](t, f.call(&auditor, "GET", "/api/v1/audit-events?from=2999-01-01", "")); l.Total != 0 {
			t.Errorf("future from: %d events", l.Total)
		}

		v := decode[models.VerifyResult](t, f.call(&auditor, "GET", "/api/v1/audit-events/verify", ""))
		if !v.OK || v.Checked < 5 {
			t.Fatalf("verify: %+v", v)
		}
		testdb.Tamper(t, db, "UPDATE audit_events SET detail = 'nothing to see' WHERE seq = 2")
		v = decode[models.VerifyResult](t, f.call(&auditor, "GET", "/api/v1/audit-events/verify", ""))
		if v.OK || v.BrokenSeq != 2 {
			t.Fatalf("verify after tampering: %+v", v)
		}

		r := f.call(&auditor, "GET", "/api/v1/audit-events/export.csv?action=user.create", "")
		if r.Code != 200 || !strings.HasPrefix(r.Header().Get("Content-Type"), "text/csv") || !strings.Contains(r.Header().Get("Content-Disposition"), "attachment") {
			t.Fatalf("export: %d %v", r.Code, r.Header())
		}
		rows, err := csv.NewReader(strings.NewReader(r.Body.String())).ReadAll()
		if err != nil || len(rows) != 3 || rows[0][0] != "seq" || rows[1][5] != "user.create" {
			t.Fatalf("csv rows %v %v", rows, err)
		}
		// The export ends with a signed checkpoint of the whole trail.
		var cp models.AuditCheckpoint
		if rows[2][0] != "checkpoint" || json.Unmarshal([]byte(rows[2][1]), &cp) != nil || r.Header().Get("Rampart-Audit-Checkpoint") != rows[2][1] {
			t.Fatalf("checkpoint row %v, header %q", rows[2], r.Header().Get("Rampart-Audit-Checkpoint"))
		}
		if head, _, _ := models.AuditHead(context.Background(), db.Gorm); cp.Seq != head || cp.VerifySignature(testAuditPub) != nil {
			t.Fatalf("export checkpoint %+v (head %d): %v", cp, head, cp.VerifySignature(testAuditPub))
		}
		cp = decode[models.AuditCheckpoint](t, f.call(&auditor, "GET", "/api/v1/audit-events/checkpoint", ""))
		if err := cp.VerifySignature(testAuditPub); err != nil || cp.Seq < 5 {
			t.Fatalf("checkpoint endpoint %+v: %v", cp, err)
		}
		if strings.Contains(r.Body.String(), ",=HYPERLINK") {
			t.Fatal("a formula reached the CSV unescaped")
		}
	})
}
