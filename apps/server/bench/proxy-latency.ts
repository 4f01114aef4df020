/**
 * Benchmark: request latency through Berth's edge proxy (Caddy over HTTPS, keep-alive, Host
 * routing to a deployed service) next to hitting the same container's published port
 * directly (plain HTTP, keep-alive), in the same run. Prints p50/p99 of each and the overhead.
 *
 *   DATABASE_URL=... node --import tsx apps/server/bench/proxy-latency.ts [requests]
 */
import { randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { DockerEngine } from "@berth/engine";
import { enqueueDeployment } from "../src/deployments/deployments.ts";
import { isTerminalStatus } from "../src/deployments/statuses.ts";
import { DeploymentWorker } from "../src/deployments/worker.ts";
import { addDomain } from "../src/domains/domains.ts";
import { proxyGet, TestCaddy } from "../test/caddy.ts";
import { requireTestImage, seedService, seedUser, testDeps, waitFor } from "../test/harness.ts";
import { percentile } from "./bench-util.ts";

const requests = Number(process.argv[2] ?? 2000);
const deps = testDeps();

function directGet(port: number, agent: HttpAgent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path: "/", agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

/**
 * Both paths in turns (direct, proxied, direct, ...): on a shared machine the load changes from
 * second to second, and measuring one path after the other would charge that change to one side.
 */
async function measureInTurns(paths: Record<"direct" | "proxy", () => Promise<number>>): Promise<Record<"direct" | "proxy", number[]>> {
  const samples = { direct: [] as number[], proxy: [] as number[] };
  for (let i = 0; i < 50; i++) for (const once of Object.values(paths)) await once(); // warm-up: connections, TLS session, caches
  for (let i = 0; i < requests; i++) {
    for (const label of ["direct", "proxy"] as const) {
      const t0 = performance.now();
      const status = await paths[label]();
      samples[label].push(performance.now() - t0);
      if (status !== 200) throw new Error(`${label}: HTTP ${status}`);
    }
  }
  return samples;
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
const signed = (ms: number) => `${ms >= 0 ? "+" : "-"}${fmt(Math.abs(ms))}`;

async function main(): Promise<void> {
  await requireTestImage(deps.engine as DockerEngine);
  const caddy = await TestCaddy.start();
  const proxy = caddy.edgeProxy(deps);
  deps.proxy = proxy;
  const worker = new DeploymentWorker(deps, { concurrency: 1, pollMs: 100 });
  worker.start();
  const hostname = `bench-${randomUUID().slice(0, 8)}.localhost`;
  const { actor, teamId } = await seedUser(deps.db);
  const { serviceId } = await seedService(deps.db, teamId);
  try {
    await addDomain(deps, actor, { serviceId, hostname });
    const { deploymentId } = await enqueueDeployment(deps, actor, serviceId);
    const done = await waitFor(
      "the deployment",
      async () => {
        const d = await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
        return isTerminalStatus(d.status) ? d : null;
      },
      60_000,
    );
    if (done.status !== "succeeded" || done.hostPort === null) throw new Error(`deploy ended ${done.status}: ${done.error}`);
    const ca = await caddy.admin.internalRootPem();
    const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 1 });
    const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
    await waitFor(
      "the route",
      async () => (await proxyGet(caddy, { hostname, ca, agent: httpsAgent }).catch(() => null))?.status === 200,
      10_000,
    );

    const { direct, proxy: proxied } = await measureInTurns({
      direct: () => directGet(done.hostPort!, httpAgent),
      proxy: async () => (await proxyGet(caddy, { hostname, ca, agent: httpsAgent })).status,
    });
    const rows = [
      ["direct (127.0.0.1 published port, HTTP)", direct],
      ["through the proxy (Caddy, HTTPS, Host routing)", proxied],
    ] as const;
    console.log(
      `\nproxy latency, ${requests} sequential keep-alive GETs each, in turns (same container, same run; load average ${loadavg()[0]!.toFixed(1)}):`,
    );
    for (const [name, s] of rows) console.log(`  ${name.padEnd(48)} p50 ${fmt(percentile(s, 50))}   p99 ${fmt(percentile(s, 99))}`);
    console.log(
      `  ${"overhead".padEnd(48)} p50 ${signed(percentile(proxied, 50) - percentile(direct, 50))}   p99 ${signed(percentile(proxied, 99) - percentile(direct, 99))}`,
    );
    console.log("  (berth-test/hello's busybox httpd closes every connection: both paths open a new one to the container per request)");
    httpsAgent.destroy();
    httpAgent.destroy();
  } finally {
    await worker.stop();
    await proxy.stop();
    await caddy.stop();
    await deps.engine.removeService(serviceId);
    await deps.db.$disconnect();
  }
}

await main();
