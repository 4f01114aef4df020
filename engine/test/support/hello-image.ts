/** Test support: the busybox "hello" image, unique ids, HTTP checks and cleanup by label. */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import Docker from "dockerode";
import { afterAll, beforeAll } from "vitest";
import { DockerEngine, type ReleaseSpec } from "../../src/index.ts";
import { LABEL_TEAM } from "../../src/labels.ts";

export const HELLO_IMAGE = "berth-test/engine-hello:latest";
export const HELLO_PORT = 8080;
/** Label on everything the tests create outside Berth's contract, for cleanup. */
export const TEST_RUN_LABEL = "io.berth.test-run";

const fixtureDir = fileURLToPath(new URL("../fixtures/hello/", import.meta.url));

export async function buildHelloImage(engine: DockerEngine): Promise<void> {
  await engine.buildImage({
    tag: HELLO_IMAGE,
    files: [
      { name: "Dockerfile", data: readFileSync(`${fixtureDir}Dockerfile`) },
      { name: "entry.sh", data: readFileSync(`${fixtureDir}entry.sh`), mode: 0o755 },
      { name: "busybox", data: readFileSync("/usr/bin/busybox"), mode: 0o755 },
    ],
    labels: { [TEST_RUN_LABEL]: "engine-hello" },
    timeoutMs: 60_000,
  });
}

/** busybox as a web server on 8080 and nothing else: no /bin/sh, as a scratch or distroless image. */
export async function buildShellLessImage(engine: DockerEngine, tag: string): Promise<void> {
  await engine.buildImage({
    tag,
    files: [
      { name: "Dockerfile", data: 'FROM scratch\nCOPY busybox /srv/busybox\nENTRYPOINT ["/srv/busybox", "httpd", "-f", "-p", "8080"]\n' },
      { name: "busybox", data: readFileSync("/usr/bin/busybox"), mode: 0o755 },
    ],
    labels: { [TEST_RUN_LABEL]: "shell-less" },
    timeoutMs: 60_000,
  });
}

/** Every id this test process made up, so cleanup can find the release image tags of its services. */
const generatedIds = new Set<string>();

export function uniqueId(prefix: string): string {
  const id = `${prefix}${randomBytes(6).toString("hex")}`;
  generatedIds.add(id);
  return id;
}

/** Remove the `berth-release/<serviceId>` tags of services this test process made up. */
async function removeReleaseTags(docker: Docker): Promise<void> {
  const images = await docker.listImages({ filters: { reference: ["berth-release/*"] } });
  const tags = images
    .flatMap((i) => i.RepoTags ?? [])
    .filter((t) => generatedIds.has(t.slice("berth-release/".length).split(":")[0] ?? ""));
  for (const tag of tags) {
    await docker
      .getImage(tag)
      .remove()
      .catch((e: { statusCode?: number }) => {
        if (e.statusCode !== 404) throw e;
      });
  }
}

/** A team per test file: every release the file creates carries it, so cleanup is by label. */
export function releaseFactory(teamId: string) {
  return (overrides: Partial<ReleaseSpec> = {}): ReleaseSpec => ({
    owner: { teamId, projectId: uniqueId("p"), serviceId: uniqueId("s") },
    deploymentId: uniqueId("d"),
    serviceName: "hello",
    image: HELLO_IMAGE,
    containerPort: HELLO_PORT,
    env: { GREETING: "hello from berth" },
    ...overrides,
  });
}

/** Raw client for checks and cleanup the port does not offer (the tests' own eyes). */
export function rawDocker(): Docker {
  return new Docker({ socketPath: "/var/run/docker.sock", version: "v1.41" });
}

export async function containersLabelled(docker: Docker, label: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [label] } });
}

/** Remove every container of this test file's team and run label; report what failed. */
export async function cleanupTeam(docker: Docker, teamId: string): Promise<void> {
  const containers = [
    ...(await containersLabelled(docker, `${LABEL_TEAM}=${teamId}`)),
    ...(await containersLabelled(docker, `${TEST_RUN_LABEL}=${teamId}`)),
  ];
  // A container may carry both labels (image labels are inherited): remove each once.
  const ids = [...new Set(containers.map((c) => c.Id))];
  const results = await Promise.allSettled(ids.map((id) => docker.getContainer(id).remove({ force: true })));
  const failed = results.filter((r) => r.status === "rejected");
  if (failed.length > 0) throw new Error(`cleanup failed for ${failed.length} container(s)`);
  await removeReleaseTags(docker);
  // Networks and volumes Berth created for this team (Berth itself never prunes volumes).
  const ignore404 = (e: { statusCode?: number }) => {
    if (e.statusCode !== 404) throw e;
  };
  const networks = await docker.listNetworks({ filters: { label: [`${LABEL_TEAM}=${teamId}`] } });
  for (const n of networks) await docker.getNetwork(n.Id).remove().catch(ignore404);
  const volumes = (await docker.listVolumes({ filters: { label: [`${LABEL_TEAM}=${teamId}`] } })).Volumes ?? [];
  for (const v of volumes) await docker.getVolume(v.Name).remove().catch(ignore404);
}

/** The published port of a release or replica; throws for one without (a worker). */
export function hostPortOf(instance: { hostPort: number | null }): number {
  if (instance.hostPort === null) throw new Error("expected a published host port, got null");
  return instance.hostPort;
}

export async function httpGet(port: number | null): Promise<{ status: number; body: string }> {
  if (port === null) throw new Error("httpGet: no published port (null)");
  const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(3_000) });
  return { status: response.status, body: await response.text() };
}

/** Poll `probe` until it returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await sleep(100);
  }
  throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ""}`);
}

/** Run `fn`, expecting an EngineError-like rejection; return it for assertions. */
export async function rejectionOf(fn: () => Promise<unknown>): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  try {
    await fn();
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error("expected a rejection, got success");
}

/** The hello image with a HEALTHCHECK that fetches /$HC_PATH every 200 ms (HC_PATH=missing makes it fail). */
export const HEALTHCHECK_IMAGE = "berth-test/engine-hello-hc:latest";

export async function buildHealthcheckImage(engine: DockerEngine): Promise<void> {
  const dockerfile = [
    `FROM ${HELLO_IMAGE}`,
    'HEALTHCHECK --interval=200ms --timeout=1s --retries=2 CMD wget -q -O /dev/null "http://127.0.0.1:8080/$HC_PATH" || exit 1',
  ].join("\n");
  await engine.buildImage({
    tag: HEALTHCHECK_IMAGE,
    files: [{ name: "Dockerfile", data: Buffer.from(dockerfile) }],
    labels: { [TEST_RUN_LABEL]: "engine-hello-hc" },
    timeoutMs: 60_000,
  });
}

/**
 * The common frame of an engine integration file: a real engine, a raw client, a team id of
 * its own, the hello image built before the tests and everything of that team removed after.
 */
export function useTestTeam(): { engine: DockerEngine; docker: Docker; teamId: string; newRelease: ReturnType<typeof releaseFactory> } {
  const engine = new DockerEngine();
  const docker = rawDocker();
  const teamId = uniqueId("team");
  beforeAll(async () => {
    await buildHelloImage(engine);
  });
  afterAll(async () => {
    await cleanupTeam(docker, teamId);
  });
  return { engine, docker, teamId, newRelease: releaseFactory(teamId) };
}
