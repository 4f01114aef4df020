#!/usr/bin/env bash
# `npm test`: bootstrap the host (with test packages), then run every test tier against a
# fresh database. Stops at the first failing step with its exit code.
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

TEST_DB=berth_test
# The e2e run gets its own empty database: its first sign-up must find no users.
E2E_DB=berth_e2e
# The build-isolation step's server: its own database (see that step).
BUILD_DB=berth_build_test
started=$SECONDS
step_no=0
step_name=""
timings=()

on_exit() {
  local rc=$?
  ((rc == 0)) && return 0
  [[ -z "$step_name" ]] || printf '[berth] step %s (%s) failed with exit %s\n' "$step_no" "$step_name" "$rc" >&2
  printf '[berth] TESTS FAILED (exit %s) after %s s\n' "$rc" "$((SECONDS - started))" >&2
}
trap on_exit EXIT

# step NAME CMD...: announce, run and time CMD in this shell. Under `set -e` the first
# failure ends the script; on_exit names the step.
step() {
  local t0=$SECONDS
  step_name="$1" step_no=$((step_no + 1))
  shift
  printf '\n[berth] ==> step %s: %s\n' "$step_no" "$step_name"
  "$@"
  timings+=("$(printf '%4s s  %s' "$((SECONDS - t0))" "$step_name")")
  step_name=""
}

chromium_path() {
  local candidate
  for candidate in /usr/lib/chromium/chromium /usr/bin/chromium; do
    if [[ -x "$candidate" ]]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  die "chromium not found (expected /usr/lib/chromium/chromium or /usr/bin/chromium)"
}

require_node
step "bootstrap the host (--with-test)" bash "$here/bootstrap.sh" --with-test
step "install dependencies (if needed)" npm_ci_if_needed
step "build test images" bash "$here/build-test-images.sh"
step "create a fresh $TEST_DB database" fresh_db "$TEST_DB"

BERTH_SECRET="$(openssl rand -hex 32)"
BERTH_CHROMIUM="$(chromium_path)"
export BERTH_SECRET BERTH_CHROMIUM
export NODE_ENV=test NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
export BERTH_PORT=3100 BERTH_HOST=127.0.0.1 BERTH_PUBLIC_URL=http://127.0.0.1:3100
export BERTH_TEST_IMAGE=berth-test/hello:latest
# The tests' own dashboard build (apps/web/.next-test), ports (3100, the proxy's from e2e/) and
# databases: a Berth running from this checkout keeps serving its own build (.next-live).
export BERTH_WEB_DIST_DIR=.next-test
cd "$BERTH_REPO"

step "prisma generate" npm run generate --workspace @berth/db
step "migrate deploy" npm run migrate:deploy --workspace @berth/db
step "migration drift check" npm run migrate:drift --workspace @berth/db
step "format check (prettier; npm run format fixes it)" npm run -s format:check
step "lint + typecheck" npx turbo run lint typecheck
reports="$(mktemp -d)"
step "unit tests" npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$reports/unit.json"
step "integration tests" npx vitest run --project int --project int-alone --reporter=default --reporter=json --outputFile.json="$reports/int.json"
export BERTH_FAULT_REPORT="$reports/faults.txt"
step "fault suite (npm run test:faults)" npx vitest run --project faults --reporter=default --reporter=json --outputFile.json="$reports/faults.json"
step "build" npx turbo run build
# The build-isolation server runs on a database of its own: on the integration files' database
# its boot reconcile pass made their projects' networks again (one /24 of the pool each, left behind).
step "create a fresh $BUILD_DB database (the build-isolation server's)" fresh_db "$BUILD_DB"
step "migrate $BUILD_DB" npm run migrate:deploy --workspace @berth/db
step "build isolation (a test build while a server runs)" npx vitest run --project build
step "create a fresh $E2E_DB database (the server migrates it at start)" fresh_db "$E2E_DB"
step "e2e tests (Playwright, Chromium)" env PLAYWRIGHT_JSON_OUTPUT_FILE="$reports/e2e.json" \
  npm run test --workspace @berth/e2e -- --reporter=list,json

printf '\n[berth] fault suite figures:\n'
sed 's/^/[berth] /' "$reports/faults.txt" 2>/dev/null || true
printf '\n[berth] step timings:\n'
printf '[berth] %s\n' "${timings[@]}"
printf '[berth] ALL TESTS PASSED: %s steps in %s s\n' "$step_no" "$((SECONDS - started))"
node "$here/lib/tally.js" "$reports/unit.json" "$reports/int.json" "$reports/faults.json" "$reports/e2e.json"
