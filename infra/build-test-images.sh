#!/usr/bin/env bash
# Build the local images the tests use (no registry is reachable), from infra/test-images/<name>/:
#   - a directory with mkimage.sh makes a base image from scratch (debian/: debootstrap + import);
#   - a directory with a Dockerfile is then built with `docker build`, all of them in parallel
#     (hello/: FROM scratch around busybox-static; postgres/, mariadb/, redis/, app/: FROM the Debian base,
#     packages from Debian's archive).
# The tag is the directory's `tag` file, else berth-test/<name>:latest. An image is rebuilt only
# when its recipe hash (kept as a label) changed; the hash of an image FROM another berth-test
# image includes that image's id, so a new base rebuilds what is built on it.
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

image_tag() {
  if [[ -f "$1/tag" ]]; then cat "$1/tag"; else printf 'berth-test/%s:latest\n' "$(basename "$1")"; fi
}

# drop_replaced OLD_ID TAG: remove the image TAG pointed at before a rebuild, once nothing uses
# it (docker refuses while a container or another tag still does).
drop_replaced() {
  [[ -n "$1" && "$1" != "$(docker image inspect -f '{{ .Id }}' "$2" 2>/dev/null)" ]] || return 0
  docker rmi "$1" >/dev/null 2>&1 || true
}

# up_to_date TAG HASH: the image exists and carries HASH.
up_to_date() {
  [[ "$(docker image inspect -f "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$1" 2>/dev/null || true)" == "$2" ]]
}

# The Debian archive (and security archive) this host's apt uses, from one-line and deb822
# sources; deb.debian.org when the host has none (e.g. Ubuntu).
apt_uris() {
  {
    sed -nE 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
    sed -nE 's/^URIs:[[:space:]]*//Ip' /etc/apt/sources.list.d/*.sources 2>/dev/null | tr -s '[:blank:]' '\n'
  } | grep -v '^$' || true
}
debian_mirror() {
  local uri
  uri="$(apt_uris | grep -m1 -E '^https?://[^ ]*/debian/?$' || true)"
  printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}
security_mirror() {
  local uri
  uri="$(apt_uris | grep -m1 -E '^https?://[^ ]*/debian-security/?$' || true)"
  printf '%s\n' "${uri:-http://deb.debian.org/debian-security}"
}

# build_base DIR: run DIR/mkimage.sh (debootstrap + docker import) when its recipe changed.
build_base() {
  local dir="$1" name hash mirror security old started=$SECONDS
  name="$(image_tag "$dir")" mirror="$(debian_mirror)" security="$(security_mirror)"
  hash="$(printf '%s\n' "$(context_hash "$dir")" "$mirror" "$security" | sha256sum | cut -d' ' -f1)"
  if up_to_date "$name" "$hash"; then
    log "test image $name: up to date"
    return 0
  fi
  log "test image $name: building (debootstrap from $mirror)"
  old="$(docker image inspect -f '{{ .Id }}' "$name" 2>/dev/null || true)"
  bash "$dir/mkimage.sh" "$name" "$HASH_LABEL=$hash" "$mirror" "$security"
  drop_replaced "$old" "$name"
  log "test image $name: built in $((SECONDS - started)) s"
}

# The ids of the berth-test/* images a Dockerfile builds FROM (part of its hash).
parent_ids() {
  local parent
  sed -nE 's/^FROM[[:space:]]+(berth-test\/[^[:space:]]+).*/\1/Ip' "$1/Dockerfile" | while read -r parent; do
    docker image inspect -f '{{ .Id }}' "$parent" 2>/dev/null || die "$1/Dockerfile: base image $parent is missing"
  done
}

build_image() {
  local dir="$1" busybox="$2" name hash parents old output started=$SECONDS
  name="$(image_tag "$dir")" parents="$(parent_ids "$dir")"
  # Only the FROM-scratch images carry the host's busybox-static (the file is git-ignored).
  if grep -qE '^COPY[[:space:]]+busybox[[:space:]]' "$dir/Dockerfile"; then
    cmp -s "$busybox" "$dir/busybox" || cp "$busybox" "$dir/busybox"
  fi
  hash="$(context_hash "$dir")"
  [[ -z "$parents" ]] || hash="$(printf '%s\n' "$hash" "$parents" | sha256sum | cut -d' ' -f1)"
  if up_to_date "$name" "$hash"; then
    log "test image $name: up to date"
    return 0
  fi
  log "test image $name: building"
  old="$(docker image inspect -f '{{ .Id }}' "$name" 2>/dev/null || true)"
  if ! output="$(DOCKER_BUILDKIT=0 docker build --label "$HASH_LABEL=$hash" -t "$name" "$dir" 2>&1)"; then
    tail -n 40 <<<"$output" >&2
    die "test image $name: build failed"
  fi
  drop_replaced "$old" "$name"
  log "test image $name: built in $((SECONDS - started)) s"
}

main() {
  local busybox dir pid pids=() failed=0
  busybox="$(find_busybox)"
  # Base images first: the Dockerfiles build FROM them.
  for dir in "$here"/test-images/*/; do
    if [[ -f "$dir/mkimage.sh" ]]; then build_base "${dir%/}"; fi
  done
  # Then the Dockerfile images side by side (each mostly waits on apt and dpkg), so a Dockerfile
  # may build FROM a base image but not FROM another Dockerfile's image.
  for dir in "$here"/test-images/*/; do
    if [[ -f "$dir/Dockerfile" ]]; then
      build_image "${dir%/}" "$busybox" &
      pids+=("$!")
    fi
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=$((failed + 1)); done
  ((failed == 0)) || die "$failed test image(s) failed to build"
}

main
