#!/usr/bin/env bash
# The production server's one launch line, shared by `npm run up` (infra/lib/server.sh), the
# systemd unit (infra/berth.service), `npm start`, the e2e server and the memory benchmark: node on
# the built dist/ with the memory settings that keep the control plane under 200 MB at rest
# (bench/server-memory.ts prints it with and without them):
# - MALLOC_ARENA_MAX=2: glibc's default is up to 8 malloc arenas per core for the threads
#   (libuv's pool, Prisma's engine); two are plenty here (about 10 MB less);
# - --max-semi-space-size=2: V8's young generation stays at 2 MB per semi-space instead of
#   growing to 16 MB (about 20 MB less), at the cost of more, shorter scavenges.
# AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: the S3 client (backups) warns at every start
# on Node < 22 that SDK releases after January 2027 will need Node 22; the SDK's version is pinned
# by package-lock.json and moves with Node, so the warning only alarms newcomers reading the log.
# `exec`: no shell stays resident beside node. Arguments are passed on to the server.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED="${AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED:-true}"
exec node --max-semi-space-size=2 dist/main.js "$@"
