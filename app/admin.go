package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v3"
	"golang.org/x/term"
	"gorm.io/gorm"

	"rampart/app/auth"
	"rampart/app/password"
	"rampart/models"
	"rampart/seeds"
)

func seedCommand(cfg *Config) *cli.Command {
	var scale int
	return &cli.Command{
		Name:  "seed",
		Usage: "load the demo accounts and data into an empty database; --scale N adds N generated vendors for load tests",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "scale", Destination: &scale, Usage: "also add this many generated vendors (e.g. 100000), in bulk"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if scale < 0 || scale > 5_000_000 {
				return fmt.Errorf("--scale %d: must be between 0 and 5000000", scale)
			}
			e, err := open(ctx, cfg, cmd.Root().ErrWriter)
			if err != nil {
				return err
			}
			defer e.db.Close()
			if err := e.migrate(ctx); err != nil {
				return err
			}
			if _, err := seeds.Demo(ctx, e.db.Gorm); err != nil {
				return err
			}
			if err := seeds.DemoDocuments(ctx, e.db.Gorm, e.set.files); err != nil {
				return err
			}
			out := cmd.Root().Writer
			if scale > 0 {
				start := time.Now()
				// Progress goes to stderr so that stdout stays the summary.
				progress := cmd.Root().ErrWriter
				n, err := seeds.Scale(ctx, e.db.Gorm, scale, func(done, total int) {
					fmt.Fprintf(progress, "\r%d of %d vendors (%d%%)", done, total, done*100/total)
				})
				fmt.Fprintln(progress)
				if err != nil {
					return err
				}
				if err := e.db.Optimize(ctx); err != nil {
					return err
				}
				fmt.Fprintf(out, "%d vendors added in %v: %d contacts, %d requests, %d assessments with %d answers, %d findings, %d contracts, %d score history entries, %d audit events.\n",
					n.Vendors, time.Since(start).Round(time.Millisecond), n.Contacts, n.Requests, n.Assessments, n.Answers, n.Findings, n.Contracts, n.History, n.AuditEvents)
			}
			// No portal link: it is a live credential, and captured output outlives the demo.
			_, err = fmt.Fprintf(out, "Demo data loaded. Sign in as admin@example.com with password %q at %s.\nDemo vendor portal: sign in as risk@example.com, open a sent assessment and choose \"Send a new link\".\n",
				seeds.DemoPassword, e.set.baseURL)
			return err
		},
	}
}

func adminCommand(cfg *Config) *cli.Command {
	var email, name string
	return &cli.Command{
		Name:  "admin",
		Usage: "manage administrator accounts",
		Commands: []*cli.Command{{
			Name:  "create",
			Usage: "create an administrator; the password is read from the terminal, or from the first line of standard input",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "email", Destination: &email, Required: true, Usage: "sign-in email address"},
				&cli.StringFlag{Name: "name", Destination: &name, Required: true, Usage: "full name"},
			},
			Action: func(ctx context.Context, cmd *cli.Command) error {
				addr, err := mail.ParseAddress(email)
				if err != nil || addr.Address != strings.TrimSpace(email) {
					return fmt.Errorf("--email %q is not a valid email address", email)
				}
				if strings.TrimSpace(name) == "" {
					return errors.New("--name must not be empty")
				}
				pw, err := readPassword(cmd.Root().Reader, cmd.Root().ErrWriter)
				if err != nil {
					return err
				}
				if err := password.Check(pw); err != nil {
					return fmt.Errorf("password %w", err)
				}
				hash, err := password.Hash(pw)
				if err != nil {
					return err
				}
				e, err := open(ctx, cfg, cmd.Root().ErrWriter)
				if err != nil {
					return err
				}
				defer e.db.Close()
				if err := e.migrate(ctx); err != nil {
					return err
				}
				u := &models.User{Email: addr.Address, Name: strings.TrimSpace(name), Role: models.RoleAdmin, Active: true, PasswordHash: hash}
				err = e.db.Gorm.Transaction(func(tx *gorm.DB) error {
					if err := models.CreateUser(ctx, tx, u); err != nil {
						return err
					}
					return models.AppendAudit(ctx, tx, &models.AuditEvent{ActorType: models.ActorSystem, ActorLabel: "rampart admin create",
						Action: "user.create", ObjectType: "user", ObjectID: u.ID, AfterData: models.AuditJSON(map[string]any{"email": u.Email, "name": u.Name, "role": u.Role})})
				})
				if errors.Is(err, models.ErrConflict) {
					return fmt.Errorf("a user with email %s already exists", u.Email)
				} else if err != nil {
					return err
				}
				_, err = fmt.Fprintf(cmd.Root().Writer, "Administrator %s created.\n", u.Email)
				return err
			},
		}, resetPasswordCommand(cfg)},
	}
}

// resetPasswordCommand sets a temporary password for any user (the way
// back in when the last administrator forgot theirs): the user must change
// it at their next sign-in, and every session of theirs ends.
func resetPasswordCommand(cfg *Config) *cli.Command {
	var email string
	return &cli.Command{
		Name:  "reset-password",
		Usage: "set a temporary password for a user, who must change it at next sign-in; ends their sessions. The password is read from the terminal, or from the first line of standard input",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "email", Destination: &email, Required: true, Usage: "the user's sign-in email address"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			pw, err := readPassword(cmd.Root().Reader, cmd.Root().ErrWriter)
			if err != nil {
				return err
			}
			if err := password.Check(pw); err != nil {
				return fmt.Errorf("password %w", err)
			}
			e, err := open(ctx, cfg, cmd.Root().ErrWriter)
			if err != nil {
				return err
			}
			defer e.db.Close()
			if err := e.migrate(ctx); err != nil {
				return err
			}
			u, err := models.UserByEmail(ctx, e.db.Gorm, email)
			if errors.Is(err, models.ErrNotFound) {
				return fmt.Errorf("no user with email %s", models.NormalizeEmail(email))
			} else if err != nil {
				return err
			}
			svc := &auth.Service{DB: e.db.Gorm, Policy: auth.DefaultPolicy}
			p := &auth.Principal{User: u, System: "rampart admin reset-password"}
			if _, err := svc.SetTemporaryPassword(ctx, p, u.ID, pw, auth.Origin{}); err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.Root().Writer, "Temporary password set for %s: they choose their own at next sign-in. Their sessions ended.\n", u.Email)
			return err
		},
	}
}

// readPassword prompts without echo on a terminal and otherwise reads one
// line, so that `echo "$PW" | rampart admin create ...` works in scripts.
func readPassword(in io.Reader, prompt io.Writer) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(prompt, "Password (at least 12 characters): ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", err
		}
		return string(b), nil
	}
	line, err := bufio.NewReader(io.LimitReader(in, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password given on standard input")
	}
	return line, nil
}
