/**
 * A name two services of one project answer to would be answered with both containers' addresses
 * (Docker's resolver round-robins): creating, saving or importing a service whose alias is another
 * service's name or alias, or whose name is another's alias, is refused at its field.
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { seedUser, testDeps } from "../../test/harness.ts";
import { createStack } from "../stacks/create-stack.ts";
import { createStackInput } from "../stacks/stack-input.ts";
import type { Actor } from "../teams/access.ts";
import { createServiceInput, updateServiceInput } from "./service-input.ts";
import { createService, getService } from "./services.ts";
import { updateService } from "./update-service.ts";

const deps = testDeps();

afterAll(async () => {
  await deps.db.$disconnect();
});

async function newProject(teamId: string): Promise<string> {
  return (await deps.db.project.create({ data: { teamId, name: `addr-${randomUUID().slice(0, 8)}` } })).id;
}

const create = (actor: Actor, projectId: string, name: string, aliases = "") =>
  createService(
    deps,
    actor,
    createServiceInput.parse({ projectId, name, image: "berth-test/hello:latest", kind: "tcp", containerPort: 5432, aliases }),
  );

async function saveAliases(actor: Actor, serviceId: string, aliases: string) {
  const s = await getService(deps, actor, serviceId);
  return updateService(
    deps,
    actor,
    updateServiceInput.parse({ serviceId, name: s.name, source: "image", image: s.image, ...s.settings, aliases }),
  );
}

describe("service names and network aliases in a project", () => {
  it("refuses each clash at its field and keeps what was there", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const projectId = await newProject(teamId);
    const db = await create(actor, projectId, "db");
    const cache = await create(actor, projectId, "cache", "redis");

    await expect(create(actor, projectId, "web", "db")).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: { aliases: expect.stringContaining('"db" is already the name of the service "db"') },
    });
    await expect(create(actor, projectId, "redis")).rejects.toMatchObject({
      fieldErrors: { name: expect.stringContaining('"redis" is a network alias of the service "cache"') },
    });
    expect(await deps.db.service.count({ where: { projectId } })).toBe(2);

    await expect(saveAliases(actor, db.id, "store redis")).rejects.toMatchObject({
      fieldErrors: { aliases: expect.stringContaining('"redis" is already a network alias of the service "cache"') },
    });
    expect((await getService(deps, actor, db.id)).settings.aliases).toBe("");
    // A service saved with its own alias unchanged is no clash with itself.
    await expect(saveAliases(actor, cache.id, "redis cache")).resolves.toMatchObject({ ok: true });

    // Another project's services are on another network.
    const elsewhere = await newProject(teamId);
    await expect(create(actor, elsewhere, "redis", "db")).resolves.toMatchObject({ id: expect.any(String) });
  });

  it("refuses a compose file whose service would answer to an existing service's name", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const projectId = await newProject(teamId);
    await create(actor, projectId, "db");
    const compose = `services:\n  app:\n    image: berth-test/hello:latest\n    networks:\n      default:\n        aliases: [db]\n`;
    await expect(createStack(deps, actor, createStackInput.parse({ projectId, name: "shop", compose }))).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: { "compose.app.networks": expect.stringContaining('"db" is already the name of the service "db"') },
    });
    expect(await deps.db.service.count({ where: { projectId } })).toBe(1);
  });
});
