package dbcopy

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"

	"rampart/models"
)

// table is one table of the source schema, as SQLite describes it.
type table struct {
	Name    string
	Columns []string
	// Key orders the rows read, so that a copy reads them the same way
	// every time; empty means rowid.
	Key []string
	// Parents are the other tables its foreign keys point at.
	Parents []string
	// SelfRefs are its foreign keys to itself (a contract's parent
	// contract, an assessment's previous one): rows are ordered so that
	// the referenced row is inserted first.
	SelfRefs []selfRef
}

type selfRef struct{ From, To string }

// skipped holds the tables that are no part of Rampart's data: goose's
// own record of applied migrations (the target keeps its own), SQLite's
// internal tables (sqlite_sequence, sqlite_stat1), the dashboard's tallies,
// which the target's triggers write afresh as the rows they count arrive
// (copied too, they would count everything twice), and SQLite's vendor
// search index, whose place PostgreSQL's own trigram index takes.
func skipped(name string) bool {
	return name == "goose_db_version" || name == "dashboard_tallies" || strings.HasPrefix(name, "sqlite_") || models.IsSearchIndexTable(name)
}

// readSchema describes every table of the source and returns them in
// dependency order: each table after every table its foreign keys
// reference, so that inserts in this order never miss a parent row. The
// order comes from the schema itself, never from a list kept by hand.
func readSchema(ctx context.Context, q querier) ([]*table, error) {
	names, err := strings1(ctx, q, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("read the source's tables: %w", err)
	}
	byName := map[string]*table{}
	var tables []*table
	for _, name := range names {
		if skipped(name) {
			continue
		}
		t := &table{Name: name}
		rows, err := q.QueryContext(ctx, `SELECT name, pk FROM pragma_table_info(?) ORDER BY cid`, name)
		if err != nil {
			return nil, err
		}
		type keyCol struct {
			name string
			pos  int
		}
		var keys []keyCol
		for rows.Next() {
			var col string
			var pk int
			if err := rows.Scan(&col, &pk); err != nil {
				rows.Close()
				return nil, err
			}
			t.Columns = append(t.Columns, col)
			if pk > 0 {
				keys = append(keys, keyCol{col, pk})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i].pos < keys[j].pos })
		for _, k := range keys {
			t.Key = append(t.Key, k.name)
		}
		fks, err := q.QueryContext(ctx, `SELECT "table", "from", "to" FROM pragma_foreign_key_list(?)`, name)
		if err != nil {
			return nil, err
		}
		for fks.Next() {
			var parent, from string
			var to sql.NullString
			if err := fks.Scan(&parent, &from, &to); err != nil {
				fks.Close()
				return nil, err
			}
			if parent == name {
				// A foreign key without a column names the parent's primary key.
				t.SelfRefs = append(t.SelfRefs, selfRef{From: from, To: cmp.Or(to.String, "id")})
			} else if !slices.Contains(t.Parents, parent) {
				t.Parents = append(t.Parents, parent)
			}
		}
		fks.Close()
		if err := fks.Err(); err != nil {
			return nil, err
		}
		byName[name] = t
		tables = append(tables, t)
	}
	return dependencyOrder(tables, byName)
}

// dependencyOrder sorts tables topologically (Kahn), alphabetically among
// tables that are ready at the same time so that the order is stable.
func dependencyOrder(tables []*table, byName map[string]*table) ([]*table, error) {
	waiting := map[string]int{}
	children := map[string][]string{}
	for _, t := range tables {
		for _, p := range t.Parents {
			if _, ok := byName[p]; !ok {
				return nil, fmt.Errorf("table %s references %s, which the source does not have", t.Name, p)
			}
			waiting[t.Name]++
			children[p] = append(children[p], t.Name)
		}
	}
	var ready []string
	for _, t := range tables {
		if waiting[t.Name] == 0 {
			ready = append(ready, t.Name)
		}
	}
	var out []*table
	for len(ready) > 0 {
		sort.Strings(ready)
		name := ready[0]
		ready = ready[1:]
		out = append(out, byName[name])
		for _, c := range children[name] {
			waiting[c]--
			if waiting[c] == 0 {
				ready = append(ready, c)
			}
		}
	}
	if len(out) != len(tables) {
		var stuck []string
		for _, t := range tables {
			if waiting[t.Name] > 0 {
				stuck = append(stuck, t.Name)
			}
		}
		return nil, fmt.Errorf("the foreign keys between %s form a cycle; no insert order satisfies them", strings.Join(stuck, ", "))
	}
	return out, nil
}

// orderSelfReferences puts every row after the row of the same table it
// references, keeping the read order otherwise.
func orderSelfReferences(t *table, rows [][]any) [][]any {
	if len(t.SelfRefs) == 0 {
		return rows
	}
	col := func(name string) int { return slices.Index(t.Columns, name) }
	type ref struct {
		from, to int
		index    map[string]int
	}
	var refs []ref
	for _, r := range t.SelfRefs {
		rf := ref{from: col(r.From), to: col(r.To), index: map[string]int{}}
		for i, row := range rows {
			rf.index[fmt.Sprint(row[rf.to])] = i
		}
		refs = append(refs, rf)
	}
	const (
		unseen = iota
		visiting
		done
	)
	state := make([]int, len(rows))
	out := make([][]any, 0, len(rows))
	var visit func(i int)
	visit = func(i int) {
		if state[i] != unseen {
			// A row on the path already (a cycle in the data) is left
			// where it is; PostgreSQL then names the broken reference.
			return
		}
		state[i] = visiting
		for _, rf := range refs {
			if v := rows[i][rf.from]; v != nil {
				if p, ok := rf.index[fmt.Sprint(v)]; ok && p != i {
					visit(p)
				}
			}
		}
		state[i] = done
		out = append(out, rows[i])
	}
	for i := range rows {
		visit(i)
	}
	return out
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func strings1(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ident quotes a name for PostgreSQL and SQLite alike.
func ident(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

func identList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = ident(n)
	}
	return strings.Join(q, ", ")
}
