/**
 * Ulimits as a person types them in the settings form and the API: `nofile=65535 memlock=unlimited`
 * (`name=soft:hard`, or one value for both; `unlimited` or -1; spaces or commas between). The
 * same text is what compose's `ulimits:` becomes and what the form shows. PURE.
 */
import { ulimitProblem, type Ulimit } from "@berth/engine";

const ENTRY = /^([a-z]+)=(-?\d+|unlimited)(?::(-?\d+|unlimited))?$/;

const value = (text: string) => (text === "unlimited" ? -1 : Number(text));

/** The limits in the text, or the first problem with one. */
export function parseUlimits(text: string): { ulimits: Ulimit[] } | { error: string } {
  const ulimits: Ulimit[] = [];
  for (const entry of text.split(/[\s,]+/).filter((t) => t !== "")) {
    const m = ENTRY.exec(entry);
    if (!m) return { error: `"${entry.slice(0, 40)}" is not name=soft:hard (e.g. nofile=65535 or memlock=unlimited)` };
    const soft = value(m[2]!);
    const ulimit = { name: m[1]!, soft, hard: m[3] === undefined ? soft : value(m[3]) };
    const problem = ulimitProblem(ulimit);
    if (problem !== null) return { error: problem };
    if (ulimits.some((u) => u.name === ulimit.name)) return { error: `${ulimit.name} is set twice` };
    ulimits.push(ulimit);
  }
  return { ulimits };
}

/** The limits as text (what parseUlimits reads). */
export function formatUlimits(ulimits: Ulimit[]): string {
  const shown = (n: number) => (n === -1 ? "unlimited" : String(n));
  return ulimits.map((u) => (u.soft === u.hard ? `${u.name}=${shown(u.soft)}` : `${u.name}=${shown(u.soft)}:${shown(u.hard)}`)).join(" ");
}
