#!/usr/bin/env bash
# Run Berth's edge proxy (Debian's Caddy) in the foreground. Caddy starts with a bootstrap
# config that holds ONLY its admin address; the control plane then loads every route through
# the admin API from Postgres (and again whenever Caddy restarts). No route is ever written
# to a file. Environment: BERTH_PROXY_ADMIN (unix:/path.sock -- default
# unix:/var/lib/berth/caddy/admin.sock, in a 0700 directory so only root can connect -- or a
# loopback host:port), BERTH_PROXY_DATA_DIR (certificates, keys, internal CA; default
# /var/lib/berth/caddy).
# Usage: proxy-run.sh [--supervise]   (--supervise: restart Caddy whenever it exits)
set -euo pipefail

admin="${BERTH_PROXY_ADMIN:-unix:/var/lib/berth/caddy/admin.sock}"
data="${BERTH_PROXY_DATA_DIR:-/var/lib/berth/caddy}"
command -v caddy >/dev/null 2>&1 || { printf '[berth] caddy is not installed (run infra/bootstrap.sh)\n' >&2; exit 2; }
install -d -m 0700 "$data"
# The same admin block the control plane sends with every config (caddy-config.ts), so a load
# never moves the admin endpoint.
if [[ "$admin" =~ ^unix:(/[A-Za-z0-9._/-]{1,100})$ ]]; then
  socket="${BASH_REMATCH[1]}"
  install -d -m 0700 "$(dirname "$socket")"
  listen="{\"listen\":\"unix/$socket\",\"origins\":[\"localhost\"]"
elif [[ "$admin" =~ ^(127\.[0-9]+\.[0-9]+\.[0-9]+|localhost):[0-9]{1,5}$ ]]; then
  listen="{\"listen\":\"$admin\""
else
  printf '[berth] BERTH_PROXY_ADMIN must be unix:/absolute/path.sock or a loopback host:port, got %q\n' "$admin" >&2
  exit 2
fi
printf '{"admin":%s,"config":{"persist":false}}}\n' "$listen" >"$data/bootstrap.json"
# Caddy runs with an empty environment but for these: its config can name `{env.*}`
# placeholders, so nothing secret (BERTH_SECRET, DATABASE_URL, SMTP credentials... which the
# systemd unit's EnvironmentFile gives this script) may be in it.
caddy_env=(env -i "PATH=/usr/sbin:/usr/bin:/sbin:/bin" "HOME=$data" "XDG_DATA_HOME=$data" "XDG_CONFIG_HOME=$data")

if [[ "${1:-}" != "--supervise" ]]; then
  exec "${caddy_env[@]}" caddy run --config "$data/bootstrap.json"
fi
child=""
trap '[[ -n "$child" ]] && kill -TERM "$child" 2>/dev/null; exit 0' TERM INT
while :; do
  "${caddy_env[@]}" caddy run --config "$data/bootstrap.json" &
  child=$!
  wait "$child" || true
  printf '[berth] %s: caddy exited; restarting in 1 s\n' "$(date -Is)" >&2
  sleep 1
done
