package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/urfave/cli/v3"

	"rampart/app/auth"
	"rampart/app/mail"
	"rampart/app/notify"
	"rampart/app/password"
	"rampart/app/reminders"
	"rampart/app/sso"
	"rampart/app/webhooks"
	"rampart/frontend"
	"rampart/handlers"
	"rampart/models"
	"rampart/seeds"
)

func serveCommand(cfg *Config) *cli.Command {
	var demo bool
	return &cli.Command{
		Name:  "serve",
		Usage: "apply migrations and serve the web app and the API",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "demo", Sources: cli.EnvVars("RAMPART_DEMO"), Destination: &demo,
				Usage: "load demo accounts and data into an empty database (never use in production)"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			return serve(ctx, cfg, demo, cmd)
		},
	}
}

func serve(ctx context.Context, cfg *Config, demo bool, cmd *cli.Command) error {
	start := time.Now()
	e, err := open(ctx, cfg, cmd.Root().ErrWriter)
	if err != nil {
		return err
	}
	defer e.db.Close()
	if err := e.migrate(ctx); err != nil {
		return err
	}
	files := e.set.files
	if err := checkFiles(ctx, files); err != nil {
		return err
	}
	if e.set.ssoProviders != nil {
		n, err := (&sso.Service{DB: e.db.Gorm}).Sync(ctx, e.set.ssoProviders)
		if err != nil {
			return settingError("sso-providers-file", "RAMPART_SSO_PROVIDERS_FILE", cfg.SSOProvidersFile, err.Error())
		}
		e.log.Info("single sign-on providers from the file", "providers", len(e.set.ssoProviders), "changed", n)
	}
	demoLoaded := false
	if demo {
		switch res, err := seeds.Demo(ctx, e.db.Gorm); {
		case errors.Is(err, seeds.ErrNotEmpty):
			e.log.Info("demo data not loaded: the database already has users")
		case err != nil:
			return fmt.Errorf("load demo data: %w", err)
		default:
			demoLoaded = res != nil
			if err := seeds.DemoDocuments(ctx, e.db.Gorm, files); err != nil {
				return fmt.Errorf("load demo contract documents: %w", err)
			}
			e.log.Info("demo data loaded")
		}
	}
	var accounts []handlers.DemoAccount
	for _, u := range append(slices.Clone(seeds.DemoUsers), seeds.DemoScopedUser) {
		accounts = append(accounts, handlers.DemoAccount{Email: u.Email, Name: u.Name, Role: string(u.Role)})
	}
	auditKey, err := e.auditKey(true)
	if err != nil {
		return err
	}
	notifier := &notify.Notifier{Mode: notify.MailOff, BaseURL: e.set.baseURL, OrgName: cfg.OrgName}
	switch {
	case e.set.smtp != nil:
		notifier.Mode = notify.MailOn
	case demo:
		notifier.Mode = notify.MailDemo
	}
	if demoLoaded {
		if err := seeds.DemoNotices(ctx, e.db.Gorm, *notifier); err != nil {
			return fmt.Errorf("load demo notices: %w", err)
		}
	}
	authSvc := &auth.Service{DB: e.db.Gorm, Policy: e.set.authPolicy(cfg), Hasher: password.NewLimiter(cfg.HashConcurrency, password.DefaultWait)}
	srv, err := handlers.New(handlers.Deps{
		DB: e.db, Log: e.log, Version: Version, Demo: demo, BaseURL: e.set.baseURL,
		BodyLimit: e.set.bodyLimit, TrustedProxies: e.set.proxies, UI: frontend.Files(),
		Auth: authSvc, Files: files, PortalQuota: e.set.quota, CookieSecure: e.set.secure, DemoAccounts: accounts, DemoPassword: seeds.DemoPassword,
		AuditKey: auditKey, Notify: notifier,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return settingError("addr", "RAMPART_ADDR", cfg.Addr, err.Error())
	}
	if cfg.PprofAddr != "" {
		if _, err := serveProfiles(ctx, e.log, cfg.PprofAddr); err != nil {
			return settingError("pprof-addr", "RAMPART_PPROF_ADDR", cfg.PprofAddr, err.Error())
		}
	}
	e.log.Info("listening", "addr", ln.Addr().String(), "url", e.set.baseURL, "demo", demo,
		"body_limit", humanize.IBytes(uint64(e.set.bodyLimit)), "portal_upload_max", humanize.IBytes(uint64(e.set.quota.MaxBytes)),
		"shutdown_timeout", cfg.ShutdownTimeout, "startup", time.Since(start).Round(time.Millisecond))
	// The background loops' first rounds log what they found; the banner
	// waits for them, so that it is the last thing a person at the
	// terminal sees (a demo's successful requests are logged at debug).
	var firstRounds sync.WaitGroup
	firstRounds.Add(3)
	go sweep(ctx, e, authSvc.Policy, firstRounds.Done)
	go sweepFiles(ctx, e, files, firstRounds.Done)
	go checkpointLoop(ctx, e, auditKey, e.set.checkpointEvery, firstRounds.Done)
	startNotices(ctx, e, notifier)
	go func() {
		firstRounds.Wait()
		if ctx.Err() == nil {
			printBanner(cmd.Root().Writer, e.set.baseURL, notifier.Mode, demo, demoLoaded)
		}
	}()
	return runServer(ctx, e.log, ln, srv, cfg.ShutdownTimeout)
}

// startNotices starts this instance's outbox worker (when mail is on),
// webhook worker and scheduler. Every instance runs both: claims keep each message and each
// round of a task to one instance (docs/decisions/0003).
func startNotices(ctx context.Context, e *env, n *notify.Notifier) {
	instance := notify.InstanceID()
	if e.set.smtp != nil {
		w := &notify.Worker{DB: e.db.Gorm, Sender: mail.SMTP{Config: *e.set.smtp}, Instance: instance, Lease: e.set.mailLease, Retry: e.set.mailRetry, Log: e.log}
		go w.Run(ctx, e.set.mailPoll)
	}
	hooks := &webhooks.Worker{DB: e.db.Gorm, Instance: instance, Notify: n, UserAgent: "Rampart-Webhooks/" + Version, Log: e.log}
	go hooks.Run(ctx, 5*time.Second)
	tasks := append(notify.Tasks(e.db.Gorm, n), reminders.Tasks(e.db.Gorm, n, e.set.reminders, e.log)...)
	s := &notify.Scheduler{DB: e.db.Gorm, Instance: instance, Log: e.log, Tasks: tasks}
	go s.Run(ctx, time.Minute)
	// The dashboard's tallies grow by a few rows a change, and the
	// dashboard and the vendor list's totals read every row not yet folded
	// (14,700 rows: 6.4 ms of PostgreSQL's time a dashboard call, against
	// 0.5 folded). make bench's writes add about 4,500 a minute, so they
	// are folded every 10 s, in a round of their own so that the other
	// tasks keep their pace.
	fold := &notify.Scheduler{DB: e.db.Gorm, Instance: instance, Log: e.log, Tasks: []notify.Task{{Name: "dashboard-fold", Next: notify.Every(foldEvery),
		Run: func(ctx context.Context, now time.Time) error {
			_, err := models.FoldDashboardTallies(ctx, e.db.Gorm, now)
			return err
		}}}}
	go fold.Run(ctx, foldEvery)
}

// foldEvery is how often the dashboard's tallies are folded.
const foldEvery = 10 * time.Second

// printBanner tells a person where the server is, whether it sends mail
// and, in a demo, how to sign in.
func printBanner(out io.Writer, baseURL string, mode notify.Mode, demo, demoLoaded bool) {
	fmt.Fprintf(out, "Rampart %s is running at %s\n", Version, baseURL)
	switch mode {
	case notify.MailOff:
		fmt.Fprintln(out, "Mail is off: notices reach the bell only. Set RAMPART_SMTP_URL and RAMPART_MAIL_FROM to send mail.")
	case notify.MailDemo:
		fmt.Fprintln(out, "Mail is kept in the demo outbox (Settings → Notifications), never sent. Set RAMPART_SMTP_URL to send it.")
	}
	if demo {
		fmt.Fprintf(out, "Demo sign-in: admin@example.com (also risk@, legal@, head@, auditor@, and retail@ scoped to the Retail banking unit) with password %q\n", seeds.DemoPassword)
		// The portal link is a live credential and is not printed: terminal
		// scrollback and captured output outlive the demo.
		if demoLoaded {
			fmt.Fprintln(out, "Demo vendor portal: sign in as risk@example.com, open a sent assessment and choose \"Send a new link\".")
		}
	}
}

// sweep removes ended sessions and old throttle counters and refreshes
// SQLite's planner statistics every few minutes. Each step is idempotent,
// so every instance may run it. (Accepted risks expire in the scheduler's
// "exceptions-expire" task, which also tells the people concerned.)
func sweep(ctx context.Context, e *env, p auth.Policy, firstDone func()) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	firstDone = sync.OnceFunc(firstDone)
	for {
		now := time.Now().UTC()
		if n, err := models.DeleteExpiredSessions(ctx, e.db.Gorm, now, p.IdleTimeout); err != nil && ctx.Err() == nil {
			e.log.Warn("session sweep failed", "error", err.Error())
		} else if n > 0 {
			e.log.Info("ended sessions removed", "count", n)
		}
		if _, err := models.DeleteStaleThrottles(ctx, e.db.Gorm, now.Add(-p.Window)); err != nil && ctx.Err() == nil {
			e.log.Warn("throttle sweep failed", "error", err.Error())
		}
		if _, err := models.DeleteExpiredWebAuthnCeremonies(ctx, e.db.Gorm, now); err != nil && ctx.Err() == nil {
			e.log.Warn("passkey ceremony sweep failed", "error", err.Error())
		}
		if err := e.db.Optimize(ctx); err != nil && ctx.Err() == nil {
			e.log.Warn("planner statistics refresh failed", "error", err.Error())
		}
		firstDone()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// runServer serves until ctx ends, then stops accepting connections, lets
// in-flight requests finish (up to timeout, then closes their connections)
// and returns nil.
func runServer(ctx context.Context, log *slog.Logger, ln net.Listener, h http.Handler, timeout time.Duration) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests", "timeout", timeout)
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		// The stop was asked for and is carried out: requests still running
		// are cut off, which is logged, and the exit is still 0 (a non-zero
		// exit would make supervisors report a crash for a routine deploy).
		log.Warn("shutdown timeout reached: in-flight requests cut off", "timeout", timeout, "error", err.Error())
		_ = srv.Close()
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}
