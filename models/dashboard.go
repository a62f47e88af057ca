package models

import (
	"context"
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

// TrendPoint is the average residual score of the scorings in a month.
type TrendPoint struct {
	Month   string  `json:"month"` // YYYY-MM
	Average float64 `json:"average"`
	N       int64   `json:"n"`
}

// Dashboard holds the portfolio's aggregates, each one SQL query.
type Dashboard struct {
	Vendors          int64        `json:"vendors"`
	ByTier           []Count      `json:"by_tier"`
	ByStatus         []Count      `json:"by_status"`
	Matrix           []Cell       `json:"matrix"`
	FindingsBySev    []Count      `json:"findings_by_severity"`
	FindingsByAge    []Count      `json:"findings_by_age"`
	OverdueReviews   int64        `json:"overdue_reviews"`
	DueSoonReviews   int64        `json:"due_soon_reviews"`
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
	err := q.Select(key + " AS key, COUNT(*) AS n").Group(key).Order(key).Scan(&out).Error
	return out, err
}

// LoadDashboard computes the dashboard for user userID as of today.
func LoadDashboard(ctx context.Context, db *gorm.DB, userID string, today time.Time) (*Dashboard, error) {
	db = db.WithContext(ctx)
	d := &Dashboard{}
	day := today.Format(time.DateOnly)
	current := func() *gorm.DB { return db.Model(&Vendor{}).Where("archived_at IS NULL") }
	openFindings := func() *gorm.DB { return db.Model(&Finding{}).Where("status IN ?", []string{"open", "in_progress"}) }
	steps := []func() error{
		func() error { return current().Count(&d.Vendors).Error },
		func() (err error) { d.ByTier, err = counts(current(), "tier"); return },
		func() (err error) { d.ByStatus, err = counts(current(), "status"); return },
		func() error {
			d.Matrix = []Cell{}
			return current().Select("likelihood, impact, COUNT(*) AS n").Group("likelihood, impact").Order("likelihood, impact").Scan(&d.Matrix).Error
		},
		func() (err error) { d.FindingsBySev, err = counts(openFindings(), "severity"); return },
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
		func() error {
			return current().Where("next_review_on <> '' AND next_review_on < ?", day).Count(&d.OverdueReviews).Error
		},
		func() error {
			return current().Where("next_review_on >= ? AND next_review_on <= ?", day, today.AddDate(0, 0, 30).Format(time.DateOnly)).Count(&d.DueSoonReviews).Error
		},
		func() error {
			var rows []struct {
				CreatedAt time.Time
				Residual  int64
			}
			// Twelve months of scorings, averaged per month in Go: month
			// truncation differs between the two databases' SQL.
			if err := db.Model(&VendorRiskHistory{}).Select("created_at, residual_score AS residual").
				Where("created_at >= ?", today.AddDate(-1, 0, 0)).Order("created_at").Limit(200000).Scan(&rows).Error; err != nil {
				return err
			}
			sums, ns := map[string]int64{}, map[string]int64{}
			var months []string
			for _, r := range rows {
				m := r.CreatedAt.UTC().Format("2006-01")
				if ns[m] == 0 {
					months = append(months, m)
				}
				sums[m] += r.Residual
				ns[m]++
			}
			d.ResidualTrend = []TrendPoint{}
			for _, m := range months {
				d.ResidualTrend = append(d.ResidualTrend, TrendPoint{Month: m, Average: float64(sums[m]) / float64(ns[m]), N: ns[m]})
			}
			return nil
		},
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
