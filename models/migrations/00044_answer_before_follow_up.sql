-- The answer as it stood when the reviewer asked for a follow-up, so the
-- review can show what the vendor changed in reply beside what they said
-- first. NULL until a follow-up is asked; kept after the vendor answers.
-- +goose Up
ALTER TABLE assessment_answers ADD COLUMN before_follow_up TEXT;
