import { afterAll, beforeAll, expect, it } from "vitest";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Socket } from "socket.io-client";
import { finishedDeployment } from "../test/deploy-harness.ts";
import { waitFor } from "../test/harness.ts";
import { startWithRunningService } from "../test/running-service.ts";
import { enqueueDeployment } from "../src/deployments/deployments.ts";
import { reportFigure } from "./report.ts";

/**
 * 200 browsers following the runtime log of a chatty service at once: every follower gets every
 * line (numbered by the service, so a gap shows), and the control plane's event loop stays
 * responsive (its delay's p99 is printed; goal < 100 ms -- measured in this process, which also
 * runs the 200 clients, so it is an upper bound).
 */
const FOLLOWERS = Number(process.env.BERTH_FAULT_FOLLOWERS ?? 200);
const LINES = 2000;
let env: Awaited<ReturnType<typeof startWithRunningService>>;

beforeAll(async () => {
  env = await startWithRunningService("fault-logs");
});

afterAll(async () => {
  await env.close();
});

it(`${FOLLOWERS} log followers of a chatty service: no line lost, event-loop delay reported`, async () => {
  const { deps, serviceId, owner } = env;
  // Waits until the followers are in, then writes LINES numbered lines (as fast as the shell writes them).
  const script = `mkdir -p /tmp; while [ ! -e /tmp/go ]; do sleep 0.2; done; i=0; while [ $i -lt ${LINES} ]; do i=$((i+1)); echo "line $i"; done; exec sleep 3600`;
  await deps.db.service.update({ where: { id: serviceId }, data: { kind: "worker", containerPort: null, runtime: { entrypoint: ["/bin/sh", "-c", script], workerStableS: 1 } } });
  const me = await owner.query("me.get");
  const done = await finishedDeployment(deps, (await enqueueDeployment(deps, { userId: me.data.user.id, instanceRole: "user" }, serviceId)).deploymentId);
  expect(done.status).toBe("succeeded");

  const seen: number[][] = Array.from({ length: FOLLOWERS }, () => []);
  const ends: string[] = [];
  const sockets: Socket[] = [];
  for (let i = 0; i < FOLLOWERS; i++) {
    const socket = env.socketOf(owner);
    socket.on("logs:lines", (e: { lines: { text: string }[] }) => {
      for (const line of e.lines) {
        const n = /^line (\d+)$/.exec(line.text.trim());
        if (n) seen[i]!.push(Number(n[1]));
      }
    });
    socket.on("logs:end", (e: { reason: string }) => ends.push(`${i}: ${e.reason}`));
    sockets.push(socket);
  }
  await Promise.all(sockets.map((s) => new Promise<void>((resolve, reject) => (s.connected ? resolve() : s.once("connect", () => resolve()).once("connect_error", reject)))));
  const acks = await Promise.all(sockets.map((s) => s.timeout(30_000).emitWithAck("logs:subscribe", { serviceId }) as Promise<{ ok: boolean }>));
  expect(acks.filter((a) => !a.ok)).toEqual([]);

  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = Date.now();
  const live = (await deps.engine.listManaged({ serviceId })).find((c) => c.deploymentId === done.id && c.state === "running");
  await deps.engine.exec(live!.containerId, { cmd: ["touch", "/tmp/go"] });
  await waitFor("every follower to have the last line", async () => seen.every((s) => s.at(-1) === LINES), 120_000).catch((err: unknown) => {
    const short = seen.map((s, i) => ({ i, got: s.length, last: s.at(-1) })).filter((s) => s.last !== LINES);
    throw new Error(`${String(err)}; ${short.length} followers short, e.g. ${JSON.stringify(short.slice(0, 5))}; streams ended: ${ends.slice(0, 5).join(" | ")}`);
  });
  delay.disable();

  const lost = seen.map((s) => LINES - s.length);
  const gaps = seen.filter((s) => s.some((n, k) => n !== k + 1)).length;
  reportFigure(
    `${FOLLOWERS} followers of ${LINES} log lines`,
    `lines lost ${lost.reduce((a, b) => a + b, 0)}, followers with a gap ${gaps}, all delivered in ${((Date.now() - started) / 1000).toFixed(1)} s, event-loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms (goal < 100 ms)`,
  );
  expect(lost.every((n) => n === 0)).toBe(true);
  expect(gaps).toBe(0);
}, 240_000);
