# shellcheck shell=bash
# Make sure Docker Engine answers on /var/run/docker.sock, starting it if needed.

docker_answers() {
  docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

dockerd_process_alive() {
  local pid
  [[ -f /var/run/docker.pid ]] || return 1
  pid="$(cat /var/run/docker.pid 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

# BuildKit clips a build step's output past 200 KiB/s or 1 MiB by default: Berth stores whole
# build logs, so dockerd gets both limits at 1 GiB(/s). Not -1 ("unlimited"): the BuildKit in
# Debian's dockerd then clips every step at its first byte ("log limit -1B reached").
BUILDKIT_LOG_LIMITS=(BUILDKIT_STEP_LOG_MAX_SIZE=1073741824 BUILDKIT_STEP_LOG_MAX_SPEED=1073741824)
DOCKER_DROPIN=/etc/systemd/system/docker.service.d/berth-buildkit-logs.conf

# Under systemd the limits go into a drop-in for docker.service (written once; a Docker that
# already runs picks it up at its next restart, which Berth never forces).
write_docker_dropin() {
  local content line
  content="# Written by Berth (infra/lib/docker.sh): keep whole BuildKit step logs."$'\n'"[Service]"
  for line in "${BUILDKIT_LOG_LIMITS[@]}"; do content+=$'\n'"Environment=$line"; done
  if [[ -f "$DOCKER_DROPIN" ]] && [[ "$(cat "$DOCKER_DROPIN")" == "$content" ]]; then return 0; fi
  mkdir -p "$(dirname "$DOCKER_DROPIN")"
  printf '%s\n' "$content" >"$DOCKER_DROPIN"
  systemctl daemon-reload
  log "docker: BuildKit log limits set in $DOCKER_DROPIN (applies when Docker next starts)"
}

# Written only when the host has no /etc/docker/daemon.json of its own (a Docker already running
# reads it at its next restart, which Berth never forces; an existing file is left alone with a
# hint):
# - every Berth project gets its own bridge network, and Docker's default address pools hold only
#   ~30 of them: 512 /24 networks in 10.210.0.0/15;
# - no userland proxy: published loopback ports are NATed by the kernel. With docker-proxy, a
#   connection to a release that stopped listening (SIGTERM) is still accepted by the proxy and
#   then cut, so the edge proxy cannot retry a POST elsewhere; with kernel NAT it is refused and
#   retried on the next release.
DOCKER_DAEMON_JSON=/etc/docker/daemon.json
DOCKER_DAEMON_CONFIG='{"default-address-pools": [{"base": "10.210.0.0/15", "size": 24}], "userland-proxy": false}'

write_daemon_json() {
  if [[ -f "$DOCKER_DAEMON_JSON" ]]; then
    grep -q '"default-address-pools"' "$DOCKER_DAEMON_JSON" ||
      log "docker: $DOCKER_DAEMON_JSON sets no default-address-pools: Docker can then create only ~30 project networks (see docs/architecture.md)"
    grep -q '"userland-proxy": *false' "$DOCKER_DAEMON_JSON" ||
      log "docker: $DOCKER_DAEMON_JSON keeps Docker's userland proxy: POSTs in flight during a redeploy may fail (see docs/architecture.md)"
    return 0
  fi
  mkdir -p "$(dirname "$DOCKER_DAEMON_JSON")"
  printf '%s\n' "$DOCKER_DAEMON_CONFIG" >"$DOCKER_DAEMON_JSON"
  log "docker: project network pools and kernel port publishing set in $DOCKER_DAEMON_JSON"
}

start_docker() {
  write_daemon_json
  if docker_answers; then
    log "docker: running"
    return 0
  fi
  local logfile="$BERTH_LOG_DIR/dockerd.log"
  if is_systemd; then
    write_docker_dropin
    log "docker: starting (systemctl)"
    systemctl enable --now --quiet docker.service
  elif dockerd_process_alive; then
    log "docker: dockerd is starting, waiting for it"
  else
    log "docker: starting dockerd in the background (log: $logfile)"
    mkdir -p "$BERTH_LOG_DIR"
    env "${BUILDKIT_LOG_LIMITS[@]}" setsid -f dockerd >>"$logfile" 2>&1 </dev/null
  fi
  if ! wait_until 30 docker_answers; then
    [[ -f "$logfile" ]] && tail -n 20 "$logfile" >&2
    die "Docker Engine did not answer within 30 s."
  fi
  log "docker: started"
}
