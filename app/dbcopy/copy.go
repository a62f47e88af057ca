// Package dbcopy moves a Rampart database from its SQLite file to an empty
// PostgreSQL database: same schema version, every table in foreign-key
// order, every id, timestamp and value as it was, and proof at the end
// (row counts and a checksum of every row on both sides, and the audit
// chain verified on the copy).
//
// The copy runs in one PostgreSQL transaction with multi-row inserts: an
// interrupted or failed copy leaves the target with its empty migrated
// tables and nothing else, so it is simply run again. Resumable chunks
// would save repeating work only for databases far larger than a SQLite
// install grows to; the 2,000-vendor portfolio copies in seconds.
package dbcopy

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"rampart/models"
)

// Options say what to copy where.
type Options struct {
	// From is the SQLite file.
	From string
	// To is the PostgreSQL database, empty or freshly created.
	To models.Target
	// DryRun checks everything and writes nothing.
	DryRun bool
	// Progress receives one line per step and table; nil discards them.
	Progress io.Writer
}

// TableReport is one table's outcome.
type TableReport struct {
	Name   string
	Source int64
	// Target is the count in the target after the copy (before it, on a dry run).
	Target int64
	// SourceSum and TargetSum are checksums of every row's content,
	// canonicalised per column type; empty on a dry run.
	SourceSum, TargetSum string
}

// Report is what a copy did and found.
type Report struct {
	DryRun        bool
	SchemaVersion int64
	Tables        []TableReport
	// Sequences reset to follow the copied rows (serial columns).
	Sequences []string
	Audit     models.VerifyResult
	Warnings  []string
	Took      time.Duration
}

// Rows is the total number of rows in the source.
func (r Report) Rows() int64 {
	var n int64
	for _, t := range r.Tables {
		n += t.Source
	}
	return n
}

type copier struct {
	opts    Options
	out     io.Writer
	src     *sql.Tx
	tables  []*table
	version int64
	target  *models.DB
	kinds   map[string]map[string]kind // table → column → kind
}

