#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the test suite.
#
# Installs Debian's server when it is missing, creates a cluster of its own
# (port 54329, so it never collides with a server the machine already runs),
# starts it with pg_ctlcluster (Debian's server runs as the `postgres` user,
# never as root), and creates the `xinchuang` role and database.
# Prints the SQLAlchemy URL on stdout; everything else goes to stderr.
set -euo pipefail

PORT="${XINCHUANG_PG_PORT:-54329}"
CLUSTER="xinchuang"
USER_NAME="xinchuang"
PASSWORD="xinchuang"
DB="xinchuang_test"

log() { echo "postgres.sh: $*" >&2; }

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing PostgreSQL from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"

if ! pg_lsclusters -h 2>/dev/null | awk '{print $2}' | grep -qx "$CLUSTER"; then
  log "creating cluster $VERSION/$CLUSTER on port $PORT"
  pg_createcluster "$VERSION" "$CLUSTER" -p "$PORT" >&2 -- --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  # Loopback only: the tests never need more.
  echo "listen_addresses = '127.0.0.1'" >> "/etc/postgresql/$VERSION/$CLUSTER/postgresql.conf"
  echo "fsync = off" >> "/etc/postgresql/$VERSION/$CLUSTER/postgresql.conf"
fi

if ! pg_lsclusters -h | awk -v c="$CLUSTER" '$2==c {print $4}' | grep -qx online; then
  log "starting cluster $VERSION/$CLUSTER"
  pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
fi

psql_admin() { su postgres -c "psql -p $PORT -h /var/run/postgresql -v ON_ERROR_STOP=1 -qAt $*"; }

if [ "$(psql_admin "-c \"SELECT 1 FROM pg_roles WHERE rolname='$USER_NAME'\"")" != "1" ]; then
  psql_admin "-c \"CREATE ROLE $USER_NAME LOGIN CREATEDB PASSWORD '$PASSWORD'\"" >&2
fi
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_database WHERE datname='$DB'\"")" != "1" ]; then
  psql_admin "-c \"CREATE DATABASE $DB OWNER $USER_NAME\"" >&2
fi

echo "postgresql+psycopg://$USER_NAME:$PASSWORD@127.0.0.1:$PORT/$DB"
