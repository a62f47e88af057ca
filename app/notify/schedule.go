package notify

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"rampart/models"
)

// Task is one of the clock's recurring tasks. Run must be idempotent for
// a given now (notices carry event keys), since a round cut short by a
// crash runs again on another instance once its lease lapses.
type Task struct {
	Name string
	// Next says when the round after one that ran at now is due.
	Next func(now time.Time) time.Time
	Run  func(ctx context.Context, now time.Time) error
	// AtNext makes a task's very first round wait for Next rather than
	// run when the server first starts (a daily digest at 07:00 should not
	// also go out at whatever hour the program was installed).
	AtNext bool
}

// Every runs a task at a fixed interval.
func Every(d time.Duration) func(time.Time) time.Time {
	return func(now time.Time) time.Time { return now.Add(d) }
}

// DailyAt runs a task once a day at hour:00 UTC.
func DailyAt(hour int) func(time.Time) time.Time {
	return func(now time.Time) time.Time {
		next := time.Date(now.Year(), now.Month(), now.Day(), hour, 0, 0, 0, time.UTC)
		if !next.After(now) {
			next = next.AddDate(0, 0, 1)
		}
		return next
	}
}

// Scheduler runs tasks when due, one instance per round.
type Scheduler struct {
	DB       *gorm.DB
	Instance string
	Now      func() time.Time
	Tasks    []Task
	// Lease holds a claimed round; longer than any round takes.
	Lease time.Duration
	Log   *slog.Logger
}

func (s *Scheduler) now() time.Time { return utcNow(s.Now) }

// RunDue runs every task whose round is due now and returns the names of
// those this instance ran.
func (s *Scheduler) RunDue(ctx context.Context) ([]string, error) {
	lease := s.Lease
	if lease <= 0 {
		lease = 10 * time.Minute
	}
	var ran []string
	for _, t := range s.Tasks {
		now := s.now()
		first := now
		if t.AtNext {
			first = t.Next(now)
		}
		if err := models.EnsureSchedule(ctx, s.DB, t.Name, first); err != nil {
			return ran, err
		}
		ok, err := models.ClaimSchedule(ctx, s.DB, t.Name, s.Instance, now, lease)
		if err != nil {
			return ran, err
		}
		if !ok {
			continue
		}
		runErr := s.run(ctx, t, now)
		errText := ""
		if runErr != nil {
			errText = runErr.Error()
			if s.Log != nil {
				s.Log.Warn("scheduled task failed", "task", t.Name, "error", errText)
			}
		}
		if err := models.FinishSchedule(context.WithoutCancel(ctx), s.DB, t.Name, s.Instance, t.Next(now), s.now(), errText); err != nil {
			return ran, err
		}
		ran = append(ran, t.Name)
	}
	return ran, nil
}

func (s *Scheduler) run(ctx context.Context, t Task, now time.Time) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return t.Run(ctx, now)
}

// Run checks for due tasks every poll until ctx ends.
func (s *Scheduler) Run(ctx context.Context, poll time.Duration) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if _, err := s.RunDue(ctx); err != nil && ctx.Err() == nil && s.Log != nil {
			s.Log.Warn("scheduler: round failed", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
