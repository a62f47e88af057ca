package app

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"rampart/models"
	"rampart/models/testdb"
)

func TestBadSettingsFailWithOneLineNamingTheSetting(t *testing.T) {
	cases := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{args: []string{"--log-level", "verbose"}, want: "--log-level (RAMPART_LOG_LEVEL)"},
		{env: map[string]string{"RAMPART_LOG_FORMAT": "xml"}, want: "RAMPART_LOG_FORMAT"},
		{env: map[string]string{"RAMPART_DATABASE_URL": "mysql://root@db/x"}, want: `RAMPART_DATABASE_URL) "mysql://root@db/x": has unsupported scheme`},
		{env: map[string]string{"RAMPART_DATABASE_URL": "postgres://u:s3cret@/db"}, want: "RAMPART_DATABASE_URL"},
		{args: []string{"--addr", "8080"}, want: "RAMPART_ADDR"},
		{env: map[string]string{"RAMPART_BASE_URL": "ftp://x"}, want: "RAMPART_BASE_URL"},
		{env: map[string]string{"RAMPART_BODY_LIMIT": "lots"}, want: "RAMPART_BODY_LIMIT"},
		{env: map[string]string{"RAMPART_TRUSTED_PROXIES": "10.0.0.0/8,not-an-ip"}, want: `RAMPART_TRUSTED_PROXIES) "not-an-ip"`},
		{env: map[string]string{"RAMPART_DB_MAX_OPEN_CONNS": "0"}, want: "RAMPART_DB_MAX_OPEN_CONNS"},
		{env: map[string]string{"RAMPART_DB_MAX_OPEN_CONNS": "many"}, want: "RAMPART_DB_MAX_OPEN_CONNS"},
		{env: map[string]string{"RAMPART_SHUTDOWN_TIMEOUT": "0s"}, want: "RAMPART_SHUTDOWN_TIMEOUT"},
		{env: map[string]string{"RAMPART_SMTP_TIMEOUT": "10m"}, want: "RAMPART_SMTP_TIMEOUT"},
		{env: map[string]string{"RAMPART_MAIL_POLL_INTERVAL": "1ms"}, want: "RAMPART_MAIL_POLL_INTERVAL"},
		// A lease the SMTP timeout could outlast would let a second instance
		// send a message that is still being sent.
		{env: map[string]string{"RAMPART_SMTP_TIMEOUT": "30s", "RAMPART_MAIL_LEASE": "45s"}, want: `--mail-lease (RAMPART_MAIL_LEASE) "45s": must be at least twice --smtp-timeout (1m0s)`},
		{env: map[string]string{"RAMPART_MAIL_RETRY_AFTER": "100ms"}, want: "RAMPART_MAIL_RETRY_AFTER"},
		{args: []string{"--data-dir", "/proc/rampart-cannot-exist"}, want: "RAMPART_DATA_DIR"},
		{env: map[string]string{"RAMPART_COOKIE_SECURE": "sometimes"}, want: "RAMPART_COOKIE_SECURE"},
		{env: map[string]string{"RAMPART_SESSION_LIFETIME": "1m"}, want: "RAMPART_SESSION_LIFETIME"},
		{env: map[string]string{"RAMPART_SIGNIN_MAX_FAILURES": "0"}, want: "RAMPART_SIGNIN_MAX_FAILURES"},
		{env: map[string]string{"RAMPART_HASH_CONCURRENCY": "-1"}, want: "RAMPART_HASH_CONCURRENCY"},
		{env: map[string]string{"RAMPART_REMINDER_DAYS": "7,0"}, want: "RAMPART_REMINDER_DAYS"},
		{args: []string{"--chase-every", "90"}, want: "--chase-every (RAMPART_CHASE_EVERY)"},
		{env: map[string]string{"RAMPART_CHASE_MAX": "50"}, want: "RAMPART_CHASE_MAX"},
		// Profiles would show request data to anyone who can reach them.
		{args: []string{"--pprof-addr", "0.0.0.0:6060"}, want: `--pprof-addr (RAMPART_PPROF_ADDR) "0.0.0.0:6060": must be a loopback`},
		{env: map[string]string{"RAMPART_PPROF_ADDR": "6060"}, want: "RAMPART_PPROF_ADDR"},
		// The option is the default of the name set in Settings, by its rules.
		{env: map[string]string{"RAMPART_ORG_NAME": "Acme\nCorp"}, want: `--org-name (RAMPART_ORG_NAME) "Acme\nCorp": must be one line`},
		{env: map[string]string{"RAMPART_ORG_NAME": strings.Repeat("é", 201)}, want: "must be at most 200 characters long"},
	}
	for _, c := range cases {
		t.Run(c.want, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			var out, errOut bytes.Buffer
			args := append(append([]string{"rampart"}, c.args...), "migrate")
			code := Main(context.Background(), args, strings.NewReader(""), &out, &errOut)
			msg := errOut.String()
			if code != 1 || !strings.Contains(msg, c.want) || strings.Count(strings.TrimSpace(msg), "\n") != 0 {
				t.Errorf("%v %v: exit %d, stderr %q; want one line containing %q", c.args, c.env, code, msg, c.want)
			}
			if strings.Contains(msg, "s3cret") {
				t.Errorf("a database password was printed: %q", msg)
			}
		})
	}
}

