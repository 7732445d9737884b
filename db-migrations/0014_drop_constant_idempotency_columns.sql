-- Only declarations keep an Idempotency-Key's answer: always a 201 whose Location follows from the request's path,
-- so the stored status (always 201) and location (always NULL) never varied and nothing read them. The answer is
-- its ETag and its body.
ALTER TABLE idempotency_keys DROP COLUMN status, DROP COLUMN location;
