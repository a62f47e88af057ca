package webhooks_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/notify"
	"rampart/app/webhooks"
	"rampart/models"
	"rampart/models/testdb"
)

func TestSignAndVerify(t *testing.T) {
	at := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	body := []byte(`{"id":"e1","type":"vendor.created"}`)
	sig := webhooks.Sign("whsec_a", at, body)
	if !strings.HasPrefix(sig, "t=1796547600,v1=") {
		t.Fatalf("signature header %q", sig)
	}
	if err := webhooks.Verify("whsec_a", sig, body, at.Add(time.Minute), webhooks.Tolerance); err != nil {
		t.Fatalf("a fresh, untouched delivery: %v", err)
	}
	cases := []struct {
		name, secret, header string
		body                 []byte
		now                  time.Time
		want                 error
	}{
		{"body changed", "whsec_a", sig, []byte(`{"id":"e1","type":"vendor.approved"}`), at, webhooks.ErrBadSignature},
		{"other secret", "whsec_b", sig, body, at, webhooks.ErrBadSignature},
		{"timestamp changed", "whsec_a", strings.Replace(sig, "t=1796547600", "t=1796547601", 1), body, at, webhooks.ErrBadSignature},
		{"replayed after the window", "whsec_a", sig, body, at.Add(6 * time.Minute), webhooks.ErrStale},
		{"from the future", "whsec_a", sig, body, at.Add(-6 * time.Minute), webhooks.ErrStale},
		{"no signature", "whsec_a", "t=1796547600", body, at, webhooks.ErrBadSignature},
		{"garbage", "whsec_a", "v1=,t=x", body, at, webhooks.ErrBadSignature},
	}
	for _, c := range cases {
		if err := webhooks.Verify(c.secret, c.header, c.body, c.now, webhooks.Tolerance); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
	// During a rotation a receiver may be sent either signature.
	both := sig + ",v1=" + strings.Repeat("0", 64)
	if err := webhooks.Verify("whsec_a", both, body, at, webhooks.Tolerance); err != nil {
		t.Errorf("one of two v1 values matches: %v", err)
	}
}

func TestPrivateAddresses(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1": true, "::1": true, "10.1.2.3": true, "172.16.0.9": true, "192.168.1.1": true, "169.254.169.254": true,
		"fe80::1": true, "fc00::5": true, "0.0.0.0": true, "::": true, "100.64.0.1": true, "224.0.0.1": true, "::ffff:127.0.0.1": true,
		"0.1.2.3": true, "93.184.216.34": false, "8.8.8.8": false, "2606:4700::1111": false,
	} {
		if got := webhooks.Private(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Private(%s) = %v, want %v", addr, got, want)
		}
	}
}

func TestCheckURL(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		url     string
		private bool
		want    string // part of the message; "" for none
	}{
		{"https://hooks.example.com/rampart", false, ""},
		{"http://93.184.216.34:8080/in", false, ""},
		{"", false, "is required"},
		{"ftp://hooks.example.com/", false, "http or https"},
		{"/relative/path", false, "absolute"},
		{"https://user:pass@hooks.example.com/", false, "user name or password"},
		{"https://hooks.example.com/#x", false, "fragment"},
		{"http://localhost:9000/", false, "this machine"},
		{"http://api.localhost/", false, "this machine"},
		{"http://127.0.0.1:9000/", false, "private address (127.0.0.1)"},
		{"http://[::1]/", false, "private address (::1)"},
		{"http://169.254.169.254/latest/meta-data/", false, "private address"},
		{"http://10.0.0.8/hook", false, "private address"},
		{"http://127.0.0.1:9000/", true, ""},
		{"https://" + strings.Repeat("a", 2050) + ".com/", false, "at most 2048"},
	} {
		got := webhooks.CheckURL(ctx, c.url, c.private, nil)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("CheckURL(%.60q, private=%v) = %q, want %q", c.url, c.private, got, c.want)
		}
	}
}

