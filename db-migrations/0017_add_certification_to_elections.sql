-- Certification: the desk declares an election's results final once every seat has its result (declared or
-- uncontested). The elections row carries the certification in force; election_certifications keeps every
-- certification and withdrawal, so what was certified when stays readable (and time travel can tell).
-- While an election is certified its results are frozen here, whatever path a write takes: no revision, no seat and no
-- candidacy may be added, changed or removed until an admin withdraws the certification.

ALTER TABLE elections
    ADD COLUMN certified_at timestamptz,
    ADD COLUMN certified_by text,
    ADD COLUMN certification_source text,
    ADD CONSTRAINT elections_certified_by_check CHECK (length(certified_by) BETWEEN 1 AND 200),
    ADD CONSTRAINT elections_certification_source_check
        CHECK (length(certification_source) BETWEEN 1 AND 500 AND certification_source !~ '[[:cntrl:]]'),
    -- a certification is whole: when, by whom and on what authority, or none of them
    ADD CONSTRAINT elections_certification_whole
        CHECK ((certified_at IS NULL) = (certified_by IS NULL) AND (certified_at IS NULL) = (certification_source IS NULL));

CREATE TABLE election_certifications (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    election_id text NOT NULL REFERENCES elections (id),
    action      text NOT NULL CHECK (action IN ('certified', 'withdrawn')),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    entered_by  text NOT NULL CHECK (length(entered_by) BETWEEN 1 AND 200),
    source      text CHECK (length(source) BETWEEN 1 AND 500),
    reason      text CHECK (length(reason) BETWEEN 1 AND 1000),
    -- a certification names its authority, a withdrawal says why
    CHECK ((action = 'certified') = (source IS NOT NULL) AND (action = 'withdrawn') = (reason IS NOT NULL))
);
CREATE INDEX election_certifications_by_election ON election_certifications (election_id, id);

-- Append-only like the declarations (a replay's reset of a test election may empty it, as it empties the rest).
CREATE TRIGGER election_certifications_append_only BEFORE UPDATE OR DELETE ON election_certifications
    FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite();

-- Only a complete election can be certified: at least one seat, and every seat's latest revision a result. While it is
-- certified its baseline stays too (the previous election decides its gains, holds and share changes).
CREATE FUNCTION refuse_certification_of_incomplete_election() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.certified_at IS NOT NULL AND NEW.certified_at IS NOT NULL
       AND NEW.previous_election_id IS DISTINCT FROM OLD.previous_election_id THEN
        RAISE EXCEPTION 'election % is certified: its previous election cannot change until the certification is withdrawn', NEW.id
            USING ERRCODE = 'restrict_violation', CONSTRAINT = 'election_certified';
    END IF;
    IF NEW.certified_at IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.certified_at IS DISTINCT FROM NEW.certified_at) THEN
        IF NOT EXISTS (SELECT 1 FROM election_constituencies WHERE election_id = NEW.id)
           OR EXISTS (SELECT 1 FROM election_constituencies ec
                      WHERE ec.election_id = NEW.id
                        AND (SELECT d.status NOT IN ('declared', 'uncontested') FROM declarations d
                             WHERE d.election_id = ec.election_id AND d.constituency_code = ec.constituency_code
                             ORDER BY d.revision DESC LIMIT 1) IS NOT FALSE) THEN
            RAISE EXCEPTION 'election % is not complete (every seat needs its result) and cannot be certified', NEW.id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'election_certification_complete';
        END IF;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER elections_certified_only_when_complete BEFORE INSERT OR UPDATE ON elections
    FOR EACH ROW EXECUTE FUNCTION refuse_certification_of_incomplete_election();

-- A certified election's results are final. The election's row is locked (FOR SHARE) so that a certification
-- committing meanwhile waits for this write, and its completeness check then sees it.
CREATE FUNCTION refuse_change_of_certified_election() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    election text := CASE TG_OP WHEN 'DELETE' THEN OLD.election_id ELSE NEW.election_id END;
BEGIN
    IF (SELECT certified_at IS NOT NULL FROM elections WHERE id = election FOR SHARE) THEN
        RAISE EXCEPTION 'election % is certified: its results are final until the certification is withdrawn (% on % refused)',
            election, TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation', CONSTRAINT = 'election_certified';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TRIGGER declarations_frozen_while_certified BEFORE INSERT ON declarations
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_certified_election();
CREATE TRIGGER election_constituencies_frozen_while_certified BEFORE INSERT OR UPDATE OR DELETE ON election_constituencies
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_certified_election();
CREATE TRIGGER candidacies_frozen_while_certified BEFORE INSERT OR UPDATE OR DELETE ON candidacies
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_certified_election();
