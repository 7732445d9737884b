-- API keys with roles. Only a SHA-256 hash of each key is stored (keys are 256-bit random values,
-- so a fast hash is enough); the key itself is shown once, when it is created. Revoking a key keeps
-- its row, so that revisions it entered still name it.

CREATE TABLE api_keys (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$'),
    role         text NOT NULL CHECK (role IN ('admin', 'results-entry', 'reader')),
    key_hash     bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    key_prefix   text NOT NULL,
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
