-- What a constituency-results file (House of Commons Library) reports about a seat besides the votes:
-- rejected ballots and the time of declaration. Those belong on the declaration revision, but the file
-- may be imported before the candidates file that carries the votes. Keeping them here lets the first
-- revision of the seat carry them whichever file comes first, and lets a re-import see that nothing changed.

CREATE TABLE seat_reported_facts (
    election_id       text NOT NULL,
    constituency_code text NOT NULL,
    invalid_votes     bigint CHECK (invalid_votes >= 0),
    declared_at       timestamptz,
    source            text NOT NULL CHECK (length(source) BETWEEN 1 AND 500),
    PRIMARY KEY (election_id, constituency_code),
    FOREIGN KEY (election_id, constituency_code) REFERENCES election_constituencies (election_id, constituency_code)
);
