#!/usr/bin/env bash
# Runs once, from the postgres image's /docker-entrypoint-initdb.d, when the data volume is created.
# Creates the role the api and worker log in as, `custos_login`, with a password, as a member of
# `custos_app` (created here NOLOGIN if missing; the migrations grant it its privileges). Every
# transaction switches to `custos_app`. Neither role is superuser or BYPASSRLS, so row-level security
# applies to every query the app makes.
# Changing CUSTOS_APP_DB_PASSWORD later needs `ALTER ROLE custos_login PASSWORD '...'` by the owner.
set -eo pipefail

: "${CUSTOS_APP_DB_PASSWORD:?CUSTOS_APP_DB_PASSWORD must be set for the postgres service}"

# The password travels as a psql variable and is quoted by psql (:'app_password'), never spliced into SQL.
psql --no-psqlrc -v ON_ERROR_STOP=1 \
  --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set app_password="$CUSTOS_APP_DB_PASSWORD" <<'SQL'
SELECT 'CREATE ROLE custos_app'
WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'custos_app')
\gexec
ALTER ROLE custos_app WITH NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION;
SELECT 'CREATE ROLE custos_login'
WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'custos_login')
\gexec
ALTER ROLE custos_login WITH LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION
  PASSWORD :'app_password';
GRANT custos_app TO custos_login;
SQL
