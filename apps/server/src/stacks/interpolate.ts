/**
 * Compose variable interpolation, as the compose-spec's interpolation section defines it:
 * `$VAR`, `${VAR}`, `${VAR:-default}` / `${VAR-default}` (unset-or-empty / unset),
 * `${VAR:?error}` / `${VAR?error}`, `${VAR:+replacement}` / `${VAR+replacement}`, `$$` for a
 * literal `$`, defaults that nest (`${A:-${B}}`). Written here because no maintained npm package
 * implements these rules (dotenv-expand has no `?`/`+` forms and reads process.env; envsubst
 * packages handle `${VAR}` only), and the rules fit in one small parser. PURE.
 */

export interface InterpolationResult {
  value: string;
  /** Variables used without a value and without a default (they became ""). */
  missing: string[];
}

export class InterpolationError extends Error {}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

export function interpolate(text: string, vars: Readonly<Record<string, string>>): InterpolationResult {
  const missing: string[] = [];
  const [value] = parse(text, 0, vars, missing, false);
  return { value, missing };
}

/** Reads from `start` up to the end (or, `inBraces`, up to the `}` closing a default); returns [text, index after]. */
function parse(
  text: string,
  start: number,
  vars: Readonly<Record<string, string>>,
  missing: string[],
  inBraces: boolean,
): [string, number] {
  let out = "";
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (inBraces && c === "}") return [out, i];
    if (c !== "$") {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
    } else if (next === "{") {
      const [v, end] = braced(text, i + 2, vars, missing);
      out += v;
      i = end;
    } else if (next !== undefined && NAME_START.test(next)) {
      let j = i + 1;
      while (j < text.length && NAME_CHAR.test(text[j]!)) j++;
      const name = text.slice(i + 1, j);
      out += lookup(name, vars, missing);
      i = j;
    } else {
      // A lone `$` (e.g. at the end, or before a space) stays as it is, like compose does.
      out += "$";
      i++;
    }
  }
  if (inBraces) throw new InterpolationError(`Missing } in "${text}"`);
  return [out, i];
}

/** `${...}` from just after the `{`; returns [value, index after the closing `}`]. */
function braced(text: string, start: number, vars: Readonly<Record<string, string>>, missing: string[]): [string, number] {
  let j = start;
  while (j < text.length && NAME_CHAR.test(text[j]!)) j++;
  const name = text.slice(start, j);
  if (name === "" || !NAME_START.test(name[0]!)) throw new InterpolationError(`Invalid variable name in "${text}"`);
  if (j >= text.length) throw new InterpolationError(`Missing } in "${text}"`);
  if (text[j] === "}") return [lookup(name, vars, missing), j + 1];
  const colon = text[j] === ":";
  const op = text[colon ? j + 1 : j];
  if (op !== "-" && op !== "?" && op !== "+") throw new InterpolationError(`Invalid interpolation format for "${name}" in "${text}"`);
  const [arg, end] = parse(text, j + (colon ? 2 : 1), vars, missing, true);
  const set = Object.hasOwn(vars, name);
  const value = set ? vars[name]! : "";
  // The colon forms treat an empty value like an unset one.
  const present = colon ? set && value !== "" : set;
  let result: string;
  if (op === "-") result = present ? value : arg;
  else if (op === "+") result = present ? arg : "";
  else if (present) result = value;
  else
    throw new InterpolationError(
      arg !== "" ? `${name}: ${arg}` : `The variable ${name} is required${colon ? " and must not be empty" : ""}`,
    );
  return [result, end + 1];
}

function lookup(name: string, vars: Readonly<Record<string, string>>, missing: string[]): string {
  if (Object.hasOwn(vars, name)) return vars[name]!;
  if (!missing.includes(name)) missing.push(name);
  return "";
}

/**
 * Interpolate every string value of a parsed YAML tree (not the keys, as compose does);
 * errors are reported with the path of the value.
 */
export function interpolateTree(
  node: unknown,
  vars: Readonly<Record<string, string>>,
  path: string[] = [],
): { value: unknown; missing: string[]; errors: { path: string[]; message: string }[] } {
  const missing = new Set<string>();
  const errors: { path: string[]; message: string }[] = [];
  const walk = (n: unknown, p: string[]): unknown => {
    if (typeof n === "string") {
      try {
        const r = interpolate(n, vars);
        r.missing.forEach((m) => missing.add(m));
        return r.value;
      } catch (err) {
        if (!(err instanceof InterpolationError)) throw err;
        errors.push({ path: p, message: err.message });
        return n;
      }
    }
    if (Array.isArray(n)) return n.map((x, i) => walk(x, [...p, String(i)]));
    if (n !== null && typeof n === "object") return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, walk(v, [...p, k])]));
    return n;
  };
  const value = walk(node, path);
  return { value, missing: [...missing], errors };
}
