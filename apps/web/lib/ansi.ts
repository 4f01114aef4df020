/** ANSI SGR colours in log lines -> styled segments. PURE; other escape codes are dropped. */

export interface AnsiSegment {
  text: string;
  /** Tailwind classes for the colour/weight, "" for the default. */
  className: string;
}

const COLORS = [
  "text-slate-400",
  "text-red-400",
  "text-emerald-400",
  "text-amber-300",
  "text-sky-400",
  "text-fuchsia-400",
  "text-cyan-300",
  "text-slate-100",
];
const BRIGHT = [
  "text-slate-500",
  "text-red-300",
  "text-emerald-300",
  "text-yellow-200",
  "text-sky-300",
  "text-fuchsia-300",
  "text-cyan-200",
  "text-white",
];

interface Style {
  color: string;
  bold: boolean;
}

function apply(style: Style, codes: number[]): Style {
  let next = { ...style };
  for (const code of codes.length === 0 ? [0] : codes) {
    if (code === 0) next = { color: "", bold: false };
    else if (code === 1) next.bold = true;
    else if (code === 22) next.bold = false;
    else if (code === 39) next.color = "";
    else if (code >= 30 && code <= 37) next.color = COLORS[code - 30] ?? "";
    else if (code >= 90 && code <= 97) next.color = BRIGHT[code - 90] ?? "";
  }
  return next;
}

// eslint-disable-next-line no-control-regex
const ESCAPE = /\u001b\[([0-9;]*)([A-Za-z])/g;

export function parseAnsi(line: string): AnsiSegment[] {
  const segments: AnsiSegment[] = [];
  let style: Style = { color: "", bold: false };
  let last = 0;
  const push = (text: string) => {
    if (text === "") return;
    const className = [style.color, style.bold ? "font-bold" : ""].filter(Boolean).join(" ");
    const prev = segments[segments.length - 1];
    if (prev && prev.className === className) prev.text += text;
    else segments.push({ text, className });
  };
  for (const match of line.matchAll(ESCAPE)) {
    push(line.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[2] === "m")
      style = apply(
        style,
        (match[1] ?? "")
          .split(";")
          .filter((c) => c !== "")
          .map(Number),
      );
  }
  push(line.slice(last));
  return segments;
}
