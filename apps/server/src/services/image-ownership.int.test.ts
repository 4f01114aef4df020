/**
 * Issue #14.7: another team cannot run the images Berth built for a service by naming them in
 * an image service (berth-build/<serviceId>, berth-release/<serviceId>, or a bare image id).
 */
import { afterAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { seedService, seedUser, testDeps } from "../../test/harness.ts";
import { assertImageUsable } from "./image-ownership.ts";
import { createServiceInput } from "./service-input.ts";
import { createService } from "./services.ts";

const deps = testDeps();

afterAll(async () => {
  await deps.db.$disconnect();
});

describe("images Berth built belong to their service", () => {
  it("an image service of another team cannot name a victim service's build or release images", async () => {
    const victim = await seedUser(deps.db);
    const { serviceId: victimService } = await seedService(deps.db, victim.teamId);
    const attacker = await seedUser(deps.db);
    const project = await deps.db.project.create({ data: { teamId: attacker.teamId, name: `p-${randomUUID().slice(0, 8)}` } });
    const deploymentId = randomUUID();
    const refs = [
      `berth-build/${victimService}:${deploymentId}`,
      `berth-release/${victimService}:${deploymentId}`,
      `docker.io/berth-build/${victimService}:${deploymentId}`,
      `berth-build/${victimService}@sha256:${"a".repeat(64)}`,
      // The victim's build as the cluster registry holds it (nodes keep what they pulled).
      `127.0.0.1:5000/berth/${victimService.toLowerCase()}@sha256:${"a".repeat(64)}`,
      `localhost:5000/berth/${victimService.toLowerCase()}:${deploymentId}`,
      `sha256:${"b".repeat(64)}`,
      "bbbbbbbbbbbb",
    ];
    for (const image of refs) {
      const parsed = createServiceInput.safeParse({
        projectId: project.id,
        name: `x-${randomUUID().slice(0, 6)}`,
        image,
        containerPort: 8080,
      });
      if (!parsed.success) continue; // refused by the input schema already
      await expect(createService(deps, attacker.actor, parsed.data), image).rejects.toMatchObject({
        code: "INVALID",
        fieldErrors: { image: expect.any(String) },
      });
    }
    expect(await deps.db.service.count({ where: { projectId: project.id } })).toBe(0);
    // An ordinary image is fine; a service may use its own built images.
    const ok = await createService(
      deps,
      attacker.actor,
      createServiceInput.parse({ projectId: project.id, name: "plain", image: "berth-test/hello:latest", containerPort: 8080 }),
    );
    expect(ok.id).toBeTruthy();
    await expect(
      assertImageUsable(deps.db, { serviceId: victimService, teamId: victim.teamId }, `berth-release/${victimService}:7`),
    ).resolves.toBeUndefined();
    await expect(
      assertImageUsable(deps.db, { serviceId: ok.id, teamId: attacker.teamId }, `berth-release/${victimService}:7`),
    ).rejects.toMatchObject({ code: "INVALID" });
  });
});
