package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"rampart/models"
	"rampart/seeds"
)

// The endpoints the mix calls, in report order.
const (
	opList       = "vendor list (filters, sort)"
	opSearch     = "vendor search"
	opDetail     = "vendor detail"
	opDashboard  = "dashboard"
	opAssessment = "assessment detail"
	opCreate     = "vendor create"
	opUpdate     = "vendor update"
)

var opOrder = []string{opList, opSearch, opDetail, opDashboard, opAssessment, opCreate, opUpdate}

// result is one call: which endpoint, and whether it answered as expected.
type result struct {
	name string
	ok   bool
}

type client struct {
	base string
	http *http.Client
	csrf string
}

func newClient(base string, conns int) *client {
	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, IdleConnTimeout: time.Minute}
	return &client{base: base, http: &http.Client{Jar: jar, Transport: tr, Timeout: 30 * time.Second}}
}

// signIn signs in as the demo risk manager and keeps the session cookie
// and CSRF token for every later call.
func signIn(ctx context.Context, base string, conns int) (*client, error) {
	c := newClient(base, conns)
	var me struct {
		CSRFToken string `json:"csrf_token"`
	}
	body := map[string]string{"email": "risk@example.com", "password": seeds.DemoPassword}
	if status, err := c.do(ctx, http.MethodPost, "/api/v1/auth/login", body, &me); err != nil || status != http.StatusOK {
		return nil, fmt.Errorf("sign in as risk@example.com: status %d, %v", status, err)
	}
	if me.CSRFToken == "" {
		return nil, errors.New("sign in returned no CSRF token")
	}
	c.csrf = me.CSRFToken
	return c, nil
}

