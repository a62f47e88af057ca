package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/urfave/cli/v3"

	"rampart/app/storage"
)

func storageCommand(cfg *Config) *cli.Command {
	var to, from string
	return &cli.Command{
		Name:  "storage",
		Usage: "manage where uploaded files are kept",
		Commands: []*cli.Command{{
			Name:  "migrate",
			Usage: "copy every stored file to another store (a folder or an S3 bucket), e.g. before switching --storage-url",
			Description: "Copies every file from the current store (--storage-url, or --from) to --to, checking each file's\n" +
				"SHA-256 on both sides. Files already in the target with the same checksum are skipped, so an\n" +
				"interrupted copy resumes where it stopped and a second run copies only what was uploaded\n" +
				"since. The server may keep running: the copy only reads the current store. To switch, restart\n" +
				"the server with --storage-url set to the target, then run this again with --from set to the\n" +
				"old store to pick up files uploaded until the restart (docs/operations.md).",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "to", Required: true, Destination: &to,
					Usage: "target store: file:///PATH or s3://BUCKET/PREFIX?endpoint=... (as --storage-url)"},
				&cli.StringFlag{Name: "from", Destination: &from,
					Usage: "source store (default: the current --storage-url)"},
			},
			Action: func(ctx context.Context, cmd *cli.Command) error {
				set, err := cfg.validate()
				if err != nil {
					return err
				}
				src := set.files
				if cmd.IsSet("from") {
					if src, err = openStore(cfg, from); err != nil {
						return fmt.Errorf("--from: %w", err)
					}
				}
				dst, err := openStore(cfg, to)
				if err != nil {
					return fmt.Errorf("--to: %w", err)
				}
				if src.String() == dst.String() {
					return errors.New("--to names the store files are copied from")
				}
				for _, s := range []storage.Backend{src, dst} {
					if err := checkFiles(ctx, s); err != nil {
						return err
					}
				}
				return migrateFiles(ctx, cmd, src, dst)
			},
		}},
	}
}

// openStore opens a store given on the command line with the configured
// credentials and data folder.
func openStore(cfg *Config, raw string) (storage.Backend, error) {
	if raw == "" {
		return nil, errors.New("must not be empty (file:///PATH or s3://BUCKET/...)")
	}
	return storage.Open(raw, storage.Options{DataDir: cfg.DataDir, AccessKeyID: cfg.StorageAccessKeyID, SecretAccessKey: cfg.StorageSecretAccessKey})
}

func migrateFiles(ctx context.Context, cmd *cli.Command, src, dst storage.Backend) error {
	// Progress goes to stderr, at most about once a second and at the end,
	// so that stdout stays the summary.
	progress := cmd.Root().ErrWriter
	fmt.Fprintf(progress, "copying files from %s to %s\n", src, dst)
	start := time.Now()
	var last time.Time
	res, err := storage.Copy(ctx, src, dst, func(r storage.CopyResult) {
		if now := time.Now(); now.Sub(last) >= time.Second || r.Done() == r.Total {
			last = now
			fmt.Fprintf(progress, "%d of %d files: %d copied (%s), %d already there, %d failed\n",
				r.Done(), r.Total, r.Copied, humanize.IBytes(uint64(r.Bytes)), r.Present, len(r.Failed))
		}
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(cmd.Root().Writer, "%d files in %s: %d copied (%s), %d already there, in %s\n",
		res.Total, dst, res.Copied, humanize.IBytes(uint64(res.Bytes)), res.Present, time.Since(start).Round(time.Millisecond))
	return err
}
