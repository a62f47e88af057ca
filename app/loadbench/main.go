// Command loadbench measures Rampart under load: it seeds a database if
// needed, starts the real binary against it, signs in as the demo risk
// manager and drives a realistic mix of API calls from this separate
// process at a fixed concurrency for a fixed time. In the same run it
// measures the limit: a bare Echo handler here, not in the product, that
// runs the vendor list page's SQL directly. It prints a markdown report
// with per-endpoint latency, throughput, errors, the server's peak memory
// and each budget passed or failed.
//
//	go run ./app/loadbench -bin bin/rampart -db postgres -scale 100000 -duration 30s
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"time"
)

func main() {
	var cfg config
	flag.StringVar(&cfg.Bin, "bin", "bin/rampart", "the rampart binary to measure")
	flag.StringVar(&cfg.DB, "db", "postgres", "postgres or sqlite")
	flag.StringVar(&cfg.DatabaseURL, "database-url", "", "database to use (default: postgres://postgres@127.0.0.1:5432/rampart_bench, or a SQLite file under -work)")
	flag.StringVar(&cfg.Work, "work", os.TempDir()+"/rampart-bench", "folder for the SQLite database and the server's files")
	flag.IntVar(&cfg.Scale, "scale", 0, "vendors to seed when the database is empty (default: 100000 on PostgreSQL, 10000 on SQLite)")
	flag.DurationVar(&cfg.Duration, "duration", 30*time.Second, "how long the mix runs")
	flag.DurationVar(&cfg.LimitDuration, "limit-duration", 10*time.Second, "how long each vendor list throughput run (ours and the limit's) takes")
	flag.DurationVar(&cfg.ServiceDuration, "service-duration", 10*time.Second, "how long the mix runs with one client first, for service times without queueing (0: skip)")
	flag.IntVar(&cfg.Concurrency, "concurrency", 32, "concurrent clients")
	flag.StringVar(&cfg.Scaling, "scaling", "1,2,4,8,16,32", "numbers of clients the mix runs with in turn, to show how throughput scales (empty: skip; at most -concurrency)")
	flag.DurationVar(&cfg.ScalingDuration, "scaling-duration", 10*time.Second, "how long each scaling step runs")
	flag.BoolVar(&cfg.Strict, "strict", false, "exit with status 3 when a budget is missed")
	flag.StringVar(&cfg.Out, "out", "", "also write the markdown report to this file")
	flag.StringVar(&cfg.PprofAddr, "pprof-addr", "", "start the server with --pprof-addr ADDR, to take profiles while it runs (e.g. 127.0.0.1:6060)")
	flag.Parse()
	if cfg.Scale == 0 {
		cfg.Scale = map[string]int{"postgres": 100_000, "sqlite": 10_000}[cfg.DB]
	}
	if cfg.DatabaseURL == "" {
		switch cfg.DB {
		case "postgres":
			cfg.DatabaseURL = "postgres://postgres@127.0.0.1:5432/rampart_bench?sslmode=disable"
		case "sqlite":
			cfg.DatabaseURL = fmt.Sprintf("sqlite:%s/rampart-%d.db", cfg.Work, cfg.Scale)
		default:
			fmt.Fprintf(os.Stderr, "-db %q: must be postgres or sqlite\n", cfg.DB)
			os.Exit(2)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := run(ctx, cfg, externalServer(cfg), os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
	var out io.Writer = os.Stdout
	if cfg.Out != "" {
		f, err := os.Create(cfg.Out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadbench:", err)
			os.Exit(1)
		}
		defer f.Close()
		out = io.MultiWriter(os.Stdout, f)
	}
	rep.Markdown(out)
	if cfg.Strict && !rep.Passed() {
		os.Exit(3)
	}
}

type config struct {
	Bin, DB, DatabaseURL, Work, Out string
	PprofAddr                       string
	Scale, Concurrency              int
	Duration, LimitDuration         time.Duration
	ServiceDuration                 time.Duration
	Scaling                         string
	ScalingDuration                 time.Duration
	Strict                          bool
}

// machine describes where the figures were taken, for the report.
func machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				cpu = strings.TrimSpace(l[strings.Index(l, ":")+1:])
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if _, err := fmt.Sscanf(string(b), "MemTotal: %d kB", &kb); err == nil {
			mem = fmt.Sprintf(", %.0f GiB RAM", float64(kb)/1024/1024)
		}
	}
	load := ""
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		f := strings.Fields(string(b))
		if len(f) >= 3 {
			load = fmt.Sprintf(", load average %s %s %s", f[0], f[1], f[2])
		}
	}
	return fmt.Sprintf("%d CPUs (%s)%s, %s %s/%s%s", runtime.NumCPU(), cpu, mem, runtime.Version(), runtime.GOOS, runtime.GOARCH, load)
}
