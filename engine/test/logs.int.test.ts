import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerEngine, type LogLine, type StatsSample } from "../src/index.ts";
import { buildHelloImage, cleanupTeam, eventually, rawDocker, releaseFactory, uniqueId } from "./support/hello-image.ts";

const engine = new DockerEngine();
const docker = rawDocker();
const teamId = uniqueId("team");
const newRelease = releaseFactory(teamId);
const RFC3339_NANO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z$/;

beforeAll(async () => {
  await buildHelloImage(engine);
});

afterAll(async () => {
  await cleanupTeam(docker, teamId);
});

function numbers(lines: LogLine[], stream: LogLine["stream"], prefix: string): number[] {
  return lines
    .filter((l) => l.stream === stream)
    .map((l) => {
      expect(l.text).toMatch(new RegExp(`^${prefix} \\d+$`));
      return Number(l.text.slice(prefix.length + 1));
    });
}

describe("followLogs", () => {
  it("delivers new numbered lines live, in order, with stdout and stderr separated", async () => {
    const release = await engine.runRelease(newRelease());
    await sleep(500); // let some history accumulate that tail: 0 must not replay
    const lines: LogLine[] = [];
    const ends: Array<Error | undefined> = [];
    const stop = await engine.followLogs(
      release.containerId,
      { tail: 0 },
      (l) => lines.push(l),
      (e) => ends.push(e),
    );

    await eventually(async () => (lines.filter((l) => l.stream === "stdout").length >= 6 ? true : undefined), 5_000);

    const out = numbers(lines, "stdout", "out");
    const err = numbers(lines, "stderr", "err");
    expect(out.length).toBeGreaterThanOrEqual(6);
    expect(err.length).toBeGreaterThanOrEqual(5);
    expect(out[0]).toBeGreaterThan(2); // live lines only: the history before following was skipped
    out.forEach((n, i) => i > 0 && expect(n).toBe((out[i - 1] ?? 0) + 1)); // consecutive, no gaps or splits
    err.forEach((n, i) => i > 0 && expect(n).toBe((err[i - 1] ?? 0) + 1));
    for (const line of lines) {
      expect(line.time).toMatch(RFC3339_NANO);
      expect(Number.isNaN(Date.parse(line.time))).toBe(false);
    }
    const times = lines.filter((l) => l.stream === "stdout").map((l) => l.time);
    expect([...times].sort()).toEqual(times);

    stop();
    const countAtStop = lines.length;
    await sleep(600);
    expect(lines.length).toBe(countAtStop);
    expect(ends).toEqual([undefined]);
    stop(); // idempotent
    expect(ends).toHaveLength(1);
  });

  it("sends the requested history first", async () => {
    const release = await engine.runRelease(newRelease());
    await sleep(1_200);
    const lines: LogLine[] = [];
    const stop = await engine.followLogs(release.containerId, { tail: 4 }, (l) => lines.push(l));
    await eventually(async () => (lines.length >= 4 ? true : undefined), 2_000);
    stop();
    expect(lines.slice(0, 4).every((l) => /^(out|err) \d+$/.test(l.text))).toBe(true);
    expect(Number(lines[0]?.text.split(" ")[1])).toBeGreaterThan(1);
  });

  it("calls onEnd once when the container goes away", async () => {
    const release = await engine.runRelease(newRelease());
    const ends: Array<Error | undefined> = [];
    const lines: LogLine[] = [];
    await engine.followLogs(
      release.containerId,
      { tail: 1 },
      (l) => lines.push(l),
      (e) => ends.push(e),
    );
    await eventually(async () => (lines.length > 0 ? true : undefined), 3_000);
    await engine.removeContainer(release.containerId);
    await eventually(async () => (ends.length > 0 ? true : undefined), 5_000);
    await sleep(200);
    expect(ends).toHaveLength(1);
  });

  it("reports NOT_FOUND for an unknown container", async () => {
    await expect(engine.followLogs(uniqueId("nope"), {}, () => undefined)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

const textsOf = (lines: LogLine[], stream: LogLine["stream"]) => lines.filter((l) => l.stream === stream).map((l) => l.text);

describe("readLogs", () => {
  it("reads a quiet container's lines up to now and ends (a follow bounded by until waits for a later line)", async () => {
    const release = await engine.runRelease(
      newRelease({ command: ["/bin/sh", "-c", "echo one; echo two >&2; echo three; exec httpd -f -p 8080 -h /"] }),
    );
    await eventually(async () => ((await engine.readLogs(release.containerId, { tail: 10 })).length === 3 ? true : undefined), 5_000);
    const until = Date.now() / 1000;
    const lines = await engine.readLogs(release.containerId, { tail: 10, until });
    // Each stream in its order (the engine orders stdout against stderr only as they reached it).
    expect({ stdout: textsOf(lines, "stdout"), stderr: textsOf(lines, "stderr") }).toEqual({ stdout: ["one", "three"], stderr: ["two"] });
    for (const l of lines) expect(l.time).toMatch(RFC3339_NANO);
    expect(await engine.readLogs(release.containerId, { tail: 1, until })).toEqual([lines.at(-1)]);
    // A range after its last line: nothing, at once.
    expect(await engine.readLogs(release.containerId, { since: Math.ceil(until) + 1, tail: 10 })).toEqual([]);
  });

  it("refuses a container Berth does not manage, handing out none of its lines or stats", async () => {
    // The ownership proof and the log (stats) request go out together: neither may let a line through.
    const foreign = await docker.createContainer({
      Image: "berth-test/engine-hello:latest",
      Entrypoint: ["/bin/sh", "-c"],
      Cmd: ["echo foreign-line; exec httpd -f -p 8080 -h /"],
      Labels: { "io.berth.test-run": teamId },
    });
    try {
      await foreign.start();
      await eventually(
        async () => (String(await foreign.logs({ stdout: true, follow: false })).includes("foreign-line") ? true : undefined),
        5_000,
      );
      const seen: LogLine[] = [];
      await expect(engine.readLogsInto(foreign.id, { tail: 10 }, (lines) => seen.push(...lines))).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
      await expect(engine.followLogs(foreign.id, { tail: 10 }, (line) => seen.push(line))).rejects.toMatchObject({ code: "NOT_FOUND" });
      const samples: StatsSample[] = [];
      await expect(engine.followStats(foreign.id, (s) => samples.push(s))).rejects.toMatchObject({ code: "NOT_FOUND" });
      await sleep(1_500); // the engine sends a stats sample about every second
      expect(seen).toEqual([]);
      expect(samples).toEqual([]);
    } finally {
      await foreign.remove({ force: true });
    }
  });

  it("reports NOT_FOUND for an unknown container and INVALID for a bad range", async () => {
    await expect(engine.readLogs(uniqueId("nope"), {})).rejects.toMatchObject({ code: "NOT_FOUND" });
    const release = await engine.runRelease(newRelease());
    await expect(engine.readLogs(release.containerId, { tail: -1 })).rejects.toMatchObject({ code: "INVALID" });
  });
});
