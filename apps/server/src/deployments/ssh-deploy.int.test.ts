import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { DockerEngine } from "@berth/engine";
import { helloDockerfile, startGitFixture, type GitFixture } from "../../test/git-fixture.ts";
import { httpGet, requireTestImage, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { startSshFixture, type SshFixture } from "../../test/ssh-fixture.ts";
import { createService, getService } from "../services/services.ts";
import { createServiceInput } from "../services/service-input.ts";
import { buildRepository } from "./build-stage.ts";
import { enqueueDeployment } from "./deployments.ts";
import { isTerminalStatus } from "./statuses.ts";
import { DeploymentWorker } from "./worker.ts";

const deps = testDeps();
const worker = new DeploymentWorker(deps, { concurrency: 1, pollMs: 200 });
deps.wakeWorker = worker.wake;
let fixture: GitFixture;
let sshd: SshFixture;
let serviceId = "";

async function finished(deploymentId: string) {
  return waitFor(`deployment ${deploymentId}`, async () => {
    const d = await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
    return isTerminalStatus(d.status) ? d : null;
  }, 90_000);
}

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { id: 1, allowLocalSources: true }, update: { allowLocalSources: true } });
  fixture = await startGitFixture({ Dockerfile: helloDockerfile("over-ssh") });
  sshd = await startSshFixture();
  worker.start();
});

afterAll(async () => {
  await worker.stop();
  if (serviceId !== "") {
    await deps.engine.removeService(serviceId);
    await deps.engine.removeRepositoryImages(buildRepository(serviceId));
  }
  await deps.db.instanceSettings.update({ where: { id: 1 }, data: { allowLocalSources: false } });
  await sshd.close();
  await fixture.close();
  await deps.db.$disconnect();
});

describe("git over ssh with the generated deploy key", () => {
  it("clones with the deploy key, pins the host key at the first clone and refuses a changed host key", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const project = await deps.db.project.create({ data: { teamId, name: `ssh-${randomUUID().slice(0, 8)}` } });
    const url = sshd.urlOf(fixture.bareDir);
    const input = createServiceInput.parse({ projectId: project.id, name: `ssh-${randomUUID().slice(0, 8)}`, source: "git", git: { url, branch: "main", auth: "ssh" }, containerPort: 8080 });
    serviceId = (await createService(deps, actor, input)).id;
    const view = await getService(deps, actor, serviceId);
    const publicKey = view.source.type === "git" ? view.source.deployKeyPublic : null;
    expect(publicKey).toMatch(/^ssh-ed25519 \S+ berth-deploy-key-/);

    // Not yet authorized on the host: a readable failure.
    const refused = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
    expect(refused).toMatchObject({ status: "failed", error: expect.stringMatching(/refused the credentials/) });

    sshd.authorize(publicKey!);
    const first = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
    expect(first.error).toBeNull();
    expect(first.status).toBe("succeeded");
    expect((await httpGet(first.hostPort!)).body).toContain("over-ssh");
    const pinned = (await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } })).sshKnownHosts;
    expect(pinned).toMatch(/ssh-ed25519 /);
    const log = (await deps.db.buildLogLine.findMany({ where: { deploymentId: first.id }, orderBy: { seq: "asc" } })).map((l) => l.text).join("\n");
    expect(log).toContain("Pinned the repository host's SSH key");
    expect(log).not.toContain("PRIVATE KEY");
    expect(JSON.stringify(view)).not.toContain("PRIVATE KEY");

    // Same host key: the pinned clone works.
    const second = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
    expect(second.status).toBe("succeeded");

    // The host now presents another key: refused, and release 2 keeps serving.
    await sshd.replaceHostKey();
    const third = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
    expect(third).toMatchObject({ status: "failed", error: expect.stringMatching(/SSH key is not the one pinned at the first clone/) });
    expect((await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } })).sshKnownHosts).toBe(pinned);
    expect((await deps.engine.listManaged({ serviceId })).map((c) => c.deploymentId)).toEqual([second.id]);
    expect((await httpGet(second.hostPort!)).body).toContain("over-ssh");
  }, 180_000);
});
