-- A file question's answer can stand on a document of the vendor's
-- evidence library: its score then follows that document's review (accepted,
-- rejected, expired), never the mere presence of a file. NULL when the
-- answer is not linked. The index finds the answers to rescore when a
-- document's verdict changes.
-- +goose Up
ALTER TABLE assessment_answers ADD COLUMN evidence_document_id TEXT REFERENCES evidence_documents (id);
CREATE INDEX assessment_answers_evidence_idx ON assessment_answers (evidence_document_id) WHERE evidence_document_id IS NOT NULL;
