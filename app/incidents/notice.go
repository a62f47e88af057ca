package incidents

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// NoticeTerm is a contract's confirmed breach-notification term: the time
// within which the vendor must tell us, and the clause that says so.
type NoticeTerm struct {
	ContractID    string
	ContractTitle string
	// Exactly one of Hours, Days and BusinessDays is set.
	Hours, Days, BusinessDays int
	Quote                     string
}

// ParseNoticeTerm reads a term's normalized value ({"hours":72},
// {"days":3}, {"business_days":5}) and its first evidence quote; ok is
// false when the value is not a duration.
func ParseNoticeTerm(contractID, title, normalized, evidence string) (NoticeTerm, bool) {
	t := NoticeTerm{ContractID: contractID, ContractTitle: title}
	var n map[string]float64
	if json.Unmarshal([]byte(normalized), &n) != nil {
		return t, false
	}
	switch {
	case n["hours"] > 0:
		t.Hours = int(n["hours"])
	case n["days"] > 0:
		t.Days = int(n["days"])
	case n["business_days"] > 0:
		t.BusinessDays = int(n["business_days"])
	default:
		return t, false
	}
	var ev []struct {
		Quote string `json:"quote"`
	}
	if json.Unmarshal([]byte(evidence), &ev) == nil && len(ev) > 0 {
		t.Quote = ev[0].Quote
	}
	return t, true
}

// Deadline is when notice is due for an incident whose clock starts at
// start. Business days skip Saturdays and Sundays (in UTC).
func (t NoticeTerm) Deadline(start time.Time) time.Time {
	switch {
	case t.Hours > 0:
		return start.Add(time.Duration(t.Hours) * time.Hour)
	case t.Days > 0:
		return start.AddDate(0, 0, t.Days)
	}
	d := start.UTC()
	for left := t.BusinessDays; left > 0; {
		d = d.AddDate(0, 0, 1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			left--
		}
	}
	return d
}

// Allowed is the term in words: "72 h", "3 days", "5 business days".
func (t NoticeTerm) Allowed() string {
	switch {
	case t.Hours > 0:
		return fmt.Sprintf("%d h", t.Hours)
	case t.Days > 0:
		return plural(t.Days, "day")
	}
	return plural(t.BusinessDays, "business day")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// NoticeCheck is the verdict on how fast the vendor told us, against the
// strictest confirmed breach-notification term of its contracts.
type NoticeCheck struct {
	ContractID    string `json:"contract_id"`
	ContractTitle string `json:"contract_title"`
	// AllowedHours is the time the term allows, in hours (business days
	// counted from the incident's start).
	AllowedHours int    `json:"allowed_hours"`
	AllowedText  string `json:"allowed_text" description:"the term as the contract puts it: 72 h, 3 days, 5 business days"`
	// ActualHours is how long notice took, rounded up; nil while we have
	// not been notified.
	ActualHours *int      `json:"actual_hours"`
	ClockFrom   string    `json:"clock_from" enum:"detected_at,occurred_at" description:"which time the notice clock starts at"`
	Deadline    time.Time `json:"deadline"`
	Late        bool      `json:"late"`
	Quote       string    `json:"quote"`
	Message     string    `json:"message" description:"the verdict in words: Notice late: 96 h against 72 h in <contract>"`
}

// CheckNotice measures notice against the terms. The clock starts when the
// vendor became aware (detected) when that is known, else when the
// incident occurred: notification clauses run from awareness, and without
// it the occurrence is the earliest the vendor could have known. With
// several confirmed terms the earliest deadline governs. Without notice
// yet, it is late once now is past the deadline. No terms: nil, no
// verdict.
func CheckNotice(occurred time.Time, detected, notified *time.Time, now time.Time, terms []NoticeTerm) *NoticeCheck {
	if len(terms) == 0 {
		return nil
	}
	start, from := occurred, "occurred_at"
	if detected != nil {
		start, from = *detected, "detected_at"
	}
	best := terms[0]
	for _, t := range terms[1:] {
		if t.Deadline(start).Before(best.Deadline(start)) {
			best = t
		}
	}
	deadline := best.Deadline(start)
	c := &NoticeCheck{ContractID: best.ContractID, ContractTitle: best.ContractTitle, AllowedText: best.Allowed(), ClockFrom: from,
		AllowedHours: int(math.Round(deadline.Sub(start).Hours())), Deadline: deadline.UTC(), Quote: best.Quote}
	if notified == nil {
		c.Late = now.After(deadline)
		if c.Late {
			c.Message = fmt.Sprintf("Notice late: not yet notified, against %s in %s", c.AllowedText, c.ContractTitle)
		} else {
			c.Message = fmt.Sprintf("Notice due by %s under %s (%s)", deadline.UTC().Format("2006-01-02 15:04 UTC"), c.ContractTitle, c.AllowedText)
		}
		return c
	}
	took := max(int(math.Ceil(notified.Sub(start).Hours())), 0)
	c.ActualHours = &took
	c.Late = notified.After(deadline)
	if c.Late {
		c.Message = fmt.Sprintf("Notice late: %d h against %s in %s", took, c.AllowedText, c.ContractTitle)
	} else {
		c.Message = fmt.Sprintf("Notice on time: %d h against %s in %s", took, c.AllowedText, c.ContractTitle)
	}
	return c
}
