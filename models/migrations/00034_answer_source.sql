-- An answer brought in from the vendor's own questionnaire, or carried
-- over from an earlier assessment on another questionnaire, records where
-- it came from (a quote of the vendor's question and answer), shown beside
-- it in the review. Answers the vendor gives in the portal have none.
-- +goose Up
ALTER TABLE assessment_answers ADD COLUMN source TEXT NOT NULL DEFAULT '';
