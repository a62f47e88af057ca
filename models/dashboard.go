package models

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Count is one labelled count.
type Count struct {
	Key string `json:"key"`
	N   int64  `json:"n"`
}

// Cell is one cell of the 5x5 likelihood x impact matrix.
type Cell struct {
	Likelihood int64 `json:"likelihood"`
	Impact     int64 `json:"impact"`
	N          int64 `json:"n"`
}

// TrendPoint is the average of the residual scores vendors ended a month
// with, over the N vendors scored in that month (each once, however often
// it was rescored).
type TrendPoint struct {
	Month   string  `json:"month"` // YYYY-MM
	Average float64 `json:"average"`
	N       int64   `json:"n"`
}

// Dashboard holds the portfolio's aggregates, each one SQL query.
type Dashboard struct {
	Vendors         int64   `json:"vendors"`
	ResidualAverage float64 `json:"residual_average"` // of the current scores of ScoredVendors
	ScoredVendors   int64   `json:"scored_vendors"`   // vendors (not archived) with a score
	ByTier          []Count `json:"by_tier"`
	ByStatus        []Count `json:"by_status"`
	Matrix          []Cell  `json:"matrix"`
	FindingsBySev   []Count `json:"findings_by_severity"`
	FindingsByAge   []Count `json:"findings_by_age"`
	OverdueReviews  int64   `json:"overdue_reviews"`
	DueSoonReviews  int64   `json:"due_soon_reviews"`
	// EvidenceGaps counts current vendors missing required evidence of
	// their tier or holding it only expired.
	EvidenceGaps int64 `json:"evidence_gaps"`
	// IncidentsBySev counts incidents still open or contained, by severity.
	IncidentsBySev   []Count      `json:"open_incidents_by_severity"`
	ResidualTrend    []TrendPoint `json:"residual_trend"`
	MyRequests       int64        `json:"my_requests"`
	MyReviews        int64        `json:"my_reviews"`
	MyFindings       int64        `json:"my_findings"`
	OverdueFindings  int64        `json:"overdue_findings"`
	OpenRequests     int64        `json:"open_requests"`
	ReviewsThisMonth int64        `json:"completed_assessments_30d"`
}

func counts(q *gorm.DB, key string) ([]Count, error) {
	out := []Count{}
	err := q.Select(key + " AS key, COUNT(*) AS n").Group(key).Order(key).Find(&out).Error
	return out, err
}

// LoadDashboard computes the dashboard for user userID as of today. The
// portfolio's counts (vendors, open findings, the trend) come from the
// tallies the database keeps on every change (migration 00068); for a
// person scoped to business units they are counted over what that person
// may see, since the tallies cover everything.
func LoadDashboard(ctx context.Context, db *gorm.DB, userID string, today time.Time) (*Dashboard, error) {
	_, scoped := ScopedUnits(ctx)
	return loadDashboard(ctx, db, userID, today, !scoped)
}

