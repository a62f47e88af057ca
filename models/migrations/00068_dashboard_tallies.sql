-- The dashboard's counts, kept by triggers on every change instead of
-- recomputed on every call (docs/benchmarks.md, issue 18): at 100,000
-- vendors the recount read every current vendor and every month's scores,
-- about 120 ms of CPU a call on PostgreSQL.
--
-- Rows are deltas: a change appends -1 for what a row was and +1 for what
-- it is, so concurrent writers never wait on a shared counter row. A count
-- is the sum of its kind and key's rows; the scheduler's "dashboard-fold"
-- task (models.FoldDashboardTallies) replaces the rows written so far by
-- their sums now and then, so the sums stay short. Dates are keys, not
-- counts, because what is overdue or recent depends on the day it is read.
--
--   kind            key (k)                                      s
--   vendor          tier|override tier|override until|status|    residual score
--                   likelihood|impact|scored                     when scored
--   review          next_review_on                               -
--   trend           YYYY-MM of a month_last score (UTC)          residual score
--   finding_sev     severity of an open finding                  -
--   finding_opened  YYYY-MM-DD an open finding was created (UTC) -
--   finding_due     due_date of an open finding                  -
--
-- Vendors count while not archived; findings while open or in progress.
-- models.LoadDashboard checks nothing here against the tables it counts:
-- TestDashboardTallies does, after random changes on both databases.
-- +goose Up
CREATE TABLE dashboard_tallies (
{{if eq .Dialect "postgres"}}
    id   BIGSERIAL PRIMARY KEY,
{{else}}
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
{{end}}
    kind TEXT NOT NULL,
    k    TEXT NOT NULL,
    n    BIGINT NOT NULL,
    s    BIGINT NOT NULL DEFAULT 0
);

{{if eq .Dialect "postgres"}}
-- +goose StatementBegin
CREATE FUNCTION dashboard_vendor_key(v vendors) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT v.tier || '|' || COALESCE(v.override_tier::text, '') || '|' ||
        CASE WHEN v.override_tier IS NULL THEN '' ELSE v.override_until END || '|' ||
        v.status || '|' || v.likelihood || '|' || v.impact || '|' ||
        CASE WHEN v.risk_model_version > 0 THEN '1' ELSE '0' END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION dashboard_tally_vendor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.archived_at IS NULL THEN
        INSERT INTO dashboard_tallies (kind, k, n, s) VALUES
            ('vendor', dashboard_vendor_key(OLD), -1, CASE WHEN OLD.risk_model_version > 0 THEN -OLD.residual_score ELSE 0 END),
            ('review', OLD.next_review_on, -1, 0);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.archived_at IS NULL THEN
        INSERT INTO dashboard_tallies (kind, k, n, s) VALUES
            ('vendor', dashboard_vendor_key(NEW), 1, CASE WHEN NEW.risk_model_version > 0 THEN NEW.residual_score ELSE 0 END),
            ('review', NEW.next_review_on, 1, 0);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER vendors_dashboard AFTER INSERT OR DELETE ON vendors FOR EACH ROW EXECUTE FUNCTION dashboard_tally_vendor();
CREATE TRIGGER vendors_dashboard_update AFTER UPDATE ON vendors FOR EACH ROW
    WHEN ((OLD.archived_at IS NULL, OLD.tier, OLD.override_tier, OLD.override_until, OLD.status, OLD.likelihood, OLD.impact, OLD.risk_model_version > 0, OLD.residual_score, OLD.next_review_on)
        IS DISTINCT FROM (NEW.archived_at IS NULL, NEW.tier, NEW.override_tier, NEW.override_until, NEW.status, NEW.likelihood, NEW.impact, NEW.risk_model_version > 0, NEW.residual_score, NEW.next_review_on))
    EXECUTE FUNCTION dashboard_tally_vendor();

