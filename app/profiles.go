package app

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime"
	"time"
)

// serveProfiles serves Go's runtime profiles on their own loopback
// listener (--pprof-addr), apart from the API so that no route, session or
// proxy can reach them. Blocking and lock contention are sampled only
// while it is on: they are how a serialisation point shows itself (a
// pool everyone waits for, a mutex held across I/O), and sampling them
// costs a little on every wait.
func serveProfiles(ctx context.Context, log *slog.Logger, addr string) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	runtime.SetBlockProfileRate(int(10 * time.Microsecond))
	runtime.SetMutexProfileFraction(10)
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	go func() {
		if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
			log.Warn("profile server stopped", "error", err.Error())
		}
	}()
	log.Info("profiles served", "url", "http://"+ln.Addr().String()+"/debug/pprof/")
	return ln.Addr(), nil
}
