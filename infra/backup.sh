#!/usr/bin/env bash
# Write one archive of this Berth instance, to move it to another machine (infra/restore.sh):
# its database (pg_dump), its configuration with BERTH_SECRET (the key every stored secret is
# sealed with), the edge proxy's certificates and data, the database backups directory, the
# image of every live release and, with --with-volumes, the services' named volumes. Berth keeps
# running. The work is done by apps/server (src/instance/archive/), built by `npm run up`.
# Usage: backup.sh [--output FILE] [--with-volumes]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
# shellcheck source=lib/config.sh
source "$here/lib/config.sh"

usage='usage: backup.sh [--output FILE] [--with-volumes]'
output="berth-instance-$(date -u +%Y%m%dT%H%M%SZ).tar.gz"
extra=()
while (($# > 0)); do
  case "$1" in
    --output)
      (($# >= 2)) || die "$usage"
      output="$2"
      shift
      ;;
    --with-volumes) extra+=(--with-volumes) ;;
    -h | --help)
      printf '%s\n' "$usage"
      exit 0
      ;;
    *) die "unknown argument: $1 ($usage)" ;;
  esac
  shift
done

((EUID == 0)) || die "backup.sh needs root (it reads $BERTH_CONFIG and the proxy's keys)."
require_node
bundle="$BERTH_REPO/apps/server/dist/instance-archive-main.js"
[[ -f "$bundle" ]] || die "$bundle is missing; run the README's up command (npm run up) first."
load_config
export BERTH_CONFIG
log "backing up to $output; the archive will hold BERTH_SECRET and the database password (mode 0600): keep it private"
umask 077
node "$bundle" backup --output "$output" "${extra[@]}"