// Copy copies opts.From into opts.To, or with DryRun only checks that it
// could. It refuses a target that holds any row.
func Copy(ctx context.Context, opts Options) (Report, error) {
	start := time.Now()
	rep := Report{DryRun: opts.DryRun}
	c := &copier{opts: opts, out: opts.Progress}
	if c.out == nil {
		c.out = io.Discard
	}
	if opts.To.Dialect != models.Postgres {
		return rep, errors.New("--to must be a postgres:// URL")
	}

	// Source: one read transaction is one consistent snapshot, even if
	// something still writes to the file (WAL lets it).
	if w := inUse(opts.From); w != "" {
		rep.Warnings = append(rep.Warnings, w)
		c.progress("warning: %s", w)
	}
	srcDB, err := models.OpenSQLiteReadOnly(opts.From)
	if errors.Is(err, fs.ErrNotExist) {
		return rep, fmt.Errorf("--from %s: no such file", opts.From)
	}
	if err != nil {
		return rep, fmt.Errorf("--from %s: %w", opts.From, err)
	}
	defer srcDB.Close()
	c.src, err = srcDB.BeginTx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("--from %s: %w", opts.From, err)
	}
	defer c.src.Rollback() //nolint:errcheck // read only
	if err := c.readSource(ctx); err != nil {
		return rep, fmt.Errorf("--from %s: %w", opts.From, err)
	}
	rep.SchemaVersion = c.version
	counts, err := c.countSource(ctx)
	if err != nil {
		return rep, fmt.Errorf("--from %s: %w", opts.From, err)
	}
	c.progress("source %s: schema version %d, %d tables, %d rows", opts.From, c.version, len(c.tables), sum(counts))

	// Target.
	c.target, err = models.Open(ctx, opts.To, models.Pool{MaxOpen: 2, MaxIdle: 2, MaxLifetime: time.Hour, MaxIdleTime: time.Hour})
	if err != nil {
		return rep, fmt.Errorf("--to: %w", err)
	}
	defer c.target.Close()
	targetVersion, err := c.checkTarget(ctx)
	if err != nil {
		return rep, fmt.Errorf("--to: %w", err)
	}

	if opts.DryRun {
		// Every row is read and converted as the copy would, so a value
		// PostgreSQL would refuse is found now; the target's column
		// types are known only once it is migrated, so before that the
		// source's declared types stand in.
		if targetVersion == c.version {
			if err := c.readKinds(ctx); err != nil {
				return rep, err
			}
		}
		for _, t := range c.tables {
			if err := c.readAll(ctx, t, nil); err != nil {
				return rep, err
			}
			rep.Tables = append(rep.Tables, TableReport{Name: t.Name, Source: counts[t.Name]})
		}
		c.progress("dry run: every row read and checked; target is empty and at schema version %d (would be migrated to %d); nothing written", targetVersion, c.version)
		rep.Took = time.Since(start)
		return rep, nil
	}

	if targetVersion < c.version {
		c.progress("migrating the target from schema version %d to %d", targetVersion, c.version)
		if err := c.target.MigrateUpTo(ctx, c.version); err != nil {
			return rep, fmt.Errorf("--to: migrate: %w", err)
		}
	}
	if err := c.readKinds(ctx); err != nil {
		return rep, err
	}
	if rep.Sequences, err = c.copyAll(ctx, counts); err != nil {
		return rep, err
	}
	sqlDB, err := c.target.Gorm.DB()
	if err != nil {
		return rep, err
	}
	// Fresh statistics, so the first queries on the copy plan well
	// before autovacuum gets round to it.
	if _, err := sqlDB.ExecContext(ctx, "ANALYZE"); err != nil {
		return rep, fmt.Errorf("analyze the target: %w", err)
	}

	c.progress("comparing every row on both sides")
	var diffs []string
	for _, t := range c.tables {
		tr := TableReport{Name: t.Name, Source: counts[t.Name]}
		var n int64
		if err := sqlDB.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+ident(t.Name)).Scan(&n); err != nil {
			return rep, err
		}
		tr.Target = n
		if tr.SourceSum, err = c.checksum(ctx, c.src, t); err != nil {
			return rep, fmt.Errorf("source %s: %w", t.Name, err)
		}
		if tr.TargetSum, err = c.checksum(ctx, sqlDB, t); err != nil {
			return rep, fmt.Errorf("target %s: %w", t.Name, err)
		}
		if tr.Source != tr.Target || tr.SourceSum != tr.TargetSum {
			diffs = append(diffs, t.Name)
		}
		rep.Tables = append(rep.Tables, tr)
	}
	if len(diffs) > 0 {
		return rep, fmt.Errorf("the copy differs from the source in %s", strings.Join(diffs, ", "))
	}
	c.progress("verifying the audit chain on the target")
	if rep.Audit, err = models.VerifyAudit(ctx, c.target.Gorm); err != nil {
		return rep, err
	}
	if !rep.Audit.OK {
		return rep, fmt.Errorf("audit trail on the target broken at event %d: %s", rep.Audit.BrokenSeq, rep.Audit.Reason)
	}
	rep.Took = time.Since(start)
	return rep, nil
}

func (c *copier) progress(format string, args ...any) {
	fmt.Fprintf(c.out, format+"\n", args...)
}

// inUse warns when the file looks open by a server: SQLite keeps a
// non-empty write-ahead log beside the file while connections are open
// and removes it when the last one closes cleanly.
func inUse(path string) string {
	if st, err := os.Stat(path + "-wal"); err == nil && st.Size() > 0 {
		return fmt.Sprintf("%s-wal exists: the source may still be open by a running server. The copy reads one consistent snapshot, but changes made after it are not copied; stop the server first", path)
	}
	return ""
}

