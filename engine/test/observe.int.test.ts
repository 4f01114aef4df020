import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerEngine, type EngineEvent, type LogLine, type StatsSample } from "../src/index.ts";
import {
  buildHealthcheckImage,
  buildHelloImage,
  cleanupTeam,
  eventually,
  HEALTHCHECK_IMAGE,
  rawDocker,
  rejectionOf,
  releaseFactory,
  uniqueId,
} from "./support/hello-image.ts";

const engine = new DockerEngine();
const docker = rawDocker();
const teamId = uniqueId("team");
const newRelease = releaseFactory(teamId);

beforeAll(async () => {
  await buildHelloImage(engine);
  await buildHealthcheckImage(engine);
});

afterAll(async () => {
  await cleanupTeam(docker, teamId);
});

describe("observability", () => {
  it("reports state, health and restart count, and types die and health_status events", async () => {
    const spec = newRelease({ image: HEALTHCHECK_IMAGE, restartPolicy: { name: "on-failure", maxRetries: 5 } });
    const events: EngineEvent[] = [];
    const stop = await engine.followEvents({ serviceId: spec.owner.serviceId }, (e) => events.push(e));
    try {
      const release = await engine.runRelease(spec);
      expect(await engine.containerStatus(release.containerId)).toMatchObject({
        state: "running",
        health: "healthy",
        restartCount: 0,
        exitCode: null,
        oomKilled: false,
      });
      // The process fails from the inside (a kill through the API counts as a manual stop):
      // the init forwards SIGTERM, the container dies with 143 and the policy restarts it.
      await engine.exec(release.containerId, { cmd: ["kill", "-TERM", "1"] });
      const died = await eventually(async () => events.find((e) => e.type === "die"));
      expect(died).toMatchObject({
        type: "die",
        exitCode: 143,
        containerId: release.containerId,
        deploymentId: spec.deploymentId,
        owner: spec.owner,
      });
      expect(events.some((e) => e.type === "health_status" && e.status === "healthy")).toBe(true);
      const status = await eventually(async () => {
        const s = await engine.containerStatus(release.containerId);
        return s.restartCount >= 1 && s.state === "running" ? s : undefined;
      });
      expect(status.restartCount).toBeGreaterThanOrEqual(1);
    } finally {
      stop();
    }
  });

  it("types an oom kill", async () => {
    const spec = newRelease({ resources: { memoryBytes: 8 * 1024 * 1024 }, restartPolicy: { name: "no" } });
    const release = await engine.runRelease(spec);
    const events: EngineEvent[] = [];
    const stop = await engine.followEvents({ serviceId: spec.owner.serviceId }, (e) => events.push(e));
    try {
      // Fill memory inside the limit's cgroup: the kernel OOM-kills the shell (exit 137), or the
      // whole container goes down with it and the exec stream just ends.
      const hog = await engine.exec(release.containerId, { cmd: ["sh", "-c", "x=a; while true; do x=$x$x; done"], timeoutMs: 20_000 });
      expect(hog.exitCode === null || hog.exitCode === 137).toBe(true);
      await eventually(async () => (events.some((e) => e.type === "oom") ? true : undefined), 20_000);
    } finally {
      stop();
    }
  });

  it("streams stats with CPU % from consecutive samples, memory and network counters", async () => {
    const release = await engine.runRelease(newRelease());
    const samples: StatsSample[] = [];
    const stop = await engine.followStats(release.containerId, (s) => samples.push(s));
    try {
      await eventually(async () => (samples.length >= 3 ? true : undefined), 10_000);
    } finally {
      stop();
    }
    expect(samples[0]?.cpuPercent).toBeNull();
    expect(samples.slice(1).every((s) => typeof s.cpuPercent === "number" && s.cpuPercent >= 0)).toBe(true);
    expect(samples.every((s) => s.memoryBytes > 0 && s.memoryLimitBytes > 0)).toBe(true);
    expect(samples.at(-1)?.networkRxBytes).toBeGreaterThanOrEqual(0);
  });

  it("follows logs of one stream only, with since/until", async () => {
    const release = await engine.runRelease(newRelease());
    await eventually(async () => ((await engine.exec(release.containerId, { cmd: ["true"] })).exitCode === 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 1_200));
    const until = Math.floor(Date.now() / 1000);
    const lines: LogLine[] = [];
    const ended = new Promise<void>((resolve) => {
      void engine.followLogs(
        release.containerId,
        { tail: 1000, stdout: false, until },
        (l) => lines.push(l),
        () => resolve(),
      );
    });
    await ended;
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.stream === "stderr" && /^err \d+$/.test(l.text))).toBe(true);
    expect(lines.every((l) => Date.parse(l.time) < (until + 1) * 1000)).toBe(true);
    expect((await rejectionOf(() => engine.followLogs(release.containerId, { stdout: false, stderr: false }, () => undefined))).code).toBe(
      "INVALID",
    );
  });
});

describe("exec", () => {
  it("runs a command as argv (no shell) and returns its output and exit code", async () => {
    const release = await engine.runRelease(newRelease());
    const hostile = "$(touch /pwned); `id` ünïcode 'q' \"dq\"";
    const result = await engine.exec(release.containerId, { cmd: ["echo", hostile] });
    expect(result).toEqual({ exitCode: 0, output: `${hostile}\n`, stderr: "" });
    expect((await engine.exec(release.containerId, { cmd: ["ls", "/pwned"] })).exitCode).not.toBe(0);
    const failing = await engine.exec(release.containerId, { cmd: ["sh", "-c", "echo oops >&2; exit 3"] });
    expect(failing).toEqual({ exitCode: 3, output: "", stderr: "oops\n" });
  });

  it("opens an interactive session: stdin in, stdout out, resize on a TTY", async () => {
    const release = await engine.runRelease(newRelease());
    const piped = await engine.openExec(release.containerId, { cmd: ["cat"], stdin: true });
    let out = "";
    piped.stdout.on("data", (c: Buffer) => (out += c.toString()));
    piped.write("line one\n");
    await eventually(async () => (out === "line one\n" ? true : undefined), 5_000);
    piped.write("line two\n");
    piped.endInput();
    expect(await piped.wait()).toBe(0);
    expect(out).toBe("line one\nline two\n");

    const tty = await engine.openExec(release.containerId, { cmd: ["sh"], stdin: true, tty: true });
    let screen = "";
    tty.stdout.on("data", (c: Buffer) => (screen += c.toString()));
    await tty.resize({ cols: 123, rows: 45 });
    tty.write("stty size; exit 0\n");
    expect(await tty.wait()).toBe(0);
    expect(screen).toContain("45 123");
    await expect(tty.resize({ cols: 0, rows: 1 })).rejects.toMatchObject({ code: "INVALID" });
  });

  it("refuses containers Berth does not manage", async () => {
    const foreign = await docker.createContainer({ Image: "berth-test/engine-hello:latest", Labels: { "io.berth.test-run": teamId } });
    try {
      expect((await rejectionOf(() => engine.exec(foreign.id, { cmd: ["true"] }))).code).toBe("NOT_FOUND");
    } finally {
      await foreign.remove({ force: true });
    }
  });
});
