#!/usr/bin/env bash
# Idempotent host bootstrap for Debian 12 / Ubuntu: packages, Docker Engine, PostgreSQL,
# the berth role and database, and the instance config. Usage: bootstrap.sh [--with-test]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
# shellcheck source=lib/apt.sh
source "$here/lib/apt.sh"
# shellcheck source=lib/docker.sh
source "$here/lib/docker.sh"
# shellcheck source=lib/postgres.sh
source "$here/lib/postgres.sh"
# shellcheck source=lib/config.sh
source "$here/lib/config.sh"
# shellcheck source=lib/instance.sh
source "$here/lib/instance.sh"

with_test=0
for arg in "$@"; do
  case "$arg" in
    --with-test) with_test=1 ;;
    -h | --help)
      printf 'usage: %s [--with-test]\n' "$0"
      exit 0
      ;;
    *) die "unknown argument: $arg (usage: bootstrap.sh [--with-test])" ;;
  esac
done

BASE_PKGS=(docker.io postgresql git caddy ca-certificates openssl curl)
# debootstrap (+ the Debian keyring it verifies with, absent on Ubuntu) builds the Debian base of
# the PostgreSQL/Redis test images (infra/build-test-images.sh).
TEST_PKGS=(chromium busybox-static docker-registry openssh-server debootstrap debian-archive-keyring)

refuse() {
  {
    printf '[berth] %s\n' "$1"
    printf '[berth] Run this as root on Debian 12 or Ubuntu (e.g. sudo npm run up), or set the host up by hand:\n'
    printf '[berth]   install: %s\n' "${BASE_PKGS[*]}"
    printf '[berth]   for tests also: %s\n' "${TEST_PKGS[*]}"
    printf '[berth]   then start Docker Engine and PostgreSQL, create a role and database "berth",\n'
    printf '[berth]   and write %s (see README, Configuration).\n' "$BERTH_CONFIG"
  } >&2
  exit 1
}

os_field() {
  sed -n "s/^$1=//p" /etc/os-release 2>/dev/null | tr -d '"' | head -n 1
}

preflight() {
  ((EUID == 0)) || refuse "bootstrap needs root (running as $(id -un))."
  local os
  os=" $(os_field ID) $(os_field ID_LIKE) "
  [[ "$os" == *" debian "* || "$os" == *" ubuntu "* ]] ||
    refuse "unsupported OS ($(os_field PRETTY_NAME)); only Debian and Ubuntu are automated."
  command -v apt-get >/dev/null 2>&1 || refuse "apt-get not found."
}

install_packages() {
  local wanted=("${BASE_PKGS[@]}") missing=() plain=() recommended=() pkg
  if ((with_test)); then wanted+=("${TEST_PKGS[@]}"); fi
  mapfile -t missing < <(missing_pkgs "${wanted[@]}")
  if ((${#missing[@]} == 0)); then
    log "packages: all present"
    return 0
  fi
  for pkg in "${missing[@]}"; do
    # docker.io and chromium go in as Debian documents them: with their recommends.
    case "$pkg" in
      docker.io | chromium) recommended+=("$pkg") ;;
      *) plain+=("$pkg") ;;
    esac
  done
  apt_install "${plain[@]}"
  apt_install --recommends "${recommended[@]}"
}

# Caddy binds a new listening socket (SO_REUSEPORT) on every config load and closes the old
# one: with tcp_migrate_req the kernel hands the old socket's queued connections to the new
# one instead of resetting them (domain changes reload Caddy; deploys never do).
tune_kernel() {
  local knob=/proc/sys/net/ipv4/tcp_migrate_req
  [[ -w "$knob" ]] || return 0
  [[ "$(cat "$knob")" == 1 ]] && return 0
  printf '1\n' >"$knob"
  install -d /etc/sysctl.d
  printf 'net.ipv4.tcp_migrate_req = 1\n' >/etc/sysctl.d/60-berth-proxy.conf
  log "kernel: net.ipv4.tcp_migrate_req = 1 (no reset connections when the proxy reloads)"
}

main() {
  local started=$SECONDS
  preflight
  install -d -m 0755 "$BERTH_LOG_DIR"
  install_packages
  start_docker
  bash "$here/isolate-networks.sh"
  log "docker: project networks isolated in DOCKER-USER (infra/isolate-networks.sh)"
  start_postgres
  tune_kernel
  ensure_instance
  log "bootstrap done in $((SECONDS - started)) s"
}

main
