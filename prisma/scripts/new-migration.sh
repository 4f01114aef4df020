#!/usr/bin/env bash
# Create a migration from the difference between prisma/migrations and schema.prisma.
# (`prisma migrate dev --create-only` crashes on the WASM engine; this is the offline route.)
# Usage: npm run migrate:new --workspace @berth/db -- <snake_case_name>
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: new-migration.sh <snake_case_name>}"
[[ "$name" =~ ^[a-z0-9_]+$ ]] || { echo "migration name must be snake_case" >&2; exit 2; }
dir="migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
mkdir -p "$dir"
bash scripts/migrate-cli.sh migrate diff --from-migrations migrations --to-schema-datamodel .migrate-schema.prisma --script > "$dir/migration.sql"
echo "wrote $dir/migration.sql"