func TestBackoffDoublesUpToTheLimit(t *testing.T) {
	w := &webhooks.Worker{}
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute}
	for i, d := range want {
		if got := w.Wait(int64(i + 1)); got != d {
			t.Errorf("wait after try %d = %s, want %s", i+1, got, d)
		}
	}
	if got := w.Wait(40); got != webhooks.DefaultMaxRetry {
		t.Errorf("wait after try 40 = %s, want the limit %s", got, webhooks.DefaultMaxRetry)
	}
	// A day of failures takes fourteen tries with the defaults.
	var total time.Duration
	tries := int64(1)
	for ; total+w.Wait(tries) <= webhooks.DefaultGiveUpAfter; tries++ {
		total += w.Wait(tries)
	}
	if tries != 14 {
		t.Errorf("tries in a day = %d, want 14", tries)
	}
}

// clock is a time the test moves by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// receiver is a real HTTP server that checks every signature and answers
// with the status fail gives (200 when it gives 0).
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	secret string
	clk    *clock
	got    []received
	fail   func(p models.WebhookPayload, n int) int
}

type received struct {
	payload  models.WebhookPayload
	event    string
	delivery string
	status   int
}

func newReceiver(t *testing.T, clk *clock) *receiver {
	r := &receiver{clk: clk}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if err := webhooks.Verify(r.secret, req.Header.Get(webhooks.HeaderSignature), body, r.clk.Now(), webhooks.Tolerance); err != nil {
			t.Errorf("delivery %s: %v", req.Header.Get(webhooks.HeaderDelivery), err)
		}
		if ct := req.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("content type %q", ct)
		}
		var p models.WebhookPayload
		if err := json.Unmarshal(body, &p); err != nil {
			t.Errorf("payload: %v", err)
		}
		status := 200
		if r.fail != nil {
			n := 0
			for _, g := range r.got {
				if g.payload.ID == p.ID {
					n++
				}
			}
			if s := r.fail(p, n); s != 0 {
				status = s
			}
		}
		r.got = append(r.got, received{p, req.Header.Get(webhooks.HeaderEvent), req.Header.Get(webhooks.HeaderDelivery), status})
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "answer "+http.StatusText(status))
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) received() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

type world struct {
	t     *testing.T
	ctx   context.Context
	db    *models.DB
	clk   *clock
	admin *models.User
	svc   *webhooks.Service
}

func newWorld(t *testing.T, db *models.DB) *world {
	w := &world{t: t, ctx: context.Background(), db: db, clk: &clock{t: time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)}}
	w.admin = &models.User{Email: "ada@corp.test", Name: "Ada", Role: models.RoleAdmin, Active: true, PasswordHash: "x"}
	if err := models.CreateUser(w.ctx, db.Gorm, w.admin); err != nil {
		t.Fatal(err)
	}
	w.svc = &webhooks.Service{DB: db.Gorm, Now: w.clk.Now}
	return w
}

func (w *world) endpoint(url string, events ...string) *models.WebhookEndpoint {
	w.t.Helper()
	yes := true
	e, err := w.svc.Create(w.ctx, &auth.Principal{User: w.admin}, webhooks.Fields{URL: &url, Events: &events, AllowPrivate: &yes}, auth.Origin{})
	if err != nil {
		w.t.Fatal(err)
	}
	return e
}

func (w *world) worker(instance string) *webhooks.Worker {
	return &webhooks.Worker{DB: w.db.Gorm, Instance: instance, Now: w.clk.Now, UserAgent: "Rampart-Webhooks/test",
		Notify: &notify.Notifier{Mode: notify.MailOff, Now: w.clk.Now}}
}

// change records an audited change as the services do, in a transaction.
func (w *world) change(action, objectID string, after map[string]any) {
	w.t.Helper()
	err := w.db.Gorm.Transaction(func(tx *gorm.DB) error {
		return models.AppendAudit(w.ctx, tx, &models.AuditEvent{ActorType: models.ActorUser, ActorID: w.admin.ID, ActorLabel: "Ada",
			Action: action, ObjectType: strings.Split(action, ".")[0], ObjectID: objectID, AfterData: models.AuditJSON(after), OccurredAt: w.clk.Now()})
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) run(workers ...*webhooks.Worker) {
	w.t.Helper()
	for _, wk := range workers {
		if _, err := wk.RunOnce(w.ctx); err != nil {
			w.t.Fatal(err)
		}
	}
}

func ids(rs []received) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.payload.Object.ID)
	}
	return out
}

