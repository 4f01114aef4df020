import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerEngine, type ReleaseSpec } from "../src/index.ts";
import { buildHelloImage, cleanupTeam, rawDocker, rejectionOf, releaseFactory, uniqueId } from "./support/hello-image.ts";

const engine = new DockerEngine();
const docker = rawDocker();
const teamId = uniqueId("team");
const newRelease = releaseFactory(teamId);
const hostDir = mkdtempSync(join(tmpdir(), "berth bind ünï $(x) "));

beforeAll(async () => {
  await buildHelloImage(engine);
  writeFileSync(join(hostDir, "file"), "from the host\n");
});

afterAll(async () => {
  await cleanupTeam(docker, teamId);
  rmSync(hostDir, { recursive: true, force: true });
});

const hostile = ["--privileged", "$(touch /pwned)", "`id`", "a;b&&c|d", "line\nbreak", `'single' "double"`, "ünïcode ✓", "-rf"];

describe("hostile strings travel as data", () => {
  it("command, entrypoint, env, labels and a bind path arrive verbatim and nothing is interpreted", async () => {
    const spec = newRelease({
      // The entrypoint is an argv wrapper that serves and also records its arguments, proving none was interpreted.
      entrypoint: ["/bin/sh", "-c", 'for a in "$@"; do printf "[%s]\\n" "$a"; done > /www-args; exec /bin/sh /entry.sh', "berth"],
      command: hostile,
      // A dotted name as Elasticsearch reads it: a name a shell cannot hold, passed all the same.
      env: { GREETING: "ok", HOSTILE: hostile.join(" "), "discovery.type": "single-node" },
      labels: { "com.example.hostile": hostile.join(" ") },
      volumes: [{ type: "bind", source: hostDir, target: "/host", readOnly: true }],
    });
    const release = await engine.runRelease(spec);
    const info = await docker.getContainer(release.containerId).inspect();
    expect(info.Config.Cmd).toEqual(hostile);
    expect(info.Config.Env).toContain(`HOSTILE=${hostile.join(" ")}`);
    expect(info.Config.Labels["com.example.hostile"]).toBe(hostile.join(" "));
    expect(info.Mounts.find((m) => m.Destination === "/host")?.Source).toBe(hostDir);
    const args = await engine.exec(release.containerId, { cmd: ["cat", "/www-args"] });
    expect(args.output).toBe(hostile.map((a) => `[${a}]\n`).join(""));
    expect((await engine.exec(release.containerId, { cmd: ["cat", "/host/file"] })).output).toBe("from the host\n");
    expect((await engine.exec(release.containerId, { cmd: ["ls", "/pwned"] })).exitCode).not.toBe(0);
    expect((await engine.exec(release.containerId, { cmd: ["env"] })).output).toContain("discovery.type=single-node\n");
  });

  it.each<[string, Partial<ReleaseSpec>]>([
    ["an image with a leading dash", { image: "-rf" }],
    ["an image with a newline", { image: "app\n:1" }],
    ["a unicode service name", { serviceName: "wéb" }],
    ["a service name with a shell metacharacter", { serviceName: "web;id" }],
    ["a deployment id with a slash", { deploymentId: "../etc" }],
    ["an env name with a space", { env: { "A B": "x" } }],
    ["a volume name with a leading dash", { volumes: [{ type: "volume", name: "-v", target: "/v" }] }],
    ["a bind of the engine socket", { volumes: [{ type: "bind", source: "/var/run/docker.sock", target: "/s" }] }],
    ["a health path with a newline", { healthCheck: { type: "http", path: "/\nHost: x" } }],
  ])("rejects %s as INVALID before any engine call", async (_what, overrides) => {
    const absent = new DockerEngine({ socketPath: join(tmpdir(), `${uniqueId("no-engine-")}.sock`) });
    const spec = newRelease(overrides);
    expect((await rejectionOf(() => absent.runRelease(spec))).code).toBe("INVALID");
    expect((await rejectionOf(() => absent.ensureService(spec))).code).toBe("INVALID");
  });

  it("retireOthers rejects a bad service id, deployment id or grace as INVALID before any engine call", async () => {
    const absent = new DockerEngine({ socketPath: join(tmpdir(), `${uniqueId("no-engine-")}.sock`) });
    const { owner, deploymentId } = newRelease();
    for (const call of [
      () => absent.retireOthers("../etc", deploymentId),
      () => absent.retireOthers(owner.serviceId, "a b"),
      () => absent.retireOthers(owner.serviceId, deploymentId, -1),
    ])
      expect((await rejectionOf(call)).code).toBe("INVALID");
  });
});
