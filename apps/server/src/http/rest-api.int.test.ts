import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { Validator } from "@seriousme/openapi-schema-validator";
import type { Server as SocketServer } from "socket.io";
import { seedService, testDeps } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";

/**
 * The REST API as CI uses it, driven from /api/openapi.json itself: every documented operation
 * is called with a token of the owning team (answers as documented), with a token of another
 * team (404, nothing of the first team in the answer) and with no token (401). A new endpoint
 * is covered the moment it is documented; one whose body this file cannot fill fails the test.
 */

const deps = testDeps();
let server: Server;
let io: SocketServer;
let base: string;

interface Operation {
  operationId: string;
  parameters?: { in: string; name: string; required?: boolean }[];
  requestBody?: { required?: boolean };
  responses: Record<string, unknown>;
}
type OpenApiDoc = { openapi: string; servers: { url: string }[]; paths: Record<string, Record<string, Operation>> };

/** The body each documented operation with a request body is called with. */
const BODIES: Record<string, Record<string, unknown>> = {
  "env-set": { value: "from-ci", secret: true },
  "env-import": { text: "IMPORTED_ONE=1\nIMPORTED_TWO='two'" },
  "services-deploy": {},
  "deployments-rollback": {},
  "oneOffs-run": { argv: ["true"] },
  "oneOffs-cancel": {},
};
/** Reads first, then writes, removals last (env unset removes what env set wrote). */
const METHOD_ORDER = ["get", "put", "post", "delete"];

interface Team {
  client: Client;
  teamId: string;
  projectId: string;
  serviceId: string;
  deploymentId: string;
  releaseId: string;
  runId: string;
  admin: string;
  read: string;
}
let a: Team;
let b: Team;
let doc: OpenApiDoc;
const services: string[] = [];

async function team(): Promise<Team> {
  const client = new Client(base);
  expect((await client.signUp(`rest-${randomUUID().slice(0, 8)}@example.test`)).status).toBe(200);
  const teamId = (await client.query("me.get")).data.teams[0].id as string;
  const { projectId, serviceId } = await seedService(deps.db, teamId);
  services.push(serviceId);
  const config = { containerPort: 8080, env: {} };
  const released = await deps.db.deployment.create({
    data: { serviceId, image: "berth-test/hello:latest", status: "succeeded", finishedAt: new Date(), config },
  });
  await deps.db.buildLogLine.create({ data: { deploymentId: released.id, seq: 0, stream: "system", text: "Release 1 is live" } });
  const release = await deps.db.release.create({
    data: { serviceId, number: 1, deploymentId: released.id, image: "berth-test/hello:latest", config },
  });
  const run = await deps.db.oneOffRun.create({
    data: {
      serviceId,
      deploymentId: released.id,
      command: ["echo", "stored"],
      status: "succeeded",
      exitCode: 0,
      output: "stored\n",
      timeoutS: 60,
      finishedAt: new Date(),
      durationMs: 5,
    },
  });
  // An open preview of the service (a hidden child service, as a pull request webhook makes it).
  const child = await deps.db.service.create({
    data: { projectId, name: `pr-5-${serviceId.slice(0, 8)}`, image: "", sourceType: "git", containerPort: 8080, previewOfId: serviceId },
  });
  services.push(child.id);
  await deps.db.domain.create({ data: { serviceId: child.id, hostname: `pr-5-${child.id}.localhost`, isDefault: true } });
  await deps.db.preview.create({
    data: {
      parentServiceId: serviceId,
      serviceId: child.id,
      provider: "github",
      prNumber: 5,
      title: "Try it",
      headSha: "a".repeat(40),
      headBranch: "feature",
    },
  });
  const token = async (scope: string) =>
    (await client.mutate("tokens.create", { teamId, name: `rest-${scope}`, scope })).data.token as string;
  return {
    client,
    teamId,
    projectId,
    serviceId,
    deploymentId: released.id,
    releaseId: release.id,
    runId: run.id,
    admin: await token("admin"),
    read: await token("read"),
  };
}

