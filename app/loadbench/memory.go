package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// memory is a server's peak memory in bytes.
//
// HWM is the kernel's high-water mark of the resident set (VmHWM). It
// counts a page of a file once for every mapping of it: SQLite's read
// connections each map the database file, so a page of it that eight of
// them read counts eight times, although it is one page of the operating
// system's file cache. PSS, the proportional set size, counts such a page
// once (a share of it for each mapping), as it counts the process's own
// memory in full: what the server costs the machine. It has no
// high-water mark of its own and is sampled, so it is a lower bound of the
// true peak.
type memory struct {
	HWM, PSS int64
	PSSKnown bool
}

// pssInterval is how often the PSS is sampled. Reading smaps_rollup walks
// the process's page tables: a few milliseconds of the kernel's time for
// a server of a few hundred MB, a fraction of a percent of a core.
const pssInterval = 250 * time.Millisecond

// pssSampler records the highest PSS of a process until stopped.
type pssSampler struct {
	mu   sync.Mutex
	max  int64
	read bool
	done chan struct{}
	once sync.Once
}

func samplePSS(pid int) *pssSampler {
	s := &pssSampler{done: make(chan struct{})}
	path := fmt.Sprintf("/proc/%d/smaps_rollup", pid)
	go func() {
		t := time.NewTicker(pssInterval)
		defer t.Stop()
		for {
			if b, ok := procBytes(path, "Pss:"); ok {
				s.mu.Lock()
				s.max, s.read = max(s.max, b), true
				s.mu.Unlock()
			}
			select {
			case <-s.done:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// peak is the highest PSS sampled so far; ok is false when none could be read.
func (s *pssSampler) peak() (int64, bool) {
	if s == nil {
		return 0, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.max, s.read
}

func (s *pssSampler) stop() {
	if s != nil {
		s.once.Do(func() { close(s.done) })
	}
}

// procBytes reads the size on the line starting with key from a /proc
// file such as status or smaps_rollup, which gives it in kB.
func procBytes(path, key string) (int64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == key {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024, err == nil
		}
	}
	return 0, false
}
