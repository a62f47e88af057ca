// Package app wires Rampart together: configuration, the command line,
// the server lifecycle and, in sub-packages, domain logic that is neither
// HTTP nor storage.
package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"

	"github.com/urfave/cli/v3"

	"rampart/models"
	"rampart/seeds"
)

// Version is set at build time with -ldflags "-X rampart/app.Version=...".
var Version = "0.1.0-dev"

// Main runs the command line and returns the process exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg := &Config{}
	root := &cli.Command{
		Name:  "rampart",
		Usage: "vendor and third-party risk management",
		Description: "Rampart keeps every outside supplier in one place: how risky each one is and why,\n" +
			"what the contracts promise, and what is due next. Every setting can also be given\n" +
			"as the environment variable shown in brackets.",
		Version:   fullVersion(),
		Flags:     cfg.flags(),
		Reader:    stdin,
		Writer:    stdout,
		ErrWriter: stderr,
		// Errors are printed once, below, as one line.
		ExitErrHandler: func(context.Context, *cli.Command, error) {},
		Commands: []*cli.Command{
			serveCommand(cfg),
			migrateCommand(cfg),
			seedCommand(cfg),
			adminCommand(cfg),
			healthcheckCommand(cfg),
			auditCommand(cfg),
			backupCommand(cfg),
			storageCommand(cfg),
			dbCommand(),
			contractsCommand(),
			jobsCommand(cfg),
			{
				Name:  "version",
				Usage: "print the version and exit",
				Action: func(_ context.Context, cmd *cli.Command) error {
					_, err := fmt.Fprintln(cmd.Root().Writer, "rampart", fullVersion())
					return err
				},
			},
		},
	}
	if err := root.Run(ctx, args); err != nil {
		fmt.Fprintln(stderr, "rampart:", err)
		return 1
	}
	return 0
}

func fullVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return Version + " (" + s.Value[:12] + ")"
			}
		}
	}
	return Version
}

// env is what every command starts from: a valid configuration, a logger
// and an open, migrated database.
type env struct {
	cfg *Config
	set settings
	log *slog.Logger
	db  *models.DB
}

func open(ctx context.Context, cfg *Config, w io.Writer) (*env, error) {
	set, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	log := newLogger(cfg, w)
	if err := prepareDataDir(cfg.DataDir); err != nil {
		return nil, err
	}
	db, err := models.Open(ctx, set.db, set.pool)
	if err != nil {
		return nil, fmt.Errorf("database (--database-url, RAMPART_DATABASE_URL): %w", err)
	}
	return &env{cfg: cfg, set: set, log: log, db: db}, nil
}

func (e *env) migrate(ctx context.Context) error {
	n, err := e.db.Migrate(ctx, e.log)
	if err != nil {
		return err
	}
	current, _, err := e.db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	e.log.Info("database schema up to date", "dialect", e.db.Dialect, "schema_version", current, "applied_now", n)
	added, err := seeds.InstallBuiltins(ctx, e.db.Gorm)
	if err != nil {
		return fmt.Errorf("install built-in data: %w", err)
	}
	if added > 0 {
		e.log.Info("built-in questionnaires installed", "count", added)
	}
	return nil
}

func newLogger(cfg *Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if logFormat(cfg.LogFormat, w) == "json" {
		// JSON would write a duration as a bare count of nanoseconds;
		// "30s" says what it is, as the text format does.
		opts.ReplaceAttr = func(_ []string, a slog.Attr) slog.Attr {
			if a.Value.Kind() == slog.KindDuration {
				return slog.String(a.Key, a.Value.Duration().String())
			}
			return a
		}
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// logFormat resolves --log-format: "auto" is text for a person watching a
// terminal and JSON for everything else (a file, a pipe, a container's log
// collector); "text" and "json" are taken as they are.
func logFormat(setting string, w io.Writer) string {
	if setting != "auto" {
		return setting
	}
	if isTerminal(w) {
		return "text"
	}
	return "json"
}

// isTerminal reports whether w is a character device, as a terminal is.
// It asks only for Stat, so a test can hand it a fake file.
func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Stat() (os.FileInfo, error) })
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func migrateCommand(cfg *Config) *cli.Command {
	return &cli.Command{
		Name:  "migrate",
		Usage: "apply pending database migrations and exit (serve also applies them at start)",
		Action: func(ctx context.Context, cmd *cli.Command) error {
			e, err := open(ctx, cfg, cmd.Root().ErrWriter)
			if err != nil {
				return err
			}
			defer e.db.Close()
			return e.migrate(ctx)
		},
	}
}
