package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"rampart/app"
	"rampart/models"
	"rampart/models/testdb"
)

// inProcess runs the server through app.Main, the code path main.go
// takes, inside the test: building the binary would cost more than the
// run. Peak memory is not measured this way.
type inProcess struct {
	url, dir string
	cancel   context.CancelFunc
	done     chan int
}

func (s *inProcess) main(ctx context.Context, args ...string) int {
	var out bytes.Buffer
	base := []string{"rampart", "--database-url", s.url, "--data-dir", s.dir, "--log-level", "error"}
	return app.Main(ctx, append(base, args...), strings.NewReader(""), &out, &out)
}

func (s *inProcess) Seed(ctx context.Context, n int) error {
	if code := s.main(ctx, "seed", "--scale", fmt.Sprint(n)); code != 0 {
		return fmt.Errorf("seed exited with %d", code)
	}
	return nil
}

func (s *inProcess) Start(ctx context.Context) (string, error) {
	addr, err := freeAddr()
	if err != nil {
		return "", err
	}
	ctx, s.cancel = context.WithCancel(ctx)
	s.done = make(chan int, 1)
	go func() { s.done <- s.main(ctx, "--addr", addr, "serve") }()
	return "http://" + addr, waitReady(ctx, "http://"+addr, 3*time.Minute)
}

func (s *inProcess) PeakMemory() (memory, bool) { return memory{}, false }

// Pid is this process: its CPU time covers the server and the clients
// alike, enough to check that the figures are read and reported.
func (s *inProcess) Pid() int { return os.Getpid() }

func (s *inProcess) Stop() error {
	s.cancel()
	<-s.done
	return nil
}

// TestLoadBenchEndToEnd runs the whole harness for a few seconds on a
// small portfolio: seeding an empty database, signing in, every call of
// the mix, the limit handler, and the report with its budgets.
func TestLoadBenchEndToEnd(t *testing.T) {
	for _, d := range []models.Dialect{models.SQLite, models.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			dir := t.TempDir()
			dbURL := "sqlite:" + filepath.Join(dir, "bench.db")
			if d == models.Postgres {
				dbURL = testdb.Target(t, d).DSN
			}
			cfg := config{Bin: "(in process)", DB: string(d), DatabaseURL: dbURL, Work: dir, Scale: 300, Concurrency: 4,
				Duration: 2 * time.Second, LimitDuration: 500 * time.Millisecond, ServiceDuration: 500 * time.Millisecond,
				Scaling: "1,2,4,8", ScalingDuration: 400 * time.Millisecond}
			srv := &inProcess{url: dbURL, dir: filepath.Join(dir, "data")}
			rep, err := run(context.Background(), cfg, srv, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Vendors != 340 || rep.SeedTook == 0 {
				t.Errorf("seeded %d vendors in %v, want the 40 demo vendors and 300 more", rep.Vendors, rep.SeedTook)
			}
			for _, name := range opOrder {
				if s := rep.Mix[name]; s == nil || s.count() == 0 || s.errors != 0 {
					t.Errorf("%s: %+v", name, s)
				}
			}
			if rep.OursList.count() == 0 || rep.LimitList.count() == 0 || rep.LimitList.errors != 0 || rep.Ratio() <= 0 {
				t.Errorf("vendor list %d calls, limit handler %d calls (%d errors), ratio %v",
					rep.OursList.count(), rep.LimitList.count(), rep.LimitList.errors, rep.Ratio())
			}
			if !strings.Contains(rep.LimitSQL, "vendors") || !strings.Contains(rep.LimitSQL, "ORDER BY") {
				t.Errorf("limit SQL %q", rep.LimitSQL)
			}
			// The scaling run stops at -concurrency (8 is left out) and reads the CPU of each step.
			if len(rep.Scaling) != 3 || rep.Scaling[0].Clients != 1 || rep.Scaling[2].Clients != 4 {
				t.Fatalf("scaling steps %+v", rep.Scaling)
			}
			if rep.WritesChecked == 0 || rep.WritesLost != 0 || rep.Startup <= 0 {
				t.Errorf("%d acknowledged writes read back, %d lost; start-up %v", rep.WritesChecked, rep.WritesLost, rep.Startup)
			}
			for _, s := range rep.Scaling {
				// Each endpoint's figures are kept and add up to the step's (a short step may
				// not call every endpoint, so none is required).
				n := 0
				for _, p := range s.Per {
					n += p.count()
				}
				if len(s.Per) == 0 || n != s.Mix.count() {
					t.Errorf("scaling step with %d clients: %d calls per endpoint of %d in all", s.Clients, n, s.Mix.count())
				}
				if s.Mix.count() == 0 || s.Mix.errors != 0 || !s.CPUKnown || s.CPU <= 0 {
					t.Errorf("scaling step with %d clients: %d calls, %d errors, CPU %v (known %v)", s.Clients, s.Mix.count(), s.Mix.errors, s.CPU, s.CPUKnown)
				}
			}
			var md bytes.Buffer
			rep.Markdown(&md)
			t.Log(md.String())
			for _, want := range []string{"| vendor detail |", "| limit handler", "| errors | 0 | 0 | pass |", "server peak memory",
				"Scaling (the mix, 400ms per step)", "\n| 4 | ", "Efficiency at 4 clients: ", "| CPU per call, vendor detail | <= 1.0 ms |",
				"| vendor list (filters, sort) p95 with 8 clients | < 30.0 ms | not measured", "| start-up to /readyz (migrated database) | < 500.0 ms |",
				fmt.Sprintf("| lost writes (acknowledged creates and updates read back) | 0 | 0 of %d | pass |", rep.WritesChecked)} {
				if !strings.Contains(md.String(), want) {
					t.Errorf("report lacks %q:\n%s", want, md.String())
				}
			}
			// A second run finds the portfolio in place and does not seed again.
			cfg.Duration, cfg.ServiceDuration, cfg.Scaling = 300*time.Millisecond, 0, ""
			rep, err = run(context.Background(), cfg, srv, io.Discard)
			if err != nil || rep.SeedTook != 0 || rep.Vendors < 340 {
				t.Fatalf("second run: %v, seeded in %v, %d vendors", err, rep.SeedTook, rep.Vendors)
			}
		})
	}
}

