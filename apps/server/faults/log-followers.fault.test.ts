import { afterAll, beforeAll, expect, it } from "vitest";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fork } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { finishedDeployment } from "../test/deploy-harness.ts";
import { waitFor } from "../test/harness.ts";
import { startWithRunningService } from "../test/running-service.ts";
import { enqueueDeployment } from "../src/deployments/deployments.ts";
import { reportFigure } from "./report.ts";

/**
 * 200 browsers following the runtime log of a chatty service at once: every follower gets every
 * line (numbered by the service, so a gap shows), and the control plane's event loop stays
 * responsive: its delay's p99 is printed with the goal (< 100 ms), Berth's CPU time and the host's
 * load beside it. The 200 clients run in a child
 * process (test/log-follower-clients.ts), so the delay measured here is Berth's own.
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
  await deps.db.service.update({
    where: { id: serviceId },
    data: { kind: "worker", containerPort: null, runtime: { entrypoint: ["/bin/sh", "-c", script], workerStableS: 1 } },
  });
  const me = await owner.query("me.get");
  const done = await finishedDeployment(
    deps,
    (await enqueueDeployment(deps, { userId: me.data.user.id, instanceRole: "user" }, serviceId)).deploymentId,
  );
  expect(done.status).toBe("succeeded");

  // The followers run in a process of their own: the delay measured here is Berth's loop alone.
  const clients = fork(path.join(import.meta.dirname, "../test/log-follower-clients.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: "inherit",
  });
  const exited = new Promise((resolve) => clients.once("exit", resolve));
  let complete = 0;
  clients.on("message", (m: Record<string, unknown>) => {
    if (m.type === "progress") complete = Number(m.complete);
  });
  const message = (type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const on = (m: Record<string, unknown>) => {
        if (m.type === "failed") reject(new Error(String(m.error)));
        if (m.type === type) {
          clients.off("message", on);
          resolve(m);
        }
      };
      clients.on("message", on);
    });
  try {
    const ready = message("ready");
    clients.send({ base: env.base, cookie: owner.cookie, serviceId, followers: FOLLOWERS, lines: LINES });
    await ready;

    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = Date.now();
    const cpuBefore = process.cpuUsage();
    const live = (await deps.engine.listManaged({ serviceId })).find((c) => c.deploymentId === done.id && c.state === "running");
    await deps.engine.exec(live!.containerId, { cmd: ["touch", "/tmp/go"] });
    const reported = message("report");
    await waitFor("every follower to have the last line", async () => complete === FOLLOWERS, 120_000).catch(() => undefined);
    const deliveredMs = Date.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    delay.disable();
    clients.send({ type: "report" });
    const report = (await reported) as { counts: number[]; gaps: number; ends: string[] };

    const lost = report.counts.map((n) => LINES - n);
    const p99 = delay.percentile(99) / 1e6;
    reportFigure(
      `${FOLLOWERS} followers of ${LINES} log lines`,
      `lines lost ${lost.reduce((a, b) => a + b, 0)}, followers with a gap ${report.gaps}, all delivered in ${(deliveredMs / 1000).toFixed(1)} s, Berth's event-loop delay p99 ${p99.toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms (goal: p99 < 100 ms; the followers in another process), Berth's CPU meanwhile ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of ${(deliveredMs / 1000).toFixed(1)} s, host load ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
    );
    expect(
      lost.filter((n) => n !== 0),
      `streams ended: ${report.ends.slice(0, 5).join(" | ")}`,
    ).toEqual([]);
    expect(report.gaps).toBe(0);
    // The delay is printed, not asserted: on a shared, loaded machine it is mostly the wait for a core.
  } finally {
    if (clients.exitCode === null) clients.kill();
    await exited;
  }
}, 300_000);
