import { describe, expect, it } from "vitest";
import { HistoryBoundary, lastTimeRun, timeKey } from "./log-boundary.ts";

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

describe("lastTimeRun", () => {
  it("keeps only the lines at the last time, across the chunks a history is read in", () => {
    let run = lastTimeRun([], [at("01.1", "a"), at("02", "b"), at("02", "c")]);
    expect(run.map((l) => l.text)).toEqual(["b", "c"]);
    // A chunk wholly at the same time extends the run; an empty chunk changes nothing.
    run = lastTimeRun(run, [at("02", "d")]);
    run = lastTimeRun(run, []);
    expect(run.map((l) => l.text)).toEqual(["b", "c", "d"]);
    // A later time starts a new run.
    run = lastTimeRun(run, [at("02", "e"), at("03", "f")]);
    expect(run.map((l) => l.text)).toEqual(["f"]);
  });

  it("gives the boundary what the whole history gives it", () => {
    const history = [at("01.1", "a"), at("02", "x"), at("02", "x"), at("02", "y", "stderr")];
    const live = [at("02", "x"), at("02", "z"), at("03", "w")];
    const run = lastTimeRun(lastTimeRun([], history.slice(0, 2)), history.slice(2));
    expect(new HistoryBoundary(run).admit(live)).toEqual(new HistoryBoundary(history).admit(live));
  });
});
