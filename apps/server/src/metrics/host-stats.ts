/**
 * The host's own CPU, memory and network, read from /proc (Linux). The parsers are PURE;
 * HostStats keeps the previous reading to turn counters into rates.
 */
import { readFile } from "node:fs/promises";
import type { MetricPoint } from "./aggregate.ts";

export interface CpuTimes {
  busy: number;
  total: number;
  cpus: number;
}

/** /proc/stat: the aggregate `cpu` line (jiffies) and the number of `cpuN` lines. */
export function parseProcStat(text: string): CpuTimes {
  const lines = text.split("\n");
  const fields = (lines.find((l) => l.startsWith("cpu ")) ?? "cpu").trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((n, v) => n + (Number.isFinite(v) ? v : 0), 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total, cpus: Math.max(1, lines.filter((l) => /^cpu\d+ /.test(l)).length) };
}

/** /proc/meminfo: total and in-use (total - available) bytes. */
export function parseMeminfo(text: string): { totalBytes: number; usedBytes: number } {
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(text)?.[1] ?? 0) * 1024;
  const total = kb("MemTotal");
  return { totalBytes: total, usedBytes: Math.max(0, total - kb("MemAvailable")) };
}

/** /proc/net/dev: received and sent bytes over every interface but loopback. */
export function parseNetDev(text: string): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const line of text.split("\n").slice(2)) {
    const [name, rest] = line.split(":");
    if (rest === undefined || name === undefined || name.trim() === "lo") continue;
    const f = rest.trim().split(/\s+/).map(Number);
    rx += f[0] ?? 0;
    tx += f[8] ?? 0;
  }
  return { rx, tx };
}

interface Reading {
  at: number;
  cpu: CpuTimes;
  net: { rx: number; tx: number };
}

export class HostStats {
  private prev: Reading | null = null;

  /** The host's point now (CPU and network rates since the previous call; 0 the first time). */
  async read(): Promise<MetricPoint> {
    const [stat, mem, net] = await Promise.all([
      readFile("/proc/stat", "utf8"),
      readFile("/proc/meminfo", "utf8"),
      readFile("/proc/net/dev", "utf8"),
    ]);
    const cur: Reading = { at: Date.now(), cpu: parseProcStat(stat), net: parseNetDev(net) };
    const memory = parseMeminfo(mem);
    const prev = this.prev;
    this.prev = cur;
    const seconds = prev ? (cur.at - prev.at) / 1000 : 0;
    const totalDelta = prev ? cur.cpu.total - prev.cpu.total : 0;
    const rate = (a: number, b: number) => (seconds > 0 && b >= a ? Math.round(((b - a) / seconds) * 100) / 100 : 0);
    return {
      time: new Date(cur.at).toISOString(),
      cpuPercent: prev && totalDelta > 0 ? Math.round(((cur.cpu.busy - prev.cpu.busy) / totalDelta) * cur.cpu.cpus * 10000) / 100 : 0,
      memoryBytes: memory.usedBytes,
      memoryLimitBytes: memory.totalBytes,
      rxBytesPerSec: prev ? rate(prev.net.rx, cur.net.rx) : 0,
      txBytesPerSec: prev ? rate(prev.net.tx, cur.net.tx) : 0,
      restartCount: 0,
    };
  }
}
