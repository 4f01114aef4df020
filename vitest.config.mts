import { defineConfig } from "vitest/config";

// Tiers by file suffix: *.test.ts (unit, no I/O) and *.int.test.ts (real Postgres and
// Docker Engine). e2e/ belongs to Playwright.
const exclude = ["**/node_modules/**", "**/.next/**", "e2e/**"];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["{apps,engine,prisma}/**/*.test.ts"],
          exclude: [...exclude, "**/*.int.test.ts"],
        },
      },
      {
        test: {
          name: "int",
          include: ["{apps,engine,prisma}/**/*.int.test.ts"],
          exclude,
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // Each file starts from an idle deployment queue (see the file).
          setupFiles: ["apps/server/test/int-file-setup.ts"],
        },
      },
    ],
  },
});
