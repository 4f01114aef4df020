/** A service's stored metrics of the last hour (viewer+ in its team). */
import type { Deps } from "../deps.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { readHistory } from "./store.ts";

export async function getServiceMetrics(deps: Pick<Deps, "db">, actor: Actor, serviceId: string) {
  await loadService(deps.db, actor, serviceId, "viewer");
  return { history: await readHistory(deps.db, serviceId) };
}
