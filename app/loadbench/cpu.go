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
	pids []int
}

func newCPUMeter(ctx context.Context, db *models.DB, serverPid int) *cpuMeter {
	m := &cpuMeter{}
	if serverPid > 0 {
		m.pids = append(m.pids, serverPid)
	}
	if db.Dialect == models.Postgres && serverPid > 0 {
		var pids []int
		// The harness's own idle connections are counted too; they use no CPU meanwhile.
		_ = db.Gorm.WithContext(ctx).Raw("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()").Scan(&pids).Error
		m.pids = append(m.pids, pids...)
	}
	return m
}

// cpuSnapshot is the CPU time each counted process has used so far.
type cpuSnapshot map[int]time.Duration

// snapshot reads the processes' CPU times; ok is false when there are
// none to read.
func (m *cpuMeter) snapshot() (cpuSnapshot, bool) {
	if len(m.pids) == 0 {
		return nil, false
	}
	out := cpuSnapshot{}
	for _, pid := range m.pids {
		if t, ok := cpuTime(pid); ok {
			out[pid] = t
		}
	}
	return out, true
}

// since is the CPU used between before and s by the processes alive at
// both: a PostgreSQL backend that exits meanwhile (its pool closed the
// connection) takes its CPU record with it, and summing totals would then
// go backwards.
func (s cpuSnapshot) since(before cpuSnapshot) time.Duration {
	var d time.Duration
	for pid, t := range s {
		if b, ok := before[pid]; ok && t > b {
			d += t - b
		}
	}
	return d
}
