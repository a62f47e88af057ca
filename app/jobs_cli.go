package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v3"

	"rampart/models"
)

// jobsCommand shows the clock's tasks and the mail outbox as the database
// has them, so that an operator can see from a shell (on any instance, or
// none running) what is due, what is held by which instance and what
// failed, and send a failed message again.
func jobsCommand(cfg *Config) *cli.Command {
	var limit int
	return &cli.Command{
		Name:  "jobs",
		Usage: "show the scheduled tasks and the mail outbox: what is due, who holds it, what failed",
		Description: "Prints the scheduled tasks (next and last run, last error, the instance holding the\n" +
			"current round), the outbox counted by status, and the messages still to go or failed,\n" +
			"newest first, with their last error. Times are UTC. `rampart jobs resend ID` queues a\n" +
			"failed message again.",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "limit", Destination: &limit, Value: 50, Usage: "most messages listed (at most 200)"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if cmd.Args().Len() > 0 {
				return fmt.Errorf("jobs: unknown command %q (see rampart jobs --help)", cmd.Args().First())
			}
			e, err := open(ctx, cfg, cmd.Root().ErrWriter)
			if err != nil {
				return err
			}
			defer e.db.Close()
			return printJobs(ctx, e.db, cmd.Root().Writer, limit, time.Now().UTC())
		},
		Commands: []*cli.Command{{
			Name:      "resend",
			Usage:     "queue a failed (or sent) message again; the next worker round sends it",
			ArgsUsage: "ID",
			Action: func(ctx context.Context, cmd *cli.Command) error {
				if cmd.Args().Len() != 1 {
					return errors.New("jobs resend: name one message ID (rampart jobs lists them)")
				}
				id := strings.TrimSpace(cmd.Args().First())
				e, err := open(ctx, cfg, cmd.Root().ErrWriter)
				if err != nil {
					return err
				}
				defer e.db.Close()
				m, err := models.ResendMail(ctx, e.db.Gorm, id, time.Now().UTC(),
					&models.AuditEvent{ActorType: models.ActorSystem, ActorLabel: "rampart jobs resend"})
				var inv *models.ValidationError
				switch {
				case errors.Is(err, models.ErrNotFound):
					return fmt.Errorf("jobs resend: no message %s", id)
				case errors.As(err, &inv):
					return fmt.Errorf("jobs resend: message %s is %s; only a failed or sent message can be sent again", id, jobMailStatus(ctx, e.db, id))
				case err != nil:
					return err
				}
				_, err = fmt.Fprintf(cmd.Root().Writer, "Message %s to %s (%q) queued again; it was %s.\n", m.ID, m.ToEmail, jobLine(m.Subject, 80), m.Status)
				return err
			},
		}},
	}
}

func jobMailStatus(ctx context.Context, db *models.DB, id string) string {
	m, _, err := models.GetMail(ctx, db.Gorm, id)
	if err != nil {
		return "unknown"
	}
	return m.Status
}

func printJobs(ctx context.Context, db *models.DB, out io.Writer, limit int, now time.Time) error {
	tasks, err := models.Schedules(ctx, db.Gorm)
	if err != nil {
		return err
	}
	counts, err := models.MailCounts(ctx, db.Gorm)
	if err != nil {
		return err
	}
	msgs, total, err := models.UnsentMail(ctx, db.Gorm, limit)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Scheduled tasks (times in UTC)")
	if len(tasks) == 0 {
		fmt.Fprintln(tw, "  none yet: each task is added by the first `rampart serve` that knows it")
	} else {
		fmt.Fprintln(tw, "  NAME\tNEXT RUN\tLAST RUN\tRUNS\tLAST ERROR\tHELD BY")
		for _, t := range tasks {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\t%s\t%s\n", t.Name, jobStamp(&t.NextRunAt), jobStamp(t.LastStartedAt), t.Runs,
				jobDash(jobLine(t.LastError, 60)), jobHolder(t.LockedBy, t.LockedUntil, now))
		}
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "Outbox")
	var parts []string
	for _, s := range []string{models.MailQueued, models.MailSending, models.MailSent, models.MailFailed, models.MailHeld} {
		parts = append(parts, fmt.Sprintf("%s %d", s, counts[s]))
	}
	fmt.Fprintln(tw, "  "+strings.Join(parts, "  "))
	fmt.Fprintln(tw)
	if total == 0 {
		fmt.Fprintln(tw, "No message is due, being sent or failed.")
		return tw.Flush()
	}
	title := "Due and failed messages, newest first"
	if int64(len(msgs)) < total {
		title += fmt.Sprintf(" (%d of %d; --limit shows more)", len(msgs), total)
	}
	fmt.Fprintln(tw, title)
	fmt.Fprintln(tw, "  ID\tSTATUS\tTRIES\tNEXT TRY\tTO\tKIND\tSUBJECT\tHELD BY\tERROR")
	for _, m := range msgs {
		next := jobStamp(&m.NextAttemptAt)
		if m.Status == models.MailFailed {
			next = "-"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", m.ID, m.Status, m.Attempts, next, m.ToEmail, m.Kind,
			jobLine(m.Subject, 50), jobHolder(m.LockedBy, m.LockedUntil, now), jobDash(jobLine(m.LastError, 100)))
	}
	return tw.Flush()
}

func jobStamp(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}

// holder names the instance holding a claim, and says so when its lease
// lapsed (the instance died or hangs: another one may take over).
func jobHolder(by string, until *time.Time, now time.Time) string {
	if by == "" {
		return "-"
	}
	if until == nil || until.Before(now) {
		return by + " (lease lapsed)"
	}
	return by + " until " + until.UTC().Format("15:04:05")
}

func jobDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// oneLine keeps a table row to one line: server replies span several, and
// subjects come from what people typed.
func jobLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n-1]) + "…"
	}
	return s
}
