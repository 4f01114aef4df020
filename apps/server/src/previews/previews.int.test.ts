/**
 * Preview deployments end to end on the real HTTP handler, Postgres, git (smart HTTP on
 * 127.0.0.1) and Docker builds: each provider's documented pull request payloads, signed the
 * way it signs them, open a preview of the PR head on pr-<n>-<service>.<base>, move it to a
 * new commit, and remove it (containers, images and route) when the PR closes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import Docker from "dockerode";
import type { Server as SocketServer } from "socket.io";
import type { DockerEngine } from "@berth/engine";
import { httpGet, requireTestImage, seedUser, testDeps } from "../../test/harness.ts";
import { startHttp } from "../../test/http-harness.ts";
import {
  allowLocalSources,
  createGitService,
  deploymentWorker,
  finishedDeployment,
  removeServiceEverywhere,
} from "../../test/deploy-harness.ts";
import { helloDockerfile, startGitFixture, type GitFixture } from "../../test/git-fixture.ts";
import { providerHeaders, pullRequestFixture, type PullRequestStep } from "../../test/webhook-fixtures.ts";
import { loadDesiredRoutes } from "../proxy/desired-routes.ts";
import { saveEnv } from "../secrets/env-vars.ts";
import { getProject } from "../projects/projects.ts";
import { deleteService } from "../services/services.ts";
import { type Actor, loadProject } from "../teams/access.ts";
import { rotateWebhookSecret } from "../webhooks/hook-settings.ts";
import type { Provider } from "../webhooks/providers.ts";
import { listPreviews, updatePreviewSettings } from "./previews.ts";

const deps = testDeps();
const worker = deploymentWorker(deps);
const docker = new Docker();
let server: Server;
let io: SocketServer;
let base: string;
let actor: Actor;
let teamId: string;
let fixture: GitFixture;
const services: string[] = [];
const projects: string[] = [];

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await allowLocalSources(deps, true);
  ({ server, base, io } = await startHttp(deps));
  ({ actor, teamId } = await seedUser(deps.db));
  fixture = await startGitFixture({ Dockerfile: helloDockerfile("main branch") });
  worker.start();
});

afterAll(async () => {
  await worker.stop();
  // Previews the test left (a failure midway) and the services themselves.
  const previews = await deps.db.service.findMany({ where: { previewOfId: { in: services } }, select: { id: true } });
  for (const id of [...previews.map((p) => p.id), ...services]) await removeServiceEverywhere(deps, id).catch(() => undefined);
  for (const projectId of projects) await deps.engine.pruneNetworks({ projectId }).catch(() => undefined);
  await allowLocalSources(deps, false);
  await io.close();
  server.close();
  await fixture.close();
  await deps.db.$disconnect();
});

async function previewedService(settings: { limit?: number; allowForks?: boolean } = {}) {
  const { serviceId, projectId } = await createGitService(deps, actor, teamId, { url: fixture.url, branch: "main" });
  services.push(serviceId);
  projects.push(projectId);
  const { secret } = await rotateWebhookSecret(deps, actor, serviceId);
  await updatePreviewSettings(deps, actor, {
    serviceId,
    enabled: true,
    allowForks: settings.allowForks ?? false,
    limit: settings.limit ?? 3,
  });
  return { serviceId, projectId, secret };
}

async function send(
  provider: Provider,
  serviceId: string,
  secret: string | null,
  step: PullRequestStep,
  pr: { number: number; sha: string; branch: string; fork?: boolean; merged?: boolean },
) {
  const { event, body } = pullRequestFixture(provider, step, pr);
  const raw = Buffer.from(JSON.stringify(body));
  const headers = providerHeaders(provider, raw, secret, { deliveryId: randomUUID(), event });
  const res = await fetch(`${base}/hooks/git/${serviceId}`, { method: "POST", headers, body: raw });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Every image tag of the preview's hidden service (build and release repositories). */
async function imagesOf(serviceId: string): Promise<string[]> {
  const images = await docker.listImages({ filters: { reference: [`berth-build/${serviceId}`, `berth-release/${serviceId}`] } });
  return images.flatMap((i) => i.RepoTags ?? []);
}

async function routeTo(hostname: string) {
  return (await loadDesiredRoutes(deps.db, deps.box)).find((r) => r.hostname === hostname);
}

async function liveContent(deploymentId: string, expected: string) {
  const deployment = await finishedDeployment(deps, deploymentId, 180_000);
  expect(deployment, deployment.error ?? "").toMatchObject({ status: "succeeded" });
  expect((await httpGet(deployment.hostPort!)).body).toContain(expected);
  return deployment;
}