// do sends one call and decodes a JSON answer into out when given.
func (c *client) do(ctx context.Context, method, path string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" && method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode < 300 {
		return resp.StatusCode, json.NewDecoder(resp.Body).Decode(out)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

func (c *client) get(name, path string) result {
	status, err := c.do(context.Background(), http.MethodGet, path, nil, nil)
	return result{name, err == nil && status == http.StatusOK}
}

// mix picks each client's next call with the weights of a risk team's
// working day, and gives each client its own vendor to edit so that
// updates never race each other into 409s.
type mix struct {
	c     *client
	ids   ids
	mu    sync.Mutex
	owned map[int]*ownedVendor
	// acked is every vendor the server said it created or updated, as the
	// last acknowledgement left it, for the check that no write was lost.
	acked map[string]ackedWrite
	seq   int
	run   int64
	// calls counts worker 0's calls; its first len(opOrder) go to every
	// endpoint once, in order, so even a short run measures each of them
	// (one worker, so that its update finds the vendor its create made).
	calls atomic.Int64
}

type ownedVendor struct {
	ID          string `json:"id"`
	Version     int64  `json:"version"`
	Description string `json:"description"`
}

// ackedWrite is what a vendor holds after the last write acknowledged for it.
type ackedWrite struct {
	Version     int64
	Description string
}

func newMix(c *client, ids ids) *mix {
	return &mix{c: c, ids: ids, owned: map[int]*ownedVendor{}, acked: map[string]ackedWrite{}, run: time.Now().UnixNano()}
}

var listQueries = []string{
	"limit=50",
	"status=active&data_type=personal_data&sort=-annual_spend&limit=50",
	"tier=1,2&sort=-residual_score&limit=50",
	"status=active,approved&tag=soc2&sort=-updated_at&limit=50",
	"category=saas&criticality=high&sort=name&limit=50",
	"review=overdue&sort=tier&limit=50",
}

var weights = []struct {
	name string
	w    int
}{{opList, 30}, {opSearch, 15}, {opDetail, 25}, {opDashboard, 10}, {opAssessment, 10}, {opCreate, 5}, {opUpdate, 5}}

// owes says whether worker still owes calls of its first pass over every
// endpoint.
func (m *mix) owes(worker int) bool {
	return worker == 0 && m.calls.Load() < int64(len(opOrder))
}

func (m *mix) next(worker int) result {
	if worker == 0 {
		if i := m.calls.Add(1) - 1; i < int64(len(opOrder)) {
			return m.call(opOrder[i], worker)
		}
	}
	n := rand.IntN(100)
	name := opList
	for _, w := range weights {
		if n < w.w {
			name = w.name
			break
		}
		n -= w.w
	}
	return m.call(name, worker)
}

// call makes one call of the named endpoint.
func (m *mix) call(name string, worker int) result {
	pick := func(s []string) string { return s[rand.IntN(len(s))] }
	switch name {
	case opSearch:
		q := "q=" + url.QueryEscape(pick(m.ids.Search)) + "&limit=50"
		if rand.IntN(2) == 0 {
			q += "&status=active"
		}
		return m.c.get(opSearch, "/api/v1/vendors?"+q)
	case opDetail:
		return m.c.get(opDetail, "/api/v1/vendors/"+pick(m.ids.Vendors))
	case opDashboard:
		return m.c.get(opDashboard, "/api/v1/dashboard")
	case opAssessment:
		return m.c.get(opAssessment, "/api/v1/assessments/"+pick(m.ids.Assessments))
	case opCreate, opUpdate:
		return m.write(worker, name)
	}
	return m.c.get(opList, "/api/v1/vendors?"+pick(listQueries))
}

func (m *mix) write(worker int, name string) result {
	m.mu.Lock()
	v := m.owned[worker]
	m.seq++
	seq := m.seq
	m.mu.Unlock()
	ctx := context.Background()
	if name == opUpdate && v != nil {
		var got ownedVendor
		status, err := m.c.do(ctx, http.MethodPatch, "/api/v1/vendors/"+v.ID,
			map[string]any{"version": v.Version, "description": fmt.Sprintf("Reviewed in load test call %d.", seq), "annual_spend": 1000 * seq, "currency": "EUR"}, &got)
		ok := err == nil && status == http.StatusOK
		if ok {
			v.Version = got.Version
			m.ack(got)
		}
		return result{opUpdate, ok}
	}
	var got ownedVendor
	status, err := m.c.do(ctx, http.MethodPost, "/api/v1/vendors", map[string]any{
		"name": fmt.Sprintf("Loadbench %d-%d", m.run%1_000_000, seq), "category": "saas", "status": "proposed",
		"department": "Engineering", "data_types": []string{"internal"}, "tags": []string{"loadbench"}, "confirm_duplicate": true,
	}, &got)
	ok := err == nil && status == http.StatusCreated
	if ok {
		m.mu.Lock()
		m.owned[worker] = &got
		m.mu.Unlock()
		m.ack(got)
	}
	// An update before this client owns a vendor counts as the create it ran.
	return result{opCreate, ok}
}

func (m *mix) ack(v ownedVendor) {
	m.mu.Lock()
	m.acked[v.ID] = ackedWrite{v.Version, v.Description}
	m.mu.Unlock()
}

// lostWrites reads back every acknowledged vendor write: a vendor missing,
// or holding an older version or other text than its last acknowledged
// write, is a lost write. It returns how many were checked and lost.
func (m *mix) lostWrites(ctx context.Context, db *models.DB) (checked, lost int, err error) {
	m.mu.Lock()
	ids := make([]string, 0, len(m.acked))
	for id := range m.acked {
		ids = append(ids, id)
	}
	m.mu.Unlock()
	for chunk := range slices.Chunk(ids, 500) {
		var rows []struct {
			ID          string
			Version     int64
			Description string
		}
		if err := db.Gorm.WithContext(ctx).Raw("SELECT id, version, description FROM vendors WHERE id IN ?", chunk).Scan(&rows).Error; err != nil {
			return checked, lost, err
		}
		found := map[string]ackedWrite{}
		for _, r := range rows {
			found[r.ID] = ackedWrite{r.Version, r.Description}
		}
		for _, id := range chunk {
			checked++
			want := m.acked[id]
			if got, ok := found[id]; !ok || got != want {
				lost++
			}
		}
	}
	return checked, lost, nil
}

// stats are one endpoint's measurements.
type stats struct {
	took   []time.Duration
	errors int
	window time.Duration
}

func (s *stats) count() int { return len(s.took) }

func (s *stats) rps() float64 {
	if s == nil || s.window <= 0 {
		return 0
	}
	return float64(len(s.took)) / s.window.Seconds()
}

// pct returns the p-th percentile latency (0 < p <= 100).
func (s *stats) pct(p float64) time.Duration {
	if s == nil || len(s.took) == 0 {
		return 0
	}
	i := int(float64(len(s.took))*p/100+0.5) - 1
	return s.took[min(max(i, 0), len(s.took)-1)]
}

// drive runs call from conc clients in a closed loop for d and returns the
// measurements per endpoint. A worker for which owes (when given) says so
// goes on past d: on a slow machine a short run still makes the calls it
// must measure.
func drive(ctx context.Context, conc int, d time.Duration, call func(worker int) result, owes func(worker int) bool) map[string]*stats {
	type sample struct {
		name string
		took time.Duration
		ok   bool
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	per := make([][]sample, conc)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil || (owes != nil && owes(w)) {
				t := time.Now()
				r := call(w)
				per[w] = append(per[w], sample{r.name, time.Since(t), r.ok})
			}
		}()
	}
	wg.Wait()
	window := time.Since(start)
	out := map[string]*stats{}
	for _, samples := range per {
		for _, s := range samples {
			st := out[s.name]
			if st == nil {
				st = &stats{window: window}
				out[s.name] = st
			}
			st.took = append(st.took, s.took)
			if !s.ok {
				st.errors++
			}
		}
	}
	for _, st := range out {
		slices.Sort(st.took)
	}
	return out
}