func TestParseClients(t *testing.T) {
	got, err := parseClients(" 8,1,2, 2,64,", 32)
	if err != nil || fmt.Sprint(got) != "[1 2 8]" {
		t.Errorf("got %v, %v", got, err)
	}
	for _, bad := range []string{"1,x", "0", "-2"} {
		if _, err := parseClients(bad, 32); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if got, err := parseClients("", 32); err != nil || len(got) != 0 {
		t.Errorf("empty: %v, %v", got, err)
	}
}

// Efficiency compares the throughput at the most clients with cores ÷
// CPU per call at the fewest.
func TestEfficiency(t *testing.T) {
	one := step{Clients: 1, Mix: &stats{took: make([]time.Duration, 100), window: time.Second}, CPU: time.Second, CPUKnown: true} // 10 ms a call
	many := step{Clients: 32, Mix: &stats{took: make([]time.Duration, 400), window: time.Second}, CPU: 4 * time.Second, CPUKnown: true}
	eff, allowed, ok := efficiency([]step{one, many}, 16)
	if !ok || allowed != 1600 || eff != 0.25 {
		t.Errorf("efficiency %v of %v/s (%v)", eff, allowed, ok)
	}
	if got := many.utilisation(16); got != 0.25 {
		t.Errorf("utilisation %v", got)
	}
	if _, _, ok := efficiency([]step{one}, 16); ok {
		t.Error("one step gave an efficiency")
	}
}

// A vendor the server acknowledged but that is missing, or older than its
// last acknowledged write, counts as lost.
func TestLostWrites(t *testing.T) {
	db := testdb.Open(t, models.SQLite)
	g := db.Gorm
	kept := models.Vendor{Name: "Kept", Description: "second"}
	older := models.Vendor{Name: "Older", Description: "first"}
	for _, v := range []*models.Vendor{&kept, &older} {
		if err := g.Create(v).Error; err != nil {
			t.Fatal(err)
		}
	}
	m := newMix(nil, ids{})
	m.ack(ownedVendor{ID: kept.ID, Version: kept.Version, Description: "second"})
	m.ack(ownedVendor{ID: older.ID, Version: older.Version + 1, Description: "second"})
	m.ack(ownedVendor{ID: "01J0000000000000000000GONE", Version: 1})
	checked, lost, err := m.lostWrites(context.Background(), db)
	if err != nil || checked != 3 || lost != 2 {
		t.Errorf("checked %d, lost %d, %v; want 3 checked and 2 lost", checked, lost, err)
	}
}

// A process started during a step counts all its CPU; one alive at both
// ends counts what it used meanwhile; one gone at the end is lost.
func TestCPUSince(t *testing.T) {
	before := cpuSnapshot{1: 100 * time.Millisecond, 2: 50 * time.Millisecond, 3: 70 * time.Millisecond}
	after := cpuSnapshot{1: 160 * time.Millisecond, 2: 50 * time.Millisecond, 4: 30 * time.Millisecond}
	if got := after.since(before); got != 90*time.Millisecond {
		t.Errorf("since: %v, want 90ms (60 from the server, 30 from a backend started meanwhile)", got)
	}
}

// The memory budget is on the sampled PSS, with VmHWM beside it, and falls
// back to VmHWM when the PSS could not be read.
func TestMemoryBudget(t *testing.T) {
	s := samplePSS(os.Getpid())
	for range 100 {
		if _, ok := s.peak(); ok {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.stop()
	s.stop() // twice: the server's Stop may run after a failed start's
	if pss, ok := s.peak(); !ok || pss <= 0 {
		t.Fatalf("this process's PSS: %d, %v", pss, ok)
	}
	budget := func(m memory) budget {
		r := &report{Memory: m, MemoryKnown: true}
		for _, b := range r.Budgets() {
			if strings.HasPrefix(b.What, "server peak memory") {
				return b
			}
		}
		t.Fatal("no memory budget")
		return budget{}
	}
	if b := budget(memory{HWM: 280e6, PSS: 145e6, PSSKnown: true}); !b.OK || b.Measured != "145 MB (VmHWM 280 MB)" {
		t.Errorf("PSS under the target: %+v", b)
	}
	if b := budget(memory{HWM: 280e6, PSS: 155e6, PSSKnown: true}); b.OK {
		t.Errorf("PSS over the target passed: %+v", b)
	}
	if b := budget(memory{HWM: 280e6}); b.OK || !strings.Contains(b.Measured, "PSS not read") {
		t.Errorf("no PSS: %+v", b)
	}
}
