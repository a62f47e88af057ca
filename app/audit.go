package app

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v3"

	"rampart/models"
)

func auditCommand(cfg *Config) *cli.Command {
	return &cli.Command{
		Name:  "audit",
		Usage: "inspect the audit trail",
		Commands: []*cli.Command{{
			Name:  "verify",
			Usage: "recompute the audit trail's hash chain; exit 1 and name the first broken event if it was altered",
			Action: func(ctx context.Context, cmd *cli.Command) error {
				e, err := open(ctx, cfg, cmd.Root().ErrWriter)
				if err != nil {
					return err
				}
				defer e.db.Close()
				res, err := models.VerifyAudit(ctx, e.db.Gorm)
				if err != nil {
					return err
				}
				if !res.OK {
					return fmt.Errorf("audit trail broken at event %d: %s (%d events before it are intact)", res.BrokenSeq, res.Reason, res.Checked)
				}
				_, err = fmt.Fprintf(cmd.Root().Writer, "Audit trail intact: %d events checked.\n", res.Checked)
				return err
			},
		}},
	}
}
