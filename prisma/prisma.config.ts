import { defineConfig } from "prisma/config";

// Prisma 7's CLI generates the client (`npm run generate`); migrations run on Prisma 6.19's CLI
// (scripts/migrate-cli.sh, prisma.migrate.config.ts), which needs no engine download.
export default defineConfig({
  schema: "schema.prisma",
  migrations: { path: "migrations" },
});
