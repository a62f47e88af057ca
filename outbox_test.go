package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"rampart/app/mail/mailtest"
	"rampart/app/notify"
	"rampart/models"
	"rampart/models/testdb"
)

// instance is one `rampart serve` process of a test, its log kept in a
// file so that a failure can show it.
type instance struct {
	cmd  *exec.Cmd
	addr string
	log  string
}

func startInstance(t *testing.T, bin string, env []string, args ...string) *instance {
	t.Helper()
	in := &instance{addr: freeAddr(t), log: filepath.Join(t.TempDir(), "serve.log")}
	logFile, err := os.Create(in.log)
	if err != nil {
		t.Fatal(err)
	}
	in.cmd = exec.Command(bin, append([]string{"serve"}, args...)...)
	in.cmd.Env = append(append(os.Environ(), env...), "RAMPART_ADDR="+in.addr, "RAMPART_DATA_DIR="+t.TempDir())
	in.cmd.Stdout, in.cmd.Stderr = logFile, logFile
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = in.cmd.Process.Kill()
		_ = in.cmd.Wait()
		logFile.Close()
		if t.Failed() {
			b, _ := os.ReadFile(in.log)
			t.Logf("log of the instance on %s (pid %d):\n%s", in.addr, in.cmd.Process.Pid, b)
		}
	})
	return in
}

// outboxEnv is what every instance of these tests is started with: the
// test's SMTP server, and an outbox paced for a test rather than for
// production (a 4 s lease instead of 2 minutes, so that a killed
// instance's messages go out again within seconds; still twice the SMTP
// timeout, as the settings require).
func outboxEnv(dbURL string, srv *mailtest.Server) []string {
	return []string{"RAMPART_DATABASE_URL=" + dbURL, "RAMPART_SMTP_URL=" + srv.URL(), "RAMPART_MAIL_FROM=Vendor Risk <risk@corp.test>",
		"RAMPART_MAIL_POLL_INTERVAL=200ms", "RAMPART_SMTP_TIMEOUT=2s", "RAMPART_MAIL_LEASE=4s", "RAMPART_MAIL_RETRY_AFTER=1s",
		"RAMPART_LOG_LEVEL=warn", "RAMPART_LOG_FORMAT=json"}
}

