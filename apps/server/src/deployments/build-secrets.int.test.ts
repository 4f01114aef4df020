import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Docker from "dockerode";
import type { DockerEngine } from "@berth/engine";
import { startGitFixture, type GitFixture } from "../../test/git-fixture.ts";
import {
  allowLocalSources,
  createGitService,
  deploymentWorker,
  finishedDeployment,
  removeServiceEverywhere,
} from "../../test/deploy-harness.ts";
import { requireTestImage, seedUser, testDeps } from "../../test/harness.ts";
import { saveEnv } from "../secrets/env-vars.ts";
import { enqueueDeployment } from "./deployments.ts";

const SENTINEL = `berth-build-secret-${randomBytes(12).toString("hex")}`;
const deps = testDeps();
const worker = deploymentWorker(deps);
let fixture: GitFixture;
let serviceId = "";

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await allowLocalSources(deps, true);
  const dockerfile = [
    "FROM berth-test/hello:latest",
    // Prints the secret (masked in the log) and proves it was mounted by storing its length only.
    `RUN --mount=type=secret,id=npm_token cat /run/secrets/npm_token && echo && wc -c < /run/secrets/npm_token > /secret-length && echo ${randomUUID()}`,
  ].join("\n");
  fixture = await startGitFixture({ Dockerfile: `${dockerfile}\n`, "index.txt": "one\n" });
  worker.start();
});

afterAll(async () => {
  await worker.stop();
  if (serviceId !== "") await removeServiceEverywhere(deps, serviceId);
  await allowLocalSources(deps, false);
  await fixture.close();
  await deps.db.$disconnect();
});

describe("build secrets of a git deployment", () => {
  it("a secret build-time variable reaches RUN --mount=type=secret through BuildKit and appears nowhere: not in the stored log, the history or the image", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    ({ serviceId } = await createGitService(deps, actor, teamId, { url: fixture.url, branch: "main" }));
    // The product path: a secret, build-time variable of the service (sealed at rest).
    await saveEnv(deps, actor, { serviceId }, [{ name: "npm_token", value: SENTINEL, secret: true, buildTime: true, runtime: false }]);
    const { deploymentId } = await enqueueDeployment(deps, actor, serviceId);
    const done = await finishedDeployment(deps, deploymentId);
    expect(done.error).toBeNull();
    expect(done.status).toBe("succeeded");

    const log = (await deps.db.buildLogLine.findMany({ where: { deploymentId }, orderBy: { seq: "asc" } })).map((l) => l.text);
    expect(log).toContain("Builder: BuildKit with 1 build secret(s)");
    expect(log.some((l) => /^#\d+ \*\*\*\*$/.test(l))).toBe(true);
    expect(log.join("\n")).not.toContain(SENTINEL);
    expect(JSON.stringify(await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } }))).not.toContain(SENTINEL);

    const docker = new Docker();
    const image = docker.getImage(done.image);
    expect(JSON.stringify(await image.history())).not.toContain(SENTINEL);
    expect(JSON.stringify(await image.inspect())).not.toContain(SENTINEL);
    const chunks: Buffer[] = [];
    for await (const chunk of await image.get()) chunks.push(Buffer.from(chunk as Buffer));
    const exported = Buffer.concat(chunks);
    expect(exported.includes(Buffer.from(`${SENTINEL.length}\n`))).toBe(true);
    expect(exported.includes(Buffer.from(SENTINEL))).toBe(false);
  });
});
