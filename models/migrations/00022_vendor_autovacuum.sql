-- Vendor lists count their matches from indexes alone (index-only scans),
-- which skips the table only for pages the visibility map marks all-visible.
-- Every vendor write leaves dead row versions on scattered pages, and
-- PostgreSQL's default waits until a fifth of the table has changed before
-- vacuuming: at 100,000 vendors, 2,500 writes made counting the first page's
-- total fetch 30,000 rows from the table (10 ms -> 37 ms). Vacuum these
-- tables after 1% instead. SQLite has no such map.
-- +goose Up
{{if eq .Dialect "postgres"}}
ALTER TABLE vendors SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);
ALTER TABLE vendor_tags SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01);
ALTER TABLE vendor_data_types SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01);
{{else}}
SELECT 1;
{{end}}
