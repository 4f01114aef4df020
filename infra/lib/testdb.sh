# shellcheck shell=bash
# Throwaway databases for tests and benchmarks, owned by Berth's role.
# Needs common.sh, config.sh and postgres.sh sourced first.

# fresh_db NAME: drop and recreate database NAME and point DATABASE_URL at it.
fresh_db() {
  local name="$1"
  parse_db_url "$(config_get DATABASE_URL)" ||
    die "$BERTH_CONFIG: DATABASE_URL is not postgresql://user:password@host:port/db"
  PG_PORT="$DB_PORT"
  pg_psql -v db="$name" -v owner="$DB_USER" <<'SQL'
DROP DATABASE IF EXISTS :"db" WITH (FORCE);
CREATE DATABASE :"db" OWNER :"owner";
SQL
  export DATABASE_URL="postgresql://$DB_USER:$DB_PASS@$DB_HOST:$DB_PORT/$name"
  log "database: $name is fresh"
}