// A receiver that fails the second event twice gets the three events in the
// order they happened: the third waits behind the second's retries.
func TestDeliveriesKeepOrderThroughRetries(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		rcv := newReceiver(t, w.clk)
		rcv.fail = func(p models.WebhookPayload, n int) int {
			if p.Object.ID == "v2" && n < 2 {
				return 500
			}
			return 0
		}
		ep := w.endpoint(rcv.URL+"/hook", "vendor.created", "vendor.approved")
		rcv.secret = ep.Secret
		w.change("vendor.create", "v1", map[string]any{"name": "Acme"})
		w.change("vendor.create", "v2", map[string]any{"name": "Globex"})
		w.change("vendor.update", "v2", map[string]any{"website": "https://globex.test"}) // not an event
		w.change("vendor.status_change", "v3", map[string]any{"status": "approved"})
		w.change("vendor.status_change", "v4", map[string]any{"status": "active"}) // not subscribed: no such event
		wk := w.worker("a")

		w.run(wk)
		if got := ids(rcv.received()); strings.Join(got, ",") != "v1,v2" {
			t.Fatalf("first round: %v, want v1 then a failed v2", got)
		}
		w.clk.Add(10 * time.Second)
		w.run(wk)
		if n := len(rcv.received()); n != 2 {
			t.Fatalf("before the retry is due, %d deliveries, want 2 (v3 waits behind v2)", n)
		}
		w.clk.Add(21 * time.Second) // 31 s: the first retry, 30 s after the failure
		w.run(wk)
		w.clk.Add(61 * time.Second) // the second retry, a minute after that
		w.run(wk)
		got := rcv.received()
		if strings.Join(ids(got), ",") != "v1,v2,v2,v2,v3" {
			t.Fatalf("deliveries %v, want v1, v2 three times, then v3", ids(got))
		}
		last := got[4]
		if last.event != "vendor.approved" || last.payload.Type != "vendor.approved" || last.payload.Data["status"] != "approved" ||
			last.payload.Actor == nil || last.payload.Actor.Label != "Ada" || last.payload.Summary == "" {
			t.Errorf("payload of the approval: %+v", last)
		}
		if got[1].delivery != got[3].delivery || got[1].payload.ID != got[3].payload.ID {
			t.Error("a retry must carry the same delivery and event ids")
		}

		page, err := models.ListWebhookDeliveries(w.ctx, db.Gorm, models.WebhookDeliveryFilter{EndpointID: ep.ID, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 3 {
			t.Fatalf("%d deliveries, want 3", len(page.Items))
		}
		for _, d := range page.Items {
			if d.Status != models.WebhookDelivered {
				t.Errorf("delivery of %s is %s", d.EventType, d.Status)
			}
		}
		var v2 *models.WebhookDelivery
		for i := range page.Items {
			if page.Items[i].Attempts == 3 {
				v2 = &page.Items[i]
			}
		}
		if v2 == nil {
			t.Fatal("no delivery took three tries")
		}
		_, _, log, err := models.GetWebhookDelivery(w.ctx, db.Gorm, ep.ID, v2.ID)
		if err != nil {
			t.Fatal(err)
		}
		var codes []int64
		for _, a := range log {
			codes = append(codes, a.StatusCode)
		}
		if len(codes) != 3 || codes[0] != 500 || codes[1] != 500 || codes[2] != 200 || log[0].Response != "answer Internal Server Error" {
			t.Errorf("log of the retried delivery: %+v", log)
		}
	})
}

// Two instances working the same queue deliver each event once, in order.
func TestTwoInstancesDeliverEachEventOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		rcv := newReceiver(t, w.clk)
		ep := w.endpoint(rcv.URL, "finding.opened")
		rcv.secret = ep.Secret
		for _, id := range []string{"f1", "f2", "f3", "f4", "f5", "f6"} {
			w.change("finding.create", id, map[string]any{"title": id})
		}
		a, b := w.worker("a"), w.worker("b")
		var wg sync.WaitGroup
		for _, wk := range []*webhooks.Worker{a, b, a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := wk.RunOnce(w.ctx); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		w.run(a, b)
		if got := strings.Join(ids(rcv.received()), ","); got != "f1,f2,f3,f4,f5,f6" {
			t.Errorf("received %s, want each finding once, in order", got)
		}
	})
}

