import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Server } from "node:http";
import { randomUUID } from "node:crypto";
import { createDb } from "@berth/db";
import { DockerEngine } from "@berth/engine";
import { seedService, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";
import { DeploymentWorker } from "../deployments/worker.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { getService, stopService } from "../services/services.ts";

describe("Docker Engine down", () => {
  const deps = { ...testDeps(), engine: new DockerEngine({ socketPath: "/run/berth-test-no-such-docker.sock" }) };
  let server: Server;
  let base: string;
  beforeAll(async () => ({ server, base } = await startHttp(deps)));
  afterAll(async () => {
    server.close();
    await deps.db.$disconnect();
  });

  it("/healthz says the engine is down and the database is fine", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; database: { ok: boolean }; engine: { ok: boolean; error: string } };
    expect(body.status).toBe("degraded");
    expect(body.database.ok).toBe(true);
    expect(body.engine.ok).toBe(false);
    expect(body.engine.error).toMatch(/no-such-docker\.sock/);
  });

  it("reads report the engine as unknown, actions fail clearly, deploys fail with the reason", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const { serviceId } = await seedService(deps.db, teamId);
    const view = await getService(deps, actor, serviceId);
    expect(view.runtime.state).toBe("unknown");
    expect(view.runtime.error).toMatch(/no-such-docker\.sock/);
    await expect(stopService(deps, actor, serviceId)).rejects.toMatchObject({ code: "ENGINE_UNAVAILABLE" });

    const worker = new DeploymentWorker(deps, { concurrency: 1, pollMs: 100 });
    const { deploymentId } = await enqueueDeployment(deps, actor, serviceId);
    worker.start();
    try {
      const done = await waitFor("failure", async () => {
        const d = await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
        return d.status === "failed" ? d : null;
      });
      expect(done.error).toMatch(/no-such-docker\.sock/);
    } finally {
      await worker.stop();
    }
  });
});

describe("PostgreSQL down", () => {
  const upDeps = testDeps();
  // The same instance (same secret) but its database unreachable.
  const deps = { ...upDeps, db: createDb(`postgresql://berth:none@127.0.0.1:1/${randomUUID().slice(0, 8)}`) };
  const servers: Server[] = [];
  let up: string;
  let base: string;
  beforeAll(async () => {
    await upDeps.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: true }, update: { signupOpen: true } });
    const a = await startHttp(upDeps);
    const b = await startHttp(deps);
    servers.push(a.server, b.server);
    up = a.base;
    base = b.base;
  });
  afterAll(async () => {
    for (const s of servers) s.close();
    await upDeps.db.$disconnect();
  });

  it("/healthz names the database; a signed-in user's calls answer SERVICE_UNAVAILABLE; the server keeps serving", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { database: { ok: boolean; error: string }; engine: { ok: boolean } };
    expect(body.database.ok).toBe(false);
    expect(body.engine.ok).toBe(true);

    const signedIn = new Client(up);
    expect((await signedIn.signUp(`down-${randomUUID().slice(0, 8)}@example.test`)).status).toBe(200);
    const client = new Client(base);
    client.cookie = signedIn.cookie;
    const me = await client.query("me.get");
    expect(me.status).toBe(503);
    expect(me.error?.data.code).toBe("SERVICE_UNAVAILABLE");
    expect(me.error?.message).toMatch(/PostgreSQL/);
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
  });
});
