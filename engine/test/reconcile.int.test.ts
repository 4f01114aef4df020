import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerEngine, type ReleaseSpec } from "../src/index.ts";
import { buildContainerSpec } from "../src/container-spec.ts";
import { buildHelloImage, cleanupTeam, httpGet, rawDocker, releaseFactory, TEST_RUN_LABEL, uniqueId } from "./support/hello-image.ts";

const engine = new DockerEngine();
const docker = rawDocker();
const teamId = uniqueId("team");
const newRelease = releaseFactory(teamId);
const foreignNetworks: string[] = [];
const foreignVolumes: string[] = [];
const berthNetworks: string[] = [];
const berthVolumes: string[] = [];

beforeAll(async () => {
  await buildHelloImage(engine);
});

afterAll(async () => {
  await cleanupTeam(docker, teamId);
  const ignore404 = (e: { statusCode?: number }) => {
    if (e.statusCode !== 404) throw e;
  };
  for (const n of [...foreignNetworks, ...berthNetworks]) await docker.getNetwork(n).remove().catch(ignore404);
  for (const v of [...foreignVolumes, ...berthVolumes]) await docker.getVolume(v).remove().catch(ignore404);
});

/** What a crash right after "create container" leaves: the container exists but never started. */
async function createOnly(spec: ReleaseSpec, replica = 0): Promise<string> {
  const { name, ...body } = buildContainerSpec(spec, replica);
  const c = await docker.createContainer({ ...body, name });
  return c.id;
}

async function containersOf(serviceId: string) {
  return docker.listContainers({ all: true, filters: { label: [`io.berth.service=${serviceId}`] } });
}

describe("ensureService converges after a crash at any step", () => {
  it("is idempotent: a second ensure keeps the same container and changes nothing", async () => {
    const spec = newRelease();
    const first = await engine.ensureService(spec);
    const second = await engine.ensureService(spec);
    expect(first.changed).toBe(true);
    expect(second).toEqual({ release: first.release, changed: false, removed: [] });
    expect((await containersOf(spec.owner.serviceId)).map((c) => c.Id)).toEqual([first.release.containerId]);
  });

  it("crash after create, before start (old still running): converges to the new release only", async () => {
    const old = newRelease({ env: { GREETING: "old" } });
    await engine.ensureService(old);
    const next = { ...old, deploymentId: uniqueId("d"), env: { GREETING: "new" } };
    const halfMade = await createOnly(next);
    const result = await engine.ensureService(next, { graceSeconds: 1 });
    expect(result.changed).toBe(true);
    expect(result.release.containerId).not.toBe(halfMade);
    const left = await containersOf(old.owner.serviceId);
    expect(left.map((c) => [c.Id, c.State])).toEqual([[result.release.containerId, "running"]]);
    expect((await httpGet(result.release.hostPort)).body).toBe("new\n");
  });

  it("crash after the new release became healthy, before the old was retired: keeps the new container, retires the old", async () => {
    const old = newRelease({ env: { GREETING: "old" } });
    const oldRelease = await engine.runRelease(old);
    const next = { ...old, deploymentId: uniqueId("d"), env: { GREETING: "new" } };
    const newRelease_ = await engine.runRelease(next);
    const handed: string[] = [];
    const result = await engine.ensureService(next, {
      graceSeconds: 1,
      onHandover: ({ release }) => {
        handed.push(release.containerId);
      },
    });
    expect(result.changed).toBe(false);
    expect(result.release.containerId).toBe(newRelease_.containerId);
    expect(result.removed).toEqual([oldRelease.containerName]);
    expect(handed).toEqual([newRelease_.containerId]);
    expect((await containersOf(old.owner.serviceId)).map((c) => c.Id)).toEqual([newRelease_.containerId]);
  });

  it("crash half-way through the replicas, with a stray release and a stopped container: converges to exactly one full release", async () => {
    const spec = newRelease({ replicas: 2 });
    const stray = { ...spec, deploymentId: uniqueId("d"), replicas: 1 };
    await createOnly(stray);
    const onlyFirst = await createOnly(spec, 0);
    await docker.getContainer(onlyFirst).start();
    await docker.getContainer(onlyFirst).stop({ t: 0 });
    const result = await engine.ensureService(spec, { graceSeconds: 1 });
    expect(result.changed).toBe(true);
    const left = await containersOf(spec.owner.serviceId);
    expect(left).toHaveLength(2);
    expect(left.every((c) => c.State === "running" && c.Labels["io.berth.deployment"] === spec.deploymentId)).toBe(true);
    expect(left.map((c) => c.Labels["io.berth.replica"]).sort()).toEqual(["0", "1"]);
    expect(await engine.ensureService(spec)).toMatchObject({ changed: false, removed: [] });
  });

  it("updates limits and restart policy in place (same container); lifting a limit re-creates", async () => {
    const spec = newRelease({ resources: { memoryBytes: 32 * 1024 * 1024 } });
    const first = await engine.ensureService(spec);
    const tighter = { ...spec, resources: { cpus: 0.5, memoryBytes: 48 * 1024 * 1024 }, restartPolicy: { name: "always" as const } };
    const updated = await engine.ensureService(tighter);
    expect(updated.changed).toBe(true);
    expect(updated.release.containerId).toBe(first.release.containerId);
    const info = await docker.getContainer(first.release.containerId).inspect();
    expect([info.HostConfig.NanoCpus, info.HostConfig.Memory, info.HostConfig.RestartPolicy?.Name]).toEqual([
      500_000_000,
      48 * 1024 * 1024,
      "always",
    ]);
    expect((await engine.ensureService(tighter)).changed).toBe(false);
    const lifted = await engine.ensureService({ ...tighter, resources: { cpus: 0.5 } });
    expect(lifted.release.containerId).not.toBe(first.release.containerId);
    expect((await docker.getContainer(lifted.release.containerId).inspect()).HostConfig.Memory).toBe(0);
  });

  it("a changed spec for the same deployment (drift) is re-created", async () => {
    const spec = newRelease({ env: { GREETING: "a" } });
    const first = await engine.ensureService(spec);
    const drifted = await engine.ensureService({ ...spec, env: { GREETING: "b" } });
    expect(drifted.changed).toBe(true);
    expect(drifted.release.containerId).not.toBe(first.release.containerId);
    expect((await httpGet(drifted.release.hostPort)).body).toBe("b\n");
    expect(await containersOf(spec.owner.serviceId)).toHaveLength(1);
  });
});

