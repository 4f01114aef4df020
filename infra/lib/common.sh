# shellcheck shell=bash
# Shared helpers for infra/*.sh: paths, logging, root and systemd checks.
# Sourced, never executed; the caller sets `set -euo pipefail`.

BERTH_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BERTH_CONFIG="${BERTH_CONFIG:-/etc/berth/berth.env}"
# shellcheck disable=SC2034 # used by the other libs and scripts
BERTH_LOG_DIR=/var/log/berth BERTH_RUN_DIR=/run/berth

log() { printf '[berth] %s\n' "$*"; }
warn() { printf '[berth] WARNING: %s\n' "$*" >&2; }
die() {
  printf '[berth] ERROR: %s\n' "$*" >&2
  exit 1
}

# True when systemd is PID 1 (the sd_booted() test plus a look at PID 1 itself).
is_systemd() {
  [[ -d /run/systemd/system ]] && [[ "$(cat /proc/1/comm 2>/dev/null)" == systemd ]]
}

# wait_until SECONDS CMD...: run CMD every 0.5 s until it succeeds or time runs out.
wait_until() {
  local tries=$(($1 * 2))
  shift
  while ((tries-- > 0)); do
    "$@" && return 0
    sleep 0.5
  done
  return 1
}

require_node() {
  command -v node >/dev/null 2>&1 || die "Node.js >= 20.19 with npm is required; install it first (see README)."
  command -v npm >/dev/null 2>&1 || die "npm is required (it ships with Node.js); install it first."
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' ||
    die "Node.js >= 20.19 is required, found $(node -v)."
}

# npm ci only when node_modules is missing or older than package-lock.json.
npm_ci_if_needed() {
  local hidden="$BERTH_REPO/node_modules/.package-lock.json"
  if [[ -f "$hidden" && ! "$BERTH_REPO/package-lock.json" -nt "$hidden" ]]; then
    log "npm: dependencies up to date"
    return 0
  fi
  log "npm: installing dependencies (npm ci)"
  (cd "$BERTH_REPO" && env -u NODE_ENV npm ci --include=dev --no-audit --no-fund)
}
