import { beforeAll, describe, expect, it } from "vitest";
import { databaseTestBed } from "../../test/database-bed.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { listEnv, saveEnv } from "../secrets/env-vars.ts";
import { createService } from "../services/services.ts";
import { createServiceInput } from "../services/service-input.ts";
import type { Actor } from "../teams/access.ts";
import { createDatabase, createDatabaseInput } from "./create-database.ts";

/** A one-step PostgreSQL (the local test image) that another service reaches through `${{pg.DATABASE_URL}}`. */
const bed = databaseTestBed(120_000);
const { deps, touched, finished } = bed;
let owner: Actor;
let teamId: string;

beforeAll(() => {
  ({ owner, teamId } = bed.seeded());
});

describe("databases in one step (real PostgreSQL image, real engine)", () => {
  it("creates a TCP service with a volume and a sealed password; another service connects through ${{pg.DATABASE_URL}}", async () => {
    const project = await deps.db.project.create({ data: { teamId, name: "shop" } });
    const db = await createDatabase(
      deps,
      owner,
      createDatabaseInput.parse({ projectId: project.id, name: "pg", engine: "postgresql", image: "berth-test/postgres:15" }),
    );
    touched.push(db.id);
    expect(await finished(db.deploymentId!)).toMatchObject({ status: "succeeded", error: null });
    const service = await deps.db.service.findUniqueOrThrow({ where: { id: db.id }, include: { volumes: true } });
    expect(service).toMatchObject({ kind: "tcp", containerPort: 5432, image: "berth-test/postgres:15" });
    expect(service.volumes.map((v) => v.mountPath)).toEqual(["/var/lib/postgresql/data"]);
    const vars = await listEnv(deps, owner, { serviceId: db.id });
    expect(vars.find((v) => v.name === "POSTGRES_PASSWORD")).toMatchObject({ secret: true, value: null });
    expect(vars.find((v) => v.name === "DATABASE_URL")?.value).toBe(
      "postgresql://${{pg.POSTGRES_USER}}:${{pg.POSTGRES_PASSWORD}}@pg:5432/${{pg.POSTGRES_DB}}",
    );
    const audit = await deps.db.auditEvent.findFirstOrThrow({ where: { targetId: db.id, action: "database.create" } });
    expect(JSON.stringify(audit.detail)).not.toMatch(/postgresql:\/\/app:/);

    const api = await createService(
      deps,
      owner,
      createServiceInput.parse({ projectId: project.id, name: "api", image: "berth-test/app:latest", containerPort: 8080 }),
    );
    touched.push(api.id);
    await saveEnv(deps, owner, { serviceId: api.id }, [
      { name: "DATABASE_URL", value: "${{pg.DATABASE_URL}}", secret: false, buildTime: false, runtime: true },
    ]);
    const released = await finished((await enqueueDeployment(deps, owner, api.id)).deploymentId);
    expect(released).toMatchObject({ status: "succeeded", error: null });
    const rows = `http://127.0.0.1:${released.hostPort}/cgi-bin/rows`;
    expect(await (await fetch(rows, { method: "POST", body: "first-row" })).text()).toContain("first-row");
    expect(await (await fetch(rows)).text()).toBe("first-row\n");
  }, 240_000);

  it("refuses an unknown engine and a taken name at their fields, creating nothing", async () => {
    const project = await deps.db.project.create({ data: { teamId, name: "refusals" } });
    expect(createDatabaseInput.safeParse({ projectId: project.id, name: "db", engine: "oracle" }).error?.issues[0]).toMatchObject({
      path: ["engine"],
      message: "Choose one of: postgresql, mariadb, redis",
    });
    expect(createDatabaseInput.safeParse({ projectId: project.id, name: "Bad Name", engine: "postgresql" }).error?.issues[0]?.path).toEqual(
      ["name"],
    );
    const first = await createDatabase(
      deps,
      owner,
      createDatabaseInput.parse({
        projectId: project.id,
        name: "db",
        engine: "postgresql",
        image: "berth-test/postgres:15",
        deploy: false,
      }),
    );
    touched.push(first.id);
    await expect(
      createDatabase(deps, owner, createDatabaseInput.parse({ projectId: project.id, name: "db", engine: "postgresql", deploy: false })),
    ).rejects.toMatchObject({ code: "INVALID", fieldErrors: { name: expect.stringContaining("already exists") } });
    expect(await deps.db.service.count({ where: { projectId: project.id } })).toBe(1);
  });
});
