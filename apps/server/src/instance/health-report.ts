import type { Deps } from "../deps.ts";
import { type HealthViewer, readServicesHealth, type ServicesHealth } from "../reconcile/health.ts";

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

/** Services that should run and do not (absent when the database or engine cannot be asked). */
async function servicesCheck(deps: Pick<Deps, "db" | "engine">, viewer: HealthViewer | null): Promise<{ services?: ServicesHealth }> {
  try {
    return { services: await readServicesHealth(deps, viewer) };
  } catch {
    return {};
  }
}

/**
 * What GET /healthz answers: database and engine reachability, the edge proxy's state, and how
 * many services should run and do not (names only for a signed-in caller: see
 * reconcile/health.ts). `ok` is false (503) when the database or engine is down; the status is
 * "degraded" (still 200: the control plane works) when the proxy is down or a service that
 * should run does not.
 */
export async function healthReport(deps: Pick<Deps, "db" | "engine" | "proxy">, viewer: HealthViewer | null = null) {
  const [database, engine] = await Promise.all([
    timed(() => deps.db.$queryRaw`SELECT 1`, 3000, "PostgreSQL"),
    timed(() => deps.engine.ping(), 3000, "The Docker Engine"),
  ]);
  const ok = database.ok && engine.ok;
  const proxy = proxyCheck(deps);
  const services = ok ? await servicesCheck(deps, viewer) : {};
  const degraded = !ok || proxy.proxy?.ok === false || (services.services?.notRunning ?? 0) > 0;
  return { ok, body: { status: degraded ? "degraded" : "ok", database, engine, ...proxy, ...services } };
}

/** The database's own error when it does not answer, else null. */
export async function databaseError(db: Deps["db"]): Promise<unknown> {
  return db.$queryRaw`SELECT 1`.then(
    () => null,
    (err: unknown) => err,
  );
}
