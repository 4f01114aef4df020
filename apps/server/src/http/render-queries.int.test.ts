import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Server as SocketServer } from "socket.io";
import { createAuth } from "../auth/auth.ts";
import { testDeps } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";
import { provideRenderQueries, RENDER_APP_HEADER, type RenderQuery } from "./render-queries.ts";

/**
 * The queries the dashboard's server render runs in a page request: as the page's caller (its
 * session cookie), through the same procedures and access checks as /trpc, reads only.
 */

const deps = testDeps();
let server: Server;
let io: SocketServer;
let render: ReturnType<typeof provideRenderQueries>;
let a: { client: Client; teamId: string };
let b: { client: Client; teamId: string };

async function account(base: string) {
  const client = new Client(base);
  expect((await client.signUp(`render-${randomUUID().slice(0, 8)}@example.test`)).status).toBe(200);
  return { client, teamId: (await client.query("me.get")).data.teams[0].id as string };
}

/** As the dashboard's server component calls it: every header of the page request. */
function run(headers: Record<string, string>, queries: RenderQuery[]) {
  const runner = globalThis.__berthRenderQueries;
  if (!runner) throw new Error("no render query runner registered");
  return runner({ [RENDER_APP_HEADER]: render.appId, ...headers }, queries);
}

beforeAll(async () => {
  let base: string;
  ({ server, base, io } = await startHttp(deps));
  render = provideRenderQueries(deps, createAuth(deps, { rateLimit: false }));
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: true }, update: { signupOpen: true } });
  a = await account(base);
  b = await account(base);
  expect((await a.client.mutate("projects.create", { teamId: a.teamId, name: `render-${randomUUID().slice(0, 6)}` })).status).toBe(200);
});

afterAll(async () => {
  render.stop();
  await io.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await deps.db.$disconnect();
});

describe("render queries", () => {
  it("answer the caller's queries as /trpc answers them", async () => {
    const results = await run({ cookie: a.client.cookie }, [{ path: "me.get" }, { path: "projects.list", input: { teamId: a.teamId } }]);
    expect(results).toEqual([
      { ok: true, data: (await a.client.query("me.get")).data },
      { ok: true, data: (await a.client.query("projects.list", { teamId: a.teamId })).data },
    ]);
    // Plain JSON, as the browser reads it: dates are strings.
    const [, projects] = results ?? [];
    expect(projects?.ok && typeof (projects.data as { createdAt: unknown }[])[0]?.createdAt).toBe("string");
  });

  it("another team's data answers as /trpc does: not found, nothing of it in the answer", async () => {
    const [overview, projects] =
      (await run({ cookie: b.client.cookie }, [
        { path: "overview.team", input: { teamId: a.teamId } },
        { path: "projects.list", input: { teamId: a.teamId } },
      ])) ?? [];
    const viaHttp = await b.client.query("projects.list", { teamId: a.teamId });
    expect(viaHttp.error?.data.code).toBeDefined();
    expect(projects).toEqual({ ok: false, code: viaHttp.error?.data.code });
    expect(overview).toEqual({ ok: false, code: viaHttp.error?.data.code });
  });

  it("signed out: UNAUTHORIZED; an API token in the headers is not a page's caller", async () => {
    const token = await a.client.mutate("tokens.create", { teamId: a.teamId, name: "render", scope: "read" });
    expect(token.status).toBe(200);
    const secret = (token.data as { token: string }).token;
    expect((await run({}, [{ path: "me.get" }]))?.[0]).toEqual({ ok: false, code: "UNAUTHORIZED" });
    expect((await run({ authorization: `Bearer ${secret}` }, [{ path: "projects.list", input: { teamId: a.teamId } }]))?.[0]).toEqual({
      ok: false,
      code: "UNAUTHORIZED",
    });
  });

  it("reads only: a mutation's path is not found and changes nothing", async () => {
    const before = (await a.client.query("projects.list", { teamId: a.teamId })).data as unknown[];
    const [created] =
      (await run({ cookie: a.client.cookie }, [{ path: "projects.create", input: { teamId: a.teamId, name: "from-a-render" } }])) ?? [];
    expect(created).toEqual({ ok: false, code: "NOT_FOUND" });
    expect((await a.client.query("projects.list", { teamId: a.teamId })).data).toHaveLength(before.length);
  });

  it("a request no app of this process forwarded gets nothing (the browser then asks)", async () => {
    const runner = globalThis.__berthRenderQueries;
    expect(await runner?.({ [RENDER_APP_HEADER]: "not-an-app", cookie: a.client.cookie }, [{ path: "me.get" }])).toBeNull();
    expect(await runner?.({ cookie: a.client.cookie }, [{ path: "me.get" }])).toBeNull();
  });
});
