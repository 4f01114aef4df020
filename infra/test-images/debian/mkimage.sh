#!/usr/bin/env bash
# berth-test/debian:bookworm: a minimal Debian 12 root (debootstrap --variant=minbase) put into
# the local engine with `docker import` -- no registry involved. The images FROM it install
# Debian packages with `apt-get` (containers reach the archive).
# Usage (as root; run by infra/build-test-images.sh): mkimage.sh TAG LABEL MIRROR [SECURITY_MIRROR]
#   LABEL is key=value, set on the image; MIRROR e.g. http://deb.debian.org/debian.
set -euo pipefail

tag="$1" label="$2" mirror="$3" security="${4:-}"
suite=bookworm

((EUID == 0)) || { echo "mkimage.sh: debootstrap needs root" >&2; exit 1; }
command -v debootstrap >/dev/null 2>&1 ||
  { echo "mkimage.sh: debootstrap not found; install it (bash infra/bootstrap.sh --with-test)" >&2; exit 1; }

root="$(mktemp -d /tmp/berth-debootstrap.XXXXXX)"
log="$root.log"
cleanup() {
  # debootstrap mounts /proc and /sys inside the tree: unmount (deepest first) before deleting,
  # and never delete across a file-system boundary.
  awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/self/mounts | sort -r | xargs -r -n 1 umount -l
  rm -rf --one-file-system "$root" "$log"
}
trap cleanup EXIT

run() {
  "$@" >"$log" 2>&1 || { tail -n 30 "$log" >&2; exit 1; }
}
include=()
[[ "$mirror" == https:* ]] && include=(--include=ca-certificates)
# Two stages, so that dpkg's configuration below already applies when the packages are installed.
run debootstrap --foreign --variant=minbase --components=main "${include[@]}" "$suite" "$root" "$mirror"

# dpkg and apt as in Debian's official container images: no fsync per file (a crash means a
# rebuild anyway), no docs/man pages unpacked, no recommends, no translations, no .deb or
# package cache left behind by installs; services never started.
cat >"$root/etc/dpkg/dpkg.cfg.d/90berth-container" <<'EOF'
force-unsafe-io
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
run chroot "$root" /debootstrap/debootstrap --second-stage

cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
${security:+deb $security $suite-security main}
EOF
cat >"$root/etc/apt/apt.conf.d/90berth-container" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"

# What the engine provides per container, and what debootstrap left: not part of the image.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/log/*.log \
  "$root"/usr/share/man/* "$root"/usr/share/info/* "$root/etc/hostname" "$root/etc/resolv.conf"
find "$root/usr/share/doc" -type f ! -name copyright -delete

tar --numeric-owner -C "$root" -c . |
  docker import \
    --change "LABEL $label" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8' \
    --change 'CMD ["bash"]' \
    --message "debootstrap --variant=minbase $suite $mirror" \
    - "$tag" >/dev/null
