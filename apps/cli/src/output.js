/** Rows as aligned columns (human output); `--json` prints the API's JSON instead. @param {string[][]} rows */
export function table(rows) {
  const widths = rows.reduce((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), /** @type {number[]} */ ([]));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ")).join("\n");
}

/** @param {unknown} value */
export const printJson = (value) => console.log(JSON.stringify(value, null, 2));
