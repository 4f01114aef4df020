import { beforeAll, describe, expect, it } from "vitest";
import { Client } from "pg";
import { databaseTestBed } from "../../test/database-bed.ts";
import { freePort } from "../../test/free-ports.ts";
import { revealEnv } from "../secrets/env-vars.ts";
import { createService, getService } from "../services/services.ts";
import { createServiceInput } from "../services/service-input.ts";
import { readStoredRuntime } from "../services/runtime-settings.ts";
import type { Actor } from "../teams/access.ts";
import { createDatabase, createDatabaseInput } from "./create-database.ts";
import { publicPortInput } from "./public-port-input.ts";
import { setDatabasePublicPort } from "./public-port.ts";

/**
 * A PostgreSQL database (the local test image, real engine) published on 127.0.0.1 at a free
 * port: a client on the host connects with the generated credentials; a second database asking
 * the same port is refused at the field; unpublishing closes the port and keeps the data.
 */
const bed = databaseTestBed(180_000);
const { deps, touched, projects, finished } = bed;
let owner: Actor;
let teamId: string;

beforeAll(() => {
  ({ owner, teamId } = bed.seeded());
});

describe("a database's published port (real PostgreSQL image, real engine)", () => {
  it("publishes on 127.0.0.1, refuses the same port to another database, and unpublishes keeping the data", async () => {
    const project = await deps.db.project.create({ data: { teamId, name: "published" } });
    projects.push(project.id);
    const db = await createDatabase(
      deps,
      owner,
      createDatabaseInput.parse({ projectId: project.id, name: "pg", engine: "postgresql", image: "berth-test/postgres:15" }),
    );
    touched.push(db.id);
    expect(await finished(db.deploymentId!)).toMatchObject({ status: "succeeded", error: null });
    const port = await freePort();

    const on = await setDatabasePublicPort(deps, owner, publicPortInput.parse({ serviceId: db.id, enabled: true, hostPort: port }));
    expect(on.publish).toEqual({ hostPort: port, bindAddress: "127.0.0.1" });
    expect(await finished(on.deploymentId!)).toMatchObject({ status: "succeeded", error: null });
    const detail = await getService(deps, owner, db.id);
    expect(detail.database?.externalUrl).toBe(
      `postgresql://\${{pg.POSTGRES_USER}}:\${{pg.POSTGRES_PASSWORD}}@127.0.0.1:${port}/\${{pg.POSTGRES_DB}}`,
    );
    expect(detail.database?.internalUrl).toBe("postgresql://${{pg.POSTGRES_USER}}:${{pg.POSTGRES_PASSWORD}}@pg:5432/${{pg.POSTGRES_DB}}");

    const passwordRow = await deps.db.envVar.findFirstOrThrow({ where: { serviceId: db.id, name: "POSTGRES_PASSWORD" } });
    const password = (await revealEnv(deps, owner, project.id, passwordRow.id)).value;
    const client = new Client({ host: "127.0.0.1", port, user: "app", password, database: "app" });
    await client.connect();
    try {
      expect((await client.query("select 1 as one")).rows).toEqual([{ one: 1 }]);
      await client.query("create table kept (note text); insert into kept values ('still here')");
    } finally {
      await client.end();
    }
    expect(await deps.db.auditEvent.count({ where: { targetId: db.id, action: "database.public_port" } })).toBe(1);

    // A second database (of this team or any other) asking the same port: refused at the field, nothing saved or deployed.
    const other = await createDatabase(
      deps,
      owner,
      createDatabaseInput.parse({
        projectId: project.id,
        name: "pg2",
        engine: "postgresql",
        image: "berth-test/postgres:15",
        deploy: false,
      }),
    );
    touched.push(other.id);
    await expect(
      setDatabasePublicPort(deps, owner, publicPortInput.parse({ serviceId: other.id, enabled: true, hostPort: port })),
    ).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: { hostPort: `Port ${port} is already in use on this server` },
    });
    const untouched = await deps.db.service.findUniqueOrThrow({ where: { id: other.id } });
    expect(readStoredRuntime(untouched.runtime).publish).toBeNull();
    expect(await deps.db.deployment.count({ where: { serviceId: other.id } })).toBe(0);
    // The generic TCP setting (services.create/update) goes through the same checks.
    const tcp = createServiceInput.parse({
      projectId: project.id,
      name: "raw-tcp",
      image: "berth-test/hello:latest",
      kind: "tcp",
      containerPort: 8080,
      publish: { hostPort: port },
      deploy: false,
    });
    await expect(createService(deps, owner, tcp)).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: { "publish.hostPort": `Port ${port} is already in use on this server` },
    });
    expect(await deps.db.service.count({ where: { projectId: project.id } })).toBe(2);

    const off = await setDatabasePublicPort(deps, owner, publicPortInput.parse({ serviceId: db.id, enabled: false }));
    expect(await finished(off.deploymentId!)).toMatchObject({ status: "succeeded", error: null });
    expect((await getService(deps, owner, db.id)).database?.externalUrl).toBeNull();
    const closed = new Client({ host: "127.0.0.1", port, user: "app", password, database: "app" });
    await expect(closed.connect()).rejects.toMatchObject({ code: "ECONNREFUSED" });
    // The new container has the same volume: the row written through the published port is there.
    const [live] = (await deps.engine.listManaged({ serviceId: db.id })).filter((c) => c.state === "running");
    const read = await deps.engine.exec(live!.containerId, {
      cmd: ["psql", "--no-password", "-U", "app", "-d", "app", "-tAc", "select note from kept"],
      env: { PGPASSWORD: password },
    });
    expect(read).toMatchObject({ exitCode: 0 });
    expect(read.output.trim()).toBe("still here");
  }, 600_000);
});
