package app

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/urfave/cli/v3"

	"rampart/app/assessments"
	"rampart/app/auth"
	"rampart/app/mail"
	"rampart/app/notify"
	"rampart/app/password"
	"rampart/app/reminders"
	"rampart/app/sso"
	"rampart/app/storage"
	"rampart/models"
)

// Config holds every setting. Each is declared once, in flags(), with its
// flag, environment variable, default and description; --help and
// docs/configuration.md come from that declaration.
type Config struct {
	DatabaseURL     string
	Addr            string
	DataDir         string
	BaseURL         string
	LogLevel        string
	LogFormat       string
	BodyLimit       string
	TrustedProxies  []string
	DBMaxOpenConns  int
	DBMaxIdleConns  int
	DBConnLifetime  time.Duration
	ShutdownTimeout time.Duration
	PprofAddr       string
	SessionIdle     time.Duration
	SessionLifetime time.Duration
	CookieSecure    string
	SignInWindow    time.Duration
	SignInMaxFails  int
	HashConcurrency int
	PortalMaxFiles  int
	PortalMaxBytes  string

	StorageURL             string
	StorageAccessKeyID     string
	StorageSecretAccessKey string

	AuditKeyFile        string
	AuditCheckpointFile string
	AuditCheckpointEach time.Duration

	// Advanced: how the outbox worker paces and holds its claims.
	MailPoll    time.Duration
	MailLease   time.Duration
	MailRetry   time.Duration
	SMTPTimeout time.Duration

	SMTPURL  string
	MailFrom string
	OrgName  string

	SSOProvidersFile string

	ReminderDays []int
	ChaseEvery   int
	ChaseMax     int
}

// Settings derived from Config once it is valid.
type settings struct {
	db        models.Target
	bodyLimit int64
	proxies   []*net.IPNet
	baseURL   string
	pool      models.Pool
	secure    bool
	quota     assessments.Quota
	// checkpointEvery is how often the server signs the audit trail's head.
	checkpointEvery time.Duration
	// smtp is the mail server; nil when mail is off.
	smtp *mail.Config
	// mailLease is how long a claimed message is held before another
	// instance may take it over; always longer than the SMTP timeout.
	mailLease time.Duration
	// mailRetry is the outbox's retry schedule.
	mailRetry []time.Duration
	// mailPoll is how often the outbox worker looks for due mail.
	mailPoll time.Duration
	// reminders are the vendor reminder and chaser timings.
	reminders reminders.Options
	// files is where uploads are stored.
	files storage.Backend
	// ssoProviders come from --sso-providers-file (nil without one).
	ssoProviders []sso.FileProvider
}

const (
	defaultMailPoll    = 2 * time.Second
	defaultMailLease   = 2 * time.Minute
	defaultSMTPTimeout = 30 * time.Second
	defaultOrgName     = "Our company"
)

const defaultCheckpointEvery = 10 * time.Minute

