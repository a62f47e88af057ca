package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"rampart/models"
)

// clockTick is the unit of /proc/PID/stat's CPU times (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// cpuTime is the user and system CPU time pid has used so far.
func cpuTime(pid int) (time.Duration, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name may hold spaces; the fields after it are fixed.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, false
	}
	user, err1 := strconv.ParseInt(f[11], 10, 64)
	sys, err2 := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(user+sys) * clockTick, err1 == nil && err2 == nil
}

// cpuMeter adds up the CPU time of the server process and, on
// PostgreSQL, of the database backends serving it: what a call costs the
// machine, whatever else runs on it, unlike its latency.
type cpuMeter struct {
	ctx       context.Context
	db        *models.DB
	serverPid int
}

func newCPUMeter(ctx context.Context, db *models.DB, serverPid int) *cpuMeter {
	return &cpuMeter{ctx: ctx, db: db, serverPid: serverPid}
}

// pids are the processes counted: the server and, on PostgreSQL, the
// backends and parallel query workers of its database, listed afresh on
// each snapshot because the server's pool opens connections as the load
// grows and PostgreSQL starts a worker for each parallel query.
func (m *cpuMeter) pids() []int {
	if m.serverPid <= 0 {
		return nil
	}
	out := []int{m.serverPid}
	if m.db.Dialect == models.Postgres {
		var pids []int
		// The harness's own idle connections are counted too; they use no CPU meanwhile.
		_ = m.db.Gorm.WithContext(m.ctx).Raw("SELECT pid FROM pg_stat_activity WHERE datname = current_database() " +
			"AND backend_type IN ('client backend', 'parallel worker') AND pid <> pg_backend_pid()").Scan(&pids).Error
		out = append(out, pids...)
	}
	return out
}

// cpuSnapshot is the CPU time each counted process has used so far.
type cpuSnapshot map[int]time.Duration

// snapshot reads the processes' CPU times; ok is false when there are
// none to read.
func (m *cpuMeter) snapshot() (cpuSnapshot, bool) {
	pids := m.pids()
	if len(pids) == 0 {
		return nil, false
	}
	out := cpuSnapshot{}
	for _, pid := range pids {
		if t, ok := cpuTime(pid); ok {
			out[pid] = t
		}
	}
	return out, true
}

// since is the CPU used between before and s: a process alive at both
// counts what it used meanwhile, one started meanwhile counts all it used.
// A backend that exits meanwhile (its pool closed the connection, a
// parallel worker done) takes its CPU record with it, so the figure is a
// lower bound when connections come and go.
func (s cpuSnapshot) since(before cpuSnapshot) time.Duration {
	var d time.Duration
	for pid, t := range s {
		if b, ok := before[pid]; !ok {
			d += t
		} else if t > b {
			d += t - b
		}
	}
	return d
}
