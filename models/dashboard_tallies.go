package models

import (
	"context"
	"database/sql"
	"reflect"
	"slices"
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
// statement over a few thousand rows, whatever the portfolio's size,
// answering a few hundred.
func talliedCounts(db *gorm.DB, d *Dashboard, today time.Time) error {
	day, soon := today.Format(time.DateOnly), dueSoonUntil(today)
	// The dates are put in the dashboard's buckets by the database, so
	// that a few hundred rows come back rather than one per day; and the
	// sums are cast, since PostgreSQL's SUM of a BIGINT is a NUMERIC, which
	// costs a conversion through text per value.
	ages, args := "CASE", []any{day, day, soon, day}
	for _, b := range findingAges {
		ages += " WHEN TRUE"
		if b.to > 0 {
			ages += " AND k >= ?"
			args = append(args, ageDay(today, b.to).Format(time.DateOnly))
		}
		if b.from > 0 {
			ages += " AND k < ?"
			args = append(args, ageDay(today, b.from-1).Format(time.DateOnly))
		}
		ages += " THEN '" + b.key + "'"
	}
	_, next := monthOf(today)
	args = append(args, trendMonths(today)[0].Month, next.Format("2006-01"))
	rows, err := db.Raw("SELECT kind, CASE "+
		"WHEN kind = 'review' THEN CASE WHEN k <> '' AND k < ? THEN 'overdue' WHEN k >= ? AND k <= ? THEN 'soon' ELSE '' END "+
		"WHEN kind = 'finding_due' THEN CASE WHEN k <> '' AND k < ? THEN 'overdue' ELSE '' END "+
		"WHEN kind = 'finding_opened' THEN "+ages+" END "+
		"WHEN kind = 'trend' AND (k < ? OR k >= ?) THEN '' "+
		"ELSE k END AS bucket, CAST(SUM(n) AS BIGINT), CAST(SUM(s) AS BIGINT) FROM dashboard_tallies GROUP BY kind, bucket", args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	var groups []vendorGroup
	var overdue, dueSoon int64 // reviews, tallied apart from the groups
	sev, byAge := map[string]int64{}, map[string]int64{}
	var months []monthSum
	for rows.Next() {
		var t DashboardTally
		if err := rows.Scan(&t.Kind, &t.K, &t.N, &t.S); err != nil {
			return err
		}
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
			switch t.K {
			case "overdue":
				overdue = t.N
			case "soon":
				dueSoon = t.N
			}
		case "trend":
			if t.K != "" {
				months = append(months, monthSum{Month: t.K, Total: t.S, N: t.N})
			}
		case "finding_sev":
			sev[t.K] = t.N
		case "finding_opened":
			byAge[t.K] = t.N
		case "finding_due":
			if t.K == "overdue" {
				d.OverdueFindings = t.N
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	addVendorGroups(d, groups)
	d.OverdueReviews, d.DueSoonReviews = overdue, dueSoon
	d.FindingsBySev = sortedCounts(sev)
	d.FindingsByAge = make([]Count, len(findingAges))
	for i, b := range findingAges {
		d.FindingsByAge[i] = Count{Key: b.key, N: byAge[b.key]}
	}
	setTrend(d, months)
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

// talliedVendorCount counts the current vendors f selects from the
// dashboard's tallies, when f filters on nothing the tallies do not key:
// status, effective tier and matrix cell, or the review date alone. The
// vendor list then shows an exact total at any size (the cap of TotalCap
// is for filters the tallies cannot answer) without reading the vendors.
// ok is false when f needs the vendors themselves, or ctx is scoped to
// business units (the tallies count every unit).
func talliedVendorCount(ctx context.Context, db *gorm.DB, f VendorFilter) (n int64, ok bool, err error) {
	if _, scoped := ScopedUnits(ctx); scoped || !onlyTalliedFilters(f) {
		return 0, false, nil
	}
	byKey := f.Review == ""
	if f.Review != "" && f.Review != "overdue" && f.Review != "due_soon" || !byKey && (len(f.Statuses) > 0 || len(f.Tiers) > 0 || f.Likelihood > 0 || f.Impact > 0) {
		return 0, false, nil
	}
	kind := "vendor"
	if !byKey {
		kind = "review"
	}
	rows, err := db.WithContext(ctx).Raw("SELECT k, CAST(SUM(n) AS BIGINT) FROM dashboard_tallies WHERE kind = ? GROUP BY k", kind).Rows()
	if err != nil {
		return 0, false, err
	}
	defer rows.Close()
	day, soon := f.Today.Format(time.DateOnly), dueSoonUntil(f.Today)
	for rows.Next() {
		var k string
		var c int64
		if err := rows.Scan(&k, &c); err != nil {
			return 0, false, err
		}
		switch {
		case !byKey:
			if f.Review == "overdue" && k != "" && k < day || f.Review == "due_soon" && k >= day && k <= soon {
				n += c
			}
		default:
			g, parsed := parseVendorKey(k, day)
			if parsed && (len(f.Statuses) == 0 || slices.Contains(f.Statuses, g.Status)) && (len(f.Tiers) == 0 || slices.Contains(f.Tiers, g.Tier)) &&
				(f.Likelihood == 0 || f.Likelihood == g.Likelihood) && (f.Impact == 0 || f.Impact == g.Impact) {
				n += c
			}
		}
	}
	return n, true, rows.Err()
}

// onlyTalliedFilters reports whether f filters on nothing but what the
// tallies key (status, tier, matrix cell, review date), besides the day,
// the order and the page. Every other field of VendorFilter, including
// any added later, must be empty: the check reads the struct, not a list
// of its fields, so a new filter cannot be silently left out of a total.
func onlyTalliedFilters(f VendorFilter) bool {
	f.Statuses, f.Tiers, f.Likelihood, f.Impact, f.Review = nil, nil, 0, 0, ""
	f.Today, f.CustomSort, f.Sort, f.Cursor, f.Limit = time.Time{}, nil, "", "", 0
	v := reflect.ValueOf(f)
	for i := range v.NumField() {
		if fv := v.Field(i); !fv.IsZero() && !(fv.Kind() == reflect.Slice && fv.Len() == 0) {
			return false
		}
	}
	return true
}
