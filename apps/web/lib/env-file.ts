export interface EnvPair {
  key: string;
  value: string;
}

const LINE = /^\s*(?:export\s+)?([^\s=#]+)\s*=\s*(.*)$/;

function unquote(raw: string): string {
  const value = raw.trim();
  const quote = value[0];
  const end = quote === '"' || quote === "'" ? value.lastIndexOf(quote) : -1;
  if (end > 0 && /^\s*(#.*)?$/.test(value.slice(end + 1))) {
    const inner = value.slice(1, end);
    return quote === '"' ? inner.replace(/\\n/g, "\n").replace(/\\"/g, '"') : inner;
  }
  const comment = value.search(/\s#/);
  return (comment >= 0 ? value.slice(0, comment) : value).trim();
}

/** An unescaped closing quote after the opening one. */
function closes(raw: string, quote: string): boolean {
  for (let i = 1; i < raw.length; i++) {
    if (quote === '"' && raw[i] === "\\") i++;
    else if (raw[i] === quote) return true;
  }
  return false;
}

/**
 * Parses `.env` text (KEY=value lines, `export` prefixes, quotes, # comments) into pairs.
 * A quoted value may span lines (a PEM key): its line breaks are kept.
 * Keys are kept as written -- the server validates them and reports bad ones per row.
 * A later duplicate key replaces the earlier one.
 */
export function parseEnvFile(text: string): EnvPair[] {
  const pairs = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/^\s*(#|$)/.test(line)) continue;
    const match = LINE.exec(line);
    if (!match?.[1]) continue;
    let raw = (match[2] ?? "").trim();
    const quote = raw[0];
    if ((quote === '"' || quote === "'") && !closes(raw, quote)) {
      let end = i + 1;
      let joined = raw;
      while (end < lines.length && !closes(joined, quote)) joined += `\n${(lines[end++] ?? "").replace(/\s+$/, "")}`;
      if (closes(joined, quote)) {
        raw = joined;
        i = end - 1;
      }
    }
    pairs.set(match[1], unquote(raw));
  }
  return [...pairs].map(([key, value]) => ({ key, value }));
}
