package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"

	"github.com/urfave/cli/v3"

	"rampart/models"
)

func backupCommand(cfg *Config) *cli.Command {
	var to string
	return &cli.Command{
		Name:  "backup",
		Usage: "write a consistent copy of the database to a new file while the server keeps running",
		Description: "SQLite: VACUUM INTO the file (open it with RAMPART_DATABASE_URL=sqlite:FILE to restore).\n" +
			"PostgreSQL: pg_dump in custom format (restore with pg_restore --dbname=...); pg_dump must be installed.\n" +
			"When Rampart lives in its own schema (search_path in the URL), only that schema is dumped: run\n" +
			"CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public in the target database before pg_restore.\n" +
			"Uploaded files live in RAMPART_DATA_DIR/files: back that folder up alongside.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "to", Destination: &to, Required: true, Usage: "the backup file to create (must not exist)"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if _, err := os.Stat(to); err == nil {
				return fmt.Errorf("--to %s already exists; choose a new file", to)
			}
			e, err := open(ctx, cfg, cmd.Root().ErrWriter)
			if err != nil {
				return err
			}
			defer e.db.Close()
			if err := backup(ctx, e, to); err != nil {
				_ = os.Remove(to)
				return err
			}
			st, err := os.Stat(to)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.Root().Writer, "Backup written to %s (%d bytes).\n", to, st.Size())
			return err
		},
	}
}

func backup(ctx context.Context, e *env, to string) error {
	if e.db.Dialect == models.SQLite {
		// VACUUM INTO takes a transactionally consistent copy while other
		// connections keep writing.
		if err := e.db.Gorm.WithContext(ctx).Exec("VACUUM INTO ?", to).Error; err != nil {
			return err
		}
		return models.RebuildSearchIndex(ctx, to)
	}
	if _, err := exec.LookPath("pg_dump"); err != nil {
		return errors.New("pg_dump is not installed; install the PostgreSQL client (same major version as the server)")
	}
	cmd, err := pgDumpCommand(ctx, e.set.db.DSN, to)
	if err != nil {
		return err
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_dump failed: %s", strings.TrimSpace(string(out)))
	}
	return nil
}

// pgDumpCommand builds the pg_dump call for the database at dsn. The
// password goes to pg_dump through PGPASSWORD, never on its command line,
// where every user of the machine could read it in the process list.
func pgDumpCommand(ctx context.Context, dsn, to string) (*exec.Cmd, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, err
	}
	args := []string{"--format=custom", "--no-owner", "--file=" + to}
	q := u.Query()
	// search_path is a server setting pg_dump does not accept in the URL;
	// it names the schema Rampart lives in, so dump that schema.
	if sp := q.Get("search_path"); sp != "" {
		args = append(args, "--schema="+strings.Split(sp, ",")[0])
		q.Del("search_path")
	}
	env := os.Environ()
	if pw := q.Get("password"); pw != "" {
		env = append(env, "PGPASSWORD="+pw)
		q.Del("password")
	}
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	u.RawQuery = q.Encode()
	cmd := exec.CommandContext(ctx, "pg_dump", append(args, "--dbname="+u.String())...)
	cmd.Env = env
	return cmd, nil
}
