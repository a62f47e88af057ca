// Package contracts holds contract rules that are neither HTTP nor
// storage: term arithmetic and the cancel-by date.
package contracts

import "time"

// AddMonths adds n months to d, keeping the day of month when it exists
// and otherwise using the month's last day (Jan 31 + 1 month = Feb 28 or
// 29), unlike time.AddDate, which would roll over into March.
func AddMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(day, last), 0, 0, 0, 0, time.UTC)
}

// TermEnd is the last day of a term of months starting on start: the day
// before its anniversary. A 12-month term from 2026-01-01 ends on
// 2026-12-31; when the anniversary day does not exist (a term from
// 2028-02-29, or one month from January 31) it falls on the first of the
// next month, so the term ends on the month's last day.
func TermEnd(start time.Time, months int) time.Time {
	y, m, day := start.Date()
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	anniversary := time.Date(first.Year(), first.Month(), day, 0, 0, 0, 0, time.UTC)
	if anniversary.Month() != first.Month() {
		anniversary = first.AddDate(0, 1, 0)
	}
	return anniversary.AddDate(0, 0, -1)
}

// Notice is a notice period: a number of days or months.
type Notice struct {
	N    int
	Unit string // "days" or "months"
}

// CancelBy is the last day notice can be given to stop a contract from
// renewing at end: the end date minus the notice period (a 3-month
// notice before 2027-05-31 is due on 2027-02-28).
func CancelBy(end time.Time, n Notice) time.Time {
	if n.Unit == "months" {
		return AddMonths(end, -n.N)
	}
	return end.AddDate(0, 0, -n.N)
}

// CurrentTerm returns the end of the term running on today: past the
// initial end date, an auto-renewing contract rolls over by renewal
// months at a time. ok is false when the contract has ended.
func CurrentTerm(end time.Time, autoRenew bool, renewalMonths int, today time.Time) (time.Time, bool) {
	for end.Before(today) {
		if !autoRenew || renewalMonths < 1 {
			return end, false
		}
		end = TermEnd(end.AddDate(0, 0, 1), renewalMonths)
	}
	return end, true
}
