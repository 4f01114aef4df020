import { describe, expect, it } from "vitest";
import type { ServiceLogLine } from "../services/log-follower.ts";
import { packLogLines, unpackLogLines } from "./log-lines-payload.ts";

describe("logs:lines payload", () => {
  it("gives back every line in order, each on its own stream", () => {
    const lines: ServiceLogLine[] = [
      { stream: "stdout", time: "2026-12-06T10:00:00.000000001Z", text: "one" },
      { stream: "stderr", time: "2026-12-06T10:00:00.000000002Z", text: 'two "quoted" ✓' },
      { stream: "stdout", time: "", text: "" },
      { stream: "stderr", time: "2026-12-06T10:00:01Z", text: "four" },
    ];
    const payload = packLogLines("svc", lines);
    expect(payload.stderr).toEqual([1, 3]);
    expect(payload.task).toBeUndefined();
    // Through JSON as socket.io carries it.
    expect(unpackLogLines(JSON.parse(JSON.stringify(payload)))).toEqual(lines);
  });

  it("names a cluster task's lines once per batch and gives each line its task back", () => {
    const lines: ServiceLogLine[] = [
      { stream: "stdout", time: "t1", text: "a", task: "#2 on node-b", taskId: "task-2" },
      { stream: "stdout", time: "t2", text: "b", task: "#2 on node-b", taskId: "task-2" },
    ];
    const payload = packLogLines("svc", lines);
    expect(payload.task).toEqual({ label: "#2 on node-b", id: "task-2" });
    expect(unpackLogLines(JSON.parse(JSON.stringify(payload)))).toEqual(lines);
  });

  it("packs an empty batch to empty columns", () => {
    expect(packLogLines("svc", [])).toEqual({ serviceId: "svc", time: [], text: [], stderr: [] });
    expect(unpackLogLines({ serviceId: "svc", time: [], text: [], stderr: [] })).toEqual([]);
  });
});
