#!/usr/bin/env bash
# Restore an archive written by infra/backup.sh on this machine, after the README's up command
# ran here: stops Berth and its edge proxy, restores the database, the configuration (its
# BERTH_SECRET; this machine's DATABASE_URL, BERTH_PUBLIC_URL and BERTH_PROXY_PUBLIC_IP are kept),
# the proxy's certificates, the backups directory, the live releases' images and any volumes,
# then starts Berth: its reconciler brings every service back from its live release.
# Usage: restore.sh ARCHIVE [--replace]   (--replace: this Berth already has accounts; replace them)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
# shellcheck source=lib/config.sh
source "$here/lib/config.sh"
# shellcheck source=lib/docker.sh
source "$here/lib/docker.sh"
# shellcheck source=lib/server.sh
source "$here/lib/server.sh"
# shellcheck source=lib/proxy.sh
source "$here/lib/proxy.sh"

usage='usage: restore.sh ARCHIVE [--replace]'
archive="" extra=()
for arg in "$@"; do
  case "$arg" in
    --replace) extra+=(--replace) ;;
    -h | --help)
      printf '%s\n' "$usage"
      exit 0
      ;;
    -*) die "unknown argument: $arg ($usage)" ;;
    *)
      [[ -z "$archive" ]] || die "$usage"
      archive="$arg"
      ;;
  esac
done
[[ -n "$archive" ]] || die "$usage"
[[ -r "$archive" ]] || die "$archive: no such file"

((EUID == 0)) || die "restore.sh needs root (it rewrites $BERTH_CONFIG and stops and starts Berth)."
require_node
bundle="$BERTH_REPO/apps/server/dist/instance-archive-main.js"
[[ -f "$bundle" ]] || die "$bundle is missing; run the README's up command (npm run up) first."
load_config
docker_answers || die "Docker Engine does not answer; run the README's up command (npm run up) first."
export BERTH_CONFIG

stop_server
stop_proxy
umask 077
if ! node "$bundle" restore "$archive" "${extra[@]}"; then
  die "the restore failed (above); Berth is stopped. Fix the cause and run this again (with --replace once the database was restored), or start Berth as it was: npm run up"
fi

# The restored configuration (the archive's BERTH_SECRET and settings).
load_config
start_proxy
start_server
log "server: waiting for http://127.0.0.1:$BERTH_PORT/healthz (up to 120 s; migrations run first)"
if ! wait_healthy 120; then
  server_log_tail
  die "Berth did not answer /healthz within 120 s; the last 50 log lines are above."
fi
log "restored: $BERTH_PUBLIC_URL. The reconciler now brings every service that should run back from its live release (each service's Events say so)."
log "Point your DNS records at this machine; services whose image was not in the archive need a new deploy."
