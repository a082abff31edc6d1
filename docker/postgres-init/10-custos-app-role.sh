#!/usr/bin/env bash
# Runs once, from the postgres image's /docker-entrypoint-initdb.d, when the data volume is created.
# Creates the application role `custos_app` with a password (the migrations create it without one if it
# is missing, and grant it its privileges). It may log in, and nothing more: not superuser, no
# BYPASSRLS, so row-level security applies to every query the app makes.
# Changing CUSTOS_APP_DB_PASSWORD later needs `ALTER ROLE custos_app PASSWORD '...'` by the owner.
set -eo pipefail

: "${CUSTOS_APP_DB_PASSWORD:?CUSTOS_APP_DB_PASSWORD must be set for the postgres service}"

# The password travels as a psql variable and is quoted by psql (:'app_password'), never spliced into SQL.
psql --no-psqlrc -v ON_ERROR_STOP=1 \
  --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set app_password="$CUSTOS_APP_DB_PASSWORD" <<'SQL'
SELECT 'CREATE ROLE custos_app'
WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'custos_app')
\gexec
ALTER ROLE custos_app WITH LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION
  PASSWORD :'app_password';
SQL
