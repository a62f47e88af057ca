package models

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MaxLimit caps every list page.
const MaxLimit = 200

// DefaultLimit is the page size when the caller gives none.
const DefaultLimit = 50

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}

// SortKind says how a sort column's values are carried in a cursor.
type SortKind int

const (
	SortText SortKind = iota
	SortTime
	SortNumber
)

// SortColumn is one allowed sort. Columns must be NOT NULL: keyset
// comparisons skip NULLs.
type SortColumn struct {
	Column string
	Kind   SortKind
	// Unindexed orders by an expression with the column's order, which no
	// index provides, so the planner cannot walk the sort's index
	// filtering row by row (see ListVendors).
	Unindexed bool
	// Expr marks Column as an SQL expression over Table's row (a custom
	// field's value), read back with a query for the next page's cursor.
	Expr  bool
	Table string
}

// unindexed is col's value as an expression that sorts the same way.
func unindexed(col SortColumn) string {
	if col.Kind == SortNumber {
		return col.Column + " + 0"
	}
	return col.Column + " || ''"
}

// TotalCap bounds a list's count: past it a list says "1,000+". A count
// reads every match up to the cap: at 100,000 vendors, counting to 10,000
// cost 38-89 ms of PostgreSQL's time on the vendor list's tag and data type
// filters, and a read of the whole table on its category and criticality
// one, against about 1 ms for the page (docs/benchmarks.md); nobody pages
// through a thousand rows, and a narrower filter brings the exact count
// back. The vendor register's common filters are counted exactly from the
// dashboard's tallies whatever their size (talliedVendorCount).
const TotalCap = 1_000

// Page is one page of a list.
type Page[T any] struct {
	Items      []T
	NextCursor string
	Total      int64
	// TotalCapped says more than Total match: counting stopped at TotalCap.
	TotalCapped bool
}

// withItems is p with other items in its place: a list that maps the rows
// it paged keeps the page's cursor and total as they are.
func withItems[T, U any](p Page[T], items []U) Page[U] {
	return Page[U]{Items: items, NextCursor: p.NextCursor, Total: p.Total, TotalCapped: p.TotalCapped}
}

type cursor struct {
	V  any    `json:"v"`
	ID string `json:"id"`
	// Total is the list's total as counted for its first page. Later pages
	// carry it on instead of counting again: the count costs as much as
	// the page itself on a large table, and would be paid on every page.
	// Filter names the filter it was counted for, so a cursor sent with
	// other filters is counted afresh.
	Total  int64  `json:"t,omitempty"`
	Capped bool   `json:"c,omitempty"`
	Filter string `json:"f,omitempty"`
}