// A day of failures turns the endpoint off, tells the administrators and
// is audited; turned on again, it sends what it missed, in order.
func TestADayOfFailuresTurnsTheEndpointOff(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		rcv := newReceiver(t, w.clk)
		down := true
		rcv.fail = func(models.WebhookPayload, int) int {
			if down {
				return 503
			}
			return 0
		}
		ep := w.endpoint(rcv.URL, "exception.granted")
		rcv.secret = ep.Secret
		w.change("exception.approve", "x1", map[string]any{"status": "approved"})
		w.change("exception.approve", "x2", map[string]any{"status": "approved"})
		wk := w.worker("a")
		for range 20 {
			w.run(wk)
			// To the next try of the head of the queue, when there is one.
			var head models.WebhookDelivery
			if db.Gorm.Where("endpoint_id = ? AND status = ?", ep.ID, models.WebhookPending).Order("event_id").Take(&head).Error == nil &&
				head.NextAttemptAt.After(w.clk.Now()) {
				w.clk.Set(head.NextAttemptAt)
			}
		}
		e, err := models.GetWebhookEndpoint(w.ctx, db.Gorm, ep.ID)
		if err != nil {
			t.Fatal(err)
		}
		if e.Active || !strings.Contains(e.DisabledReason, "503") || e.DisabledAt == nil {
			t.Fatalf("after a day of 503s: active=%v reason=%q", e.Active, e.DisabledReason)
		}
		tries := len(rcv.received())
		if tries != 14 {
			t.Errorf("%d tries before giving up, want 14 (a day with the default backoff)", tries)
		}
		for _, r := range rcv.received() {
			if r.payload.Object.ID != "x1" {
				t.Fatalf("x2 was sent while x1 was failing: %v", ids(rcv.received()))
			}
		}
		var notices []models.Notification
		if err := db.Gorm.Where("user_id = ? AND kind = ?", w.admin.ID, "webhook.disabled").Find(&notices).Error; err != nil {
			t.Fatal(err)
		}
		if len(notices) != 1 || !strings.Contains(notices[0].Title, rcv.URL) {
			t.Errorf("admin notices: %+v", notices)
		}
		var audits int64
		db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND object_id = ?", "webhook.disable", ep.ID).Count(&audits)
		if audits != 1 {
			t.Errorf("%d webhook.disable audit events, want 1", audits)
		}
		w.change("exception.approve", "x3", map[string]any{"status": "approved"}) // while off: not queued
		w.run(wk)
		if len(rcv.received()) != tries {
			t.Fatal("an endpoint that is off was sent to")
		}

		down = false
		yes := true
		if _, err := w.svc.Update(w.ctx, &auth.Principal{User: w.admin}, ep.ID, e.Version, webhooks.Fields{Active: &yes}, auth.Origin{}); err != nil {
			t.Fatal(err)
		}
		w.run(wk)
		got := ids(rcv.received()[tries:])
		if strings.Join(got, ",") != "x2" {
			t.Errorf("after turning it on: %v, want the missed x2 (x1 failed for good; x3 happened while it was off)", got)
		}
		var failed models.WebhookDelivery
		db.Gorm.Where("endpoint_id = ? AND status = ?", ep.ID, models.WebhookFailed).Take(&failed)
		if err := w.svc.Redeliver(w.ctx, &auth.Principal{User: w.admin}, ep.ID, failed.ID, auth.Origin{}); err != nil {
			t.Fatal(err)
		}
		w.run(wk)
		if got := ids(rcv.received()[tries:]); strings.Join(got, ",") != "x2,x1" {
			t.Errorf("after redelivering x1: %v", got)
		}
		if err := w.svc.Redeliver(w.ctx, &auth.Principal{User: w.admin}, ep.ID, "nope", auth.Origin{}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("redelivering an unknown delivery: %v", err)
		}
	})
}

