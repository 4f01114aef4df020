import type { EnvPair } from "./env-file";

/** One editable KEY=value row; `id` keeps React keys and error placement stable. */
export interface EnvRow extends EnvPair {
  id: number;
}

let nextRowId = 1;

export function newEnvRow(pair: EnvPair = { key: "", value: "" }): EnvRow {
  return { id: nextRowId++, ...pair };
}

const isBlank = (row: EnvRow) => row.key.trim() === "" && row.value === "";

/** The pairs to send (blank rows dropped) and, per sent index, the row it came from. */
export function envForSubmit(rows: EnvRow[]): { env: EnvPair[]; rowIds: number[] } {
  const sent = rows.filter((row) => !isBlank(row));
  return { env: sent.map(({ key, value }) => ({ key: key.trim(), value })), rowIds: sent.map((row) => row.id) };
}

/** Rows with the pasted pairs merged in: same key replaces the value, new keys are appended. */
export function mergeEnvRows(rows: EnvRow[], pasted: EnvPair[]): EnvRow[] {
  const kept = rows.filter((row) => !isBlank(row)).map((row) => ({ ...row }));
  for (const pair of pasted) {
    const existing = kept.find((row) => row.key.trim() === pair.key);
    if (existing) existing.value = pair.value;
    else kept.push(newEnvRow(pair));
  }
  return kept.length ? kept : [newEnvRow()];
}

/**
 * Field errors of the env list placed per row. The server keys them `env.<index>.key`,
 * `env.<index>.value` or `env.<index>` by sent index; `env` itself is about the whole list.
 */
export function envErrorsByRow(fields: Record<string, string>, rowIds: number[]): Map<number, { key?: string; value?: string }> {
  const byRow = new Map<number, { key?: string; value?: string }>();
  for (const [path, message] of Object.entries(fields)) {
    const match = /^env\.(\d+)(?:\.(key|value))?$/.exec(path);
    const rowId = match ? rowIds[Number(match[1])] : undefined;
    if (!match || rowId === undefined) continue;
    const entry = byRow.get(rowId) ?? {};
    entry[match[2] === "value" ? "value" : "key"] ??= message;
    byRow.set(rowId, entry);
  }
  return byRow;
}
