#!/bin/sh
# Entry point of berth-test/hello (see Dockerfile). Exits promptly on SIGTERM/SIGINT.
set -eu

mkdir -p /www
printf '<!doctype html>\n<title>hello</title>\n<h1>%s</h1>\n' "${GREETING:-hello from berth}" >/www/index.html
# A page under /api/ too, so a path-prefix route can be told from its host's other service.
mkdir -p /www/api
printf '%s under /api/\n' "${GREETING:-hello from berth}" >/www/api/index.html

httpd -f -p 8080 -h /www &
httpd_pid=$!
trap 'kill "$httpd_pid" 2>/dev/null; exit 0' TERM INT

n=0
while :; do
  n=$((n + 1))
  echo "hello line $n"
  if [ $((n % 5)) -eq 0 ]; then
    echo "hello line $n" >&2
  fi
  # In the background and waited for: a trapped TERM interrupts `wait` at once, whereas the
  # shell would run the trap only after a foreground sleep ended (up to 0.5 s per stop).
  sleep 0.5 &
  wait $! || true
done
