/**
 * Benchmark: the unavailability window of a stop-first redeploy of a volume-backed service on
 * a fixed host port, next to a raw Engine API `docker stop` + `docker run` of the same image
 * with the same volume and port; and the time from a worker's runRelease call to its release
 * (default gate: running 5 s) and to its container running. Medians of N runs; asserts nothing.
 *
 *   node --import tsx engine/bench/stop-first.ts [runs]
 */
import Docker from "dockerode";
import { DockerEngine, type ReleaseSpec } from "../src/index.ts";
import { buildHelloImage, cleanupTeam, HELLO_IMAGE, releaseFactory, uniqueId } from "../test/support/hello-image.ts";
import { freePort } from "../test/support/free-port.ts";

const runs = Number(process.argv[2] ?? 5);
const docker = new Docker({ socketPath: "/var/run/docker.sock", version: "v1.41" });
const engine = new DockerEngine();
const teamId = uniqueId("bench");

/** Poll the port every 10 ms while `action` runs (and until it serves again); the longest run of failures. */
async function unavailability(port: number, action: () => Promise<void>): Promise<number> {
  let running = true;
  let downSince: number | null = null;
  let longest = 0;
  const poll = (async () => {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      );
      const now = performance.now();
      if (!ok) downSince ??= now;
      else if (downSince !== null) {
        longest = Math.max(longest, now - downSince);
        downSince = null;
      }
      if (!running && ok) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  await action();
  running = false;
  await poll;
  return longest;
}

async function rawContainer(volume: string, port: number): Promise<Docker.Container> {
  const container = await docker.createContainer({
    Image: HELLO_IMAGE,
    Labels: { "io.berth.test-run": teamId },
    HostConfig: {
      PortBindings: { "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: String(port) }] },
      Init: true,
      Mounts: [{ Type: "volume", Source: volume, Target: "/data" }],
    },
    ExposedPorts: { "8080/tcp": {} },
  });
  await container.start();
  return container;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function main(): Promise<void> {
  await buildHelloImage(engine);
  const newRelease = releaseFactory(teamId);
  const rawVolume = `berth-bench-${teamId}`;
  await docker.createVolume({ Name: rawVolume, Labels: { "io.berth.team": teamId } });
  const rawPort = await freePort();
  const berthPort = await freePort();
  const base: ReleaseSpec = newRelease({ primaryHostPort: berthPort, volumes: [{ type: "volume", name: "data", target: "/data" }] });
  const raw: number[] = [];
  const stopFirst: number[] = [];
  const workerReady: number[] = [];
  const workerRunning: number[] = [];
  let current = await rawContainer(rawVolume, rawPort);
  await engine.replaceRelease(base, { strategy: "stop-first", graceSeconds: 10 });
  try {
    for (let i = 0; i < runs; i++) {
      raw.push(
        await unavailability(rawPort, async () => {
          await current.stop({ t: 10 });
          await current.remove();
          current = await rawContainer(rawVolume, rawPort);
        }),
      );
      stopFirst.push(
        await unavailability(berthPort, async () => {
          const next = await engine.replaceRelease({ ...base, deploymentId: uniqueId("d") }, { strategy: "stop-first", graceSeconds: 10 });
          await engine.retireOthers(base.owner.serviceId, next.deploymentId);
        }),
      );
      const worker = newRelease({ containerPort: undefined, command: ["sh", "-c", "while true; do sleep 1; done"] });
      const started = performance.now();
      const release = await engine.runRelease(worker);
      workerReady.push(performance.now() - started);
      const info = await docker.getContainer(release.containerId).inspect();
      workerRunning.push(Date.parse(info.State.StartedAt) - (performance.timeOrigin + started));
      await engine.removeService(worker.owner.serviceId);
    }
  } finally {
    await current.remove({ force: true });
    await cleanupTeam(docker, teamId);
  }
  const ms = (v: number) => `${Math.round(v)} ms`;
  console.log(
    `stop-first redeploy, unavailability (median of ${runs}): raw stop+run ${ms(median(raw))}, Berth stop-first ${ms(median(stopFirst))} (x${(median(stopFirst) / median(raw)).toFixed(2)})`,
  );
  console.log(
    `worker: deploy call -> container running ${ms(median(workerRunning))}, -> released (default gate: running 5 s) ${ms(median(workerReady))}`,
  );
}

await main();
