import type { ContainerEngine } from "@berth/engine";
import type { RunDeps } from "./run-context.ts";
import { buildRepository } from "./build-stage.ts";
import { keptDeployments, keptTags } from "./retained-images.ts";

/**
 * After a successful deployment: keep the images of the service's last `BERTH_RETAIN_RELEASES`
 * releases (what rollback can reach; a job, which records no release, its last succeeded runs)
 * and of its queued/in-progress deployments (a queued rollback's image); remove its other build
 * images (`berth-build/<serviceId>:*`, e.g. older releases and builds whose release failed) and
 * its other `berth-release/` tags (one per deployment: an image redeployed keeps only those);
 * then, after a deployment that `built`, shrink the builder's cache to `BERTH_BUILD_CACHE_GB`
 * (only a build grows it; the prune costs the engine ~50 ms, and an image deploy's next
 * deployment of the service waited for it). On a standalone server (`server`: its engine) its
 * copies are pruned the same way. Images a container still uses are never forced out; volumes
 * are never touched.
 */
export async function applyImageRetention(
  deps: Pick<RunDeps, "db" | "engine" | "env">,
  service: { id: string; job: boolean },
  built: boolean,
  server?: ContainerEngine,
): Promise<{ removed: string[]; failures: string[]; reclaimedBytes: number }> {
  const serviceId = service.id;
  const kept = await keptDeployments(deps.db, service, deps.env.BERTH_RETAIN_RELEASES);
  const repository = buildRepository(serviceId);
  const { keepTags } = keptTags(serviceId, kept);
  const keepReleases = kept.map((r) => r.id);
  const removed: string[] = [];
  const failures: string[] = [];
  // A standalone server's copies (builds loaded there, its release tags) alike.
  for (const engine of server ? [deps.engine, server] : [deps.engine]) {
    for (const pruned of [await engine.pruneRepositoryImages(repository, keepTags), await engine.pruneImages(serviceId, keepReleases)]) {
      removed.push(...pruned.removed);
      failures.push(...pruned.failures);
    }
  }
  // BuildKit keeps layers apart from images: removing images alone would let the cache grow.
  const cache = built ? await deps.engine.pruneBuildCache(Math.floor(deps.env.BERTH_BUILD_CACHE_GB * 1024 ** 3)) : { reclaimedBytes: 0 };
  return { removed, failures, reclaimedBytes: cache.reclaimedBytes };
}

/** Retention after a success; never fails the deployment (it is already live), only logs. */
export async function retainImagesAfterSuccess(
  deps: Pick<RunDeps, "db" | "engine" | "env" | "log">,
  service: { id: string; job: boolean },
  built: boolean,
  server?: ContainerEngine,
): Promise<void> {
  const serviceId = service.id;
  try {
    const { removed, failures, reclaimedBytes } = await applyImageRetention(deps, service, built, server);
    if (removed.length > 0 || reclaimedBytes > 0)
      deps.log.info({ serviceId, removed, reclaimedBytes }, "image retention removed old images and build cache");
    if (failures.length > 0) deps.log.warn({ serviceId, failures }, "image retention could not remove some images");
  } catch (err) {
    deps.log.warn({ serviceId, err: String(err) }, "image retention failed");
  }
}

/** Whether a release (by number) is still retained, i.e. among the newest `keep` of its service. PURE. */
export function isRetained(number: number, newestNumber: number, keep: number): boolean {
  return number > newestNumber - keep;
}