describe("preview deployments from pull request webhooks", () => {
  for (const provider of ["github", "gitlab", "gitea", "bitbucket"] as const) {
    it(`${provider}: opened deploys the PR head on its own domain, new commits redeploy it, closed removes containers, images and route`, async () => {
      const { serviceId, projectId, secret } = await previewedService();
      const branch = `feature-${provider}`;
      const first = fixture.commit({ Dockerfile: helloDockerfile(`${provider} head one`) }, "first PR commit", branch);
      const number = 10 + ["github", "gitlab", "gitea", "bitbucket"].indexOf(provider);

      const opened = await send(provider, serviceId, secret, "opened", { number, sha: first, branch });
      expect(opened, JSON.stringify(opened.json)).toMatchObject({ status: 202, json: { deployed: true, pullRequest: number } });
      await liveContent(String(opened.json.deploymentId), `${provider} head one`);
      const [preview] = await listPreviews(deps, actor, serviceId);
      const parent = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } });
      expect(preview).toMatchObject({ pullRequest: number, headBranch: branch, status: "succeeded", fromFork: false });
      const hostname = new URL(preview!.url!).hostname;
      expect(hostname.startsWith(`pr-${number}-${parent.name}.`)).toBe(true);
      expect(preview!.headSha.startsWith(first.slice(0, 12))).toBe(true);
      expect((await routeTo(hostname))?.teamId).toBe(teamId);
      // The preview is listed on its service, not among the project's services.
      expect((await getProject(deps, (await loadProject(deps.db, actor, projectId, "viewer")).project)).services.map((s) => s.id)).toEqual([
        serviceId,
      ]);

      const second = fixture.commit({ Dockerfile: helloDockerfile(`${provider} head two`) }, "second PR commit", branch);
      const synced = await send(provider, serviceId, secret, "synchronize", { number, sha: second, branch });
      expect(synced, JSON.stringify(synced.json)).toMatchObject({ status: 202, json: { deployed: true } });
      const moved = await liveContent(String(synced.json.deploymentId), `${provider} head two`);
      expect(moved.commitSha).toBe(second);
      expect((await listPreviews(deps, actor, serviceId))[0]).toMatchObject({ status: "succeeded", deploymentId: moved.id });
      expect(await imagesOf(preview!.serviceId)).not.toEqual([]);

      const closed = await send(provider, serviceId, secret, "closed", { number, sha: second, branch, merged: provider === "gitlab" });
      expect(closed).toMatchObject({ status: 202, json: { previewRemoved: true } });
      expect(await deps.engine.listManaged({ serviceId: preview!.serviceId })).toEqual([]);
      expect(await imagesOf(preview!.serviceId)).toEqual([]);
      expect(await routeTo(hostname)).toBeUndefined();
      expect(await listPreviews(deps, actor, serviceId)).toEqual([]);
      expect(await deps.db.service.findUnique({ where: { id: preview!.serviceId } })).toBeNull();
      // The service itself was never touched.
      expect(await deps.db.deployment.count({ where: { serviceId } })).toBe(0);
    });
  }

  it("refuses a bad signature, a fork when forks are off, a PR past the limit; previews see their overrides on top of the service's variables and go with the service", async () => {
    const { serviceId, secret } = await previewedService({ limit: 1 });
    const branch = "feature-rules";
    const sha = fixture.commit({ Dockerfile: helloDockerfile("rules head") }, "rules commit", branch);

    expect(await send("github", serviceId, "not-the-secret", "opened", { number: 1, sha, branch })).toMatchObject({ status: 401 });
    expect(await send("github", serviceId, null, "opened", { number: 1, sha, branch })).toMatchObject({ status: 401 });
    const fork = await send("github", serviceId, secret, "opened", { number: 2, sha, branch, fork: true });
    expect(fork).toMatchObject({
      status: 202,
      json: { deployed: false, reason: expect.stringMatching(/from a fork: previews from forks are off/) },
    });
    expect(await deps.db.preview.count({ where: { parentServiceId: serviceId } })).toBe(0);

    await saveEnv(deps, actor, { serviceId }, [
      { name: "GREETING", value: "from the service", secret: false, buildTime: false, runtime: true },
    ]);
    await saveEnv(deps, actor, { serviceId, previews: true }, [
      { name: "GREETING", value: "preview override", secret: true, buildTime: false, runtime: true },
    ]);
    const opened = await send("github", serviceId, secret, "opened", { number: 3, sha, branch });
    expect(opened).toMatchObject({ status: 202, json: { deployed: true } });
    await liveContent(String(opened.json.deploymentId), "preview override");

    const over = await send("github", serviceId, secret, "opened", { number: 4, sha, branch });
    expect(over).toMatchObject({
      status: 202,
      json: { deployed: false, reason: expect.stringMatching(/limit of 1 concurrent previews .*#3/) },
    });
    const again = await send("github", serviceId, secret, "synchronize", { number: 3, sha, branch });
    expect(again).toMatchObject({ status: 202, json: { deployed: false, reason: expect.stringMatching(/already at/) } });

    // Another team sees nothing of them.
    const stranger = await seedUser(deps.db);
    await expect(listPreviews(deps, stranger.actor, serviceId)).rejects.toMatchObject({ code: "NOT_FOUND" });

    // Deleting the service removes its open previews with it: containers, images, rows.
    const [open] = await listPreviews(deps, actor, serviceId);
    expect(await deps.engine.listManaged({ serviceId: open!.serviceId })).not.toEqual([]);
    await deleteService(deps, actor, serviceId);
    expect(await deps.engine.listManaged({ serviceId: open!.serviceId })).toEqual([]);
    expect(await imagesOf(open!.serviceId)).toEqual([]);
    expect(await deps.db.service.findUnique({ where: { id: open!.serviceId } })).toBeNull();
  });
});
