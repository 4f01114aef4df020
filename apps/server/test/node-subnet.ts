/** Test-only: a /24 for engine nodes that no route on this host uses yet. */
import { readFileSync } from "node:fs";

/** /24 prefixes routed on this host now ("a.b.c"). */
function routed24(): Set<string> {
  const seen = new Set<string>();
  for (const line of readFileSync("/proc/net/route", "utf8").split("\n").slice(1)) {
    const hex = line.split("\t")[1];
    if (!hex || hex.length !== 8) continue;
    const octets = [6, 4, 2].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
    seen.add(octets.join("."));
  }
  return seen;
}

/** A free 10.96-99.x.0/24 (never the host engine's 10.210/15), starting from the pid. */
export function pickSubnet(): string {
  const routed = routed24();
  for (let i = 0; i < 1024; i++) {
    const n = (process.pid + i) % 1024;
    const prefix = `10.${96 + Math.floor(n / 256)}.${n % 256}`;
    if (!routed.has(prefix)) return prefix;
  }
  throw new Error("no free /24 in 10.96.0.0/14 for test engine nodes");
}
