-- Replays: a past night played into a test election, each of the source's revisions published at its original offset
-- from the first one, divided by the speed. The plan lives here, so a replay survives a restart of the API, and a lease
-- on the replay row lets exactly one instance play it.

-- Each test election that has ever been a replay target keeps one slot for good: its candidacies' ids are the source's
-- plus slot × 10^12, the same after every reset (the stable-id rule, described in README.md).
CREATE TABLE replay_targets (
    election_id text PRIMARY KEY REFERENCES elections (id),
    slot        integer NOT NULL UNIQUE CHECK (slot BETWEEN 1 AND 9000000)
);

CREATE TABLE replays (
    election_id        text PRIMARY KEY REFERENCES replay_targets (election_id),
    source_election_id text NOT NULL REFERENCES elections (id),
    speed              double precision NOT NULL CHECK (speed > 0 AND speed <= 100000),
    state              text NOT NULL CHECK (state IN ('playing', 'paused', 'stopped', 'finished')),
    -- the source's time elapsed since its first revision (ms) was position_ms at the moment position_at; while playing it
    -- advances by speed × the time since then
    position_ms        double precision NOT NULL,
    position_at        timestamptz NOT NULL,
    start_at           timestamptz NOT NULL,
    created_by         text NOT NULL CHECK (length(created_by) BETWEEN 1 AND 200),
    created_at         timestamptz NOT NULL DEFAULT now(),
    -- the instance playing it, until when (renewed while it plays; another instance takes over once it lapses)
    lease_owner        text,
    lease_until        timestamptz,
    CHECK (election_id <> source_election_id),
    CHECK ((lease_owner IS NULL) = (lease_until IS NULL))
);

CREATE TABLE replay_steps (
    election_id           text NOT NULL REFERENCES replays (election_id) ON DELETE CASCADE,
    seq                   integer NOT NULL CHECK (seq >= 1),
    source_declaration_id bigint NOT NULL REFERENCES declarations (id),
    offset_ms             double precision NOT NULL CHECK (offset_ms >= 0),
    published_at          timestamptz,
    published_by          text,
    declaration_id        bigint REFERENCES declarations (id),
    PRIMARY KEY (election_id, seq),
    CHECK ((published_at IS NULL) = (declaration_id IS NULL) AND (published_at IS NULL) = (published_by IS NULL))
);
CREATE INDEX replay_steps_pending ON replay_steps (election_id, seq) WHERE published_at IS NULL;

-- History is append-only, except that a test election may be reset (emptied) by a replay: the transaction that does it
-- names the election in the setting elections.reset_test_election, and only a test election's rows can go.
CREATE OR REPLACE FUNCTION refuse_history_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.election_id = current_setting('elections.reset_test_election', true)
       AND EXISTS (SELECT 1 FROM elections WHERE id = OLD.election_id AND is_test) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'published declarations are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE OR REPLACE FUNCTION refuse_declared_candidacy_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.election_id = current_setting('elections.reset_test_election', true)
       AND EXISTS (SELECT 1 FROM elections WHERE id = OLD.election_id AND is_test) THEN
        RETURN OLD;
    END IF;
    IF EXISTS (SELECT 1 FROM declaration_votes WHERE candidacy_id = OLD.id)
       OR EXISTS (SELECT 1 FROM declarations
                  WHERE election_id = OLD.election_id AND constituency_code = OLD.constituency_code
                    AND OLD.id IN (winner_candidacy_id, lot_winner_candidacy_id)) THEN
        RAISE EXCEPTION 'candidacy % appears in a published declaration and cannot change', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