function call(method: string, path: string, token: string | null, body?: unknown) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers["content-type"] = "application/json";
  return fetch(`${base}/api/v1${path}`, {
    method: method.toUpperCase(),
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Every documented operation with its path filled in with `t`'s ids. */
function operations(t: Team) {
  const params: Record<string, string> = {
    teamId: t.teamId,
    projectId: t.projectId,
    serviceId: t.serviceId,
    deploymentId: t.deploymentId,
    releaseId: t.releaseId,
    runId: t.runId,
    name: "CI_VAR",
  };
  const ops = Object.entries(doc.paths).flatMap(([template, item]) =>
    Object.entries(item).map(([method, op]) => {
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = params[name];
        if (!value) throw new Error(`${op.operationId}: no test value for path parameter ${name}`);
        return value;
      });
      if (op.requestBody && !(op.operationId in BODIES)) throw new Error(`${op.operationId}: add its request body to BODIES`);
      return { method, path, op, body: op.requestBody ? BODIES[op.operationId] : undefined };
    }),
  );
  return ops.sort((x, y) => METHOD_ORDER.indexOf(x.method) - METHOD_ORDER.indexOf(y.method));
}

beforeAll(async () => {
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: true }, update: { signupOpen: true } });
  ({ server, base, io } = await startHttp(deps));
  a = await team();
  b = await team();
  doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as OpenApiDoc;
});

afterAll(async () => {
  // No worker runs here: drop the queued deployments so no other test's worker picks them up.
  await deps.db.service.deleteMany({ where: { id: { in: services } } });
  await io.close();
  server.close();
  await deps.db.$disconnect();
});

describe("the OpenAPI document", () => {
  it("is served at /api/openapi.json and validates against the OpenAPI schema", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.servers[0]?.url).toBe(`${base}/api/v1`);
    // The endpoints CI needs are there.
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(ids).toEqual(
      expect.arrayContaining([
        "tokens-current",
        "projects-list",
        "services-list",
        "services-deploy",
        "deployments-get",
        "deployments-log",
        "deployments-releases",
        "deployments-rollback",
        "env-list",
        "env-set",
        "env-unset",
        "env-import",
        "oneOffs-run",
        "oneOffs-output",
        "oneOffs-cancel",
        "previews-list",
        "previews-settings",
      ]),
    );
  });
});

describe("every documented endpoint", () => {
  it("refuses a call without a token (401) and another team's token (404, nothing of the team in the answer)", async () => {
    const secrets = [a.teamId, a.projectId, a.serviceId, a.deploymentId, a.releaseId, a.runId];
    for (const { method, path, op, body } of operations(a)) {
      const seen = { operation: op.operationId };
      const anonymous = await call(method, path, null, body);
      expect({ ...seen, status: anonymous.status }).toEqual({ ...seen, status: 401 });
      expect({ ...seen, body: await anonymous.json() }).toMatchObject({ ...seen, body: { code: "UNAUTHORIZED" } });
      expect({ ...seen, status: (await call(method, path, "berth_not-a-real-token", body)).status }).toEqual({ ...seen, status: 401 });

      const foreign = await call(method, path, b.admin, body);
      const text = await foreign.text();
      // The token's own identity is the one endpoint without a resource: it answers with team B.
      const expected = op.operationId === "tokens-current" ? 200 : 404;
      expect({ ...seen, status: foreign.status }).toEqual({ ...seen, status: expected });
      for (const id of secrets) expect({ ...seen, leaks: text.includes(id) }).toEqual({ ...seen, leaks: false });
    }
    // Nothing was written to team A by the refused calls.
    expect(await deps.db.deployment.count({ where: { serviceId: a.serviceId } })).toBe(1);
    expect(await deps.db.envVar.count({ where: { serviceId: a.serviceId, name: { not: "GREETING" } } })).toBe(0);
    expect(await deps.db.oneOffRun.count({ where: { serviceId: a.serviceId } })).toBe(1);
  });

  it("answers its own team's token with the documented success status, and does what it says", async () => {
    for (const { method, path, op, body } of operations(a)) {
      const seen = { operation: op.operationId };
      const res = await call(method, path, a.admin, body);
      const json = (await res.json()) as unknown;
      expect({ ...seen, status: res.status, error: res.status >= 300 ? json : null }).toEqual({
        ...seen,
        status: Number(Object.keys(op.responses).find((code) => code.startsWith("2"))),
        error: null,
      });
    }
    // What the calls did, seen in the database and through the API.
    expect(await deps.db.deployment.count({ where: { serviceId: a.serviceId, trigger: "api" } })).toBe(1);
    expect(await deps.db.deployment.count({ where: { serviceId: a.serviceId, trigger: "rollback" } })).toBe(1);
    const names = (await deps.db.envVar.findMany({ where: { serviceId: a.serviceId }, select: { name: true } })).map((v) => v.name).sort();
    expect(names).toEqual(["GREETING", "IMPORTED_ONE", "IMPORTED_TWO"]);
    expect(await deps.db.oneOffRun.count({ where: { serviceId: a.serviceId, command: { equals: ["true"] } } })).toBe(1);
    const output = await (await call("get", `/services/${a.serviceId}/runs/${a.runId}/output?from=3`, a.read)).json();
    expect(output).toEqual({ status: "succeeded", exitCode: 0, error: null, durationMs: 5, text: "red\n", len: 7 });
  });
});

