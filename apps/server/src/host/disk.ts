/**
 * Host disk use: the filesystem of the engine's data root (statfs) with a warning threshold,
 * and the engine's own accounting (/system/df) by kind. Read at most every 30 s.
 */
import { existsSync } from "node:fs";
import { statfs } from "node:fs/promises";
import type { Deps } from "../deps.ts";

export const DEFAULT_DISK_WARN_PERCENT = 85;
const CACHE_MS = 30_000;

export interface HostDisk {
  dataRoot: string;
  totalBytes: number;
  usedBytes: number;
  availableBytes: number;
  usedPercent: number;
  warnPercent: number;
  /** Used at or above the warning threshold. */
  pressure: boolean;
  engine: { imagesBytes: number; containersBytes: number; volumesBytes: number; buildCacheBytes: number };
}

let cached: { at: number; value: HostDisk } | null = null;

/** Forget the cached reading (after a reclaim). */
export function invalidateHostDisk(): void {
  cached = null;
}

export async function readHostDisk(deps: Pick<Deps, "engine" | "env">): Promise<HostDisk> {
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.value;
  const usage = await deps.engine.diskUsage();
  // The control plane may not see the engine's data root (a remote engine): fall back to "/".
  const path = existsSync(usage.dataRoot) ? usage.dataRoot : "/";
  const fs = await statfs(path);
  const totalBytes = fs.blocks * fs.bsize;
  const availableBytes = fs.bavail * fs.bsize;
  const usedBytes = totalBytes - fs.bfree * fs.bsize;
  // As df computes it: used / (used + available to unprivileged users).
  const usedPercent = usedBytes + availableBytes > 0 ? Math.round((usedBytes / (usedBytes + availableBytes)) * 1000) / 10 : 0;
  const warnPercent = deps.env.BERTH_DISK_WARN_PERCENT ?? DEFAULT_DISK_WARN_PERCENT;
  const value: HostDisk = {
    dataRoot: usage.dataRoot,
    totalBytes,
    usedBytes,
    availableBytes,
    usedPercent,
    warnPercent,
    pressure: usedPercent >= warnPercent,
    engine: { imagesBytes: usage.imagesBytes, containersBytes: usage.containersBytes, volumesBytes: usage.volumesBytes, buildCacheBytes: usage.buildCacheBytes },
  };
  cached = { at: Date.now(), value };
  return value;
}
