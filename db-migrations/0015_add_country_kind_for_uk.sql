-- The whole-country area `uk` is an area of its own kind, `country`, not one of the nations it adds up. The importer
-- creates it so from now on; this corrects the elections imported before.
ALTER TABLE areas DROP CONSTRAINT areas_kind_check;
ALTER TABLE areas ADD CONSTRAINT areas_kind_check CHECK (kind IN ('country', 'nation', 'region', 'county', 'custom'));
UPDATE areas SET kind = 'country' WHERE id = 'uk' AND kind = 'nation';
