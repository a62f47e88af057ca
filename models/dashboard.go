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

// LoadDashboard computes the dashboard for user userID as of today.
func LoadDashboard(ctx context.Context, db *gorm.DB, userID string, today time.Time) (*Dashboard, error) {
	db = db.WithContext(ctx)
	d := &Dashboard{}
	day := today.Format(time.DateOnly)
	openFindings := func() *gorm.DB { return db.Model(&Finding{}).Where("status IN ?", []string{"open", "in_progress"}) }
	steps := []func() error{
		func() error { return vendorAggregates(db, d, today) },
		func() (err error) { d.FindingsBySev, err = counts(openFindings(), "severity"); return },
		func() (err error) { d.IncidentsBySev, err = IncidentCountsBySeverity(ctx, db); return },
		func() error {
			return db.Model(&Vendor{}).Where("evidence_gaps > 0 AND archived_at IS NULL").Count(&d.EvidenceGaps).Error
		},
		func() error {
			d.FindingsByAge = []Count{}
			for _, b := range []struct {
				key      string
				from, to int // age in days: more than from (-1: any), at most to (0: no limit)
			}{{"0-30 days", -1, 30}, {"31-90 days", 30, 90}, {"over 90 days", 90, 0}} {
				q := openFindings()
				if b.from >= 0 {
					q = q.Where("created_at <= ?", today.AddDate(0, 0, -b.from))
				}
				if b.to > 0 {
					q = q.Where("created_at > ?", today.AddDate(0, 0, -b.to))
				}
				var n int64
				if err := q.Count(&n).Error; err != nil {
					return err
				}
				d.FindingsByAge = append(d.FindingsByAge, Count{Key: b.key, N: n})
			}
			return nil
		},
		func() error {
			return openFindings().Where("due_date <> '' AND due_date < ?", day).Count(&d.OverdueFindings).Error
		},
		func() error { return residualTrend(db, d, today) },
		func() error {
			return db.Model(&ToolRequest{}).Where("assignee_id = ? AND status IN ?", userID, []string{"submitted", "triage", "security_review", "legal_review"}).Count(&d.MyRequests).Error
		},
		func() error {
			return db.Model(&ToolRequest{}).Where("status IN ?", []string{"submitted", "triage", "security_review", "legal_review"}).Count(&d.OpenRequests).Error
		},
		func() error {
			return db.Model(&Assessment{}).Where("reviewer_id = ? AND status IN ?", userID, []string{"submitted", "in_review"}).Count(&d.MyReviews).Error
		},
		func() error { return openFindings().Where("owner_id = ?", userID).Count(&d.MyFindings).Error },
		func() error {
			return db.Model(&Assessment{}).Where("status = ? AND completed_at >= ?", "completed", today.AddDate(0, 0, -30)).Count(&d.ReviewsThisMonth).Error
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// vendorAggregates fills the vendor counts (total, by tier and status, the
// matrix, reviews due) from one grouped scan of an index that holds every
// column it reads (migration 00020), instead of six scans of the table.
func vendorAggregates(db *gorm.DB, d *Dashboard, today time.Time) error {
	day := today.Format(time.DateOnly)
	var groups []struct {
		Tier, Likelihood, Impact int64
		Status                   string
		N, Overdue, DueSoon      int64
		Scored, ResidualSum      int64
	}
	err := db.Model(&Vendor{}).Where("archived_at IS NULL").
		Select(effectiveTierColumn(day)+" AS tier, status, likelihood, impact, COUNT(*) AS n, "+
			"SUM(CASE WHEN next_review_on <> '' AND next_review_on < ? THEN 1 ELSE 0 END) AS overdue, "+
			"SUM(CASE WHEN next_review_on >= ? AND next_review_on <= ? THEN 1 ELSE 0 END) AS due_soon, "+
			"SUM(CASE WHEN risk_model_version > 0 THEN 1 ELSE 0 END) AS scored, "+
			"SUM(CASE WHEN risk_model_version > 0 THEN residual_score ELSE 0 END) AS residual_sum",
			day, day, today.AddDate(0, 0, 30).Format(time.DateOnly)).
		Group(effectiveTierColumn(day) + ", status, likelihood, impact").Find(&groups).Error
	if err != nil {
		return err
	}
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
		d.Matrix = append(d.Matrix, Cell{Likelihood: k[0], Impact: k[1], N: n})
	}
	slices.SortFunc(d.Matrix, func(a, b Cell) int {
		return cmp.Or(cmp.Compare(a.Likelihood, b.Likelihood), cmp.Compare(a.Impact, b.Impact))
	})
	return nil
}

func sortedCounts(m map[string]int64) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{Key: k, N: n})
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
		parts = append(parts, "SELECT ? AS month, COALESCE(AVG(residual_score), 0) AS average, COUNT(*) AS n "+
			"FROM vendor_risk_history WHERE month_last AND created_at >= ? AND created_at < ?"+inUnits)
		args = append(args, from.Format("2006-01"), from, from.AddDate(0, 1, 0))
		args = append(args, unitArgs...)
	}
	var points []TrendPoint
	if err := db.Raw(strings.Join(parts, " UNION ALL "), args...).Find(&points).Error; err != nil {
		return err
	}
	d.ResidualTrend = []TrendPoint{}
	for _, p := range points {
		if p.N > 0 {
			d.ResidualTrend = append(d.ResidualTrend, p)
		}
	}
	// UNION ALL promises no order.
	slices.SortFunc(d.ResidualTrend, func(a, b TrendPoint) int { return cmp.Compare(a.Month, b.Month) })
	return nil
}
