import type { ServerResponse } from "node:http";
import type { Deps } from "../deps.ts";
import { healthReport } from "../instance/health-report.ts";
import type { HealthViewer } from "../reconcile/health.ts";

/** GET /healthz: the health report as JSON, 503 when the database or engine is down. */
export async function healthz(
  deps: Pick<Deps, "db" | "engine" | "proxy">,
  res: ServerResponse,
  viewer: HealthViewer | null = null,
): Promise<void> {
  const { ok, body } = await healthReport(deps, viewer);
  res.writeHead(ok ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}
