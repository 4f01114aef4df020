#!/usr/bin/env bash
# `npm run up`: bootstrap the host, install dependencies, migrate, build, start Berth and
# wait until it answers /healthz.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
# shellcheck source=lib/config.sh
source "$here/lib/config.sh"
# shellcheck source=lib/server.sh
source "$here/lib/server.sh"
# shellcheck source=lib/proxy.sh
source "$here/lib/proxy.sh"

require_node
bash "$here/bootstrap.sh"
npm_ci_if_needed

# `BERTH_DASHBOARD_DOMAIN=berth.example.com npm run up` serves the dashboard there over HTTPS
# (through the edge proxy); it is kept in the config, so later starts keep it. Set it empty to take it
# out of the config (the stored setting then belongs to Settings again).
if [[ -v BERTH_DASHBOARD_DOMAIN ]]; then
  [[ "$BERTH_DASHBOARD_DOMAIN" =~ ^([A-Za-z0-9-]+\.)+[A-Za-z0-9-]+$ || -z "$BERTH_DASHBOARD_DOMAIN" ]] ||
    die "BERTH_DASHBOARD_DOMAIN must be a hostname such as berth.example.com (no https://, port or path)"
  config_set BERTH_DASHBOARD_DOMAIN "$BERTH_DASHBOARD_DOMAIN"
  log "config: BERTH_DASHBOARD_DOMAIN=${BERTH_DASHBOARD_DOMAIN:-(none)} in $BERTH_CONFIG"
  unset BERTH_DASHBOARD_DOMAIN
fi
load_config
export NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
cd "$BERTH_REPO"

log "database: generating the Prisma client"
npm run generate --workspace @berth/db
log "database: applying migrations"
npm run migrate:deploy --workspace @berth/db
# Build into the slot the running server does not use (.next-a / .next-b), then switch the
# .next-live link atomically: the running server keeps serving its own, untouched build until the
# restart below (it pinned the link's target at start), and the tests build elsewhere (.next-test).
web="$BERTH_REPO/apps/web"
slot=.next-a
[[ "$(readlink "$web/.next-live" 2>/dev/null)" == .next-a ]] && slot=.next-b
log "build: building the dashboard into apps/web/$slot"
rm -rf "${web:?}/$slot"
BERTH_WEB_DIST_DIR="$slot" npx turbo run build
ln -sfn "$slot" "$web/.next-live.tmp"
mv -T "$web/.next-live.tmp" "$web/.next-live"

start_proxy
start_server
log "server: waiting for http://127.0.0.1:$BERTH_PORT/healthz (up to 60 s)"
if ! wait_healthy 60; then
  server_log_tail
  die "Berth did not answer /healthz within 60 s; the last 50 log lines are above (stop it: bash infra/down.sh)."
fi
printf 'Berth is up: %s\n' "$BERTH_PUBLIC_URL"
printf '  (on this machine: http://127.0.0.1:%s)\n' "$BERTH_PORT"
[[ -z "${BERTH_DASHBOARD_DOMAIN:-}" ]] || printf '  (dashboard domain: https://%s once DNS points here)\n' "$BERTH_DASHBOARD_DOMAIN"
