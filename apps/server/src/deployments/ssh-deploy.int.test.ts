import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DockerEngine } from "@berth/engine";
import { helloDockerfile, startGitFixture, type GitFixture } from "../../test/git-fixture.ts";
import {
  allowLocalSources,
  createGitService,
  deploymentWorker,
  finishedDeployment,
  removeServiceEverywhere,
} from "../../test/deploy-harness.ts";
import { httpGet, requireTestImage, seedUser, testDeps } from "../../test/harness.ts";
import { startSshFixture, type SshFixture } from "../../test/ssh-fixture.ts";
import { getService } from "../services/services.ts";
import { enqueueDeployment } from "./deployments.ts";

const deps = testDeps();
const worker = deploymentWorker(deps);
let fixture: GitFixture;
let sshd: SshFixture;
let serviceId = "";

const finished = (deploymentId: string) => finishedDeployment(deps, deploymentId);

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await allowLocalSources(deps, true);
  fixture = await startGitFixture({ Dockerfile: helloDockerfile("over-ssh") });
  sshd = await startSshFixture();
  worker.start();
});

afterAll(async () => {
  await worker.stop();
  if (serviceId !== "") await removeServiceEverywhere(deps, serviceId);
  await allowLocalSources(deps, false);
  await sshd.close();
  await fixture.close();
  await deps.db.$disconnect();
});

describe("git over ssh with the generated deploy key", () => {
  it("clones with the deploy key, pins the host key at the first clone and refuses a changed host key", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    ({ serviceId } = await createGitService(deps, actor, teamId, { url: sshd.urlOf(fixture.bareDir), branch: "main", auth: "ssh" }));
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
    const log = (await deps.db.buildLogLine.findMany({ where: { deploymentId: first.id }, orderBy: { seq: "asc" } }))
      .map((l) => l.text)
      .join("\n");
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
    // The worker claims the third only after the second retired release 1 (the service stays busy).
    expect((await deps.engine.listManaged({ serviceId })).map((c) => c.deploymentId)).toEqual([second.id]);
    expect((await httpGet(second.hostPort!)).body).toContain("over-ssh");
  }, 180_000);
});
