# shellcheck shell=bash
# Install Debian/Ubuntu packages that are missing; `apt-get update` at most once.

APT_UPDATED=0

pkg_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

# missing_pkgs PKG...: print the ones not installed, one per line.
missing_pkgs() {
  local pkg
  for pkg in "$@"; do
    pkg_installed "$pkg" || printf '%s\n' "$pkg"
  done
}

# apt_install [--recommends] PKG...: install the given packages (no-op without any).
apt_install() {
  local opts=(-y -q -o DPkg::Lock::Timeout=300
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  if [[ "${1:-}" == --recommends ]]; then
    shift
  else
    opts+=(--no-install-recommends)
  fi
  (($# > 0)) || return 0
  local env=(env DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=l NEEDRESTART_SUSPEND=1)
  if ((APT_UPDATED == 0)); then
    log "apt: updating package lists"
    "${env[@]}" apt-get update -q -o DPkg::Lock::Timeout=300 >/dev/null
    APT_UPDATED=1
  fi
  log "apt: installing $*"
  "${env[@]}" apt-get install "${opts[@]}" "$@" >/dev/null
}
