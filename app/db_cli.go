package app

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v3"

	"rampart/app/dbcopy"
	"rampart/models"
)

func dbCommand() *cli.Command {
	var from, to string
	var dryRun bool
	return &cli.Command{
		Name:  "db",
		Usage: "move the database between engines",
		Commands: []*cli.Command{{
			Name:  "copy",
			Usage: "copy a SQLite database into a new, empty PostgreSQL database (stop the server first)",
			Description: "Migrates the target to the source's schema version, copies every table in foreign-key order\n" +
				"with its ids, timestamps and values in one transaction (a failed copy leaves the target empty:\n" +
				"run it again), then compares row counts and a checksum of every row on both sides and verifies\n" +
				"the audit chain on the target. Refuses a target that holds any row. Progress goes to stderr,\n" +
				"the report to stdout. Uploaded files are not in the database: they stay in RAMPART_DATA_DIR/files.\n" +
				"Steps for a live install: docs/operations.md, \"From SQLite to PostgreSQL\".",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "from", Destination: &from, Required: true, Usage: "the SQLite database: sqlite:PATH or a file path"},
				&cli.StringFlag{Name: "to", Destination: &to, Required: true, Usage: "the PostgreSQL database: postgres://..."},
				&cli.BoolFlag{Name: "dry-run", Destination: &dryRun, Usage: "check the source, the target and every row without writing anything"},
			},
			Action: func(ctx context.Context, cmd *cli.Command) error {
				src, err := models.ParseURL(from)
				if err != nil || src.Dialect != models.SQLite {
					return fmt.Errorf("--from must be a SQLite database (sqlite:PATH or a file path)")
				}
				dst, err := models.ParseURL(to)
				if err != nil || dst.Dialect != models.Postgres {
					return fmt.Errorf("--to must be a postgres:// URL")
				}
				rep, err := dbcopy.Copy(ctx, dbcopy.Options{From: src.Path, To: dst, DryRun: dryRun, Progress: cmd.Root().ErrWriter})
				if err != nil {
					if len(rep.Tables) > 0 {
						_ = printReport(cmd.Root().Writer, rep)
					}
					return err
				}
				return printReport(cmd.Root().Writer, rep)
			},
		}},
	}
}

func printReport(w io.Writer, rep dbcopy.Report) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	if rep.DryRun {
		fmt.Fprintln(tw, "table\tsource rows\t")
	} else {
		fmt.Fprintln(tw, "table\tsource rows\ttarget rows\tcontent\t")
	}
	for _, t := range rep.Tables {
		if rep.DryRun {
			fmt.Fprintf(tw, "%s\t%d\t\n", t.Name, t.Source)
			continue
		}
		same := "same"
		if t.SourceSum != t.TargetSum || t.Source != t.Target {
			same = "DIFFERS"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t\n", t.Name, t.Source, t.Target, same)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, warn := range rep.Warnings {
		fmt.Fprintln(w, "Warning:", warn)
	}
	if rep.DryRun {
		_, err := fmt.Fprintf(w, "Dry run: %d tables, %d rows at schema version %d can be copied; nothing was written (%v).\n",
			len(rep.Tables), rep.Rows(), rep.SchemaVersion, rep.Took.Round(1e6))
		return err
	}
	if len(rep.Sequences) > 0 {
		fmt.Fprintf(w, "Sequences reset: %s.\n", strings.Join(rep.Sequences, ", "))
	}
	if rep.Audit.OK {
		fmt.Fprintf(w, "Audit trail intact on the target: %d events checked.\n", rep.Audit.Checked)
	}
	if rep.Took > 0 {
		_, err := fmt.Fprintf(w, "Copied %d tables, %d rows at schema version %d in %v. Point RAMPART_DATABASE_URL at the target and start the server.\n",
			len(rep.Tables), rep.Rows(), rep.SchemaVersion, rep.Took.Round(1e6))
		return err
	}
	return nil
}
