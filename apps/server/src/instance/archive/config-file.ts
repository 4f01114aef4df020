/**
 * The instance configuration file (/etc/berth/berth.env: KEY=VALUE lines, systemd
 * EnvironmentFile syntax, read the way infra/lib/config.sh reads it) and how a restore merges
 * the archived one into the new machine's. PURE.
 */

/** Settings that describe this machine rather than the instance: a restore keeps the new machine's. */
export const MACHINE_KEYS = ["DATABASE_URL", "BERTH_PUBLIC_URL", "BERTH_PROXY_PUBLIC_IP"] as const;

const LINE = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

function keyOf(line: string): string | null {
  return LINE.exec(line)?.[1] ?? null;
}

/** KEY -> value (surrounding quotes removed), comments and blank lines skipped; the last one wins. */
export function parseConfig(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = LINE.exec(line);
    if (!m) continue;
    const raw = m[2] ?? "";
    const quoted = /^"(.*)"$/.exec(raw) ?? /^'(.*)'$/.exec(raw);
    out[m[1] as string] = quoted ? (quoted[1] as string) : raw;
  }
  return out;
}

/**
 * The archived configuration with this machine's own lines for MACHINE_KEYS (its database
 * credentials, public URL and address); every other setting -- BERTH_SECRET and
 * BERTH_SECRET_PREVIOUS above all, without which no sealed value opens -- comes from the archive.
 * `kept` names the machine keys whose archived value differed (never the values: DATABASE_URL
 * holds a password).
 */
export function mergeConfig(archived: string, current: string): { text: string; kept: string[] } {
  const machine = new Set<string>(MACHINE_KEYS);
  const lines = archived.split("\n").filter((line) => !machine.has(keyOf(line) ?? ""));
  while (lines.length > 0 && lines.at(-1) === "") lines.pop();
  const ours = current.split("\n").filter((line) => machine.has(keyOf(line) ?? ""));
  const before = parseConfig(archived);
  const after = parseConfig(ours.join("\n"));
  const kept = MACHINE_KEYS.filter((key) => before[key] !== undefined && before[key] !== after[key]);
  return { text: `${[...lines, ...ours].join("\n")}\n`, kept };
}
