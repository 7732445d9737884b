-- Reference data: parties, elections, constituencies and the areas that group them.
-- Every write bumps data_version in the same transaction, so a reader can tell in one
-- cheap query whether anything it has cached is stale.

CREATE TABLE data_version (
    id      boolean PRIMARY KEY DEFAULT true CHECK (id),
    version bigint  NOT NULL
);
INSERT INTO data_version (id, version) VALUES (true, 1);

CREATE TABLE parties (
    code   text PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 60 AND code = btrim(code) AND code !~ '[[:cntrl:]/]'),
    name   text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    colour text NOT NULL CHECK (colour ~ '^#[0-9A-F]{6}$')
);

CREATE TABLE elections (
    id                   text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    polling_day          date NOT NULL,
    kind                 text NOT NULL CHECK (kind IN ('general', 'by-election')),
    previous_election_id text REFERENCES elections (id),
    is_test              boolean NOT NULL DEFAULT false,
    CHECK (previous_election_id IS DISTINCT FROM id)
);

CREATE TABLE constituencies (
    code text PRIMARY KEY CHECK (code ~ '^[A-Z][0-9]{8}$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200)
);

-- A constituency's facts at one election: whether it is contested there, and its electorate.
CREATE TABLE election_constituencies (
    election_id       text NOT NULL REFERENCES elections (id),
    constituency_code text NOT NULL REFERENCES constituencies (code),
    electorate        bigint CHECK (electorate >= 0),
    PRIMARY KEY (election_id, constituency_code)
);

CREATE TABLE areas (
    election_id text NOT NULL REFERENCES elections (id),
    id          text NOT NULL CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind        text NOT NULL CHECK (kind IN ('nation', 'region', 'county', 'custom')),
    PRIMARY KEY (election_id, id)
);

CREATE TABLE area_members (
    election_id       text NOT NULL,
    area_id           text NOT NULL,
    constituency_code text NOT NULL,
    PRIMARY KEY (election_id, area_id, constituency_code),
    FOREIGN KEY (election_id, area_id) REFERENCES areas (election_id, id) ON DELETE CASCADE,
    FOREIGN KEY (election_id, constituency_code) REFERENCES election_constituencies (election_id, constituency_code)
);
CREATE INDEX area_members_by_constituency ON area_members (election_id, constituency_code);
