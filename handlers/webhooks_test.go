package handlers

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"rampart/app/webhooks"
	"rampart/models"
	"rampart/models/testdb"
)

// TestWebhooksThroughTheAPI: an admin registers a real receiver, a vendor
// created through the API reaches it signed with the secret the admin was
// shown once; the delivery log, a test event, a redelivery, secret
// rotation, a stale edit (409), bad input named by field and removal all
// work through the API, and each change is audited.
func TestWebhooksThroughTheAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		admin, rm := f.as(models.RoleAdmin), f.as(models.RoleRiskManager)

		var mu sync.Mutex
		var secret string
		var got []models.WebhookPayload
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			defer mu.Unlock()
			if err := webhooks.Verify(secret, r.Header.Get(webhooks.HeaderSignature), body, time.Now(), webhooks.Tolerance); err != nil {
				w.WriteHeader(401)
				return
			}
			var p models.WebhookPayload
			_ = json.Unmarshal(body, &p)
			got = append(got, p)
		}))
		defer rcv.Close()
		received := func() []models.WebhookPayload {
			mu.Lock()
			defer mu.Unlock()
			return append([]models.WebhookPayload(nil), got...)
		}
		worker := &webhooks.Worker{DB: db.Gorm, Instance: "test"}
		deliver := func() {
			t.Helper()
			if _, err := worker.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
		}

		// Bad input, each named by its field; nothing is saved.
		for body, field := range map[string]string{
			`{"url":"http://127.0.0.1:9/","events":["vendor.created"]}`:                       "url",
			`{"url":"http://169.254.169.254/latest","events":["vendor.created"]}`:             "url",
			`{"url":"javascript:alert(1)","events":["vendor.created"]}`:                       "url",
			`{"url":"https://hooks.example.com/","events":["vendor.exploded"]}`:               "events[0]",
			`{"url":"https://hooks.example.com/","events":[]}`:                                "events",
			`{"url":"https://hooks.example.com/","events":["vendor.created"],"colour":"red"}`: "colour",
			`{"url":"https://hooks.example.com/","events":"vendor.created"}`:                  "events",
		} {
			r := f.call(&admin, "POST", "/api/v1/webhooks", body)
			if r.Code != 422 && r.Code != 400 {
				t.Fatalf("%s: %d %s", body, r.Code, r.Body)
			}
			if p := decode[Problem](t, r); len(p.Errors) == 0 || p.Errors[0].Field != field {
				t.Errorf("%s: errors %+v, want one on %s", body, p.Errors, field)
			}
		}
		if r := f.call(&rm, "POST", "/api/v1/webhooks", `{"url":"https://hooks.example.com/","events":["vendor.created"]}`); r.Code != 403 {
			t.Fatalf("a risk manager registers an endpoint: %d", r.Code)
		}
		if r := f.call(&admin, "GET", "/api/v1/webhooks", ""); decode[listResponse[webhookResponse]](t, r).Total != 0 {
			t.Fatalf("refused input saved something: %s", r.Body)
		}

		r := f.call(&admin, "POST", "/api/v1/webhooks", `{"url":"`+rcv.URL+`/in","description":"SIEM <script>alert(1)</script>",
			"events":["vendor.created","finding.opened"],"allow_private":true}`)
		if r.Code != 201 {
			t.Fatalf("create: %d %s", r.Code, r.Body)
		}
		ep := decode[webhookResponse](t, r)
		if !strings.HasPrefix(ep.Secret, "whsec_") || !ep.Active || ep.Description != "SIEM <script>alert(1)</script>" || ep.Version != 1 {
			t.Fatalf("created: %+v", ep)
		}
		mu.Lock()
		secret = ep.Secret
		mu.Unlock()
		if r := f.call(&admin, "GET", "/api/v1/webhooks/"+ep.ID, ""); strings.Contains(r.Body.String(), ep.Secret) || strings.Contains(r.Body.String(), `"secret"`) {
			t.Fatalf("the secret is shown again: %s", r.Body)
		}

		v := f.call(&rm, "POST", "/api/v1/vendors", `{"name":"Hooked Ltd","category":"saas"}`)
		if v.Code != 201 {
			t.Fatalf("vendor: %d %s", v.Code, v.Body)
		}
		vendor := decode[vendorResponse](t, v)
		deliver()
		rec := received()
		if len(rec) != 1 || rec[0].Type != "vendor.created" || rec[0].Object.ID != vendor.ID || rec[0].Data["name"] != "Hooked Ltd" ||
			rec[0].Actor == nil || rec[0].Actor.Type != "user" {
			t.Fatalf("received %+v", rec)
		}

		log := decode[listResponse[webhookDeliverySummary]](t, f.call(&admin, "GET", "/api/v1/webhooks/"+ep.ID+"/deliveries", ""))
		if log.Total != 1 || log.Items[0].Status != "delivered" || log.Items[0].LastStatusCode != 200 || log.Items[0].EventType != "vendor.created" {
			t.Fatalf("delivery log: %+v", log)
		}
		d := decode[webhookDeliveryDetail](t, f.call(&admin, "GET", "/api/v1/webhooks/"+ep.ID+"/deliveries/"+log.Items[0].ID, ""))
		if len(d.Log) != 1 || d.Log[0].StatusCode != 200 || !strings.Contains(string(d.Payload), vendor.ID) {
			t.Fatalf("delivery: %+v", d)
		}
		if r := f.call(&admin, "GET", "/api/v1/webhooks/"+ep.ID+"/deliveries?status=lost", ""); r.Code != 422 {
			t.Fatalf("unknown status filter: %d", r.Code)
		}
		if l := decode[listResponse[webhookDeliverySummary]](t, f.call(&admin, "GET", "/api/v1/webhooks/"+ep.ID+"/deliveries?status=failed", "")); l.Total != 0 {
			t.Fatalf("failed deliveries: %+v", l)
		}

		// Redelivery sends the same event again; pending ones cannot be.
		if r := f.call(&admin, "POST", "/api/v1/webhooks/"+ep.ID+"/deliveries/"+d.ID+"/redeliver", ""); r.Code != 200 {
			t.Fatalf("redeliver: %d %s", r.Code, r.Body)
		}
		if r := f.call(&admin, "POST", "/api/v1/webhooks/"+ep.ID+"/deliveries/"+d.ID+"/redeliver", ""); r.Code != 422 {
			t.Fatalf("redeliver a pending delivery: %d %s", r.Code, r.Body)
		}
		deliver()
		if rec := received(); len(rec) != 2 || rec[1].ID != rec[0].ID {
			t.Fatalf("after redelivery: %+v", rec)
		}

		// The test event goes to this endpoint whatever it subscribed to.
		if r := f.call(&admin, "POST", "/api/v1/webhooks/"+ep.ID+"/ping", ""); r.Code != 202 {
			t.Fatalf("ping: %d %s", r.Code, r.Body)
		}
		deliver()
		if rec := received(); len(rec) != 3 || rec[2].Type != "ping" {
			t.Fatalf("after ping: %+v", rec)
		}

		// A new secret signs what follows; the old one no longer verifies.
		rot := decode[webhookResponse](t, f.call(&admin, "POST", "/api/v1/webhooks/"+ep.ID+"/secret", ""))
		if rot.Secret == "" || rot.Secret == ep.Secret {
			t.Fatalf("rotated secret: %q", rot.Secret)
		}
		f.call(&rm, "POST", "/api/v1/vendors", `{"name":"Second Hook","category":"saas"}`)
		deliver()
		if n := len(received()); n != 3 {
			t.Fatalf("the receiver with the old secret took a delivery signed with the new one (%d)", n)
		}
		mu.Lock()
		secret = rot.Secret
		mu.Unlock()
		if l := decode[listResponse[webhookDeliverySummary]](t, f.call(&admin, "GET", "/api/v1/webhooks/"+ep.ID+"/deliveries?status=pending", "")); l.Total != 1 ||
			l.Items[0].LastStatusCode != 401 || l.Items[0].NextAttemptAt == nil {
			t.Fatalf("the refused delivery waits for a retry: %+v", l)
		}

		// Edits: stale version 409 with the current record; a private
		// address needs allow_private.
		cur := decode[webhookResponse](t, f.call(&admin, "GET", "/api/v1/webhooks/"+ep.ID, ""))
		if r := f.call(&admin, "PATCH", "/api/v1/webhooks/"+ep.ID, `{"version":1,"description":"old"}`); r.Code != 409 {
			t.Fatalf("stale edit: %d %s", r.Code, r.Body)
		} else if p := decode[Problem](t, r); p.Current == nil {
			t.Fatalf("409 without the current record: %s", r.Body)
		}
		if r := f.call(&admin, "PATCH", "/api/v1/webhooks/"+ep.ID, `{"version":`+strconv.FormatInt(cur.Version, 10)+`,"allow_private":false}`); r.Code != 422 {
			t.Fatalf("turning allow_private off on a private address: %d %s", r.Code, r.Body)
		}
		up := decode[webhookResponse](t, f.call(&admin, "PATCH", "/api/v1/webhooks/"+ep.ID, `{"version":`+strconv.FormatInt(cur.Version, 10)+`,"active":false,"events":["finding.opened"]}`))
		if up.Active || up.Version != cur.Version+1 || strings.Join(up.Events, ",") != "finding.opened" {
			t.Fatalf("edited: %+v", up)
		}
		if r := f.call(&admin, "POST", "/api/v1/webhooks/"+ep.ID+"/ping", ""); r.Code != 422 {
			t.Fatalf("ping while off: %d", r.Code)
		}

		var actions []string
		db.Gorm.Model(&models.AuditEvent{}).Where("object_id = ?", ep.ID).Order("seq").Pluck("action", &actions)
		if strings.Join(actions, ",") != "webhook.create,webhook.redeliver,webhook.ping,webhook.rotate_secret,webhook.update" {
			t.Errorf("audited: %v", actions)
		}
		var leaked int64
		db.Gorm.Model(&models.AuditEvent{}).Where("after_data LIKE ? OR before_data LIKE ?", "%whsec_%", "%whsec_%").Count(&leaked)
		if leaked != 0 {
			t.Error("a secret is in the audit trail")
		}

		if r := f.call(&admin, "DELETE", "/api/v1/webhooks/"+ep.ID, ""); r.Code != 204 {
			t.Fatalf("delete: %d %s", r.Code, r.Body)
		}
		for _, path := range []string{"/api/v1/webhooks/" + ep.ID, "/api/v1/webhooks/" + ep.ID + "/deliveries", "/api/v1/webhooks/" + ep.ID + "/deliveries/" + d.ID} {
			if r := f.call(&admin, "GET", path, ""); r.Code != 404 {
				t.Errorf("GET %s after delete: %d", path, r.Code)
			}
		}
		types := decode[webhookEventTypesResponse](t, f.call(&admin, "GET", "/api/v1/webhooks/event-types", ""))
		if len(types.Items) != len(models.WebhookEventTypes) || types.Items[0].Type != "vendor.created" {
			t.Errorf("event types: %+v", types)
		}
	})
}
