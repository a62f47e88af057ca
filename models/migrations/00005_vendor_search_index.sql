-- Free-text search is LIKE '%text%' on both databases. On PostgreSQL a
-- trigram index makes it fast at 100,000 vendors; the extension needs the
-- right to create it, so without that the index is skipped (search still
-- works, by scanning). SQLite scans: its portfolios are small.
-- +goose Up
{{if eq .Dialect "postgres"}}
-- +goose StatementBegin
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm not available (%): vendor search will scan', SQLERRM;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        EXECUTE 'CREATE INDEX vendors_search_trgm_idx ON vendors USING gin (search_text public.gin_trgm_ops)';
        EXECUTE 'CREATE INDEX tool_requests_search_trgm_idx ON tool_requests USING gin (search_text public.gin_trgm_ops)';
    END IF;
END
$$;
-- +goose StatementEnd
{{else}}
SELECT 1;
{{end}}
