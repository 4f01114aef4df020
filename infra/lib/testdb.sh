# shellcheck shell=bash
# Throwaway databases for tests and benchmarks, owned by Berth's role.
# Needs common.sh, config.sh and postgres.sh sourced first.

# forget_project_networks NAME: remove the project networks (berth-p-<id>) of database NAME's
# projects that no container uses. Once the database is dropped nothing can tell them from a
# running Berth's, and each holds a /24 of the engine's address pool (512 in all), so runs of the
# tests and benchmarks would use it up. A network still in use is refused by the engine and stays.
forget_project_networks() {
  local ids id
  ids="$(pg_psql -d "$1" -tA -c 'SELECT id FROM project' 2>/dev/null)" || return 0
  for id in $ids; do
    [[ "$id" =~ ^[0-9a-f-]{36}$ ]] && docker network rm "berth-p-$id" >/dev/null 2>&1 || true
  done
}

# fresh_db NAME: drop and recreate database NAME (its projects' empty networks first) and point
# DATABASE_URL at it.
fresh_db() {
  local name="$1"
  parse_db_url "$(config_get DATABASE_URL)" ||
    die "$BERTH_CONFIG: DATABASE_URL is not postgresql://user:password@host:port/db"
  PG_PORT="$DB_PORT"
  forget_project_networks "$name"
  pg_psql -v db="$name" -v owner="$DB_USER" <<'SQL'
DROP DATABASE IF EXISTS :"db" WITH (FORCE);
CREATE DATABASE :"db" OWNER :"owner";
SQL
  export DATABASE_URL="postgresql://$DB_USER:$DB_PASS@$DB_HOST:$DB_PORT/$name"
  log "database: $name is fresh"
}
