-- A certified election's baseline is final too: its notional previous result decides its gains, holds and share
-- changes, so no line may be added while it is certified (the lines are append-only already, 0016).
CREATE TRIGGER notional_results_frozen_while_certified BEFORE INSERT ON notional_results
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_certified_election();
