import { describe, expect, it } from "vitest";
import { LABEL_SERVICE, type ManagedScope } from "../src/index.ts";
import {
  eventually,
  HELLO_IMAGE,
  httpGet,
  rejectionOf,
  releaseFactory,
  TEST_RUN_LABEL,
  uniqueId,
  useTestTeam,
} from "./support/hello-image.ts";

const { engine, docker, teamId, newRelease } = useTestTeam();

describe("service lifecycle", () => {
  it("stops, starts and removes a service's containers", async () => {
    const spec = newRelease({ env: { GREETING: "lifecycle" } });
    const serviceId = spec.owner.serviceId;
    const release = await engine.runRelease(spec);

    await engine.stopService(serviceId, 2);
    const stopped = await engine.listManaged({ serviceId });
    expect(stopped).toHaveLength(1);
    expect(stopped[0]?.state).toBe("exited");
    expect(stopped[0]?.hostPort).toBeNull();
    await engine.stopService(serviceId, 2); // already stopped: no error

    const started = await engine.startService(serviceId);
    expect(started.map((c) => [c.containerId, c.state])).toEqual([[release.containerId, "running"]]);
    const hostPort = started[0]?.hostPort;
    expect(hostPort).toBeGreaterThan(0);
    // The host port may change on restart: the caller must use the returned one.
    const page = await eventually(async () => {
      const answer = await httpGet(hostPort ?? 0);
      return answer.status === 200 ? answer : undefined;
    });
    expect(page.body).toBe("lifecycle\n");
    await engine.startService(serviceId); // already running: no error

    await engine.removeService(serviceId);
    expect(await engine.listManaged({ serviceId })).toEqual([]);
    await expect(docker.getContainer(release.containerId).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await engine.removeService(serviceId); // nothing left: no error
  });

  it("removes one managed container by id and reports NOT_FOUND once it is gone", async () => {
    const release = await engine.runRelease(newRelease());
    await engine.removeContainer(release.containerId);
    await expect(docker.getContainer(release.containerId).inspect()).rejects.toMatchObject({ statusCode: 404 });
    const again = await rejectionOf(() => engine.removeContainer(release.containerId));
    expect(again.code).toBe("NOT_FOUND");
  });
});

describe("listing one scope", () => {
  it("lists only the asked team's or project's containers: the engine filters on their labels", async () => {
    const mine = newRelease();
    const theirs = releaseFactory(uniqueId("team"))();
    const [a, b] = await Promise.all([engine.runRelease(mine), engine.runRelease(theirs)]);
    try {
      const ids = async (scope: ManagedScope) => (await engine.listManaged(scope)).map((c) => c.containerId);
      expect(await ids({ teamId })).toContain(a.containerId);
      expect(await ids({ teamId })).not.toContain(b.containerId);
      expect(await ids({ teamId: theirs.owner.teamId })).toEqual([b.containerId]);
      expect(await ids({ projectId: mine.owner.projectId })).toEqual([a.containerId]);
      expect(await ids({ teamId, projectId: theirs.owner.projectId })).toEqual([]);
      expect(await ids({})).toEqual(expect.arrayContaining([a.containerId, b.containerId]));
    } finally {
      await engine.removeService(theirs.owner.serviceId);
      await engine.removeService(mine.owner.serviceId);
    }
  });
});

describe("containers Berth does not own", () => {
  it("are invisible to listManaged and untouched by removeService; removeContainer refuses them", async () => {
    const spec = newRelease();
    const serviceId = spec.owner.serviceId;
    const managed = await engine.runRelease(spec);
    // Same service label, but no io.berth.managed-by: someone else's container.
    const outsider = await docker.createContainer({
      name: uniqueId("not-berth-"),
      Image: HELLO_IMAGE,
      Labels: { [LABEL_SERVICE]: serviceId, [TEST_RUN_LABEL]: teamId },
    });
    await outsider.start();

    const listedAll = await engine.listManaged();
    expect(listedAll.some((c) => c.containerId === outsider.id)).toBe(false);
    expect(listedAll.some((c) => c.containerId === managed.containerId)).toBe(true);
    expect((await engine.listManaged({ serviceId })).map((c) => c.containerId)).toEqual([managed.containerId]);

    const refused = await rejectionOf(() => engine.removeContainer(outsider.id));
    expect(refused.code).toBe("NOT_FOUND");
    expect(refused.message).toMatch(/not managed by Berth/);

    await expect(engine.followLogs(outsider.id, {}, () => undefined)).rejects.toMatchObject({ code: "NOT_FOUND" });

    await engine.stopService(serviceId, 1);
    await engine.removeService(serviceId);

    const after = await outsider.inspect();
    expect(after.State.Running).toBe(true);
    await expect(docker.getContainer(managed.containerId).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it("rejects malformed container ids before calling the engine", async () => {
    for (const bad of ["../images/x", "a/b", "x?force=1", ""]) {
      expect((await rejectionOf(() => engine.removeContainer(bad))).code).toBe("INVALID");
    }
  });
});