func mailCounts(t *testing.T, db *models.DB) map[string]int64 {
	t.Helper()
	c, err := models.MailCounts(context.Background(), db.Gorm)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestOutboxExactlyOnceAcrossInstances: three `rampart serve` processes on
// one PostgreSQL database share 500 due messages; when about 40% have
// arrived at a real SMTP server, one process is killed with SIGKILL in the
// middle of a delivery. Every message arrives, none twice, and the
// database shows all 500 sent.
//
// The kill lands while every instance's current delivery waits at MAIL
// FROM (mailtest.Hold), so the killed instance dies holding claimed
// messages, one of them mid-delivery, that the others must take over
// once its lease lapses. A kill after the server accepted a message but
// before the instance marked it sent would deliver that one message twice
// (with the same Message-ID); no protocol between an SMTP server and a
// database closes that window, and docs/decisions/0003 says so. This
// test proves the rest: claims never overlap, and nothing claimed by a
// dead instance is lost.
func TestOutboxExactlyOnceAcrossInstances(t *testing.T) {
	const total = 500
	target := testdb.Target(t, models.Postgres)
	bin := buildBinary(t)
	srv := mailtest.Start(t)
	env := outboxEnv(target.DSN, srv)
	mig := exec.Command(bin, "migrate")
	mig.Env = append(append(os.Environ(), env...), "RAMPART_DATA_DIR="+t.TempDir())
	if out, err := mig.CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	startAt := time.Now()
	var procs []*instance
	for range 3 {
		procs = append(procs, startInstance(t, bin, env))
	}
	for _, p := range procs {
		waitReady(t, "http://"+p.addr+"/readyz")
	}
	t.Logf("3 instances ready in %v", time.Since(startAt).Round(time.Millisecond))

	ctx := context.Background()
	db, err := models.Open(ctx, target, models.Pool{MaxOpen: 2, MaxIdle: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := &notify.Notifier{Mode: notify.MailOn, BaseURL: "https://rampart.corp.test", OrgName: "Corp"}
	err = db.Gorm.Transaction(func(tx *gorm.DB) error {
		for i := range total {
			ev := notify.Event{Kind: "vendor.reminder", Key: fmt.Sprintf("exactly-once:%03d", i), Title: fmt.Sprintf("Reminder %03d", i),
				Body: "Your questionnaire is due in 3 days.", Link: "https://rampart.corp.test/portal",
				To: []notify.Recipient{{Email: fmt.Sprintf("r%03d@vendors.test", i), Name: "Security team"}}}
			if err := n.Emit(ctx, tx, ev); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	queued := time.Now()

	// Half way: stop every delivery at MAIL FROM, kill one instance, let
	// the others go on.
	deadline := time.Now().Add(30 * time.Second)
	for len(srv.Messages()) < total*2/5 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d messages arrived in 30s", len(srv.Messages()), total)
		}
		time.Sleep(2 * time.Millisecond)
	}
	srv.Hold()
	for srv.Held() < len(procs) {
		if time.Now().After(deadline) {
			srv.Release()
			t.Fatalf("%d of %d instances reached the held SMTP server", srv.Held(), len(procs))
		}
		time.Sleep(2 * time.Millisecond)
	}
	arrivedAtKill := len(srv.Messages())
	victim := procs[1]
	victimInstance := ""
	var holders []string
	if err := db.Gorm.Model(&models.MailMessage{}).Where("status = ?", models.MailSending).Distinct().Pluck("locked_by", &holders).Error; err != nil {
		t.Fatal(err)
	}
	for _, h := range holders {
		if parts := strings.Split(h, "/"); len(parts) == 3 && parts[1] == strconv.Itoa(victim.cmd.Process.Pid) {
			victimInstance = h
		}
	}
	if victimInstance == "" {
		srv.Release()
		t.Fatalf("the instance to kill (pid %d) holds no message; holders: %v", victim.cmd.Process.Pid, holders)
	}
	var victimHeld int64
	db.Gorm.Model(&models.MailMessage{}).Where("status = ? AND locked_by = ?", models.MailSending, victimInstance).Count(&victimHeld)
	if err := victim.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = victim.cmd.Wait()
	killedAt := time.Now()
	srv.Release()
	t.Logf("SIGKILL to pid %d after %d of %d arrived (%v after queueing); it held %d claimed messages",
		victim.cmd.Process.Pid, arrivedAtKill, total, killedAt.Sub(queued).Round(time.Millisecond), victimHeld)
	if arrivedAtKill < total/3 || arrivedAtKill > total*3/5 {
		t.Errorf("the kill came after %d of %d: not half way", arrivedAtKill, total)
	}

	deadline = time.Now().Add(45 * time.Second)
	for mailCounts(t, db)[models.MailSent] < total {
		if time.Now().After(deadline) {
			t.Fatalf("not all sent within 45s of the kill: %v, %d arrived", mailCounts(t, db), len(srv.Messages()))
		}
		time.Sleep(50 * time.Millisecond)
	}
	allSent := time.Now()
	// Anything sent twice would be in flight now at the latest.
	time.Sleep(time.Second)
	msgs := srv.Messages()

	var rows []models.MailMessage
	if err := db.Gorm.Order("to_email").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	byID, byTo := map[string]int{}, map[string]int{}
	for _, m := range msgs {
		byID[m.MessageID()]++
		for _, to := range m.To {
			byTo[to]++
		}
	}
	if len(rows) != total {
		t.Fatalf("%d outbox rows, want %d", len(rows), total)
	}
	takenOver := 0
	for _, r := range rows {
		if r.Status != models.MailSent || r.SentAt == nil {
			t.Errorf("%s: status %s", r.ToEmail, r.Status)
		}
		if byID[r.MessageID] != 1 || byTo[r.ToEmail] != 1 {
			t.Errorf("%s arrived %d times by Message-ID, %d times by recipient", r.ToEmail, byID[r.MessageID], byTo[r.ToEmail])
		}
		if r.Attempts > 1 {
			takenOver++
		}
	}
	if len(msgs) != total || len(byID) != total || len(byTo) != total {
		t.Errorf("%d messages arrived (%d Message-IDs, %d recipients), want %d of each", len(msgs), len(byID), len(byTo), total)
	}
	// What the dead instance held was claimed again by the living ones.
	if takenOver < int(victimHeld) || victimHeld == 0 {
		t.Errorf("%d messages were claimed twice; the killed instance held %d", takenOver, victimHeld)
	}
	var per []struct {
		Instance string
		N        int64
	}
	db.Gorm.Model(&models.MailAttempt{}).Select("instance, count(*) AS n").Where("outcome = ?", "sent").Group("instance").Scan(&per)
	var perText []string
	for _, p := range per {
		tag := ""
		if p.Instance == victimInstance {
			tag = " (killed)"
		}
		perText = append(perText, fmt.Sprintf("%d by %s%s", p.N, p.Instance, tag))
	}
	t.Logf("all %d sent %v after queueing (%v after the kill), each once; %d taken over from the killed instance; %s",
		total, allSent.Sub(queued).Round(time.Millisecond), allSent.Sub(killedAt).Round(time.Millisecond), takenOver, strings.Join(perText, ", "))
}

// TestMailSurvivesAnSMTPOutage runs one `rampart serve` on SQLite with its
// SMTP server down: questionnaires sent through the API return at once,
// their invitations wait in the outbox with the connection error shown by
// `rampart jobs`; when the server is back every invitation arrives once,
// and the address the server refuses is failed and recorded as bounced.
// (Not --demo: the demo's own notices and the scheduler's reminders about
// demo data would mix with the messages counted here.)
func TestMailSurvivesAnSMTPOutage(t *testing.T) {
	bin := buildBinary(t)
	srv := mailtest.Start(t)
	srv.Refuse("gone@vendor.test")
	srv.Stop()
	target := testdb.Target(t, models.SQLite)
	dbURL := "sqlite:" + target.Path
	env := outboxEnv(dbURL, srv)
	const password = "a long enough passphrase"
	admin := exec.Command(bin, "admin", "create", "--email", "admin@corp.test", "--name", "Ann Admin")
	admin.Env = append(append(os.Environ(), env...), "RAMPART_DATA_DIR="+t.TempDir())
	admin.Stdin = strings.NewReader(password + "\n")
	if out, err := admin.CombinedOutput(); err != nil {
		t.Fatalf("admin create: %v\n%s", err, out)
	}
	p := startInstance(t, bin, env)
	base := "http://" + p.addr
	waitReady(t, base+"/readyz")
	client := &http.Client{Timeout: 10 * time.Second}
	token := apiTokenAs(t, client, base, "admin@corp.test", password)
	call := func(method, path, body string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}

	code, body := call("GET", "/api/v1/questionnaire-templates", "")
	var templates struct {
		Items []struct{ ID, Status string }
	}
	templateID := ""
	if err := json.Unmarshal(body, &templates); code != 200 || err != nil {
		t.Fatalf("templates: %d %s", code, body)
	}
	for _, tpl := range templates.Items {
		if tpl.Status == "published" && templateID == "" {
			templateID = tpl.ID
		}
	}
	if templateID == "" {
		t.Fatalf("no published questionnaire: %s", body)
	}
	contacts := []string{"sec0@vendor.test", "sec1@vendor.test", "sec2@vendor.test", "gone@vendor.test"}
	links := map[string]string{}
	var slowest time.Duration
	for i, to := range contacts {
		code, body := call("POST", "/api/v1/vendors", fmt.Sprintf(`{"name":"Outage test vendor %d","category":"saas","confirm_duplicate":true}`, i))
		var v struct{ ID string }
		if err := json.Unmarshal(body, &v); code != 201 || err != nil {
			t.Fatalf("create vendor: %d %s", code, body)
		}
		code, body = call("POST", "/api/v1/assessments", fmt.Sprintf(`{"vendor_id":%q,"template_id":%q,"contact_email":%q}`, v.ID, templateID, to))
		var a struct {
			ID      string
			Version int64
		}
		if err := json.Unmarshal(body, &a); code != 201 || err != nil {
			t.Fatalf("create assessment: %d %s", code, body)
		}
		start := time.Now()
		code, body = call("POST", "/api/v1/assessments/"+a.ID+"/send", fmt.Sprintf(`{"version":%d}`, a.Version))
		took := time.Since(start)
		slowest = max(slowest, took)
		var sent struct {
			PortalURL string `json:"portal_url"`
		}
		if err := json.Unmarshal(body, &sent); code != 200 || err != nil || sent.PortalURL == "" {
			t.Fatalf("send: %d %s", code, body)
		}
		links[to] = sent.PortalURL
	}
	// The request only writes the outbox; the SMTP server is not waited for.
	if slowest > time.Second {
		t.Errorf("sending a questionnaire took %v with the mail server down", slowest)
	}

	db, err := models.Open(context.Background(), target, models.Pool{MaxOpen: 1, MaxIdle: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var tried int64
		db.Gorm.Model(&models.MailMessage{}).Where("status = ? AND last_error LIKE ?", models.MailQueued, "%connection refused%").Count(&tried)
		if tried == int64(len(contacts)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the invitations were not tried: %v", mailCounts(t, db))
		}
		time.Sleep(50 * time.Millisecond)
	}
	jobs := exec.Command(bin, "jobs")
	jobs.Env = append(append(os.Environ(), env...), "RAMPART_DATA_DIR="+t.TempDir())
	out, err := jobs.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "queued 4  sending 0  sent 0  failed 0") || strings.Count(string(out), "connection refused") != len(contacts) {
		t.Fatalf("rampart jobs during the outage: %v\n%s", err, out)
	}
	if len(srv.Messages()) != 0 {
		t.Fatal("mail arrived at a stopped server")
	}

	srv.Restart()
	restarted := time.Now()
	deadline = time.Now().Add(30 * time.Second)
	for c := mailCounts(t, db); c[models.MailSent] != 3 || c[models.MailFailed] != 1; c = mailCounts(t, db) {
		if time.Now().After(deadline) {
			t.Fatalf("after the restart: %v", c)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("sending a questionnaire took at most %v with the server down; every message settled %v after it came back",
		slowest.Round(time.Millisecond), time.Since(restarted).Round(time.Millisecond))
	time.Sleep(time.Second) // a second copy would arrive meanwhile
	msgs := srv.Messages()
	if len(msgs) != 3 {
		t.Fatalf("%d messages arrived, want 3: %v", len(msgs), msgs)
	}
	for _, to := range contacts[:3] {
		got := mailtest.To(msgs, to)
		if len(got) != 1 || !strings.Contains(got[0].Text, links[to]) {
			t.Errorf("%s: %d messages, want one carrying the portal link", to, len(got))
		}
	}
	bounces, err := models.Bounces(context.Background(), db.Gorm, []string{"gone@vendor.test", "sec0@vendor.test"})
	if err != nil || len(bounces) != 1 || !strings.Contains(bounces["gone@vendor.test"], "550") {
		t.Fatalf("bounces: %v %v", bounces, err)
	}
	page, err := models.ListMail(context.Background(), db.Gorm, models.MailFilter{Status: models.MailFailed})
	if err != nil || len(page.Items) != 1 || page.Items[0].ToEmail != "gone@vendor.test" || !strings.Contains(page.Items[0].LastError, "550") {
		t.Fatalf("failed messages: %+v %v", page.Items, err)
	}
}
