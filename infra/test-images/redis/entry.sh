#!/bin/sh
# Entry point of berth-test/redis:7, modelled on the official image's docker-entrypoint.sh.
set -eu

# `IMAGE --appendonly yes` means `redis-server --appendonly yes`; other commands run as given.
case "${1:-}" in -*) set -- redis-server "$@" ;; esac
[ "${1:-}" = redis-server ] || exec "$@"

# As root: hand /data (a new volume is root's) to redis and re-run as it.
if [ "$(id -u)" = 0 ]; then
  find . \! -user redis -exec chown redis:redis '{}' +
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi

# Without a config file, reachable from other containers with no password, like the official
# image (built with protected-mode off); a config file (first argument) decides for itself.
case "${2:-}" in "" | -*) shift && set -- redis-server --protected-mode no "$@" ;; esac
umask 0077
exec "$@"
