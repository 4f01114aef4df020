import { describe, expect, it } from "vitest";
import { envErrorsByRow, envForSubmit, mergeEnvRows, newEnvRow } from "./env-rows";

describe("env rows", () => {
  it("drops blank rows on submit and remembers which row each sent index came from", () => {
    const rows = [newEnvRow({ key: "A", value: "1" }), newEnvRow(), newEnvRow({ key: " B ", value: "2" })];
    const { env, rowIds } = envForSubmit(rows);
    expect(env).toEqual([
      { key: "A", value: "1" },
      { key: "B", value: "2" },
    ]);
    expect(rowIds).toEqual([rows[0]!.id, rows[2]!.id]);
  });

  it("places env.<index>.key / .value / env.<index> messages on the row that was sent at that index", () => {
    const rowIds = [10, 30];
    const byRow = envErrorsByRow(
      { name: "x", env: "too many", "env.1.key": "bad key", "env.0.value": "bad value", "env.0": "row" },
      rowIds,
    );
    expect(byRow.get(30)).toEqual({ key: "bad key" });
    expect(byRow.get(10)).toEqual({ value: "bad value", key: "row" });
    expect(byRow.size).toBe(2);
  });

  it("merges pasted pairs: same key replaces the value, new keys append, blank rows go", () => {
    const rows = [newEnvRow({ key: "A", value: "old" }), newEnvRow()];
    const merged = mergeEnvRows(rows, [
      { key: "A", value: "new" },
      { key: "B", value: "b" },
    ]);
    expect(merged.map(({ key, value }) => [key, value])).toEqual([
      ["A", "new"],
      ["B", "b"],
    ]);
    expect(merged[0]!.id).toBe(rows[0]!.id);
  });
});