// loadDashboard is LoadDashboard with the choice made: fromTallies reads
// the kept tallies, otherwise everything is counted from the tables.
func loadDashboard(ctx context.Context, db *gorm.DB, userID string, today time.Time, fromTallies bool) (*Dashboard, error) {
	db = db.WithContext(ctx)
	d := &Dashboard{}
	openFindings := func() *gorm.DB { return db.Model(&Finding{}).Where("status IN ?", OpenFindingStatuses) }
	steps := []func() error{func() error { return singleCounts(ctx, db, d, userID, today) }}
	if fromTallies {
		steps = append(steps, func() error { return talliedCounts(db, d, today) })
	} else {
		steps = append(steps,
			func() error { return vendorAggregates(db, d, today) },
			func() error { return findingCounts(openFindings, d, today) },
			func() error { return residualTrend(db, d, today) })
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// openRequestStatuses are the tool requests the dashboard counts as open.
var openRequestStatuses = []string{"submitted", "triage", "security_review", "legal_review"}

// singleCounts fills the dashboard's counts of one table each, and the
// open incidents by severity, in one statement: each was a statement of
// its own, whose round trip and mapping cost more than its count. Raw
// SQL escapes the unit scope's callback, so each part adds its condition.
func singleCounts(ctx context.Context, db *gorm.DB, d *Dashboard, userID string, today time.Time) error {
	var parts []string
	var args []any
	add := func(sql, entity, column string, a ...any) {
		if entity != "" {
			cond, unitArgs := RawUnitCondition(ctx, entity, column)
			sql, a = sql+cond, append(a, unitArgs...)
		}
		parts, args = append(parts, sql), append(args, a...)
	}
	gaps := "vendors"
	if db.Dialector.Name() == "sqlite" {
		gaps = sqliteVendorsWithGaps
	}
	add("SELECT 'gaps' AS k, COUNT(*) AS n FROM "+gaps+" WHERE evidence_gaps > 0 AND archived_at IS NULL", UnitVendor, "vendors.id")
	add("SELECT 'my_requests', COUNT(*) FROM tool_requests WHERE assignee_id = ? AND status IN ?", "", "", userID, openRequestStatuses)
	add("SELECT 'open_requests', COUNT(*) FROM tool_requests WHERE status IN ?", "", "", openRequestStatuses)
	add("SELECT 'my_reviews', COUNT(*) FROM assessments WHERE reviewer_id = ? AND status IN ?", UnitAssessment, "assessments.id",
		userID, []string{"submitted", "in_review"})
	add("SELECT 'my_findings', COUNT(*) FROM findings WHERE owner_id = ? AND status IN ?", UnitFinding, "findings.id", userID, OpenFindingStatuses)
	add("SELECT 'completed_30d', COUNT(*) FROM assessments WHERE status = 'completed' AND completed_at >= ?", UnitAssessment, "assessments.id",
		today.AddDate(0, 0, -30))
	add("SELECT 'incident:' || severity, COUNT(*) FROM incidents WHERE status IN ?", UnitVendor, "incidents.vendor_id", OpenIncidentStatuses)
	parts[len(parts)-1] += " GROUP BY severity"
	rows, err := db.Raw(strings.Join(parts, " UNION ALL "), args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	dst := map[string]*int64{"gaps": &d.EvidenceGaps, "my_requests": &d.MyRequests, "open_requests": &d.OpenRequests,
		"my_reviews": &d.MyReviews, "my_findings": &d.MyFindings, "completed_30d": &d.ReviewsThisMonth}
	incidents := map[string]int64{}
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		if p := dst[k]; p != nil {
			*p = n
		} else {
			incidents[strings.TrimPrefix(k, "incident:")] = n
		}
	}
	d.IncidentsBySev = sortedCounts(incidents)
	return rows.Err()
}

// vendorGroup is the count of current vendors sharing an effective tier,
// status and matrix cell.
type vendorGroup struct {
	Tier, Likelihood, Impact int64
	Status                   string
	N, Overdue, DueSoon      int64
	Scored, ResidualSum      int64
}

// addVendorGroups adds groups to d's vendor counts.
func addVendorGroups(d *Dashboard, groups []vendorGroup) {
	tiers, statuses, cells := map[string]int64{}, map[string]int64{}, map[[2]int64]int64{}
	var residualSum int64
	for _, g := range groups {
		d.Vendors += g.N
		d.ScoredVendors += g.Scored
		residualSum += g.ResidualSum
		d.OverdueReviews += g.Overdue
		d.DueSoonReviews += g.DueSoon
		tiers[strconv.FormatInt(g.Tier, 10)] += g.N
		statuses[g.Status] += g.N
		cells[[2]int64{g.Likelihood, g.Impact}] += g.N
	}
	if d.ScoredVendors > 0 {
		d.ResidualAverage = float64(residualSum) / float64(d.ScoredVendors)
	}
	d.ByTier, d.ByStatus, d.Matrix = sortedCounts(tiers), sortedCounts(statuses), []Cell{}
	for k, n := range cells {
		if n != 0 {
			d.Matrix = append(d.Matrix, Cell{Likelihood: k[0], Impact: k[1], N: n})
		}
	}
	slices.SortFunc(d.Matrix, func(a, b Cell) int {
		return cmp.Or(cmp.Compare(a.Likelihood, b.Likelihood), cmp.Compare(a.Impact, b.Impact))
	})
}

// vendorAggregates fills the vendor counts (total, by tier and status, the
// matrix, reviews due) from one grouped scan of an index that holds every
// column it reads (migration 00020), instead of six scans of the table.
func vendorAggregates(db *gorm.DB, d *Dashboard, today time.Time) error {
	day := today.Format(time.DateOnly)
	var groups []vendorGroup
	err := db.Model(&Vendor{}).Where("archived_at IS NULL").
		Select(effectiveTierColumn(day)+" AS tier, status, likelihood, impact, COUNT(*) AS n, "+
			"SUM(CASE WHEN next_review_on <> '' AND next_review_on < ? THEN 1 ELSE 0 END) AS overdue, "+
			"SUM(CASE WHEN next_review_on >= ? AND next_review_on <= ? THEN 1 ELSE 0 END) AS due_soon, "+
			"SUM(CASE WHEN risk_model_version > 0 THEN 1 ELSE 0 END) AS scored, "+
			"SUM(CASE WHEN risk_model_version > 0 THEN residual_score ELSE 0 END) AS residual_sum",
			day, day, dueSoonUntil(today)).
		Group(effectiveTierColumn(day) + ", status, likelihood, impact").Find(&groups).Error
	if err != nil {
		return err
	}
	addVendorGroups(d, groups)
	return nil
}

// dueSoonUntil is the last day of the "due soon" window of reviews.
func dueSoonUntil(today time.Time) string { return today.AddDate(0, 0, 30).Format(time.DateOnly) }

// findingAges are the dashboard's age buckets of open findings, by the
// number of whole days since the (UTC) day a finding was opened.
var findingAges = []struct {
	key      string
	from, to int // age in days: at least from, at most to (0: no limit)
}{{"0-30 days", 0, 30}, {"31-90 days", 31, 90}, {"over 90 days", 91, 0}}

// ageDay is the first (UTC) day whose findings are at most days old.
func ageDay(today time.Time, days int) time.Time {
	y, m, dd := today.UTC().Date()
	return time.Date(y, m, dd-days, 0, 0, 0, 0, time.UTC)
}

// findingCounts fills the open findings' counts by severity and age and
// the overdue ones.
func findingCounts(open func() *gorm.DB, d *Dashboard, today time.Time) (err error) {
	if d.FindingsBySev, err = counts(open(), "severity"); err != nil {
		return err
	}
	d.FindingsByAge = []Count{}
	for _, b := range findingAges {
		q := open()
		if b.to > 0 {
			q = q.Where("created_at >= ?", ageDay(today, b.to))
		}
		if b.from > 0 {
			q = q.Where("created_at < ?", ageDay(today, b.from-1))
		}
		var n int64
		if err := q.Count(&n).Error; err != nil {
			return err
		}
		d.FindingsByAge = append(d.FindingsByAge, Count{Key: b.key, N: n})
	}
	return open().Where("due_date <> '' AND due_date < ?", today.Format(time.DateOnly)).Count(&d.OverdueFindings).Error
}

func sortedCounts(m map[string]int64) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		if n != 0 { // a key whose tallies add up to nothing
			out = append(out, Count{Key: k, N: n})
		}
	}
	slices.SortFunc(out, func(a, b Count) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// TrendMonths is how many calendar months the residual trend covers, the
// current one included.
const TrendMonths = 12

// residualTrend averages, month by month, each vendor's last score of the
// month: only rows marked month_last (one per vendor and month, migration
// 00037). Each month is its own range of their partial index on
// (created_at, residual_score, month_last), the ranges joined by UNION ALL
// into one statement: grouping every row by a date function cost 53 ms at
// 225,000 marked rows on PostgreSQL, twelve plain range aggregates 19 ms;
// and the months are cut in Go, the same way for both databases.
func residualTrend(db *gorm.DB, d *Dashboard, today time.Time) error {
	_, next := monthOf(today)
	// Raw SQL escapes the unit scope's callback: the condition is added here.
	inUnits, unitArgs := RawUnitCondition(db.Statement.Context, UnitVendor, "vendor_risk_history.vendor_id")
	var parts []string
	var args []any
	for m := TrendMonths; m > 0; m-- {
		from := next.AddDate(0, -m, 0)
		// "month_last" exactly as the index's predicate, so that SQLite
		// recognises the partial index.
		parts = append(parts, "SELECT ? AS month, COALESCE(SUM(residual_score), 0) AS total, COUNT(*) AS n "+
			"FROM vendor_risk_history WHERE month_last AND created_at >= ? AND created_at < ?"+inUnits)
		args = append(args, from.Format("2006-01"), from, from.AddDate(0, 1, 0))
		args = append(args, unitArgs...)
	}
	var months []monthSum
	if err := db.Raw(strings.Join(parts, " UNION ALL "), args...).Find(&months).Error; err != nil {
		return err
	}
	setTrend(d, months)
	return nil
}

// monthSum is the sum and number of the residual scores vendors ended a
// month with.
type monthSum struct {
	Month    string
	Total, N int64
}

// setTrend sets d's trend to the months' averages, in order, leaving out
// months without scores. The average is taken here, not by the database,
// so that it is the same number whichever way the sums were found.
func setTrend(d *Dashboard, months []monthSum) {
	d.ResidualTrend = []TrendPoint{}
	for _, m := range months {
		if m.N > 0 {
			d.ResidualTrend = append(d.ResidualTrend, TrendPoint{Month: m.Month, Average: float64(m.Total) / float64(m.N), N: m.N})
		}
	}
	slices.SortFunc(d.ResidualTrend, func(a, b TrendPoint) int { return cmp.Compare(a.Month, b.Month) })
}
