import { defineConfig } from "prisma-migrate/config";
import { migrateAdapter } from "./src/migrate-adapter.ts";
import { requireDatabaseUrl } from "./src/pg-config.ts";

// Prisma 6.19's CLI (scripts/migrate-cli.sh) runs on its bundled WASM schema engine through a
// driver adapter: no native engine download, so migrations work offline. Its schema is
// schema.prisma with the datasource URL it needs (written by migrate-cli.sh).
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: ".migrate-schema.prisma",
  migrations: { path: "migrations" },
  adapter: async () => migrateAdapter(requireDatabaseUrl()),
});