-- +goose StatementBegin
CREATE FUNCTION dashboard_tally_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.month_last THEN
        INSERT INTO dashboard_tallies (kind, k, n, s) VALUES
            ('trend', to_char(OLD.created_at AT TIME ZONE 'UTC', 'YYYY-MM'), -1, -OLD.residual_score);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.month_last THEN
        INSERT INTO dashboard_tallies (kind, k, n, s) VALUES
            ('trend', to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM'), 1, NEW.residual_score);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER vendor_risk_history_dashboard AFTER INSERT OR DELETE ON vendor_risk_history FOR EACH ROW EXECUTE FUNCTION dashboard_tally_history();
CREATE TRIGGER vendor_risk_history_dashboard_update AFTER UPDATE ON vendor_risk_history FOR EACH ROW
    WHEN ((OLD.month_last, OLD.created_at, OLD.residual_score) IS DISTINCT FROM (NEW.month_last, NEW.created_at, NEW.residual_score))
    EXECUTE FUNCTION dashboard_tally_history();

-- +goose StatementBegin
CREATE FUNCTION dashboard_tally_finding() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.status IN ('open', 'in_progress') THEN
        INSERT INTO dashboard_tallies (kind, k, n) VALUES
            ('finding_sev', OLD.severity, -1),
            ('finding_opened', to_char(OLD.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), -1),
            ('finding_due', OLD.due_date, -1);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.status IN ('open', 'in_progress') THEN
        INSERT INTO dashboard_tallies (kind, k, n) VALUES
            ('finding_sev', NEW.severity, 1),
            ('finding_opened', to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 1),
            ('finding_due', NEW.due_date, 1);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER findings_dashboard AFTER INSERT OR DELETE ON findings FOR EACH ROW EXECUTE FUNCTION dashboard_tally_finding();
CREATE TRIGGER findings_dashboard_update AFTER UPDATE ON findings FOR EACH ROW
    WHEN ((OLD.status IN ('open', 'in_progress'), OLD.severity, OLD.created_at, OLD.due_date)
        IS DISTINCT FROM (NEW.status IN ('open', 'in_progress'), NEW.severity, NEW.created_at, NEW.due_date))
    EXECUTE FUNCTION dashboard_tally_finding();

INSERT INTO dashboard_tallies (kind, k, n, s)
SELECT 'vendor', dashboard_vendor_key(v), COUNT(*), SUM(CASE WHEN v.risk_model_version > 0 THEN v.residual_score ELSE 0 END)
FROM vendors v WHERE v.archived_at IS NULL GROUP BY 2;
INSERT INTO dashboard_tallies (kind, k, n, s)
SELECT 'trend', to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM'), COUNT(*), SUM(residual_score)
FROM vendor_risk_history WHERE month_last GROUP BY 2;
INSERT INTO dashboard_tallies (kind, k, n)
SELECT 'finding_opened', to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), COUNT(*)
FROM findings WHERE status IN ('open', 'in_progress') GROUP BY 2;
{{else}}
-- SQLite has no functions of its own, so each trigger spells the keys out;
-- strftime reads the stored times' offsets and answers in UTC.
-- +goose StatementBegin
CREATE TRIGGER vendors_dashboard_insert AFTER INSERT ON vendors WHEN NEW.archived_at IS NULL
BEGIN
    INSERT INTO dashboard_tallies (kind, k, n, s) VALUES
        ('vendor', NEW.tier || '|' || COALESCE(NEW.override_tier, '') || '|' || CASE WHEN NEW.override_tier IS NULL THEN '' ELSE NEW.override_until END || '|' ||
            NEW.status || '|' || NEW.likelihood || '|' || NEW.impact || '|' || CASE WHEN NEW.risk_model_version > 0 THEN '1' ELSE '0' END,
            1, CASE WHEN NEW.risk_model_version > 0 THEN NEW.residual_score ELSE 0 END),
        ('review', NEW.next_review_on, 1, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER vendors_dashboard_delete AFTER DELETE ON vendors WHEN OLD.archived_at IS NULL
BEGIN
    INSERT INTO dashboard_tallies (kind, k, n, s) VALUES
        ('vendor', OLD.tier || '|' || COALESCE(OLD.override_tier, '') || '|' || CASE WHEN OLD.override_tier IS NULL THEN '' ELSE OLD.override_until END || '|' ||
            OLD.status || '|' || OLD.likelihood || '|' || OLD.impact || '|' || CASE WHEN OLD.risk_model_version > 0 THEN '1' ELSE '0' END,
            -1, CASE WHEN OLD.risk_model_version > 0 THEN -OLD.residual_score ELSE 0 END),
        ('review', OLD.next_review_on, -1, 0);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER vendors_dashboard_update AFTER UPDATE ON vendors
WHEN (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL) OR OLD.tier IS NOT NEW.tier OR OLD.override_tier IS NOT NEW.override_tier
    OR OLD.override_until IS NOT NEW.override_until OR OLD.status IS NOT NEW.status OR OLD.likelihood IS NOT NEW.likelihood
    OR OLD.impact IS NOT NEW.impact OR (OLD.risk_model_version > 0) <> (NEW.risk_model_version > 0)
    OR OLD.residual_score IS NOT NEW.residual_score OR OLD.next_review_on IS NOT NEW.next_review_on
BEGIN
    INSERT INTO dashboard_tallies (kind, k, n, s)
    SELECT 'vendor', OLD.tier || '|' || COALESCE(OLD.override_tier, '') || '|' || CASE WHEN OLD.override_tier IS NULL THEN '' ELSE OLD.override_until END || '|' ||
            OLD.status || '|' || OLD.likelihood || '|' || OLD.impact || '|' || CASE WHEN OLD.risk_model_version > 0 THEN '1' ELSE '0' END,
            -1, CASE WHEN OLD.risk_model_version > 0 THEN -OLD.residual_score ELSE 0 END
    WHERE OLD.archived_at IS NULL
    UNION ALL SELECT 'review', OLD.next_review_on, -1, 0 WHERE OLD.archived_at IS NULL
    UNION ALL
    SELECT 'vendor', NEW.tier || '|' || COALESCE(NEW.override_tier, '') || '|' || CASE WHEN NEW.override_tier IS NULL THEN '' ELSE NEW.override_until END || '|' ||
            NEW.status || '|' || NEW.likelihood || '|' || NEW.impact || '|' || CASE WHEN NEW.risk_model_version > 0 THEN '1' ELSE '0' END,
            1, CASE WHEN NEW.risk_model_version > 0 THEN NEW.residual_score ELSE 0 END
    WHERE NEW.archived_at IS NULL
    UNION ALL SELECT 'review', NEW.next_review_on, 1, 0 WHERE NEW.archived_at IS NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER vendor_risk_history_dashboard_insert AFTER INSERT ON vendor_risk_history WHEN NEW.month_last
BEGIN
    INSERT INTO dashboard_tallies (kind, k, n, s) VALUES ('trend', strftime('%Y-%m', NEW.created_at), 1, NEW.residual_score);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER vendor_risk_history_dashboard_delete AFTER DELETE ON vendor_risk_history WHEN OLD.month_last
BEGIN
    INSERT INTO dashboard_tallies (kind, k, n, s) VALUES ('trend', strftime('%Y-%m', OLD.created_at), -1, -OLD.residual_score);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER vendor_risk_history_dashboard_update AFTER UPDATE ON vendor_risk_history
WHEN OLD.month_last IS NOT NEW.month_last OR OLD.created_at IS NOT NEW.created_at OR OLD.residual_score IS NOT NEW.residual_score
BEGIN
    INSERT INTO dashboard_tallies (kind, k, n, s)
    SELECT 'trend', strftime('%Y-%m', OLD.created_at), -1, -OLD.residual_score WHERE OLD.month_last
    UNION ALL SELECT 'trend', strftime('%Y-%m', NEW.created_at), 1, NEW.residual_score WHERE NEW.month_last;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER findings_dashboard_insert AFTER INSERT ON findings WHEN NEW.status IN ('open', 'in_progress')
BEGIN
    INSERT INTO dashboard_tallies (kind, k, n) VALUES
        ('finding_sev', NEW.severity, 1),
        ('finding_opened', strftime('%Y-%m-%d', NEW.created_at), 1),
        ('finding_due', NEW.due_date, 1);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER findings_dashboard_delete AFTER DELETE ON findings WHEN OLD.status IN ('open', 'in_progress')
BEGIN
    INSERT INTO dashboard_tallies (kind, k, n) VALUES
        ('finding_sev', OLD.severity, -1),
        ('finding_opened', strftime('%Y-%m-%d', OLD.created_at), -1),
        ('finding_due', OLD.due_date, -1);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER findings_dashboard_update AFTER UPDATE ON findings
WHEN (OLD.status IN ('open', 'in_progress')) <> (NEW.status IN ('open', 'in_progress')) OR OLD.severity IS NOT NEW.severity
    OR OLD.created_at IS NOT NEW.created_at OR OLD.due_date IS NOT NEW.due_date
BEGIN
    INSERT INTO dashboard_tallies (kind, k, n)
    SELECT 'finding_sev', OLD.severity, -1 WHERE OLD.status IN ('open', 'in_progress')
    UNION ALL SELECT 'finding_opened', strftime('%Y-%m-%d', OLD.created_at), -1 WHERE OLD.status IN ('open', 'in_progress')
    UNION ALL SELECT 'finding_due', OLD.due_date, -1 WHERE OLD.status IN ('open', 'in_progress')
    UNION ALL SELECT 'finding_sev', NEW.severity, 1 WHERE NEW.status IN ('open', 'in_progress')
    UNION ALL SELECT 'finding_opened', strftime('%Y-%m-%d', NEW.created_at), 1 WHERE NEW.status IN ('open', 'in_progress')
    UNION ALL SELECT 'finding_due', NEW.due_date, 1 WHERE NEW.status IN ('open', 'in_progress');
END;
-- +goose StatementEnd

INSERT INTO dashboard_tallies (kind, k, n, s)
SELECT 'vendor', tier || '|' || COALESCE(override_tier, '') || '|' || CASE WHEN override_tier IS NULL THEN '' ELSE override_until END || '|' ||
        status || '|' || likelihood || '|' || impact || '|' || CASE WHEN risk_model_version > 0 THEN '1' ELSE '0' END AS key,
    COUNT(*), SUM(CASE WHEN risk_model_version > 0 THEN residual_score ELSE 0 END)
FROM vendors WHERE archived_at IS NULL GROUP BY key;
INSERT INTO dashboard_tallies (kind, k, n, s)
SELECT 'trend', strftime('%Y-%m', created_at) AS month, COUNT(*), SUM(residual_score)
FROM vendor_risk_history WHERE month_last GROUP BY month;
INSERT INTO dashboard_tallies (kind, k, n)
SELECT 'finding_opened', strftime('%Y-%m-%d', created_at) AS day, COUNT(*)
FROM findings WHERE status IN ('open', 'in_progress') GROUP BY day;
{{end}}
INSERT INTO dashboard_tallies (kind, k, n)
SELECT 'review', next_review_on, COUNT(*) FROM vendors WHERE archived_at IS NULL GROUP BY next_review_on;
INSERT INTO dashboard_tallies (kind, k, n)
SELECT 'finding_sev', severity, COUNT(*) FROM findings WHERE status IN ('open', 'in_progress') GROUP BY severity;
INSERT INTO dashboard_tallies (kind, k, n)
SELECT 'finding_due', due_date, COUNT(*) FROM findings WHERE status IN ('open', 'in_progress') GROUP BY due_date;
