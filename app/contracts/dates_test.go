package contracts

import (
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAddMonthsClampsToMonthEnd(t *testing.T) {
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-31", 1, "2026-02-28"},
		{"2028-01-31", 1, "2028-02-29"}, // leap year
		{"2028-02-29", 12, "2029-02-28"},
		{"2026-03-31", -1, "2026-02-28"},
		{"2027-05-31", -3, "2027-02-28"},
		{"2026-08-15", 6, "2027-02-15"},
		{"2026-12-31", 2, "2027-02-28"},
	} {
		if got := AddMonths(day(c.from), c.n).Format(time.DateOnly); got != c.want {
			t.Errorf("%s %+d months = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}

func TestTermEndAndCancelBy(t *testing.T) {
	if got := TermEnd(day("2026-01-01"), 12); got.Format(time.DateOnly) != "2026-12-31" {
		t.Errorf("term end %s", got)
	}
	for start, want := range map[string]string{"2028-03-01": "2029-02-28", "2028-02-29": "2029-02-28", "2026-01-31": "2026-02-28", "2027-12-31": "2028-02-29"} {
		months := 12
		if start == "2026-01-31" {
			months = 1
		}
		if start == "2027-12-31" {
			months = 2
		}
		if got := TermEnd(day(start), months).Format(time.DateOnly); got != want {
			t.Errorf("term of %d months from %s ends %s, want %s", months, start, got, want)
		}
	}
	for _, c := range []struct {
		end    string
		notice Notice
		want   string
	}{
		{"2026-12-31", Notice{30, "days"}, "2026-12-01"},
		{"2027-03-01", Notice{1, "days"}, "2027-02-28"},
		{"2028-03-01", Notice{1, "days"}, "2028-02-29"},
		{"2027-05-31", Notice{3, "months"}, "2027-02-28"},
		{"2028-05-31", Notice{3, "months"}, "2028-02-29"},
		{"2026-12-31", Notice{0, "days"}, "2026-12-31"},
	} {
		if got := CancelBy(day(c.end), c.notice).Format(time.DateOnly); got != c.want {
			t.Errorf("cancel-by for %s with %+v = %s, want %s", c.end, c.notice, got, c.want)
		}
	}
}

func TestCurrentTermRollsOver(t *testing.T) {
	end, ok := CurrentTerm(day("2025-12-31"), true, 12, day("2026-11-24"))
	if !ok || end.Format(time.DateOnly) != "2026-12-31" {
		t.Errorf("renewed term %s %v", end, ok)
	}
	end, ok = CurrentTerm(day("2024-06-30"), true, 12, day("2026-11-24"))
	if !ok || end.Format(time.DateOnly) != "2027-06-30" {
		t.Errorf("twice renewed %s %v", end, ok)
	}
	if _, ok := CurrentTerm(day("2025-12-31"), false, 12, day("2026-11-24")); ok {
		t.Error("a contract without auto-renewal is still running")
	}
	if end, ok := CurrentTerm(day("2026-11-24"), false, 0, day("2026-11-24")); !ok || end.Format(time.DateOnly) != "2026-11-24" {
		t.Error("the last day of a term is still in it")
	}
}
