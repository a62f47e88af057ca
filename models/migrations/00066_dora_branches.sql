-- The DORA register's branches (B_01.03) and intra-group providers
-- (B_03.03). Our entity's branches are a JSON array on the one-row
-- settings, each {"code", "name", "country"}: they are few, edited
-- together on one settings page, and their head office is always our
-- entity, so a table of their own would add nothing. A vendor marked
-- dora_intra_group is an ICT intra-group service provider: its
-- arrangements are listed in B_03.03 as well.
-- +goose Up
ALTER TABLE dora_settings ADD COLUMN branches TEXT NOT NULL DEFAULT '[]';
ALTER TABLE vendors ADD COLUMN dora_intra_group BOOLEAN NOT NULL DEFAULT FALSE;
