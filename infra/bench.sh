#!/usr/bin/env bash
# Benchmarks (print figures, assert nothing), each next to a raw baseline measured in the same
# run: deploy-to-HTTP-200 (image), git deploy vs clone+build+run, log throughput and latency vs
# docker logs, edge proxy latency p50/p99 vs the container directly; backup/restore MB/s vs
# pg_dump/pg_restore in the same container; a rolling redeploy of 3 replicas on a 3-node Swarm vs
# `docker service update --force`; the overview with 50
# services (tRPC p95, first meaningful content in Chromium). Usage: bash infra/bench.sh [runs]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
source "$here/lib/common.sh"
# shellcheck source=lib/config.sh
source "$here/lib/config.sh"
# shellcheck source=lib/postgres.sh
source "$here/lib/postgres.sh"
# shellcheck source=lib/testdb.sh
source "$here/lib/testdb.sh"

require_node
bash "$here/bootstrap.sh" --with-test
npm_ci_if_needed
bash "$here/build-test-images.sh"
BERTH_SECRET="$(openssl rand -hex 32)"
# Its own dashboard build, port (3190) and database: a running Berth keeps its build (.next-live).
export BERTH_SECRET NODE_ENV=test CHECKPOINT_DISABLE=1 BERTH_WEB_DIST_DIR=.next-bench
cd "$BERTH_REPO"
# A migrated, empty berth_bench (exported as DATABASE_URL): the first user signed up on it is the
# instance owner.
fresh_bench_db() {
  fresh_db berth_bench
  npm run -s migrate:deploy --workspace @berth/db >/dev/null
}
fresh_bench_db
npm run -s generate --workspace @berth/db >/dev/null
# The production build of this checkout, first: the cluster benchmark starts the whole app (whose
# dashboard needs the web build in .next-bench) and the overview one loads the real dashboard in
# Chromium (turbo rebuilds only what changed; a stale build would measure old pages).
npx turbo run build
node --import tsx apps/server/bench/deploy-latency.ts "${1:-21}"
node --import tsx apps/server/bench/git-deploy.ts "${1:-5}"
node --import tsx apps/server/bench/log-stream.ts
node --import tsx apps/server/bench/proxy-latency.ts
node --import tsx apps/server/bench/stateful.ts "${1:-3}"
node --import tsx apps/server/bench/backup-throughput.ts 200
# Three engines in network namespaces formed into a Swarm through the API (needs root, like bootstrap),
# by the owner of a fresh instance (only the owner adds servers).
fresh_bench_db
node --import tsx apps/server/bench/cluster-deploy.ts "${1:-5}"
fresh_bench_db
BERTH_CHROMIUM="${BERTH_CHROMIUM:-/usr/lib/chromium/chromium}" node --import tsx apps/server/bench/overview.ts
# The control plane at rest on the overview's 50 services: the built server vs the sources through tsx.
node --import tsx apps/server/bench/server-memory.ts
