package app

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/urfave/cli/v3"
)

// healthcheckCommand lets a container image without curl check the server
// (Docker HEALTHCHECK): exit 0 when /healthz answers 200.
func healthcheckCommand(cfg *Config) *cli.Command {
	return &cli.Command{
		Name:  "healthcheck",
		Usage: "exit 0 if the server on --addr answers /healthz (for container health checks)",
		Action: func(ctx context.Context, _ *cli.Command) error {
			host, port, err := net.SplitHostPort(cfg.Addr)
			if err != nil {
				return settingError("addr", "RAMPART_ADDR", cfg.Addr, "must be HOST:PORT or :PORT")
			}
			if host == "" || host == "0.0.0.0" || host == "::" {
				host = "127.0.0.1"
			}
			ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
			defer cancel()
			url := "http://" + net.JoinHostPort(host, port) + "/healthz"
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				return err
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return fmt.Errorf("health check failed: %w", err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("health check failed: %s answered %d", url, resp.StatusCode)
			}
			return nil
		},
	}
}
