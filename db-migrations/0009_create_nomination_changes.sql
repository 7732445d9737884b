-- Nominations (candidacies added, changed or withdrawn) as entries of the change feed. Their ids come from the
-- declarations' sequence, so that declarations and nominations share one cursor that increases in commit
-- order (writers are serialised by data_version). Append-only like the declarations.

CREATE TABLE nomination_changes (
    id                bigint PRIMARY KEY DEFAULT nextval(pg_get_serial_sequence('declarations', 'id')),
    election_id       text NOT NULL,
    constituency_code text NOT NULL,
    candidacy_id      bigint NOT NULL,
    change            text NOT NULL CHECK (change IN ('added', 'changed', 'withdrawn')),
    entered_by        text NOT NULL CHECK (length(entered_by) BETWEEN 1 AND 200),
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (election_id, constituency_code) REFERENCES election_constituencies (election_id, constituency_code)
);
CREATE INDEX nomination_changes_by_seat ON nomination_changes (election_id, constituency_code, id);

CREATE TRIGGER nomination_changes_append_only BEFORE UPDATE OR DELETE ON nomination_changes
    FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite();
