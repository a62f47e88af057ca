package main

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"rampart/models"
)

// vendorListSQL captures the statement that fetches the vendor list page
// (first page, by name, as limitPath asks for) by running the list once
// with a callback that records what GORM sends.
func vendorListSQL(ctx context.Context, db *models.DB) (string, []any, error) {
	var (
		mu   sync.Mutex
		sqls []string
		args [][]any
	)
	g := db.Gorm.Session(&gorm.Session{NewDB: true})
	const name = "loadbench:capture"
	if err := g.Callback().Query().After("gorm:query").Register(name, func(tx *gorm.DB) {
		mu.Lock()
		defer mu.Unlock()
		sqls = append(sqls, tx.Statement.SQL.String())
		args = append(args, append([]any(nil), tx.Statement.Vars...))
	}); err != nil {
		return "", nil, err
	}
	defer g.Callback().Query().Remove(name)
	if _, err := models.ListVendorSummaries(ctx, g, models.VendorFilter{Limit: models.DefaultLimit, Today: time.Now().UTC()}); err != nil {
		return "", nil, err
	}
	for i, s := range sqls {
		// The page itself: rows of vendors, ordered and limited (the other
		// statements count, or load tags, data types and owners).
		if strings.Contains(s, "FROM `vendors`") || strings.Contains(s, `FROM "vendors"`) {
			if strings.Contains(s, "ORDER BY") && strings.Contains(s, "LIMIT") {
				return s, args[i], nil
			}
		}
	}
	return "", nil, errors.New("the vendor list's page query was not captured")
}

// limitServer is the bare handler: the page's SQL through database/sql,
// rows encoded as JSON arrays, no authentication, logging or mapping.
type limitServer struct {
	URL string
	srv *http.Server
}

func startLimit(db *models.DB, query string, args []any) (*limitServer, error) {
	// The read pool, as the vendor list's own queries use: on SQLite
	// db.Gorm.DB() is the one writer connection.
	sqlDB, err := db.ReadPool()
	if err != nil {
		return nil, err
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/vendors", func(c echo.Context) error {
		rows, err := sqlDB.QueryContext(c.Request().Context(), query, args...)
		if err != nil {
			return err
		}
		out, err := scanAll(rows)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, out)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &limitServer{URL: "http://" + ln.Addr().String(), srv: &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func (s *limitServer) Close() error { return s.srv.Close() }

func scanAll(rows *sql.Rows) ([][]any, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := [][]any{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}
