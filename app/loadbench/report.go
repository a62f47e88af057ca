package main

import (
	"fmt"
	"io"
	"runtime"
	"time"
)

type report struct {
	Dialect             string
	Vendors             int64
	Concurrency         int
	Duration            time.Duration
	LimitDuration       time.Duration
	Machine             string
	SeedTook            time.Duration
	Mix                 map[string]*stats
	Service             map[string]*stats // the mix with one client
	CPU                 map[string]time.Duration
	OursList, LimitList *stats
	LimitSQL            string
	Memory              memory
	MemoryKnown         bool
	Scaling             []step
	ScalingDuration     time.Duration
	// Startup is from starting the server on the migrated database to its
	// first 200 from /readyz.
	Startup time.Duration
	// WritesChecked acknowledged vendor writes were read back after the
	// run; WritesLost of them were missing or older.
	WritesChecked, WritesLost int
}

// budget is one promise about speed and whether this run kept it.
type budget struct {
	What, Limit, Measured string
	OK                    bool
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func (r *report) errors() int {
	n := 0
	for _, m := range []map[string]*stats{r.Mix, r.Service} {
		for _, s := range m {
			n += s.errors
		}
	}
	for _, s := range r.Scaling {
		n += s.Mix.errors
	}
	for _, s := range []*stats{r.OursList, r.LimitList} {
		if s != nil {
			n += s.errors
		}
	}
	return n
}

// Ratio is our vendor list throughput as a share of the limit handler's.
func (r *report) Ratio() float64 {
	if r.LimitList.rps() == 0 {
		return 0
	}
	return r.OursList.rps() / r.LimitList.rps()
}

// The targets (issue 18): the service's cost per call, the share of the
// machine it can use under load, latency with 8 clients, memory, start-up,
// and no error or lost write.
var (
	cpuTargets = []struct {
		op    string
		limit time.Duration
	}{{opList, 2500 * time.Microsecond}, {opSearch, 4 * time.Millisecond}, {opDetail, time.Millisecond}, {opDashboard, 4 * time.Millisecond}}
	p95Targets = []struct {
		op    string
		limit time.Duration
	}{{opList, 30 * time.Millisecond}, {opSearch, 30 * time.Millisecond}, {opDetail, 15 * time.Millisecond}, {opDashboard, 60 * time.Millisecond}}
)

const (
	p95Clients       = 8
	targetEfficiency = 0.85
	targetListShare  = 0.60
	targetPeakMemory = 150e6
	targetStartup    = 500 * time.Millisecond
)

func (r *report) Budgets() []budget {
	var bs []budget
	for _, t := range cpuTargets {
		b := budget{What: "CPU per call, " + t.op, Limit: "<= " + ms(t.limit), Measured: "not measured"}
		if c, ok := r.CPU[t.op]; ok {
			b.Measured, b.OK = ms(c), c <= t.limit
		}
		bs = append(bs, b)
	}
	eff := budget{What: "efficiency (throughput at the most clients / what the cores allow)", Limit: fmt.Sprintf(">= %.0f%%", 100*targetEfficiency), Measured: "not measured"}
	if e, _, ok := efficiency(r.Scaling, runtime.NumCPU()); ok {
		eff.Measured, eff.OK = fmt.Sprintf("%.0f%%", 100*e), e >= targetEfficiency
	}
	bs = append(bs, eff, budget{"vendor list throughput / limit handler's", fmt.Sprintf(">= %.0f%%", 100*targetListShare),
		fmt.Sprintf("%.0f%% (%.0f/s of %.0f/s)", 100*r.Ratio(), r.OursList.rps(), r.LimitList.rps()), r.Ratio() >= targetListShare})
	var eight *step
	for i := range r.Scaling {
		if r.Scaling[i].Clients == p95Clients {
			eight = &r.Scaling[i]
		}
	}
	for _, t := range p95Targets {
		b := budget{What: fmt.Sprintf("%s p95 with %d clients", t.op, p95Clients), Limit: "< " + ms(t.limit), Measured: "not measured (no such scaling step)"}
		if eight != nil && eight.Per[t.op] != nil {
			got := eight.Per[t.op].pct(95)
			b.Measured, b.OK = ms(got), got < t.limit
		}
		bs = append(bs, b)
	}
	mem := budget{What: "server peak memory (proportional set size, PSS)", Limit: fmt.Sprintf("< %.0f MB", targetPeakMemory/1e6), Measured: "not measured (server in this process)", OK: true}
	switch {
	case r.MemoryKnown && r.Memory.PSSKnown:
		mem.Measured, mem.OK = fmt.Sprintf("%.0f MB (VmHWM %.0f MB)", float64(r.Memory.PSS)/1e6, float64(r.Memory.HWM)/1e6), r.Memory.PSS < targetPeakMemory
	case r.MemoryKnown:
		mem.Measured, mem.OK = fmt.Sprintf("PSS not read; VmHWM %.0f MB", float64(r.Memory.HWM)/1e6), r.Memory.HWM < targetPeakMemory
	}
	return append(bs, mem,
		budget{"start-up to /readyz (migrated database)", "< " + ms(targetStartup), ms(r.Startup), r.Startup < targetStartup},
		budget{"errors", "0", fmt.Sprint(r.errors()), r.errors() == 0},
		budget{"lost writes (acknowledged creates and updates read back)", "0", fmt.Sprintf("%d of %d", r.WritesLost, r.WritesChecked), r.WritesLost == 0 && r.WritesChecked > 0})
}

func (r *report) Passed() bool {
	for _, b := range r.Budgets() {
		if !b.OK {
			return false
		}
	}
	return true
}

// Markdown writes the report as it goes into docs/benchmarks.md.
func (r *report) Markdown(w io.Writer) {
	fmt.Fprintf(w, "### %s, %d vendors, %d clients, %v\n\n", r.Dialect, r.Vendors, r.Concurrency, r.Duration)
	fmt.Fprintf(w, "Machine: %s. Measured %s.\n", r.Machine, time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	if r.SeedTook > 0 {
		fmt.Fprintf(w, "Seeding the database took %v.\n", r.SeedTook.Round(100*time.Millisecond))
	}
	fmt.Fprintf(w, "\n| endpoint | requests | throughput | p50 | p95 | p99 | errors | one client: p50 | p95 | CPU per call |\n"+
		"| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	row := func(name string, s *stats) {
		if s == nil {
			return
		}
		one, cpu := r.Service[name], "-"
		if c, ok := r.CPU[name]; ok {
			cpu = ms(c)
		}
		fmt.Fprintf(w, "| %s | %d | %.0f/s | %s | %s | %s | %d | %s | %s | %s |\n", name, s.count(), s.rps(), ms(s.pct(50)), ms(s.pct(95)), ms(s.pct(99)), s.errors,
			ms(one.pct(50)), ms(one.pct(95)), cpu)
	}
	for _, name := range opOrder {
		row(name, r.Mix[name])
	}
	all := total(r.Mix)
	fmt.Fprintf(w, "| **mix** | %d | %.0f/s | %s | %s | %s | %d | | | |\n", all.count(), all.rps(), ms(all.pct(50)), ms(all.pct(95)), ms(all.pct(99)), all.errors)
	fmt.Fprintf(w, "\nVendor list alone (`GET %s`, %v each, %d clients):\n\n", limitPath, r.LimitDuration, r.Concurrency)
	fmt.Fprintf(w, "| | throughput | p50 | p95 | p99 | errors |\n| --- | ---: | ---: | ---: | ---: | ---: |\n")
	for _, x := range []struct {
		name string
		s    *stats
	}{{"Rampart", r.OursList}, {"limit handler (same SQL, database/sql, no auth)", r.LimitList}} {
		fmt.Fprintf(w, "| %s | %.0f/s | %s | %s | %s | %d |\n", x.name, x.s.rps(), ms(x.s.pct(50)), ms(x.s.pct(95)), ms(x.s.pct(99)), x.s.errors)
	}
	fmt.Fprintln(w)
	scalingMarkdown(w, r.Scaling, r.ScalingDuration)
	fmt.Fprintf(w, "Budgets:\n\n| budget | limit | measured | |\n| --- | --- | --- | --- |\n")
	for _, b := range r.Budgets() {
		mark := "pass"
		if !b.OK {
			mark = "**FAIL**"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", b.What, b.Limit, b.Measured, mark)
	}
	fmt.Fprintf(w, "\nThe limit handler's SQL: `%s`\n\n", r.LimitSQL)
}
