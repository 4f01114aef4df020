import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Docker from "dockerode";
import type { DockerEngine } from "@berth/engine";
import { startGitFixture, type GitFixture } from "../../test/git-fixture.ts";
import { httpGet, requireTestImage, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { deploymentWorker } from "../../test/deploy-harness.ts";
import { providerHeaders, pushFixtures, retarget } from "../../test/webhook-fixtures.ts";
import { startSshFixture, type SshFixture } from "../../test/ssh-fixture.ts";
import { buildRepository } from "../deployments/build-stage.ts";
import { listEnv } from "../secrets/env-vars.ts";
import type { Actor } from "../teams/access.ts";
import { attachStackCoordinator } from "./deploy-stack.ts";
import { createStack } from "./create-stack.ts";
import { deleteStack } from "./delete-stack.ts";
import { createStackInput, updateStackInput } from "./stack-input.ts";
import { getStack } from "./stack-view.ts";
import { receiveStackWebhook, rotateStackWebhook } from "./stack-webhook.ts";
import { planStackUpdate, updateStack } from "./update-stack.ts";

/**
 * A git-sourced stack on the real engine, from a local git repository served over HTTP: the
 * compose file in deploy/, a service built from app/ with a build arg from the `.env` beside the
 * file, an env_file; a signed push re-imports at the pushed commit and redeploys only what
 * changed; an edit that drops a service asks first; deleting the stack removes its services.
 * Then the same repository over ssh, read with the deploy key Berth generates for the stack.
 */
const deps = testDeps();
const worker = deploymentWorker(deps);
const detach = attachStackCoordinator(deps);
const serviceIds = new Set<string>();
let fixture: GitFixture;
let sshd: SshFixture | null = null;
let owner: Actor;
let teamId: string;
let projectId: string;

const COMPOSE = `
services:
  web:
    build:
      context: ../app
      args:
        WHO: \${WHO}
    ports: ["8080"]
    env_file: web.env
    labels:
      com.example.tier: frontend
    depends_on:
      side: { condition: service_started }
  side:
    image: berth-test/hello:latest
    expose: ["8080"]
    volumes: ["sidedata:/data"]
volumes:
  sidedata:
`;

const WEB_ONLY = `
services:
  web:
    build:
      context: ../app
      args:
        WHO: \${WHO}
    ports: ["8080"]
    env_file: web.env
    labels:
      com.example.tier: frontend
`;

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await deps.db.instanceSettings.upsert({
    where: { id: 1 },
    create: { id: 1, allowLocalSources: true },
    update: { allowLocalSources: true },
  });
  fixture = await startGitFixture({
    "app/Dockerfile": 'FROM berth-test/hello:latest\nARG WHO\nENV GREETING="built for $WHO"\n',
    "deploy/compose.yaml": COMPOSE,
    "deploy/.env": "WHO=the-dotenv\n",
    "deploy/web.env": "MARK=one\nAPI_KEY='k-1'\n",
  });
  ({ actor: owner, teamId } = await seedUser(deps.db));
  projectId = (await deps.db.project.create({ data: { teamId, name: "git-stack" } })).id;
  worker.start();
});

afterAll(async () => {
  detach();
  await worker.stop();
  for (const id of serviceIds) {
    await deps.engine.removeService(id);
    await deps.engine.removeRepositoryImages(buildRepository(id)).catch(() => undefined);
  }
  for (const v of await deps.db.volume.findMany({ where: { projectId } }))
    await deps.engine.removeVolume(v.projectId, v.name).catch(() => undefined);
  await deps.engine.pruneNetworks({ projectId }).catch(() => undefined);
  await deps.db.instanceSettings.update({ where: { id: 1 }, data: { allowLocalSources: false } });
  await sshd?.close();
  await fixture.close();
  await deps.db.$disconnect();
});

async function settled(stackId: string, deploymentsOfWeb: number) {
  return waitFor(
    `stack ${stackId} to settle`,
    async () => {
      const stack = await getStack(deps, owner, stackId);
      stack.services.forEach((s) => serviceIds.add(s.id));
      const web = stack.services.find((s) => s.name === "web");
      const count = web ? await deps.db.deployment.count({ where: { serviceId: web.id } }) : 0;
      return count >= deploymentsOfWeb && stack.services.every((s) => s.stackState === "done" || s.stackState === "failed") ? stack : null;
    },
    240_000,
  );
}

