-- The ballot-paper description of a candidacy ("Labour and Co-operative Party"), when it says more than the
-- party's name. The party code stays the party the candidate sits for (Lab) and is what every tally counts.

ALTER TABLE candidacies ADD COLUMN description text
    CHECK (length(description) BETWEEN 1 AND 200 AND description = btrim(description));
