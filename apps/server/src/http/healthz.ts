import type { ServerResponse } from "node:http";
import type { Deps } from "../deps.ts";

interface Check {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

async function timed(check: () => Promise<unknown>, timeoutMs: number, what: string): Promise<Check> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** The edge proxy as last seen by its watcher (absent when Berth manages no proxy). */
function proxyCheck(deps: Pick<Deps, "proxy">): { proxy?: { ok: boolean; state: string; error?: string } } {
  if (!deps.proxy) return {};
  const s = deps.proxy.status();
  return { proxy: { ok: s.state === "up", state: s.state, ...(s.error ? { error: s.error } : {}) } };
}

/**
 * GET /healthz: database and engine reachability and the edge proxy's state as JSON; 503 when
 * the database or engine is down (the control plane still works without the proxy: "degraded").
 */
export async function healthz(deps: Pick<Deps, "db" | "engine" | "proxy">, res: ServerResponse): Promise<void> {
  const [database, engine] = await Promise.all([
    timed(() => deps.db.$queryRaw`SELECT 1`, 3000, "PostgreSQL"),
    timed(() => deps.engine.ping(), 3000, "The Docker Engine"),
  ]);
  const ok = database.ok && engine.ok;
  const proxy = proxyCheck(deps);
  const degraded = !ok || proxy.proxy?.ok === false;
  res.writeHead(ok ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify({ status: degraded ? "degraded" : "ok", database, engine, ...proxy }));
}
