-- SQLite: a trigram index of the vendors' search text, so that a search
-- reads the vendors whose text holds the words instead of every vendor's
-- text (PostgreSQL has had its trigram index since 00005). FTS5's trigram
-- tokenizer answers a quoted phrase of three characters or more as a
-- substring match; models.vendorQuery keeps the LIKE beside it, so the
-- index narrows what is read and never decides what matches.
--
-- The index is external content: it keeps no copy of the text, only its
-- trigrams, keyed by the vendors' rowids. Triggers keep it in step with
-- every insert, delete and change of the search text, whatever writes
-- them. A rowid can change only when the whole file is rewritten (VACUUM,
-- VACUUM INTO): `rampart backup` rebuilds the index in the copy it writes.
-- +goose Up
{{if eq .Dialect "postgres"}}
SELECT 1;
{{else}}
CREATE VIRTUAL TABLE vendors_fts USING fts5(search_text, content='vendors', tokenize='trigram');
INSERT INTO vendors_fts(vendors_fts) VALUES ('rebuild');
-- +goose StatementBegin
CREATE TRIGGER vendors_fts_insert AFTER INSERT ON vendors
BEGIN
    INSERT INTO vendors_fts(rowid, search_text) VALUES (NEW.rowid, NEW.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER vendors_fts_delete AFTER DELETE ON vendors
BEGIN
    INSERT INTO vendors_fts(vendors_fts, rowid, search_text) VALUES ('delete', OLD.rowid, OLD.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER vendors_fts_update AFTER UPDATE OF search_text ON vendors
BEGIN
    INSERT INTO vendors_fts(vendors_fts, rowid, search_text) VALUES ('delete', OLD.rowid, OLD.search_text);
    INSERT INTO vendors_fts(rowid, search_text) VALUES (NEW.rowid, NEW.search_text);
END;
-- +goose StatementEnd
{{end}}
