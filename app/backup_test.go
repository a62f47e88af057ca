package app

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// The database password must not reach pg_dump's command line, which any
// user of the machine can read in the process list.
func TestPgDumpPasswordStaysOffTheCommandLine(t *testing.T) {
	for _, dsn := range []string{
		"postgres://rampart:s3cret-pw@db.internal:5432/rampart?sslmode=require&search_path=rampart",
		"postgres://rampart@db.internal/rampart?password=s3cret-pw&sslmode=disable",
	} {
		cmd, err := pgDumpCommand(context.Background(), dsn, "out.backup")
		if err != nil {
			t.Fatal(err)
		}
		line := strings.Join(cmd.Args, " ")
		if strings.Contains(line, "s3cret-pw") {
			t.Errorf("%s: password on the command line: %s", dsn, line)
		}
		if !slices.Contains(cmd.Env, "PGPASSWORD=s3cret-pw") {
			t.Errorf("%s: PGPASSWORD not passed in the environment", dsn)
		}
		if !strings.Contains(line, "--dbname=postgres://rampart@db.internal") || !strings.Contains(line, "sslmode=") {
			t.Errorf("%s: connection details lost: %s", dsn, line)
		}
	}
	if cmd, _ := pgDumpCommand(context.Background(), "postgres://rampart@db/rampart?search_path=s1", "f"); !slices.Contains(cmd.Args, "--schema=s1") {
		t.Errorf("search_path not turned into --schema: %v", cmd.Args)
	}
}
