#!/usr/bin/env bash
# Build the local images the tests use: infra/test-images/<name>/ -> berth-test/<name>:latest.
# No registry is reachable, so each image is built FROM scratch around busybox-static.
# An image is rebuilt only when its context hash (kept as a label) changed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"

HASH_LABEL=org.berth.test-image.context-hash

find_busybox() {
  local candidate
  for candidate in /bin/busybox /usr/bin/busybox; do
    # busybox-static's binary; a dynamically linked one would not run FROM scratch.
    if [[ -x "$candidate" ]] && ! LC_ALL=C ldd "$candidate" >/dev/null 2>&1; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  die "a static busybox was not found; install busybox-static (bash infra/bootstrap.sh --with-test)"
}

context_hash() {
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

build_image() {
  local dir="$1" busybox="$2" name hash current
  name="berth-test/$(basename "$dir"):latest"
  cmp -s "$busybox" "$dir/busybox" || cp "$busybox" "$dir/busybox"
  hash="$(context_hash "$dir")"
  current="$(docker image inspect -f "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$name" 2>/dev/null || true)"
  if [[ "$current" == "$hash" ]]; then
    log "test image $name: up to date"
    return 0
  fi
  log "test image $name: building"
  DOCKER_BUILDKIT=0 docker build -q --label "$HASH_LABEL=$hash" -t "$name" "$dir" >/dev/null
}

main() {
  local busybox dir
  busybox="$(find_busybox)"
  for dir in "$here"/test-images/*/; do
    if [[ -f "$dir/Dockerfile" ]]; then build_image "${dir%/}" "$busybox"; fi
  done
}

main
