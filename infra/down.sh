#!/usr/bin/env bash
# Stop the Berth server started by infra/up.sh (systemd unit or detached process).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
# shellcheck source=lib/server.sh
source "$here/lib/server.sh"
# shellcheck source=lib/proxy.sh
source "$here/lib/proxy.sh"

((EUID == 0)) || die "down.sh needs root (it manages /run/berth and the berth service)."
stop_server
stop_proxy
log "Berth and its edge proxy are stopped."
