// Package reminders is the clock's side of notifications: the scans that
// remind vendors of questionnaires and staff of dates (findings,
// exceptions, contracts, reviews), the expiry of accepted risks, and
// reassessments started on the risk model's cadence. Each scan may run
// any number of times: every notice carries an event key naming its
// occurrence ("finding.overdue:<id>:<due date>"), and a key already
// written is skipped, so a repeated or concurrent round raises nothing new.
package reminders

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"gorm.io/gorm"

	"rampart/app/findings"
	"rampart/app/notify"
	"rampart/models"
)

// Options are the scans' timings; zero fields take the defaults.
type Options struct {
	// ReminderDays: vendor reminders this many days before the due date.
	ReminderDays []int
	// ChaseEvery and ChaseMax: overdue chasers every so many days after
	// the due date, at most so many.
	ChaseEvery, ChaseMax int
	// FindingDays: a finding's owner hears this many days before it is due.
	FindingDays int
	// ExceptionDays: an exception's people hear this many days before it ends.
	ExceptionDays int
	// CancelByDays: a contract's owner and legal hear this many days
	// before its cancel-by date.
	CancelByDays []int
}

// Defaults are the timings the issue and docs/notifications.md state.
var Defaults = Options{ReminderDays: []int{7, 3, 1}, ChaseEvery: 3, ChaseMax: 5, FindingDays: 7, ExceptionDays: 14, CancelByDays: []int{60, 30, 7}}

func (o Options) withDefaults() Options {
	if len(o.ReminderDays) == 0 {
		o.ReminderDays = Defaults.ReminderDays
	}
	if o.ChaseEvery <= 0 {
		o.ChaseEvery = Defaults.ChaseEvery
	}
	if o.ChaseMax <= 0 {
		o.ChaseMax = Defaults.ChaseMax
	}
	if o.FindingDays <= 0 {
		o.FindingDays = Defaults.FindingDays
	}
	if o.ExceptionDays <= 0 {
		o.ExceptionDays = Defaults.ExceptionDays
	}
	if len(o.CancelByDays) == 0 {
		o.CancelByDays = Defaults.CancelByDays
	}
	o.ReminderDays = ascending(o.ReminderDays)
	o.CancelByDays = ascending(o.CancelByDays)
	return o
}

func ascending(in []int) []int {
	out := slices.Clone(in)
	slices.Sort(out)
	return slices.Compact(out)
}

// Scans runs the scans against one database.
type Scans struct {
	DB      *gorm.DB
	Notify  *notify.Notifier
	Options Options
	Log     *slog.Logger
}

// Tasks are the recurring tasks of the scans; the server adds them to
// notify.Tasks. Rounds are hourly (expiry every 15 minutes, as the sweep
// did): the scans are date-based, and an instance that was down catches
// up on its first round.
func Tasks(db *gorm.DB, n *notify.Notifier, o Options, log *slog.Logger) []notify.Task {
	s := &Scans{DB: db, Notify: n, Options: o, Log: log}
	return []notify.Task{
		{Name: "exceptions-expire", Next: notify.Every(15 * time.Minute), Run: s.ExpireExceptions},
		{Name: "vendor-reminders", Next: notify.Every(time.Hour), Run: s.VendorReminders},
		{Name: "staff-due-dates", Next: notify.Every(time.Hour), Run: s.StaffDueDates},
		{Name: "reassessments", Next: notify.Every(time.Hour), Run: s.Reassessments},
		{Name: "evidence-expiry", Next: notify.Every(time.Hour), Run: s.EvidenceExpiring},
	}
}

func (s *Scans) opts() Options { return s.Options.withDefaults() }

func (s *Scans) info(msg string, args ...any) {
	if s.Log != nil {
		s.Log.Info(msg, args...)
	}
}

// emit writes one event in its own transaction.
func (s *Scans) emit(ctx context.Context, ev notify.Event) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return s.Notify.Emit(ctx, tx, ev) })
}

// ExpireExceptions ends accepted risks past their date; the findings
// service reopens each finding, rescores the vendor and tells the
// requester and approver.
func (s *Scans) ExpireExceptions(ctx context.Context, now time.Time) error {
	n, err := (&findings.Service{DB: s.DB, Now: func() time.Time { return now }, Notify: s.Notify}).ExpireExceptions(ctx)
	if n > 0 {
		s.info("exceptions expired; findings reopened", "count", n)
	}
	return err
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// daysBetween counts whole days from a to b (dates, YYYY-MM-DD).
func daysBetween(a, b string) (int, bool) {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return int(tb.Sub(ta).Hours() / 24), true
}

func addDays(d string, n int) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}

// stage is the smallest of the ascending steps that left is within, or 0
// when left is beyond them all: a scan that missed a step's day (the
// server was down) sends only the step now in force, never a backlog.
func stage(steps []int, left int) int {
	for _, d := range steps {
		if left <= d {
			return d
		}
	}
	return 0
}

// bounced returns the addresses among addrs that the mail server refused
// for good.
func (s *Scans) bounced(ctx context.Context, addrs []string) (map[string]string, error) {
	return models.Bounces(ctx, s.DB, addrs)
}
