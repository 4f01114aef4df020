import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { requireTestImage, seedService, testDeps } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";
import type { DockerEngine } from "@berth/engine";

/**
 * /healthz tells the truth about services: a service that should run and does not makes it
 * "degraded" with a count for anyone; its name reaches only its team's members and the
 * instance owner, never an unauthenticated probe or another team.
 */
const deps = testDeps();
let server: Server;
let base: string;
let serviceId = "";
let serviceName = "";
const email = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}@example.test`;

async function health(client?: Client): Promise<{
  status: number;
  text: string;
  body: { status: string; services?: { shouldRun: number; notRunning: number; notRunningServices?: Array<{ name: string }> } };
}> {
  const res = await fetch(`${base}/healthz`, { headers: client ? { cookie: client.cookie } : {} });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { id: 1, signupOpen: true }, update: { signupOpen: true } });
  ({ server, base } = await startHttp(deps));
});

afterAll(async () => {
  if (serviceId) await deps.engine.removeService(serviceId);
  server.close();
  await deps.db.$disconnect();
});

describe("/healthz and services that should run", () => {
  it("counts them for anyone and names them only for the team's members and the instance owner", async () => {
    const alice = new Client(base);
    const bob = new Client(base);
    const carol = new Client(base);
    for (const [c, tag] of [
      [alice, "alice"],
      [bob, "bob"],
      [carol, "carol"],
    ] as const)
      expect((await c.signUp(email(tag))).status).toBe(200);
    const aliceTeam = (await alice.query("me.get")).data.teams[0].id as string;
    const carolId = (await carol.query("me.get")).data.user.id as string;
    await deps.db.user.update({ where: { id: carolId }, data: { instanceRole: "owner" } });

    expect((await health()).body).toMatchObject({ status: "ok", services: { shouldRun: 0, notRunning: 0 } });

    ({ serviceId } = await seedService(deps.db, aliceTeam));
    const service = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId }, include: { project: true } });
    serviceName = service.name;
    const d = await deps.db.deployment.create({ data: { serviceId, image: service.image, status: "succeeded", finishedAt: new Date() } });
    await deps.engine.runRelease({
      owner: { teamId: aliceTeam, projectId: service.projectId, serviceId },
      deploymentId: d.id,
      serviceName,
      image: service.image,
      containerPort: 8080,
      env: {},
    });
    expect((await health()).body).toMatchObject({ status: "ok", services: { shouldRun: 1, notRunning: 0 } });

    // Stopped behind Berth's back (no reconciler runs in this file): it should run and does not.
    await deps.engine.stopService(serviceId, 1);
    const anonymous = await health();
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toMatchObject({ status: "degraded", services: { shouldRun: 1, notRunning: 1 } });
    expect(anonymous.body.services).not.toHaveProperty("notRunningServices");
    expect(anonymous.text).not.toContain(serviceName);

    expect((await health(alice)).body.services?.notRunningServices?.map((s) => s.name)).toEqual([serviceName]);
    expect((await health(carol)).body.services?.notRunningServices?.map((s) => s.name)).toEqual([serviceName]);
    const outsider = await health(bob);
    expect(outsider.body.services).toMatchObject({ notRunning: 1, notRunningServices: [] });
    expect(outsider.text).not.toContain(serviceName);

    // The user stopping it is not "should run".
    await deps.db.service.update({ where: { id: serviceId }, data: { desiredState: "stopped" } });
    expect((await health()).body).toMatchObject({ status: "ok", services: { shouldRun: 0, notRunning: 0 } });
  });
});
