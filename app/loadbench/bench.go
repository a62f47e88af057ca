package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"rampart/models"
)

// run prepares the database, starts srv, runs the mix and both vendor
// list throughput runs, and returns the report.
func run(ctx context.Context, cfg config, srv server, log io.Writer) (*report, error) {
	target, err := models.ParseURL(cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	clients, err := parseClients(cfg.Scaling, cfg.Concurrency)
	if err != nil {
		return nil, err
	}
	if target.Dialect == models.Postgres {
		if err := ensurePostgresDatabase(ctx, cfg.DatabaseURL); err != nil {
			return nil, err
		}
	}
	db, err := models.Open(ctx, target, models.DefaultPool)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	seedTook, err := ensureSeeded(ctx, cfg, db, srv, log)
	if err != nil {
		return nil, err
	}
	ids, err := sampleIDs(ctx, db)
	if err != nil {
		return nil, err
	}
	var vendors int64
	if err := db.Gorm.WithContext(ctx).Raw("SELECT COUNT(*) FROM vendors").Scan(&vendors).Error; err != nil {
		return nil, err
	}

	fmt.Fprintf(log, "starting %s against %s (%d vendors)\n", cfg.Bin, target.Dialect, vendors)
	started := time.Now()
	base, err := srv.Start(ctx)
	if err != nil {
		return nil, err
	}
	startup := time.Since(started)
	defer srv.Stop()
	if err := awaitScheduler(ctx, db, log, 10*time.Minute); err != nil {
		return nil, err
	}
	c, err := signIn(ctx, base, cfg.Concurrency)
	if err != nil {
		return nil, err
	}
	rep := &report{Dialect: string(target.Dialect), Vendors: vendors, Concurrency: cfg.Concurrency, Duration: cfg.Duration,
		LimitDuration: cfg.LimitDuration, ScalingDuration: cfg.ScalingDuration, Machine: machine(), SeedTook: seedTook, Startup: startup}
	// The vendor list alone first, on the database as the last vacuum left
	// it, before the mix's writes leave dead rows behind: the comparison is
	// about the code path, not vacuum timing.
	sqlText, vars, err := vendorListSQL(ctx, db)
	if err != nil {
		return nil, err
	}
	rep.LimitSQL = sqlText
	limit, err := startLimit(db, sqlText, vars)
	if err != nil {
		return nil, err
	}
	defer limit.Close()
	lc := newClient(limit.URL, cfg.Concurrency)
	ourList := func(int) result { return c.get(opList, limitPath) }
	limitList := func(int) result { return lc.get(opList, "/vendors") }
	warm := min(cfg.LimitDuration/5, 2*time.Second)
	fmt.Fprintf(log, "vendor list only, ours: %v\n", cfg.LimitDuration)
	drive(ctx, cfg.Concurrency, warm, ourList, nil)
	rep.OursList = orEmpty(drive(ctx, cfg.Concurrency, cfg.LimitDuration, ourList, nil)[opList])
	fmt.Fprintf(log, "vendor list only, the limit handler: %v\n", cfg.LimitDuration)
	drive(ctx, cfg.Concurrency, warm, limitList, nil)
	rep.LimitList = orEmpty(drive(ctx, cfg.Concurrency, cfg.LimitDuration, limitList, nil)[opList])

	mix := newMix(c, ids)
	fmt.Fprintln(log, "warming up")
	drive(ctx, cfg.Concurrency, min(cfg.Duration/5, 5*time.Second), mix.next, nil)
	if cfg.ServiceDuration > 0 {
		fmt.Fprintf(log, "mix: one client for %v\n", cfg.ServiceDuration)
		mix.calls.Store(0)
		rep.Service = drive(ctx, 1, cfg.ServiceDuration, mix.next, mix.owes)
		rep.CPU = cpuPerCall(ctx, db, srv.Pid(), mix, cfg.ServiceDuration/time.Duration(len(opOrder)), log)
	}
	fmt.Fprintf(log, "mix: %d clients for %v\n", cfg.Concurrency, cfg.Duration)
	mix.calls.Store(0)
	rep.Mix = drive(ctx, cfg.Concurrency, cfg.Duration, mix.next, mix.owes)
	rep.Scaling = scale(ctx, db, srv.Pid(), mix, clients, cfg.ScalingDuration, log)
	rep.Memory, rep.MemoryKnown = srv.PeakMemory()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if rep.WritesChecked, rep.WritesLost, err = mix.lostWrites(ctx, db); err != nil {
		return nil, fmt.Errorf("read back the acknowledged writes: %w", err)
	}
	return rep, nil
}

func orEmpty(s *stats) *stats {
	if s == nil {
		return &stats{}
	}
	return s
}

// limitPath is the vendor list as the register opens: first page, by name.
const limitPath = "/api/v1/vendors?limit=50"

// ensureSeeded loads the demo data and cfg.Scale vendors into an empty
// database, refuses a database holding something else, and refreshes the
// planner's statistics as autovacuum would in a running system.
func ensureSeeded(ctx context.Context, cfg config, db *models.DB, srv server, log io.Writer) (time.Duration, error) {
	var users, vendors int64
	// A fresh database has no tables yet: both counts stay zero.
	_ = db.Gorm.WithContext(ctx).Raw("SELECT COUNT(*) FROM users").Scan(&users).Error
	_ = db.Gorm.WithContext(ctx).Raw("SELECT COUNT(*) FROM vendors").Scan(&vendors).Error
	var took time.Duration
	switch {
	case users == 0:
		fmt.Fprintf(log, "seeding %d vendors into %s\n", cfg.Scale, redact(cfg.DatabaseURL))
		start := time.Now()
		if err := srv.Seed(ctx, cfg.Scale); err != nil {
			return 0, fmt.Errorf("seed: %w", err)
		}
		took = time.Since(start)
	case vendors < int64(cfg.Scale):
		return 0, fmt.Errorf("%s holds %d vendors, fewer than -scale %d: drop it or choose another database", redact(cfg.DatabaseURL), vendors, cfg.Scale)
	}
	if db.Dialect != models.Postgres {
		return took, nil // seed --scale analysed it; SQLite has no vacuum to wait for
	}
	// What autovacuum does soon after a bulk load: the visibility map that
	// index-only scans rely on, and fresh statistics.
	for _, table := range []string{"vendors", "vendor_tags", "vendor_data_types", "vendor_contacts", "assessments", "assessment_answers",
		"findings", "contracts", "vendor_risk_history", "tool_requests", "audit_events", "sessions"} {
		if err := db.Gorm.WithContext(ctx).Exec("VACUUM ANALYZE " + table).Error; err != nil {
			return took, err
		}
	}
	return took, nil
}

// ensurePostgresDatabase creates the database rawURL names if it does not
// exist, connecting to the server's postgres database to do so.
func ensurePostgresDatabase(ctx context.Context, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" || strings.ContainsAny(name, `"`) {
		return fmt.Errorf("database name %q", name)
	}
	u.Path = "/postgres"
	t, err := models.ParseURL(u.String())
	if err != nil {
		return err
	}
	admin, err := models.Open(ctx, t, models.Pool{MaxOpen: 1, MaxIdle: 1})
	if err != nil {
		return err
	}
	defer admin.Close()
	var n int64
	if err := admin.Gorm.WithContext(ctx).Raw("SELECT COUNT(*) FROM pg_database WHERE datname = ?", name).Scan(&n).Error; err != nil || n > 0 {
		return err
	}
	return admin.Gorm.WithContext(ctx).Exec(`CREATE DATABASE "` + name + `"`).Error
}

// ids are existing rows the mix reads and edits.
type ids struct {
	Vendors, Assessments []string
	Search               []string
}

func sampleIDs(ctx context.Context, db *models.DB) (ids, error) {
	var out ids
	g := db.Gorm.WithContext(ctx)
	if err := g.Raw("SELECT id FROM vendors WHERE archived_at IS NULL ORDER BY random() LIMIT 2000").Scan(&out.Vendors).Error; err != nil {
		return out, err
	}
	if err := g.Raw("SELECT id FROM assessments ORDER BY random() LIMIT 2000").Scan(&out.Assessments).Error; err != nil {
		return out, err
	}
	// Searches people type: a word of a vendor's name, a service.
	var names []string
	if err := g.Raw("SELECT name FROM vendors ORDER BY random() LIMIT 200").Scan(&names).Error; err != nil {
		return out, err
	}
	for _, n := range names {
		out.Search = append(out.Search, strings.ToLower(strings.Fields(n)[0]))
	}
	out.Search = append(out.Search, "payroll", "cloud", "analytics", "crm", "backup")
	if len(out.Vendors) == 0 || len(out.Assessments) == 0 {
		return out, errors.New("the database has no vendors or no assessments to read")
	}
	return out, nil
}

func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxx")
			return u.String()
		}
	}
	return raw
}

// cpuPerCall calls each endpoint alone from one client for d and divides
// the CPU the server and its database backends used by the calls made.
func cpuPerCall(ctx context.Context, db *models.DB, pid int, m *mix, d time.Duration, log io.Writer) map[string]time.Duration {
	meter := newCPUMeter(ctx, db, pid)
	out := map[string]time.Duration{}
	for _, name := range opOrder {
		before, ok := meter.snapshot()
		if !ok {
			return out
		}
		fmt.Fprintf(log, "CPU per call: %s for %v\n", name, d)
		got := drive(ctx, 1, d, func(w int) result { return m.call(name, w) }, nil)
		after, _ := meter.snapshot()
		if s := got[name]; s != nil && s.count() > 0 {
			out[name] = after.since(before) / time.Duration(s.count())
		}
	}
	return out
}
