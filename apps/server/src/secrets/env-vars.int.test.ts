import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedService, seedUser, testDeps } from "../../test/harness.ts";
import type { Actor } from "../teams/access.ts";
import { importDotenv, listEnv, revealEnv, saveEnv } from "./env-vars.ts";
import { resolveDeployEnv } from "./env-store.ts";

/** Variables per service and per project against the real Postgres: merge order, write-only secrets, import, reveal. */
const deps = testDeps();
let owner: Actor;
let teamId: string;
const flags = { secret: false, buildTime: false, runtime: true };

beforeAll(async () => {
  ({ actor: owner, teamId } = await seedUser(deps.db));
});

afterAll(async () => {
  await deps.db.$disconnect();
});

describe("environment variables (real Postgres)", () => {
  it("merges shared then own (own wins) and sorts each into run time, build args and build secrets", async () => {
    const { projectId, serviceId } = await seedService(deps.db, teamId, { env: {} });
    await saveEnv(deps, owner, { projectId }, [
      { name: "MODE", value: "shared", ...flags },
      { name: "NPM_TOKEN", value: "npm-secret-value", secret: true, buildTime: true, runtime: false },
      { name: "PUBLIC_URL", value: "https://shop.example", secret: false, buildTime: true, runtime: true },
    ]);
    await saveEnv(deps, owner, { serviceId }, [
      { name: "MODE", value: "own", ...flags },
      { name: "DB_PASSWORD", value: "db-secret-value", secret: true, buildTime: false, runtime: true },
    ]);
    const env = await resolveDeployEnv(deps.db, deps.box, { projectId, serviceId });
    expect(env.runtime).toEqual({ MODE: "own", PUBLIC_URL: "https://shop.example", DB_PASSWORD: "db-secret-value" });
    expect(env.buildArgs).toEqual({ PUBLIC_URL: "https://shop.example" });
    expect(env.buildSecrets).toEqual({ NPM_TOKEN: "npm-secret-value" });
    expect(env.secretValues.sort()).toEqual(["db-secret-value", "npm-secret-value"]);
  });

  it("keeps a saved secret when it is sent without a value, refuses a new one without, and never lists a secret's value", async () => {
    const { serviceId, projectId } = await seedService(deps.db, teamId, { env: {} });
    await saveEnv(deps, owner, { serviceId }, [{ name: "API_KEY", value: "first-secret", secret: true, buildTime: false, runtime: true }]);
    await saveEnv(deps, owner, { serviceId }, [{ name: "API_KEY", secret: true, buildTime: true, runtime: true }]);
    const listed = await listEnv(deps, owner, { serviceId });
    expect(listed).toMatchObject([{ name: "API_KEY", secret: true, buildTime: true, value: null }]);
    expect(JSON.stringify(listed)).not.toContain("first-secret");
    expect((await resolveDeployEnv(deps.db, deps.box, { projectId, serviceId })).runtime).toEqual({ API_KEY: "first-secret" });
    await expect(
      saveEnv(deps, owner, { serviceId }, [
        { name: "API_KEY", secret: true, buildTime: false, runtime: true },
        { name: "NEW", ...flags },
      ]),
    ).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: { "vars.1.value": "Enter a value for NEW" },
    });
    expect((await listEnv(deps, owner, { serviceId })).map((v) => [v.name, v.buildTime])).toEqual([["API_KEY", true]]); // nothing written
  });

  it("imports .env text only when every line is valid", async () => {
    const { serviceId } = await seedService(deps.db, teamId, { env: {} });
    await expect(importDotenv(deps, owner, { serviceId }, { text: "GOOD=1\nnot a line\n2BAD=x", ...flags })).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringMatching(/Line 2.*Line 3/),
    });
    expect(await listEnv(deps, owner, { serviceId })).toEqual([]);
    expect(
      await importDotenv(
        deps,
        owner,
        { serviceId },
        { text: "# app\nGOOD=1\nexport TOKEN='t0k3n-value'\n", secret: true, buildTime: false, runtime: true },
      ),
    ).toEqual({ imported: 2 });
    expect((await listEnv(deps, owner, { serviceId })).map((v) => [v.name, v.secret, v.value])).toEqual([
      ["GOOD", true, null],
      ["TOKEN", true, null],
    ]);
  });

  it("reveals a secret to team admins only, and audits the reveal by name", async () => {
    const { serviceId, projectId } = await seedService(deps.db, teamId, { env: {} });
    await saveEnv(deps, owner, { serviceId }, [
      { name: "REVEAL_ME", value: "revealed-secret", secret: true, buildTime: false, runtime: true },
    ]);
    const row = await deps.db.envVar.findFirstOrThrow({ where: { serviceId } });
    const { actor: member } = await seedUser(deps.db, "member", teamId);
    const { actor: admin } = await seedUser(deps.db, "admin", teamId);
    await expect(revealEnv(deps, member, projectId, row.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await revealEnv(deps, admin, projectId, row.id)).toEqual({ name: "REVEAL_ME", value: "revealed-secret" });
    const audit = await deps.db.auditEvent.findMany({ where: { teamId, action: "env.reveal", actorId: admin.userId } });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.detail).toEqual({ name: "REVEAL_ME" });
    expect(JSON.stringify(await deps.db.auditEvent.findMany({ where: { teamId } }))).not.toContain("revealed-secret");
  });
});
