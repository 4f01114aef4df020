import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Docker from "dockerode";
import type { DockerEngine } from "@berth/engine";
import { requireTestImage, seedService, seedUser, testDeps } from "../../test/harness.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { deploymentWorker, finishedDeployment } from "../../test/deploy-harness.ts";
import { pendingChanges } from "../services/pending-changes.ts";
import type { Actor } from "../teams/access.ts";
import { resolveDeployEnv } from "./env-store.ts";
import { saveEnv } from "./env-vars.ts";

/** `${{service.NAME}}` between the services of a project: saved, resolved at deploy, redacted, refused when broken. */
const deps = testDeps();
const worker = deploymentWorker(deps);
const run = { secret: false, buildTime: false, runtime: true };
const touched: string[] = [];
let owner: Actor;
let teamId: string;

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  ({ actor: owner, teamId } = await seedUser(deps.db));
  worker.start();
});

afterAll(async () => {
  await worker.stop();
  for (const id of touched) await deps.engine.removeService(id);
  await deps.db.$disconnect();
});

/** An `api` service and a `db` service (with a secret password) in one project. */
async function project() {
  const { projectId, serviceId: api } = await seedService(deps.db, teamId, { env: {} });
  await deps.db.service.update({ where: { id: api }, data: { name: "api" } });
  const db = (await deps.db.service.create({ data: { projectId, name: "db", image: "berth-test/hello:latest", containerPort: 8080 } })).id;
  await saveEnv(deps, owner, { serviceId: db }, [
    { name: "POSTGRES_PASSWORD", value: "pw-REFERENCED-123", secret: true, buildTime: false, runtime: true },
    { name: "POSTGRES_USER", value: "shop", ...run },
  ]);
  return { projectId, api, db };
}

describe("reference variables (real Postgres, real engine)", () => {
  it("resolves another service's variables at deploy, into the container's environment, and redacts the secret it takes in", async () => {
    const { projectId, api, db } = await project();
    touched.push(api);
    await saveEnv(deps, owner, { serviceId: api }, [
      { name: "DATABASE_URL", value: "postgresql://${{db.POSTGRES_USER}}:${{ db.POSTGRES_PASSWORD }}@db:5432/shop", ...run },
    ]);
    const env = await resolveDeployEnv(deps.db, deps.box, { projectId, serviceId: api });
    expect(env.runtime.DATABASE_URL).toBe("postgresql://shop:pw-REFERENCED-123@db:5432/shop");
    expect(env.secretValues).toContain("pw-REFERENCED-123");
    expect(env.problems).toEqual([]);

    const { deploymentId } = await enqueueDeployment(deps, owner, api);
    const done = await finishedDeployment(deps, deploymentId);
    expect({ status: done.status, error: done.error }).toEqual({ status: "succeeded", error: null });
    // The stored snapshot is sealed: the password is nowhere in the deployment row.
    expect(JSON.stringify(done)).not.toContain("pw-REFERENCED-123");
    const [container] = await deps.engine.listManaged({ serviceId: api });
    const info = await new Docker({ socketPath: "/var/run/docker.sock" }).getContainer(container!.containerId).inspect();
    expect(info.Config.Env).toContain("DATABASE_URL=postgresql://shop:pw-REFERENCED-123@db:5432/shop");

    // A new password on db shows on api as a pending change (its next deploy takes it in).
    const service = await deps.db.service.findUniqueOrThrow({ where: { id: api } });
    expect(await pendingChanges(deps, service, done)).toEqual([]);
    await saveEnv(deps, owner, { serviceId: db }, [
      { name: "POSTGRES_PASSWORD", value: "pw-ROTATED-456", secret: true, buildTime: false, runtime: true },
      { name: "POSTGRES_USER", value: "shop", ...run },
    ]);
    expect(await pendingChanges(deps, service, done)).toEqual(["Variables"]);
  });

  it("refuses at save a malformed reference or one to a service the project does not have, at the value's field", async () => {
    const { api } = await project();
    for (const [value, message] of [
      ["${{db}}", /is not a reference/],
      ["x ${{db.POSTGRES_USER", /not closed/],
      ["${{cache.URL}}", /the project has no service named cache/],
    ] as const) {
      const err = await saveEnv(deps, owner, { serviceId: api }, [
        { name: "OK", value: "fine", ...run },
        { name: "BAD", value, ...run },
      ]).then(
        () => null,
        (e: unknown) => e as { code: string; fieldErrors: Record<string, string> },
      );
      expect(err?.code).toBe("INVALID");
      expect(err?.fieldErrors["vars.1.value"]).toMatch(message);
    }
    // Nothing was written.
    expect(await deps.db.envVar.count({ where: { serviceId: api } })).toBe(0);
  });

  it("refuses a deploy whose reference does not resolve (a missing variable, a cycle), saying which", async () => {
    const { api, db } = await project();
    await saveEnv(deps, owner, { serviceId: api }, [{ name: "DATABASE_URL", value: "${{db.MISSING}}", ...run }]);
    await expect(enqueueDeployment(deps, owner, api)).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringContaining("DATABASE_URL: ${{db.MISSING}}: db has no variable MISSING"),
    });

    await saveEnv(deps, owner, { serviceId: api }, [{ name: "A", value: "${{db.B}}", ...run }]);
    await saveEnv(deps, owner, { serviceId: db }, [{ name: "B", value: "${{api.A}}", ...run }]);
    await expect(enqueueDeployment(deps, owner, api)).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringContaining("api.A -> db.B -> api.A is a cycle"),
    });
    expect(await deps.db.deployment.count({ where: { serviceId: api } })).toBe(0);
  });
});
