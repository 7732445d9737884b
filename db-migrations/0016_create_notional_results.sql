-- The notional result of an election's previous election on this election's boundaries: what the previous election's
-- votes would have been in these seats, as estimated when boundaries change (for 2024, Rallings & Thrasher's estimates
-- of the 2019 votes on the 2024 seats). An election with notional results is compared with them, seat by seat, not
-- with the previous election's own seats, which are other seats even where a code is reused.
--
-- One row per line of the estimate: a party, or one independent candidate (each independent is a line of its own, all
-- under the party code Ind). Published estimates, so rows are never changed or removed: a different estimate for a
-- line is refused by the import, and these triggers refuse it from any other path.
CREATE TABLE notional_results (
    election_id       text   NOT NULL,
    constituency_code text   NOT NULL,
    line              text   NOT NULL CHECK (line ~ '^[A-Za-z0-9 ]{1,40}$'),
    party_code        text   NOT NULL REFERENCES parties (code),
    votes             bigint NOT NULL CHECK (votes >= 0),
    source            text   NOT NULL CHECK (length(source) BETWEEN 1 AND 300),
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (election_id, constituency_code, line),
    FOREIGN KEY (election_id, constituency_code) REFERENCES election_constituencies (election_id, constituency_code)
);

CREATE TRIGGER notional_results_append_only BEFORE UPDATE OR DELETE ON notional_results
    FOR EACH ROW EXECUTE FUNCTION refuse_history_rewrite();
