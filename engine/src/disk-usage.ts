/**
 * The engine's disk use (`/system/df`, `/info`) and the space reclaim built on planReclaim:
 * a dry run lists what would go; a real run removes exactly those image tags / dangling images
 * (the engine refuses any a container uses) and prunes the listed build cache. Never volumes.
 */
import type { EngineApi } from "./engine-api.ts";
import { engineMessage } from "./errors.ts";
import { planReclaim, type DfBuildCache, type DfImage, type ReclaimPlan } from "./reclaim-plan.ts";

interface RawDf {
  LayersSize?: number;
  Images?: Array<{
    Id: string;
    RepoTags?: string[] | null;
    Created?: number;
    Size?: number;
    SharedSize?: number;
    Containers?: number;
  }> | null;
  Containers?: Array<{ SizeRw?: number }> | null;
  Volumes?: Array<{ UsageData?: { Size?: number } | null }> | null;
  BuildCache?: Array<{
    ID: string;
    Size?: number;
    InUse?: boolean;
    LastUsedAt?: string | null;
    CreatedAt?: string | null;
    Description?: string;
  }> | null;
}

export interface EngineDiskUsage {
  /** The engine's data directory (e.g. /var/lib/docker). */
  dataRoot: string;
  imagesBytes: number;
  containersBytes: number;
  volumesBytes: number;
  buildCacheBytes: number;
  images: DfImage[];
  buildCache: DfBuildCache[];
}

export interface ReclaimOptions {
  dryRun: boolean;
  /**
   * Berth's repositories whose other tags go, and the tags kept in them (the services' retained
   * releases and deployments in flight: see planReclaim).
   */
  retain: { repositories: readonly string[]; keepTags: readonly string[] };
  /** Dangling images and stale build cache too (default true). */
  sweep?: boolean;
  /** Dangling images and build cache unused for longer than this go (default 24 h). */
  maxAgeMs?: number;
}

export interface ReclaimResult extends ReclaimPlan {
  dryRun: boolean;
  /** Bytes the engine reported freed (real runs). */
  freedBytes: number;
  failures: string[];
}

export const DEFAULT_RECLAIM_MAX_AGE_MS = 24 * 3600 * 1000;

export async function diskUsage(api: EngineApi): Promise<EngineDiskUsage> {
  const [df, info] = await Promise.all([
    api.call("disk usage", "engine", (abortSignal) =>
      api.dial<RawDf>({ path: "/system/df?", method: "GET", abortSignal, statusCodes: { 200: true, 500: "server error" } }),
    ),
    api.call("engine info", "engine", (abortSignal) =>
      api.dial<{ DockerRootDir?: string }>({ path: "/info", method: "GET", abortSignal, statusCodes: { 200: true, 500: "server error" } }),
    ),
  ]);
  const images: DfImage[] = (df.Images ?? []).map((i) => ({
    id: i.Id,
    tags: i.RepoTags ?? [],
    created: i.Created ?? 0,
    sizeBytes: i.Size ?? 0,
    sharedBytes: i.SharedSize ?? 0,
    containers: i.Containers ?? -1,
  }));
  const buildCache: DfBuildCache[] = (df.BuildCache ?? []).map((c) => ({
    id: c.ID,
    sizeBytes: c.Size ?? 0,
    inUse: c.InUse ?? false,
    lastUsedAt: c.LastUsedAt ?? null,
    createdAt: c.CreatedAt ?? null,
    description: c.Description ?? "",
  }));
  return {
    dataRoot: info.DockerRootDir ?? "/var/lib/docker",
    imagesBytes: df.LayersSize ?? 0,
    containersBytes: (df.Containers ?? []).reduce((n, c) => n + (c.SizeRw ?? 0), 0),
    volumesBytes: (df.Volumes ?? []).reduce((n, v) => n + Math.max(0, v.UsageData?.Size ?? 0), 0),
    buildCacheBytes: buildCache.reduce((n, c) => n + c.sizeBytes, 0),
    images,
    buildCache,
  };
}

async function removeImage(api: EngineApi, ref: string): Promise<void> {
  await api.call("remove image", ref, (abortSignal) => api.docker.getImage(ref).remove({ noprune: false, abortSignal }));
}

export async function reclaimSpace(api: EngineApi, options: ReclaimOptions): Promise<ReclaimResult> {
  const usage = await diskUsage(api);
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_RECLAIM_MAX_AGE_MS;
  const plan = planReclaim({
    images: usage.images,
    buildCache: usage.buildCache,
    retain: options.retain,
    sweep: options.sweep ?? true,
    maxAgeMs,
    now: Date.now(),
  });
  if (options.dryRun) return { ...plan, dryRun: true, freedBytes: 0, failures: [] };
  const failures: string[] = [];
  let freedBytes = 0;
  for (const image of plan.images) {
    let removedAll = true;
    // Tags are removed one by one (never by id with force): an image another tag holds stays.
    for (const ref of image.tags.length > 0 ? image.tags : [image.id]) {
      try {
        await removeImage(api, ref);
      } catch (err) {
        removedAll = false;
        failures.push(`${ref}: ${engineMessage(err)}`);
      }
    }
    if (removedAll) freedBytes += image.sizeBytes;
  }
  if (plan.buildCache.length > 0) {
    const until = `${Math.floor(maxAgeMs / 1000)}s`;
    try {
      const pruned = await api.call("prune build cache", "engine", (abortSignal) =>
        api.dial<{ SpaceReclaimed?: number }>({
          path: "/build/prune?",
          method: "POST",
          options: { filters: JSON.stringify({ until: [until] }) },
          abortSignal,
          statusCodes: { 200: true, 500: "server error" },
        }),
      );
      freedBytes += pruned.SpaceReclaimed ?? 0;
    } catch (err) {
      failures.push(`build cache: ${engineMessage(err)}`);
    }
  }
  return { ...plan, dryRun: false, freedBytes, failures };
}