describe("clean-up touches only Berth-labelled resources", () => {
  it("removeService (which takes the service network) and pruneNetworks leave unlabelled containers, networks and volumes (and every volume) alone", async () => {
    const spec = newRelease({ network: { scope: "service" }, volumes: [{ type: "volume", name: "keep", target: "/keep" }] });
    const serviceNet = `berth-s-${spec.owner.serviceId}`;
    berthNetworks.push(serviceNet);
    berthVolumes.push(`berth-${spec.owner.projectId}-keep`);
    // Look-alikes without Berth's label: same name prefixes, even Berth's service label key on the container.
    const foreignNet = `berth-s-${uniqueId("x")}`;
    const foreignVol = `berth-${uniqueId("x")}-data`;
    foreignNetworks.push(foreignNet);
    foreignVolumes.push(foreignVol);
    const lookAlike = { [TEST_RUN_LABEL]: teamId, "io.berth.service": spec.owner.serviceId, "io.berth.project": spec.owner.projectId };
    await docker.createNetwork({ Name: foreignNet, Labels: lookAlike });
    await docker.createVolume({ Name: foreignVol, Labels: lookAlike });
    const foreign = await docker.createContainer({
      name: `berth-hello-${uniqueId("x")}`,
      Image: "berth-test/engine-hello:latest",
      Labels: { [TEST_RUN_LABEL]: teamId, "io.berth.service": spec.owner.serviceId },
      HostConfig: { NetworkMode: foreignNet },
    });
    await foreign.start();

    await engine.ensureService(spec);
    await engine.removeService(spec.owner.serviceId);
    // Scoped to this test's project: other engineers share this engine.
    const pruned = await engine.pruneNetworks({ projectId: spec.owner.projectId });

    expect(pruned).not.toContain(foreignNet);
    expect((await foreign.inspect()).State.Running).toBe(true);
    expect((await docker.getNetwork(foreignNet).inspect()).Name).toBe(foreignNet);
    expect((await docker.getVolume(foreignVol).inspect()).Name).toBe(foreignVol);
    // Berth's own volume survives too: volumes are never pruned.
    expect((await docker.getVolume(`berth-${spec.owner.projectId}-keep`).inspect()).Labels).toMatchObject({
      "io.berth.managed-by": "berth",
    });
    await expect(docker.getNetwork(serviceNet).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await containersOf(spec.owner.serviceId)).toHaveLength(1); // only the foreign look-alike
  });

  it("refuses to adopt a same-named network that Berth does not own", async () => {
    const spec = newRelease({ network: { scope: "service" } });
    const name = `berth-s-${spec.owner.serviceId}`;
    foreignNetworks.push(name);
    await docker.createNetwork({ Name: name, Labels: { [TEST_RUN_LABEL]: teamId } });
    await expect(engine.runRelease(spec)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await containersOf(spec.owner.serviceId)).toEqual([]);
  });
});
