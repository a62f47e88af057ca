-- Overdue and due-soon lists look only at open assessments by due date:
-- a partial index holds just those, however many completed ones pile up.
-- The predicate is written exactly as the list query writes it.
-- +goose Up
CREATE INDEX assessments_open_due_idx ON assessments (due_date, id) WHERE status IN ('draft', 'sent', 'in_progress', 'submitted', 'in_review');
