/**
 * Engine stats and events -> Berth's typed samples and events. PURE. CPU % is computed from
 * two consecutive samples of our own (one-shot stats carry no usable precpu).
 */
import { parseDeploymentLabel, parseOwnerLabels } from "./labels.ts";
import type { EngineEvent, StatsSample } from "./observe-types.ts";

/** The parts of an engine stats JSON that Berth reads. */
export interface RawStats {
  read?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null }; system_cpu_usage?: number; online_cpus?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number | undefined> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
}

function onlineCpus(s: RawStats): number {
  return s.cpu_stats?.online_cpus ?? s.cpu_stats?.cpu_usage?.percpu_usage?.length ?? 1;
}

/** CPU % (of one CPU) between two samples, or null when it cannot be computed. */
export function computeCpuPercent(prev: RawStats | null, cur: RawStats): number | null {
  if (prev === null) return null;
  const cpuDelta = (cur.cpu_stats?.cpu_usage?.total_usage ?? 0) - (prev.cpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cur.cpu_stats?.system_cpu_usage ?? 0) - (prev.cpu_stats?.system_cpu_usage ?? 0);
  if (systemDelta <= 0 || cpuDelta < 0) return null;
  return Math.round((cpuDelta / systemDelta) * onlineCpus(cur) * 100 * 100) / 100;
}

/** Memory without page cache: cgroup v1 reports `cache`, v2 `inactive_file`. */
export function memoryInUse(s: RawStats): number {
  const usage = s.memory_stats?.usage ?? 0;
  const stats = s.memory_stats?.stats ?? {};
  const cache = stats.inactive_file ?? stats.total_inactive_file ?? stats.cache ?? 0;
  return Math.max(0, usage - cache);
}

export function toStatsSample(prev: RawStats | null, cur: RawStats): StatsSample {
  const networks = Object.values(cur.networks ?? {});
  return {
    time: cur.read ?? new Date().toISOString(),
    cpuPercent: computeCpuPercent(prev, cur),
    memoryBytes: memoryInUse(cur),
    memoryLimitBytes: cur.memory_stats?.limit ?? 0,
    networkRxBytes: networks.reduce((sum, n) => sum + (n.rx_bytes ?? 0), 0),
    networkTxBytes: networks.reduce((sum, n) => sum + (n.tx_bytes ?? 0), 0),
  };
}

/** The parts of an engine event that Berth reads. */
export interface RawEvent {
  Type?: string;
  Action?: string;
  id?: string;
  time?: number;
  timeNano?: number;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/** A container event of a Berth-managed container -> EngineEvent; anything else -> null. */
export function parseEngineEvent(raw: RawEvent): EngineEvent | null {
  if (raw.Type !== "container" || typeof raw.Action !== "string") return null;
  const attributes = raw.Actor?.Attributes ?? {};
  const owner = parseOwnerLabels(attributes);
  const deploymentId = parseDeploymentLabel(attributes);
  if (owner === null || deploymentId === null) return null;
  const timeMs = raw.timeNano !== undefined ? Math.floor(raw.timeNano / 1e6) : (raw.time ?? 0) * 1000;
  const base = {
    containerId: raw.Actor?.ID ?? raw.id ?? "",
    containerName: attributes.name ?? "",
    owner,
    deploymentId,
    time: new Date(timeMs).toISOString(),
  };
  if (raw.Action === "start") return { ...base, type: "start" };
  if (raw.Action === "oom") return { ...base, type: "oom" };
  if (raw.Action === "destroy") return { ...base, type: "destroy" };
  if (raw.Action === "kill") {
    const signal = Number.parseInt(attributes.signal ?? "", 10);
    return { ...base, type: "kill", signal: Number.isInteger(signal) ? signal : null };
  }
  if (raw.Action === "die") {
    const code = Number.parseInt(attributes.exitCode ?? "", 10);
    return { ...base, type: "die", exitCode: Number.isInteger(code) ? code : null };
  }
  const health = /^health_status: (healthy|unhealthy|starting)$/.exec(raw.Action);
  if (health?.[1] !== undefined) return { ...base, type: "health_status", status: health[1] as "healthy" | "unhealthy" | "starting" };
  return null;
}
