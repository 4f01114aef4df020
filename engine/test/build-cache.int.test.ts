/**
 * Pruning the builder's cache to a budget. A budget that must free something would prune the
 * LEAST recently used records of whatever engine it runs on, and the host's cache belongs to other
 * test runs and sessions too: the prune runs on a private dockerd (its cache is this file's alone),
 * which is why this file is in RUN_ALONE (vitest.config.mts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrivateDockerd, type PrivateDockerd } from "../../apps/server/test/private-dockerd.ts";
import { DockerEngine } from "../src/index.ts";
import { rejectionOf, uniqueId } from "./support/hello-image.ts";

const MIB = 1024 ** 2;
let dockerd: PrivateDockerd;

beforeAll(async () => {
  dockerd = await startPrivateDockerd();
  await dockerd.loadImages(["berth-test/hello:latest"]);
}, 120_000);

afterAll(async () => {
  await dockerd?.close();
});

/**
 * A build whose one RUN step writes `mib` MiB of random data: a cache record of that size. Its
 * image is removed again, as image retention does with old builds: the engine never prunes (nor
 * counts against the budget) a record an image still shares, so what a prune frees is the cache
 * of removed images.
 */
async function buildBlob(name: string, mib: number): Promise<void> {
  const tag = `berth-test/${uniqueId(`${name}-`)}:1`;
  await dockerd.engine.buildImage({
    tag,
    files: [{ name: "Dockerfile", data: `FROM berth-test/hello:latest\nRUN dd if=/dev/urandom of=/${name} bs=1M count=${mib}\n` }],
    timeoutMs: 60_000,
  });
  await dockerd.api("DELETE", `/images/${encodeURIComponent(tag)}`);
}

const cacheOf = async (name: string) =>
  (await dockerd.engine.diskUsage()).buildCache.filter((r) => (r.description ?? "").includes(`of=/${name}`));

describe("pruneBuildCache", () => {
  it("prunes the cache down to the budget, least recently used first, and reports what it freed", async () => {
    await buildBlob("older", 8);
    await buildBlob("newer", 8);
    const [older] = await cacheOf("older");
    const [newer] = await cacheOf("newer");
    expect(older?.sizeBytes).toBeGreaterThanOrEqual(8 * MIB);
    expect(newer?.sizeBytes).toBeGreaterThanOrEqual(8 * MIB);
    const total = (await dockerd.engine.diskUsage()).buildCacheBytes;

    // Room for one of the two records: the older goes, the newer stays.
    const budget = total - 4 * MIB;
    const result = await dockerd.engine.pruneBuildCache(budget);
    expect(result.reclaimedBytes).toBeGreaterThanOrEqual(older!.sizeBytes);
    expect(await cacheOf("older")).toEqual([]);
    expect(await cacheOf("newer")).toHaveLength(1);
    expect((await dockerd.engine.diskUsage()).buildCacheBytes).toBeLessThanOrEqual(budget);

    // Within the budget already: nothing more goes.
    expect(await dockerd.engine.pruneBuildCache(budget)).toEqual({ reclaimedBytes: 0 });
    expect(await cacheOf("newer")).toHaveLength(1);
  }, 180_000);

  it("refuses a budget that is not a whole number of bytes before calling the engine", async () => {
    // No engine behind this client: the refusal cannot come from an engine.
    const absent = new DockerEngine({ socketPath: `${dockerd.dir}/no-such.sock` });
    for (const bad of [-1, 1.5, Number.NaN]) expect((await rejectionOf(() => absent.pruneBuildCache(bad))).code).toBe("INVALID");
  });
});
