/**
 * Host disk use: the filesystem of the engine's data root (statfs) with a warning threshold,
 * and the engine's own accounting (/system/df) by kind. The overview needs only the pressure:
 * one statfs (microseconds) once the data root is known; /system/df runs only for the host panel.
 */
import { existsSync } from "node:fs";
import { statfs } from "node:fs/promises";
import type { Deps } from "../deps.ts";

export const DEFAULT_DISK_WARN_PERCENT = 85;

export interface DiskPressure {
  dataRoot: string;
  totalBytes: number;
  usedBytes: number;
  availableBytes: number;
  usedPercent: number;
  warnPercent: number;
  /** Used at or above the warning threshold. */
  pressure: boolean;
}

export interface HostDisk extends DiskPressure {
  engine: { imagesBytes: number; containersBytes: number; volumesBytes: number; buildCacheBytes: number };
}

/** The engine's data root, asked once per process (it changes only with an engine restart). */
let knownDataRoot: string | null = null;

async function measure(dataRoot: string, env: Deps["env"]): Promise<DiskPressure> {
  // The control plane may not see the engine's data root (a remote engine): fall back to "/".
  const fs = await statfs(existsSync(dataRoot) ? dataRoot : "/");
  const totalBytes = fs.blocks * fs.bsize;
  const availableBytes = fs.bavail * fs.bsize;
  const usedBytes = totalBytes - fs.bfree * fs.bsize;
  // As df computes it: used / (used + available to unprivileged users).
  const usedPercent = usedBytes + availableBytes > 0 ? Math.round((usedBytes / (usedBytes + availableBytes)) * 1000) / 10 : 0;
  const warnPercent = env.BERTH_DISK_WARN_PERCENT ?? DEFAULT_DISK_WARN_PERCENT;
  return { dataRoot, totalBytes, usedBytes, availableBytes, usedPercent, warnPercent, pressure: usedPercent >= warnPercent };
}

/** Disk pressure of the data root's filesystem (for the overview's "needs attention"). */
export async function readDiskPressure(deps: Pick<Deps, "engine" | "env">): Promise<DiskPressure> {
  knownDataRoot ??= (await deps.engine.diskUsage()).dataRoot;
  return measure(knownDataRoot, deps.env);
}

/** The filesystem and the engine's use by kind (images, containers, volumes, build cache). */
export async function readHostDisk(deps: Pick<Deps, "engine" | "env">): Promise<HostDisk> {
  const usage = await deps.engine.diskUsage();
  knownDataRoot = usage.dataRoot;
  return {
    ...(await measure(usage.dataRoot, deps.env)),
    engine: {
      imagesBytes: usage.imagesBytes,
      containersBytes: usage.containersBytes,
      volumesBytes: usage.volumesBytes,
      buildCacheBytes: usage.buildCacheBytes,
    },
  };
}
