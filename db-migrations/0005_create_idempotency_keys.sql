-- Answers to writes sent with an Idempotency-Key header, so that a retried request gets the first
-- answer instead of being applied twice. Stored in the same transaction as the write itself.

CREATE TABLE idempotency_keys (
    key_owner     text NOT NULL,
    key           text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    request_hash  bytea NOT NULL,
    status        integer NOT NULL,
    location      text,
    etag          text,
    body          bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (key_owner, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
