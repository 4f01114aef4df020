# shellcheck shell=bash
# The local PostgreSQL cluster: pick or create it, start it, run SQL as postgres.
# Sets PG_VERSION, PG_CLUSTER and PG_PORT.

# pg_psql ARGS...: psql as the postgres superuser on the local socket (SQL on stdin or -c).
pg_psql() {
  (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@")
}

# pg_query SQL: one constant query, unaligned tuples only. Never build SQL from input here.
pg_query() {
  pg_psql -tA -c "$1"
}

pg_answers() {
  pg_query 'SELECT 1' >/dev/null 2>&1
}

# Choose the cluster: the newest one named "main", else the newest; create one if none.
select_cluster() {
  local line ver name port
  line="$(pg_lsclusters -h 2>/dev/null | awk '$2 == "main"' | sort -k1,1V | tail -n 1)"
  [[ -n "$line" ]] || line="$(pg_lsclusters -h 2>/dev/null | sort -k1,1V | tail -n 1)"
  if [[ -z "$line" ]]; then
    ver="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)"
    [[ -n "$ver" ]] || die "PostgreSQL server binaries not found under /usr/lib/postgresql."
    log "postgres: creating cluster $ver/main"
    pg_createcluster "$ver" main >/dev/null
    line="$(pg_lsclusters -h | awk -v v="$ver" '$1 == v && $2 == "main"')"
  fi
  read -r ver name port _ <<<"$line"
  PG_VERSION="$ver" PG_CLUSTER="$name" PG_PORT="$port"
}

start_postgres() {
  select_cluster
  local status
  status="$(pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c { print $4 }')"
  if [[ "$status" == online* ]]; then
    log "postgres: $PG_VERSION/$PG_CLUSTER running on port $PG_PORT"
  else
    log "postgres: starting $PG_VERSION/$PG_CLUSTER"
    if is_systemd; then
      systemctl enable --quiet postgresql.service
      systemctl start "postgresql@$PG_VERSION-$PG_CLUSTER.service"
    else
      pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" start
    fi
  fi
  wait_until 30 pg_answers || die "PostgreSQL $PG_VERSION/$PG_CLUSTER did not accept connections within 30 s."
}
