-- How many business units a person is scoped to, on their user row. Every
-- API call asks whether the caller is scoped (handlers.unitContext); the
-- session's read already loads the user row, so an unscoped person's call
-- reads nothing more, where it read user_business_units in a statement of
-- its own. Triggers set the count from the rows themselves on every change
-- (not +1/-1), so it is exact whatever wrote them, db copy included; a
-- count of 0 is "not scoped", and only then is the scope skipped.
-- +goose Up
ALTER TABLE users ADD COLUMN business_unit_count INTEGER NOT NULL DEFAULT 0;
UPDATE users SET business_unit_count = (SELECT COUNT(*) FROM user_business_units WHERE user_business_units.user_id = users.id);

{{if eq .Dialect "postgres"}}
-- +goose StatementBegin
CREATE FUNCTION user_business_unit_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        UPDATE users SET business_unit_count = (SELECT COUNT(*) FROM user_business_units WHERE user_id = NEW.user_id) WHERE id = NEW.user_id;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE users SET business_unit_count = (SELECT COUNT(*) FROM user_business_units WHERE user_id = OLD.user_id) WHERE id = OLD.user_id;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER user_business_units_count AFTER INSERT OR UPDATE OR DELETE ON user_business_units
    FOR EACH ROW EXECUTE FUNCTION user_business_unit_count();
{{else}}
-- +goose StatementBegin
CREATE TRIGGER user_business_units_count_insert AFTER INSERT ON user_business_units
BEGIN
    UPDATE users SET business_unit_count = (SELECT COUNT(*) FROM user_business_units WHERE user_id = NEW.user_id) WHERE id = NEW.user_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER user_business_units_count_delete AFTER DELETE ON user_business_units
BEGIN
    UPDATE users SET business_unit_count = (SELECT COUNT(*) FROM user_business_units WHERE user_id = OLD.user_id) WHERE id = OLD.user_id;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER user_business_units_count_update AFTER UPDATE ON user_business_units
BEGIN
    UPDATE users SET business_unit_count = (SELECT COUNT(*) FROM user_business_units WHERE user_id = OLD.user_id) WHERE id = OLD.user_id;
    UPDATE users SET business_unit_count = (SELECT COUNT(*) FROM user_business_units WHERE user_id = NEW.user_id) WHERE id = NEW.user_id;
END;
-- +goose StatementEnd
{{end}}
