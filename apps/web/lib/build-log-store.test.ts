import { describe, expect, it } from "vitest";
import { BuildLogStore } from "./build-log-store";

const line = (seq: number) => ({ seq, stream: "stdout" as const, text: `l${seq}`, time: "" });

describe("BuildLogStore", () => {
  it("keeps lines in seq order and drops replays", () => {
    const store = new BuildLogStore();
    expect(store.lastSeq).toBe(-1);
    expect(store.append([line(0), line(1)])).toBe(2);
    expect(store.append([line(1), line(2)])).toBe(1);
    expect(store.lines.map((l) => l.seq)).toEqual([0, 1, 2]);
    expect(store.lastSeq).toBe(2);
  });
});
