import { describe, expect, it } from "vitest";
import { HistoryBoundary, HistoryEdges, timeKey } from "./log-boundary.ts";

const at = (time: string, text: string, stream: "stdout" | "stderr" = "stdout") => ({ stream, time: `2026-12-05T15:00:${time}Z`, text });

describe("HistoryBoundary", () => {
  it("drops live lines the history holds, keeps the ones after its last time", () => {
    const boundary = new HistoryBoundary([at("01.1", "a"), at("01.2", "b"), at("01.3", "c")]);
    expect(boundary.admit([at("01.2", "b"), at("01.3", "c")])).toEqual([]);
    expect(boundary.passed).toBe(true);
    expect(boundary.admit([at("01.4", "d")]).map((l) => l.text)).toEqual(["d"]);
  });

  it("matches lines sharing the last timestamp one for one, and keeps a further one at that time", () => {
    const boundary = new HistoryBoundary([at("01.1", "a"), at("02", "x"), at("02", "x"), at("02", "y", "stderr")]);
    // The live stream saw one "x" the history also has, then a new "x" and "z" at the same nanosecond.
    expect(boundary.admit([at("02", "x"), at("02", "z")]).map((l) => l.text)).toEqual(["z"]);
    expect(boundary.passed).toBe(false);
    expect(boundary.admit([at("02", "y", "stderr"), at("02", "x")]).map((l) => l.text)).toEqual([]);
    expect(boundary.passed).toBe(true);
    expect(boundary.admit([at("02", "x")]).map((l) => l.text)).toEqual(["x"]);
  });

  it("keeps a stdout line stamped before a stderr line the history already holds", () => {
    // The engine copies stdout and stderr on their own: stderr line 10 reached the log before
    // stdout line 9, the history was read between them, and line 9 arrives live, older than 10.
    const history = [...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => at(`01.${n}`, `o${n}`)), at("01.95", "e10", "stderr")];
    const boundary = new HistoryBoundary(history);
    expect(boundary.admit([at("01.9", "o9"), at("02.1", "o11")]).map((l) => l.text)).toEqual(["o9", "o11"]);
    expect(boundary.passed).toBe(true);
  });

  it("drops each stream's own history lines when the live stream starts before the read", () => {
    const history = [at("01.1", "o1"), at("01.3", "e3", "stderr"), at("01.2", "o2")];
    const boundary = new HistoryBoundary(history);
    expect(boundary.admit([at("01.3", "e3", "stderr"), at("01.2", "o2")])).toEqual([]);
    expect(boundary.passed).toBe(true);
    // A stream the history does not hold is new from the history's first time on.
    const quiet = new HistoryBoundary([at("01.1", "o1"), at("01.4", "o2")]);
    expect(quiet.admit([at("00.5", "old", "stderr"), at("01.3", "e3", "stderr")]).map((l) => l.text)).toEqual(["e3"]);
  });

  it("passes at once for an empty history and when the live stream starts after it", () => {
    expect(new HistoryBoundary([]).passed).toBe(true);
    const boundary = new HistoryBoundary([at("01", "a")]);
    expect(boundary.admit([at("00.5", "older"), at("03", "b")]).map((l) => l.text)).toEqual(["b"]);
    expect(boundary.passed).toBe(true);
  });
});

describe("timeKey", () => {
  it("orders RFC3339Nano times whose trailing zeros were trimmed", () => {
    expect(timeKey("2026-12-05T15:00:05.1Z") > timeKey("2026-12-05T15:00:05.09Z")).toBe(true);
    expect(timeKey("2026-12-05T15:00:05Z") < timeKey("2026-12-05T15:00:05.000000001Z")).toBe(true);
    expect(timeKey("2026-12-05T16:00:05+01:00")).toBe(timeKey("2026-12-05T15:00:05Z"));
    expect(timeKey("")).toBe("");
  });
});

describe("HistoryEdges", () => {
  it("gives the boundary what the whole history gives it, read in chunks", () => {
    const history = [at("00.5", "a"), at("01.1", "e", "stderr"), at("02", "x"), at("02", "x"), at("01.9", "f", "stderr"), at("02", "y")];
    const live = [at("01.9", "f", "stderr"), at("02", "x"), at("02", "z"), at("03", "w"), at("01.8", "late", "stderr")];
    const edges = new HistoryEdges();
    for (const chunk of [history.slice(0, 3), history.slice(3, 3), history.slice(3, 5), history.slice(5)]) edges.add(chunk);
    expect(edges.lines().map((l) => l.text)).toEqual(["a", "x", "x", "y", "f"]);
    expect(new HistoryBoundary(edges.lines()).admit(live)).toEqual(new HistoryBoundary(history).admit(live));
  });

  it("keeps a run that spans chunks, and the first line once when it is the whole history", () => {
    const edges = new HistoryEdges();
    edges.add([at("02", "b")]);
    edges.add([at("02", "c")]);
    expect(edges.lines().map((l) => l.text)).toEqual(["b", "c"]);
  });
});
