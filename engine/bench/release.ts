/**
 * Benchmark: Berth's release time next to a raw Engine API baseline measured in the same run.
 *   baseline  create + start a container (what `docker run -d` does), poll its published port
 *             until HTTP 200 (then remove it, untimed)
 *   run       engine.runRelease: image check, tag, create + start, health gate (TCP probe)
 *   replace   engine.replaceRelease: the same beside the old release, hand-over; then
 *             engine.retireOthers (SIGTERM with 0 s grace), as the control plane does after it
 * Prints the median of N runs of each and the ratios. Asserts nothing.
 *
 *   node --import tsx engine/bench/release.ts [runs]
 */
import Docker from "dockerode";
import { DockerEngine, type ReleaseSpec } from "../src/index.ts";
import { buildHelloImage, cleanupTeam, HELLO_IMAGE, releaseFactory, uniqueId } from "../test/support/hello-image.ts";

const runs = Number(process.argv[2] ?? 9);
const docker = new Docker({ socketPath: "/var/run/docker.sock", version: "v1.41" });
const engine = new DockerEngine();
const teamId = uniqueId("bench");

async function untilHttp200(port: number): Promise<void> {
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function baseline(): Promise<number> {
  const started = performance.now();
  const container = await docker.createContainer({
    Image: HELLO_IMAGE,
    Labels: { "io.berth.test-run": teamId },
    HostConfig: { PortBindings: { "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] }, Init: true },
    ExposedPorts: { "8080/tcp": {} },
  });
  await container.start();
  const info = await container.inspect();
  await untilHttp200(Number(info.NetworkSettings.Ports["8080/tcp"]?.[0]?.HostPort));
  const elapsed = performance.now() - started;
  await container.remove({ force: true });
  return elapsed;
}

async function timed(fn: () => Promise<number>): Promise<number> {
  const started = performance.now();
  const port = await fn();
  await untilHttp200(port); // count only releases that really serve
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function main(): Promise<void> {
  await buildHelloImage(engine);
  const newRelease = releaseFactory(teamId);
  const base: ReleaseSpec = newRelease();
  const raw: number[] = [];
  const run: number[] = [];
  const replace: number[] = [];
  await engine.replaceRelease(base); // an old release to replace
  try {
    for (let i = 0; i < runs; i++) {
      // Interleaved so that machine noise hits all three alike.
      raw.push(await baseline());
      const lone = newRelease();
      run.push(await timed(async () => (await engine.runRelease(lone)).hostPort ?? 0));
      await engine.removeService(lone.owner.serviceId);
      replace.push(
        await timed(async () => {
          const next = await engine.replaceRelease({ ...base, deploymentId: uniqueId("d") });
          await engine.retireOthers(base.owner.serviceId, next.deploymentId, 0);
          return next.hostPort ?? 0;
        }),
      );
    }
  } finally {
    await engine.removeService(base.owner.serviceId);
    await cleanupTeam(docker, teamId);
  }
  const b = median(raw);
  const r = median(run);
  const p = median(replace);
  const ms = (v: number): string => `${v.toFixed(0)} ms`;
  console.log(`release benchmark, median of ${runs} runs each (image ${HELLO_IMAGE})`);
  console.log(`  raw docker create+start+poll HTTP 200   ${ms(b)}`);
  console.log(`  berth runRelease (to healthy, 200)      ${ms(r)}   ratio ${(r / b).toFixed(2)}x`);
  console.log(`  berth replaceRelease (incl. retire old) ${ms(p)}   ratio ${(p / b).toFixed(2)}x`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
