import { describe, expect, it } from "vitest";
import { LABEL_SERVICE } from "../src/index.ts";
import { httpGet, uniqueId, useTestTeam } from "./support/hello-image.ts";

const { engine, docker, teamId, newRelease } = useTestTeam();

describe("runRelease", () => {
  it("starts a container that serves on 127.0.0.1:<hostPort>, labelled and named by contract", async () => {
    const spec = newRelease({ env: { GREETING: "hi from $(rm -rf /) `id`; ünïcode" } });
    const release = await engine.runRelease(spec);

    expect(release.deploymentId).toBe(spec.deploymentId);
    expect(release.containerName).toBe(`berth-hello-${spec.owner.serviceId.slice(0, 8)}-${spec.deploymentId.slice(0, 8)}`);
    expect(release.hostPort).toBeGreaterThan(0);
    const page = await httpGet(release.hostPort);
    expect(page.status).toBe(200);
    expect(page.body).toBe("hi from $(rm -rf /) `id`; ünïcode\n");

    const info = await docker.getContainer(release.containerId).inspect();
    expect(info.Config.Labels).toMatchObject({
      "io.berth.managed-by": "berth",
      "io.berth.team": teamId,
      "io.berth.project": spec.owner.projectId,
      "io.berth.service": spec.owner.serviceId,
      "io.berth.deployment": spec.deploymentId,
    });
    expect(info.HostConfig.RestartPolicy?.Name).toBe("unless-stopped");
    expect(info.HostConfig.Init).toBe(true);
    expect(info.NetworkSettings.Ports["8080/tcp"]?.[0]?.HostIp).toBe("127.0.0.1");

    const listed = await engine.listManaged({ serviceId: spec.owner.serviceId });
    expect(listed).toEqual([
      {
        containerId: release.containerId,
        containerName: release.containerName,
        owner: spec.owner,
        deploymentId: spec.deploymentId,
        state: "running",
        hostPort: release.hostPort,
        restartCount: 0,
      },
    ]);
  });

  it("is idempotent per deployment: a re-run replaces the container, leaving one", async () => {
    const spec = newRelease();
    const first = await engine.runRelease(spec);
    const second = await engine.runRelease(spec);

    expect(second.containerName).toBe(first.containerName);
    expect(second.containerId).not.toBe(first.containerId);
    const all = await docker.listContainers({ all: true, filters: { label: [`${LABEL_SERVICE}=${spec.owner.serviceId}`] } });
    expect(all.map((c) => c.Id)).toEqual([second.containerId]);
    expect((await httpGet(second.hostPort)).status).toBe(200);
  });

  it("runs a new release beside the old one: both serve, each from its own spec", async () => {
    const oldSpec = newRelease({ env: { GREETING: "v1" } });
    const newSpec = { ...oldSpec, deploymentId: uniqueId("d"), env: { GREETING: "v2" } };
    const oldRelease = await engine.runRelease(oldSpec);
    const newRelease_ = await engine.runRelease(newSpec);

    expect(newRelease_.hostPort).not.toBe(oldRelease.hostPort);
    expect((await httpGet(oldRelease.hostPort)).body).toBe("v1\n");
    expect((await httpGet(newRelease_.hostPort)).body).toBe("v2\n");
    expect((await engine.listManaged({ serviceId: oldSpec.owner.serviceId })).map((c) => c.deploymentId).sort()).toEqual(
      [oldSpec.deploymentId, newSpec.deploymentId].sort(),
    );
  });

  it("refuses to replace a same-named container that belongs to another deployment", async () => {
    const spec = newRelease();
    const release = await engine.runRelease(spec);
    // Same first 8 characters of the deployment id -> same deterministic name, different deployment.
    const clash = { ...spec, deploymentId: `${spec.deploymentId.slice(0, 8)}zz` };
    await expect(engine.runRelease(clash)).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await docker.getContainer(release.containerId).inspect()).State.Running).toBe(true);
  });
});
