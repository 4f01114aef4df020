/**
 * What a space reclaim removes, from the engine's disk-usage report. PURE. In the repositories of
 * Berth's services (`berth-release/<service>`, `berth-build/<service>`), every tag but the ones
 * the caller keeps (its services' retained releases and deployments in flight: the same set the
 * retention after each deployment keeps); with `sweep`, untagged (dangling) images and unused
 * build cache older than the retention age. Never an image a container was created from, never
 * a user's tagged image or a repository not listed (another Berth's on a shared engine), never a
 * volume.
 */
import { RELEASE_REPOSITORY_PREFIX } from "./release-images.ts";
import { OWNED_IMAGE_PREFIX } from "./remove-images.ts";

export const RECLAIM_PREFIXES = [RELEASE_REPOSITORY_PREFIX, OWNED_IMAGE_PREFIX] as const;

export interface DfImage {
  id: string;
  tags: string[];
  /** Unix seconds. */
  created: number;
  sizeBytes: number;
  /** Bytes shared with other images (not freed by removing this one). */
  sharedBytes: number;
  /** Containers (any state) created from it; -1 when the engine did not count. */
  containers: number;
}

export interface DfBuildCache {
  id: string;
  sizeBytes: number;
  inUse: boolean;
  /** ISO time; null when never used. */
  lastUsedAt: string | null;
  createdAt: string | null;
  /** What made it, e.g. "mount / from exec /bin/sh -c make". */
  description?: string;
}

export interface ReclaimPlanInput {
  images: DfImage[];
  buildCache: DfBuildCache[];
  /** The repositories whose tags are retained by the caller, and the tags it keeps in them. */
  retain: { repositories: readonly string[]; keepTags: readonly string[] };
  /** Dangling images and build cache unused for longer than maxAgeMs go too. */
  sweep: boolean;
  maxAgeMs: number;
  now: number;
}

export interface ReclaimImage {
  id: string;
  /** The tags removed (empty: a dangling image removed by id). */
  tags: string[];
  /** Bytes freed when the image goes (0 when another tag still holds it). */
  sizeBytes: number;
  reason: "beyond-retention" | "dangling";
}

export interface ReclaimPlan {
  images: ReclaimImage[];
  buildCache: DfBuildCache[];
  totalBytes: number;
}

const repositoryOf = (tag: string): string => tag.slice(0, tag.lastIndexOf(":"));
const isBerthTag = (tag: string): boolean => RECLAIM_PREFIXES.some((p) => tag.startsWith(p));
const isDangling = (img: DfImage): boolean => img.tags.every((t) => t === "<none>:<none>");
const uniqueBytes = (img: DfImage): number => Math.max(0, img.sizeBytes - Math.max(0, img.sharedBytes));

function beyondRetention(input: ReclaimPlanInput): ReclaimImage[] {
  const repositories = new Set(input.retain.repositories);
  const keep = new Set(input.retain.keepTags);
  return input.images.flatMap((img) => {
    if (img.containers !== 0) return [];
    const tags = img.tags.filter((t) => isBerthTag(t) && repositories.has(repositoryOf(t)) && !keep.has(t)).sort();
    if (tags.length === 0) return [];
    // Bytes are freed only when no other tag (a user's, or a kept one) holds the image.
    const freed = tags.length === img.tags.length ? uniqueBytes(img) : 0;
    return [{ id: img.id, tags, sizeBytes: freed, reason: "beyond-retention" as const }];
  });
}

export function planReclaim(input: ReclaimPlanInput): ReclaimPlan {
  const cutoff = input.now - input.maxAgeMs;
  const images = beyondRetention(input);
  let buildCache: DfBuildCache[] = [];
  if (input.sweep) {
    for (const img of input.images) {
      if (isDangling(img) && img.containers === 0 && img.created * 1000 < cutoff)
        images.push({ id: img.id, tags: [], sizeBytes: uniqueBytes(img), reason: "dangling" });
    }
    buildCache = input.buildCache.filter((c) => !c.inUse && Date.parse(c.lastUsedAt ?? c.createdAt ?? "") < cutoff);
  }
  const totalBytes = images.reduce((n, i) => n + i.sizeBytes, 0) + buildCache.reduce((n, c) => n + c.sizeBytes, 0);
  return { images, buildCache, totalBytes };
}
