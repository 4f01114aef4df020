/**
 * Compose's value formats, read as the reference implementation (compose-go) reads them:
 * Go durations, byte sizes, port specs, volume specs, list-or-dict. PURE.
 */
import path from "node:path";

/** "1m30s", "10s", "500ms" -> seconds (rounded up); null when malformed. */
export function durationSeconds(text: string): number | null {
  const t = text.trim();
  if (t === "0") return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  let end = 0;
  for (const m of t.matchAll(re)) {
    total += Number(m[1]) * unit[m[2]!]!;
    end = m.index + m[0].length;
  }
  if (end === 0 || end !== t.length) return null;
  return Math.max(0, Math.ceil(total - 1e-9));
}

/** "512m", "1g", "1024", "2GB", 536870912 -> whole MiB (rounded up); null when malformed. */
export function sizeMiB(value: string | number): number | null {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.ceil(value / 2 ** 20) : null;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b)?$/i.exec(value.trim());
  if (!m) return null;
  const power = { "": 0, k: 1, m: 2, g: 3, t: 4, p: 5 }[m[2]!.toLowerCase() as "" | "k"]!;
  return Math.ceil((Number(m[1]) * 1024 ** power) / 2 ** 20);
}

/** `environment`/`labels`: a mapping, or a list of `KEY=VALUE` / `KEY`. A value is null when only the key is given. */
export function listOrDict(value: unknown): [string, string | null][] {
  if (Array.isArray(value)) {
    return value.map((item) => {
      const s = String(item);
      const eq = s.indexOf("=");
      return eq === -1 ? [s, null] : [s.slice(0, eq), s.slice(eq + 1)];
    });
  }
  if (value && typeof value === "object")
    return Object.entries(value).map(([k, v]) => [k, v === null || v === undefined ? null : String(v)]);
  return [];
}

export interface PortSpec {
  target: number;
  published: number | null;
  hostIp: string | null;
  protocol: string;
}

/** A `ports` entry (short "[IP:][HOST:]CONTAINER[/PROTO]" or long syntax); a string is an error message. */
export function readPort(entry: unknown): PortSpec | string {
  if (typeof entry === "number") return { target: entry, published: null, hostIp: null, protocol: "tcp" };
  if (typeof entry === "object" && entry !== null) {
    const e = entry as { target?: unknown; published?: unknown; host_ip?: unknown; protocol?: unknown };
    const target = Number(e.target);
    if (!Number.isInteger(target)) return "a port needs a numeric target";
    const published = e.published === undefined || e.published === "" ? null : String(e.published);
    if (published !== null && !/^\d+$/.test(published)) return `port ranges (${published}) are not supported`;
    return {
      target,
      published: published === null ? null : Number(published),
      hostIp: typeof e.host_ip === "string" ? e.host_ip : null,
      protocol: typeof e.protocol === "string" ? e.protocol : "tcp",
    };
  }
  const text = String(entry);
  const [spec = "", protocol = "tcp"] = text.split("/");
  const m = /^(?:(\[[^\]]+\]|[^:]*):)??(?:([^:]*):)?([^:]+)$/.exec(spec);
  if (!m) return `"${text}" is not a port mapping`;
  const [, ip, host, container] = m;
  if ([host, container].some((p) => p !== undefined && p.includes("-"))) return `port ranges (${text}) are not supported`;
  if (!/^\d+$/.test(container!) || (host !== undefined && host !== "" && !/^\d+$/.test(host))) return `"${text}" is not a port mapping`;
  return {
    target: Number(container),
    published: host === undefined || host === "" ? null : Number(host),
    hostIp: ip === undefined || ip === "" ? null : ip.replace(/^\[|\]$/g, ""),
    protocol,
  };
}

export interface MountSpec {
  type: "volume" | "bind" | "tmpfs" | "other";
  source: string | null;
  target: string;
  readOnly: boolean;
}

/** "/var/lib/postgresql/data/" -> "/var/lib/postgresql/data": Docker cleans a mount target the same way. */
function cleanTarget(target: string): string {
  if (!target.startsWith("/")) return target;
  const clean = path.posix.normalize(target);
  return clean.length > 1 ? clean.replace(/\/+$/, "") : clean;
}

/** A service `volumes` entry: "SOURCE:TARGET[:MODE]", "TARGET" (anonymous) or the long syntax. */
export function readMount(entry: unknown): MountSpec {
  const m = readMountAsWritten(entry);
  return { ...m, target: cleanTarget(m.target) };
}

function readMountAsWritten(entry: unknown): MountSpec {
  if (typeof entry === "object" && entry !== null) {
    const e = entry as { type: string; source?: string; target?: string; read_only?: unknown };
    const type = e.type === "volume" || e.type === "bind" || e.type === "tmpfs" ? e.type : "other";
    return { type, source: e.source ?? null, target: e.target ?? "", readOnly: e.read_only === true || e.read_only === "true" };
  }
  const parts = String(entry).split(":");
  if (parts.length === 1) return { type: "volume", source: null, target: parts[0]!, readOnly: false };
  const [source = "", target = "", mode = ""] = parts;
  const bind = /^[./~]/.test(source);
  return { type: bind ? "bind" : "volume", source, target, readOnly: mode.split(",").includes("ro") };
}
