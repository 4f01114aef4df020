/**
 * Runs before every integration file (vitest `setupFiles`; a worker's files run one after another
 * on its database, int-databases.ts). A file that stopped its worker mid-deployment, or wrote a fake
 * in-progress deployment, would otherwise leave queued or "in progress" rows that the next
 * file's worker claims first or counts against the global build limit -- and another file's
 * instance settings would apply. Each file starts from an idle queue and default limits.
 * Earlier files' services are marked stopped: their containers were removed by those files, and
 * a reconciler this file starts (boot recovery included) would otherwise bring them all back.
 * Rate-limit windows live in Postgres (shared by processes): each file starts with fresh budgets,
 * as each process did when they were in memory, so one file's calls never starve the next's.
 * Each file's git services keep their cached checkouts in a directory of the file's own.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { createDb } from "@berth/db";

// The file's git services' cached checkouts (harness.ts testGitCacheDir), gone after the file.
const gitCacheDir = mkdtempSync(path.join(tmpdir(), "berth-test-git-cache-"));
process.env.BERTH_TEST_GIT_CACHE_DIR = gitCacheDir;
afterAll(() => rmSync(gitCacheDir, { recursive: true, force: true }));

beforeAll(async () => {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const db = createDb(url);
  try {
    await db.deployment.updateMany({
      where: { status: { in: ["queued", "cloning", "building", "releasing"] } },
      data: { status: "failed", error: "Left unfinished by an earlier test file", finishedAt: new Date() },
    });
    // baseDomain too: a file that set one must not change another's default domains.
    await db.instanceSettings.updateMany({ data: { buildConcurrency: null, dashboardDomain: "", baseDomain: "" } });
    await db.service.updateMany({ where: { desiredState: "running" }, data: { desiredState: "stopped" } });
    await db.rateWindow.deleteMany({});
    await db.rateLimit.deleteMany({});
  } finally {
    await db.$disconnect();
  }
});
