#!/bin/bash
# Entry point of berth-test/postgres:15, modelled on the official image's docker-entrypoint.sh:
# initdb into $PGDATA on the first start only, then run postgres as the postgres user.
set -Eeuo pipefail

# `IMAGE -c fsync=off` means `postgres -c fsync=off`; any other command (psql, bash) runs as given.
if [[ "${1:-}" == -* ]]; then set -- postgres "$@"; fi
if [[ "${1:-}" != postgres ]]; then exec "$@"; fi

# As root: hand the data and socket directories (a new volume is root's) to postgres, re-run as it.
if ((EUID == 0)); then
  mkdir -p "$PGDATA" /var/run/postgresql
  find "$PGDATA" /var/run/postgresql \! -user postgres -exec chown postgres:postgres '{}' +
  chmod 0700 "$PGDATA"
  export HOME=/var/lib/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  if [[ -z "${POSTGRES_PASSWORD:-}" && "${POSTGRES_HOST_AUTH_METHOD:-}" != trust ]]; then
    echo "error: the database is uninitialized and POSTGRES_PASSWORD is not set." >&2
    echo "       Set it, or POSTGRES_HOST_AUTH_METHOD=trust to allow every connection without a password." >&2
    exit 1
  fi
  user="${POSTGRES_USER:-postgres}" db="${POSTGRES_DB:-${POSTGRES_USER:-postgres}}"
  # The password reaches initdb through a pipe, never a command line. POSTGRES_INITDB_ARGS is a
  # list of words, as in the official image.
  # shellcheck disable=SC2086
  if [[ -n "${POSTGRES_PASSWORD:-}" ]]; then
    initdb --username="$user" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") ${POSTGRES_INITDB_ARGS:-} >/dev/null
  else
    initdb --username="$user" ${POSTGRES_INITDB_ARGS:-} >/dev/null
  fi
  # Inside the container (socket, loopback) initdb's trust rules stay; other hosts need the password.
  printf '\nhost all all all %s\n' "${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >>"$PGDATA/pg_hba.conf"
  printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"

  # A server on the socket only, for POSTGRES_DB and /docker-entrypoint-initdb.d/*.sql|*.sh.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  export PGUSER="$user" PGDATABASE=postgres
  if [[ "$db" != postgres ]]; then psql -X -q -v ON_ERROR_STOP=1 -v db="$db" <<<'CREATE DATABASE :"db";'; fi
  for f in /docker-entrypoint-initdb.d/*; do
    # shellcheck disable=SC1090 # the user's own scripts, sourced as in the official image
    case "$f" in
      *.sh) echo "running $f" && . "$f" ;;
      *.sql) echo "running $f" && psql -X -q -v ON_ERROR_STOP=1 --dbname "$db" -f "$f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  unset PGUSER PGDATABASE
  echo "PostgreSQL init process complete; ready for start up."
fi

# postgres runs as a child so that SIGTERM, too, means a fast shutdown (SIGINT); on its own,
# SIGTERM would wait for every client to disconnect. HUP (reload) and QUIT pass through.
"$@" &
pid=$!
trap 'kill -INT "$pid" 2>/dev/null || true' TERM INT
trap 'kill -HUP "$pid" 2>/dev/null || true' HUP
trap 'kill -QUIT "$pid" 2>/dev/null || true' QUIT
# A trapped signal ends `wait` early: wait again until postgres is gone, then take its status.
while kill -0 "$pid" 2>/dev/null; do wait "$pid" || true; done
wait "$pid"
