# shellcheck shell=bash
# Run the edge proxy (infra/proxy-run.sh): a systemd unit (Restart=always) when systemd is
# PID 1, else a detached, self-restarting process group recorded in a pidfile. The control
# plane watches Caddy's admin API and re-applies every route when Caddy comes back.
# Needs common.sh and server.sh (group_alive); start/wait need load_config first.

PROXY_LOG="$BERTH_LOG_DIR/proxy.log"
PROXY_PIDFILE="$BERTH_RUN_DIR/proxy.pid"
PROXY_UNIT=/etc/systemd/system/berth-proxy.service

proxy_admin() { printf '%s\n' "${BERTH_PROXY_ADMIN:-unix:/var/lib/berth/caddy/admin.sock}"; }

# Over the unix socket Caddy checks the Host header against the admin origins (localhost).
proxy_answers() {
  local admin
  admin="$(proxy_admin)"
  if [[ "$admin" == unix:* ]]; then
    curl -fs -m 2 -o /dev/null --unix-socket "${admin#unix:}" "http://localhost/config/"
  else
    curl -fs -m 2 -o /dev/null "http://$admin/config/"
  fi
}

# Debian's caddy package enables its own caddy.service (:80, admin :2019); Berth runs its own.
disable_stock_caddy() {
  if is_systemd && systemctl is-enabled --quiet caddy.service 2>/dev/null; then
    log "proxy: disabling Debian's caddy.service (Berth runs berth-proxy.service)"
    systemctl disable --now caddy.service
  fi
}

stop_detached_proxy() {
  [[ -f "$PROXY_PIDFILE" ]] || return 0
  local pid
  pid="$(cat "$PROXY_PIDFILE")"
  if [[ "$pid" =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'proxy-run.sh'; then
    log "proxy: stopping the running proxy (pid $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || true
    wait_until 10 fails group_alive "$pid" || kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$PROXY_PIDFILE"
}

stop_proxy() {
  if is_systemd && [[ -f "$PROXY_UNIT" ]]; then systemctl stop berth-proxy.service; fi
  stop_detached_proxy
}

start_proxy() {
  disable_stock_caddy
  if is_systemd; then
    local unit
    unit="$(cat "$BERTH_REPO/infra/berth-proxy.service")"
    unit="${unit//@CONFIG@/"$BERTH_CONFIG"}"
    unit="${unit//@REPO@/"$BERTH_REPO"}"
    if [[ "$(cat "$PROXY_UNIT" 2>/dev/null)" != "$unit" ]]; then
      printf '%s\n' "$unit" >"$PROXY_UNIT"
      systemctl daemon-reload
    fi
    systemctl enable --quiet berth-proxy.service
    systemctl restart berth-proxy.service
  elif ! proxy_answers; then
    stop_detached_proxy
    install -d -m 0755 "$BERTH_RUN_DIR" "$BERTH_LOG_DIR"
    (exec setsid nohup bash "$BERTH_REPO/infra/proxy-run.sh" --supervise) >>"$PROXY_LOG" 2>&1 </dev/null &
    printf '%s\n' "$!" >"$PROXY_PIDFILE"
    log "proxy: started (pid $!, log: $PROXY_LOG)"
  fi
  wait_until 15 proxy_answers || die "the edge proxy (Caddy) did not answer on $(proxy_admin) within 15 s; see $PROXY_LOG"
  log "proxy: Caddy's admin API answers on $(proxy_admin)"
}
