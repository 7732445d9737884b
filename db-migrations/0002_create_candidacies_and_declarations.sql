-- Candidacies and declarations. A declaration is a revision: corrections and recounts add a
-- revision and never change or remove an earlier one (enforced by triggers below).

CREATE TABLE candidacies (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    election_id       text NOT NULL,
    constituency_code text NOT NULL,
    name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    party_code        text NOT NULL REFERENCES parties (code),
    FOREIGN KEY (election_id, constituency_code) REFERENCES election_constituencies (election_id, constituency_code),
    -- lets declaration_votes prove that a candidacy belongs to the seat and election it is declared in
    UNIQUE (id, election_id, constituency_code)
);
CREATE INDEX candidacies_by_seat ON candidacies (election_id, constituency_code);

CREATE TABLE declarations (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    election_id       text NOT NULL,
    constituency_code text NOT NULL,
    revision          integer NOT NULL CHECK (revision >= 1),
    status            text NOT NULL CHECK (status IN ('declared', 'recount', 'uncontested')),
    invalid_votes     bigint CHECK (invalid_votes >= 0),
    declared_at       timestamptz,
    source            text NOT NULL CHECK (length(source) BETWEEN 1 AND 500),
    entered_by        text NOT NULL CHECK (length(entered_by) BETWEEN 1 AND 200),
    reason            text CHECK (length(reason) <= 1000),
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (election_id, constituency_code) REFERENCES election_constituencies (election_id, constituency_code),
    UNIQUE (election_id, constituency_code, revision),
    UNIQUE (id, election_id, constituency_code)
);

CREATE TABLE declaration_votes (
    declaration_id    bigint NOT NULL,
    candidacy_id      bigint NOT NULL,
    election_id       text NOT NULL,
    constituency_code text NOT NULL,
    votes             bigint NOT NULL CHECK (votes >= 0),
    PRIMARY KEY (declaration_id, candidacy_id),
    FOREIGN KEY (declaration_id, election_id, constituency_code)
        REFERENCES declarations (id, election_id, constituency_code),
    FOREIGN KEY (candidacy_id, election_id, constituency_code)
        REFERENCES candidacies (id, election_id, constituency_code)
);
CREATE INDEX declaration_votes_by_candidacy ON declaration_votes (candidacy_id);

CREATE FUNCTION refuse_history_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'published declarations are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER declarations_append_only BEFORE UPDATE OR DELETE ON declarations
    FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite();
CREATE TRIGGER declaration_votes_append_only BEFORE UPDATE OR DELETE ON declaration_votes
    FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite();

-- Once a candidacy appears in a declaration its name and party are part of a published figure.
CREATE FUNCTION refuse_declared_candidacy_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM declaration_votes WHERE candidacy_id = OLD.id) THEN
        RAISE EXCEPTION 'candidacy % appears in a published declaration and cannot change', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TRIGGER candidacies_frozen_once_declared BEFORE UPDATE OR DELETE ON candidacies
    FOR EACH ROW EXECUTE FUNCTION refuse_declared_candidacy_change();