func (c *Config) flags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "database-url", Sources: cli.EnvVars("RAMPART_DATABASE_URL"), Destination: &c.DatabaseURL,
			Usage: "database: a file path or sqlite:PATH for embedded SQLite, postgres://... for PostgreSQL (default: DATA_DIR/rampart.db)"},
		&cli.StringFlag{Name: "addr", Sources: cli.EnvVars("RAMPART_ADDR"), Destination: &c.Addr, Value: "127.0.0.1:8080",
			Usage: "address the HTTP server listens on; use :8080 to listen on every interface"},
		&cli.StringFlag{Name: "data-dir", Sources: cli.EnvVars("RAMPART_DATA_DIR"), Destination: &c.DataDir, Value: "data",
			Usage: "folder for uploaded files and, by default, the SQLite database"},
		&cli.StringFlag{Name: "base-url", Sources: cli.EnvVars("RAMPART_BASE_URL"), Destination: &c.BaseURL,
			Usage: "public URL of this instance, used in links (portal invitations, calendar feed); https turns on HSTS (default: http://ADDR)"},
		&cli.StringFlag{Name: "storage-url", Sources: cli.EnvVars("RAMPART_STORAGE_URL"), Destination: &c.StorageURL,
			Usage: "where uploaded files are kept: empty for DATA_DIR/files, file:///PATH for another folder, or s3://BUCKET/PREFIX?endpoint=https://HOST&region=REGION&path_style=true&sse=AES256 for an S3-compatible bucket (see docs/operations.md)"},
		&cli.StringFlag{Name: "storage-access-key-id", Sources: cli.EnvVars("RAMPART_STORAGE_ACCESS_KEY_ID"), Destination: &c.StorageAccessKeyID,
			Usage: "S3 access key ID; default: AWS_ACCESS_KEY_ID, then the shared credentials file (AWS_PROFILE), then the instance's role"},
		&cli.StringFlag{Name: "storage-secret-access-key", Sources: cli.EnvVars("RAMPART_STORAGE_SECRET_ACCESS_KEY"), Destination: &c.StorageSecretAccessKey,
			Usage: "S3 secret access key, with --storage-access-key-id (prefer the environment variable to the flag: flags show in the process list)"},
		&cli.StringFlag{Name: "smtp-url", Sources: cli.EnvVars("RAMPART_SMTP_URL"), Destination: &c.SMTPURL,
			Usage: "mail server for notices and questionnaire invitations: smtp://user:password@host:587 (STARTTLS), smtps://user:password@host:465, or smtp://host:25?starttls=none for a local relay; empty: mail is off (in --demo, mail is kept in the outbox page instead)"},
		&cli.StringFlag{Name: "mail-from", Sources: cli.EnvVars("RAMPART_MAIL_FROM"), Destination: &c.MailFrom,
			Usage: "sender of every mail, e.g. \"Vendor Risk <risk@example.com>\" (required with --smtp-url)"},
		&cli.DurationFlag{Name: "smtp-timeout", Sources: cli.EnvVars("RAMPART_SMTP_TIMEOUT"), Destination: &c.SMTPTimeout, Value: defaultSMTPTimeout,
			Usage: "advanced: how long the mail server may take to answer each step of a delivery before the try counts as failed"},
		&cli.DurationFlag{Name: "mail-poll-interval", Sources: cli.EnvVars("RAMPART_MAIL_POLL_INTERVAL"), Destination: &c.MailPoll, Value: defaultMailPoll,
			Usage: "advanced: how often each instance looks for mail due to be sent"},
		&cli.DurationFlag{Name: "mail-lease", Sources: cli.EnvVars("RAMPART_MAIL_LEASE"), Destination: &c.MailLease, Value: defaultMailLease,
			Usage: "advanced: how long an instance holds a message it is sending; a message held by an instance that died goes out from another one after this (at least twice --smtp-timeout)"},
		&cli.DurationFlag{Name: "mail-retry-after", Sources: cli.EnvVars("RAMPART_MAIL_RETRY_AFTER"), Destination: &c.MailRetry, Value: notify.Retry[0],
			Usage: "advanced: wait before the first new try of a message the server did not take; later waits grow from it (1m: 1m, 5m, 15m, 1h, 3h, 6h, 12h, 24h, then failed)"},
		&cli.StringFlag{Name: "sso-providers-file", Sources: cli.EnvVars("RAMPART_SSO_PROVIDERS_FILE"), Destination: &c.SSOProvidersFile,
			Usage: "JSON file of OpenID Connect identity providers to create or update at start, by slug (infrastructure as code; see docs/security.md#single-sign-on-openid-connect)"},
		&cli.StringFlag{Name: "org-name", Sources: cli.EnvVars("RAMPART_ORG_NAME"), Destination: &c.OrgName, Value: defaultOrgName,
			Usage: "your company's name as vendors see it in mails and the portal, until an administrator sets one in Settings → Vendor portal"},
		&cli.IntSliceFlag{Name: "reminder-days", Sources: cli.EnvVars("RAMPART_REMINDER_DAYS"), Destination: &c.ReminderDays, Value: reminders.Defaults.ReminderDays,
			Usage: "days before a questionnaire's due date on which its vendor contact is reminded, e.g. 7,3,1"},
		&cli.IntFlag{Name: "chase-every", Sources: cli.EnvVars("RAMPART_CHASE_EVERY"), Destination: &c.ChaseEvery, Value: reminders.Defaults.ChaseEvery,
			Usage: "days between overdue chasers of an unanswered questionnaire (the first goes the day after the due date)"},
		&cli.IntFlag{Name: "chase-max", Sources: cli.EnvVars("RAMPART_CHASE_MAX"), Destination: &c.ChaseMax, Value: reminders.Defaults.ChaseMax,
			Usage: "most overdue chasers one questionnaire gets"},
		&cli.StringFlag{Name: "log-level", Sources: cli.EnvVars("RAMPART_LOG_LEVEL"), Destination: &c.LogLevel, Value: "info",
			Usage: "debug, info, warn or error"},
		&cli.StringFlag{Name: "log-format", Sources: cli.EnvVars("RAMPART_LOG_FORMAT"), Destination: &c.LogFormat, Value: "auto",
			Usage: "text, json, or auto (text on a terminal, JSON otherwise)"},
		&cli.StringFlag{Name: "body-limit", Sources: cli.EnvVars("RAMPART_BODY_LIMIT"), Destination: &c.BodyLimit, Value: "1MiB",
			Usage: "largest JSON request body accepted, e.g. 512KiB, 2MiB"},
		&cli.StringSliceFlag{Name: "trusted-proxies", Sources: cli.EnvVars("RAMPART_TRUSTED_PROXIES"), Destination: &c.TrustedProxies,
			Usage: "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed (default: none)"},
		&cli.IntFlag{Name: "db-max-open-conns", Sources: cli.EnvVars("RAMPART_DB_MAX_OPEN_CONNS"), Destination: &c.DBMaxOpenConns, Value: models.DefaultPool.MaxOpen,
			Usage: "most database connections this instance opens; instances x this must stay below PostgreSQL's max_connections (SQLite: one writer plus this many readers, at most 8 or one per CPU)"},
		&cli.IntFlag{Name: "db-max-idle-conns", Sources: cli.EnvVars("RAMPART_DB_MAX_IDLE_CONNS"), Destination: &c.DBMaxIdleConns, Value: models.DefaultPool.MaxIdle,
			Usage: "idle database connections kept open"},
		&cli.DurationFlag{Name: "db-conn-max-lifetime", Sources: cli.EnvVars("RAMPART_DB_CONN_MAX_LIFETIME"), Destination: &c.DBConnLifetime, Value: models.DefaultPool.MaxLifetime,
			Usage: "how long a database connection is reused before it is replaced"},
		&cli.DurationFlag{Name: "session-idle-timeout", Sources: cli.EnvVars("RAMPART_SESSION_IDLE_TIMEOUT"), Destination: &c.SessionIdle, Value: auth.DefaultPolicy.IdleTimeout,
			Usage: "a session unused this long ends"},
		&cli.DurationFlag{Name: "session-lifetime", Sources: cli.EnvVars("RAMPART_SESSION_LIFETIME"), Destination: &c.SessionLifetime, Value: auth.DefaultPolicy.Lifetime,
			Usage: "a session ends this long after sign-in, however active"},
		&cli.StringFlag{Name: "cookie-secure", Sources: cli.EnvVars("RAMPART_COOKIE_SECURE"), Destination: &c.CookieSecure, Value: "auto",
			Usage: "mark the session cookie Secure: auto (when the base URL is https), always or never"},
		&cli.DurationFlag{Name: "signin-window", Sources: cli.EnvVars("RAMPART_SIGNIN_WINDOW"), Destination: &c.SignInWindow, Value: auth.DefaultPolicy.Window,
			Usage: "failed sign-ins are counted over this window; a throttled account or address waits until it ends"},
		&cli.IntFlag{Name: "signin-max-failures", Sources: cli.EnvVars("RAMPART_SIGNIN_MAX_FAILURES"), Destination: &c.SignInMaxFails, Value: int(auth.DefaultPolicy.MaxPerAccountAddr),
			Usage: "failed sign-ins allowed per account from one client address within the window; a client address gets six times as many over all accounts, and past twice as many on one account from all addresses only addresses with no failure on it may try"},
		&cli.IntFlag{Name: "hash-concurrency", Sources: cli.EnvVars("RAMPART_HASH_CONCURRENCY"), Destination: &c.HashConcurrency, Value: password.DefaultLimit(),
			Usage: "password hashes (sign-ins, password changes, new users) computed at once, each using 19 MiB; more wait up to 3 seconds, then get 503 (0 or default: the number of CPUs, at least 2)"},
		&cli.IntFlag{Name: "portal-upload-max-files", Sources: cli.EnvVars("RAMPART_PORTAL_UPLOAD_MAX_FILES"), Destination: &c.PortalMaxFiles, Value: assessments.DefaultQuota.MaxFiles,
			Usage: "most evidence files vendors may upload to one assessment through its portal links"},
		&cli.StringFlag{Name: "portal-upload-max-bytes", Sources: cli.EnvVars("RAMPART_PORTAL_UPLOAD_MAX_BYTES"), Destination: &c.PortalMaxBytes, Value: "100MiB",
			Usage: "most evidence vendors may upload to one assessment through its portal links, in total, e.g. 100MiB (one file is at most 25 MiB)"},
		&cli.StringFlag{Name: "audit-key-file", Sources: cli.EnvVars("RAMPART_AUDIT_KEY_FILE"), Destination: &c.AuditKeyFile,
			Usage: "Ed25519 private key (PKCS#8 PEM) that signs audit checkpoints; keep it outside the database and its backups (default: DATA_DIR/audit-signing.key, generated on first start)"},
		&cli.StringFlag{Name: "audit-checkpoint-file", Sources: cli.EnvVars("RAMPART_AUDIT_CHECKPOINT_FILE"), Destination: &c.AuditCheckpointFile,
			Usage: "file the server appends signed audit checkpoints to, one JSON line each (default: DATA_DIR/audit-checkpoints.jsonl)"},
		&cli.DurationFlag{Name: "audit-checkpoint-interval", Sources: cli.EnvVars("RAMPART_AUDIT_CHECKPOINT_INTERVAL"), Destination: &c.AuditCheckpointEach, Value: defaultCheckpointEvery,
			Usage: "how often the server signs the audit trail's last event when it moved"},
		&cli.StringFlag{Name: "pprof-addr", Sources: cli.EnvVars("RAMPART_PPROF_ADDR"), Destination: &c.PprofAddr,
			Usage: "advanced: serve Go's profiles (CPU, heap, goroutines, blocking and lock contention) at http://ADDR/debug/pprof/ for finding where time goes; loopback addresses only, off by default"},
		&cli.DurationFlag{Name: "shutdown-timeout", Sources: cli.EnvVars("RAMPART_SHUTDOWN_TIMEOUT"), Destination: &c.ShutdownTimeout, Value: 30 * time.Second,
			Usage: "on SIGTERM, how long in-flight requests may take to finish"},
	}
}

