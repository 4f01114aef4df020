import { afterAll, beforeAll, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Socket } from "socket.io-client";
import type { TeamRole } from "@berth/db";
import { waitFor } from "../../test/harness.ts";
import { Client } from "../../test/http-harness.ts";
import { startWithRunningService } from "../../test/running-service.ts";

/** The web terminal's socket: member+ of the service's team only, audited, closed on lost access or a stopped container. */
let env: Awaited<ReturnType<typeof startWithRunningService>>;
let serviceId = "";
let teamId = "";
const SIZE = { cols: 80, rows: 24 };

beforeAll(async () => {
  env = await startWithRunningService("tm");
  ({ serviceId, teamId } = env);
});

afterAll(() => env.close());

/** A signed-up user with `role` in the service's team (none: a stranger) and a connected socket. */
async function caller(role: TeamRole | null): Promise<{ client: Client; userId: string; socket: Socket }> {
  const client = new Client(env.base);
  expect((await client.signUp(`tmu-${randomUUID().slice(0, 8)}@example.test`)).status).toBe(200);
  const userId = (await client.query("me.get")).data.user.id as string;
  if (role) await env.deps.db.membership.create({ data: { teamId, userId, role } });
  const socket = env.socketOf(client);
  await new Promise<void>((resolve, reject) => {
    socket.on("connect", resolve);
    socket.on("connect_error", reject);
  });
  return { client, userId, socket };
}

interface Session {
  terminalId: string;
  output: () => string;
  exit: Promise<{ reason: string; at: number }>;
}

async function openShell(socket: Socket): Promise<Session> {
  let output = "";
  const ack = (await socket.timeout(10_000).emitWithAck("terminal:open", { serviceId, ...SIZE })) as {
    ok: boolean;
    terminalId: string;
    error?: string;
  };
  expect(ack).toMatchObject({ ok: true });
  const { terminalId } = ack;
  socket.on("terminal:output", (e: { terminalId: string; data: string }) => {
    if (e.terminalId === terminalId) output += e.data;
  });
  const exit = new Promise<{ reason: string; at: number }>((resolve) =>
    socket.on("terminal:exit", (e: { terminalId: string; reason: string }) => {
      if (e.terminalId === terminalId) resolve({ reason: e.reason, at: Date.now() });
    }),
  );
  return { terminalId, output: () => output, exit };
}

const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), ms))]);

it("a member runs a command in the shell and sees its output; open and close are audited, keystrokes are not", async () => {
  const m = await caller("member");
  const t = await openShell(m.socket);
  m.socket.emit("terminal:resize", { terminalId: t.terminalId, cols: 100, rows: 30 });
  m.socket.emit("terminal:input", { terminalId: t.terminalId, data: "echo berth-$((6*7))\n" });
  await waitFor("command output", async () => t.output().includes("berth-42"), 10_000);
  // The resize is an engine call that input does not wait for (no ack): ask the size again
  // until the new one shows; it never shows if the resize is lost.
  await waitFor(
    "the resized terminal",
    async () => {
      if (t.output().includes("30 100")) return true;
      m.socket.emit("terminal:input", { terminalId: t.terminalId, data: "stty size\n" });
      await new Promise((r) => setTimeout(r, 500));
      return t.output().includes("30 100");
    },
    10_000,
  );
  m.socket.emit("terminal:close", { terminalId: t.terminalId });
  expect((await within(t.exit, 5000))?.reason).toBe("Closed by the user");
  const events = await waitFor("audit rows", async () => {
    const rows = await env.deps.db.auditEvent.findMany({
      where: { teamId, actorId: m.userId, targetId: serviceId },
      orderBy: { createdAt: "asc" },
    });
    return rows.length === 2 ? rows : null;
  });
  expect(events.map((e) => e.action)).toEqual(["terminal.open", "terminal.close"]);
  expect(JSON.stringify(events)).not.toContain("6*7");
});

it("refuses a viewer of the team and a user of another team, and opens nothing", async () => {
  const viewer = await caller("viewer");
  const stranger = await caller(null);
  expect(await viewer.socket.timeout(5000).emitWithAck("terminal:open", { serviceId, ...SIZE })).toEqual({
    ok: false,
    error: expect.stringMatching(/member/i),
  });
  expect(await stranger.socket.timeout(5000).emitWithAck("terminal:open", { serviceId, ...SIZE })).toEqual({
    ok: false,
    error: "Service not found",
  });
  expect(
    await env.deps.db.auditEvent.count({ where: { actorId: { in: [viewer.userId, stranger.userId] }, action: "terminal.open" } }),
  ).toBe(0);
});

it("closes a removed member's terminal", async () => {
  const m = await caller("member");
  const t = await openShell(m.socket);
  expect((await env.owner.mutate("teams.removeMember", { teamId, userId: m.userId })).data).toEqual({ ok: true });
  // Re-authorized every 2 s (gateway.ts); without it the shell would stay open: a generous deadline.
  const exit = await within(t.exit, 30_000);
  expect(exit?.reason).toMatch(/^Access ended/);
});

it("closes the terminal when the container stops", async () => {
  const m = await caller("member");
  const t = await openShell(m.socket);
  expect((await env.owner.mutate("services.stop", { serviceId })).error).toBeUndefined();
  expect((await within(t.exit, 15_000))?.reason).toBe("The container stopped");
  expect(await m.socket.timeout(5000).emitWithAck("terminal:open", { serviceId, ...SIZE })).toEqual({
    ok: false,
    error: expect.stringMatching(/no running container/),
  });
});
