package app

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/urfave/cli/v3"

	"rampart/models"
)

func auditCommand(cfg *Config) *cli.Command {
	return &cli.Command{
		Name:  "audit",
		Usage: "inspect the audit trail and its signed checkpoints",
		Commands: []*cli.Command{
			auditVerifyCommand(cfg),
			{
				Name:  "checkpoint",
				Usage: "sign the audit trail's last event now, append it to the checkpoint file and print it",
				Action: func(ctx context.Context, cmd *cli.Command) error {
					e, err := open(ctx, cfg, cmd.Root().ErrWriter)
					if err != nil {
						return err
					}
					defer e.db.Close()
					key, err := e.auditKey(true)
					if err != nil {
						return err
					}
					c, _, err := writeCheckpoint(ctx, e, key)
					if err != nil {
						return err
					}
					_, err = fmt.Fprintf(cmd.Root().Writer, "Checkpoint of event %d written to %s (key %s).\n", c.Seq, e.checkpointPath(), c.KeyID)
					return err
				},
			},
			{
				Name:  "public-key",
				Usage: "print the checkpoint signing key's public half, for `audit verify --public-key` where the private key is not at hand",
				Action: func(ctx context.Context, cmd *cli.Command) error {
					key, err := (&env{cfg: cfg}).auditKey(false)
					if err != nil {
						return err
					}
					pub := key.Public().(ed25519.PublicKey)
					_, err = fmt.Fprintf(cmd.Root().Writer, "%s (key id %s)\n", base64.StdEncoding.EncodeToString(pub), models.AuditKeyID(pub))
					return err
				},
			},
			auditKeygenCommand(),
		},
	}
}

func auditVerifyCommand(cfg *Config) *cli.Command {
	var checkpoints, publicKeys []string
	return &cli.Command{
		Name: "verify",
		Usage: "recompute the audit trail's hash chain and, with --checkpoint, check it still holds every signed checkpoint; " +
			"exit 1 naming what was altered, cut off or rewritten",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "checkpoint", Destination: &checkpoints,
				Usage: "a checkpoint file (JSON lines) or an audit CSV export; repeat for several"},
			&cli.StringSliceFlag{Name: "public-key", Destination: &publicKeys,
				Usage: "trusted public key (base64, from `rampart audit public-key`); repeat after a key rotation (default: the public half of --audit-key-file)"},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			e, err := open(ctx, cfg, cmd.Root().ErrWriter)
			if err != nil {
				return err
			}
			defer e.db.Close()
			out := cmd.Root().Writer
			if len(checkpoints) == 0 {
				res, err := models.VerifyAudit(ctx, e.db.Gorm)
				if err != nil {
					return err
				}
				if !res.OK {
					return fmt.Errorf("audit trail broken at event %d: %s (%d events before it are intact)", res.BrokenSeq, res.Reason, res.Checked)
				}
				_, err = fmt.Fprintf(out, "Audit trail intact: %d events checked.\n", res.Checked)
				return err
			}
			trusted, err := trustedKeys(e, publicKeys)
			if err != nil {
				return err
			}
			var cps []models.AuditCheckpoint
			for _, path := range checkpoints {
				c, err := readCheckpoints(path)
				if err != nil {
					return fmt.Errorf("--checkpoint: %w", err)
				}
				cps = append(cps, c...)
			}
			r, err := models.VerifyAuditCheckpoints(ctx, e.db.Gorm, trusted, cps)
			if err != nil {
				return err
			}
			return reportCheckpoints(out, r)
		},
	}
}

func reportCheckpoints(out io.Writer, r models.CheckpointReport) error {
	for _, p := range r.Problems {
		fmt.Fprintln(out, "PROBLEM:", p)
	}
	if !r.Chain.OK {
		return fmt.Errorf("audit trail broken at event %d: %s (%d events before it are intact); %d checkpoint problems",
			r.Chain.BrokenSeq, r.Chain.Reason, r.Chain.Checked, len(r.Problems))
	}
	if len(r.Problems) > 0 {
		return fmt.Errorf("audit trail does not match its checkpoints: %d problems (listed above)", len(r.Problems))
	}
	_, err := fmt.Fprintf(out, "Audit trail intact: %d events checked, consistent with %d signed checkpoints.\n", r.Chain.Checked, r.Checked)
	return err
}

func trustedKeys(e *env, given []string) ([]ed25519.PublicKey, error) {
	if len(given) == 0 {
		key, err := e.auditKey(false)
		if err != nil {
			return nil, fmt.Errorf("%w (or give --public-key)", err)
		}
		return []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}, nil
	}
	var out []ed25519.PublicKey
	for _, s := range given {
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
		if err != nil || len(b) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("--public-key %q: not a base64 Ed25519 public key", s)
		}
		out = append(out, ed25519.PublicKey(b))
	}
	return out, nil
}

func auditKeygenCommand() *cli.Command {
	var to string
	return &cli.Command{
		Name:  "keygen",
		Usage: "create a new checkpoint signing key file (Ed25519, PKCS#8 PEM, readable by its owner only)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Destination: &to, Required: true, Usage: "the key file to create (must not exist)"},
		},
		Action: func(_ context.Context, cmd *cli.Command) error {
			key, err := writeAuditKey(to)
			if err != nil {
				if errors.Is(err, fs.ErrExist) {
					return fmt.Errorf("--out %s already exists; choose a new file", to)
				}
				return err
			}
			pub := key.Public().(ed25519.PublicKey)
			_, err = fmt.Fprintf(cmd.Root().Writer, "Key written to %s; public key %s (key id %s).\n", to, base64.StdEncoding.EncodeToString(pub), models.AuditKeyID(pub))
			return err
		},
	}
}
