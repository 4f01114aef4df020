import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes, randomUUID } from "node:crypto";
import type { DockerEngine } from "@berth/engine";
import { startGitFixture, type GitFixture } from "../../test/git-fixture.ts";
import { requireTestImage, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { buildRepository } from "../deployments/build-stage.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import type { DeploymentLogLine } from "../deployments/events.ts";
import { isTerminalStatus } from "../deployments/statuses.ts";
import { DeploymentWorker } from "../deployments/worker.ts";
import { ServiceLogHub } from "../services/log-hub.ts";
import { createService } from "../services/services.ts";
import { createServiceInput } from "../services/service-input.ts";
import { saveEnv } from "./env-vars.ts";

/**
 * A real git build whose steps print a secret value (plain and base64) and a container that
 * echoes its environment: the secret is masked in the stored build log, in the live build
 * lines (the bus the socket gateway forwards), in the runtime log stream sent to browsers,
 * and in the deployment's stored failure reason.
 */
const deps = testDeps();
const worker = new DeploymentWorker(deps, { concurrency: 2, pollMs: 200 });
const SECRET = `sk-live-${randomBytes(12).toString("hex")}`;
const touched: string[] = [];
let fixture: GitFixture;

const SHOW_ENV = `#!/bin/sh
echo "runtime API_KEY=$API_KEY"
printf '%s' "$API_KEY" | base64
exec /bin/sh /entry.sh
`;

function dockerfile(extra: string): string {
  return `FROM berth-test/hello:latest
COPY leak.txt /leak.txt
RUN echo "build prints: $(cat /leak.txt)" && cat /leak.txt | base64
COPY show-env.sh /show-env.sh
${extra}ENTRYPOINT ["/bin/sh", "/show-env.sh"]
`;
}

async function finished(deploymentId: string) {
  return waitFor(
    `deployment ${deploymentId}`,
    async () => {
      const d = await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
      return isTerminalStatus(d.status) ? d : null;
    },
    90_000,
  );
}

const leaks = (text: string) => [SECRET, Buffer.from(SECRET).toString("base64").slice(0, 20)].filter((form) => text.includes(form));

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await deps.db.instanceSettings.upsert({
    where: { id: 1 },
    create: { id: 1, allowLocalSources: true },
    update: { allowLocalSources: true },
  });
  fixture = await startGitFixture({ Dockerfile: dockerfile(""), "leak.txt": `${SECRET}\n`, "show-env.sh": SHOW_ENV });
  worker.start();
});

afterAll(async () => {
  await worker.stop();
  for (const id of touched) {
    await deps.engine.removeService(id);
    await deps.engine.removeRepositoryImages(buildRepository(id));
  }
  await deps.db.instanceSettings.update({ where: { id: 1 }, data: { allowLocalSources: false } });
  await fixture.close();
  await deps.db.$disconnect();
});

describe("secret values never reach a log (real build, real container)", () => {
  it("masks the secret in the stored and live build log and in the runtime log stream", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const project = await deps.db.project.create({ data: { teamId, name: `redact-${randomUUID().slice(0, 8)}` } });
    const { id: serviceId } = await createService(
      deps,
      actor,
      createServiceInput.parse({
        projectId: project.id,
        name: `leaky-${randomUUID().slice(0, 6)}`,
        source: "git",
        git: { url: fixture.url },
        containerPort: 8080,
      }),
    );
    touched.push(serviceId);
    await saveEnv(deps, actor, { serviceId }, [{ name: "API_KEY", value: SECRET, secret: true, buildTime: false, runtime: true }]);

    const live: DeploymentLogLine[] = [];
    const { deploymentId } = await enqueueDeployment(deps, actor, serviceId);
    const off = deps.events.onLines(deploymentId, (lines) => live.push(...lines));
    const done = await finished(deploymentId);
    off();
    expect(done.error).toBeNull();
    expect(done.status).toBe("succeeded");

    const stored = (await deps.db.buildLogLine.findMany({ where: { deploymentId }, orderBy: { seq: "asc" } }))
      .map((l) => l.text)
      .join("\n");
    expect(stored).toContain("build prints: [redacted]");
    expect(leaks(stored)).toEqual([]);
    expect(live.length).toBeGreaterThan(5);
    expect(live.map((l) => l.text).join("\n")).toContain("build prints: [redacted]");
    expect(leaks(live.map((l) => l.text).join("\n"))).toEqual([]);

    // The runtime stream the socket gateway sends to browsers: each follower's history, then
    // the shared stream's batches (broadcast to the followers' room).
    const sent: { text: string }[] = [];
    const hub = new ServiceLogHub(deps, (_stream, _serviceId, lines) => sent.push(...lines));
    const follower = { lines: (lines: { text: string }[]) => sent.push(...lines), live: () => undefined, end: () => undefined };
    const leave = await hub.follow(await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } }), {}, follower);
    const runtime = await waitFor("runtime lines", async () => {
      const text = sent.map((l) => l.text).join("\n");
      return text.includes("runtime API_KEY=") && text.includes("hello line") ? text : null;
    });
    leave?.();
    expect(runtime).toContain("runtime API_KEY=[redacted]");
    expect(leaks(runtime)).toEqual([]);
    // The engine itself still sees the real value (the container got it): masking is on the way out.
    const raw: string[] = [];
    const stop = await deps.engine.followLogs(
      done.containerId!,
      { tail: 50 },
      (l) => raw.push(l.text),
      () => undefined,
    );
    await waitFor("raw engine lines", async () => raw.some((l) => l.includes(SECRET)));
    stop();
  });

  it("a release that fails its health gate stores a failure reason without the secret", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const project = await deps.db.project.create({ data: { teamId, name: `redact-${randomUUID().slice(0, 8)}` } });
    fixture.commit({ "show-env.sh": SHOW_ENV.replace("exec /bin/sh /entry.sh", "exit 3") }, "exit at once", "broken");
    const { id: serviceId } = await createService(
      deps,
      actor,
      createServiceInput.parse({
        projectId: project.id,
        name: `broken-${randomUUID().slice(0, 6)}`,
        source: "git",
        git: { url: fixture.url, branch: "broken" },
        containerPort: 8080,
      }),
    );
    touched.push(serviceId);
    await saveEnv(deps, actor, { serviceId }, [{ name: "API_KEY", value: SECRET, secret: true, buildTime: false, runtime: true }]);
    const done = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
    expect(done.status).toBe("failed");
    expect(done.error).toContain("[redacted]");
    expect(leaks(done.error ?? "")).toEqual([]);
  });
});
