/**
 * memlock past 64 MiB only with a memory limit (locked pages cannot be reclaimed; only the memory
 * cgroup bounds them): refused at the ulimits field when a service or a compose file is saved
 * without one, its own or the instance's default. The instance settings are this worker's
 * database's, reset before each file (int-file-setup.ts).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedUser, testDeps } from "../../test/harness.ts";
import { getSettings, settingsInput, updateSettings } from "../instance/settings.ts";
import { createStack } from "../stacks/create-stack.ts";
import { createStackInput } from "../stacks/stack-input.ts";
import type { Actor } from "../teams/access.ts";
import { createServiceInput, updateServiceInput } from "./service-input.ts";
import { createService, getService } from "./services.ts";
import { updateService } from "./update-service.ts";

const deps = testDeps();
let actor: Actor;
let projectId: string;

beforeAll(async () => {
  const seeded = await seedUser(deps.db);
  actor = seeded.actor;
  projectId = (await deps.db.project.create({ data: { teamId: seeded.teamId, name: `memlock-${randomUUID().slice(0, 8)}` } })).id;
  // No default memory limit on this instance: a service without its own has none at all.
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { defaultMemoryMb: null }, update: { defaultMemoryMb: null } });
});

afterAll(async () => {
  await deps.db.instanceSettings.update({ where: { id: 1 }, data: { defaultMemoryMb: 1024 } });
  await deps.db.$disconnect();
});

const create = (name: string, ulimits: string, memoryMb: number | null) =>
  createService(
    deps,
    actor,
    createServiceInput.parse({ projectId, name, image: "berth-test/hello:latest", containerPort: 8080, ulimits, limits: { memoryMb } }),
  );

describe("memlock and the memory limit", () => {
  it("refuses memlock=unlimited without any memory limit, at its field; a limit (or a small memlock) makes it fine", async () => {
    await expect(create("search", "nofile=65535 memlock=unlimited", null)).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: { ulimits: expect.stringMatching(/^memlock above 64 MiB needs a memory limit/) },
    });
    expect(await deps.db.service.count({ where: { projectId } })).toBe(0);
    const limited = await create("search", "memlock=unlimited", 512);
    await expect(create("small", "memlock=65536", null)).resolves.toMatchObject({ id: expect.any(String) });

    // Taking the limit away later is refused the same way, and the saved settings stay.
    const s = await getService(deps, actor, limited.id);
    const edited = updateServiceInput.parse({
      serviceId: limited.id,
      name: s.name,
      source: "image",
      image: s.image,
      ...s.settings,
      limits: { ...s.settings.limits, memoryMb: null },
    });
    await expect(updateService(deps, actor, edited)).rejects.toMatchObject({ fieldErrors: { ulimits: expect.any(String) } });
    expect((await getService(deps, actor, limited.id)).settings.limits.memoryMb).toBe(512);
  });

  it("the owner cannot clear the default memory limit while a service locks memory under it alone", async () => {
    await deps.db.instanceSettings.update({ where: { id: 1 }, data: { defaultMemoryMb: 1024 } });
    const relying = await create("relying", "memlock=unlimited", null);
    const owner = { ...actor, instanceRole: "owner" as const };
    await expect(updateSettings(deps.db, owner, settingsInput.parse({ defaultMemoryMb: null }))).rejects.toMatchObject({
      fieldErrors: { defaultMemoryMb: expect.stringContaining("/relying lock memory") },
    });
    expect((await getSettings(deps.db)).defaultMemoryMb).toBe(1024);
    // Given a limit of its own, the default may go.
    await deps.db.service.delete({ where: { id: relying.id } });
    await expect(updateSettings(deps.db, owner, settingsInput.parse({ defaultMemoryMb: null }))).resolves.toMatchObject({
      defaultMemoryMb: null,
    });
  });

  it("refuses a compose file's memlock without mem_limit at its service and key", async () => {
    const compose = [
      "services:",
      "  es:",
      "    image: berth-test/hello:latest",
      "    ulimits:",
      "      memlock: { soft: -1, hard: -1 }",
    ].join("\n");
    await expect(createStack(deps, actor, createStackInput.parse({ projectId, name: "elk", compose }))).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: { "compose.es.ulimits": expect.stringMatching(/needs a memory limit/) },
    });
  });
});
