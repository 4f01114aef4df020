import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { seedService, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { startSmtpSink } from "../../test/smtp-sink.ts";
import { createMailer } from "../mail/mailer.ts";
import type { Actor } from "../teams/access.ts";
import { saveEnv } from "../secrets/env-vars.ts";
import { createChannel, listChannels, testChannel } from "./channels.ts";
import { attachNotifier, notifyDeployment } from "./notifier.ts";

/** Deploy outcomes to a local HTTP receiver (generic, Slack, Discord shapes) and a local SMTP sink. */
const deps = testDeps();
let receiver: Server;
let url: string;
const received: { path: string; body: Record<string, unknown> }[] = [];
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let actor: Actor;
let teamId: string;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let data = "";
    req.on("data", (c: Buffer) => (data += c.toString()));
    req.on("end", () => {
      received.push({ path: req.url ?? "", body: JSON.parse(data) as Record<string, unknown> });
      res.statusCode = req.url?.includes("refuse") ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  smtp = await startSmtpSink();
  deps.mailer = createMailer({ BERTH_SMTP_URL: smtp.url, BERTH_MAIL_FROM: "Berth <berth@test.local>" });
  await deps.db.instanceSettings.upsert({
    where: { id: 1 },
    create: { id: 1, allowLocalSources: true },
    update: { allowLocalSources: true },
  });
  ({ actor, teamId } = await seedUser(deps.db));
});

afterAll(async () => {
  await deps.db.instanceSettings.update({ where: { id: 1 }, data: { allowLocalSources: false } });
  receiver.close();
  await smtp.close();
  await deps.db.$disconnect();
});

describe("deploy notifications (local receiver, local SMTP)", () => {
  it("sends success and failure to the generic webhook, Slack, Discord and email channels, with secrets masked", async () => {
    const tag = randomUUID().slice(0, 8);
    const { projectId, serviceId } = await seedService(deps.db, teamId, { env: {} });
    await saveEnv(deps, actor, { serviceId }, [
      { name: "TOKEN", value: `secret-${tag}-value`, secret: true, buildTime: false, runtime: true },
    ]);
    const to = `ops-${tag}@example.test`;
    for (const [kind, target] of [
      ["webhook", `${url}/generic-${tag}`],
      ["slack", `${url}/slack-${tag}`],
      ["discord", `${url}/discord-${tag}`],
      ["email", to],
    ] as const) {
      await createChannel(deps, actor, projectId, { kind, name: kind, target, onSuccess: true, onFailure: true });
    }
    const failed = await deps.db.deployment.create({
      data: {
        serviceId,
        image: "x",
        status: "failed",
        error: `exited with code 1\nLast log lines:\nTOKEN=secret-${tag}-value`,
        commitSha: "a".repeat(40),
      },
    });
    const stopListening = attachNotifier(deps);
    // A status relayed from another process is that process' to notify: nothing is sent for it.
    deps.events.publishStatus({ deploymentId: failed.id, serviceId, teamId, status: "failed", remote: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(received.filter((r) => r.path.endsWith(tag))).toEqual([]);
    deps.events.publishStatus({ deploymentId: failed.id, serviceId, teamId, status: "failed" });
    const mine = () => received.filter((r) => r.path.endsWith(tag));
    await waitFor("three webhook posts", async () => mine().length === 3 && smtp.mails.some((m) => m.to.includes(to)));
    stopListening();

    const by = (kind: string) => mine().find((r) => r.path === `/${kind}-${tag}`)?.body;
    expect(by("generic")).toMatchObject({
      event: "deployment.failed",
      status: "failed",
      serviceId,
      deploymentId: failed.id,
      commitSha: "a".repeat(40),
    });
    expect(String(by("slack")?.text)).toMatch(/failed: exited with code 1/);
    expect(String(by("discord")?.content)).toMatch(/failed/);
    const mail = smtp.mails.find((m) => m.to.includes(to));
    expect(mail?.text).toMatch(/failed/);
    expect(JSON.stringify(mine()) + (mail?.text ?? "")).not.toContain(`secret-${tag}-value`);
    // Each channel's outcome is written once its receiver answered, which may be just after the post arrived.
    const channels = await waitFor("every channel's outcome", async () => {
      const list = await listChannels(deps, actor, projectId);
      return list.every((c) => c.lastStatus !== "") ? list : null;
    });
    expect(channels.map((c) => c.lastStatus)).toEqual(["sent", "sent", "sent", "sent"]);
    // The list never shows the full target (Slack/Discord URLs are credentials).
    expect(JSON.stringify(channels)).not.toContain(`slack-${tag}`);

    const ok = await deps.db.deployment.create({ data: { serviceId, image: "x", status: "succeeded" } });
    await notifyDeployment(deps, ok.id);
    expect(mine().filter((r) => r.body.event === "deployment.succeeded")).toHaveLength(1);
  });

  it("honours success/failure choices and records a receiver's refusal", async () => {
    const tag = randomUUID().slice(0, 8);
    const { projectId, serviceId } = await seedService(deps.db, teamId, { env: {} });
    await createChannel(deps, actor, projectId, {
      kind: "webhook",
      name: "failures only",
      target: `${url}/refuse-${tag}`,
      onSuccess: false,
      onFailure: true,
    });
    const ok = await deps.db.deployment.create({ data: { serviceId, image: "x", status: "succeeded" } });
    await notifyDeployment(deps, ok.id);
    expect(received.filter((r) => r.path.endsWith(tag))).toHaveLength(0);
    const bad = await deps.db.deployment.create({ data: { serviceId, image: "x", status: "timed_out", error: "health check timed out" } });
    await notifyDeployment(deps, bad.id);
    expect(received.filter((r) => r.path.endsWith(tag))).toHaveLength(1);
    expect((await listChannels(deps, actor, projectId))[0]?.lastStatus).toBe("not delivered");
  });

  it("sends a test message through a channel on request (admin), records how it went, and refuses other roles and projects", async () => {
    const tag = randomUUID().slice(0, 8);
    const { projectId } = await seedService(deps.db, teamId, { env: {} });
    const good = await createChannel(deps, actor, projectId, {
      kind: "webhook",
      name: "ops",
      target: `${url}/test-${tag}`,
      onSuccess: true,
      onFailure: true,
    });
    const bad = await createChannel(deps, actor, projectId, {
      kind: "slack",
      name: "broken",
      target: `${url}/refuse-test-${tag}`,
      onSuccess: true,
      onFailure: true,
    });

    expect(await testChannel(deps, actor, projectId, good.id)).toEqual({ delivered: true, lastStatus: "sent" });
    const body = received.find((r) => r.path === `/test-${tag}`)?.body;
    expect(body).toMatchObject({ event: "notification.test", status: "test", url: `${deps.env.publicUrl}/projects/${projectId}` });
    expect(await testChannel(deps, actor, projectId, bad.id)).toEqual({ delivered: false, lastStatus: "not delivered" });
    expect((await listChannels(deps, actor, projectId)).map((c) => c.lastStatus)).toEqual(["sent", "not delivered"]);
    expect(await deps.db.auditEvent.count({ where: { teamId, action: "notification.test", targetId: projectId } })).toBe(2);

    // A member may not send tests; another project's channel id is not found from this project.
    const member = await seedUser(deps.db, "member", teamId);
    await expect(testChannel(deps, member.actor, projectId, good.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const elsewhere = await seedService(deps.db, teamId, { env: {} });
    await expect(testChannel(deps, actor, elsewhere.projectId, good.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(received.filter((r) => r.path.endsWith(tag))).toHaveLength(2);
  });

  it("refuses local targets unless local sources are allowed, and email without SMTP", async () => {
    const { projectId } = await seedService(deps.db, teamId, { env: {} });
    await deps.db.instanceSettings.update({ where: { id: 1 }, data: { allowLocalSources: false } });
    await expect(
      createChannel(deps, actor, projectId, { kind: "slack", name: "x", target: `${url}/x`, onSuccess: true, onFailure: true }),
    ).rejects.toMatchObject({ code: "INVALID", fieldErrors: { target: expect.any(String) } });
    await deps.db.instanceSettings.update({ where: { id: 1 }, data: { allowLocalSources: true } });
    await expect(
      createChannel({ ...deps, mailer: null }, actor, projectId, {
        kind: "email",
        name: "x",
        target: "a@example.test",
        onSuccess: true,
        onFailure: true,
      }),
    ).rejects.toMatchObject({ code: "INVALID" });
    expect(await deps.db.notificationChannel.count({ where: { projectId } })).toBe(0);
  });
});
