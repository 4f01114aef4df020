/**
 * Named volumes for the control plane on the real engine: listed with size and users,
 * removed only when Berth's and unused; bind mounts checked on their realpath.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rejectionOf, uniqueId, useTestTeam } from "./support/hello-image.ts";

const { engine, docker, teamId, newRelease } = useTestTeam();
const dir = mkdtempSync(join(tmpdir(), "berth-bind-"));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("listVolumes / removeVolume", () => {
  it("lists a project's volumes with size and users; refuses to remove one in use, a foreign one, a missing one", async () => {
    const projectId = uniqueId("p");
    const owner = { teamId, projectId, serviceId: uniqueId("s") };
    const release = await engine.runRelease(
      newRelease({
        owner,
        volumes: [
          { type: "volume", name: "pg", target: "/data" },
          { type: "volume", name: "cache", target: "/cache" },
        ],
      }),
    );
    await engine.exec(release.containerId, { cmd: ["sh", "-c", "head -c 65536 /dev/zero > /data/blob"] });

    const listed = await engine.listVolumes({ projectId });
    expect(listed.map((v) => [v.name, v.volumeName, v.projectId, v.usedBy])).toEqual([
      ["cache", `berth-${projectId}-cache`, projectId, [release.containerName]],
      ["pg", `berth-${projectId}-pg`, projectId, [release.containerName]],
    ]);
    const pg = listed.find((v) => v.name === "pg");
    expect(pg?.sizeBytes).toBeGreaterThanOrEqual(65536);
    expect((await engine.listVolumes({ teamId })).map((v) => v.volumeName)).toEqual(
      expect.arrayContaining(listed.map((v) => v.volumeName)),
    );
    expect(await engine.listVolumes({ projectId: uniqueId("p") })).toEqual([]);

    const inUse = await rejectionOf(() => engine.removeVolume(projectId, "pg"));
    expect(inUse.code).toBe("CONFLICT");
    expect(inUse.message).toContain(release.containerName);
    expect((await rejectionOf(() => engine.removeVolume(projectId, "absent"))).code).toBe("NOT_FOUND");
    expect((await rejectionOf(() => engine.removeVolume(projectId, "../x"))).code).toBe("INVALID");

    // A same-named volume Berth did not create is neither listed nor removed.
    const foreign = `berth-${projectId}-foreign`;
    await docker.createVolume({ Name: foreign, Labels: { "io.berth.team": teamId } });
    expect((await engine.listVolumes({ projectId })).map((v) => v.name)).not.toContain("foreign");
    expect((await rejectionOf(() => engine.removeVolume(projectId, "foreign"))).code).toBe("CONFLICT");
    expect((await docker.getVolume(foreign).inspect()).Name).toBe(foreign);

    // Removing the service never removes its volumes; removeVolume then does.
    await engine.removeService(owner.serviceId);
    expect((await engine.listVolumes({ projectId })).map((v) => [v.name, v.usedBy])).toEqual([
      ["cache", []],
      ["pg", []],
    ]);
    await engine.removeVolume(projectId, "pg");
    expect((await engine.listVolumes({ projectId })).map((v) => v.name)).toEqual(["cache"]);
  });
});

describe("bind mounts on the host", () => {
  it("refuses a symlink to /etc and a missing path, and mounts a plain directory", async () => {
    const link = join(dir, "etc-link");
    symlinkSync("/etc", link);
    const viaLink = await rejectionOf(() => engine.runRelease(newRelease({ volumes: [{ type: "bind", source: link, target: "/x" }] })));
    expect(viaLink.code).toBe("INVALID");
    expect(viaLink.message).toContain(`${link} resolves to /etc, which is /etc`);
    const missing = await rejectionOf(() =>
      engine.runRelease(newRelease({ volumes: [{ type: "bind", source: join(dir, "missing"), target: "/x" }] })),
    );
    expect(missing.code).toBe("INVALID");
    expect(missing.message).toMatch(/does not resolve on the host \(ENOENT\)/);

    const data = join(dir, "data");
    mkdirSync(data);
    const release = await engine.runRelease(newRelease({ volumes: [{ type: "bind", source: data, target: "/x" }] }));
    expect((await engine.exec(release.containerId, { cmd: ["sh", "-c", "echo hi > /x/f && cat /x/f"] })).output).toBe("hi\n");
  });
});
