#!/usr/bin/env bash
# Keep Berth's project networks apart while Docker rewrites its own rules. Idempotent; needs root
# and a running Docker Engine (DOCKER-USER is Docker's chain). Run by bootstrap.sh and before the
# control plane starts (berth.service), since a reboot empties the kernel's tables.
#
# Why: Docker 20.10 separates bridge networks with its DOCKER-ISOLATION chains, reached from
# FORWARD by a jump it deletes and inserts again whenever a network is created, and it inserts a
# new network's "-i br-x ! -o br-x -j ACCEPT" at the top of FORWARD. Between those rule changes a
# container could open connections to another network's containers by IP: with networks created
# and removed in a loop (what creating projects does), a probe in one network reached a container
# in another ~40 times in 20 s on this machine. DOCKER-USER is jumped to from FORWARD separately
# (its jump is re-inserted at another moment) and Docker never edits its rules, so the same
# isolation there holds whenever Docker's own is being rewritten. Traffic between two containers
# of one network is bridged, not routed (physdev-is-bridged), and passes; the host's own traffic
# (the edge proxy, the engine) never crosses FORWARD.
set -euo pipefail

RULES=(
  "-i br-+ -o br-+ -m physdev ! --physdev-is-bridged -j DROP"
  "-i br-+ -o docker0 -j DROP"
  "-i docker0 -o br-+ -j DROP"
)

if ! iptables -S DOCKER-USER >/dev/null 2>&1; then
  printf '[berth] network isolation: no DOCKER-USER chain yet (Docker Engine not started?)\n' >&2
  exit 1
fi
for rule in "${RULES[@]}"; do
  # shellcheck disable=SC2086 # each rule is its words
  iptables -C DOCKER-USER $rule 2>/dev/null || iptables -I DOCKER-USER $rule
done
