-- The DORA register of information (Commission Implementing Regulation
-- (EU) 2024/2956). What the register needs is kept on the records it
-- describes: our own entity (one dora_settings row, like the security
-- policy), each provider's LEI, headquarters country, type of person and
-- ultimate parent on its vendor row, and on each contract the arrangement
-- (reference number, governing law, the provider's notice period), the
-- ICT service it delivers (type S01-S19, data storage and processing
-- locations), the function it supports (identifier, name, licensed
-- activity, criticality, RTO/RPO) and its assessment (substitutability,
-- exit plan, reintegration, alternatives). Closed sets keep the ESAs'
-- codes as written in the register ("eba_ZZ:x959"); countries and
-- currencies their ISO codes. Empty text means "not recorded", which the
-- register's validation reports; dora_in_scope marks the contracts that
-- are ICT arrangements in the register. Subcontracting ranks come from
-- vendor_subprocessors and are not stored.
-- +goose Up
CREATE TABLE dora_settings (
    id                  TEXT PRIMARY KEY,
    enabled             BOOLEAN NOT NULL DEFAULT FALSE,
    lei                 TEXT NOT NULL DEFAULT '',
    name                TEXT NOT NULL DEFAULT '',
    country             TEXT NOT NULL DEFAULT '',
    entity_type         TEXT NOT NULL DEFAULT '',
    hierarchy           TEXT NOT NULL DEFAULT '',
    parent_lei          TEXT NOT NULL DEFAULT '',
    competent_authority TEXT NOT NULL DEFAULT '',
    currency            TEXT NOT NULL DEFAULT '',
    total_assets        BIGINT NOT NULL DEFAULT 0,
    version             BIGINT NOT NULL DEFAULT 1,
    created_at          {{.Time}} NOT NULL,
    updated_at          {{.Time}} NOT NULL
);

ALTER TABLE vendors ADD COLUMN lei TEXT NOT NULL DEFAULT '';
ALTER TABLE vendors ADD COLUMN dora_country TEXT NOT NULL DEFAULT '';
ALTER TABLE vendors ADD COLUMN dora_person_type TEXT NOT NULL DEFAULT '';
ALTER TABLE vendors ADD COLUMN dora_parent_lei TEXT NOT NULL DEFAULT '';

ALTER TABLE contracts ADD COLUMN dora_in_scope BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE contracts ADD COLUMN dora_reference TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_governing_law TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_provider_notice_days BIGINT NOT NULL DEFAULT 0;
ALTER TABLE contracts ADD COLUMN dora_termination_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_ict_service_type TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_function_id TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_function_name TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_licensed_activity TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_criticality TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_criticality_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_criticality_assessed_on TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_rto_hours BIGINT NOT NULL DEFAULT 0;
ALTER TABLE contracts ADD COLUMN dora_rpo_hours BIGINT NOT NULL DEFAULT 0;
ALTER TABLE contracts ADD COLUMN dora_function_impact TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_stores_data TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_storage_location TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_processing_location TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_data_sensitiveness TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_reliance TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_substitutability TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_substitution_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_last_audit TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_exit_plan TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_reintegration TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_discontinuing_impact TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_alternatives TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN dora_alternative_providers TEXT NOT NULL DEFAULT '';
-- The export reads the contracts in the register, in reference order.
CREATE INDEX idx_contracts_dora ON contracts (dora_reference) WHERE dora_in_scope;
