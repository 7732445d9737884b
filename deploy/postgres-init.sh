#!/bin/sh
# Creates the API's role and database, as the operator. The db service of docker-compose.yml runs it once, when it
# initialises its volume (/docker-entrypoint-initdb.d, as the superuser POSTGRES_USER); scripts/check-publish runs it
# against its own password-protected cluster to prove it. Any PostgreSQL 15 or later: run it with psql's usual
# PGHOST/PGPORT/PGPASSWORD variables pointing at the server, as a role that may create roles and databases.
#
#   elections  the role the API runs as: it may log in, and nothing more (NOSUPERUSER NOCREATEDB NOCREATEROLE).
#              It owns the database "elections" and so its public schema: the API's migrations create the
#              tables as this role, which therefore owns them too. Its password is ELECTIONS_DB_PASSWORD.
set -e
: "${ELECTIONS_DB_PASSWORD:?ELECTIONS_DB_PASSWORD (the password of the API role elections) is not set}"
psql -X -v ON_ERROR_STOP=1 -v app_password="$ELECTIONS_DB_PASSWORD" --username "${POSTGRES_USER:-postgres}" --dbname postgres <<'SQL'
CREATE ROLE elections LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
CREATE DATABASE elections OWNER elections;
REVOKE ALL ON DATABASE elections FROM PUBLIC;
SQL
