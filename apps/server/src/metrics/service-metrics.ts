/** A service's metrics of the last hour (viewer+ in its team). */
import type { Deps } from "../deps.ts";
import type { LoadedService } from "../teams/access.ts";
import type { MetricPoint } from "./aggregate.ts";
import { readHistory } from "./store.ts";

/** The stored rows of the last hour, then the sampler's points not stored yet (a reload misses none). */
export async function metricsHistory(deps: Pick<Deps, "db" | "metrics">, serviceId: string | null): Promise<MetricPoint[]> {
  return [...(await readHistory(deps.db, serviceId)), ...(deps.metrics?.pending(serviceId) ?? [])];
}

/** serviceProcedure loaded the service for the caller. */
export async function getServiceMetrics(deps: Pick<Deps, "db" | "metrics">, service: Pick<LoadedService, "id">) {
  return { history: await metricsHistory(deps, service.id) };
}
