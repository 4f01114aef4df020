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
}

/** The problems worth telling a person about, one sentence each; empty when all is well. */
export function healthProblems(health: Health | null, reachable: boolean): string[] {
  if (!reachable) return ["Berth's server is not answering. Check that it is running (npm run up)."];
  if (!health) return [];
  const problems: string[] = [];
  if (!health.database.ok) {
    problems.push(`PostgreSQL is unreachable${health.database.error ? ` (${health.database.error})` : ""}: nothing can be saved or loaded until it is back.`);
  }
  if (!health.engine.ok) {
    problems.push(`The Docker Engine is unreachable${health.engine.error ? ` (${health.engine.error})` : ""}: deploys, stops and logs wait until it is back.`);
  }
  if (health.proxy && !health.proxy.ok) {
    problems.push(`The edge proxy (Caddy) is down${health.proxy.error ? ` (${health.proxy.error})` : ""}: services are not reachable by their domains; Berth restores every route when it is back.`);
  }
  return problems;
}
