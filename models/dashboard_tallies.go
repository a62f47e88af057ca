package models

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// DashboardTally is a row of the dashboard's tallies, written by the
// database's triggers (migration 00068 says what each kind counts): a
// count n, and a sum s, of one kind and key.
type DashboardTally struct {
	ID   int64  `gorm:"primaryKey"`
	Kind string `gorm:"not null"`
	K    string `gorm:"not null"`
	N    int64  `gorm:"not null"`
	S    int64  `gorm:"not null;default:0"`
}

// TableName keeps the table's name plural as the migration spells it.
func (DashboardTally) TableName() string { return "dashboard_tallies" }

// talliedCounts fills the portfolio's counts from the tallies: one
// statement over a few thousand rows, whatever the portfolio's size.
func talliedCounts(db *gorm.DB, d *Dashboard, today time.Time) error {
	var rows []DashboardTally
	if err := db.Raw("SELECT kind, k, SUM(n) AS n, SUM(s) AS s FROM dashboard_tallies GROUP BY kind, k").Find(&rows).Error; err != nil {
		return err
	}
	day, soon := today.Format(time.DateOnly), dueSoonUntil(today)
	var groups []vendorGroup
	var review vendorGroup // the reviews due, counted apart from the groups
	sev := map[string]int64{}
	ages := make([]int64, len(findingAges))
	months := map[string]*monthSum{}
	for _, m := range trendMonths(today) {
		months[m.Month] = &monthSum{Month: m.Month}
	}
	for _, t := range rows {
		switch t.Kind {
		case "vendor":
			if g, ok := parseVendorKey(t.K, day); ok {
				g.N, g.ResidualSum = t.N, t.S
				if strings.HasSuffix(t.K, "|1") {
					g.Scored = t.N
				}
				groups = append(groups, g)
			}
		case "review":
			if t.K != "" && t.K < day {
				review.Overdue += t.N
			} else if t.K >= day && t.K <= soon {
				review.DueSoon += t.N
			}
		case "trend":
			if m := months[t.K]; m != nil {
				m.Total, m.N = t.S, t.N
			}
		case "finding_sev":
			if t.N != 0 {
				sev[t.K] += t.N
			}
		case "finding_opened":
			for i, b := range findingAges {
				if (b.to == 0 || t.K >= ageDay(today, b.to).Format(time.DateOnly)) &&
					(b.from == 0 || t.K < ageDay(today, b.from-1).Format(time.DateOnly)) {
					ages[i] += t.N
				}
			}
		case "finding_due":
			if t.K != "" && t.K < day {
				d.OverdueFindings += t.N
			}
		}
	}
	addVendorGroups(d, append(groups, review))
	d.FindingsBySev = sortedCounts(sev)
	d.FindingsByAge = make([]Count, len(findingAges))
	for i, b := range findingAges {
		d.FindingsByAge[i] = Count{Key: b.key, N: ages[i]}
	}
	list := make([]monthSum, 0, len(months))
	for _, m := range months {
		list = append(list, *m)
	}
	setTrend(d, list)
	return nil
}

// parseVendorKey reads a "vendor" tally's key (tier|override tier|override
// until|status|likelihood|impact|scored) into its group as of day, whose
// effective tier is the override's while it runs.
func parseVendorKey(k, day string) (vendorGroup, bool) {
	f := strings.Split(k, "|")
	if len(f) != 7 {
		return vendorGroup{}, false
	}
	tier := f[0]
	if f[1] != "" && f[2] >= day {
		tier = f[1]
	}
	var g vendorGroup
	var err1, err2, err3 error
	g.Tier, err1 = strconv.ParseInt(tier, 10, 64)
	g.Likelihood, err2 = strconv.ParseInt(f[4], 10, 64)
	g.Impact, err3 = strconv.ParseInt(f[5], 10, 64)
	g.Status = f[3]
	return g, err1 == nil && err2 == nil && err3 == nil
}

// trendMonths are the months the trend covers as of today, oldest first.
func trendMonths(today time.Time) []monthSum {
	_, next := monthOf(today)
	out := make([]monthSum, 0, TrendMonths)
	for m := TrendMonths; m > 0; m-- {
		out = append(out, monthSum{Month: next.AddDate(0, -m, 0).Format("2006-01")})
	}
	return out
}

// FoldDashboardTallies replaces the tally rows written so far by their
// sums, one row per kind and key, and merges the keys no dashboard will
// tell apart again: days long past (every one of them overdue, or over 90
// days old) and months before the trend. It returns how many rows it
// replaced; none when the rows are already one per key. Rows written
// while it runs are left for the next fold: on PostgreSQL the fold reads
// and deletes within one snapshot (repeatable read), and SQLite's single
// writer keeps them apart.
func FoldDashboardTallies(ctx context.Context, db *gorm.DB, now time.Time) (int64, error) {
	pastDay := now.UTC().AddDate(0, 0, -7).Format(time.DateOnly)
	oldDay := ageDay(now, 120).Format(time.DateOnly)
	oldMonth := now.UTC().AddDate(0, -(TrendMonths + 1), 0).Format("2006-01")
	const merged = "CASE WHEN kind IN ('review', 'finding_due') AND k <> '' AND k < ? THEN '0000-00-00' " +
		"WHEN kind = 'finding_opened' AND k < ? THEN '0000-00-00' " +
		"WHEN kind = 'trend' AND k < ? THEN '0000-00' ELSE k END"
	var opts []*sql.TxOptions
	if db.Dialector.Name() == string(Postgres) {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
	}
	var folded int64
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var st struct{ NRows, NKeys, NMerged, TopID int64 }
		err := tx.Raw("SELECT COUNT(*) AS n_rows, COUNT(DISTINCT kind || '|' || "+merged+") AS n_keys, "+
			"COALESCE(SUM(CASE WHEN "+merged+" <> k THEN 1 ELSE 0 END), 0) AS n_merged, COALESCE(MAX(id), 0) AS top_id FROM dashboard_tallies",
			pastDay, oldDay, oldMonth, pastDay, oldDay, oldMonth).Find(&st).Error
		if err != nil || st.NRows == st.NKeys && st.NMerged == 0 {
			return err
		}
		err = tx.Exec("INSERT INTO dashboard_tallies (kind, k, n, s) SELECT kind, "+merged+" AS merged_k, SUM(n), SUM(s) "+
			"FROM dashboard_tallies WHERE id <= ? GROUP BY kind, merged_k HAVING SUM(n) <> 0 OR SUM(s) <> 0",
			pastDay, oldDay, oldMonth, st.TopID).Error
		if err != nil {
			return err
		}
		res := tx.Exec("DELETE FROM dashboard_tallies WHERE id <= ?", st.TopID)
		folded = res.RowsAffected
		return res.Error
	}, opts...)
	return folded, err
}
