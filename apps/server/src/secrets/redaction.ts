/**
 * What to mask in logs for a set of secret values: each value itself and its base64 forms
 * (standard and url-safe), at each of the three byte alignments a value can have inside a
 * longer base64 text (e.g. `echo $SECRET | base64`, an Authorization: Basic header). PURE.
 */
const MIN_SECRET = 4;
const MIN_ENCODED = 6;

function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  const cores: string[] = [];
  for (let k = 0; k < 3; k++) {
    const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString("base64");
    const core = encoded.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6));
    if (core.length >= MIN_ENCODED) cores.push(core, core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return cores;
}

export function redactionNeedles(values: Iterable<string>): string[] {
  const needles = new Set<string>();
  for (const value of values) {
    if (value.length < MIN_SECRET) continue;
    needles.add(value);
    for (const core of base64Cores(value)) needles.add(core);
    // A multi-line value (a key) also leaks line by line.
    for (const line of value.split(/\r?\n/)) if (line.trim().length >= 8) needles.add(line.trim());
  }
  // Longest first: a value that contains another is masked whole.
  return [...needles].sort((a, b) => b.length - a.length);
}

export const REDACTED = "[redacted]";

export function redact(text: string, needles: readonly string[]): string {
  let out = text;
  for (const needle of needles) if (out.includes(needle)) out = out.split(needle).join(REDACTED);
  return out;
}
