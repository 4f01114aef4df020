import type { ImportResult } from "../src/stacks/import-compose.ts";

/** The errors of a compose file the test expects refused. */
export function errorsOf(r: ImportResult) {
  if (r.ok) throw new Error("expected the file to be refused");
  return r.errors;
}

/** The plan of a compose file the test expects imported. */
export function planOf(r: ImportResult) {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.errors)}`);
  return r;
}
