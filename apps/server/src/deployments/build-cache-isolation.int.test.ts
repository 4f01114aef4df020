/**
 * Issue #14.2: BuildKit cache mounts are scoped per team. Team A's build leaves a file in a
 * `RUN --mount=type=cache` (by target, and by an explicit id); team B's build of the same mount
 * must not see it, while another service of team A does. Real git on 127.0.0.1, real BuildKit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { DockerEngine } from "@berth/engine";
import { startGitFixture, type GitFixture } from "../../test/git-fixture.ts";
import { requireTestImage, seedUser, testDeps } from "../../test/harness.ts";
import {
  allowLocalSources,
  createGitService,
  deploymentWorker,
  finishedDeployment,
  removeServiceEverywhere,
} from "../../test/deploy-harness.ts";
import type { Actor } from "../teams/access.ts";
import { enqueueDeployment } from "./deployments.ts";

const deps = testDeps();
const worker = deploymentWorker(deps, 1);
const touched: string[] = [];
const tag = randomUUID().slice(0, 8);
let fixture: GitFixture;

const dockerfile = (run: string) => `FROM berth-test/hello:latest\n${run}\nENV GREETING=cache-${tag}\n`;
const byTarget = `--mount=type=cache,target=/cache-${tag}`;
const byId = `--mount=type=cache,id=shared-${tag},target=/other`;

async function deploy(who: { actor: Actor; teamId: string }, branch: string) {
  const { serviceId } = await createGitService(deps, who.actor, who.teamId, { url: fixture.url, branch });
  touched.push(serviceId);
  return finishedDeployment(deps, (await enqueueDeployment(deps, who.actor, serviceId)).deploymentId);
}

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await allowLocalSources(deps, true);
  fixture = await startGitFixture({
    Dockerfile: dockerfile(`RUN ${byTarget} ${byId} echo team-a-secret > /cache-${tag}/left && echo team-a-secret > /other/left`),
  });
  fixture.commit(
    { Dockerfile: dockerfile(`RUN ${byTarget} ${byId} test ! -e /cache-${tag}/left && test ! -e /other/left`) },
    "reader expecting nothing",
    "cannot-see",
  );
  fixture.commit(
    { Dockerfile: dockerfile(`RUN ${byTarget} ${byId} test -e /cache-${tag}/left && test -e /other/left`) },
    "reader expecting the files",
    "can-see",
  );
  worker.start();
});

afterAll(async () => {
  await worker.stop();
  for (const serviceId of touched) await removeServiceEverywhere(deps, serviceId);
  await allowLocalSources(deps, false);
  await fixture.close();
  await deps.db.$disconnect();
});

describe("BuildKit cache mounts are per team", () => {
  it("another team's build does not see a cache mount's files; the same team's other service does", async () => {
    const a = await seedUser(deps.db);
    const b = await seedUser(deps.db);
    const writer = await deploy(a, "main");
    expect(writer.error).toBeNull();
    const log = (await deps.db.buildLogLine.findMany({ where: { deploymentId: writer.id } })).map((l) => l.text).join("\n");
    expect(log).toMatch(/2 cache mount\(s\) scoped to this team's build cache/);

    const otherTeam = await deploy(b, "cannot-see");
    expect(otherTeam.error).toBeNull();
    expect(otherTeam.status).toBe("succeeded");

    const sameTeam = await deploy(a, "can-see");
    expect(sameTeam.error).toBeNull();
    expect(sameTeam.status).toBe("succeeded");
  });
});
