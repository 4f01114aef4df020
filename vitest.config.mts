import { defineConfig } from "vitest/config";

// Tiers by file suffix: *.test.ts (unit, no I/O), *.int.test.ts (real Postgres and
// Docker Engine) and *.fault.test.ts (the fault suite). e2e/ belongs to Playwright.
const exclude = ["**/node_modules/**", "**/.next/**", "**/.next-*/**", "e2e/**"];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["{apps,engine,prisma}/**/*.test.ts"],
          exclude: [...exclude, "**/*.int.test.ts", "**/*.build.test.ts", "**/*.fault.test.ts"],
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
      {
        // The fault suite (`npm run test:faults`, also a step of infra/test.sh): real faults
        // injected (processes killed, the proxy lost, floods), recovery asserted, a figure each.
        test: {
          name: "faults",
          include: ["apps/**/*.fault.test.ts"],
          exclude,
          testTimeout: 300_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          setupFiles: ["apps/server/test/int-file-setup.ts"],
        },
      },
      {
        // After the test build (infra/test.sh): the production server of a normal build stays
        // styled while the test build runs beside it.
        test: {
          name: "build",
          include: ["apps/**/*.build.test.ts"],
          exclude,
          testTimeout: 600_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
