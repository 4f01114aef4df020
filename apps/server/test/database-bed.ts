import { afterAll, beforeAll } from "vitest";
import type { DockerEngine } from "@berth/engine";
import type { Actor } from "../src/teams/access.ts";
import { deploymentWorker, finishedDeployment } from "./deploy-harness.ts";
import { requireTestImage, seedUser, testDeps } from "./harness.ts";

/**
 * For database tests on the real engine: deps with a running worker, an owner and their team,
 * and a teardown that removes the services in `touched` with their volumes and the networks of
 * the projects in `projects`. Call at the top of a file: its hooks run before the file's own.
 */
export function databaseTestBed(finishTimeoutMs = 120_000) {
  const deps = testDeps();
  const worker = deploymentWorker(deps);
  const touched: string[] = [];
  const projects: string[] = [];
  let seeded: { owner: Actor; teamId: string } | null = null;

  beforeAll(async () => {
    await requireTestImage(deps.engine as DockerEngine);
    // initdb on a busy machine can take longer than the harness' 5 s (seen timing out here).
    deps.env.BERTH_READY_TIMEOUT_S = 90;
    const { actor, teamId } = await seedUser(deps.db);
    seeded = { owner: actor, teamId };
    worker.start();
  });

  afterAll(async () => {
    await worker.stop();
    for (const id of touched) await deps.engine.removeService(id);
    for (const v of await deps.db.volume.findMany({ where: { serviceId: { in: touched } } }))
      await deps.engine.removeVolume(v.projectId, v.name).catch(() => undefined);
    for (const projectId of projects) await deps.engine.pruneNetworks({ projectId }).catch(() => undefined);
    await deps.db.$disconnect();
  });

  return {
    deps,
    touched,
    projects,
    finished: (deploymentId: string) => finishedDeployment(deps, deploymentId, finishTimeoutMs),
    /** The owner and team, once the bed's beforeAll ran. */
    seeded: () => {
      if (seeded === null) throw new Error("databaseTestBed: read seeded() in a hook or test, after its beforeAll");
      return seeded;
    },
  };
}
