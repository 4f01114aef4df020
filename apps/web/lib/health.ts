/** What GET /healthz answers (see apps/server/src/http/healthz.ts). */
export interface HealthCheck {
  ok: boolean;
  latencyMs: number;
  error?: string;
}
export interface Health {
  status: "ok" | "degraded";
  database: HealthCheck;
  engine: HealthCheck;
  /** Absent when Berth manages no edge proxy. */
  proxy?: HealthCheck & { state: string };
  /** Services that should run and do not; names only for a signed-in caller (their teams'; all for the instance owner). */
  services?: { shouldRun: number; notRunning: number; notRunningServices?: Array<{ id: string; name: string; teamId: string }> };
}

/** The problems worth telling a person about, one sentence each; empty when all is well. */
export function healthProblems(health: Health | null, reachable: boolean): string[] {
  if (!reachable) return ["Berth's server is not answering. Check that it is running (npm run up)."];
  if (!health) return [];
  const problems: string[] = [];
  if (!health.database.ok) {
    problems.push(
      `PostgreSQL is unreachable${health.database.error ? ` (${health.database.error})` : ""}: nothing can be saved or loaded until it is back.`,
    );
  }
  if (!health.engine.ok) {
    problems.push(
      `The Docker Engine is unreachable${health.engine.error ? ` (${health.engine.error})` : ""}: deploys, stops and logs wait until it is back.`,
    );
  }
  if (health.proxy && !health.proxy.ok) {
    problems.push(
      `The edge proxy (Caddy) is down${health.proxy.error ? ` (${health.proxy.error})` : ""}: services are not reachable by their domains; Berth restores every route when it is back.`,
    );
  }
  const down = health.services?.notRunning ?? 0;
  if (down > 0) {
    const names = health.services?.notRunningServices?.map((s) => s.name) ?? [];
    const which = names.length > 0 ? ` (${names.join(", ")})` : "";
    problems.push(
      `${down === 1 ? "1 service should run and does not" : `${down} services should run and do not`}${which}: Berth is bringing ${down === 1 ? "it" : "them"} back; each service's events say what it did.`,
    );
  }
  return problems;
}
