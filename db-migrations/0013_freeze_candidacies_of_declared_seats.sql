-- A seat's candidacies are frozen while its latest revision publishes something about them: a declaration, an
-- uncontested return, a called winner or a recount (the nominations endpoints' rule: they answer 409). The trigger of
-- 0002/0006/0012 only froze the candidacies named in a revision (votes, a called or lot winner), so an uncontested seat
-- or one in recount after an uncontested return left them editable. After a postponement or a retraction nominations
-- reopen, as the endpoints allow. A replay's reset of a test election removes the seat's revisions before its
-- candidacies, so it finds nothing published.
CREATE FUNCTION refuse_candidacy_change_while_seat_published() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT status NOT IN ('postponed', 'notDeclared') FROM declarations
        WHERE election_id = OLD.election_id AND constituency_code = OLD.constituency_code
        ORDER BY revision DESC LIMIT 1) THEN
        RAISE EXCEPTION 'candidacy % belongs to a seat with a published result (%, %) and cannot change',
            OLD.id, OLD.election_id, OLD.constituency_code
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TRIGGER candidacies_frozen_while_seat_published BEFORE UPDATE OR DELETE ON candidacies
    FOR EACH ROW EXECUTE FUNCTION refuse_candidacy_change_while_seat_published();
