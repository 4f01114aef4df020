import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "@playwright/test";

const port = Number(process.env.BERTH_E2E_PORT ?? 3100);

/** Where restartable-server.mjs keeps its pid and the server's generation. */
export const serverStateFile = path.join(tmpdir(), `berth-e2e-server-${port}.json`);

function state(): { pid: number; generation: number } {
  return JSON.parse(readFileSync(serverStateFile, "utf8")) as { pid: number; generation: number };
}

/** Restart the Berth server (graceful stop, start) and wait until the new process answers /healthz. */
export async function restartBerth(): Promise<void> {
  const before = state();
  process.kill(before.pid, "SIGUSR2");
  await expect.poll(() => state().generation, { timeout: 30_000 }).toBeGreaterThan(before.generation);
  await expect
    .poll(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status ?? 0, {
      timeout: 120_000,
      intervals: [250],
    })
    .toBe(200);
}
