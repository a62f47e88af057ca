package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// server is the Rampart instance under test.
type server interface {
	// Seed loads the demo data and n generated vendors into the empty database.
	Seed(ctx context.Context, n int) error
	// Start runs the server and returns its base URL once it is ready.
	Start(ctx context.Context) (string, error)
	// PeakMemory is the server's peak memory, if known.
	PeakMemory() (memory, bool)
	// Pid is the server's process id, 0 when it runs in this process.
	Pid() int
	Stop() error
}

// binaryServer runs the real binary as its own process.
type binaryServer struct {
	cfg config
	cmd *exec.Cmd
	out bytes.Buffer
	pss *pssSampler
}

func externalServer(cfg config) server { return &binaryServer{cfg: cfg} }

func (s *binaryServer) args(extra ...string) []string {
	return append([]string{"--database-url", s.cfg.DatabaseURL, "--data-dir", filepath.Join(s.cfg.Work, "data"), "--log-level", "error"}, extra...)
}

func (s *binaryServer) Seed(ctx context.Context, n int) error {
	cmd := exec.CommandContext(ctx, s.cfg.Bin, s.args("seed", "--scale", strconv.Itoa(n))...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd.Run()
}

func (s *binaryServer) Start(ctx context.Context) (string, error) {
	addr, err := freeAddr()
	if err != nil {
		return "", err
	}
	args := []string{"--addr", addr}
	if s.cfg.PprofAddr != "" {
		args = append(args, "--pprof-addr", s.cfg.PprofAddr)
	}
	s.cmd = exec.Command(s.cfg.Bin, s.args(append(args, "serve")...)...)
	s.cmd.Stdout, s.cmd.Stderr = &s.out, &s.out
	if err := s.cmd.Start(); err != nil {
		return "", err
	}
	s.pss = samplePSS(s.cmd.Process.Pid)
	base := "http://" + addr
	if err := waitReady(ctx, base, 2*time.Minute); err != nil {
		_ = s.Stop()
		return "", fmt.Errorf("%w\n%s", err, s.out.String())
	}
	return base, nil
}

// PeakMemory is the kernel's high-water mark of the process's resident
// set and the highest proportional set size sampled while it ran.
func (s *binaryServer) PeakMemory() (memory, bool) {
	if s.cmd == nil || s.cmd.Process == nil {
		return memory{}, false
	}
	hwm, ok := procBytes(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid), "VmHWM:")
	if !ok {
		return memory{}, false
	}
	m := memory{HWM: hwm}
	m.PSS, m.PSSKnown = s.pss.peak()
	return m, true
}

func (s *binaryServer) Pid() int {
	if s.cmd == nil || s.cmd.Process == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

func (s *binaryServer) Stop() error {
	if s.cmd == nil || s.cmd.Process == nil {
		return nil
	}
	s.pss.stop()
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
	s.cmd = nil
	return nil
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// waitReady polls /readyz until the server answers 200.
func waitReady(ctx context.Context, base string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// Often enough that the start-up time it measures is not rounded up much.
		time.Sleep(5 * time.Millisecond)
	}
	return errors.New("the server did not become ready at " + base)
}
