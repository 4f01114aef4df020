// The one .env parser: env import, stacks' env_file and .env, and the web app's pasted text
// (imported there as @berth/server/dotenv). Only pure imports here: it is bundled into the browser.
import { ENV_NAME_RULE, isValidEnvName } from "@berth/engine/env-name";

export interface DotenvEntry {
  name: string;
  value: string;
}

export type DotenvResult = { entries: DotenvEntry[] } | { errors: string[] };

const MAX_VALUE = 32_768;

function unquote(raw: string, lineNo: number): { value: string } | { error: string } {
  const quote = raw[0];
  if (quote !== '"' && quote !== "'") {
    const hash = raw.search(/\s#/);
    return { value: (hash >= 0 ? raw.slice(0, hash) : raw).trim() };
  }
  const end = raw.lastIndexOf(quote);
  if (end <= 0) return { error: `Line ${lineNo}: the ${quote === '"' ? "double" : "single"} quote is not closed` };
  const rest = raw.slice(end + 1).trim();
  if (rest !== "" && !rest.startsWith("#")) return { error: `Line ${lineNo}: unexpected text after the closing quote` };
  const inner = raw.slice(1, end);
  if (quote === "'") return { value: inner };
  return { value: inner.replace(/\\([nrt"\\])/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" })[c] ?? c) };
}

/** Whether `raw` (a value starting with a quote) closes that quote on this text: an unescaped quote after the first character. */
function closes(raw: string, quote: string): boolean {
  for (let i = 1; i < raw.length; i++) {
    if (quote === '"' && raw[i] === "\\") i++;
    else if (raw[i] === quote) return true;
  }
  return false;
}

/**
 * Parse .env text: `NAME=value`, optional `export `, '#' comments, blank lines, single quotes
 * (literal) and double quotes (\n \t \" \\ escapes). A quoted value may span lines (a PEM key
 * pasted as is): its line breaks are kept. Every problem is reported with its line number;
 * nothing is returned unless the whole text is valid. PURE.
 *
 * Hand-written rather than the `dotenv` package's parse: that one skips bad lines and takes the
 * last of a duplicate silently, keeps \" escaped, and gives no line numbers; an import (and a
 * paste in the dashboard) must say what it refused and where.
 */
export function parseDotenv(text: string): DotenvResult {
  const entries: DotenvEntry[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    const trimmed = (lines[index] ?? "").trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const body = trimmed.replace(/^export\s+/, "");
    const eq = body.indexOf("=");
    if (eq <= 0) {
      errors.push(`Line ${lineNo}: expected NAME=value`);
      continue;
    }
    const name = body.slice(0, eq).trim();
    let raw = body.slice(eq + 1).trim();
    const quote = raw[0];
    // A quote left open continues on the next lines, up to the line that closes it.
    if ((quote === '"' || quote === "'") && !closes(raw, quote)) {
      let end = index + 1;
      let joined = raw;
      while (end < lines.length && !closes(joined, quote)) joined += `\n${(lines[end++] ?? "").replace(/\s+$/, "")}`;
      if (!closes(joined, quote)) {
        // Everything after it would be read as part of the value: report the opening line only.
        errors.push(`Line ${lineNo}: the ${quote === '"' ? "double" : "single"} quote is not closed`);
        break;
      }
      raw = joined;
      index = end - 1;
    }
    if (!isValidEnvName(name)) {
      errors.push(`Line ${lineNo}: ${JSON.stringify(name.slice(0, 40))} is not a valid variable name (${ENV_NAME_RULE.toLowerCase()})`);
      continue;
    }
    if (seen.has(name)) {
      errors.push(`Line ${lineNo}: ${name} is set twice`);
      continue;
    }
    seen.add(name);
    const parsed = unquote(raw, lineNo);
    if ("error" in parsed) errors.push(parsed.error);
    else if (parsed.value.includes("\0")) errors.push(`Line ${lineNo}: the value contains a NUL character`);
    else if (parsed.value.length > MAX_VALUE) errors.push(`Line ${lineNo}: the value is too long`);
    else entries.push({ name, value: parsed.value });
  }
  if (errors.length > 0) return { errors };
  if (entries.length > 200) return { errors: ["At most 200 variables"] };
  return { entries };
}
