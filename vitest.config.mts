import { defineConfig } from "vitest/config";
import { INT_WORKERS } from "./apps/server/test/int-databases.ts";

// Tiers by file suffix: *.test.ts (unit, no I/O), *.int.test.ts (real Postgres and
// Docker Engine) and *.fault.test.ts (the fault suite). e2e/ belongs to Playwright.
const exclude = ["**/node_modules/**", "**/.next/**", "**/.next-*/**", "e2e/**"];

/**
 * Integration files that change what every file on the machine shares, so nothing may run beside
 * them (docs/architecture.md, Tests): each line says what it changes.
 */
const RUN_ALONE = [
  // A Docker Engine of its own (private-dockerd.ts), killed and restarted; its bridges and
  // user networks are host interfaces and routes, picked among the ranges not routed yet.
  "apps/server/src/reconcile/engine-restart.int.test.ts",
  "apps/server/src/instance/archive/move-instance.int.test.ts",
  // A private dockerd too (a build-cache prune that must free something, on a cache of its own).
  "engine/test/build-cache.int.test.ts",
  // A real reclaim over the whole engine (every Berth repository beyond 5 images, dangling images).
  "apps/server/src/host/reclaim.int.test.ts",
  // Measures throughput through the proxy (>= 50 req/s) across 10 redeploys in a test timeout:
  // the CPU is what it shares with a file beside it (it timed out with one beside it, under load).
  "apps/server/src/proxy/zero-downtime.int.test.ts",
  // Measures throughput (>= 50 req/s) through three harness engines' edges across rolling updates
  // and a drain: the CPU is what it shares with a file beside it.
  "apps/server/src/cluster/routing/cluster-routing.int.test.ts",
];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["{apps,engine,prisma}/**/*.test.ts"],
          // Files share their worker's module cache (no vi.mock or stubbed globals here): a fresh
          // process per file made the tier 62 s on 2 cores instead of 9; its tests take 4.
          isolate: false,
          exclude: [...exclude, "**/*.int.test.ts", "**/*.build.test.ts", "**/*.fault.test.ts"],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Integration files in parallel, each worker on a database of its own
        // (apps/server/test/int-databases.ts); the rule a file must follow to be here is in
        // docs/architecture.md (Tests). Files that break it run afterwards in `int-alone`.
        test: {
          name: "int",
          include: ["{apps,engine,prisma}/**/*.int.test.ts"],
          exclude: [...exclude, ...RUN_ALONE],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          maxWorkers: INT_WORKERS,
          // A worker runs its files one after another in one process (module cache kept): a new
          // process and module graph per file cost ~130 s of the tier's ~950 s on 2 cores, where
          // every page fault is dear. Nothing here mocks modules or changes process.env; a file's
          // state lives in its own `testDeps()` and is closed in its afterAll.
          isolate: false,
          sequence: { groupOrder: 1 },
          globalSetup: ["apps/server/test/int-databases.ts"],
          // Each file starts from an idle deployment queue (see the file), on its worker's database.
          setupFiles: ["apps/server/test/int-worker-db.ts", "apps/server/test/int-file-setup.ts"],
        },
      },
      {
        // After `int` (groupOrder), one file at a time on the run's own database: nothing else runs
        // beside them. `npx vitest run --project 'int*' PATH` runs a file of either project.
        test: {
          name: "int-alone",
          include: RUN_ALONE,
          exclude,
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
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
          sequence: { groupOrder: 3 },
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
          sequence: { groupOrder: 4 },
        },
      },
    ],
  },
});