// settingError names the setting at fault both ways a user may have set it.
func settingError(flag, env, value, problem string) error {
	return fmt.Errorf("invalid setting --%s (%s) %q: %s", flag, env, value, problem)
}

// validate checks every setting and derives the typed values; the first
// bad setting is reported in one line naming it.
func (c *Config) validate() (settings, error) {
	var s settings
	if c.DataDir == "" {
		return s, settingError("data-dir", "RAMPART_DATA_DIR", c.DataDir, "must not be empty")
	}
	dbURL := c.DatabaseURL
	if dbURL == "" {
		dbURL = filepath.Join(c.DataDir, "rampart.db")
	}
	t, err := models.ParseURL(dbURL)
	if err != nil {
		return s, settingError("database-url", "RAMPART_DATABASE_URL", redactURL(c.DatabaseURL), err.Error())
	}
	s.db = t
	if (c.StorageAccessKeyID == "") != (c.StorageSecretAccessKey == "") {
		return s, settingError("storage-access-key-id", "RAMPART_STORAGE_ACCESS_KEY_ID", c.StorageAccessKeyID, "give both the access key ID and the secret access key (RAMPART_STORAGE_SECRET_ACCESS_KEY), or neither")
	}
	if s.files, err = storage.Open(c.StorageURL, storage.Options{DataDir: c.DataDir, AccessKeyID: c.StorageAccessKeyID, SecretAccessKey: c.StorageSecretAccessKey}); err != nil {
		return s, settingError("storage-url", "RAMPART_STORAGE_URL", redactURL(c.StorageURL), err.Error())
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		return s, settingError("addr", "RAMPART_ADDR", c.Addr, "must be HOST:PORT or :PORT")
	}
	if c.PprofAddr != "" {
		// Profiles show request data in stacks and cost CPU to take: never on a public address.
		host, port, err := net.SplitHostPort(c.PprofAddr)
		if ip := net.ParseIP(host); err != nil || port == "" || (host != "localhost" && (ip == nil || !ip.IsLoopback())) {
			return s, settingError("pprof-addr", "RAMPART_PPROF_ADDR", c.PprofAddr, "must be a loopback HOST:PORT, e.g. 127.0.0.1:6060")
		}
	}
	s.baseURL = strings.TrimRight(c.BaseURL, "/")
	if s.baseURL == "" {
		host, port, _ := net.SplitHostPort(c.Addr)
		if host == "" || host == "0.0.0.0" || host == "::" || host == "127.0.0.1" {
			host = "localhost"
		}
		s.baseURL = "http://" + net.JoinHostPort(host, port)
	} else if u, err := url.Parse(s.baseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return s, settingError("base-url", "RAMPART_BASE_URL", c.BaseURL, "must be an absolute http:// or https:// URL")
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, c.LogLevel) {
		return s, settingError("log-level", "RAMPART_LOG_LEVEL", c.LogLevel, "must be one of debug, info, warn, error")
	}
	if !slices.Contains([]string{"auto", "text", "json"}, c.LogFormat) {
		return s, settingError("log-format", "RAMPART_LOG_FORMAT", c.LogFormat, "must be one of auto, text, json")
	}
	n, err := humanize.ParseBytes(c.BodyLimit)
	if err != nil || n < 1024 || n > 1<<30 {
		return s, settingError("body-limit", "RAMPART_BODY_LIMIT", c.BodyLimit, "must be a size between 1KiB and 1GiB, e.g. 2MiB")
	}
	s.bodyLimit = int64(n)
	for _, p := range c.TrustedProxies {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		cidr := p
		if ip := net.ParseIP(p); ip != nil && ip.To4() != nil {
			cidr += "/32"
		} else if ip != nil {
			cidr += "/128"
		}
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			return s, settingError("trusted-proxies", "RAMPART_TRUSTED_PROXIES", p, "must be an IP address or CIDR range such as 10.0.0.0/8")
		}
		s.proxies = append(s.proxies, n)
	}
	if c.DBMaxOpenConns < 1 || c.DBMaxOpenConns > 1000 {
		return s, settingError("db-max-open-conns", "RAMPART_DB_MAX_OPEN_CONNS", fmt.Sprint(c.DBMaxOpenConns), "must be between 1 and 1000")
	}
	if c.DBMaxIdleConns < 0 || c.DBMaxIdleConns > c.DBMaxOpenConns {
		return s, settingError("db-max-idle-conns", "RAMPART_DB_MAX_IDLE_CONNS", fmt.Sprint(c.DBMaxIdleConns), "must be between 0 and db-max-open-conns")
	}
	if c.DBConnLifetime < 0 {
		return s, settingError("db-conn-max-lifetime", "RAMPART_DB_CONN_MAX_LIFETIME", c.DBConnLifetime.String(), "must not be negative")
	}
	if c.ShutdownTimeout <= 0 {
		return s, settingError("shutdown-timeout", "RAMPART_SHUTDOWN_TIMEOUT", c.ShutdownTimeout.String(), "must be positive")
	}
	if c.SessionIdle < time.Minute || c.SessionIdle > 30*24*time.Hour {
		return s, settingError("session-idle-timeout", "RAMPART_SESSION_IDLE_TIMEOUT", c.SessionIdle.String(), "must be between 1m and 720h")
	}
	if c.SessionLifetime < c.SessionIdle || c.SessionLifetime > 90*24*time.Hour {
		return s, settingError("session-lifetime", "RAMPART_SESSION_LIFETIME", c.SessionLifetime.String(), "must be at least the idle timeout and at most 2160h")
	}
	switch c.CookieSecure {
	case "auto":
		s.secure = strings.HasPrefix(s.baseURL, "https://")
	case "always":
		s.secure = true
	case "never":
	default:
		return s, settingError("cookie-secure", "RAMPART_COOKIE_SECURE", c.CookieSecure, "must be one of auto, always, never")
	}
	if c.SignInWindow < time.Second || c.SignInWindow > 24*time.Hour {
		return s, settingError("signin-window", "RAMPART_SIGNIN_WINDOW", c.SignInWindow.String(), "must be between 1s and 24h")
	}
	if c.SignInMaxFails < 1 || c.SignInMaxFails > 1000 {
		return s, settingError("signin-max-failures", "RAMPART_SIGNIN_MAX_FAILURES", fmt.Sprint(c.SignInMaxFails), "must be between 1 and 1000")
	}
	if c.HashConcurrency == 0 {
		c.HashConcurrency = password.DefaultLimit()
	}
	if c.HashConcurrency < 1 || c.HashConcurrency > 256 {
		return s, settingError("hash-concurrency", "RAMPART_HASH_CONCURRENCY", fmt.Sprint(c.HashConcurrency), "must be between 1 and 256 (0: the number of CPUs, at least 2)")
	}
	// Zero values mean the defaults, so a Config built in code (tests,
	// embedding) need not name every limit.
	if c.PortalMaxFiles == 0 {
		c.PortalMaxFiles = assessments.DefaultQuota.MaxFiles
	}
	if c.PortalMaxBytes == "" {
		c.PortalMaxBytes = humanize.IBytes(uint64(assessments.DefaultQuota.MaxBytes))
	}
	if c.PortalMaxFiles < 1 || c.PortalMaxFiles > 10000 {
		return s, settingError("portal-upload-max-files", "RAMPART_PORTAL_UPLOAD_MAX_FILES", fmt.Sprint(c.PortalMaxFiles), "must be between 1 and 10000")
	}
	pb, err := humanize.ParseBytes(c.PortalMaxBytes)
	if err != nil || pb < 1<<20 || pb > 1<<40 {
		return s, settingError("portal-upload-max-bytes", "RAMPART_PORTAL_UPLOAD_MAX_BYTES", c.PortalMaxBytes, "must be a size between 1MiB and 1TiB, e.g. 100MiB")
	}
	s.quota = assessments.Quota{MaxFiles: c.PortalMaxFiles, MaxBytes: int64(pb)}
	s.checkpointEvery = c.AuditCheckpointEach
	if s.checkpointEvery == 0 {
		s.checkpointEvery = defaultCheckpointEvery
	}
	if s.checkpointEvery < time.Minute || s.checkpointEvery > 24*time.Hour {
		return s, settingError("audit-checkpoint-interval", "RAMPART_AUDIT_CHECKPOINT_INTERVAL", c.AuditCheckpointEach.String(), "must be between 1m and 24h")
	}
	// Zero values mean the defaults, as for the portal limits above.
	if c.SMTPTimeout == 0 {
		c.SMTPTimeout = defaultSMTPTimeout
	}
	if c.MailPoll == 0 {
		c.MailPoll = defaultMailPoll
	}
	if c.MailLease == 0 {
		c.MailLease = defaultMailLease
	}
	if c.MailRetry == 0 {
		c.MailRetry = notify.Retry[0]
	}
	if c.MailRetry < time.Second || c.MailRetry > time.Hour {
		return s, settingError("mail-retry-after", "RAMPART_MAIL_RETRY_AFTER", c.MailRetry.String(), "must be between 1s and 1h")
	}
	s.mailRetry = notify.RetryFrom(c.MailRetry)
	if c.SMTPTimeout < time.Second || c.SMTPTimeout > 5*time.Minute {
		return s, settingError("smtp-timeout", "RAMPART_SMTP_TIMEOUT", c.SMTPTimeout.String(), "must be between 1s and 5m")
	}
	if c.MailPoll < 100*time.Millisecond || c.MailPoll > time.Hour {
		return s, settingError("mail-poll-interval", "RAMPART_MAIL_POLL_INTERVAL", c.MailPoll.String(), "must be between 100ms and 1h")
	}
	// A delivery is several exchanges with the server, each allowed the
	// timeout: a lease shorter than two of them would let a second
	// instance take over a message that is still being sent.
	if c.MailLease < 2*c.SMTPTimeout || c.MailLease > 24*time.Hour {
		return s, settingError("mail-lease", "RAMPART_MAIL_LEASE", c.MailLease.String(), "must be at least twice --smtp-timeout ("+(2*c.SMTPTimeout).String()+") and at most 24h")
	}
	s.mailPoll, s.mailLease = c.MailPoll, c.MailLease
	if c.SMTPURL != "" {
		if c.MailFrom == "" {
			return s, settingError("mail-from", "RAMPART_MAIL_FROM", c.MailFrom, "is required with --smtp-url")
		}
		mc, err := mail.ParseURL(c.SMTPURL, c.MailFrom)
		if err != nil {
			return s, settingError("smtp-url", "RAMPART_SMTP_URL", redactURL(c.SMTPURL), err.Error())
		}
		mc.Timeout = c.SMTPTimeout
		s.smtp = &mc
	}
	if c.SSOProvidersFile != "" {
		list, err := sso.LoadFile(c.SSOProvidersFile)
		if err != nil {
			return s, settingError("sso-providers-file", "RAMPART_SSO_PROVIDERS_FILE", c.SSOProvidersFile, err.Error())
		}
		s.ssoProviders = list
	}
	if strings.TrimSpace(c.OrgName) == "" {
		c.OrgName = defaultOrgName
	}
	// The option is the name's default, so it follows the setting's rules.
	name, err := assessments.CheckOrgName(c.OrgName)
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		return s, settingError("org-name", "RAMPART_ORG_NAME", c.OrgName, ve.Errors[0].Message)
	}
	c.OrgName = name
	for _, d := range c.ReminderDays {
		if d < 1 || d > 90 {
			return s, settingError("reminder-days", "RAMPART_REMINDER_DAYS", fmt.Sprint(c.ReminderDays), "each must be 1-90 days")
		}
	}
	// Zero (a Config built without its flags) takes the default.
	if c.ChaseEvery < 0 || c.ChaseEvery > 60 {
		return s, settingError("chase-every", "RAMPART_CHASE_EVERY", strconv.Itoa(c.ChaseEvery), "must be 1-60 days")
	}
	if c.ChaseMax < 0 || c.ChaseMax > 20 {
		return s, settingError("chase-max", "RAMPART_CHASE_MAX", strconv.Itoa(c.ChaseMax), "must be 1-20")
	}
	s.reminders = reminders.Options{ReminderDays: c.ReminderDays, ChaseEvery: c.ChaseEvery, ChaseMax: c.ChaseMax}
	s.pool = models.Pool{MaxOpen: c.DBMaxOpenConns, MaxIdle: c.DBMaxIdleConns, MaxLifetime: c.DBConnLifetime, MaxIdleTime: 5 * time.Minute}
	return s, nil
}

// prepareDataDir makes sure the data folder exists and is writable.
func prepareDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return settingError("data-dir", "RAMPART_DATA_DIR", dir, "cannot create the folder: "+err.Error())
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return settingError("data-dir", "RAMPART_DATA_DIR", dir, "the folder is not writable")
	}
	name := f.Name()
	_ = f.Close()
	return os.Remove(name)
}

// redactURL hides a password in a database URL before it is printed.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}

func (s settings) authPolicy(c *Config) auth.Policy {
	return auth.Policy{
		IdleTimeout: c.SessionIdle, Lifetime: c.SessionLifetime, Window: c.SignInWindow,
		MaxPerAccountAddr: int64(c.SignInMaxFails), MaxPerClientAddr: 6 * int64(c.SignInMaxFails), MaxPerAccount: 2 * int64(c.SignInMaxFails),
	}
}
