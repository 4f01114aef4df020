export interface EnvPair {
  key: string;
  value: string;
}

const LINE = /^\s*(?:export\s+)?([^\s=#]+)\s*=\s*(.*)$/;

function unquote(raw: string): string {
  const value = raw.trim();
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
    const inner = value.slice(1, -1);
    return quote === '"' ? inner.replace(/\\n/g, "\n").replace(/\\"/g, '"') : inner;
  }
  const comment = value.search(/\s#/);
  return (comment >= 0 ? value.slice(0, comment) : value).trim();
}

/**
 * Parses `.env` text (KEY=value lines, `export` prefixes, quotes, # comments) into pairs.
 * Keys are kept as written -- the server validates them and reports bad ones per row.
 * A later duplicate key replaces the earlier one.
 */
export function parseEnvFile(text: string): EnvPair[] {
  const pairs = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(#|$)/.test(line)) continue;
    const match = LINE.exec(line);
    if (!match?.[1]) continue;
    pairs.set(match[1], unquote(match[2] ?? ""));
  }
  return [...pairs].map(([key, value]) => ({ key, value }));
}
