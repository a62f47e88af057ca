-- A reassessment prefills the previous answers; the vendor confirms or
-- changes each before submitting.
-- +goose Up
ALTER TABLE assessment_answers ADD COLUMN confirmed BOOLEAN NOT NULL DEFAULT TRUE;