// The address check runs on the address dialled: an endpoint stored with a
// private address (or a name that resolves to one) is never reached
// unless an admin allowed it.
func TestPrivateAddressRefusedAtDelivery(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		rcv := newReceiver(t, w.clk)
		for _, url := range []string{rcv.URL, strings.Replace(rcv.URL, "127.0.0.1", "localhost", 1)} {
			e := &models.WebhookEndpoint{URL: url, Events: models.StringList{"finding.opened"}, Secret: "s", Active: true, Version: 1}
			if err := db.Gorm.Create(e).Error; err != nil {
				t.Fatal(err)
			}
		}
		w.change("finding.create", "f1", nil)
		w.run(w.worker("a"))
		if n := len(rcv.received()); n != 0 {
			t.Fatalf("the receiver on 127.0.0.1 got %d deliveries", n)
		}
		var attempts []models.WebhookAttempt
		if err := db.Gorm.Find(&attempts).Error; err != nil {
			t.Fatal(err)
		}
		if len(attempts) != 2 {
			t.Fatalf("%d attempts, want 2", len(attempts))
		}
		for _, a := range attempts {
			if !strings.Contains(a.Error, "refused") || a.StatusCode != 0 {
				t.Errorf("attempt: %+v", a)
			}
		}
	})
}

// No endpoint, no event; one occurrence, one event however often a scan
// repeats it; a ping goes to its endpoint alone.
func TestEventsAreWrittenOnlyForSubscribers(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		count := func() (n int64) {
			db.Gorm.Model(&models.WebhookEvent{}).Count(&n)
			return
		}
		w.change("vendor.create", "v1", nil)
		if n := count(); n != 0 {
			t.Fatalf("%d events with no endpoint", n)
		}
		ep := w.endpoint("http://127.0.0.1:1/", "finding.overdue")
		other := w.endpoint("http://127.0.0.1:2/", "vendor.created")
		n := &notify.Notifier{Mode: notify.MailOff, Now: w.clk.Now}
		for range 3 {
			err := db.Gorm.Transaction(func(tx *gorm.DB) error {
				return n.Emit(w.ctx, tx, notify.Event{Kind: "finding.overdue", Key: "finding.overdue:f1:2026-12-01", ObjectType: "finding", ObjectID: "f1",
					Title: "Finding overdue: MFA", Body: "Due on 2026-12-01."})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := count(); n != 1 {
			t.Fatalf("%d events after three scans of one overdue finding, want 1", n)
		}
		var d models.WebhookDelivery
		if err := db.Gorm.Take(&d).Error; err != nil || d.EndpointID != ep.ID || d.EventType != "finding.overdue" {
			t.Fatalf("delivery %+v, %v", d, err)
		}
		if _, err := w.svc.Ping(w.ctx, &auth.Principal{User: w.admin}, other.ID, auth.Origin{}); err != nil {
			t.Fatal(err)
		}
		var pings []models.WebhookDelivery
		db.Gorm.Where("event_type = ?", models.WebhookPing).Find(&pings)
		if len(pings) != 1 || pings[0].EndpointID != other.ID {
			t.Errorf("ping deliveries: %+v", pings)
		}
	})
}

// An incident recorded by staff and one a vendor reported through its link
// are both incident.opened; a note on one is no event.
func TestIncidentsOpenAnEvent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		w := newWorld(t, db)
		rcv := newReceiver(t, w.clk)
		ep := w.endpoint(rcv.URL, "incident.opened")
		rcv.secret = ep.Secret
		w.change("incident.create", "i1", map[string]any{"title": "Outage", "severity": "high"})
		w.change("incident.note", "i1", map[string]any{"text": "Called them"})
		w.change("incident.report", "i2", map[string]any{"title": "Breach"})
		w.run(w.worker("a"))
		got := rcv.received()
		if strings.Join(ids(got), ",") != "i1,i2" || got[0].payload.Type != "incident.opened" || got[0].payload.Data["severity"] != "high" {
			t.Fatalf("received %+v", got)
		}
	})
}