func TestDefaultsNeedNoSettings(t *testing.T) {
	c := &Config{Addr: "127.0.0.1:8080", DataDir: "data", LogLevel: "info", LogFormat: "auto", BodyLimit: "1MiB",
		DBMaxOpenConns: 20, DBMaxIdleConns: 10, ShutdownTimeout: 1, SessionIdle: time.Hour, SessionLifetime: 2 * time.Hour,
		CookieSecure: "auto", SignInWindow: time.Minute, SignInMaxFails: 5}
	s, err := c.validate()
	if err != nil {
		t.Fatal(err)
	}
	if s.db.Dialect != models.SQLite || s.db.Path != "data/rampart.db" {
		t.Errorf("default database = %+v, want SQLite under ./data", s.db)
	}
	if s.baseURL != "http://localhost:8080" || s.bodyLimit != 1<<20 {
		t.Errorf("derived base URL %q, body limit %d", s.baseURL, s.bodyLimit)
	}
}

func TestAdminCreate(t *testing.T) {
	dir := t.TempDir()
	run := func(stdin string, args ...string) (int, string) {
		var out, errOut bytes.Buffer
		full := append([]string{"rampart", "--data-dir", dir, "--log-level", "error"}, args...)
		code := Main(context.Background(), full, strings.NewReader(stdin), &out, &errOut)
		return code, out.String() + errOut.String()
	}
	if code, msg := run("short\n", "admin", "create", "--email", "boss@corp.test", "--name", "Boss"); code != 1 || !strings.Contains(msg, "at least 12") {
		t.Fatalf("short password: %d %q", code, msg)
	}
	if code, msg := run("a long enough passphrase\n", "admin", "create", "--email", "not an email", "--name", "Boss"); code != 1 || !strings.Contains(msg, "--email") {
		t.Fatalf("bad email: %d %q", code, msg)
	}
	if code, msg := run("a long enough passphrase\n", "admin", "create", "--email", "Boss@Corp.test", "--name", "Boss"); code != 0 || !strings.Contains(msg, "boss@corp.test created") {
		t.Fatalf("create: %d %q", code, msg)
	}
	if code, msg := run("a long enough passphrase\n", "admin", "create", "--email", "boss@corp.test", "--name", "Boss again"); code != 1 || !strings.Contains(msg, "already exists") {
		t.Fatalf("duplicate: %d %q", code, msg)
	}
	if code, msg := run("", "audit", "verify"); code != 0 || !strings.Contains(msg, "intact: 1 events") {
		t.Fatalf("audit verify: %d %q", code, msg)
	}
	db, err := models.Open(context.Background(), models.Target{Dialect: models.SQLite, Path: dir + "/rampart.db", DSN: "file:" + dir + "/rampart.db"}, models.DefaultPool)
	if err != nil {
		t.Fatal(err)
	}
	testdb.Tamper(t, db, "UPDATE audit_events SET actor_label = 'someone else'")
	db.Close()
	if code, msg := run("", "audit", "verify"); code != 1 || !strings.Contains(msg, "broken at event 1") {
		t.Fatalf("audit verify after tampering: %d %q", code, msg)
	}
	// Demo data never joins real accounts.
	if code, msg := run("", "seed"); code != 1 || !strings.Contains(msg, "already has users") {
		t.Fatalf("seed into a database with an admin: %d %q", code, msg)
	}
}

