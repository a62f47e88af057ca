package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"rampart/models"
)

// step is the whole mix driven by one number of clients.
type step struct {
	Clients int
	Mix     *stats
	// Per is the step's measurements per endpoint.
	Per map[string]*stats
	// CPU is what the server (and, on PostgreSQL, its backends) used in
	// the step; CPUKnown is false when it could not be read.
	CPU      time.Duration
	CPUKnown bool
}

// utilisation is the share of the machine's cores the step kept busy.
func (s step) utilisation(cores int) float64 {
	if !s.CPUKnown || s.Mix.window <= 0 {
		return 0
	}
	return s.CPU.Seconds() / (s.Mix.window.Seconds() * float64(cores))
}

// cpuPerCall is the step's CPU divided by its calls.
func (s step) cpuPerCall() time.Duration {
	if !s.CPUKnown || s.Mix.count() == 0 {
		return 0
	}
	return s.CPU / time.Duration(s.Mix.count())
}

// parseClients reads "1,2,4" into its numbers, keeping only those up to
// most (the client's connection pool is sized for most).
func parseClients(list string, most int) ([]int, error) {
	var out []int
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-scaling %q: each entry must be a whole number of clients, 1 or more", list)
		}
		if n <= most {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// scale drives the mix at each number of clients in turn. Each step warms
// up first, so the server's pools have grown to the step's size before
// its CPU is read: on PostgreSQL the backends counted are the ones alive
// after the warm-up.
func scale(ctx context.Context, db *models.DB, pid int, m *mix, clients []int, d time.Duration, log io.Writer) []step {
	var out []step
	for _, n := range clients {
		fmt.Fprintf(log, "scaling: %d clients for %v\n", n, d)
		drive(ctx, n, min(d/5, 2*time.Second), m.next, nil)
		meter := newCPUMeter(ctx, db, pid)
		before, known := meter.snapshot()
		per := drive(ctx, n, d, m.next, nil)
		s := step{Clients: n, Mix: total(per), Per: per}
		if after, ok := meter.snapshot(); known && ok {
			s.CPU, s.CPUKnown = after.since(before), true
		}
		out = append(out, s)
		if ctx.Err() != nil {
			break
		}
	}
	return out
}

// total merges the endpoints' measurements of one run into one.
func total(per map[string]*stats) *stats {
	t := &stats{}
	for _, s := range per {
		t.took, t.errors, t.window = append(t.took, s.took...), t.errors+s.errors, s.window
	}
	slices.Sort(t.took)
	return t
}

// efficiency compares the throughput at the most clients with what the
// cores would allow if nothing but CPU limited it, at the CPU per call
// measured with the fewest clients (one, by default: no queueing, no
// contention). 1 means every
// core did useful work; a lock-bound server stays far below.
func efficiency(steps []step, cores int) (eff, allowed float64, ok bool) {
	if len(steps) < 2 || steps[0].cpuPerCall() <= 0 {
		return 0, 0, false
	}
	allowed = float64(cores) / steps[0].cpuPerCall().Seconds()
	return steps[len(steps)-1].Mix.rps() / allowed, allowed, true
}

// scalingMarkdown writes the scaling table, a bar per step so the curve's
// shape shows at a glance, and the efficiency figure.
func scalingMarkdown(w io.Writer, steps []step, d time.Duration) {
	if len(steps) == 0 {
		return
	}
	cores := runtime.NumCPU()
	top := 0.0
	for _, s := range steps {
		top = max(top, s.Mix.rps())
	}
	fmt.Fprintf(w, "Scaling (the mix, %v per step):\n\n| clients | throughput | | p95 | errors | CPU used (of %d cores) | CPU per call |\n"+
		"| ---: | ---: | --- | ---: | ---: | ---: | ---: |\n", d, cores)
	for _, s := range steps {
		bar := ""
		if top > 0 {
			bar = "`" + strings.Repeat("█", int(20*s.Mix.rps()/top+0.5)) + "`"
		}
		util, per := "-", "-"
		if s.CPUKnown {
			util, per = fmt.Sprintf("%.0f%%", 100*s.utilisation(cores)), ms(s.cpuPerCall())
		}
		fmt.Fprintf(w, "| %d | %.0f/s | %s | %s | %d | %s | %s |\n", s.Clients, s.Mix.rps(), bar, ms(s.Mix.pct(95)), s.Mix.errors, util, per)
	}
	if eff, allowed, ok := efficiency(steps, cores); ok {
		last := steps[len(steps)-1]
		fmt.Fprintf(w, "\nEfficiency at %d clients: %.0f%% (%.0f/s measured; %d cores at %s CPU per call, as measured with %d client(s), allow %.0f/s).\n\n",
			last.Clients, 100*eff, last.Mix.rps(), cores, ms(steps[0].cpuPerCall()), steps[0].Clients, allowed)
	} else {
		fmt.Fprintf(w, "\nEfficiency: not measured (the server's CPU could not be read, or fewer than two steps ran).\n\n")
	}
}