func (c *copier) readSource(ctx context.Context) error {
	var hasGoose int
	if err := c.src.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'goose_db_version'`).Scan(&hasGoose); err != nil {
		return fmt.Errorf("not a readable SQLite database: %w", err)
	}
	if hasGoose == 0 {
		return errors.New("not a Rampart database (it has no migration record); run `rampart migrate` on it first")
	}
	var v sql.NullInt64
	if err := c.src.QueryRowContext(ctx, `SELECT MAX(version_id) FROM goose_db_version WHERE is_applied`).Scan(&v); err != nil {
		return err
	}
	c.version = v.Int64
	var err error
	c.tables, err = readSchema(ctx, c.src)
	return err
}

func (c *copier) countSource(ctx context.Context) (map[string]int64, error) {
	counts := map[string]int64{}
	for _, t := range c.tables {
		var n int64
		if err := c.src.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+ident(t.Name)).Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s: %w", t.Name, err)
		}
		counts[t.Name] = n
	}
	return counts, nil
}

// checkTarget returns the target's schema version after making sure the
// copy may fill it: this build knows the source's schema, the target is
// not newer, holds no row in any table, and lets us create tables.
func (c *copier) checkTarget(ctx context.Context) (int64, error) {
	latest, err := c.target.LatestMigration()
	if err != nil {
		return 0, err
	}
	if c.version > latest {
		return 0, fmt.Errorf("the source is at schema version %d, newer than this rampart knows (%d); use the rampart release that last ran on it", c.version, latest)
	}
	db, err := c.target.Gorm.DB()
	if err != nil {
		return 0, err
	}
	var schema sql.NullString
	var canCreate bool
	if err := db.QueryRowContext(ctx, `SELECT current_schema(), COALESCE(has_schema_privilege(current_schema(), 'CREATE'), false)`).Scan(&schema, &canCreate); err != nil {
		return 0, err
	}
	if !schema.Valid {
		return 0, errors.New("the schema named by search_path does not exist; create it first")
	}
	tables, err := strings1(ctx, db, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil {
		return 0, err
	}
	var version int64
	var full []string
	for _, t := range tables {
		if t == "goose_db_version" {
			if version, err = c.target.CurrentMigration(ctx); err != nil {
				return 0, err
			}
			continue
		}
		var hasRows bool
		if err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+ident(t)+")").Scan(&hasRows); err != nil {
			return 0, err
		}
		if hasRows {
			full = append(full, t)
		}
	}
	if len(full) > 0 {
		return 0, fmt.Errorf("the target database is not empty (%s hold rows); db copy fills only an empty database: create a new one (CREATE DATABASE) and copy into that",
			strings.Join(full, ", "))
	}
	if version > c.version {
		return 0, fmt.Errorf("the target is at schema version %d, newer than the source's %d; upgrade the source first (run the newer rampart's migrate on it) or copy into a new database", version, c.version)
	}
	if version < c.version && !canCreate {
		return 0, fmt.Errorf("the target's user may not create tables in schema %s, which migrating it needs", schema.String)
	}
	return version, nil
}

// readKinds learns the target's column types and checks that its tables
// and columns are exactly the source's.
func (c *copier) readKinds(ctx context.Context) error {
	db, err := c.target.Gorm.DB()
	if err != nil {
		return err
	}
	rows, err := db.QueryContext(ctx, `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()`)
	if err != nil {
		return err
	}
	defer rows.Close()
	c.kinds = map[string]map[string]kind{}
	for rows.Next() {
		var tbl, col, typ string
		if err := rows.Scan(&tbl, &col, &typ); err != nil {
			return err
		}
		if skipped(tbl) {
			continue
		}
		k, err := kindOf(typ)
		if err != nil {
			return fmt.Errorf("target %s.%s: %w", tbl, col, err)
		}
		if c.kinds[tbl] == nil {
			c.kinds[tbl] = map[string]kind{}
		}
		c.kinds[tbl][col] = k
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var problems []string
	for _, t := range c.tables {
		cols, ok := c.kinds[t.Name]
		if !ok {
			problems = append(problems, "table "+t.Name+" is missing in the target")
			continue
		}
		for _, col := range t.Columns {
			if _, ok := cols[col]; !ok {
				problems = append(problems, "column "+t.Name+"."+col+" is missing in the target")
			}
		}
		if len(cols) != len(t.Columns) {
			problems = append(problems, "table "+t.Name+" has columns in the target that the source lacks")
		}
	}
	for name := range c.kinds {
		if !slices.ContainsFunc(c.tables, func(t *table) bool { return t.Name == name }) {
			problems = append(problems, "table "+name+" is in the target but not in the source")
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("the target's schema does not match the source's at version %d: %s", c.version, strings.Join(problems, "; "))
	}
	return nil
}

// readAll reads every row of t from the source, in key order, converted
// for the target, and hands them to fn (nil: read and check only).
func (c *copier) readAll(ctx context.Context, t *table, fn func(row []any) error) error {
	order := identList(t.Key)
	if order == "" {
		order = "rowid"
	}
	rows, err := c.src.QueryContext(ctx, "SELECT "+identList(t.Columns)+" FROM "+ident(t.Name)+" ORDER BY "+order)
	if err != nil {
		return fmt.Errorf("read %s: %w", t.Name, err)
	}
	defer rows.Close()
	kinds := c.kinds[t.Name]
	for rows.Next() {
		row := make([]any, len(t.Columns))
		ptrs := make([]any, len(row))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("read %s: %w", t.Name, err)
		}
		for i, col := range t.Columns {
			var err error
			if kinds == nil {
				err = checkUntyped(row[i])
			} else {
				row[i], err = convert(kinds[col], row[i])
			}
			if err != nil {
				return fmt.Errorf("%s row %s, column %s: %w", t.Name, rowKey(t, row), col, err)
			}
		}
		if fn != nil {
			if err := fn(row); err != nil {
				return err
			}
		}
	}
	return rows.Err()
}

// checkUntyped checks, without the target's types, what PostgreSQL would
// refuse whatever the column: text that is not UTF-8 or holds NUL.
func checkUntyped(v any) error {
	if s, ok := v.(string); ok {
		return pgText(s)
	}
	return nil
}

func rowKey(t *table, row []any) string {
	var parts []string
	for _, k := range t.Key {
		parts = append(parts, fmt.Sprintf("%s=%v", k, row[slices.Index(t.Columns, k)]))
	}
	if len(parts) == 0 {
		return "(no key)"
	}
	return strings.Join(parts, ",")
}

// copyAll inserts every table in one target transaction and resets the
// sequences of serial columns, if the schema has any.
func (c *copier) copyAll(ctx context.Context, counts map[string]int64) ([]string, error) {
	db, err := c.target.Gorm.DB()
	if err != nil {
		return nil, err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	for i, t := range c.tables {
		start := time.Now()
		total := counts[t.Name]
		// PostgreSQL takes at most 65,535 parameters in one statement.
		batch := min(1000, 65535/len(t.Columns))
		var pending []any
		var inRow, done int64
		last := time.Now()
		flush := func() error {
			if inRow == 0 {
				return nil
			}
			if err := insert(ctx, tx, t, pending, int(inRow)); err != nil {
				return err
			}
			done += inRow
			pending, inRow = pending[:0], 0
			if time.Since(last) > 2*time.Second {
				c.progress("  %s: %d of %d rows", t.Name, done, total)
				last = time.Now()
			}
			return nil
		}
		add := func(row []any) error {
			pending = append(pending, row...)
			inRow++
			if inRow == int64(batch) {
				return flush()
			}
			return nil
		}
		if len(t.SelfRefs) > 0 {
			var all [][]any
			if err := c.readAll(ctx, t, func(row []any) error { all = append(all, row); return nil }); err != nil {
				return nil, err
			}
			for _, row := range orderSelfReferences(t, all) {
				if err := add(row); err != nil {
					return nil, err
				}
			}
		} else if err := c.readAll(ctx, t, add); err != nil {
			return nil, err
		}
		if err := flush(); err != nil {
			return nil, err
		}
		c.progress("[%d/%d] %s: %d rows copied in %v", i+1, len(c.tables), t.Name, done, time.Since(start).Round(time.Millisecond))
	}
	seqs, err := resetSequences(ctx, tx)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit the copy: %w", err)
	}
	return seqs, nil
}

func insert(ctx context.Context, tx *sql.Tx, t *table, args []any, rows int) error {
	var b strings.Builder
	b.WriteString("INSERT INTO " + ident(t.Name) + " (" + identList(t.Columns) + ") VALUES ")
	n := 1
	for r := range rows {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for i := range t.Columns {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "$%d", n)
			n++
		}
		b.WriteByte(')')
	}
	if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
		return fmt.Errorf("insert into %s: %w", t.Name, err)
	}
	return nil
}

// resetSequences moves every sequence owned by a column (serial, identity)
// past the largest copied value, so the next insert does not collide.
// goose's own table keeps its own. Rampart's tables key on generated
// text ids today, so this finds none;
// it is here so that a later serial column is not silently broken.
func resetSequences(ctx context.Context, tx *sql.Tx) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT table_name, column_name, seq FROM (
			SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) AS seq
			FROM information_schema.columns WHERE table_schema = current_schema()
		) s WHERE seq IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	type seq struct{ table, column, name string }
	var seqs []seq
	for rows.Next() {
		var s seq
		if err := rows.Scan(&s.table, &s.column, &s.name); err != nil {
			rows.Close()
			return nil, err
		}
		if !skipped(s.table) {
			seqs = append(seqs, s)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []string
	for _, s := range seqs {
		q := fmt.Sprintf("SELECT setval($1, COALESCE((SELECT MAX(%s) FROM %s), 0) + 1, false)", ident(s.column), ident(s.table))
		if _, err := tx.ExecContext(ctx, q, s.name); err != nil {
			return nil, fmt.Errorf("reset sequence %s: %w", s.name, err)
		}
		out = append(out, s.name)
	}
	return out, nil
}

// checksum hashes every row of t, each canonicalised per column kind,
// independent of row order (the two databases sort text differently).
func (c *copier) checksum(ctx context.Context, q querier, t *table) (string, error) {
	columns, kinds := t.Columns, c.kinds[t.Name]
	rows, err := q.QueryContext(ctx, "SELECT "+identList(columns)+" FROM "+ident(t.Name))
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var hashes [][32]byte
	var buf bytes.Buffer
	row := make([]any, len(columns))
	ptrs := make([]any, len(row))
	for i := range row {
		ptrs[i] = &row[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		buf.Reset()
		for i, col := range columns {
			if err := canonical(&buf, kinds[col], row[i]); err != nil {
				return "", fmt.Errorf("column %s: %w", col, err)
			}
			buf.WriteByte(0x1f)
		}
		hashes = append(hashes, sha256.Sum256(buf.Bytes()))
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	sort.Slice(hashes, func(i, j int) bool { return bytes.Compare(hashes[i][:], hashes[j][:]) < 0 })
	h := sha256.New()
	for _, x := range hashes {
		h.Write(x[:])
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Compare reads the SQLite file and the PostgreSQL database and returns
// every table's row count and content checksum on both sides, as Copy
// reports them at its end: for checking a copy again later, or in tests.
func Compare(ctx context.Context, from string, to models.Target) ([]TableReport, error) {
	c := &copier{out: io.Discard}
	srcDB, err := models.OpenSQLiteReadOnly(from)
	if err != nil {
		return nil, err
	}
	defer srcDB.Close()
	if c.src, err = srcDB.BeginTx(ctx, nil); err != nil {
		return nil, err
	}
	defer c.src.Rollback() //nolint:errcheck // read only
	if err := c.readSource(ctx); err != nil {
		return nil, err
	}
	if c.target, err = models.Open(ctx, to, models.Pool{MaxOpen: 1, MaxIdle: 1}); err != nil {
		return nil, err
	}
	defer c.target.Close()
	if err := c.readKinds(ctx); err != nil {
		return nil, err
	}
	pg, err := c.target.Gorm.DB()
	if err != nil {
		return nil, err
	}
	var out []TableReport
	for _, t := range c.tables {
		tr := TableReport{Name: t.Name}
		if err := c.src.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+ident(t.Name)).Scan(&tr.Source); err != nil {
			return nil, err
		}
		if err := pg.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+ident(t.Name)).Scan(&tr.Target); err != nil {
			return nil, err
		}
		if tr.SourceSum, err = c.checksum(ctx, c.src, t); err != nil {
			return nil, err
		}
		if tr.TargetSum, err = c.checksum(ctx, pg, t); err != nil {
			return nil, err
		}
		out = append(out, tr)
	}
	return out, nil
}

func sum(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}
