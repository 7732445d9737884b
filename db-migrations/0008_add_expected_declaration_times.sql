-- When a seat's declaration is expected at one election (set by the desk or imported), so that producers can
-- ask what is due next.

ALTER TABLE election_constituencies ADD COLUMN expected_declaration_at timestamptz;

CREATE INDEX election_constituencies_by_expected ON election_constituencies (election_id, expected_declaration_at);
