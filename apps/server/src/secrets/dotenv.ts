import { isValidEnvName } from "@berth/engine";

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

/**
 * Parse .env text: `NAME=value`, optional `export `, '#' comments, blank lines, single quotes
 * (literal) and double quotes (\n \t \" \\ escapes). Every problem is reported with its line
 * number; nothing is returned unless the whole text is valid. PURE.
 */
export function parseDotenv(text: string): DotenvResult {
  const entries: DotenvEntry[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((line, index) => {
    const lineNo = index + 1;
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const body = trimmed.replace(/^export\s+/, "");
    const eq = body.indexOf("=");
    if (eq <= 0) return void errors.push(`Line ${lineNo}: expected NAME=value`);
    const name = body.slice(0, eq).trim();
    if (!isValidEnvName(name)) return void errors.push(`Line ${lineNo}: ${JSON.stringify(name.slice(0, 40))} is not a valid variable name (letters, digits and _, not starting with a digit)`);
    if (seen.has(name)) return void errors.push(`Line ${lineNo}: ${name} is set twice`);
    seen.add(name);
    const parsed = unquote(body.slice(eq + 1).trim(), lineNo);
    if ("error" in parsed) return void errors.push(parsed.error);
    if (parsed.value.includes("\0")) return void errors.push(`Line ${lineNo}: the value contains a NUL character`);
    if (parsed.value.length > MAX_VALUE) return void errors.push(`Line ${lineNo}: the value is too long`);
    entries.push({ name, value: parsed.value });
  });
  if (errors.length > 0) return { errors };
  if (entries.length > 200) return { errors: ["At most 200 variables"] };
  return { entries };
}
