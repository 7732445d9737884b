-- Which elections a key may write to: 'live' (elections that are not test data), 'test' (rehearsals only, is_test) or
-- 'all'. Keys that existed before scopes keep working everywhere ('all').

ALTER TABLE api_keys ADD COLUMN scope text NOT NULL DEFAULT 'all';
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scope_check CHECK (scope IN ('live', 'test', 'all'));
