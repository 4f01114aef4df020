/**
 * Issue #14.6: one captured, validly signed push cannot deploy again -- not under a new delivery
 * id, not without one, not relabelled as another provider, not after the delivery records are
 * gone. Real HTTP handler, real Postgres; no worker (a deploy shows as a queued row).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHmac, randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { Server as SocketServer } from "socket.io";
import { seedUser, testDeps } from "../../test/harness.ts";
import { startHttp } from "../../test/http-harness.ts";
import { providerHeaders, pushFixtures, retarget } from "../../test/webhook-fixtures.ts";
import { createGitService } from "../../test/deploy-harness.ts";
import type { Actor } from "../teams/access.ts";
import { getHooks, rotateWebhookSecret, setWebhookProvider } from "./hook-settings.ts";

const deps = testDeps();
let server: Server;
let io: SocketServer;
let base: string;
let actor: Actor;
let teamId: string;

const sha = () => randomUUID().replace(/-/g, "").padEnd(40, "b").slice(0, 40);
const deploymentsOf = (serviceId: string) => deps.db.deployment.findMany({ where: { serviceId }, orderBy: { createdAt: "asc" } });

async function post(serviceId: string, body: Buffer, headers: Record<string, string>) {
  const res = await fetch(`${base}/hooks/git/${serviceId}`, { method: "POST", headers, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** A git service on a github.com URL (its provider defaults to github) with a webhook secret. */
async function githubService(url = "https://github.com/acme/app.git"): Promise<{ serviceId: string; secret: string }> {
  const { serviceId } = await createGitService(deps, actor, teamId, { url, branch: "main" });
  const { secret } = await rotateWebhookSecret(deps, actor, serviceId);
  return { serviceId, secret };
}

function githubPush(commitSha: string): Buffer {
  return Buffer.from(JSON.stringify(retarget(pushFixtures()[0]!, "main", commitSha).body));
}

beforeAll(async () => {
  ({ server, base, io } = await startHttp(deps));
  ({ actor, teamId } = await seedUser(deps.db));
});

afterAll(async () => {
  await io.close();
  server.close();
  await deps.db.$disconnect();
});

describe("webhook replay", () => {
  it("a captured push replayed under a new delivery id, or with none, deploys nothing more", async () => {
    const { serviceId, secret } = await githubService();
    const raw = githubPush(sha());
    const first = await post(serviceId, raw, providerHeaders("github", raw, secret, { deliveryId: randomUUID() }));
    expect(first).toMatchObject({ status: 202, json: { deployed: true } });
    const again = await post(serviceId, raw, providerHeaders("github", raw, secret, { deliveryId: randomUUID() }));
    expect(again).toMatchObject({ status: 200, json: { deployed: false, duplicate: true } });
    const headers = providerHeaders("github", raw, secret, { deliveryId: "x" });
    delete headers["x-github-delivery"];
    expect((await post(serviceId, raw, headers)).json).toMatchObject({ deployed: false });
    expect(await deploymentsOf(serviceId)).toHaveLength(1);
  });

  it("a push signed for GitHub relabelled as Gitea, Forgejo or Bitbucket is refused: the service takes its host's provider only", async () => {
    const { serviceId, secret } = await githubService();
    expect((await getHooks(deps, actor, serviceId)).provider).toBe("github");
    const raw = githubPush(sha());
    const hex = createHmac("sha256", secret).update(raw).digest("hex");
    const relabelled: Record<string, string>[] = [
      { "content-type": "application/json", "x-gitea-event": "push", "x-gitea-delivery": randomUUID(), "x-gitea-signature": hex },
      { "content-type": "application/json", "x-forgejo-event": "push", "x-forgejo-delivery": randomUUID(), "x-forgejo-signature": hex },
      {
        "content-type": "application/json",
        "x-event-key": "repo:push",
        "x-request-uuid": randomUUID(),
        "x-hub-signature": `sha256=${hex}`,
      },
    ];
    for (const headers of relabelled) {
      expect(await post(serviceId, raw, headers)).toMatchObject({
        status: 401,
        json: { error: expect.stringMatching(/from github only/) },
      });
    }
    expect(await deploymentsOf(serviceId)).toHaveLength(0);
    // The provider is editable: switched to Gitea, GitHub's deliveries are refused in turn.
    await setWebhookProvider(deps, actor, serviceId, "gitea");
    expect((await post(serviceId, raw, providerHeaders("github", raw, secret, { deliveryId: randomUUID() }))).status).toBe(401);
  });

  it("on a host Berth does not know, the first verified provider is recorded and the others are refused", async () => {
    const { serviceId, secret } = await githubService("https://git.example.test/acme/app.git");
    expect((await getHooks(deps, actor, serviceId)).provider).toBeNull();
    const gitea = retarget(
      pushFixtures().find((f) => f.provider === "gitea")!,
      "main",
      sha(),
    );
    const raw = Buffer.from(JSON.stringify(gitea.body));
    expect((await post(serviceId, raw, providerHeaders("gitea", raw, secret, { deliveryId: randomUUID() }))).status).toBe(202);
    expect((await getHooks(deps, actor, serviceId)).provider).toBe("gitea");
    const gh = githubPush(sha());
    expect((await post(serviceId, gh, providerHeaders("github", gh, secret, { deliveryId: randomUUID() }))).status).toBe(401);
  });

  it("an old push replayed after its delivery record is gone does not bring back a commit the service already deployed", async () => {
    const { serviceId, secret } = await githubService();
    const oldCommit = sha();
    const old = githubPush(oldCommit);
    expect((await post(serviceId, old, providerHeaders("github", old, secret, { deliveryId: randomUUID() }))).json).toMatchObject({
      deployed: true,
    });
    const next = githubPush(sha());
    expect((await post(serviceId, next, providerHeaders("github", next, secret, { deliveryId: randomUUID() }))).json).toMatchObject({
      deployed: true,
    });
    // 90 days later the delivery rows are pruned; the captured body and signature still verify.
    await deps.db.webhookDelivery.deleteMany({ where: { serviceId } });
    const replay = await post(serviceId, old, providerHeaders("github", old, secret, { deliveryId: randomUUID() }));
    expect(replay).toMatchObject({ status: 202, json: { deployed: false, reason: expect.stringMatching(/already deployed/) } });
    expect(await deploymentsOf(serviceId)).toHaveLength(2);
  });
});
