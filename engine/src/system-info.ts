/**
 * What a server's engine says about its host (`/info`): Docker version, CPUs, memory, OS. With
 * the disk its images, containers, volumes and build cache take (`/system/df`), this is what
 * the Servers page shows for each engine Berth reaches.
 */
import type { EngineApi } from "./engine-api.ts";
import { diskUsage } from "./disk-usage.ts";

export interface EngineSystemInfo {
  dockerVersion: string;
  cpus: number;
  memoryBytes: number;
  operatingSystem: string;
  /** Bytes under the engine's data root that Docker accounts for (system df). */
  diskBytes: number;
}

interface RawInfo {
  ServerVersion?: string;
  NCPU?: number;
  MemTotal?: number;
  OperatingSystem?: string;
}

export async function systemInfo(api: EngineApi): Promise<EngineSystemInfo> {
  const info = await api.call("engine info", api.target, (abortSignal) =>
    api.dial<RawInfo>({ path: "/info", method: "GET", abortSignal, statusCodes: { 200: true, 500: "server error" } }),
  );
  const df = await diskUsage(api);
  return {
    dockerVersion: info.ServerVersion ?? "unknown",
    cpus: info.NCPU ?? 0,
    memoryBytes: info.MemTotal ?? 0,
    operatingSystem: info.OperatingSystem ?? "unknown",
    diskBytes: df.imagesBytes + df.containersBytes + df.volumesBytes + df.buildCacheBytes,
  };
}
