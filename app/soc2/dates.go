package soc2

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// datePat is a date as reports write it: "January 1, 2025", "1 July
// 2024", "Jan. 1st, 2025", "01/31/2025" (US order, as AICPA reports use)
// or "2025-01-31". It has no capturing groups so it can be composed.
const (
	monthPat = `(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?`
	datePat  = `(?:` + monthPat + ` \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{1,2}(?:st|nd|rd|th)? ` + monthPat + `,? \d{4}|\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})`
)

var (
	dateMDY = regexp.MustCompile(`^(` + monthPat + `) (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$`)
	dateDMY = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th)? (` + monthPat + `),? (\d{4})$`)
	dateUS  = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})$`)
	dateISO = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
)

var months = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}

// isoDate turns a date matched by datePat into "2006-01-02", or "" when
// it is no real date (February 30).
func isoDate(s string) string {
	var y, m, d int
	atoi := func(x string) int { n, _ := strconv.Atoi(x); return n }
	month := func(x string) int { return months[x[:3]] }
	switch {
	case dateMDY.MatchString(s):
		g := dateMDY.FindStringSubmatch(s)
		m, d, y = month(g[1]), atoi(g[2]), atoi(g[3])
	case dateDMY.MatchString(s):
		g := dateDMY.FindStringSubmatch(s)
		d, m, y = atoi(g[1]), month(g[2]), atoi(g[3])
	case dateUS.MatchString(s):
		g := dateUS.FindStringSubmatch(s)
		m, d, y = atoi(g[1]), atoi(g[2]), atoi(g[3])
	case dateISO.MatchString(s):
		g := dateISO.FindStringSubmatch(s)
		y, m, d = atoi(g[1]), atoi(g[2]), atoi(g[3])
	default:
		return ""
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if y < 1970 || y > 2200 || t.Day() != d || int(t.Month()) != m {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}
