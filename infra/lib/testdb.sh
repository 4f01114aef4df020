# shellcheck shell=bash
# Throwaway databases for tests and benchmarks, owned by Berth's role.
# Needs common.sh, config.sh and postgres.sh sourced first.

# forget_projects NAME: remove what database NAME's projects left on the engine: their containers
# (a test that failed half-way never reached its clean-up, and a container with a restart policy
# comes back with every dockerd start) and then their project networks (berth-p-<id>). Once the
# database is dropped nothing can tell them from a running Berth's, and each network holds a /24 of
# the engine's address pool (512 in all), so runs of the tests and benchmarks would use it up.
# Only ids read from that database, and only containers Berth labelled with them: a running
# Berth's own projects have other ids. Volumes are never removed (`docker rm` without -v).
forget_projects() {
  local ids id containers
  ids="$(pg_psql -d "$1" -tA -c 'SELECT id FROM project' 2>/dev/null)" || return 0
  for id in $ids; do
    [[ "$id" =~ ^[0-9a-f-]{36}$ ]] || continue
    containers="$(docker ps -aq --filter "label=io.berth.managed-by=berth" --filter "label=io.berth.project=$id" 2>/dev/null)" || true
    # shellcheck disable=SC2086 # one argument per container id
    [[ -z "$containers" ]] || docker rm -f $containers >/dev/null 2>&1 || true
    docker network rm "berth-p-$id" >/dev/null 2>&1 || true
  done
}

# fresh_db NAME: drop and recreate database NAME (what its projects left on the engine first) and point
# DATABASE_URL at it.
fresh_db() {
  local name="$1"
  parse_db_url "$(config_get DATABASE_URL)" ||
    die "$BERTH_CONFIG: DATABASE_URL is not postgresql://user:password@host:port/db"
  PG_PORT="$DB_PORT"
  forget_projects "$name"
  pg_psql -v db="$name" -v owner="$DB_USER" <<'SQL'
DROP DATABASE IF EXISTS :"db" WITH (FORCE);
CREATE DATABASE :"db" OWNER :"owner";
SQL
  export DATABASE_URL="postgresql://$DB_USER:$DB_PASS@$DB_HOST:$DB_PORT/$name"
  log "database: $name is fresh"
}
