# shellcheck shell=bash
# Run the Berth server: a systemd unit when systemd is PID 1, else a detached process
# group recorded in a pidfile. Needs common.sh; start/wait need load_config first.

SERVER_DIR="$BERTH_REPO/apps/server"
SERVER_LOG="$BERTH_LOG_DIR/berth.log"
SERVER_PIDFILE="$BERTH_RUN_DIR/berth.pid"
SERVER_UNIT=/etc/systemd/system/berth.service

# True when PID is a live process started by us: cwd is the server dir, cmdline npm/node.
server_pid_is_ours() {
  local pid="$1" cmdline
  [[ "$pid" =~ ^[0-9]+$ && -r "/proc/$pid/cmdline" ]] || return 1
  [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == "$SERVER_DIR" ]] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
  [[ "$cmdline" =~ (^|/| )(npm|node)( |$) ]]
}

# group_alive PGID: a live (non-zombie) process is in the group. Zombies count as gone:
# where PID 1 does not reap orphans (containers without an init) they linger.
group_alive() {
  local stat line state pgrp
  for stat in /proc/[0-9]*/stat; do
    { read -r line <"$stat"; } 2>/dev/null || continue
    read -r state _ pgrp _ <<<"${line##*) }"
    [[ "$pgrp" == "$1" && "$state" != Z ]] && return 0
  done
  return 1
}

stop_detached_server() {
  [[ -f "$SERVER_PIDFILE" ]] || return 0
  local pid
  pid="$(cat "$SERVER_PIDFILE")"
  if server_pid_is_ours "$pid"; then
    log "server: stopping the running instance (pid $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || true
    if ! wait_until 20 fails group_alive "$pid"; then
      warn "server: pid $pid ignored SIGTERM for 20 s; killing it"
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
  else
    log "server: removing stale pidfile ($pid is not a Berth server)"
  fi
  rm -f "$SERVER_PIDFILE"
}

# fails CMD...: succeed when CMD fails (for wait_until).
fails() { ! "$@"; }

stop_server() {
  if is_systemd && [[ -f "$SERVER_UNIT" ]]; then
    log "server: stopping berth.service"
    systemctl stop berth.service
  fi
  stop_detached_server
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

install_unit() {
  local unit node_dir
  node_dir="$(dirname "$(command -v node)")"
  unit="$(cat "$BERTH_REPO/infra/berth.service")"
  unit="${unit//@CONFIG@/"$BERTH_CONFIG"}"
  unit="${unit//@REPO@/"$BERTH_REPO"}"
  unit="${unit//@NPM@/"$(command -v npm)"}"
  unit="${unit//@PATH@/"$node_dir:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}"
  if [[ "$(cat "$SERVER_UNIT" 2>/dev/null)" != "$unit" ]]; then
    printf '%s\n' "$unit" >"$SERVER_UNIT"
    systemctl daemon-reload
    log "server: installed $SERVER_UNIT"
  fi
  systemctl enable --quiet berth.service
}

start_server() {
  stop_detached_server
  if is_systemd; then
    install_unit
    log "server: (re)starting berth.service"
    systemctl restart berth.service
    return 0
  fi
  if port_in_use "$BERTH_PORT"; then
    die "port $BERTH_PORT is already in use by another process; stop it or change BERTH_PORT in $BERTH_CONFIG"
  fi
  install -d -m 0755 "$BERTH_RUN_DIR" "$BERTH_LOG_DIR"
  printf '\n=== %s: starting Berth\n' "$(date -Is)" >>"$SERVER_LOG"
  local pid
  # Migrations first, then the server as the only resident process (as the systemd unit runs it).
  (cd "$BERTH_REPO" && npm run -s db:migrate) >>"$SERVER_LOG" 2>&1 </dev/null ||
    die "migrations failed; the log: $SERVER_LOG"
  # Not a process-group leader here, so setsid does not fork: $! is the new session's leader.
  (cd "$SERVER_DIR" && exec setsid nohup env NODE_ENV=production BERTH_WEB_DIST_DIR=.next-live ./serve.sh) \
    >>"$SERVER_LOG" 2>&1 </dev/null &
  pid=$!
  printf '%s\n' "$pid" >"$SERVER_PIDFILE"
  log "server: started (pid $pid, log: $SERVER_LOG)"
}

server_healthy() { curl -fs -m 2 -o /dev/null "http://127.0.0.1:$BERTH_PORT/healthz"; }

server_running() {
  if is_systemd; then
    [[ "$(systemctl is-active berth.service || true)" =~ ^(active|activating|reloading)$ ]]
  else
    group_alive "$(cat "$SERVER_PIDFILE")"
  fi
}

server_log_tail() {
  if is_systemd; then
    journalctl -u berth.service -n 50 --no-pager >&2
  else
    tail -n 50 "$SERVER_LOG" >&2
  fi
}

# wait_healthy SECONDS: poll /healthz; fail early if the server exits.
wait_healthy() {
  local tries=$(($1 * 2))
  while ((tries-- > 0)); do
    server_healthy && return 0
    server_running || return 1
    sleep 0.5
  done
  return 1
}
