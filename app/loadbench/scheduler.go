package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"rampart/models"
)

// awaitScheduler waits until the server's scheduled tasks have no round
// due or running (the tallies' fold, every 10 s, aside). After a fresh
// seed the first rounds send the reminders and due-date notices of the
// whole portfolio, for minutes at 100,000 vendors: a benchmark taken
// meanwhile measures them too (its limit handler served half its pages).
// The rounds run one task after another and each adds its own row when
// it comes up, so the scheduler counts as idle only after several quiet
// looks in a row.
func awaitScheduler(ctx context.Context, db *models.DB, log io.Writer, most time.Duration) error {
	const poll, quietLooks = 2 * time.Second, 3
	started := time.Now()
	said := false
	for quiet := 0; quiet < quietLooks; {
		var busy int64
		now := time.Now().UTC()
		if err := db.Gorm.WithContext(ctx).Model(&models.Schedule{}).
			Where("name <> ? AND (next_run_at <= ? OR locked_until > ?)", "dashboard-fold", now, now).
			Count(&busy).Error; err != nil {
			return err
		}
		if busy > 0 {
			quiet = 0
			if !said {
				fmt.Fprintln(log, "waiting for the scheduler's rounds to finish")
				said = true
			}
			if time.Since(started) > most {
				fmt.Fprintf(log, "the scheduler is still busy after %v: measuring anyway\n", most)
				return nil
			}
		} else {
			quiet++
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(poll):
		}
	}
	return nil
}
