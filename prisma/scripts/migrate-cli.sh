#!/usr/bin/env bash
# Prisma's migrate commands (deploy, diff, dev): `migrate-cli.sh migrate deploy`.
# The client is Prisma 7 (its query plans are cached), but Prisma 7's CLI needs a native schema
# engine it downloads at first use, and there is no download here. Prisma 6.19's CLI (installed as
# `prisma-migrate`) runs the same migrations on the WASM schema engine bundled in it, through a
# driver adapter (prisma.migrate.config.ts, src/migrate-adapter.ts). It reads the datasource's URL
# from the schema, which Prisma 7 refuses there: it gets a copy of schema.prisma with that line
# (.migrate-schema.prisma, not checked in). Migrations are the same SQL either way.
set -euo pipefail
cd "$(dirname "$0")/.."
# Written beside and renamed over: a server's start and the tests may migrate from one checkout at
# once, and neither may read the other's half-written copy.
copy="$(mktemp .migrate-schema.XXXXXX)"
awk '{ print } /^datasource db \{/ { print "  url      = env(\"DATABASE_URL\")" }' schema.prisma >"$copy"
mv -f "$copy" .migrate-schema.prisma
cli="$(node -p 'require.resolve("prisma-migrate/build/index.js")')"
export NODE_OPTIONS=--require=./scripts/unref-engine-timers.cjs CHECKPOINT_DISABLE=1
exec node "$cli" "$@" --config prisma.migrate.config.ts
