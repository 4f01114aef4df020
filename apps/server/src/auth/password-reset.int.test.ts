import { afterAll, beforeAll, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { Server as SocketServer } from "socket.io";
import { seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";
import { startSmtpSink } from "../../test/smtp-sink.ts";
import { createMailer } from "../mail/mailer.ts";

/** With SMTP configured: password reset by email, and invitations are mailed. */
const deps = testDeps();
let server: Server;
let io: SocketServer;
let base: string;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;

beforeAll(async () => {
  sink = await startSmtpSink();
  deps.mailer = createMailer({ BERTH_SMTP_URL: sink.url, BERTH_MAIL_FROM: "Berth <berth@test.local>" });
  await seedUser(deps.db);
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: true }, update: { signupOpen: true } });
  ({ server, base, io } = await startHttp(deps));
});
afterAll(async () => {
  await io.close();
  server.close();
  await sink.close();
  await deps.db.$disconnect();
});

it("a reset link is mailed; it sets a new password once and signs out other sessions", async () => {
  const email = `pr-${randomUUID().slice(0, 8)}@example.test`;
  const user = new Client(base);
  expect((await user.signUp(email, "old password 123")).status).toBe(200);
  expect((await new Client(base).query("instance.features")).data).toEqual({ passwordReset: true, invitationEmails: true });

  expect((await new Client(base).auth("request-password-reset", { email, redirectTo: "/reset-password" })).status).toBe(200);
  const mail = await waitFor("the reset mail", async () => sink.mails.find((m) => m.to.includes(email)), 10_000);
  const url = /(http:\/\/\S+\/api\/auth\/reset-password\/\S+)/.exec(mail.text)?.[1] ?? "";
  expect(url).not.toBe("");
  // The link redirects to the dashboard's reset page with the token.
  const landing = await fetch(url, { redirect: "manual" });
  const token = new URL(landing.headers.get("location") ?? "", base).searchParams.get("token") ?? "";
  expect(token).not.toBe("");

  const anon = new Client(base);
  expect((await anon.auth("reset-password", { newPassword: "new password 456", token })).status).toBe(200);
  expect((await anon.auth("reset-password", { newPassword: "another password 789", token })).status).toBe(400);
  expect((await user.query("me.get")).error?.data.code).toBe("UNAUTHORIZED");
  expect((await new Client(base).auth("sign-in/email", { email, password: "old password 123" })).status).toBe(401);
  expect((await new Client(base).auth("sign-in/email", { email, password: "new password 456" })).status).toBe(200);
});

it("invitations are mailed to the invitee when SMTP is configured", async () => {
  const owner = new Client(base);
  expect((await owner.signUp(`pri-${randomUUID().slice(0, 8)}@example.test`)).status).toBe(200);
  const teamId = (await owner.query("me.get")).data.teams[0].id as string;
  const invitee = `prinv-${randomUUID().slice(0, 8)}@example.test`;
  const created = await owner.mutate("invitations.create", { teamId, email: invitee, role: "viewer" });
  expect(created.data.emailed).toBe(true);
  const mail = await waitFor("the invitation mail", async () => sink.mails.find((m) => m.to.includes(invitee)), 10_000);
  expect(mail.text).toContain(created.data.link);
});
