#!/bin/bash
# Entry point of berth-test/mariadb:11, modelled on the official image's docker-entrypoint.sh:
# initialize /var/lib/mysql on the first start only (root password, database, user), then run
# mariadbd as the mysql user.
set -Eeuo pipefail

# `IMAGE --max-connections=50` means `mariadbd --max-connections=50`; other commands run as given.
if [[ "${1:-}" == -* ]]; then set -- mariadbd "$@"; fi
if [[ "${1:-}" != mariadbd && "${1:-}" != mysqld ]]; then exec "$@"; fi

DATADIR=/var/lib/mysql
SOCKET=/run/mysqld/mysqld.sock

# As root: hand the data and socket directories (a new volume is root's) to mysql, re-run as it.
if ((EUID == 0)); then
  mkdir -p "$DATADIR" /run/mysqld
  find "$DATADIR" /run/mysqld \! -user mysql -exec chown mysql:mysql '{}' +
  exec setpriv --reuid=mysql --regid=mysql --init-groups "$0" "$@"
fi

# The official image's names first, the MYSQL_* ones as fallbacks.
root_password="${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}"
allow_empty="${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:-${MYSQL_ALLOW_EMPTY_PASSWORD:-}}"
database="${MARIADB_DATABASE:-${MYSQL_DATABASE:-}}"
user="${MARIADB_USER:-${MYSQL_USER:-}}"
password="${MARIADB_PASSWORD:-${MYSQL_PASSWORD:-}}"

# A string literal for SQL: backslashes and quotes escaped.
sql_string() { local s="${1//\\/\\\\}"; printf "'%s'" "${s//\'/\\\'}"; }
sql_ident() { printf '`%s`' "${1//\`/\`\`}"; }

if [[ ! -d "$DATADIR/mysql" ]]; then
  if [[ -z "$root_password" && -z "$allow_empty" ]]; then
    echo "error: the database is uninitialized and MARIADB_ROOT_PASSWORD is not set." >&2
    echo "       Set it, or MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1." >&2
    exit 1
  fi
  mariadb-install-db --datadir="$DATADIR" --auth-root-authentication-method=normal --skip-test-db \
    --skip-log-bin --default-time-zone=SYSTEM >/dev/null

  # A server on the socket only, for the accounts, the database and /docker-entrypoint-initdb.d.
  "$@" --skip-networking --socket="$SOCKET" &
  pid=$!
  for _ in $(seq 1 300); do
    mariadb-admin --socket="$SOCKET" --user=root ping >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { echo "error: mariadbd exited during initialization" >&2; exit 1; }
    sleep 0.2
  done

  # The SQL (passwords included) goes through stdin, never a command line.
  {
    # As the official image: no anonymous users, root only at localhost (and % below).
    echo "DELETE FROM mysql.global_priv WHERE User = '' OR (User = 'root' AND Host <> 'localhost');"
    echo "DELETE FROM mysql.proxies_priv WHERE Host <> 'localhost'; FLUSH PRIVILEGES;"
    if [[ -n "$root_password" ]]; then
      echo "CREATE USER 'root'@'%' IDENTIFIED BY $(sql_string "$root_password");"
      echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
      echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $(sql_string "$root_password");"
    else
      echo "CREATE USER 'root'@'%'; GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    fi
    if [[ -n "$database" ]]; then echo "CREATE DATABASE IF NOT EXISTS $(sql_ident "$database");"; fi
    if [[ -n "$user" && -n "$password" ]]; then
      echo "CREATE USER $(sql_string "$user")@'%' IDENTIFIED BY $(sql_string "$password");"
      if [[ -n "$database" ]]; then echo "GRANT ALL ON $(sql_ident "$database").* TO $(sql_string "$user")@'%';"; fi
    fi
    echo "FLUSH PRIVILEGES;"
  } | mariadb --socket="$SOCKET" --user=root

  export MYSQL_PWD="$root_password"
  for f in /docker-entrypoint-initdb.d/*; do
    # shellcheck disable=SC1090 # the user's own scripts, sourced as in the official image
    case "$f" in
      *.sh) echo "running $f" && . "$f" ;;
      *.sql) echo "running $f" && mariadb --socket="$SOCKET" --user=root ${database:+"$database"} <"$f" ;;
    esac
  done
  mariadb-admin --socket="$SOCKET" --user=root shutdown
  wait "$pid" || true
  unset MYSQL_PWD
  echo "MariaDB init process complete; ready for start up."
fi

exec "$@"