func TestSeedScale(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	code := Main(context.Background(), []string{"rampart", "--data-dir", dir, "--log-level", "error", "seed", "--scale", "2500"}, strings.NewReader(""), &out, &errOut)
	if code != 0 || !strings.Contains(errOut.String(), "2500 of 2500 vendors (100%)") || !strings.Contains(out.String(), "2500 vendors added") {
		t.Fatalf("seed --scale: %d %q %q", code, out.String(), errOut.String())
	}
	db, err := models.Open(context.Background(), models.Target{Dialect: models.SQLite, Path: dir + "/rampart.db", DSN: "file:" + dir + "/rampart.db"}, models.DefaultPool)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	page, _ := models.ListVendors(context.Background(), db.Gorm, models.VendorFilter{Tiers: []int64{1, 2}, Limit: 1})
	all, _ := models.ListVendors(context.Background(), db.Gorm, models.VendorFilter{Limit: 1})
	if all.Total != 2540 || page.Total == 0 || page.Total == all.Total {
		t.Fatalf("scaled portfolio: %d vendors, %d in tiers 1-2", all.Total, page.Total)
	}
}

func TestAdminResetPassword(t *testing.T) {
	dir := t.TempDir()
	run := func(stdin string, args ...string) (int, string) {
		var out, errOut bytes.Buffer
		full := append([]string{"rampart", "--data-dir", dir, "--log-level", "error"}, args...)
		code := Main(context.Background(), full, strings.NewReader(stdin), &out, &errOut)
		return code, out.String() + errOut.String()
	}
	if code, msg := run("a long enough passphrase\n", "admin", "create", "--email", "boss@corp.test", "--name", "Boss"); code != 0 {
		t.Fatalf("create: %d %q", code, msg)
	}
	if code, msg := run("a temporary passphrase\n", "admin", "reset-password", "--email", "nobody@corp.test"); code != 1 || !strings.Contains(msg, "no user") {
		t.Fatalf("unknown user: %d %q", code, msg)
	}
	if code, msg := run("short\n", "admin", "reset-password", "--email", "boss@corp.test"); code != 1 || !strings.Contains(msg, "at least 12") {
		t.Fatalf("short password: %d %q", code, msg)
	}
	if code, msg := run("a temporary passphrase\n", "admin", "reset-password", "--email", "Boss@corp.test"); code != 0 || !strings.Contains(msg, "Temporary password set for boss@corp.test") {
		t.Fatalf("reset: %d %q", code, msg)
	}
	db, err := models.Open(context.Background(), models.Target{Dialect: models.SQLite, Path: dir + "/rampart.db", DSN: "file:" + dir + "/rampart.db"}, models.DefaultPool)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := models.UserByEmail(context.Background(), db.Gorm, "boss@corp.test")
	if err != nil || !u.MustChangePassword {
		t.Fatalf("user after reset: %+v %v", u, err)
	}
	var n int64
	db.Gorm.Model(&models.AuditEvent{}).Where("action = ? AND actor_label LIKE ?", "user.password_temporary", "rampart admin reset-password%").Count(&n)
	if n != 1 {
		t.Fatal("reset not audited as the command")
	}
}
