-- When each revision became public. A desk's write publishes at the moment of the write, an import at the file's
-- declaration time when it has one (else at the moment of the import), a replay as it plays. Time travel (asOf) and
-- the timeline of the night are computed from it: per seat, the latest revision with published_at <= asOf.
--
-- Rows stored before this migration: their declaration time when it is not later than the moment they were stored,
-- else that moment (a revision cannot have been public before it existed in the database, unless a file said so).

ALTER TABLE declarations ADD COLUMN published_at timestamptz;

-- The append-only trigger refuses every UPDATE; this one-off backfill of a new column is not a rewrite of history.
ALTER TABLE declarations DISABLE TRIGGER declarations_append_only;
UPDATE declarations SET published_at = LEAST(COALESCE(declared_at, recorded_at), recorded_at);
ALTER TABLE declarations ENABLE TRIGGER declarations_append_only;

-- Never unknown; a row written without one (by hand, say) is public from the moment it is written.
ALTER TABLE declarations ALTER COLUMN published_at SET NOT NULL, ALTER COLUMN published_at SET DEFAULT now();

-- The state of an election at an instant, and its timeline, read revisions in publication order.
CREATE INDEX declarations_by_publication ON declarations (election_id, published_at, id);
