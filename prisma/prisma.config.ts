import { defineConfig } from "prisma/config";
import { migrateAdapter } from "./src/migrate-adapter.ts";
import { requireDatabaseUrl } from "./src/pg-config.ts";

// Prisma's CLI runs on its bundled WASM schema engine through a driver adapter: no native
// engine download, so migrations work offline.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "schema.prisma",
  migrations: { path: "migrations" },
  adapter: async () => migrateAdapter(requireDatabaseUrl()),
});