describe("the endpoints CI uses", () => {
  it("deploy answers 202 {deploymentId}; its status and log are readable; a read token may not deploy (403)", async () => {
    const refused = await call("post", `/services/${a.serviceId}/deploy`, a.read);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      code: "FORBIDDEN",
      message: "This needs a token with the deploy scope; this one has read",
    });
    const res = await call("post", `/services/${a.serviceId}/deploy`, a.admin);
    expect(res.status).toBe(202);
    const { deploymentId } = (await res.json()) as { deploymentId: string };
    const status = await (await call("get", `/deployments/${deploymentId}`, a.read)).json();
    expect(status).toMatchObject({ id: deploymentId, serviceId: a.serviceId, status: "queued", trigger: "api", error: null });
    const log = await (await call("get", `/deployments/${a.deploymentId}/log?afterSeq=-1&limit=10`, a.read)).json();
    expect(log).toMatchObject([{ seq: 0, stream: "system", text: "Release 1 is live" }]);
  });

  it("env: a secret's value is never returned; bad input is refused at its field; unknown names are 404", async () => {
    expect((await call("put", `/services/${a.serviceId}/env/API_KEY`, a.admin, { value: "s3cret-value", secret: true })).status).toBe(200);
    expect((await call("put", `/services/${a.serviceId}/env/PLAIN`, a.admin, { value: "shown" })).status).toBe(200);
    const listed = await (await call("get", `/services/${a.serviceId}/env`, a.read)).text();
    expect(listed).not.toContain("s3cret-value");
    expect(JSON.parse(listed)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "API_KEY", secret: true, value: null }),
        expect.objectContaining({ name: "PLAIN", value: "shown" }),
      ]),
    );

    const bad = await call("put", `/services/${a.serviceId}/env/1BAD`, a.admin, { value: "x" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      issues: [{ path: ["name"], message: "Use letters, digits, _, . and -, starting with a letter or _" }],
    });
    expect((await call("put", `/services/${a.serviceId}/env/PLAIN`, a.read, { value: "x" })).status).toBe(403);
    const missing = await call("delete", `/services/${a.serviceId}/env/NOT_THERE`, a.admin);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ message: "Variable NOT_THERE not found" });
    expect(await deps.db.envVar.count({ where: { serviceId: a.serviceId, name: "1BAD" } })).toBe(0);
  });

  it("previews: the open ones with their pull request, head and URL, and the settings; the previews stay out of the service list", async () => {
    const listed = (await (await call("get", `/services/${a.serviceId}/previews`, a.read)).json()) as Array<Record<string, unknown>>;
    expect(listed).toEqual([
      expect.objectContaining({
        pullRequest: 5,
        title: "Try it",
        headSha: "a".repeat(40),
        headBranch: "feature",
        status: "queued",
        url: expect.stringMatching(/^https:\/\/pr-5-.*\.localhost$/),
      }),
    ]);
    expect(await (await call("get", `/services/${a.serviceId}/previews/settings`, a.read)).json()).toEqual({
      enabled: false,
      allowForks: false,
      limit: 3,
      unavailable: "Previews need a service built from a git repository",
    });
    const teamServices = (await (await call("get", `/teams/${a.teamId}/services`, a.read)).json()) as Array<{ id: string }>;
    expect(teamServices.map((s) => s.id)).toEqual([a.serviceId]);
  });

  it("a revoked token is 401 at once; a session cookie does not authorize REST calls", async () => {
    const { data } = await a.client.mutate("tokens.create", { teamId: a.teamId, name: "short-lived", scope: "read" });
    expect((await call("get", `/teams/${a.teamId}/services`, data.token)).status).toBe(200);
    await a.client.mutate("tokens.revoke", { tokenId: data.id });
    expect((await call("get", `/teams/${a.teamId}/services`, data.token)).status).toBe(401);
    const withCookie = await fetch(`${base}/api/v1/teams/${a.teamId}/services`, { headers: { cookie: a.client.cookie } });
    expect(withCookie.status).toBe(401);
  });
});