// paginate runs q (already filtered) with a whitelisted sort and keyset
// pagination: each page continues after the (sort value, id) of the last
// row, so pages stay fast and stable however deep the caller goes.
func paginate[T any](q *gorm.DB, sorts map[string]SortColumn, sort, defaultSort, cur string, limit int) (Page[T], error) {
	page := Page[T]{Items: []T{}}
	if sort == "" {
		sort = defaultSort
	}
	desc := strings.HasPrefix(sort, "-")
	col, ok := sorts[strings.TrimPrefix(sort, "-")]
	if !ok {
		keys := make([]string, 0, len(sorts))
		for k := range sorts {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return page, Invalid("sort", "must be one of: "+strings.Join(keys, ", ")+" (prefix - for descending)")
	}
	filter := filterKey(q)
	var after *cursor
	if cur != "" {
		c, v, err := decodeCursor(cur, col.Kind)
		if err != nil {
			return page, Invalid("cursor", "is not a cursor this list returned")
		}
		c.V = v
		after = &c
		if c.Filter == filter {
			page.Total, page.TotalCapped = c.Total, c.Capped
		}
	}
	// The total is counted once per filter, on the first page, up to the
	// cap, unless the caller knows it.
	if n, known := q.Get(knownTotal); known && page.Total == 0 {
		page.Total = n.(int64)
	}
	_, exact := q.Get(exactCount)
	// An exact count of a first page is read with the page's ids instead.
	counted := exact && after == nil && page.Total == 0
	if page.Total == 0 && !counted {
		limit := TotalCap
		if exact {
			limit = 0
		}
		n, err := countUpTo(q, limit)
		if err != nil {
			return page, err
		}
		page.Total = n
		if limit > 0 && n > int64(limit) {
			page.Total, page.TotalCapped = int64(limit), true
		}
	}
	if after != nil {
		v, id := after.V, after.ID
		op := ">"
		if desc {
			op = "<"
		}
		// A row-value comparison, which both databases answer from the
		// (column, id) index. Column names come from the whitelist above,
		// never from input.
		idCol := "id"
		if col.Expr {
			idCol = col.Table + ".id"
		}
		q = q.Where("("+col.Column+", "+idCol+") "+op+" (?, ?)", v, id)
	}
	n := clampLimit(limit)
	order := clause.Column{Name: col.Column, Raw: col.Expr}
	if col.Unindexed && !col.Expr {
		order = clause.Column{Name: unindexed(col), Raw: true}
	}
	cols, _ := q.Get(pageColumns)
	q = q.Order(clause.OrderByColumn{Column: order, Desc: desc}).
		Order(clause.OrderByColumn{Column: clause.Column{Name: "id"}, Desc: desc}).
		Limit(n + 1)
	if counted {
		complete, err := findCounted(q, cols, &page)
		if err != nil {
			return page, err
		}
		counted = complete
	}
	if !counted {
		if cols != nil {
			q = q.Select(cols)
		}
		if err := q.Find(&page.Items).Error; err != nil {
			return page, err
		}
	}
	if len(page.Items) > n {
		page.Items = page.Items[:n]
		last := reflect.ValueOf(&page.Items[n-1]).Elem()
		if err := q.Statement.Parse(&page.Items[n-1]); err != nil {
			return page, err
		}
		idField := q.Statement.Schema.LookUpField("id")
		id, _ := idField.ValueOf(context.Background(), last)
		var v any
		if col.Expr {
			var err error
			if v, err = exprValue(q, col, id.(string)); err != nil {
				return page, err
			}
		} else {
			v, _ = q.Statement.Schema.LookUpField(col.Column).ValueOf(context.Background(), last)
		}
		page.NextCursor = encodeCursor(cursor{V: v, ID: id.(string), Total: page.Total, Capped: page.TotalCapped, Filter: filter})
	}
	return page, nil
}

// findCounted reads a first page (q, ordered and limited) and the count of
// every match when counting reads every match anyway: one statement counts
// the matches and picks the page's ids in order, a second reads those rows
// by id. Counted apart, a text search read its matches twice: at 100,000
// vendors, a word matching 3,500 of them cost about 8 ms of PostgreSQL's
// time to count and 9 ms more for the page. complete is false when a row
// was deleted between the two reads: the page is left empty, to be read
// again the ordinary way, with the count kept. Short of that row, it would
// have ended the list there, with no cursor to the rows after it.
func findCounted[T any](q *gorm.DB, cols any, page *Page[T]) (complete bool, err error) {
	var keys []struct {
		ID    string
		Total int64
	}
	if err := q.Session(&gorm.Session{}).Select("id, COUNT(*) OVER () AS total").Find(&keys).Error; err != nil {
		return false, err
	}
	if len(keys) == 0 {
		return true, nil
	}
	page.Total = keys[0].Total
	ids := make([]string, len(keys))
	at := make(map[string]int, len(keys))
	for i, k := range keys {
		ids[i], at[k.ID] = k.ID, i
	}
	rq := q.Session(&gorm.Session{NewDB: true}).Where("id IN ?", ids)
	if cols != nil {
		rq = rq.Select(cols)
	}
	var rows []T
	if err := rq.Find(&rows).Error; err != nil {
		return false, err
	}
	if len(rows) < len(keys) {
		return false, nil
	}
	if err := q.Statement.Parse(new(T)); err != nil {
		return false, err
	}
	idField := q.Statement.Schema.LookUpField("id")
	page.Items = make([]T, len(keys))
	for i := range rows {
		id, _ := idField.ValueOf(context.Background(), reflect.ValueOf(&rows[i]).Elem())
		page.Items[at[id.(string)]] = rows[i]
	}
	return true, nil
}

// exactCount marks a query whose total is counted exactly, not up to
// TotalCap: a text search's count reads its matches from the trigram index
// whatever their number, while a LIMIT lets PostgreSQL, misjudging how
// many rows a LIKE matches, read the table in order instead, and a search
// cost twice as much (docs/benchmarks.md).
const exactCount = "rampart:exact_count"

// knownTotal carries a list's total (int64) when the caller has it
// without counting, from the dashboard's tallies.
const knownTotal = "rampart:known_total"

// pageColumns ([]string) names the only columns a page's rows are read
// with; the count and the filter's digest are made without them.
const pageColumns = "rampart:page_columns"

// countUpTo counts q's rows, stopping after limit+1 of them (0: all).
func countUpTo(q *gorm.DB, limit int) (int64, error) {
	var n int64
	if limit <= 0 {
		err := q.Session(&gorm.Session{}).Count(&n).Error
		return n, err
	}
	sub := q.Session(&gorm.Session{}).Select("1").Limit(limit + 1)
	err := q.Session(&gorm.Session{NewDB: true}).Table("(?) AS counted", sub).Count(&n).Error
	return n, err
}

// filterKey is a short digest of the count q would run: its SQL and
// arguments, as built without running it.
func filterKey(q *gorm.DB) string {
	var n int64
	stmt := q.Session(&gorm.Session{DryRun: true}).Count(&n).Statement
	h := fnv.New64a()
	fmt.Fprint(h, stmt.SQL.String(), stmt.Vars)
	return strconv.FormatUint(h.Sum64(), 36)
}

func encodeCursor(c cursor) string {
	if t, ok := c.V.(time.Time); ok {
		c.V = t.UTC().Format(time.RFC3339Nano)
	}
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor and its sort value as kind says it is
// carried.
func decodeCursor(s string, kind SortKind) (cursor, any, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return c, nil, err
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&c); err != nil || c.ID == "" || c.Total < 0 {
		return c, nil, errBadCursor
	}
	switch kind {
	case SortTime:
		str, ok := c.V.(string)
		if !ok {
			return c, nil, errBadCursor
		}
		t, err := time.Parse(time.RFC3339Nano, str)
		return c, t.UTC(), err
	case SortNumber:
		n, ok := c.V.(json.Number)
		if !ok {
			return c, nil, errBadCursor
		}
		f, err := n.Float64()
		return c, f, err
	default:
		str, ok := c.V.(string)
		if !ok {
			return c, nil, errBadCursor
		}
		return c, str, nil
	}
}

var errBadCursor = Invalid("cursor", "is not valid")

// escapeLike escapes LIKE wildcards so user text matches literally
// (queries use ESCAPE '\').
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// updateVersioned applies set to the row id of T if its version is still
// version (0 skips the check) and returns the row as stored. A stale
// version is ErrConflict, a missing row ErrNotFound: the
// UPDATE ... WHERE id = ? AND version = ? either changes one row or none.
func updateVersioned[T any](ctx context.Context, db *gorm.DB, id string, version int64, set map[string]any, bump bool) (*T, error) {
	db = db.WithContext(ctx)
	set["updated_at"] = time.Now().UTC()
	if bump {
		set["version"] = gorm.Expr("version + 1")
	}
	q := db.Model(new(T)).Where("id = ?", id)
	if version > 0 {
		q = q.Where("version = ?", version)
	}
	res := q.Updates(set)
	if res.Error != nil {
		return nil, translate(res.Error)
	}
	var row T
	if err := db.Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, translate(err)
	}
	if res.RowsAffected == 0 {
		return &row, ErrConflict
	}
	return &row, nil
}