async function served(serviceId: string, text: string) {
  return waitFor(
    `the web service to serve "${text}"`,
    async () => {
      const live = await deps.db.deployment.findFirst({ where: { serviceId, status: "succeeded" }, orderBy: { createdAt: "desc" } });
      if (!live?.hostPort) return null;
      const res = await httpGet(live.hostPort).catch(() => null);
      return res?.body.includes(text) ? res.body : null;
    },
    60_000,
  );
}

describe("git-sourced compose stacks (real git over HTTP, real builds)", () => {
  it("builds from the repository with env_file, redeploys what a push changed, asks before removing a service, and deletes the stack", async () => {
    const git = { url: fixture.url, branch: "main", composePath: "deploy/compose.yaml" };
    const created = await createStack(deps, owner, createStackInput.parse({ projectId, name: "shop", git }));
    expect(created.webhook?.url).toMatch(new RegExp(`/hooks/stack/${created.id}$`));
    let stack = await settled(created.id, 1);
    expect(stack.services.map((s) => [s.name, s.stackState, s.stackReason])).toEqual([
      ["side", "done", null],
      ["web", "done", null],
    ]);
    const web = stack.services.find((s) => s.name === "web")!;
    const side = stack.services.find((s) => s.name === "side")!;
    // The build arg came from the .env beside the compose file; the env_file's values are secrets.
    await served(web.id, "built for the-dotenv");
    const vars = await listEnv(deps, owner, { serviceId: web.id });
    expect(vars.find((v) => v.name === "API_KEY")).toMatchObject({ secret: true, value: null });
    expect(stack.git).toMatchObject({ url: fixture.url, composePath: "deploy/compose.yaml", syncError: null });
    // The compose labels are on the container, beside Berth's own.
    const [container] = await new Docker().listContainers({ filters: { label: [`io.berth.service=${web.id}`] } });
    expect(container?.Labels).toMatchObject({ "com.example.tier": "frontend", "io.berth.managed-by": "berth" });

    // A push changing the env_file: web is rebuilt at that commit and serves the file's value; side is untouched.
    const pushed = fixture.commit({ "deploy/web.env": "MARK=two\nAPI_KEY='k-2'\nGREETING=from-the-env-file\n" }, "change the env file");
    const body = Buffer.from(JSON.stringify(retarget(pushFixtures()[0]!, "main", pushed).body));
    const unsigned = await receiveStackWebhook(deps, {
      stackId: created.id,
      headers: providerHeaders("github", body, "wrong-secret", { deliveryId: "d-0" }),
      rawBody: body,
    });
    expect(unsigned.status).toBe(401);
    const reply = await receiveStackWebhook(deps, {
      stackId: created.id,
      headers: providerHeaders("github", body, created.webhook!.secret, { deliveryId: "d-1" }),
      rawBody: body,
    });
    expect(reply).toMatchObject({ status: 202, body: { deployed: true, commit: pushed } });
    stack = await settled(created.id, 2);
    await served(web.id, "from-the-env-file");
    expect(stack.git?.commitSha).toBe(pushed);
    expect(await deps.db.deployment.count({ where: { serviceId: side.id } })).toBe(1);
    const rebuilt = await deps.db.deployment.findFirstOrThrow({ where: { serviceId: web.id }, orderBy: { createdAt: "desc" } });
    expect(rebuilt.commitSha).toBe(pushed);
    // The same push again (a replay) imports nothing.
    const again = await receiveStackWebhook(deps, {
      stackId: created.id,
      headers: providerHeaders("github", body, created.webhook!.secret, { deliveryId: "d-2" }),
      rawBody: body,
    });
    expect(again).toMatchObject({ status: 202, body: { deployed: false } });
    // A new secret replaces the old one at once.
    const rotated = await rotateStackWebhook(deps, owner, created.id);
    expect(
      await receiveStackWebhook(deps, {
        stackId: created.id,
        headers: providerHeaders("github", body, created.webhook!.secret, { deliveryId: "d-3" }),
        rawBody: body,
      }),
    ).toMatchObject({ status: 401 });
    expect(
      await receiveStackWebhook(deps, {
        stackId: created.id,
        headers: providerHeaders("github", body, rotated.secret, { deliveryId: "d-4" }),
        rawBody: body,
      }),
    ).toMatchObject({ status: 202, body: { deployed: false } });

    // An edit dropping side: the plan names it, the update refuses until it is confirmed; its volume stays.
    fixture.commit({ "deploy/compose.yaml": WEB_ONLY }, "drop side");
    // No file and no repository given: the stored repository's branch head, variables kept.
    const edit = updateStackInput.parse({ stackId: created.id, deploy: false });
    expect(await planStackUpdate(deps, owner, edit)).toMatchObject({ added: [], changed: [], unchanged: ["web"], removed: ["side"] });
    await expect(updateStack(deps, owner, edit)).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: { remove: expect.stringMatching(/no longer has side: confirm/) },
    });
    expect(await deps.db.service.count({ where: { id: side.id } })).toBe(1);
    await updateStack(deps, owner, { ...edit, remove: ["side"] });
    expect(await deps.db.service.count({ where: { id: side.id } })).toBe(0);
    expect(await deps.engine.listManaged().then((cs) => cs.filter((c) => c.owner.serviceId === side.id))).toEqual([]);
    expect(await deps.db.volume.findMany({ where: { projectId }, select: { name: true, serviceId: true } })).toEqual([
      { name: "sidedata", serviceId: null },
    ]);

    // Deleting the stack removes its services and containers; volumes stay unless asked.
    await deleteStack(deps, owner, created.id, { deleteVolumes: false });
    expect(await deps.db.stack.count({ where: { id: created.id } })).toBe(0);
    expect(await deps.db.service.count({ where: { projectId } })).toBe(0);
    expect(await deps.engine.listManaged().then((cs) => cs.filter((c) => c.owner.projectId === projectId))).toEqual([]);
  }, 600_000);

  it("reads an ssh repository with the stack's generated deploy key once it is added, and its built service clones with the same key", async () => {
    sshd = await startSshFixture();
    fixture.commit(
      { "ssh/compose.yaml": 'services:\n  web:\n    build: ../app\n    ports: ["8080"]\n' },
      "a compose file for the ssh stack",
    );
    const git = { url: sshd.urlOf(fixture.bareDir), branch: "main", composePath: "ssh/compose.yaml" };
    // A token means nothing over ssh: refused at the token field.
    const withToken = createStackInput.safeParse({ projectId, name: "shop-ssh", git: { ...git, auth: "token", token: "t-1" } });
    expect(withToken.error?.issues).toEqual([
      expect.objectContaining({ path: ["git", "token"], message: expect.stringMatching(/deploy key/) }),
    ]);

    // Created waiting for its key: nothing read yet, the public half shown, the private half nowhere.
    const created = await createStack(deps, owner, createStackInput.parse({ projectId, name: "shop-ssh", git }));
    expect(created.services).toEqual([]);
    expect(created.deployKeyPublic).toMatch(/^ssh-ed25519 \S+ berth-deploy-key-shop-ssh$/);
    const waiting = await getStack(deps, owner, created.id);
    expect(waiting.git).toMatchObject({ imported: false, deployKeyPublic: created.deployKeyPublic, sshHostKeyPinned: false });
    const row = await deps.db.stack.findUniqueOrThrow({ where: { id: created.id } });
    for (const text of [JSON.stringify(created), JSON.stringify(waiting), row.deployKeyPrivate ?? "PRIVATE KEY"])
      expect(text).not.toContain("PRIVATE KEY");

    // Not on the host yet: the import says why, at the repository field.
    const importIt = updateStackInput.parse({ stackId: created.id });
    await expect(updateStack(deps, owner, importIt)).rejects.toMatchObject({
      fieldErrors: { "git.url": expect.stringMatching(/could not be read/) },
    });

    sshd.authorize(created.deployKeyPublic!);
    expect(await updateStack(deps, owner, importIt)).toMatchObject({ added: ["web"], removed: [] });
    const stack = await settled(created.id, 1);
    expect(stack.services.map((s) => [s.name, s.stackState, s.stackReason])).toEqual([["web", "done", null]]);
    const web = stack.services[0]!;
    await served(web.id, "built for");
    // The build cloned over ssh with the stack's key and the host key the import pinned.
    const pinned = await deps.db.stack.findUniqueOrThrow({ where: { id: created.id } });
    expect(pinned.sshKnownHosts).toMatch(/ssh-ed25519 /);
    expect(await deps.db.service.findUniqueOrThrow({ where: { id: web.id } })).toMatchObject({
      gitUrl: git.url,
      deployKeyPrivate: pinned.deployKeyPrivate,
      deployKeyPublic: created.deployKeyPublic,
      sshKnownHosts: pinned.sshKnownHosts,
    });
    const build = await deps.db.deployment.findFirstOrThrow({ where: { serviceId: web.id } });
    const log = (await deps.db.buildLogLine.findMany({ where: { deploymentId: build.id } })).map((l) => l.text).join("\n");
    expect(log).toContain(`Cloning ${git.url}`);
    expect(`${log} ${JSON.stringify(await getStack(deps, owner, created.id))}`).not.toContain("PRIVATE KEY");
    await deleteStack(deps, owner, created.id, { deleteVolumes: true });
  }, 600_000);
});
