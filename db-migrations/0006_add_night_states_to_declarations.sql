-- The states a seat passes through on the night, each recorded as a revision like any other:
--   winnerKnown  the winner is called before the figures (winner_candidacy_id names them; no votes);
--   postponed    the poll is countermanded or postponed (a reason says why; no votes);
--   notDeclared  a retraction: the seat is taken back to not declared (a reason says why; no votes);
--   recount      now numbered per seat since its last declaration (recount_number);
--   declared     may name the candidate who won a tie for first place by lot (lot_winner_candidacy_id).
-- Constraints are added as table constraints (ALTER TABLE fires no row trigger, so history stays untouched).

ALTER TABLE declarations DROP CONSTRAINT declarations_status_check;

ALTER TABLE declarations
    ADD CONSTRAINT declarations_status_check
        CHECK (status IN ('notDeclared', 'winnerKnown', 'declared', 'recount', 'uncontested', 'postponed')),
    ADD COLUMN winner_candidacy_id bigint,
    ADD COLUMN lot_winner_candidacy_id bigint,
    ADD COLUMN recount_number integer CHECK (recount_number BETWEEN 1 AND 100),
    -- a called winner or a lot winner is a candidacy of the same seat and election
    ADD CONSTRAINT declarations_winner_candidacy_fk FOREIGN KEY (winner_candidacy_id, election_id, constituency_code)
        REFERENCES candidacies (id, election_id, constituency_code),
    ADD CONSTRAINT declarations_lot_winner_candidacy_fk FOREIGN KEY (lot_winner_candidacy_id, election_id, constituency_code)
        REFERENCES candidacies (id, election_id, constituency_code),
    ADD CONSTRAINT declarations_winner_known_names_winner CHECK ((status = 'winnerKnown') = (winner_candidacy_id IS NOT NULL)),
    ADD CONSTRAINT declarations_lot_only_when_declared CHECK (lot_winner_candidacy_id IS NULL OR status = 'declared'),
    ADD CONSTRAINT declarations_reason_when_postponed_or_retracted
        CHECK (status NOT IN ('postponed', 'notDeclared') OR reason IS NOT NULL);

-- Recounts stored before this migration have no number; the read model counts them as recount 1.
ALTER TABLE declarations
    ADD CONSTRAINT declarations_recount_numbered CHECK ((status = 'recount') = (recount_number IS NOT NULL)) NOT VALID;

-- Only a declaration carries votes.
CREATE FUNCTION refuse_votes_without_declaration() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT status FROM declarations WHERE id = NEW.declaration_id) <> 'declared' THEN
        RAISE EXCEPTION 'declaration % is not a declared result and carries no votes', NEW.declaration_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER declaration_votes_only_for_declared BEFORE INSERT ON declaration_votes
    FOR EACH ROW EXECUTE FUNCTION refuse_votes_without_declaration();

-- A candidacy named as a called winner or a lot winner is part of a published figure too.
CREATE OR REPLACE FUNCTION refuse_declared_candidacy_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
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
